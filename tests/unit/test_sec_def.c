// SPDX-License-Identifier: BSD-2-Clause
/*
 * Section-name table and type names. The expectation table restates every
 * entry of src/obj/sec_def.c from libbpf's documented behaviour, so an entry
 * added, dropped or changed there without a matching line here fails.
 * Our names compared with the installed bpftool's (7.1 on Debian 12, which
 * knows the 6.1 types only): tests/diff/test_sec_def_bpftool.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "obj/sec_def.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define OPT	BBPF_SEC_EXP_ATTACH_OPT
#define ATT	BBPF_SEC_ATTACHABLE
#define BTF	BBPF_SEC_ATTACH_BTF
#define SLP	BBPF_SEC_SLEEPABLE
#define FRG	BBPF_SEC_XDP_FRAGS
#define USDT	BBPF_SEC_USDT

struct expect {
	const char *sec;
	int prog_type;
	int attach_type;
	uint32_t flags;
	enum bbpf_attach_kind kind;
};

static const struct expect expects[] = {
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, BBPF_ATTACH_NONE },
	{ "sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT,
	  BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, ATT, BBPF_ATTACH_NONE },
	{ "sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, ATT,
	  BBPF_ATTACH_NONE },
	{ "kprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, BBPF_ATTACH_KPROBE },
	{ "uprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, BBPF_ATTACH_UPROBE },
	{ "uprobe.s+", BPF_PROG_TYPE_KPROBE, 0, SLP, BBPF_ATTACH_UPROBE },
	{ "kretprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, BBPF_ATTACH_KPROBE },
	{ "uretprobe+", BPF_PROG_TYPE_KPROBE, 0, 0, BBPF_ATTACH_UPROBE },
	{ "uretprobe.s+", BPF_PROG_TYPE_KPROBE, 0, SLP, BBPF_ATTACH_UPROBE },
	{ "kprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0,
	  BBPF_ATTACH_KPROBE_MULTI },
	{ "kretprobe.multi+", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0,
	  BBPF_ATTACH_KPROBE_MULTI },
	{ "kprobe.session+", BPF_PROG_TYPE_KPROBE, 56, 0, BBPF_ATTACH_KPROBE_MULTI },
	{ "uprobe.multi+", BPF_PROG_TYPE_KPROBE, 48, 0, BBPF_ATTACH_UPROBE_MULTI },
	{ "uretprobe.multi+", BPF_PROG_TYPE_KPROBE, 48, 0, BBPF_ATTACH_UPROBE_MULTI },
	{ "uprobe.session+", BPF_PROG_TYPE_KPROBE, 57, 0, BBPF_ATTACH_UPROBE_MULTI },
	{ "uprobe.multi.s+", BPF_PROG_TYPE_KPROBE, 48, SLP, BBPF_ATTACH_UPROBE_MULTI },
	{ "uretprobe.multi.s+", BPF_PROG_TYPE_KPROBE, 48, SLP, BBPF_ATTACH_UPROBE_MULTI },
	{ "uprobe.session.s+", BPF_PROG_TYPE_KPROBE, 57, SLP, BBPF_ATTACH_UPROBE_MULTI },
	{ "ksyscall+", BPF_PROG_TYPE_KPROBE, 0, 0, BBPF_ATTACH_KSYSCALL },
	{ "kretsyscall+", BPF_PROG_TYPE_KPROBE, 0, 0, BBPF_ATTACH_KSYSCALL },
	{ "usdt+", BPF_PROG_TYPE_KPROBE, 0, USDT, BBPF_ATTACH_USDT },
	{ "usdt.s+", BPF_PROG_TYPE_KPROBE, 0, USDT | SLP, BBPF_ATTACH_USDT },
	{ "tc/ingress", BPF_PROG_TYPE_SCHED_CLS, 46, 0, BBPF_ATTACH_NONE },
	{ "tc/egress", BPF_PROG_TYPE_SCHED_CLS, 47, 0, BBPF_ATTACH_NONE },
	{ "tcx/ingress", BPF_PROG_TYPE_SCHED_CLS, 46, 0, BBPF_ATTACH_NONE },
	{ "tcx/egress", BPF_PROG_TYPE_SCHED_CLS, 47, 0, BBPF_ATTACH_NONE },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, 0, BBPF_ATTACH_NONE },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS, 0, 0, BBPF_ATTACH_NONE },
	{ "action", BPF_PROG_TYPE_SCHED_ACT, 0, 0, BBPF_ATTACH_NONE },
	{ "netkit/primary", BPF_PROG_TYPE_SCHED_CLS, 54, 0, BBPF_ATTACH_NONE },
	{ "netkit/peer", BPF_PROG_TYPE_SCHED_CLS, 55, 0, BBPF_ATTACH_NONE },
	{ "tracepoint+", BPF_PROG_TYPE_TRACEPOINT, 0, 0, BBPF_ATTACH_TRACEPOINT },
	{ "tp+", BPF_PROG_TYPE_TRACEPOINT, 0, 0, BBPF_ATTACH_TRACEPOINT },
	{ "raw_tracepoint+", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, BBPF_ATTACH_RAW_TP },
	{ "raw_tp+", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, BBPF_ATTACH_RAW_TP },
	{ "raw_tracepoint.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, BBPF_ATTACH_RAW_TP },
	{ "raw_tp.w+", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, BBPF_ATTACH_RAW_TP },
	{ "tp_btf+", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, BTF, BBPF_ATTACH_TRACING },
	{ "fentry+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, BTF, BBPF_ATTACH_TRACING },
	{ "fmod_ret+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, BTF, BBPF_ATTACH_TRACING },
	{ "fexit+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, BTF, BBPF_ATTACH_TRACING },
	{ "fentry.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, BTF | SLP, BBPF_ATTACH_TRACING },
	{ "fmod_ret.s+", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, BTF | SLP,
	  BBPF_ATTACH_TRACING },
	{ "fexit.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, BTF | SLP, BBPF_ATTACH_TRACING },
	{ "fsession+", BPF_PROG_TYPE_TRACING, 58, BTF, BBPF_ATTACH_TRACING },
	{ "fsession.s+", BPF_PROG_TYPE_TRACING, 58, BTF | SLP, BBPF_ATTACH_TRACING },
	{ "freplace+", BPF_PROG_TYPE_EXT, 0, BTF, BBPF_ATTACH_TRACING },
	{ "lsm+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, BTF, BBPF_ATTACH_LSM },
	{ "lsm.s+", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, BTF | SLP, BBPF_ATTACH_LSM },
	{ "lsm_cgroup+", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, BTF, BBPF_ATTACH_NONE },
	{ "iter+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, BTF, BBPF_ATTACH_ITER },
	{ "iter.s+", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, BTF | SLP, BBPF_ATTACH_ITER },
	{ "syscall", BPF_PROG_TYPE_SYSCALL, 0, SLP, BBPF_ATTACH_NONE },
	{ "xdp.frags/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, FRG, BBPF_ATTACH_NONE },
	{ "xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, ATT, BBPF_ATTACH_NONE },
	{ "xdp.frags/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, FRG, BBPF_ATTACH_NONE },
	{ "xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, ATT, BBPF_ATTACH_NONE },
	{ "xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, FRG, BBPF_ATTACH_NONE },
	{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, ATT | OPT, BBPF_ATTACH_NONE },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, 0, BBPF_ATTACH_PERF_EVENT },
	{ "lwt_in", BPF_PROG_TYPE_LWT_IN, 0, 0, BBPF_ATTACH_NONE },
	{ "lwt_out", BPF_PROG_TYPE_LWT_OUT, 0, 0, BBPF_ATTACH_NONE },
	{ "lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, 0, 0, BBPF_ATTACH_NONE },
	{ "lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 0, BBPF_ATTACH_NONE },
	{ "sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, ATT | OPT, BBPF_ATTACH_NONE },
	{ "sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "sk_skb/verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_VERDICT, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "sk_skb", BPF_PROG_TYPE_SK_SKB, 0, 0, BBPF_ATTACH_NONE },
	{ "sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, ATT | OPT, BBPF_ATTACH_NONE },
	{ "lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, ATT | OPT, BBPF_ATTACH_NONE },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, 0, 0, BBPF_ATTACH_NONE },
	{ "cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 49, ATT, BBPF_ATTACH_NONE },
	{ "cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/sendmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 50, ATT, BBPF_ATTACH_NONE },
	{ "cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/recvmsg_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 51, ATT, BBPF_ATTACH_NONE },
	{ "cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/getpeername_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 52, ATT, BBPF_ATTACH_NONE },
	{ "cgroup/getsockname4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/getsockname_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 53, ATT, BBPF_ATTACH_NONE },
	{ "cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, ATT, BBPF_ATTACH_NONE },
	{ "cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, ATT,
	  BBPF_ATTACH_NONE },
	{ "cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, ATT | OPT,
	  BBPF_ATTACH_NONE },
	{ "struct_ops+", BPF_PROG_TYPE_STRUCT_OPS, 0, 0, BBPF_ATTACH_STRUCT_OPS },
	{ "struct_ops.s+", BPF_PROG_TYPE_STRUCT_OPS, 0, SLP, BBPF_ATTACH_STRUCT_OPS },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, ATT, BBPF_ATTACH_NONE },
	{ "netfilter", 32, 45, 0, BBPF_ATTACH_NONE },
};

static void check_def(const struct bbpf_sec_def *d, const struct expect *e)
{
	assert_non_null(d);
	assert_int_equal(d->prog_type, e->prog_type);
	assert_int_equal(d->expected_attach_type, e->attach_type);
	assert_int_equal(d->flags, e->flags);
	assert_int_equal(d->attach, e->kind);
}

/* Same entries, same order, same values as the documented list above. */
static void test_table_is_documented(void **state)
{
	const struct bbpf_sec_def *defs;
	uint32_t cnt, i;

	(void)state;
	defs = bbpf_sec_defs(&cnt);
	assert_int_equal(cnt, ARRAY_LEN(expects));
	for (i = 0; i < cnt; i++) {
		assert_string_equal(bbpf_sec_def_name(&defs[i]), expects[i].sec);
		check_def(&defs[i], &expects[i]);
	}
	assert_ptr_equal(bbpf_sec_defs(NULL), defs);
}

/* Every entry is found for its own canonical names, not shadowed by an earlier one. */
static void test_every_entry_matches_itself(void **state)
{
	const struct bbpf_sec_def *defs;
	char name[128];
	uint32_t cnt, i;

	(void)state;
	defs = bbpf_sec_defs(&cnt);
	for (i = 0; i < cnt; i++) {
		size_t len = strlen(bbpf_sec_def_name(&defs[i]));

		assert_true(len > 0 && len < sizeof(name) - 16);
		if (bbpf_sec_def_name(&defs[i])[len - 1] == '+') {
			memcpy(name, bbpf_sec_def_name(&defs[i]), len - 1);
			name[len - 1] = '\0';
			assert_ptr_equal(bbpf_sec_def_find(name), &defs[i]);
			assert_string_equal(bbpf_sec_def_target(&defs[i], name), "");
			strcat(name, "/something");
			assert_ptr_equal(bbpf_sec_def_find(name), &defs[i]);
			assert_string_equal(bbpf_sec_def_target(&defs[i], name), "something");
		} else {
			assert_ptr_equal(bbpf_sec_def_find(bbpf_sec_def_name(&defs[i])), &defs[i]);
			assert_string_equal(bbpf_sec_def_target(&defs[i], bbpf_sec_def_name(&defs[i])), "");
		}
		assert_false(defs[i].flags & BBPF_SEC_LEGACY);
	}
}

static const struct bbpf_sec_def *must_find(const char *name)
{
	const struct bbpf_sec_def *d = bbpf_sec_def_find(name);

	if (!d)
		fail_msg("\"%s\" not found", name);
	return d;
}

static void test_plus_rule(void **state)
{
	(void)state;
	assert_string_equal(bbpf_sec_def_name(must_find("tp")), "tp+");
	assert_string_equal(bbpf_sec_def_name(must_find("tp/")), "tp+");
	assert_string_equal(bbpf_sec_def_name(must_find("tp/a/b")), "tp+");
	assert_null(bbpf_sec_def_find("tpx"));
	assert_null(bbpf_sec_def_find("tpx/a"));
	assert_null(bbpf_sec_def_find("t"));
	assert_null(bbpf_sec_def_find("kprobex"));
	assert_null(bbpf_sec_def_find("kprobe.multix/f"));
	assert_null(bbpf_sec_def_find("fentry.sx/f"));
	/* "kprobe.multi" is not "kprobe" followed by '/' */
	assert_string_equal(bbpf_sec_def_name(must_find("kprobe.multi/f*")), "kprobe.multi+");
	assert_string_equal(bbpf_sec_def_name(must_find("kprobe/f")), "kprobe+");
	assert_string_equal(bbpf_sec_def_name(must_find("uprobe.multi.s/p:f")), "uprobe.multi.s+");
	assert_string_equal(bbpf_sec_def_name(must_find("uprobe.session.s")), "uprobe.session.s+");
	assert_string_equal(bbpf_sec_def_name(must_find("raw_tp.w/x")), "raw_tp.w+");
	assert_string_equal(bbpf_sec_def_name(must_find("raw_tp/x")), "raw_tp+");
	assert_string_equal(bbpf_sec_def_name(must_find("fsession/f")), "fsession+");
}

static void test_exact_rule(void **state)
{
	(void)state;
	assert_string_equal(bbpf_sec_def_name(must_find("xdp")), "xdp");
	assert_string_equal(bbpf_sec_def_name(must_find("xdp.frags")), "xdp.frags");
	assert_string_equal(bbpf_sec_def_name(must_find("xdp.frags/devmap")), "xdp.frags/devmap");
	assert_string_equal(bbpf_sec_def_name(must_find("xdp/devmap")), "xdp/devmap");
	assert_int_equal(must_find("xdp.frags/devmap")->expected_attach_type, BPF_XDP_DEVMAP);
	assert_true(must_find("xdp.frags/devmap")->flags & BBPF_SEC_XDP_FRAGS);
	assert_false(must_find("xdp")->flags & BBPF_SEC_XDP_FRAGS);
	assert_string_equal(bbpf_sec_def_name(must_find("sk_skb")), "sk_skb");
	assert_string_equal(bbpf_sec_def_name(must_find("sk_skb/stream_parser")), "sk_skb/stream_parser");
	assert_string_equal(bbpf_sec_def_name(must_find("cgroup/sock")), "cgroup/sock");
	assert_string_equal(bbpf_sec_def_name(must_find("cgroup/sock_create")), "cgroup/sock_create");
	assert_string_equal(bbpf_sec_def_name(must_find("tc")), "tc");
	assert_string_equal(bbpf_sec_def_name(must_find("tc/ingress")), "tc/ingress");
	/* exact names take no suffix: these fall through to the legacy rules */
	assert_true(must_find("xdp/foo")->flags & BBPF_SEC_LEGACY);
	assert_true(must_find("cgroup/skbx")->flags & BBPF_SEC_LEGACY);
	assert_true(must_find("sk_skb/parser")->flags & BBPF_SEC_LEGACY);
	/* ... or to nothing */
	assert_null(bbpf_sec_def_find("tc/foo"));
	assert_null(bbpf_sec_def_find("syscall/x"));
	assert_null(bbpf_sec_def_find("netfilter/x"));
	assert_null(bbpf_sec_def_find("sk_lookup/x"));
}

static void test_sleepable(void **state)
{
	const struct bbpf_sec_def *defs;
	uint32_t cnt, i;

	(void)state;
	defs = bbpf_sec_defs(&cnt);
	for (i = 0; i < cnt; i++) {
		bool dot_s = strstr(bbpf_sec_def_name(&defs[i]), ".s+") != NULL;
		bool sleep = defs[i].flags & BBPF_SEC_SLEEPABLE;

		if (strcmp(bbpf_sec_def_name(&defs[i]), "syscall") == 0)
			assert_true(sleep);
		else if (dot_s != sleep)
			fail_msg("%s: sleepable %d", bbpf_sec_def_name(&defs[i]), sleep);
	}
	assert_true(must_find("fentry.s/f")->flags & BBPF_SEC_SLEEPABLE);
	assert_false(must_find("fentry/f")->flags & BBPF_SEC_SLEEPABLE);
	assert_true(must_find("lsm.s/file_open")->flags & BBPF_SEC_SLEEPABLE);
	assert_true(must_find("usdt.s/l:p:n")->flags & BBPF_SEC_USDT);
}

static void check_legacy(const char *name, int prog_type, bool legacy, const char *target)
{
	const struct bbpf_sec_def *d = must_find(name);

	assert_int_equal(d->prog_type, prog_type);
	if (!!(d->flags & BBPF_SEC_LEGACY) != legacy)
		fail_msg("%s: legacy flag %u", name, d->flags);
	assert_string_equal(bbpf_sec_def_target(d, name), target);
}

static void test_legacy_fallback(void **state)
{
	(void)state;
	check_legacy("socket1", BPF_PROG_TYPE_SOCKET_FILTER, true, "1");
	check_legacy("socket/x", BPF_PROG_TYPE_SOCKET_FILTER, true, "x");
	check_legacy("xdp_prog", BPF_PROG_TYPE_XDP, true, "_prog");
	check_legacy("perf_event1", BPF_PROG_TYPE_PERF_EVENT, true, "1");
	check_legacy("cgroup/skb1", BPF_PROG_TYPE_CGROUP_SKB, true, "1");
	check_legacy("cgroup/sock_x", BPF_PROG_TYPE_CGROUP_SOCK, true, "_x");
	check_legacy("sockops1", BPF_PROG_TYPE_SOCK_OPS, true, "1");
	check_legacy("sk_skb/parser", BPF_PROG_TYPE_SK_SKB, true, "parser");
	check_legacy("sk_msg1", BPF_PROG_TYPE_SK_MSG, true, "1");
	/* bpf_load.c prefixes that libbpf's "+" entries already cover */
	check_legacy("kprobe/sys_write", BPF_PROG_TYPE_KPROBE, false, "sys_write");
	check_legacy("kretprobe/sys_write", BPF_PROG_TYPE_KPROBE, false, "sys_write");
	check_legacy("tracepoint/syscalls/sys_enter_write", BPF_PROG_TYPE_TRACEPOINT, false,
		     "syscalls/sys_enter_write");
	check_legacy("raw_tracepoint/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT, false,
		     "sched_switch");

	assert_int_equal(must_find("kprobe/sys_write")->attach, BBPF_ATTACH_KPROBE);
	assert_int_equal(must_find("xdp_prog")->expected_attach_type, 0);
	assert_int_equal(must_find("socket1")->attach, BBPF_ATTACH_NONE);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_null(bbpf_sec_def_find(NULL));
	assert_null(bbpf_sec_def_find(""));
	assert_null(bbpf_sec_def_find("foo"));
	assert_null(bbpf_sec_def_find(".text"));
	assert_null(bbpf_sec_def_find("license"));
	assert_null(bbpf_sec_def_find(".maps"));
	assert_null(bbpf_sec_def_find("?xdp"));	/* callers strip the '?' */
	assert_null(bbpf_sec_def_find("Kprobe/x"));
	assert_null(bbpf_sec_def_find("fentryx"));
	assert_null(bbpf_sec_def_find("cgroup/"));
	assert_null(bbpf_sec_def_find("kretprobe.session/f"));
}

static void test_target(void **state)
{
	const struct bbpf_sec_def *tp = must_find("tp");

	(void)state;
	assert_string_equal(bbpf_sec_def_target(tp, "tp/syscalls/sys_enter_write"),
			    "syscalls/sys_enter_write");
	assert_string_equal(bbpf_sec_def_target(tp, "tp"), "");
	assert_string_equal(bbpf_sec_def_target(tp, "tp/"), "");
	assert_string_equal(bbpf_sec_def_target(tp, "tp//x"), "/x");
	/* a def that does not match the name */
	assert_string_equal(bbpf_sec_def_target(tp, "kprobe/f"), "");
	assert_string_equal(bbpf_sec_def_target(NULL, "tp/a"), "");
	assert_string_equal(bbpf_sec_def_target(tp, NULL), "");
	assert_string_equal(bbpf_sec_def_target(must_find("xdp"), "xdp"), "");
	assert_string_equal(bbpf_sec_def_target(must_find("uprobe.multi/p:f"), "uprobe.multi/p:f"),
			    "p:f");
	assert_string_equal(bbpf_sec_def_target(must_find("iter/task"), "iter/task"), "task");
	assert_string_equal(bbpf_sec_def_target(must_find("struct_ops/init"), "struct_ops/init"),
			    "init");
	assert_string_equal(bbpf_sec_def_target(must_find("kprobe.multi/tcp_*"),
						"kprobe.multi/tcp_*"), "tcp_*");
	assert_string_equal(bbpf_sec_def_target(must_find("tcx/ingress"), "tcx/ingress"), "");
}

static void test_names_spot_checks(void **state)
{
	(void)state;
	assert_string_equal(bbpf_prog_type_str(BPF_PROG_TYPE_SOCKET_FILTER), "socket_filter");
	assert_string_equal(bbpf_prog_type_str(BPF_PROG_TYPE_SCHED_CLS), "sched_cls");
	assert_string_equal(bbpf_prog_type_str(BPF_PROG_TYPE_TRACEPOINT), "tracepoint");
	assert_string_equal(bbpf_prog_type_str(BPF_PROG_TYPE_EXT), "ext");
	assert_string_equal(bbpf_prog_type_str((enum bpf_prog_type)BBPF_PROG_TYPE_NETFILTER),
			    "netfilter");
	assert_null(bbpf_prog_type_str((enum bpf_prog_type)(BBPF_PROG_TYPE_NETFILTER + 1)));
	assert_null(bbpf_prog_type_str((enum bpf_prog_type)-1));

	assert_string_equal(bbpf_map_type_str(BPF_MAP_TYPE_PERCPU_ARRAY), "percpu_array");
	assert_string_equal(bbpf_map_type_str(BPF_MAP_TYPE_RINGBUF), "ringbuf");
	assert_string_equal(bbpf_map_type_str((enum bpf_map_type)BBPF_MAP_TYPE_CGRP_STORAGE),
			    "cgrp_storage");
	assert_string_equal(bbpf_map_type_str((enum bpf_map_type)BBPF_MAP_TYPE_ARENA), "arena");
	assert_null(bbpf_map_type_str((enum bpf_map_type)1000));

	assert_string_equal(bbpf_attach_type_str(BPF_CGROUP_INET_INGRESS), "cgroup_inet_ingress");
	assert_string_equal(bbpf_attach_type_str(BPF_TRACE_FENTRY), "trace_fentry");
	assert_string_equal(bbpf_attach_type_str(BPF_MODIFY_RETURN), "modify_return");
	assert_string_equal(bbpf_attach_type_str((enum bpf_attach_type)BBPF_TCX_INGRESS),
			    "tcx_ingress");
	assert_string_equal(bbpf_attach_type_str((enum bpf_attach_type)BBPF_NETKIT_PRIMARY),
			    "netkit_primary");
	assert_string_equal(bbpf_attach_type_str((enum bpf_attach_type)BBPF_TRACE_FSESSION),
			    "trace_fsession");
	assert_null(bbpf_attach_type_str((enum bpf_attach_type)(BBPF_TRACE_FSESSION + 1)));

	assert_int_equal(bbpf_prog_type_from_str("sched_act"), BPF_PROG_TYPE_SCHED_ACT);
	assert_int_equal(bbpf_map_type_from_str("arena"), BBPF_MAP_TYPE_ARENA);
	assert_int_equal(bbpf_attach_type_from_str("lsm_mac"), BPF_LSM_MAC);
	assert_true(bbpf_prog_type_from_str("socket") < 0);	/* section name, not type */
	assert_true(bbpf_prog_type_from_str(NULL) < 0);
	assert_true(bbpf_map_type_from_str("") < 0);
	assert_true(bbpf_attach_type_from_str("TRACE_FENTRY") < 0);
}

/* str -> from_str is the identity on every known value; no name is used twice. */
static void test_names_round_trip(void **state)
{
	int v, n;

	(void)state;
	for (v = 0, n = 0; v < 256; v++) {
		const char *s = bbpf_prog_type_str((enum bpf_prog_type)v);

		if (!s)
			continue;
		n++;
		assert_int_equal(bbpf_prog_type_from_str(s), v);
	}
	assert_int_equal(n, BBPF_PROG_TYPE_NETFILTER + 1);
	for (v = 0, n = 0; v < 256; v++) {
		const char *s = bbpf_map_type_str((enum bpf_map_type)v);

		if (!s)
			continue;
		n++;
		assert_int_equal(bbpf_map_type_from_str(s), v);
	}
	assert_int_equal(n, BBPF_MAP_TYPE_INSN_ARRAY + 1);
	for (v = 0, n = 0; v < 256; v++) {
		const char *s = bbpf_attach_type_str((enum bpf_attach_type)v);

		if (!s)
			continue;
		n++;
		assert_int_equal(bbpf_attach_type_from_str(s), v);
	}
	assert_int_equal(n, BBPF_TRACE_FSESSION + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_documented),
		cmocka_unit_test(test_every_entry_matches_itself),
		cmocka_unit_test(test_plus_rule),
		cmocka_unit_test(test_exact_rule),
		cmocka_unit_test(test_sleepable),
		cmocka_unit_test(test_legacy_fallback),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_names_spot_checks),
		cmocka_unit_test(test_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
