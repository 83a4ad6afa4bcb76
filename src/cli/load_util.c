/* SPDX-License-Identifier: BSD-2-Clause */
/* see load_util.h */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "load_util.h"
#include "../base/fmt.h"

#define TRACEFS_MAGIC	0x74726163
#define TRACEFS_DIR	"/sys/kernel/tracing"
#define TRACEFS_OLD_DIR	"/sys/kernel/debug/tracing"

void bbpf_cli_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	static const char *const level_str[] = { "warning", "info", "debug" };
	struct bbpf_cli_obj *o = ctx;

	if (o && o->hold && level == BBPF_LOG_WARN)
		bbpf_snprintf(o->held, sizeof(o->held), "%s", msg);
	if (o && o->debug)
		bbpf_cli_err("%s: %s", (unsigned int)level < 3 ? level_str[level] : "log", msg);
	else if (level == BBPF_LOG_WARN && !(o && o->hold))
		bbpf_cli_err("%s", msg);
}

/* The whole file as a NUL-terminated string; NULL with errno set. */
static char *read_text(const char *path)
{
	size_t len = 0, cap = 64 << 10;
	char *buf, *nb;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		if (cap - len < 2) {
			if (cap >= BBPF_CLI_KCONFIG_MAX) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return NULL;
}

int bbpf_cli_obj_open(struct bbpf_cli_obj *o, const char *path, const char *kconfig_path,
		      const char *btf_path)
{
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE, .sec = BBPF_DIAG_NO_SEC };
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_open_opts oo = { 0 };
	int err;

	if (kconfig_path) {
		o->kconfig = read_text(kconfig_path);
		if (!o->kconfig) {
			bbpf_cli_err("%s: %s", kconfig_path, strerror(errno));
			return BBPF_CLI_EXIT_FAIL;
		}
	}
	co.log = bbpf_cli_log;
	co.log_ctx = o;
	co.kconfig = o->kconfig;
	co.btf_path = btf_path;	/* CO-RE target for kernels without /sys/kernel/btf/vmlinux */
	/* uprobe/usdt sections naming a bare library or program: searched as libbpf does */
	co.ld_library_path = getenv("LD_LIBRARY_PATH");
	co.exec_path = getenv("PATH");
	err = bbpf_ctx_new(&o->ctx, &co);
	if (err) {
		bbpf_cli_err("cannot create a context: %s", strerror(-err));
		return BBPF_CLI_EXIT_FAIL;
	}
	oo.log = bbpf_cli_log;
	oo.log_ctx = o;
	err = bbpf_object_open_file(&o->obj, path, &oo, &diag);
	if (err) {
		if (diag.why != BBPF_BAD_NONE)
			bbpf_cli_err("%s: %s (%s, offset 0x%llx)", path, strerror(-err),
				     bbpf_bad_str(diag.why), (unsigned long long)diag.off);
		else
			bbpf_cli_err("%s: %s", path, strerror(-err));
		o->obj = NULL;
		return BBPF_CLI_EXIT_FAIL;
	}
	return 0;
}

int bbpf_cli_obj_load(struct bbpf_cli_obj *o, const char *path)
{
	struct bbpf_load_opts lo = { .ctx = o->ctx };
	int err = bbpf_object_load(o->obj, &lo);

	if (err) {
		bbpf_cli_err("%s: loading failed: %s", path, strerror(-err));
		return BBPF_CLI_EXIT_FAIL;
	}
	return 0;
}

void bbpf_cli_obj_close(struct bbpf_cli_obj *o)
{
	bbpf_object_close(o->obj);
	o->obj = NULL;
	bbpf_ctx_free(o->ctx);
	o->ctx = NULL;
	free(o->kconfig);
	o->kconfig = NULL;
}

static bool is_tracefs(const char *dir)
{
	struct statfs st;

	return !statfs(dir, &st) && st.f_type == TRACEFS_MAGIC;
}

const char *bbpf_cli_tracefs(void)
{
	if (is_tracefs(TRACEFS_DIR))
		return TRACEFS_DIR;
	if (is_tracefs(TRACEFS_OLD_DIR))
		return TRACEFS_OLD_DIR;
	if (mount("tracefs", TRACEFS_DIR, "tracefs", 0, NULL) && errno != EBUSY) {
		bbpf_cli_err("cannot mount tracefs at %s: %s", TRACEFS_DIR, strerror(errno));
		return NULL;
	}
	if (!is_tracefs(TRACEFS_DIR)) {
		bbpf_cli_err("%s is not a tracefs mount", TRACEFS_DIR);
		return NULL;
	}
	return TRACEFS_DIR;
}
