/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a BTF-typed program attaches, found as libbpf 1.8 finds it (its
 * find_kernel_btf_id and libbpf_find_prog_btf_id): a kernel target in
 * vmlinux's BTF, else in the BTF object of each loaded module ("mod:name"
 * looks in that module only; "vmlinux:name" in vmlinux only); a BPF
 * program's function in that program's BTF. Module BTF objects are
 * enumerated with BPF_BTF_GET_NEXT_ID and read through
 * BPF_OBJ_GET_INFO_BY_FD, each into a scratch arena freed before the next,
 * so memory stays at one module's BTF. vmlinux's answers come from the
 * context's batched name lookups (kname.c); no name index is built for
 * any of them. See kern.h.
 */
#include <errno.h>
#include <string.h>
#include "kern.h"
#include "../base/fmt.h"

/* A module's BTF is a few hundred KiB at most; the bound keeps a hostile size in check. */
#define MODULE_BTF_MAX	((uint32_t)64 << 20)
/* Ids are allocated cyclically; more BTF objects than this would be a runaway loop. */
#define BTF_ID_WALK_MAX	(1u << 20)

static uint64_t ptr_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* BTF object fd: its name, whether it is the kernel's, its size; bytes into buf when given. */
static int btf_info(const struct bbpf_sys *sys, int fd, char name[64], bool *kernel,
		    uint32_t *size, void *buf)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	int err;

	memset(&info, 0, sizeof(info));
	memset(name, 0, 64);
	info.name = ptr_u64(name);
	info.name_len = 64;
	if (buf) {
		info.btf = ptr_u64(buf);
		info.btf_size = *size;
	}
	err = bbpf_cmd_obj_info(sys, fd, &info, &len);
	if (err)
		return err;
	name[63] = '\0';
	if (buf && info.btf_size != *size)
		return -EAGAIN;	/* replaced between the two calls */
	*kernel = info.kernel_btf != 0;
	*size = info.btf_size;
	return 0;
}

/* The BTF object fd's types, parsed on base into arena. */
static int btf_read(struct bbpf_ctx *ctx, int fd, uint32_t size, const struct bbpf_btf *base,
		    bool trusted, struct bbpf_arena *arena, struct bbpf_btf **out)
{
	struct bbpf_diag d = { 0 };
	struct bbpf_btf *btf;
	char name[64];
	bool kernel;
	void *buf;
	int err;

	if (size > MODULE_BTF_MAX)
		return -E2BIG;
	buf = bbpf_arena_alloc(arena, size ? size : 1);
	btf = bbpf_arena_zalloc(arena, sizeof(*btf));
	if (!buf || !btf)
		return -ENOMEM;
	err = btf_info(&ctx->sys, fd, name, &kernel, &size, buf);
	if (err)
		return err;
	err = trusted ? bbpf_btf_parse_trusted(btf, buf, size, base, arena, &d)
		      : bbpf_btf_parse_raw(btf, buf, size, base, arena, &d);
	if (!err)
		*out = btf;
	return err;
}

/* The BTF object btf_id's fd, with its name, whether it is the kernel's, its size. */
static int btf_open(struct bbpf_ctx *ctx, uint32_t btf_id, char name[64], bool *kernel,
		    uint32_t *size)
{
	int fd = bbpf_cmd_btf_get_fd_by_id(&ctx->sys, btf_id), err;

	if (fd < 0)
		return fd;	/* -ENOENT: unloaded since the id was listed */
	err = btf_info(&ctx->sys, fd, name, kernel, size, NULL);
	if (err) {
		ctx->sys.close(ctx->sys.ctx, fd);
		return err;
	}
	return fd;
}

int bbpf_attach_btf_fetch(struct bbpf_ctx *ctx, uint32_t btf_id, bool trusted,
			  struct bbpf_arena *arena, struct bbpf_btf **out)
{
	uint32_t size = 0;
	char name[64];
	bool kernel;
	int fd, err;

	fd = btf_open(ctx, btf_id, name, &kernel, &size);
	if (fd < 0)
		return fd;
	err = btf_read(ctx, fd, size, NULL, trusted, arena, out);
	ctx->sys.close(ctx->sys.ctx, fd);
	return err;
}

/* The lowest own id of name and kind in btf (one walk, no index), 0 if none. */
static int find_own(const struct bbpf_btf *btf, const char *name, uint32_t kind,
		    struct bbpf_arena *scratch, uint32_t *id)
{
	struct bbpf_btf_query q = { .name = name, .kind = kind };
	int err = bbpf_btf_find_batch(btf, btf->start_id, &q, 1, scratch);

	*id = q.id;
	return err;
}

/* name of kind in one module's BTF: its fd kept in *obj_fd if found. */
static int search_module(struct bbpf_ctx *ctx, uint32_t btf_id, const struct bbpf_btf *vmlinux,
			 const char *mod, size_t mod_len, const char *name, uint32_t kind,
			 uint32_t *type_id, int *obj_fd)
{
	struct bbpf_arena scratch;
	struct bbpf_btf *btf = NULL;
	char mod_name[64];
	uint32_t size = 0, id = 0;
	bool kernel = false;
	int fd, err;

	fd = btf_open(ctx, btf_id, mod_name, &kernel, &size);
	if (fd < 0)
		return fd;
	err = 0;
	if (!kernel || !strcmp(mod_name, "vmlinux") ||
	    (mod && (strlen(mod_name) != mod_len || memcmp(mod_name, mod, mod_len))))
		err = -ENOENT;	/* a program's BTF, vmlinux, or another module */
	if (!err) {
		bbpf_arena_init(&scratch, &ctx->alloc, (size_t)MODULE_BTF_MAX * 4);
		err = btf_read(ctx, fd, size, vmlinux, true, &scratch, &btf);
		/* the module's own types only, as libbpf's btf__find_by_name_kind_own */
		err = err ?: find_own(btf, name, kind, &scratch, &id);
		if (!err && !id)
			err = -ENOENT;
		bbpf_arena_free(&scratch);
		if (err == -EBADMSG)
			bbpf_log_warn(&ctx->log, "module", mod_name, 0, "its BTF is not valid");
		if (!err) {
			*type_id = id;
			*obj_fd = fd;
			bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "'%s' found in module '%s' BTF: id %u",
				 name, mod_name, id);
			return 0;
		}
	}
	ctx->sys.close(ctx->sys.ctx, fd);
	return err;
}

int bbpf_attach_btf_kernel(struct bbpf_ctx *ctx, const char *target, const char *prefix,
			   uint32_t kind, uint32_t *type_id, int *obj_fd)
{
	const char *colon = strchr(target, ':'), *func = colon ? colon + 1 : target;
	size_t mod_len = colon ? (size_t)(colon - target) : 0;
	struct bbpf_btf *vmlinux;
	uint32_t cur = 0, next, walked;
	char name[256];
	int n, err;

	*type_id = 0;
	*obj_fd = -1;
	n = bbpf_snprintf(name, sizeof(name), "%s%s", prefix, func);
	if (n < 0 || (size_t)n >= sizeof(name) || !*func)
		return -EINVAL;
	if (!colon || (mod_len == 7 && !memcmp(target, "vmlinux", 7))) {
		err = bbpf_kname_find(ctx, name, kind, type_id);
		if (err)
			return err;
		if (*type_id || colon)
			return *type_id ? 0 : -ESRCH;
	}
	/* Modules are split on vmlinux: its walk must be complete. */
	err = bbpf_kernel_btf(ctx, &vmlinux);
	if (err)
		return err;
	for (walked = 0; walked < BTF_ID_WALK_MAX; walked++) {
		err = bbpf_cmd_btf_get_next_id(&ctx->sys, cur, &next);
		if (err == -ENOENT)
			break;
		if (err)
			return err;
		cur = next;
		err = search_module(ctx, next, vmlinux, colon ? target : NULL, mod_len, name, kind,
				    type_id, obj_fd);
		if (err != -ENOENT)
			return err;
	}
	return -ESRCH;
}

int bbpf_attach_btf_prog(struct bbpf_ctx *ctx, int prog_fd, const char *name, uint32_t *type_id)
{
	struct bpf_prog_info info;
	struct bbpf_arena scratch;
	struct bbpf_btf *btf;
	uint32_t id = 0;
	int err;

	*type_id = 0;
	err = bbpf_cmd_obj_info_zero(&ctx->sys, prog_fd, &info, sizeof(info));
	if (err)
		return err;
	if (!info.btf_id) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "target program (fd %d) has no BTF", prog_fd);
		return -EINVAL;
	}
	/* a program's BTF is the loader's, not the kernel's: checked in full */
	bbpf_arena_init(&scratch, &ctx->alloc, (size_t)MODULE_BTF_MAX * 4);
	err = bbpf_attach_btf_fetch(ctx, info.btf_id, false, &scratch, &btf);
	err = err ?: find_own(btf, name, BTF_KIND_FUNC, &scratch, &id);
	bbpf_arena_free(&scratch);
	if (!err && !id)
		err = -ESRCH;
	if (!err)
		*type_id = id;
	return err;
}
