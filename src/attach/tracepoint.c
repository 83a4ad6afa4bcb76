/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tp/ and tracepoint/ programs: the tracepoint id from tracefs, a perf event
 * on it, and the program attached to the event, the way libbpf does it
 * (bpf_program__attach_tracepoint_opts, with its cookie, and
 * bpf_program__attach_perf_event_opts).
 */
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"
#include "../base/fmt.h"

int bbpf_attach_tracepoint_to(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			      const char *target, uint64_t cookie, struct bbpf_link *link)
{
	struct bbpf_perf_attach pa = { .cookie = cookie };
	struct perf_event_attr attr;
	char what[256];
	long pfd;
	int id;

	if (bbpf_tracefs_check_event(target)) {
		bbpf_attach_warn(ctx, prog, 0, "tracepoint must be "
			      "\"category/name\"");
		return -EINVAL;
	}
	id = bbpf_tracefs_event_lookup(ctx, target);
	if (id < 0) {
		bbpf_attach_warn(ctx, prog, 0, "tracepoint '%s': %s", target,
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
	pfd = ctx->sys.perf_event_open(ctx->sys.ctx, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		bbpf_attach_warn(ctx, prog, (int)pfd, "perf_event_open on "
			      "tracepoint '%s' failed", target);
		return (int)pfd;
	}
	bbpf_snprintf(what, sizeof(what), "tracepoint '%s'", target);
	pa.what = what;
	return bbpf_attach_perf_fd(ctx, prog, prog_fd, (int)pfd, &pa, link);
}

int bbpf_attach_tracepoint(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   struct bbpf_link *link)
{
	if (bbpf_tracefs_check_event(prog->attach_target)) {
		bbpf_attach_warn(ctx, prog, 0, "section '%s': tracepoint must "
			      "be \"category/name\"", prog->sec_name);
		return -EINVAL;
	}
	return bbpf_attach_tracepoint_to(ctx, prog, prog_fd, prog->attach_target, 0, link);
}

struct tp_args {
	const char *target;
	uint64_t cookie;
};

static int attach_tp_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			 struct bbpf_link *link, const void *varg)
{
	const struct tp_args *a = varg;

	return bbpf_attach_tracepoint_to(ctx, prog, prog_fd, a->target, a->cookie, link);
}

int bbpf_program_attach_tracepoint(struct bbpf_program *prog, const char *category,
				   const char *name, const struct bbpf_tracepoint_opts *opts,
				   struct bbpf_link **out)
{
	struct tp_args a = { .cookie = opts ? opts->bpf_cookie : 0 };
	char target[256];
	int n;

	if (!category || !name)
		return bbpf_attach_api_fail(prog, -EINVAL, "tracepoint category and name needed");
	n = bbpf_snprintf(target, sizeof(target), "%s/%s", category, name);
	if (n < 0 || (size_t)n >= sizeof(target) || bbpf_tracefs_check_event(target))
		return bbpf_attach_api_fail(prog, -EINVAL, "not a tracepoint name");
	a.target = target;
	return bbpf_attach_api(prog, attach_tp_api, &a, out);
}
