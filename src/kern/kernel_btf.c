/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running kernel's BTF, found and parsed once per context; see kern.h.
 * The name index is built only for callers that look names up.
 *
 * The sysfs file is parsed lazily (bbpf_btf_parse_lazy): the CO-RE cache
 * takes it unwalked, so that its first candidate search is also the one
 * walk over the records; every other caller gets it walked (and its
 * structural errors reported) by bbpf_kernel_btf().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "kern.h"
#include "../base/fmt.h"

#define SYSFS_VMLINUX "/sys/kernel/btf/vmlinux"


static void log_bad(struct bbpf_ctx *ctx, int err, const struct bbpf_diag *diag)
{
	if (err == -EBADMSG)
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: %s at byte %llu (type %u)", SYSFS_VMLINUX,
			 bbpf_bad_str(diag->why), (unsigned long long)diag->off, diag->idx);
	else
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "%s", SYSFS_VMLINUX);
}

/* The kernel's own file: trusted, mapped when the kernel allows it, not walked yet. */
static int load_sysfs(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	struct bbpf_diag diag = { 0 };
	struct bbpf_btf *btf;
	const void *buf = NULL;	/* set on success; LTO cannot see that */
	size_t len;
	int err;

	err = bbpf_ctx_map_btf_file(ctx, SYSFS_VMLINUX, &buf, &len);
	if (err) {
		/* Missing: the caller tries the fallbacks. */
		if (err != -ENOENT)
			bbpf_log_warn(&ctx->log, NULL, NULL, err, "cannot read %s", SYSFS_VMLINUX);
		return err;
	}
	btf = bbpf_arena_zalloc(&ctx->arena, sizeof(*btf));
	if (!btf)
		return -ENOMEM;
	err = len > UINT32_MAX ? -E2BIG :
	      bbpf_btf_parse_lazy(btf, buf, (uint32_t)len, NULL, &ctx->arena, &diag);
	if (err) {
		log_bad(ctx, err, &diag);
		return err;
	}
	ctx->vmlinux_buf = buf;
	*out = btf;
	return 0;
}

#ifdef BBPF_NO_USER_CORE
/*
 * The init build (README "Static builds"): no on-disk fallback. Its CO-RE
 * runs in the kernel, and its BTF attach targets and typed ksyms are ids in
 * the kernel's own BTF: all of them need the BTF the running kernel has,
 * which is the sysfs file. A vmlinux file on disk serves user-space CO-RE.
 */
static int load_fallback(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	(void)out;
	bbpf_log(&ctx->log, BBPF_LOG_WARN, "no kernel BTF: %s is missing (this build reads "
		 "no vmlinux file)", SYSFS_VMLINUX);
	return -ENOENT;
}
#else
/*
 * libbpf's on-disk fallbacks (btf__load_vmlinux_btf), in its order, for
 * kernels without CONFIG_DEBUG_INFO_BTF's sysfs file. %s is the release.
 */
static const char vmlinux_locations[] =	/* NUL-separated, no pointer each */
	"/boot/vmlinux-%s\0"
	"/lib/modules/%s/vmlinux-%s\0"
	"/lib/modules/%s/build/vmlinux\0"
	"/usr/lib/modules/%s/kernel/vmlinux\0"
	"/usr/lib/debug/boot/vmlinux-%s\0"
	"/usr/lib/debug/boot/vmlinux-%s.debug\0"
	"/usr/lib/debug/lib/modules/%s/vmlinux";

/* The first on-disk location with valid BTF, as libbpf (untrusted files). */
static int load_fallback(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	struct utsname uts;
	char path[512];
	const char *loc;
	int err;

	err = (int)ctx->sys.uname(ctx->sys.ctx, &uts);
	if (err) {
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "uname");
		return err;
	}
	for (loc = vmlinux_locations; loc < vmlinux_locations + sizeof(vmlinux_locations);
	     loc += strlen(loc) + 1) {
		int n;

		/* Unused trailing arguments are fine for printf. */
		n = bbpf_snprintf(path, sizeof(path), loc, uts.release, uts.release);
		if (n < 0 || (size_t)n >= sizeof(path))
			continue;
		err = bbpf_btf_read_untrusted(ctx, path, BBPF_LOG_DEBUG, out);
		if (!err) {
			bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "kernel BTF from %s", path);
			return 0;
		}
		if (err == -ENOMEM)
			return err;
	}
	bbpf_log(&ctx->log, BBPF_LOG_WARN,
		 "no kernel BTF: %s is missing and no vmlinux with BTF was found for %s",
		 SYSFS_VMLINUX, uts.release);
	return -ENOENT;
}
#endif

int bbpf_kernel_btf_lazy(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	struct bbpf_btf *btf;
	int err;

	if (ctx->vmlinux) {
		*out = ctx->vmlinux;
		return 0;
	}
	/* Like libbpf: the fallbacks only when the sysfs file does not exist. */
	err = load_sysfs(ctx, &btf);
	if (err == -ENOENT)
		err = load_fallback(ctx, &btf);
	if (err)
		return err;
	ctx->vmlinux = btf;
	*out = btf;
	return 0;
}

int bbpf_kernel_btf(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	struct bbpf_diag diag = { 0 };
	bool fresh = !ctx->vmlinux;
	struct bbpf_btf *btf;
	int err;

	err = bbpf_kernel_btf_lazy(ctx, &btf);
	if (err)
		return err;
	/* A no-op once walked (and for the fallbacks, validated in full). */
	err = bbpf_btf_complete(btf, &diag);
	if (err) {
		log_bad(ctx, err, &diag);
		/* Not cached unless the CO-RE cache already holds it. */
		if (fresh)
			ctx->vmlinux = NULL;
		return err;
	}
	*out = btf;
	return 0;
}

int bbpf_kernel_btf_indexed(struct bbpf_ctx *ctx, struct bbpf_btf **out)
{
	struct bbpf_btf *btf;
	int err = bbpf_kernel_btf(ctx, &btf);

	if (err)
		return err;
	err = bbpf_btf_index(btf);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: out of memory for the name index",
			 SYSFS_VMLINUX);
		return err;
	}
	*out = btf;
	return 0;
}
