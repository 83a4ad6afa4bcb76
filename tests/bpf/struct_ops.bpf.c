/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct_ops: a TCP congestion control with the members the kernel
 * requires (ssthresh, cong_avoid, undo_cwnd, name), twice: as a plain
 * SEC(".struct_ops") map (registered by the map update, unregistered by
 * deleting it) and as a SEC(".struct_ops.link") map (registered through a
 * BPF link). The local struct declares only the members it sets, in
 * another order than the kernel's, and a "flags" data member, so that the
 * loader must copy members by name. A third, unused struct_ops program is
 * not loaded (libbpf 1.8). The CC names carry no pid: tests rename them
 * before load (the kernel refuses a duplicate name).
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct sock;

struct tcp_congestion_ops {
	char name[16];
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	__u32 flags;
};

SEC("struct_ops/bb_ssthresh")
__u32 bb_ssthresh(unsigned long long *ctx)
{
	return 2;
}

SEC("struct_ops/bb_cong_avoid")
int bb_cong_avoid(unsigned long long *ctx)
{
	return 0;
}

SEC("struct_ops/bb_undo_cwnd")
__u32 bb_undo_cwnd(unsigned long long *ctx)
{
	return 10;
}

SEC("struct_ops/bb_unused")
__u32 bb_unused(unsigned long long *ctx)
{
	return 0;
}

SEC(".struct_ops")
struct tcp_congestion_ops bb_cc = {
	.name = "bb_cc",
	.ssthresh = (void *)bb_ssthresh,
	.cong_avoid = (void *)bb_cong_avoid,
	.undo_cwnd = (void *)bb_undo_cwnd,
};

SEC(".struct_ops.link")
struct tcp_congestion_ops bb_cc_link = {
	.name = "bb_cc_link",
	.ssthresh = (void *)bb_ssthresh,
	.cong_avoid = (void *)bb_cong_avoid,
	.undo_cwnd = (void *)bb_undo_cwnd,
};

char LICENSE[] SEC("license") = "GPL";
