// SPDX-License-Identifier: GPL-2.0
/*
 * net_attach.bpf.c - one program per network/cgroup attach kind, each
 * counting its runs in .bss (and cgroup/connect4 recording the address it
 * saw), for tests/kernel/test_attach_net_kernel.c and the CLI tests:
 * xdp (two, for replace/exclusivity), tc, tcx/ingress (two, for their
 * order), tcx/egress,
 * cgroup_skb/ingress and egress, cgroup/connect4, socket, sk_msg and
 * sk_skb stream parser/verdict on a sockmap, sk_lookup, flow_dissector,
 * netfilter. Every program passes everything on (XDP_PASS, TC_ACT_OK,
 * TCX_NEXT, 1, SK_PASS, BPF_FLOW_DISSECTOR_CONTINUE, NF_ACCEPT), so an
 * attachment the tests leave behind by mistake changes no traffic.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define TC_ACT_OK	0
#define TCX_NEXT	(-1)
#define NF_ACCEPT	1

__u64 xdp_cnt, xdp2_cnt, tc_cnt, tcx_in_cnt, tcx_in2_cnt, tcx_eg_cnt, cg_in_cnt, cg_eg_cnt;
__u64 connect_cnt, sock_cnt, msg_cnt, lookup_cnt, dissect_cnt, nf_cnt;
__u32 connect_ip, connect_port;	/* network byte order, as the program sees them */

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} sock_map SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&xdp_cnt, 1);
	return XDP_PASS;
}

SEC("xdp")
int xdp_count2(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&xdp2_cnt, 1);
	return XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&tc_cnt, 1);
	return TC_ACT_OK;
}

SEC("tcx/ingress")
int tcx_in_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&tcx_in_cnt, 1);
	return TCX_NEXT;
}

SEC("tcx/ingress")
int tcx_in_count2(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&tcx_in2_cnt, 1);
	return TCX_NEXT;
}

SEC("tcx/egress")
int tcx_eg_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&tcx_eg_cnt, 1);
	return TCX_NEXT;
}

SEC("cgroup_skb/ingress")
int cg_in_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&cg_in_cnt, 1);
	return 1;
}

SEC("cgroup_skb/egress")
int cg_eg_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&cg_eg_cnt, 1);
	return 1;
}

SEC("cgroup/connect4")
int cg_connect4(struct bpf_sock_addr *ctx)
{
	connect_ip = ctx->user_ip4;
	connect_port = ctx->user_port;
	__sync_fetch_and_add(&connect_cnt, 1);
	return 1;
}

SEC("socket")
int sock_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&sock_cnt, 1);
	return skb->len;
}

SEC("sk_msg")
int msg_count(struct sk_msg_md *msg)
{
	__sync_fetch_and_add(&msg_cnt, 1);
	return SK_PASS;
}

SEC("sk_skb/stream_parser")
int skb_parser(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("sk_skb/stream_verdict")
int skb_verdict(struct __sk_buff *skb)
{
	return SK_PASS;
}

SEC("sk_lookup")
int lookup_count(struct bpf_sk_lookup *ctx)
{
	__sync_fetch_and_add(&lookup_cnt, 1);
	return SK_PASS;
}

SEC("flow_dissector")
int dissect_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&dissect_cnt, 1);
	return BPF_FLOW_DISSECTOR_CONTINUE;
}

SEC("netfilter")
int nf_count(void *ctx)
{
	__sync_fetch_and_add(&nf_cnt, 1);
	return NF_ACCEPT;
}
