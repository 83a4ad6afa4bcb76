// SPDX-License-Identifier: GPL-2.0
/*
 * load_retry.bpf.c - an object that cannot load as it is, twice over: a
 * hash map with max_entries 0 (BPF_MAP_CREATE: -EINVAL) and a program the
 * verifier refuses (packet data read without a bounds check: -EACCES). A
 * caller who sizes the map and turns the bad program's autoload off can
 * load the same opened object (tests/kernel/test_load_retry_kernel.c).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 0);		/* sized by the user space, as many tools do */
} sized_later SEC(".maps");

SEC("socket")
int good(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&sized_later, &key);

	return v ? 1 : 0;
}

SEC("socket")
int bad(struct __sk_buff *skb)
{
	/* no check against skb->data_end: refused by the verifier */
	return *(volatile __u8 *)(long)skb->data;
}
