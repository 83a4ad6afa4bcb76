// SPDX-License-Identifier: GPL-2.0
/*
 * map_reuse.bpf.c - for "prog load ... map { idx N | name NAME } MAP"
 * (tests/diff/test_cli_load_bpftool.c): two BTF maps and a .bss. libbpf
 * (and barebpf) count them in symbol-offset order: clang places reuse_arr
 * first, so idx 0 reuse_arr, 1 reuse_hash, 2 .bss. The xdp program returns
 * reuse_hash[0] if set, else reuse_arr[0], so a reused map's contents are
 * seen in a test run's retval.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} reuse_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} reuse_arr SEC(".maps");

__u64 reuse_runs;

SEC("xdp")
int reuse_xdp(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&reuse_arr, &k), *h = bpf_map_lookup_elem(&reuse_hash, &k);

	reuse_runs++;
	if (h)
		return (int)*h;
	return v ? (int)*v : 0;
}
