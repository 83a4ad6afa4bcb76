/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BPF_BTF_LOAD of an object's BTF, with libbpf 1.1's policy
 * (bpf_object__sanitize_and_load_btf, btf_load_into_kernel): the blob is
 * built by bbpf_btf_fixup() for the kinds the kernel has; it is loaded
 * first without a log, then again with one that grows on -ENOSPC. When the
 * kernel has no BTF or rejects it, loading goes on without BTF unless the
 * object has struct_ops, which the kernel cannot take without it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kern.h"
#include "../obj/object_int.h"
#include "../relo/btf_fixup.h"
#include "../base/fmt.h"

#define LOG_START ((uint32_t)64 << 10)
#define LOG_MAX ((uint32_t)16 << 20)

static const struct bbpf_log *obj_log(const struct bbpf_ctx *ctx, const struct bbpf_object *obj)
{
	return ctx->log.fn ? &ctx->log : &obj->log;
}

/* libbpf 1.1's kernel_needs_btf(): struct_ops maps are described by BTF only. */
static bool kernel_needs_btf(const struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 1; i < obj->elf.shnum; i++)
		if (!strncmp(obj->elf.shdrs[i].name, ".struct_ops", 11))
			return true;
	return false;
}

static void kinds_from_features(const struct bbpf_features *f, struct bbpf_btf_kinds *k)
{
	k->func = f->btf_func;
	k->global_func = f->btf_global_func;
	k->datasec = f->btf_datasec;
	k->float_kind = f->btf_float;
	k->decl_tag = f->btf_decl_tag;
	k->type_tag = f->btf_type_tag;
	k->enum64 = f->btf_enum64;
}

/* The failed load again with a log (level 1), grown on -ENOSPC; the log goes out. */
static int load_with_log(struct bbpf_ctx *ctx, const struct bbpf_object *obj,
			 const struct bbpf_btf_blob *blob)
{
	const struct bbpf_log *log = obj_log(ctx, obj);
	uint32_t size = LOG_START;
	char prefix[300];
	char *buf;
	int fd;

	for (;;) {
		buf = ctx->alloc.resize(ctx->alloc.ctx, NULL, 0, size);
		if (!buf)
			return -ENOMEM;
		buf[0] = '\0';
		fd = bbpf_cmd_btf_load(&ctx->sys, blob->data, blob->len, buf, size, 1);
		if (fd != -ENOSPC || size >= LOG_MAX)
			break;
		ctx->alloc.resize(ctx->alloc.ctx, buf, size, 0);
		size *= 2;
	}
	if (fd < 0) {
		bbpf_snprintf(prefix, sizeof(prefix), "%s: BTF: ", obj->name);
		bbpf_log(log, BBPF_LOG_WARN, "%s: BTF loading error: %s", obj->name, bbpf_err_name(fd));
		bbpf_log_lines(log, BBPF_LOG_WARN, prefix, buf, strnlen(buf, size));
	}
	ctx->alloc.resize(ctx->alloc.ctx, buf, size, 0);
	return fd;
}

int bbpf_btf_load_object(struct bbpf_ctx *ctx, struct bbpf_object *obj, struct bbpf_arena *scratch,
			 int *fd)
{
	const struct bbpf_log *log = obj_log(ctx, obj);
	struct bbpf_btf_kinds kinds;
	struct bbpf_btf_blob blob;
	bool mandatory;
	int err;

	*fd = -1;
	if (!obj->btf)
		return 0;
	err = bbpf_features_probe(ctx);
	if (err)
		return err;
	mandatory = kernel_needs_btf(obj);
	if (!ctx->feat.btf) {
		if (!mandatory) {
			bbpf_log(log, BBPF_LOG_DEBUG,
				 "%s: kernel doesn't support BTF, skipping uploading it", obj->name);
			return 0;
		}
		err = -EOPNOTSUPP;
		goto report;
	}
	kinds_from_features(&ctx->feat, &kinds);
	/* libbpf does these edits at open and fails the open on error. */
	err = bbpf_btf_fixup(obj, &kinds, scratch, &blob);
	if (err) {
		bbpf_log(log, BBPF_LOG_WARN, "%s: error finalizing .BTF: %s", obj->name, bbpf_err_name(err));
		return err;
	}
	err = bbpf_cmd_btf_load(&ctx->sys, blob.data, blob.len, NULL, 0, 0);
	if (err < 0)
		err = load_with_log(ctx, obj, &blob);
	if (err >= 0) {
		*fd = err;
		return 0;
	}
report:
	bbpf_log(log, BBPF_LOG_WARN, "%s: Error loading .BTF into kernel: %d. %s", obj->name, err,
		 mandatory ? "BTF is mandatory, can't proceed." : "BTF is optional, ignoring.");
	return mandatory ? err : 0;
}
