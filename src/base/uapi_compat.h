/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel UAPI values newer than the system's <linux/bpf.h> (Debian 12 ships
 * 6.1 headers). Written from the kernel's documented ABI; each value is
 * guarded so newer headers win.
 *
 * How the guarding works. Prog, map and attach types are enumerators in
 * <linux/bpf.h>, not macros, so "#ifndef BPF_TCX_INGRESS" cannot tell
 * whether the header has them, and redefining an enumerator as a macro
 * breaks the header's own enum when it is newer. So every such value gets
 * the kernel's name with "BPF_" replaced by "BBPF_" (BPF_TCX_INGRESS ->
 * BBPF_TCX_INGRESS): it never collides with any header version, and since
 * these enums are append-only ABI, the number is the one a newer header
 * would give. Code uses the BBPF_ name for anything listed here and the
 * kernel name for everything older. They are plain ints: store them in the
 * enum-typed fields freely, but switch on (int)value, because gcc's -Wswitch
 * rejects case labels outside a 6.1 enum. Flags, which the kernel defines
 * as macros, keep their kernel name under #ifndef.
 *
 * The _Static_asserts pin the last enumerator of each 6.1 enum, the
 * neighbour the numbering below continues from.
 *
 * Values checked against upstream include/uapi/linux/bpf.h (Linux 7.0).
 */
#ifndef BBPF_UAPI_COMPAT_H
#define BBPF_UAPI_COMPAT_H

#include <stddef.h>
#include <linux/bpf.h>

_Static_assert(BPF_PROG_TYPE_SYSCALL == 31, "enum bpf_prog_type ABI");
_Static_assert(BPF_MAP_TYPE_USER_RINGBUF == 31, "enum bpf_map_type ABI");
_Static_assert(BPF_LSM_CGROUP == 43, "enum bpf_attach_type ABI");

/* enum bpf_prog_type */
#define BBPF_PROG_TYPE_NETFILTER	32	/* 6.4 */

/* enum bpf_map_type */
#define BBPF_MAP_TYPE_CGRP_STORAGE	32	/* 6.2 */
#define BBPF_MAP_TYPE_ARENA		33	/* 6.9 */
#define BBPF_MAP_TYPE_INSN_ARRAY	34	/* 6.19 */

/* enum bpf_attach_type */
#define BBPF_STRUCT_OPS			44	/* 6.4 */
#define BBPF_NETFILTER			45	/* 6.4 */
#define BBPF_TCX_INGRESS		46	/* 6.6 */
#define BBPF_TCX_EGRESS			47	/* 6.6 */
#define BBPF_TRACE_UPROBE_MULTI		48	/* 6.6 */
#define BBPF_CGROUP_UNIX_CONNECT	49	/* 6.7 */
#define BBPF_CGROUP_UNIX_SENDMSG	50	/* 6.7 */
#define BBPF_CGROUP_UNIX_RECVMSG	51	/* 6.7 */
#define BBPF_CGROUP_UNIX_GETPEERNAME	52	/* 6.7 */
#define BBPF_CGROUP_UNIX_GETSOCKNAME	53	/* 6.7 */
#define BBPF_NETKIT_PRIMARY		54	/* 6.7 */
#define BBPF_NETKIT_PEER		55	/* 6.7 */
#define BBPF_TRACE_KPROBE_SESSION	56	/* 6.10 */
#define BBPF_TRACE_UPROBE_SESSION	57	/* 6.13 */
#define BBPF_TRACE_FSESSION		58	/* 7.0 */

/* Multi-program attach flags (tcx, netkit: 6.6) */
#ifndef BPF_F_BEFORE
#define BPF_F_BEFORE			(1U << 3)
#define BPF_F_AFTER			(1U << 4)
#define BPF_F_ID			(1U << 5)
#define BPF_F_LINK			(1U << 13)
#endif

/* BPF_PROG_LOAD prog_flags (macros in the kernel header) */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY	(1U << 6)	/* 6.3 */
#endif

/*
 * BPF_LINK_CREATE's uprobe_multi member (6.6; the 6.1 header has no such
 * union member): it starts 16 bytes into link_create, after prog_fd,
 * target_fd, attach_type and flags. Filled with bbpf_uprobe_multi_attr_set().
 */
struct bbpf_uprobe_multi_attr {
	__u64 path;
	__u64 offsets;
	__u64 ref_ctr_offsets;
	__u64 cookies;
	__u32 cnt;
	__u32 flags;
	__u32 pid;
};

#define BBPF_LINK_CREATE_UPROBE_MULTI_OFF \
	(offsetof(union bpf_attr, link_create.attach_type) + 2 * sizeof(__u32))

_Static_assert(BBPF_LINK_CREATE_UPROBE_MULTI_OFF + sizeof(struct bbpf_uprobe_multi_attr) <=
	       sizeof(union bpf_attr), "union bpf_attr holds link_create.uprobe_multi");

static inline void bbpf_uprobe_multi_attr_set(union bpf_attr *attr,
					      const struct bbpf_uprobe_multi_attr *um)
{
	__builtin_memcpy((char *)attr + BBPF_LINK_CREATE_UPROBE_MULTI_OFF, um, sizeof(*um));
}

/* link_create.uprobe_multi.flags (6.6) */
#ifndef BPF_F_UPROBE_MULTI_RETURN
#define BPF_F_UPROBE_MULTI_RETURN	(1U << 0)
#endif

#endif
