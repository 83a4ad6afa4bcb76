/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the kernel configuration comes from: the caller's text, else
 * /proc/config.gz (CONFIG_IKCONFIG_PROC), else /boot/config-<release>
 * (plain or gzipped, as libbpf's gzopen() accepts both).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/utsname.h>
#include "kern.h"
#include "../base/inflate.h"
#include "../base/fmt.h"

#define PROC_CONFIG_GZ	"/proc/config.gz"
#define CONFIG_FILE_MAX	((size_t)16 << 20)	/* compressed or plain; real ones are < 1 MiB */
#define CONFIG_TEXT_MAX	((size_t)64 << 20)	/* inflated */

static bool is_gzip(const char *buf, size_t len)
{
	return len >= 2 && (uint8_t)buf[0] == 0x1f && (uint8_t)buf[1] == 0x8b;
}

/* Read path; inflate if gzipped. -ENOMEM ends the search, other errors go on to the next file. */
static int read_config(struct bbpf_ctx *ctx, const char *path, struct bbpf_arena *arena,
		       const char **text, size_t *len)
{
	struct bbpf_diag diag = { 0 };
	uint8_t *out;
	size_t n, out_len;
	char *buf;
	int err;

	err = bbpf_sys_read_file(ctx, path, arena, CONFIG_FILE_MAX, &buf, &n);
	if (err) {
		/* ENOMEM ends the search (a WARN); other errors try the next file. */
		if (err != -ENOENT)
			bbpf_log(&ctx->log, err == -ENOMEM ? BBPF_LOG_WARN : BBPF_LOG_INFO,
				 "kconfig: cannot read %s: error %s", path, bbpf_err_name(err));
		return err;
	}
	if (!is_gzip(buf, n)) {
		*text = buf;
		*len = n;
		return 0;
	}
	err = bbpf_gunzip((const uint8_t *)buf, n, arena, CONFIG_TEXT_MAX, &out, &out_len, &diag);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "kconfig: cannot inflate %s: error %d at byte %llu",
			 path, err, (unsigned long long)diag.off);
		return err;
	}
	*text = (const char *)out;
	*len = out_len;
	return 0;
}

int bbpf_kconfig_text(struct bbpf_ctx *ctx, struct bbpf_arena *arena, const char **text,
		      size_t *len)
{
	struct utsname uts;
	char path[sizeof("/boot/config-") + sizeof(uts.release)];
	int err;

	if (ctx->kconfig) {
		*text = ctx->kconfig;
		*len = ctx->kconfig_len;
		return 0;
	}
	err = read_config(ctx, PROC_CONFIG_GZ, arena, text, len);
	if (!err || err == -ENOMEM)
		return err;
	if (ctx->sys.uname(ctx->sys.ctx, &uts) == 0) {
		uts.release[sizeof(uts.release) - 1] = 0;
		bbpf_snprintf(path, sizeof(path), "/boot/config-%s", uts.release);
		err = read_config(ctx, path, arena, text, len);
		if (!err || err == -ENOMEM)
			return err;
	}
	bbpf_log(&ctx->log, BBPF_LOG_WARN,
		 "kconfig: no kernel configuration found (tried %s and /boot/config-$(uname -r));"
		 " pass one with --kconfig FILE or the kconfig option", PROC_CONFIG_GZ);
	return -ENOENT;
}
