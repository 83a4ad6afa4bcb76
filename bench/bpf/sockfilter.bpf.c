// SPDX-License-Identifier: BSD-2-Clause
/*
 * A socket filter in the shape of libbpf-bootstrap's sockfilter example: one
 * "socket" program that parses the IPv4 header and sends a record per packet
 * to a ring buffer (bench: the sockfilter case).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct so_event {
	__be32 src_addr;
	__be32 dst_addr;
	__u32 ip_proto;
	__u32 pkt_type;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

SEC("socket")
int socket_handler(struct __sk_buff *skb)
{
	struct so_event *e;
	__u16 proto;
	__u8 verlen;

	bpf_skb_load_bytes(skb, 12, &proto, 2);
	if (proto != __builtin_bswap16(ETH_P_IP))
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	bpf_skb_load_bytes(skb, ETH_HLEN + 9, &e->ip_proto, 1);
	bpf_skb_load_bytes(skb, ETH_HLEN, &verlen, 1);
	bpf_skb_load_bytes(skb, ETH_HLEN + 12, &e->src_addr, 4);
	bpf_skb_load_bytes(skb, ETH_HLEN + 16, &e->dst_addr, 4);
	e->pkt_type = skb->pkt_type;
	e->ifindex = skb->ifindex;
	bpf_ringbuf_submit(e, 0);
	return skb->len;
}
