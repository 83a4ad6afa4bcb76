/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tp/ and tracepoint/ programs: the tracepoint id from tracefs, a perf event
 * on it, and the program attached to the event, the way libbpf 1.1 does it
 * (bpf_program__attach_tracepoint_opts and bpf_program__attach_perf_event_opts).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"
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
int bbpf_tp_check_name(const char *target)
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
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: not a tracepoint id", path);
	}
	bbpf_arena_free(&tmp);
	return ret;
}

int bbpf_tp_id(struct bbpf_ctx *ctx, const char *target)
{
	size_t i;
	int ret = -ENOENT;

	if (bbpf_tp_check_name(target))
		return -EINVAL;
	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		ret = read_id(ctx, tracefs_roots[i], target);
		/* Only a missing file means "try the other mount point". */
		if (ret != -ENOENT)
			break;
	}
	if (ret < 0)
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "tracepoint '%s': cannot read its id from tracefs: error %s", target, bbpf_err_name(ret));
	return ret;
}

int bbpf_attach_tracepoint(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			   struct bbpf_attach_res *res)
{
	const struct bbpf_sys *sys = &ctx->sys;
	struct perf_event_attr attr;
	long pfd, err;
	int id, lfd = -1;

	if (bbpf_tp_check_name(prog->attach_target)) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': section '%s': tracepoint must be \"category/name\"",
			 prog->name, prog->sec_name);
		return -EINVAL;
	}
	id = bbpf_tp_id(ctx, prog->attach_target);
	if (id < 0)
		return id;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = (uint64_t)id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	/* With a BPF program the event fires on every CPU; cpu 0 is only where it is owned. */
	pfd = sys->perf_event_open(sys->ctx, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': perf_event_open on tracepoint '%s' failed: %ld", prog->name,
			 prog->attach_target, pfd);
		return (int)pfd;
	}
	if (ctx->feat.perf_link) {
		lfd = bbpf_cmd_link_create(sys, prog->fd, (int)pfd, BPF_PERF_EVENT, NULL);
		err = lfd < 0 ? lfd : 0;
	} else {
		err = sys->ioctl(sys->ctx, (int)pfd, PERF_EVENT_IOC_SET_BPF, (unsigned long)prog->fd);
	}
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "program '%s': %s on tracepoint '%s' failed: %ld",
			 prog->name, ctx->feat.perf_link ? "BPF_LINK_CREATE" : "PERF_EVENT_IOC_SET_BPF",
			 prog->attach_target, err);
		goto fail;
	}
	/* The event is created enabled; libbpf enables it anyway, and so do we. */
	err = sys->ioctl(sys->ctx, (int)pfd, PERF_EVENT_IOC_ENABLE, 0);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': PERF_EVENT_IOC_ENABLE on tracepoint '%s' failed: %ld",
			 prog->name, prog->attach_target, err);
		goto fail;
	}
	if (lfd >= 0)
		*res = (struct bbpf_attach_res){ BBPF_LINK_BPF, lfd, (int)pfd };
	else
		*res = (struct bbpf_attach_res){ BBPF_LINK_PERF_IOCTL, (int)pfd, (int)pfd };
	return 0;
fail:
	if (lfd >= 0)
		sys->close(sys->ctx, lfd);
	sys->close(sys->ctx, (int)pfd);
	return (int)err;
}
