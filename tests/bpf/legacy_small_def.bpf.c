// SPDX-License-Identifier: GPL-2.0
/*
 * legacy_small_def.bpf.c - legacy SEC("maps") records SHORTER than
 * struct bpf_load_map_def: the 5-field struct bpf_map_def of old
 * tools/lib/bpf (20 bytes per record). A loader must compute the record size
 * as section size / number of map symbols (60 / 3 = 20) and treat the
 * missing inner_map_idx / numa_node as zero ("backward compat").
 */
#include <linux/bpf.h>
#include <linux/version.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") small_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 8,
};

struct bpf_map_def SEC("maps") small_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u64),
	.value_size = sizeof(__u32),
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct bpf_map_def SEC("maps") small_prog_array = {
	.type = BPF_MAP_TYPE_PROG_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 2,
};

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = LINUX_VERSION_CODE;

SEC("tracepoint/syscalls/sys_enter_getpid")
int small_tp(void *ctx)
{
	__u32 k = 3;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 one = 1;
	__u64 *v;

	v = bpf_map_lookup_elem(&small_array, &k);
	if (v)
		*v = pid_tgid;
	bpf_map_update_elem(&small_hash, &pid_tgid, &one, BPF_ANY);
	bpf_tail_call(ctx, &small_prog_array, 0);
	return 0;
}
