/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracefs: event ids (events/<category>/<name>/id) and the probe event
 * files (kprobe_events, uprobe_events), at /sys/kernel/tracing or, on
 * systems that only mount it there, /sys/kernel/debug/tracing. Every access
 * goes through the syscall table.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include "kern.h"
#include "../base/fmt.h"

/* "category/name". Real ones are far shorter; this bounds the tracefs path. */
#define TP_NAME_MAX	192
/* An id is a decimal int and a newline. */
#define TP_ID_FILE_MAX	32

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",	/* kernels or systems without a tracefs mount there */
};

static bool is_dot_or_dotdot(const char *s, size_t len)
{
	return (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

/*
 * The target comes from a section name, i.e. from the object file: it must
 * name exactly one directory below events/, never walk out of it.
 */
int bbpf_tracefs_check_event(const char *target)
{
	const char *slash, *p;
	size_t len;

	if (!target)
		return -EINVAL;
	len = strnlen(target, TP_NAME_MAX + 1);
	if (len == 0 || len > TP_NAME_MAX)
		return -EINVAL;
	slash = strchr(target, '/');
	if (!slash || slash == target || !slash[1] || strchr(slash + 1, '/'))
		return -EINVAL;
	if (is_dot_or_dotdot(target, (size_t)(slash - target)) ||
	    is_dot_or_dotdot(slash + 1, strlen(slash + 1)))
		return -EINVAL;
	/* No control, space or non-ASCII byte, and no ".." anywhere. */
	for (p = target; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    (p[0] == '.' && p[1] == '.'))
			return -EINVAL;
	return 0;
}

static int parse_id(const char *s, size_t len)
{
	unsigned long v = 0;
	size_t i;

	if (len && s[len - 1] == '\n')
		len--;
	if (!len)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EBADMSG;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > INT_MAX)
			return -EBADMSG;
	}
	return v ? (int)v : -EBADMSG;
}

static int read_id(struct bbpf_ctx *ctx, const char *root, const char *target)
{
	char path[sizeof("/sys/kernel/debug/tracing/events/") + TP_NAME_MAX + sizeof("/id")];
	struct bbpf_arena tmp;
	char *text;
	size_t len;
	int ret;

	ret = bbpf_snprintf(path, sizeof(path), "%s/events/%s/id", root, target);
	if (ret < 0 || (size_t)ret >= sizeof(path))
		return -ENAMETOOLONG;
	bbpf_arena_init(&tmp, &ctx->alloc, 64 * 1024);
	ret = bbpf_sys_read_file(ctx, path, &tmp, TP_ID_FILE_MAX, &text, &len);
	if (!ret) {
		ret = parse_id(text, len);
		if (ret < 0)
			bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "%s: not a tracepoint id", path);
	}
	bbpf_arena_free(&tmp);
	return ret;
}

int bbpf_tracefs_event_id(struct bbpf_ctx *ctx, const char *target)
{
	size_t i;
	int ret = -ENOENT;

	if (bbpf_tracefs_check_event(target))
		return -EINVAL;
	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		ret = read_id(ctx, tracefs_roots[i], target);
		/* Only a missing file means "try the other mount point". */
		if (ret != -ENOENT)
			break;
	}
	return ret;	/* the caller says which program wanted it */
}

static const char *const probe_files[] = {
	[BBPF_TRACEFS_KPROBE_EVENTS] = "kprobe_events",
	[BBPF_TRACEFS_UPROBE_EVENTS] = "uprobe_events",
};

int bbpf_tracefs_write(const struct bbpf_sys *sys, enum bbpf_tracefs_file file, const char *text,
		       size_t len)
{
	char path[64];
	size_t i;
	long fd = -ENOENT, n;

	if ((unsigned int)file >= sizeof(probe_files) / sizeof(probe_files[0]))
		return -EINVAL;
	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]) && fd == -ENOENT; i++) {
		bbpf_snprintf(path, sizeof(path), "%s/%s", tracefs_roots[i], probe_files[file]);
		fd = sys->open(sys->ctx, path, O_WRONLY | O_APPEND | O_CLOEXEC, 0);
	}
	if (fd < 0)
		return (int)fd;
	/* One write per command: the kernel parses each write as whole lines. */
	n = sys->write(sys->ctx, (int)fd, text, len);
	sys->close(sys->ctx, (int)fd);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}
