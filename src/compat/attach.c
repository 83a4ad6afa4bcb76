// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf_program__attach_*(): libbpf's options (sz-checked) translated into
 * the native ones of include/barebpf/attach.h, one call, the link wrapped.
 * Functions whose native side is not merged yet answer -EOPNOTSUPP through
 * pending.h.
 */
#include "compat.h"
#include "pending.h"

/* libbpf refuses to attach a program that is not loaded, before anything else. */
static int check_loaded(const struct bpf_program *prog)
{
	if (!prog)
		return -EINVAL;
	if (bbpf_program_fd(prog->p) < 0) {
		pr_warn("prog '%s': can't attach BPF program without FD (was it loaded?)\n",
			bbpf_program_name(prog->p));
		return -EINVAL;
	}
	return 0;
}

/* lp is read after the native call (an argument next to it) has filled it. */
static struct bpf_link *done(const struct bpf_program *prog, const char *what, int err,
			     struct bbpf_link **lp)
{
	if (err < 0) {
		pr_warn("prog '%s': failed to attach to %s: %s\n", bbpf_program_name(prog->p), what,
			strerror(-err));
		return bbpf_compat_errp(err);
	}
	return bbpf_compat_link_wrap(*lp);
}

#define CHECK(prog, opts, TYPE)							\
	do {									\
		int err_ = check_loaded(prog);					\
		if (!err_ && !BBPF_OPTS_VALID(opts, TYPE))			\
			err_ = -EINVAL;						\
		if (err_)							\
			return bbpf_compat_errp(err_);				\
	} while (0)

static enum bbpf_probe_attach_mode probe_mode(enum probe_attach_mode m)
{
	switch (m) {
	case PROBE_ATTACH_MODE_LEGACY:
		return BBPF_PROBE_ATTACH_LEGACY;
	case PROBE_ATTACH_MODE_PERF:
		return BBPF_PROBE_ATTACH_PERF;
	case PROBE_ATTACH_MODE_LINK:
		return BBPF_PROBE_ATTACH_LINK;
	default:
		return BBPF_PROBE_ATTACH_DEFAULT;
	}
}

/* ---- perf events ---- */

struct bpf_link *bpf_program__attach_perf_event_opts(const struct bpf_program *prog, int pfd,
						     const struct bpf_perf_event_opts *opts)
{
	struct bbpf_perf_event_opts o = {
		.bpf_cookie = BBPF_OPTS_GET(opts, bpf_cookie, 0),
		.force_ioctl_attach = BBPF_OPTS_GET(opts, force_ioctl_attach, false),
	};
	struct bbpf_link *l = NULL;
	struct bpf_link *link;
	int err;

	CHECK(prog, opts, bpf_perf_event_opts);
	if (pfd < 0)
		return bbpf_compat_errp(-EINVAL);
	err = bbpf_program_attach_perf_event(prog->p, pfd, &o, &l);
	link = done(prog, "perf event", err, &l);
	if (link)
		link->perf_fd = pfd;	/* libbpf's link owns the event: closed at destroy */
	return link;
}

struct bpf_link *bpf_program__attach_perf_event(const struct bpf_program *prog, int pfd)
{
	return bpf_program__attach_perf_event_opts(prog, pfd, NULL);
}

/* ---- kprobes ---- */

struct bpf_link *bpf_program__attach_kprobe_opts(const struct bpf_program *prog,
						 const char *func_name,
						 const struct bpf_kprobe_opts *opts)
{
	struct bbpf_kprobe_opts o = {
		.bpf_cookie = BBPF_OPTS_GET(opts, bpf_cookie, 0),
		.offset = BBPF_OPTS_GET(opts, offset, 0),
		.retprobe = BBPF_OPTS_GET(opts, retprobe, false),
		.attach_mode = probe_mode(BBPF_OPTS_GET(opts, attach_mode, PROBE_ATTACH_MODE_DEFAULT)),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_kprobe_opts);
	if (!func_name)
		return bbpf_compat_errp(-EINVAL);
	return done(prog, func_name, bbpf_program_attach_kprobe(prog->p, func_name, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_kprobe(const struct bpf_program *prog, bool retprobe,
					    const char *func_name)
{
	struct bpf_kprobe_opts opts = { .sz = sizeof(opts), .retprobe = retprobe };

	return bpf_program__attach_kprobe_opts(prog, func_name, &opts);
}

struct bpf_link *bpf_program__attach_kprobe_multi_opts(const struct bpf_program *prog,
						       const char *pattern,
						       const struct bpf_kprobe_multi_opts *opts)
{
	struct bbpf_kprobe_multi_opts o = {
		.syms = BBPF_OPTS_GET(opts, syms, NULL),
		.addrs = BBPF_OPTS_GET(opts, addrs, NULL),
		.cookies = (const uint64_t *)BBPF_OPTS_GET(opts, cookies, NULL),
		.cnt = BBPF_OPTS_GET(opts, cnt, 0),
		.retprobe = BBPF_OPTS_GET(opts, retprobe, false),
		.session = BBPF_OPTS_GET(opts, session, false),
		.unique_match = BBPF_OPTS_GET(opts, unique_match, false),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_kprobe_multi_opts);
	/* a pattern, or a list of symbols or of addresses (libbpf's rules) */
	if ((!pattern && !o.addrs && !o.syms) ||
	    (pattern && (o.addrs || o.syms || o.cookies || o.cnt)) || (!pattern && !o.cnt) ||
	    (o.addrs && o.syms))
		return bbpf_compat_errp(-EINVAL);
	return done(prog, pattern ? pattern : "kprobe.multi",
		    bbpf_program_attach_kprobe_multi(prog->p, pattern, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_ksyscall(const struct bpf_program *prog,
					      const char *syscall_name,
					      const struct bpf_ksyscall_opts *opts)
{
	struct bbpf_ksyscall_opts o = {
		.bpf_cookie = BBPF_OPTS_GET(opts, bpf_cookie, 0),
		.retprobe = BBPF_OPTS_GET(opts, retprobe, false),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_ksyscall_opts);
	if (!syscall_name)
		return bbpf_compat_errp(-EINVAL);
	return done(prog, syscall_name,
		    bbpf_program_attach_ksyscall(prog->p, syscall_name, &o, &l), &l);
}

/* ---- uprobes and USDT ---- */

struct bpf_link *bpf_program__attach_uprobe_opts(const struct bpf_program *prog, pid_t pid,
						 const char *binary_path, size_t func_offset,
						 const struct bpf_uprobe_opts *opts)
{
	struct bbpf_uprobe_opts o = {
		.ref_ctr_offset = BBPF_OPTS_GET(opts, ref_ctr_offset, 0),
		.bpf_cookie = BBPF_OPTS_GET(opts, bpf_cookie, 0),
		.retprobe = BBPF_OPTS_GET(opts, retprobe, false),
		.func_name = BBPF_OPTS_GET(opts, func_name, NULL),
		.attach_mode = probe_mode(BBPF_OPTS_GET(opts, attach_mode, PROBE_ATTACH_MODE_DEFAULT)),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_uprobe_opts);
	if (!binary_path)
		return bbpf_compat_errp(-EINVAL);
	return done(prog, binary_path,
		    bbpf_program_attach_uprobe(prog->p, pid, binary_path, func_offset, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_uprobe(const struct bpf_program *prog, bool retprobe,
					    pid_t pid, const char *binary_path, size_t func_offset)
{
	struct bpf_uprobe_opts opts = { .sz = sizeof(opts), .retprobe = retprobe };

	return bpf_program__attach_uprobe_opts(prog, pid, binary_path, func_offset, &opts);
}

struct bpf_link *bpf_program__attach_uprobe_multi(const struct bpf_program *prog, pid_t pid,
						  const char *binary_path, const char *func_pattern,
						  const struct bpf_uprobe_multi_opts *opts)
{
	struct bbpf_uprobe_multi_opts o = {
		.syms = BBPF_OPTS_GET(opts, syms, NULL),
		.offsets = BBPF_OPTS_GET(opts, offsets, NULL),
		.ref_ctr_offsets = BBPF_OPTS_GET(opts, ref_ctr_offsets, NULL),
		.cookies = (const uint64_t *)BBPF_OPTS_GET(opts, cookies, NULL),
		.cnt = BBPF_OPTS_GET(opts, cnt, 0),
		.retprobe = BBPF_OPTS_GET(opts, retprobe, false),
		.session = BBPF_OPTS_GET(opts, session, false),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_uprobe_multi_opts);
	/* a pattern, or a list of symbols or of offsets (libbpf's rules) */
	if (!binary_path || (!func_pattern && !o.cnt) ||
	    (func_pattern && (o.syms || o.offsets || o.ref_ctr_offsets || o.cookies || o.cnt)) ||
	    (!func_pattern && !!o.syms == !!o.offsets))
		return bbpf_compat_errp(-EINVAL);
	return done(prog, binary_path,
		    bbpf_program_attach_uprobe_multi(prog->p, pid, binary_path, func_pattern, &o,
						     &l), &l);
}

struct bpf_link *bpf_program__attach_usdt(const struct bpf_program *prog, pid_t pid,
					  const char *binary_path, const char *usdt_provider,
					  const char *usdt_name, const struct bpf_usdt_opts *opts)
{
	struct bbpf_usdt_opts o = { .usdt_cookie = BBPF_OPTS_GET(opts, usdt_cookie, 0) };
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_usdt_opts);
	if (!binary_path || !usdt_provider || !usdt_name)
		return bbpf_compat_errp(-EINVAL);
	return done(prog, usdt_name,
		    bbpf_program_attach_usdt(prog->p, pid, binary_path, usdt_provider, usdt_name,
					     &o, &l), &l);
}

/* ---- tracepoints and BTF-typed tracing ---- */

struct bpf_link *bpf_program__attach_tracepoint_opts(const struct bpf_program *prog,
						     const char *tp_category, const char *tp_name,
						     const struct bpf_tracepoint_opts *opts)
{
	struct bbpf_tracepoint_opts o = { .bpf_cookie = BBPF_OPTS_GET(opts, bpf_cookie, 0) };
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_tracepoint_opts);
	if (!tp_category || !tp_name)
		return bbpf_compat_errp(-EINVAL);
	return done(prog, tp_name,
		    bbpf_program_attach_tracepoint(prog->p, tp_category, tp_name, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_tracepoint(const struct bpf_program *prog,
						const char *tp_category, const char *tp_name)
{
	return bpf_program__attach_tracepoint_opts(prog, tp_category, tp_name, NULL);
}

struct bpf_link *bpf_program__attach_raw_tracepoint_opts(const struct bpf_program *prog,
							 const char *tp_name,
							 struct bpf_raw_tracepoint_opts *opts)
{
	struct bbpf_raw_tracepoint_opts o = { .cookie = BBPF_OPTS_GET(opts, cookie, 0) };
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_raw_tracepoint_opts);
	if (!tp_name)
		return bbpf_compat_errp(-EINVAL);
	return done(prog, tp_name,
		    bbpf_program_attach_raw_tracepoint(prog->p, tp_name, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_raw_tracepoint(const struct bpf_program *prog,
						    const char *tp_name)
{
	return bpf_program__attach_raw_tracepoint_opts(prog, tp_name, NULL);
}

struct bpf_link *bpf_program__attach_trace_opts(const struct bpf_program *prog,
						const struct bpf_trace_opts *opts)
{
	struct bbpf_trace_opts o = { .cookie = BBPF_OPTS_GET(opts, cookie, 0) };
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_trace_opts);
	return done(prog, "its BTF target", bbpf_program_attach_trace(prog->p, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_trace(const struct bpf_program *prog)
{
	return bpf_program__attach_trace_opts(prog, NULL);
}

struct bpf_link *bpf_program__attach_lsm(const struct bpf_program *prog)
{
	struct bbpf_link *l = NULL;
	int err = check_loaded(prog);

	if (err)
		return bbpf_compat_errp(err);
	return done(prog, "its LSM hook", bbpf_program_attach_lsm(prog->p, &l), &l);
}

struct bpf_link *bpf_program__attach_freplace(const struct bpf_program *prog, int target_fd,
					      const char *attach_func_name)
{
	struct bbpf_link *l = NULL;
	int err = check_loaded(prog);

	if (err)
		return bbpf_compat_errp(err);
	if (!!target_fd != !!attach_func_name) {
		pr_warn("prog '%s': supply none or both of target_fd and attach_func_name\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_errp(-EINVAL);
	}
	return done(prog, attach_func_name ? attach_func_name : "its target",
		    bbpf_program_attach_freplace(prog->p, target_fd, attach_func_name, &l), &l);
}

struct bpf_link *bpf_program__attach_iter(const struct bpf_program *prog,
					  const struct bpf_iter_attach_opts *opts)
{
	struct bbpf_iter_attach_opts o = {
		.link_info = BBPF_OPTS_GET(opts, link_info, NULL),
		.link_info_len = BBPF_OPTS_GET(opts, link_info_len, 0),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_iter_attach_opts);
	return done(prog, "its iterator", bbpf_program_attach_iter(prog->p, &o, &l), &l);
}

/* ---- network, cgroups, struct_ops ---- */

struct bpf_link *bpf_program__attach_cgroup(const struct bpf_program *prog, int cgroup_fd)
{
	struct bbpf_link *l = NULL;
	int err = check_loaded(prog);

	if (err)
		return bbpf_compat_errp(err);
	return done(prog, "cgroup", bbpf_program_attach_cgroup(prog->p, cgroup_fd, &l), &l);
}

struct bpf_link *bpf_program__attach_netns(const struct bpf_program *prog, int netns_fd)
{
	struct bbpf_link *l = NULL;
	int err = check_loaded(prog);

	if (err)
		return bbpf_compat_errp(err);
	return done(prog, "netns", bbpf_program_attach_netns(prog->p, netns_fd, &l), &l);
}

struct bpf_link *bpf_program__attach_sockmap(const struct bpf_program *prog, int map_fd)
{
	struct bbpf_link *l = NULL;
	int err = check_loaded(prog);

	if (err)
		return bbpf_compat_errp(err);
	return done(prog, "sockmap", bbpf_program_attach_sockmap(prog->p, map_fd, &l), &l);
}

struct bpf_link *bpf_program__attach_xdp(const struct bpf_program *prog, int ifindex)
{
	struct bbpf_link *l = NULL;
	int err = check_loaded(prog);

	if (err)
		return bbpf_compat_errp(err);
	return done(prog, "xdp", bbpf_program_attach_xdp(prog->p, ifindex, &l), &l);
}

struct bpf_link *bpf_program__attach_netfilter(const struct bpf_program *prog,
					       const struct bpf_netfilter_opts *opts)
{
	struct bbpf_netfilter_opts o = {
		.pf = BBPF_OPTS_GET(opts, pf, 0),
		.hooknum = BBPF_OPTS_GET(opts, hooknum, 0),
		.priority = BBPF_OPTS_GET(opts, priority, 0),
		.flags = BBPF_OPTS_GET(opts, flags, 0),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_netfilter_opts);
	return done(prog, "netfilter", bbpf_program_attach_netfilter(prog->p, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_tcx(const struct bpf_program *prog, int ifindex,
					 const struct bpf_tcx_opts *opts)
{
	struct bbpf_tcx_opts o = {
		.flags = BBPF_OPTS_GET(opts, flags, 0),
		.relative_fd = BBPF_OPTS_GET(opts, relative_fd, 0),
		.relative_id = BBPF_OPTS_GET(opts, relative_id, 0),
		.expected_revision = BBPF_OPTS_GET(opts, expected_revision, 0),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_tcx_opts);
	if (!ifindex) {
		pr_warn("prog '%s': target netdevice ifindex cannot be zero\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_errp(-EINVAL);
	}
	return done(prog, "tcx", bbpf_program_attach_tcx(prog->p, ifindex, &o, &l), &l);
}

struct bpf_link *bpf_program__attach_netkit(const struct bpf_program *prog, int ifindex,
					    const struct bpf_netkit_opts *opts)
{
	struct bbpf_tcx_opts o = {
		.flags = BBPF_OPTS_GET(opts, flags, 0),
		.relative_fd = BBPF_OPTS_GET(opts, relative_fd, 0),
		.relative_id = BBPF_OPTS_GET(opts, relative_id, 0),
		.expected_revision = BBPF_OPTS_GET(opts, expected_revision, 0),
	};
	struct bbpf_link *l = NULL;

	CHECK(prog, opts, bpf_netkit_opts);
	if (!ifindex) {
		pr_warn("prog '%s': target netdevice ifindex cannot be zero\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_errp(-EINVAL);
	}
	return done(prog, "netkit", bbpf_program_attach_netkit(prog->p, ifindex, &o, &l), &l);
}

struct bpf_link *bpf_map__attach_struct_ops(const struct bpf_map *map)
{
	struct bbpf_link *l = NULL;
	int err;

	if (!map)
		return bbpf_compat_errp(-EINVAL);
	if (bbpf_map_fd(map->m) < 0) {
		pr_warn("map '%s': can't attach BPF map without FD (was it created?)\n",
			bbpf_map_name(map->m));
		return bbpf_compat_errp(-EINVAL);
	}
	err = bbpf_map_attach_struct_ops(map->m, &l);
	if (err < 0) {
		pr_warn("map '%s': failed to attach struct_ops: %s\n", bbpf_map_name(map->m),
			strerror(-err));
		return bbpf_compat_errp(err);
	}
	return bbpf_compat_link_wrap(l);
}
