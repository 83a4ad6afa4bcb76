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

int bbpf_attach_tracepoint(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   struct bbpf_link *link)
{
	const struct bbpf_sys *sys = &ctx->sys;
	struct perf_event_attr attr;
	long pfd, err;
	int id;

	if (bbpf_tracefs_check_event(prog->attach_target)) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': section '%s': tracepoint must be \"category/name\"",
			 prog->name, prog->sec_name);
		return -EINVAL;
	}
	id = bbpf_tracefs_event_id(ctx, prog->attach_target);
	if (id < 0) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': tracepoint '%s': %s", prog->name, prog->attach_target,
			 id == -ENOENT ? "no such tracepoint (no id in tracefs)" :
			 id == -EBADMSG ? "tracefs gave no tracepoint id" : bbpf_err_name(id));
		return id;
	}

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
			 "program '%s': perf_event_open on tracepoint '%s' failed: %s", prog->name,
			 prog->attach_target, bbpf_err_name((int)pfd));
		return (int)pfd;
	}
	/*
	 * With a BPF link the link holds the event: closing is enough (and
	 * disabling would stop a pinned link). An ioctl attachment ends when
	 * the event is disabled and closed.
	 */
	err = bbpf_link_undo_add(link, ctx->feat.perf_link ? BBPF_UNDO_CLOSE : BBPF_UNDO_PERF_EVENT,
				 (int)pfd, 0, 0);
	if (err)
		return (int)err;
	if (ctx->feat.perf_link) {
		link->fd = bbpf_cmd_link_create(sys, prog_fd, (int)pfd, BPF_PERF_EVENT, NULL);
		err = link->fd < 0 ? link->fd : 0;
	} else {
		err = sys->ioctl(sys->ctx, (int)pfd, PERF_EVENT_IOC_SET_BPF, (unsigned long)prog_fd);
	}
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "program '%s': %s on tracepoint '%s' failed: %s",
			 prog->name, ctx->feat.perf_link ? "BPF_LINK_CREATE" : "PERF_EVENT_IOC_SET_BPF",
			 prog->attach_target, bbpf_err_name((int)err));
		return (int)err;
	}
	/* The event is created enabled; libbpf enables it anyway, and so do we. */
	err = sys->ioctl(sys->ctx, (int)pfd, PERF_EVENT_IOC_ENABLE, 0);
	if (err)
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': PERF_EVENT_IOC_ENABLE on tracepoint '%s' failed: %s",
			 prog->name, prog->attach_target, bbpf_err_name((int)err));
	return (int)err;
}
