// SPDX-License-Identifier: GPL-2.0
/*
 * legacy_maps.bpf.c - the old samples/bpf object format read by
 * bpf_load.c's load_bpf_file():
 *  - maps are records of struct bpf_load_map_def (7 x u32 = 28 bytes) in a
 *    section literally named "maps", one global symbol per map; the record
 *    size is derived as section size / number of symbols in the section
 *  - an array-of-maps whose inner map is given by inner_map_idx (index of
 *    the inner map's record, ordered by symbol offset)
 *  - numa_node together with BPF_F_NUMA_NODE
 *  - "version" section holding a u32 kernel version
 *  - program sections named by the legacy prefixes: "tracepoint/",
 *    "kprobe/", "socket" (here "socket1": prefix match), "xdp" (here
 *    "xdp_prog": prefix match on "xdp")
 * No BTF-defined maps (.maps) and no global data. libbpf >= 1.0 (bpftool
 * 7.1) refuses SEC("maps"): this fixture is for barebpf's legacy path.
 */
#include <linux/bpf.h>
#include <linux/version.h>
#include <bpf/bpf_helpers.h>

#include "legacy_map_def.h"

/* record 0: also the inner-map template for outer_of_arrays */
struct bpf_load_map_def SEC("maps") write_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

/* record 1 */
struct bpf_load_map_def SEC("maps") pid_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1024,
	.map_flags = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE,
	.numa_node = 0,
};

/* record 2 */
struct bpf_load_map_def SEC("maps") pkt_stats = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 2,
};

/* record 3: map-in-map, inner map template = record 0 */
struct bpf_load_map_def SEC("maps") outer_of_arrays = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 2,
	.inner_map_idx = 0,
};

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = LINUX_VERSION_CODE;

SEC("tracepoint/syscalls/sys_enter_write")
int trace_write(void *ctx)
{
	__u32 key = 0;
	__u64 *val;
	void *inner;

	val = bpf_map_lookup_elem(&write_counts, &key);
	if (val)
		__sync_fetch_and_add(val, 1);

	inner = bpf_map_lookup_elem(&outer_of_arrays, &key);
	if (inner) {
		val = bpf_map_lookup_elem(inner, &key);
		if (val)
			__sync_fetch_and_add(val, 1);
	}
	return 0;
}

SEC("kprobe/sys_write")
int kprobe_write(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *val;

	val = bpf_map_lookup_elem(&pid_hash, &pid);
	if (val)
		__sync_fetch_and_add(val, 1);
	else
		bpf_map_update_elem(&pid_hash, &pid, &one, BPF_NOEXIST);
	return 0;
}

SEC("socket1")
int count_packets(struct __sk_buff *skb)
{
	__u32 key = skb->pkt_type == 0 ? 0 : 1;
	__u64 *val;

	val = bpf_map_lookup_elem(&pkt_stats, &key);
	if (val)
		*val += skb->len;
	return 0;
}

SEC("xdp_prog")
int xdp_count(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *val;

	val = bpf_map_lookup_elem(&pkt_stats, &key);
	if (val)
		*val += 1;
	return XDP_PASS;
}
