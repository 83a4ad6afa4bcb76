/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BPF_BTF_LOAD of an object's BTF, with libbpf 1.1's policy
 * (bpf_object__sanitize_and_load_btf, btf_load_into_kernel): the blob is
 * built by bbpf_btf_fixup() for the kinds the kernel has; it is loaded
 * first without a log, then again with one (bbpf_klog_run). When the kernel
 * has no BTF or rejects it, loading goes on without BTF unless the object
 * has struct_ops, which the kernel cannot take without it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "load.h"
#include "../relo/btf_fixup.h"
#include "../base/fmt.h"

#ifdef BBPF_NO_STRUCT_OPS
/* The init build: an object with struct_ops does not even open (src/obj/struct_ops.c). */
#define kernel_needs_btf(obj) false
#else
/* libbpf 1.1's kernel_needs_btf(): struct_ops maps are described by BTF only. */
static bool kernel_needs_btf(const struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 1; i < obj->elf.shnum; i++)
		if (obj->elf.shdrs[i].name[0] == '.' && obj->elf.shdrs[i].name[1] == 's' &&
		    !strncmp(obj->elf.shdrs[i].name, ".struct_ops", 11))
			return true;
	return false;
}
#endif

/* The BTF flags of struct bbpf_features are those of struct bbpf_btf_kinds, in its order. */
#define SAME_AT(k, f) (offsetof(struct bbpf_btf_kinds, k) == \
		       offsetof(struct bbpf_features, f) - offsetof(struct bbpf_features, btf_func))
_Static_assert(SAME_AT(func, btf_func) && SAME_AT(global_func, btf_global_func) &&
	       SAME_AT(datasec, btf_datasec) && SAME_AT(float_kind, btf_float) &&
	       SAME_AT(decl_tag, btf_decl_tag) && SAME_AT(type_tag, btf_type_tag) &&
	       SAME_AT(enum64, btf_enum64) && sizeof(struct bbpf_btf_kinds) == 7,
	       "the kernel's BTF kinds copied as one block");

static void kinds_from_features(const struct bbpf_features *f, struct bbpf_btf_kinds *k)
{
	memcpy(k, &f->btf_func, sizeof(*k));
}

struct btf_load_arg {
	const struct bbpf_sys *sys;
	const struct bbpf_btf_blob *blob;
};

static long btf_load(void *varg, char *buf, uint32_t size, uint32_t level)
{
	const struct btf_load_arg *arg = varg;

	return bbpf_cmd_btf_load(arg->sys, arg->blob->data, arg->blob->len, buf, size, level);
}

int bbpf_btf_load_object(struct bbpf_inst *inst)
{
	struct bbpf_object *obj = inst->obj;
	struct bbpf_ctx *ctx = inst->ctx;
	struct bbpf_btf_kinds kinds;
	struct bbpf_btf_blob blob;
	struct bbpf_arena scratch;
	struct btf_load_arg arg = { &ctx->sys, &blob };
	struct bbpf_klog log;
	char prefix[300];
	bool mandatory;
	int err;

	if (!obj->btf)
		return 0;
	mandatory = kernel_needs_btf(obj);
	if (!ctx->feat.btf) {
		if (mandatory)
			return bbpf_inst_fail(inst, BBPF_STAGE_BTF, 0, -EOPNOTSUPP,
					      "the kernel has no BTF, which struct_ops needs");
		bbpf_inst_log(inst, BBPF_LOG_DEBUG, "kernel doesn't support BTF, skipping uploading it");
		return 0;
	}
	kinds_from_features(&ctx->feat, &kinds);
	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 30);
	/* libbpf does these edits at open and fails the open on error. */
	err = bbpf_btf_fixup(obj, &kinds, &scratch, &blob);
	if (err) {
		bbpf_arena_free(&scratch);
		return bbpf_inst_fail(inst, BBPF_STAGE_BTF, 0, err, "error finalizing .BTF");
	}
	err = (int)bbpf_klog_run(&scratch, 0, btf_load, &arg, &log);
	if (err >= 0) {
		inst->btf_fd = err;
		bbpf_arena_free(&scratch);
		return 0;
	}
	if (log.buf && log.buf[0]) {
		bbpf_snprintf(prefix, sizeof(prefix), "%s: BTF: ", obj->name);
		bbpf_log_lines(bbpf_inst_log_of(obj, ctx), mandatory ? BBPF_LOG_WARN : BBPF_LOG_INFO,
			       prefix, log.buf, strnlen(log.buf, log.size));
	}
	bbpf_arena_free(&scratch);
	if (mandatory)
		return bbpf_inst_fail(inst, BBPF_STAGE_BTF, 0, err,
				      "error loading .BTF into the kernel; BTF is mandatory (struct_ops)");
	bbpf_inst_log(inst, BBPF_LOG_WARN,
		      "Error loading .BTF into kernel: %s. BTF is optional, ignoring.",
		      bbpf_err_name(err));
	return 0;
}
