/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's BTF objects by id; see kern.h. */
#include <errno.h>
#include <string.h>
#include "kern.h"

/* BTF objects are at most a few MiB (vmlinux); the kernel caps a load at 16 MiB. */
#define BTF_ID_MAX	((uint32_t)256 << 20)

static uint64_t ptr_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int get_info(struct bbpf_ctx *ctx, int fd, struct bbpf_btf_id_info *out, void *buf,
		    uint32_t size)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	int err;

	memset(&info, 0, sizeof(info));
	memset(out->name, 0, sizeof(out->name));
	info.name = ptr_u64(out->name);
	info.name_len = sizeof(out->name);
	if (buf) {
		info.btf = ptr_u64(buf);
		info.btf_size = size;
	}
	err = bbpf_cmd_obj_info(&ctx->sys, fd, &info, &len);
	if (err)
		return err;
	out->name[sizeof(out->name) - 1] = '\0';
	out->kernel_btf = info.kernel_btf != 0;
	if (buf && info.btf_size != size)
		return -EAGAIN;	/* replaced between the two calls */
	out->size = info.btf_size;
	return 0;
}

int bbpf_btf_id_load(struct bbpf_ctx *ctx, uint32_t id, const struct bbpf_btf *base,
		     enum bbpf_log_level level, struct bbpf_btf_id_info *info,
		     struct bbpf_btf **out)
{
	struct bbpf_diag d = { 0 };
	struct bbpf_btf *btf;
	uint8_t *buf;
	int fd, err;

	fd = bbpf_cmd_btf_get_fd_by_id(&ctx->sys, id);
	if (fd < 0) {
		bbpf_log(&ctx->log, level, "cannot get BTF object %u: %s", id, bbpf_err_name(fd));
		return fd;
	}
	err = get_info(ctx, fd, info, NULL, 0);
	if (err || !out)
		goto out;
	err = -E2BIG;
	if (info->size > BTF_ID_MAX)
		goto out;
	err = -ENOMEM;
	buf = bbpf_arena_alloc(&ctx->arena, info->size ? info->size : 1);
	btf = bbpf_arena_zalloc(&ctx->arena, sizeof(*btf));
	if (!buf || !btf)
		goto out;
	err = get_info(ctx, fd, info, buf, info->size);
	if (err)
		goto out;
	err = bbpf_btf_parse_raw(btf, buf, info->size, base, &ctx->arena, &d);
	if (err == -EBADMSG)
		bbpf_log(&ctx->log, level, "BTF object %u: not valid BTF at offset 0x%llx (%s)", id,
			 (unsigned long long)d.off, bbpf_bad_str(d.why));
	if (!err)
		*out = btf;
out:
	if (err && err != -EBADMSG && err != -ENOMEM)
		bbpf_log(&ctx->log, level, "BTF object %u: %s", id, bbpf_err_name(err));
	ctx->sys.close(ctx->sys.ctx, fd);
	return err;
}
