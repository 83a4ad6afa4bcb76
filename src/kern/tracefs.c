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

int bbpf_tracefs_event_lookup(struct bbpf_ctx *ctx, const char *target)
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
	return ret;
}

int bbpf_tracefs_event_id(struct bbpf_ctx *ctx, const char *target)
{
	int ret = bbpf_tracefs_event_lookup(ctx, target);

	if (ret < 0)
		bbpf_log_warn(&ctx->log, "tracepoint", target, ret, "cannot read its id from "
			      "tracefs");
	return ret;
}

long bbpf_tracefs_open(const struct bbpf_sys *sys, const char *name, int flags)
{
	char path[128];
	size_t i;
	long fd = -ENOENT;
	int n;

	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]) && fd == -ENOENT; i++) {
		n = bbpf_snprintf(path, sizeof(path), "%s/%s", tracefs_roots[i], name);
		if (n < 0 || (size_t)n >= sizeof(path))
			return -ENAMETOOLONG;
		fd = sys->open(sys->ctx, path, flags | O_CLOEXEC, 0);
	}
	return fd;
}

/*
 * Probe event names. The kernel takes at most MAX_EVENT_NAME_LEN - 1 = 63
 * characters, letters, digits and '_'; libbpf 1.6+ names its events
 * "libbpf_<pid>_<counter>_<func>_0x<offset>" so that the unique part
 * survives truncation. Ours add the context (two contexts of one process
 * count separately) and are checked to be unused: writing an existing
 * name would append a probe to someone else's event (5.7+), and removing
 * ours would then remove theirs.
 */
#define PROBE_NAME_MAX	64
#define PROBE_NAME_TRIES	64

void bbpf_tracefs_name_fix(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			*s = '_';
}

int bbpf_tracefs_probe_name(struct bbpf_ctx *ctx, const char *group, const char *func,
			    uint64_t off, char *buf, size_t size)
{
	char target[sizeof("kretprobes/") + PROBE_NAME_MAX];
	unsigned int tag = (unsigned int)(((uintptr_t)ctx >> 4) & 0xffff);
	long pid = ctx->sys.getpid(ctx->sys.ctx);
	size_t i;
	int err;

	if (size < PROBE_NAME_MAX || strlen(group) > sizeof("kretprobes") - 1)
		return -EINVAL;
	for (i = 0; i < PROBE_NAME_TRIES; i++) {
		bbpf_snprintf(buf, PROBE_NAME_MAX, "bbpf_%ld_%x_%u_%s_0x%llx", pid < 0 ? 0 : pid, tag,
			      ctx->probe_seq++, func, (unsigned long long)off);
		bbpf_tracefs_name_fix(buf);
		bbpf_snprintf(target, sizeof(target), "%s/%s", group, buf);
		err = bbpf_tracefs_event_lookup(ctx, target);
		if (err == -ENOENT)
			return 0;
		if (err < 0 && err != -EBADMSG)
			return err;
		/* there is such an event (a leftover of an earlier process?): the next */
	}
	return -EEXIST;
}

static const char *const probe_files[] = {
	[BBPF_TRACEFS_KPROBE_EVENTS] = "kprobe_events",
	[BBPF_TRACEFS_UPROBE_EVENTS] = "uprobe_events",
};

int bbpf_tracefs_write(const struct bbpf_sys *sys, enum bbpf_tracefs_file file, const char *text,
		       size_t len)
{
	long fd, n;

	if ((unsigned int)file >= sizeof(probe_files) / sizeof(probe_files[0]))
		return -EINVAL;
	fd = bbpf_tracefs_open(sys, probe_files[file], O_WRONLY | O_APPEND);
	if (fd < 0)
		return (int)fd;
	/* One write per command: the kernel parses each write as whole lines. */
	n = sys->write(sys->ctx, (int)fd, text, len);
	sys->close(sys->ctx, (int)fd);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}
