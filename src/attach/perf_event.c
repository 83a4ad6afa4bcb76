/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Programs on perf events, the way libbpf 1.8's
 * bpf_program__attach_perf_event_opts() attaches them: a BPF perf link
 * (BPF_LINK_CREATE, BPF_PERF_EVENT, 5.15+, with the cookie), or
 * PERF_EVENT_IOC_SET_BPF (no cookie possible); then PERF_EVENT_IOC_ENABLE.
 * The tracepoint and kprobe kinds attach their events through
 * bbpf_attach_perf_fd(); here also the public calls for a caller's event
 * and for a sampling event on every online CPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"

int bbpf_attach_perf_fd(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			int pfd, const struct bbpf_perf_attach *pa, struct bbpf_link *link)
{
	const struct bbpf_sys *sys = &ctx->sys;
	bool use_link = ctx->feat.perf_link && !pa->force_ioctl;
	const char *how = use_link ? BBPF_MSGZ_STR("BPF_LINK_CREATE") : BBPF_MSGZ_STR("PERF_EVENT_IOC_SET_BPF");
	union bpf_attr extra;
	long err = 0;
	int lfd;

	/*
	 * An event we opened is the link's from now on: with a BPF link, which
	 * holds the event itself, closing is enough (disabling would stop a
	 * pinned link too); attached by ioctl, it is disabled, then closed.
	 */
	if (!pa->borrowed)
		err = bbpf_link_undo_add(link, use_link ? BBPF_UNDO_CLOSE : BBPF_UNDO_PERF_EVENT,
					 pfd, 0, 0);
	if (err) {
		how = BBPF_MSGZ_STR("recording the event in the link");
		goto fail;
	}
	if (use_link) {
		memset(&extra, 0, sizeof(extra));
		extra.link_create.perf_event.bpf_cookie = pa->cookie;
		lfd = bbpf_cmd_link_create(sys, prog_fd, pfd, BPF_PERF_EVENT, &extra);
		err = lfd < 0 ? lfd : 0;
		if (!err && (pa->link_fd_in_undo || link->fd >= 0))
			err = bbpf_link_undo_add(link, BBPF_UNDO_CLOSE, lfd, 0, 0);
		else if (!err)
			link->fd = lfd;
	} else if (pa->cookie) {
		bbpf_attach_warn(ctx, prog, 0, "%s: a cookie needs a BPF perf "
			      "link (kernel 5.15+)", pa->what);
		return -EOPNOTSUPP;
	} else {
		err = sys->ioctl(sys->ctx, pfd, PERF_EVENT_IOC_SET_BPF, (unsigned long)prog_fd);
		/* the caller's event: detached by disabling it, as it stays open */
		if (!err && pa->borrowed)
			err = bbpf_link_undo_add(link, BBPF_UNDO_PERF_EVENT, pfd, 1, 0);
	}
	if (err)
		goto fail;
	/* Created enabled or not, libbpf enables it, and so do we. */
	how = BBPF_MSGZ_STR("PERF_EVENT_IOC_ENABLE");
	err = sys->ioctl(sys->ctx, pfd, PERF_EVENT_IOC_ENABLE, 0);
	if (!err)
		return 0;
fail:
	bbpf_attach_warn(ctx, prog, (int)err, "%s on %s failed", how, pa->what);
	return (int)err;
}

int bbpf_probe_mode(const struct bbpf_ctx *ctx, enum bbpf_probe_attach_mode mode, bool *legacy,
		    struct bbpf_perf_attach *pa)
{
	switch (mode) {
	case BBPF_PROBE_ATTACH_DEFAULT:
		return 0;
	case BBPF_PROBE_ATTACH_LEGACY:
		*legacy = true;
		break;
	case BBPF_PROBE_ATTACH_PERF:
		if (*legacy)
			return -EOPNOTSUPP;
		break;
	case BBPF_PROBE_ATTACH_LINK:
		return *legacy || !ctx->feat.perf_link ? -EOPNOTSUPP : 0;
	default:
		return -EINVAL;
	}
	pa->force_ioctl = true;
	return 0;
}

/* ---- a caller's perf event ---- */

struct pe_args {
	int pfd;
	const struct bbpf_perf_event_opts *opts;
};

static int attach_caller_pfd(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link, const void *varg)
{
	const struct pe_args *a = varg;
	struct bbpf_perf_attach pa = { .what = "perf event", .borrowed = true };

	if (a->opts) {
		pa.cookie = a->opts->bpf_cookie;
		pa.force_ioctl = a->opts->force_ioctl_attach;
	}
	return bbpf_attach_perf_fd(ctx, prog, prog_fd, a->pfd, &pa, link);
}

int bbpf_program_attach_perf_event(struct bbpf_program *prog, int pfd,
				   const struct bbpf_perf_event_opts *opts, struct bbpf_link **out)
{
	struct pe_args a = { pfd, opts };

	if (pfd < 0)
		return bbpf_attach_api_fail(prog, -EINVAL, "invalid perf event fd");
	return bbpf_attach_api(prog, attach_caller_pfd, &a, out);
}

/* ---- a sampling event on every online CPU, one link ---- */

#define ONLINE_PATH	"/sys/devices/system/cpu/online"
#define DEFAULT_FREQ	99	/* Hz, perf's and profile tools' usual rate */

static int attach_cpus(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link, const void *varg)
{
	const struct bbpf_perf_cpus_opts *opts = varg;
	struct bbpf_perf_attach pa = { .what = "per-CPU perf event", .link_fd_in_undo = true };
	struct perf_event_attr attr;
	struct bbpf_arena tmp;
	uint8_t *online;
	int cpu, ncpu, attached = 0, err;
	long pfd;

	memset(&attr, 0, sizeof(attr));
	if (opts && opts->attr) {
		attr = *opts->attr;
	} else {
		attr.type = PERF_TYPE_SOFTWARE;
		attr.config = PERF_COUNT_SW_CPU_CLOCK;
		attr.freq = 1;
		attr.sample_freq = opts && opts->freq ? opts->freq : DEFAULT_FREQ;
	}
	attr.size = sizeof(attr);
	if (opts) {
		pa.cookie = opts->bpf_cookie;
		pa.force_ioctl = opts->force_ioctl_attach;
	}
	bbpf_arena_init(&tmp, &ctx->alloc, 1 << 20);
	err = bbpf_sys_cpu_mask(ctx, ONLINE_PATH, &tmp, &online, &ncpu);
	if (err)
		bbpf_attach_warn(ctx, prog, err, "no list of online CPUs");
	for (cpu = 0; !err && cpu < ncpu; cpu++) {
		if (!online[cpu])
			continue;
		pfd = ctx->sys.perf_event_open(ctx->sys.ctx, &attr, -1, cpu, -1,
					       PERF_FLAG_FD_CLOEXEC);
		if (pfd == -ENODEV)
			continue;	/* went offline since the list was read */
		if (pfd < 0) {
			err = (int)pfd;
			bbpf_attach_warn(ctx, prog, err, "perf_event_open "
				      "(type %u config %llu) on cpu %d failed", attr.type,
				      (unsigned long long)attr.config, cpu);
			break;
		}
		err = bbpf_attach_perf_fd(ctx, prog, prog_fd, (int)pfd, &pa, link);
		attached++;
	}
	bbpf_arena_free(&tmp);
	if (!err && !attached) {
		bbpf_attach_warn(ctx, prog, 0, "no online CPU to attach to");
		err = -ENODEV;
	}
	return err;
}

int bbpf_program_attach_perf_event_cpus(struct bbpf_program *prog,
					const struct bbpf_perf_cpus_opts *opts,
					struct bbpf_link **out)
{
	return bbpf_attach_api(prog, attach_cpus, opts, out);
}
