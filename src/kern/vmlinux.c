/* SPDX-License-Identifier: BSD-2-Clause */
/* The running kernel's BTF, read and parsed once per context. */
#include <errno.h>
#include "kern.h"

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"
#define VMLINUX_BTF_MAX ((size_t)256 << 20)	/* ~6 MB here; BTF offsets are 32-bit anyway */

int bbpf_ctx_vmlinux_btf(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	struct bbpf_diag diag = { 0 };
	struct bbpf_btf *btf;
	size_t len;
	char *buf;
	int err;

	if (ctx->vmlinux) {
		*out = ctx->vmlinux;
		return 0;
	}
	err = bbpf_sys_read_file(ctx, VMLINUX_BTF_PATH, &ctx->arena, VMLINUX_BTF_MAX, &buf, &len);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "cannot read %s: error %s", VMLINUX_BTF_PATH, bbpf_err_name(err));
		return err;
	}
	btf = bbpf_arena_zalloc(&ctx->arena, sizeof(*btf));
	if (!btf)
		return -ENOMEM;
	err = bbpf_btf_parse_raw(btf, buf, (uint32_t)len, NULL, &ctx->arena, &diag);
	/* Index now, so that a later lookup's -ENOMEM is not taken for "absent". */
	if (!err)
		err = bbpf_btf_index(btf);
	if (err) {
		if (err == -ENOMEM)
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: out of memory", VMLINUX_BTF_PATH);
		else
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: %s at byte %llu (type %u)",
				 VMLINUX_BTF_PATH, bbpf_bad_str(diag.why),
				 (unsigned long long)diag.off, diag.idx);
		return err;
	}
	ctx->vmlinux = btf;
	ctx->vmlinux_buf = buf;
	*out = btf;
	return 0;
}
