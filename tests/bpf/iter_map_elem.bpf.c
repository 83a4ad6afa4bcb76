// SPDX-License-Identifier: GPL-2.0
/*
 * iter_map_elem.bpf.c - a bpf_map_elem iterator, given its map (iter_src)
 * through link_info at attach (bbpf_program_attach_iter): it writes each
 * value to the seq file and sums keys and values into .bss. The test
 * kernel refuses map element iterators (EPERM at load, libbpf too); the
 * 6.1 guest runs it (tests/kernels/attach_check.c).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct seq_file;
struct bpf_map;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__bpf_map_elem {
	struct bpf_iter_meta *meta;
	struct bpf_map *map;
	void *key;
	void *value;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 64);
} iter_src SEC(".maps");

__u64 iter_elems, iter_key_sum, iter_val_sum;

SEC("iter/bpf_map_elem")
int dump_elems(struct bpf_iter__bpf_map_elem *ctx)
{
	__u32 *key = ctx->key;
	__u64 *val = ctx->value;

	if (!key || !val)
		return 0;
	iter_elems++;
	iter_key_sum += *key;
	iter_val_sum += *val;
	bpf_seq_write(ctx->meta->seq, val, sizeof(*val));
	return 0;
}
