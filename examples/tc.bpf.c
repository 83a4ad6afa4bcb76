// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tc.bpf.c: a classic tc (cls_bpf, direct action) ingress program that
 * counts packets, and IPv4 ones apart, in .bss; every packet passes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

unsigned long long packets, ipv4_packets;

SEC("tc")
int tc_ingress(struct __sk_buff *ctx)
{
	__sync_fetch_and_add(&packets, 1);
	if (ctx->protocol == bpf_htons(ETH_P_IP))
		__sync_fetch_and_add(&ipv4_packets, 1);
	return TC_ACT_OK;
}
