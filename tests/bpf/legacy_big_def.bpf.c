// SPDX-License-Identifier: GPL-2.0
/*
 * legacy_big_def.bpf.c - legacy SEC("maps") records LARGER than
 * struct bpf_load_map_def: 7 known fields plus three trailing "future"
 * fields (40 bytes per record), all zero. A samples/bpf style loader copies
 * the known 28 bytes and accepts the record because the unknown tail is zero
 * ("forward compat"). See legacy_big_nonzero.bpf.c for the reject case.
 */
#include <linux/bpf.h>
#include <linux/version.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def_future {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
	unsigned int inner_map_idx;
	unsigned int numa_node;
	unsigned int future_flags;
	unsigned int future_id;
	unsigned int future_pad;
};

struct bpf_map_def_future SEC("maps") big_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 16,
};

struct bpf_map_def_future SEC("maps") big_lru = {
	.type = BPF_MAP_TYPE_LRU_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 128,
};

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = LINUX_VERSION_CODE;

SEC("tracepoint/syscalls/sys_enter_getpid")
int big_tp(void *ctx)
{
	__u32 k = 1, pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(&big_array, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	bpf_map_update_elem(&big_lru, &pid, &one, BPF_ANY);
	return 0;
}
