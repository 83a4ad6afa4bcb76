// SPDX-License-Identifier: BSD-2-Clause
/*
 * Section name -> program type. Mostly data: the table is upstream libbpf's
 * section_defs[] (libbpf 1.7 / Linux 7.0) restated in our own terms, in the
 * same order, because the first match wins and order encodes specificity
 * ("xdp.frags/devmap" before "xdp.frags" before "xdp").
 *
 * Entries marked "not in 1.1.2" are unknown to the libbpf Debian 12 ships;
 * libbpf 1.1.2 gives every other name the same prog and attach type.
 */
#include <stddef.h>
#include <string.h>

#include "sec_def.h"

#define ATT_OPT		(BBPF_SEC_ATTACHABLE | BBPF_SEC_EXP_ATTACH_OPT)
#define ATT		BBPF_SEC_ATTACHABLE
#define BTF		BBPF_SEC_ATTACH_BTF
#define SLEEP		BBPF_SEC_SLEEPABLE
#define FRAGS		BBPF_SEC_XDP_FRAGS

/* Every value fits a byte (the checks below); 12 bytes an entry instead of 24. */
#define DEF(name, ptype, atype, fl, kind) {				\
	.sec = (name),							\
	.prog_type = (uint8_t)(ptype),					\
	.expected_attach_type = (uint8_t)(atype),			\
	.flags = (uint8_t)(fl),						\
	.attach = BBPF_ATTACH_##kind }

_Static_assert(BBPF_PROG_TYPE_NETFILTER <= UINT8_MAX && BBPF_TRACE_FSESSION <= UINT8_MAX &&
	       BBPF_NETFILTER <= UINT8_MAX && BBPF_ATTACH_PERF_EVENT <= UINT8_MAX,
	       "sec_def fields are bytes");

static const struct bbpf_sec_def sec_defs[] = {
	DEF("socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, NONE),
	DEF("sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT,
	    BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, ATT, NONE),
	DEF("sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, ATT, NONE),

	DEF("kprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, KPROBE),
	DEF("uprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, UPROBE),
	DEF("uprobe.s+", BPF_PROG_TYPE_KPROBE, 0, SLEEP, UPROBE),
	DEF("kretprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, KPROBE),
	DEF("uretprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, UPROBE),
	DEF("uretprobe.s+", BPF_PROG_TYPE_KPROBE, 0, SLEEP, UPROBE),
	DEF("kprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0, KPROBE_MULTI),
	DEF("kretprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0, KPROBE_MULTI),
	/* not in 1.1.2 from here to usdt.s+, except ksyscall/kretsyscall/usdt */
	DEF("kprobe.session+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_KPROBE_SESSION, 0, KPROBE_MULTI),
	DEF("uprobe.multi+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_MULTI, 0, UPROBE_MULTI),
	DEF("uretprobe.multi+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_MULTI, 0, UPROBE_MULTI),
	DEF("uprobe.session+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_SESSION, 0, UPROBE_MULTI),
	DEF("uprobe.multi.s+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_MULTI, SLEEP, UPROBE_MULTI),
	DEF("uretprobe.multi.s+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_MULTI, SLEEP,
	    UPROBE_MULTI),
	DEF("uprobe.session.s+", BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_SESSION, SLEEP,
	    UPROBE_MULTI),
	DEF("ksyscall+", BPF_PROG_TYPE_KPROBE, 0, 0, KSYSCALL),
	DEF("kretsyscall+", BPF_PROG_TYPE_KPROBE, 0, 0, KSYSCALL),
	/*
	 * Upstream loads usdt programs with BPF_TRACE_UPROBE_MULTI instead of
	 * 0 when the kernel has uprobe-multi links (SEC_USDT); 1.1.2 always
	 * uses 0 and has no SEC_USDT. That is a load-time decision, so the
	 * table keeps 0.
	 */
	DEF("usdt+", BPF_PROG_TYPE_KPROBE, 0, BBPF_SEC_USDT, USDT),
	DEF("usdt.s+", BPF_PROG_TYPE_KPROBE, 0, BBPF_SEC_USDT | SLEEP, USDT),

	/* tc/ and tcx/ are one thing upstream; none of these six is in 1.1.2 */
	DEF("tc/ingress", BPF_PROG_TYPE_SCHED_CLS, BBPF_TCX_INGRESS, 0, NONE),
	DEF("tc/egress", BPF_PROG_TYPE_SCHED_CLS, BBPF_TCX_EGRESS, 0, NONE),
	DEF("tcx/ingress", BPF_PROG_TYPE_SCHED_CLS, BBPF_TCX_INGRESS, 0, NONE),
	DEF("tcx/egress", BPF_PROG_TYPE_SCHED_CLS, BBPF_TCX_EGRESS, 0, NONE),
	DEF("tc", BPF_PROG_TYPE_SCHED_CLS, 0, 0, NONE),
	DEF("classifier", BPF_PROG_TYPE_SCHED_CLS, 0, 0, NONE),
	DEF("action", BPF_PROG_TYPE_SCHED_ACT, 0, 0, NONE),
	DEF("netkit/primary", BPF_PROG_TYPE_SCHED_CLS, BBPF_NETKIT_PRIMARY, 0, NONE),
	DEF("netkit/peer", BPF_PROG_TYPE_SCHED_CLS, BBPF_NETKIT_PEER, 0, NONE),

	DEF("tracepoint+", BPF_PROG_TYPE_TRACEPOINT, 0, 0, TRACEPOINT),
	DEF("tp+", BPF_PROG_TYPE_TRACEPOINT, 0, 0, TRACEPOINT),
	DEF("raw_tracepoint+", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, RAW_TP),
	DEF("raw_tp+", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, RAW_TP),
	DEF("raw_tracepoint.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	DEF("raw_tp.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	DEF("tp_btf+", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, BTF, TRACING),
	DEF("fentry+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, BTF, TRACING),
	DEF("fmod_ret+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, BTF, TRACING),
	DEF("fexit+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, BTF, TRACING),
	DEF("fentry.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, BTF | SLEEP, TRACING),
	DEF("fmod_ret.s+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, BTF | SLEEP, TRACING),
	DEF("fexit.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, BTF | SLEEP, TRACING),
	/* not in 1.1.2 (libbpf 1.7, Linux 7.0) */
	DEF("fsession+", BPF_PROG_TYPE_TRACING, BBPF_TRACE_FSESSION, BTF, TRACING),
	DEF("fsession.s+", BPF_PROG_TYPE_TRACING, BBPF_TRACE_FSESSION, BTF | SLEEP, TRACING),
	DEF("freplace+", BPF_PROG_TYPE_EXT, 0, BTF, TRACING),
	DEF("lsm+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, BTF, LSM),
	DEF("lsm.s+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, BTF | SLEEP, LSM),
	/* attached to a cgroup given at run time: no auto-attach in libbpf */
	DEF("lsm_cgroup+", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, BTF, NONE),
	DEF("iter+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, BTF, ITER),
	DEF("iter.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, BTF | SLEEP, ITER),
	DEF("syscall", BPF_PROG_TYPE_SYSCALL, 0, SLEEP, NONE),

	DEF("xdp.frags/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, FRAGS, NONE),
	DEF("xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, ATT, NONE),
	DEF("xdp.frags/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, FRAGS, NONE),
	DEF("xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, ATT, NONE),
	DEF("xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, FRAGS, NONE),
	DEF("xdp", BPF_PROG_TYPE_XDP, BPF_XDP, ATT_OPT, NONE),
	/*
	 * libbpf has no auto-attach for perf_event; the kind only tells the
	 * attach layer it needs a perf event fd from the caller.
	 */
	DEF("perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, 0, PERF_EVENT),
	DEF("lwt_in", BPF_PROG_TYPE_LWT_IN, 0, 0, NONE),
	DEF("lwt_out", BPF_PROG_TYPE_LWT_OUT, 0, 0, NONE),
	DEF("lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, 0, 0, NONE),
	DEF("lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 0, NONE),
	DEF("sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, ATT_OPT, NONE),
	DEF("sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, ATT_OPT, NONE),
	DEF("sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, ATT_OPT,
	    NONE),
	/* not in 1.1.2, where "sk_skb/verdict" matches nothing */
	DEF("sk_skb/verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_VERDICT, ATT_OPT, NONE),
	DEF("sk_skb", BPF_PROG_TYPE_SK_SKB, 0, 0, NONE),
	DEF("sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, ATT_OPT, NONE),
	DEF("lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, ATT_OPT, NONE),
	DEF("flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, ATT_OPT, NONE),

	DEF("cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, ATT_OPT, NONE),
	DEF("cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, ATT_OPT, NONE),
	DEF("cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, 0, 0, NONE),
	DEF("cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, ATT, NONE),
	DEF("cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, ATT,
	    NONE),
	DEF("cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, ATT_OPT, NONE),
	DEF("cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, ATT, NONE),
	DEF("cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, ATT, NONE),
	DEF("cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, ATT, NONE),
	DEF("cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, ATT, NONE),
	DEF("cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, ATT, NONE),
	DEF("cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, ATT, NONE),
	/* the five *_unix names: not in 1.1.2 */
	DEF("cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BBPF_CGROUP_UNIX_CONNECT, ATT,
	    NONE),
	DEF("cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, ATT, NONE),
	DEF("cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, ATT, NONE),
	DEF("cgroup/sendmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BBPF_CGROUP_UNIX_SENDMSG, ATT,
	    NONE),
	DEF("cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, ATT, NONE),
	DEF("cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, ATT, NONE),
	DEF("cgroup/recvmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BBPF_CGROUP_UNIX_RECVMSG, ATT,
	    NONE),
	DEF("cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, ATT,
	    NONE),
	DEF("cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, ATT,
	    NONE),
	DEF("cgroup/getpeername_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
	    BBPF_CGROUP_UNIX_GETPEERNAME, ATT, NONE),
	DEF("cgroup/getsockname4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, ATT,
	    NONE),
	DEF("cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, ATT,
	    NONE),
	DEF("cgroup/getsockname_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
	    BBPF_CGROUP_UNIX_GETSOCKNAME, ATT, NONE),
	DEF("cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, ATT, NONE),
	DEF("cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, ATT, NONE),
	DEF("cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, ATT, NONE),
	DEF("cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, ATT_OPT, NONE),

	/* struct_ops programs are attached through their struct_ops map */
	DEF("struct_ops+", BPF_PROG_TYPE_STRUCT_OPS, 0, 0, STRUCT_OPS),
	/* not in 1.1.2 */
	DEF("struct_ops.s+", BPF_PROG_TYPE_STRUCT_OPS, 0, SLEEP, STRUCT_OPS),
	DEF("sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, ATT, NONE),
	/* not in 1.1.2 */
	DEF("netfilter", BBPF_PROG_TYPE_NETFILTER, BBPF_NETFILTER, 0, NONE),
};

/*
 * samples/bpf/bpf_load.c, which predates libbpf's table, took a section by
 * strncmp() on these prefixes, in this order, and set no expected attach
 * type. Only reached when sec_defs[] has no match, so "kprobe/",
 * "kretprobe/", "tracepoint/" and "raw_tracepoint/" are always shadowed by
 * the "+" entries above; they are kept so the list reads as bpf_load.c's.
 */
#define LEGACY(name, ptype, kind) DEF(name, ptype, 0, BBPF_SEC_LEGACY, kind)

static const struct bbpf_sec_def legacy_defs[] = {
	LEGACY("socket", BPF_PROG_TYPE_SOCKET_FILTER, NONE),
	LEGACY("kprobe/", BPF_PROG_TYPE_KPROBE, KPROBE),
	LEGACY("kretprobe/", BPF_PROG_TYPE_KPROBE, KPROBE),
	LEGACY("tracepoint/", BPF_PROG_TYPE_TRACEPOINT, TRACEPOINT),
	LEGACY("raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT, RAW_TP),
	LEGACY("xdp", BPF_PROG_TYPE_XDP, NONE),
	LEGACY("perf_event", BPF_PROG_TYPE_PERF_EVENT, PERF_EVENT),
	LEGACY("cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, NONE),
	LEGACY("cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, NONE),
	LEGACY("sockops", BPF_PROG_TYPE_SOCK_OPS, NONE),
	LEGACY("sk_skb", BPF_PROG_TYPE_SK_SKB, NONE),
	LEGACY("sk_msg", BPF_PROG_TYPE_SK_MSG, NONE),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Length of the prefix of sec_name that def matched, 0 if it does not
 * match (every def name is non-empty, so a match is never 0 long). One
 * pass over both names, no strlen/strncmp: musl's compare a byte a call.
 */
static size_t match_len(const struct bbpf_sec_def *def, const char *sec_name)
{
	const char *d = def->sec;
	size_t i;

	/*
	 * Cheap filter: most entries differ in the first two bytes ('+' ends a
	 * prefix; sec_name[1] exists, sec_name[0] being def's non-NUL byte).
	 */
	if (d[0] != sec_name[0] || (d[1] != '+' && d[1] != sec_name[1]))
		return 0;
	for (i = 0; d[i] && d[i] == sec_name[i]; i++)
		;
	if (!d[i]) {
		/* all of def is a prefix of sec_name (i >= 1): a literal '+' never matches */
		if (d[i - 1] == '+')
			return 0;
		/* legacy and "name/" defs are prefixes; others match exactly */
		return (def->flags & BBPF_SEC_LEGACY) || d[i - 1] == '/' || !sec_name[i] ? i : 0;
	}
	/* "name+": name, alone or followed by '/' */
	if (d[i] == '+' && !d[i + 1] && !(def->flags & BBPF_SEC_LEGACY))
		return sec_name[i] == '\0' || sec_name[i] == '/' ? i : 0;
	return 0;
}

const struct bbpf_sec_def *bbpf_sec_def_find(const char *sec_name)
{
	size_t i;

	if (!sec_name)
		return NULL;
	for (i = 0; i < ARRAY_LEN(sec_defs); i++)
		if (sec_defs[i].sec[0] == sec_name[0] && match_len(&sec_defs[i], sec_name))
			return &sec_defs[i];
	for (i = 0; i < ARRAY_LEN(legacy_defs); i++)
		if (match_len(&legacy_defs[i], sec_name))
			return &legacy_defs[i];
	return NULL;
}

/*
 * One '/' right after the matched prefix is a separator, not target:
 * "tp/a/b" -> "a/b", "socket/x" -> "x", "socket1" -> "1". A def that does
 * not match sec_name yields "".
 */
const char *bbpf_sec_def_target(const struct bbpf_sec_def *def, const char *sec_name)
{
	size_t len;

	if (!def || !sec_name)
		return "";
	len = match_len(def, sec_name);
	if (!len)
		return "";
	/* def ends in '/' only for a "name/" prefix match, whose length is def's */
	if (def->sec[len - 1] != '/' && sec_name[len] == '/')
		len++;
	return sec_name + len;
}

const struct bbpf_sec_def *bbpf_sec_defs(uint32_t *cnt)
{
	if (cnt)
		*cnt = ARRAY_LEN(sec_defs);
	return sec_defs;
}
