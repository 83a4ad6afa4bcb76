/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_ATTACH_H
#define BAREBPF_ATTACH_H

/*
 * Attaching programs to what their section cannot name, and to what it can
 * with options: one function per kind, shaped like libbpf's
 * bpf_program__attach_*() and with its options' fields (without libbpf's
 * sz: these structs are the native API's; the libbpf-compatible layer
 * checks sz). Conventions as in loader.h; in addition:
 *  - every function returns 0 and a link in *out, or a negative errno with
 *    nothing left behind (no fd, no tracefs or netlink state, no qdisc);
 *  - a link undoes everything its attach made when destroyed (or when the
 *    object is closed, for the links bbpf_object_attach() holds), and never
 *    what it did not make (a qdisc or probe event that existed before);
 *  - opts may be NULL (all defaults).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <barebpf/loader.h>

/* How kprobes and uprobes are made (libbpf's enum probe_attach_mode). */
enum bbpf_probe_attach_mode {
	BBPF_PROBE_ATTACH_DEFAULT = 0,	/* the newest the kernel supports */
	BBPF_PROBE_ATTACH_LEGACY,	/* a tracefs probe event, perf_event_open on its id, ioctl */
	BBPF_PROBE_ATTACH_PERF,		/* the kprobe/uprobe PMU, attached by ioctl */
	BBPF_PROBE_ATTACH_LINK,		/* the PMU, attached through a BPF perf link (5.15+) */
};

/* ---- tracing ---- */

struct bbpf_tracepoint_opts {
	uint64_t bpf_cookie;
};
int bbpf_program_attach_tracepoint(struct bbpf_program *prog, const char *category,
				   const char *name, const struct bbpf_tracepoint_opts *opts,
				   struct bbpf_link **out);

struct bbpf_raw_tracepoint_opts {
	uint64_t cookie;
};
int bbpf_program_attach_raw_tracepoint(struct bbpf_program *prog, const char *name,
				       const struct bbpf_raw_tracepoint_opts *opts,
				       struct bbpf_link **out);

/* fentry/fexit/fmod_ret/tp_btf/freplace to the target fixed at load; lsm. */
struct bbpf_trace_opts {
	uint64_t cookie;
};
int bbpf_program_attach_trace(struct bbpf_program *prog, const struct bbpf_trace_opts *opts,
			      struct bbpf_link **out);
int bbpf_program_attach_lsm(struct bbpf_program *prog, struct bbpf_link **out);

/*
 * freplace: replace function attach_func_name of the loaded BPF program
 * target_fd (the load needs the same target: bbpf_program_set_attach_target).
 */
int bbpf_program_attach_freplace(struct bbpf_program *prog, int target_fd,
				 const char *attach_func_name, struct bbpf_link **out);

struct bbpf_iter_attach_opts {
	union bpf_iter_link_info *link_info;	/* e.g. a map fd for bpf_map_elem iterators */
	uint32_t link_info_len;
};
int bbpf_program_attach_iter(struct bbpf_program *prog, const struct bbpf_iter_attach_opts *opts,
			     struct bbpf_link **out);

struct bbpf_kprobe_opts {
	uint64_t bpf_cookie;
	size_t offset;		/* from the function's start */
	bool retprobe;
	enum bbpf_probe_attach_mode attach_mode;
};
int bbpf_program_attach_kprobe(struct bbpf_program *prog, const char *func_name,
			       const struct bbpf_kprobe_opts *opts, struct bbpf_link **out);

/* A system call's entry ("openat"), through the architecture's wrapper when the kernel has one. */
struct bbpf_ksyscall_opts {
	uint64_t bpf_cookie;
	bool retprobe;
};
int bbpf_program_attach_ksyscall(struct bbpf_program *prog, const char *syscall_name,
				 const struct bbpf_ksyscall_opts *opts, struct bbpf_link **out);

/* Several functions at once (BPF_TRACE_KPROBE_MULTI): a glob pattern, or syms/addrs. */
struct bbpf_kprobe_multi_opts {
	const char **syms;
	const unsigned long *addrs;
	const uint64_t *cookies;
	size_t cnt;		/* of syms/addrs/cookies */
	bool retprobe;
	bool session;		/* kprobe.session: entry and return in one program */
	bool unique_match;	/* the pattern must match exactly one function */
};
int bbpf_program_attach_kprobe_multi(struct bbpf_program *prog, const char *pattern,
				     const struct bbpf_kprobe_multi_opts *opts,
				     struct bbpf_link **out);

/*
 * binary_path: as libbpf 1.8 finds it (README "Uprobe and USDT targets"; a
 * bare name is searched with bbpf_ctx_opts.ld_library_path/.exec_path);
 * pid: 0 for this process, -1 (any negative) for all. func_offset is relative
 * to func_name when that is given, else a file offset. The uprobe PMU and a
 * BPF perf link where the kernel has them, else a tracefs probe and the
 * ioctls (README "Uprobe and USDT attach"). -ENOENT (no file, no symbol),
 * -ENOTUNIQ (an ambiguous name: give its version), -EOPNOTSUPP (a mode, a
 * semaphore or a cookie this kernel cannot do), the kernel's errors.
 */
struct bbpf_uprobe_opts {
	size_t ref_ctr_offset;	/* file offset of a USDT-style semaphore, 0 if none */
	uint64_t bpf_cookie;
	bool retprobe;
	const char *func_name;	/* "malloc", "malloc@@GLIBC_2.2.5", "malloc+4", "+0x40", or NULL */
	enum bbpf_probe_attach_mode attach_mode;
};
int bbpf_program_attach_uprobe(struct bbpf_program *prog, pid_t pid, const char *binary_path,
			       size_t func_offset, const struct bbpf_uprobe_opts *opts,
			       struct bbpf_link **out);

/*
 * One uprobe-multi link (6.6; a session, 6.13): func_pattern (a glob over
 * the file's function symbols) alone, or exactly one of syms/offsets with
 * cnt, and optionally ref_ctr_offsets and cookies (libbpf's rules; -EINVAL
 * otherwise). The program must have been loaded for it (uprobe.multi/,
 * uprobe.session/ sections).
 */
struct bbpf_uprobe_multi_opts {
	const char **syms;
	const unsigned long *offsets;
	const unsigned long *ref_ctr_offsets;
	const uint64_t *cookies;
	size_t cnt;
	bool retprobe;
	bool session;
};
int bbpf_program_attach_uprobe_multi(struct bbpf_program *prog, pid_t pid,
				     const char *binary_path, const char *func_pattern,
				     const struct bbpf_uprobe_multi_opts *opts,
				     struct bbpf_link **out);

/*
 * USDT probe usdt_provider:usdt_name of binary_path, for a program written
 * against libbpf's <bpf/usdt.bpf.h> (its __bpf_usdt_specs and
 * __bpf_usdt_ip_to_spec_id maps must be in the object: -ESRCH otherwise).
 * Every site of the probe, semaphores raised while attached; the object's
 * spec ids are shared by its USDT links and come back when a link goes.
 * Without BPF cookies (before 5.15) a PIE's or a library's sites need a pid.
 */
struct bbpf_usdt_opts {
	uint64_t usdt_cookie;	/* bpf_usdt_cookie() in the program */
};
int bbpf_program_attach_usdt(struct bbpf_program *prog, pid_t pid, const char *binary_path,
			     const char *usdt_provider, const char *usdt_name,
			     const struct bbpf_usdt_opts *opts, struct bbpf_link **out);

/*
 * A perf event the caller opened. pfd is borrowed: the link never closes
 * it (libbpf's link does). Through a BPF perf link (5.15+) destroying the
 * link detaches the program; attached by PERF_EVENT_IOC_SET_BPF
 * (force_ioctl_attach, older kernels) the kernel can only drop the program
 * with the event, so destroying the link disables the event and the
 * program goes when the caller closes pfd.
 */
struct bbpf_perf_event_opts {
	uint64_t bpf_cookie;
	bool force_ioctl_attach;
};
int bbpf_program_attach_perf_event(struct bbpf_program *prog, int pfd,
				   const struct bbpf_perf_event_opts *opts, struct bbpf_link **out);

/*
 * One program on a sampling perf event on every online CPU, as one link
 * (a profiler's setup; `barebpf run` attaches perf_event programs so):
 * attr (size set here) or, NULL, the software cpu-clock at freq Hz (0: 99).
 * The link holds every event (and BPF link) and undoes them all; it has no
 * single fd to pin (bbpf_link_pin: -EOPNOTSUPP; bbpf_link_fd: the last
 * event's with ioctl attachments, else -1). A CPU that goes offline between
 * reading /sys/devices/system/cpu/online and its perf_event_open is skipped.
 */
struct bbpf_perf_cpus_opts {
	const struct perf_event_attr *attr;
	uint64_t freq;
	uint64_t bpf_cookie;
	bool force_ioctl_attach;
};
int bbpf_program_attach_perf_event_cpus(struct bbpf_program *prog,
					const struct bbpf_perf_cpus_opts *opts,
					struct bbpf_link **out);

/* ---- network and cgroups ---- */

/* XDP through a BPF link (5.9+). */
int bbpf_program_attach_xdp(struct bbpf_program *prog, int ifindex, struct bbpf_link **out);

/*
 * XDP through netlink (libbpf's bpf_xdp_attach/detach/query); flags: XDP_FLAGS_*;
 * ctx NULL: a private default context. old_prog_fd (> 0) adds
 * XDP_FLAGS_REPLACE. The query asks for the one device (-ENODEV if there
 * is none) and for its XDP features from the "netdev" generic-netlink
 * family (0 on kernels without it, before 6.3).
 */
struct bbpf_xdp_opts {
	int old_prog_fd;	/* with XDP_FLAGS_REPLACE */
};
int bbpf_xdp_attach(struct bbpf_ctx *ctx, int ifindex, int prog_fd, uint32_t flags,
		    const struct bbpf_xdp_opts *opts);
int bbpf_xdp_detach(struct bbpf_ctx *ctx, int ifindex, uint32_t flags,
		    const struct bbpf_xdp_opts *opts);
struct bbpf_xdp_query {
	uint32_t prog_id, drv_prog_id, hw_prog_id, skb_prog_id;
	uint8_t attach_mode;	/* XDP_ATTACHED_* */
	uint64_t feature_flags;
};
int bbpf_xdp_query(struct bbpf_ctx *ctx, int ifindex, uint32_t flags, struct bbpf_xdp_query *out);

/*
 * XDP with flags: a BPF link (flags: at most one XDP_FLAGS_*_MODE). A kernel
 * without XDP links (before 5.9: LINK_CREATE fails with -EINVAL) attaches
 * through netlink with XDP_FLAGS_UPDATE_IF_NOEXIST added (a link never
 * replaces a program); so do XDP_FLAGS_REPLACE (with old_prog_fd),
 * XDP_FLAGS_UPDATE_IF_NOEXIST and netlink, with the flags as given. The
 * link detaches a netlink attachment by netlink, only while its program is
 * the one attached (XDP_FLAGS_REPLACE), through the socket of the attach
 * (its network namespace).
 */
struct bbpf_xdp_link_opts {
	uint32_t flags;		/* XDP_FLAGS_SKB_MODE, _DRV_MODE, _HW_MODE, _REPLACE ... */
	bool netlink;		/* force the netlink path (the link undoes it by netlink) */
	int old_prog_fd;	/* the program XDP_FLAGS_REPLACE replaces (> 0 with it, else 0) */
};
int bbpf_program_attach_xdp_opts(struct bbpf_program *prog, int ifindex,
				 const struct bbpf_xdp_link_opts *opts, struct bbpf_link **out);

/*
 * tcx (6.6+) and netkit: a link on the device's ingress/egress (the program's
 * attach type). flags: BPF_F_BEFORE, BPF_F_AFTER, BPF_F_ID, BPF_F_LINK (not in
 * 6.1 headers: 1 << 3, 1 << 4, 1 << 5, 1 << 13); relative_id adds BPF_F_ID.
 */
struct bbpf_tcx_opts {
	uint32_t flags;		/* BPF_F_BEFORE, BPF_F_AFTER, BPF_F_ID, BPF_F_LINK, ... */
	uint32_t relative_fd;
	uint32_t relative_id;
	uint64_t expected_revision;
};
int bbpf_program_attach_tcx(struct bbpf_program *prog, int ifindex,
			    const struct bbpf_tcx_opts *opts, struct bbpf_link **out);
int bbpf_program_attach_netkit(struct bbpf_program *prog, int ifindex,
			       const struct bbpf_tcx_opts *opts, struct bbpf_link **out);

/* Classic tc over netlink (libbpf's bpf_tc_* model, its checks); ctx NULL: a private context. */
enum bbpf_tc_attach_point {
	BBPF_TC_INGRESS = 1 << 0,
	BBPF_TC_EGRESS = 1 << 1,
	BBPF_TC_CUSTOM = 1 << 2,
};
struct bbpf_tc_hook {
	int ifindex;
	enum bbpf_tc_attach_point attach_point;
	uint32_t parent;	/* TC_H_MAKE(major, minor) with BBPF_TC_CUSTOM */
};
struct bbpf_tc_opts {
	int prog_fd;
	uint32_t flags;		/* BBPF_TC_F_REPLACE */
	uint32_t prog_id;
	uint32_t handle;
	uint32_t priority;
};
#define BBPF_TC_F_REPLACE 1u
/* clsact on the device; -EEXIST if there is one. */
int bbpf_tc_hook_create(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook);
/* Remove the clsact qdisc (ingress|egress) and everything on it. */
int bbpf_tc_hook_destroy(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook);
int bbpf_tc_attach(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook, struct bbpf_tc_opts *opts);
int bbpf_tc_detach(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook,
		   const struct bbpf_tc_opts *opts);
int bbpf_tc_query(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook, struct bbpf_tc_opts *opts);
/*
 * A link for classic tc: clsact made if missing (and removed on destroy only
 * if this attach made it and no filter is left on it), the filter added with
 * the kernel's handle and priority (and deleted on destroy). point: one of
 * BBPF_TC_INGRESS, BBPF_TC_EGRESS.
 */
int bbpf_program_attach_tc(struct bbpf_program *prog, int ifindex,
			   enum bbpf_tc_attach_point point, struct bbpf_link **out);

/*
 * A cgroup (fd of its directory): a BPF link (5.7+), else BPF_PROG_ATTACH
 * with BPF_F_ALLOW_MULTI, detached with BPF_PROG_DETACH by the link.
 */
int bbpf_program_attach_cgroup(struct bbpf_program *prog, int cgroup_fd, struct bbpf_link **out);

/* sk_lookup and flow_dissector: a link on a network namespace (fd of /proc/PID/ns/net). */
int bbpf_program_attach_netns(struct bbpf_program *prog, int netns_fd, struct bbpf_link **out);

/*
 * sk_msg/sk_skb programs on a sockmap or sockhash: a sockmap link (6.10+,
 * as libbpf 1.8); before that BPF_PROG_ATTACH to the map, which the link
 * detaches (BPF_PROG_DETACH).
 */
int bbpf_program_attach_sockmap(struct bbpf_program *prog, int map_fd, struct bbpf_link **out);

/* A socket filter on the caller's socket (SO_ATTACH_BPF; SO_DETACH_BPF on destroy). */
int bbpf_program_attach_socket(struct bbpf_program *prog, int sock_fd, struct bbpf_link **out);

struct bbpf_netfilter_opts {
	uint32_t pf;		/* NFPROTO_IPV4, ... */
	uint32_t hooknum;	/* NF_INET_LOCAL_IN, ... */
	int32_t priority;
	uint32_t flags;
};
int bbpf_program_attach_netfilter(struct bbpf_program *prog,
				  const struct bbpf_netfilter_opts *opts, struct bbpf_link **out);

/* ---- struct_ops ---- */

/*
 * Register a loaded struct_ops map (its value filled at load from the
 * object's member programs and data; libbpf's bpf_map__attach_struct_ops):
 * BPF_MAP_UPDATE_ELEM of element 0, then for a .struct_ops.link map
 * (BPF_F_LINK) a BPF_STRUCT_OPS link, whose release unregisters it (-EBUSY
 * from the update is fine there: the value is in already); a plain map is
 * registered by the update alone, and its link (no fd: bbpf_link_fd() is -1)
 * deletes element 0 when destroyed. -EINVAL if map is not a loaded
 * struct_ops map. bbpf_object_attach() registers every struct_ops map.
 */
int bbpf_map_attach_struct_ops(struct bbpf_map *map, struct bbpf_link **out);

/* ---- low-level program attach (libbpf's bpf_prog_attach/detach) ---- */

/*
 * target_fd: a cgroup, a sockmap, an ifindex (tcx), unused (flow dissector:
 * the current network namespace). ctx NULL: a private default context.
 */
int bbpf_prog_attach(struct bbpf_ctx *ctx, int prog_fd, int target_fd,
		     enum bpf_attach_type type, uint32_t flags);
/* prog_fd < 0: no program named, the kernel picks (tcx: the last one). */
int bbpf_prog_detach(struct bbpf_ctx *ctx, int prog_fd, int target_fd,
		     enum bpf_attach_type type);

/* ---- links ---- */

/* Replace the link's program (BPF_LINK_UPDATE). */
int bbpf_link_update_program(struct bbpf_link *link, const struct bbpf_program *prog);
/* Detach now (BPF_LINK_DETACH); the link stays to be destroyed. */
int bbpf_link_detach(struct bbpf_link *link);
int bbpf_link_unpin(struct bbpf_link *link);
/* BPF_OBJ_GET_INFO_BY_FD on the link; *len in: sizeof(*info), out: what the kernel filled. */
int bbpf_link_info(const struct bbpf_link *link, struct bpf_link_info *info, uint32_t *len);
/* The pin path, or NULL. */
const char *bbpf_link_pin_path(const struct bbpf_link *link);

#endif
