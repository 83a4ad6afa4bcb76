// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockfilter.bpf.c: a socket filter for an AF_PACKET socket; every IPv4
 * packet's addresses and protocol go to a ring buffer, and the socket
 * itself gets nothing (the filter returns 0).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "sockfilter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

SEC("socket")
int socket_handler(struct __sk_buff *skb)
{
	struct so_event *e;
	__u16 proto;
	__u8 ip_proto;

	if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &proto, sizeof(proto)) ||
	    proto != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, protocol), &ip_proto, 1))
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->ip_proto = ip_proto;
	e->pkt_type = skb->pkt_type;
	e->ifindex = skb->ifindex;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, saddr), &e->src_addr, 4) ||
	    bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, daddr), &e->dst_addr, 4)) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}
