// SPDX-License-Identifier: GPL-2.0
/*
 * legacy_big_nonzero.bpf.c - NEGATIVE fixture: legacy SEC("maps") records
 * larger than struct bpf_load_map_def whose unknown trailing field is
 * NON-zero in the second record. A samples/bpf style loader must reject the
 * object (bpf_load.c returns -EFBIG: "newer feature requested").
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
};

struct bpf_map_def_future SEC("maps") ok_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

struct bpf_map_def_future SEC("maps") future_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
	.future_flags = 0x1,	/* unknown to the loader -> EFBIG */
};

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = LINUX_VERSION_CODE;

SEC("tracepoint/syscalls/sys_enter_getpid")
int nonzero_tp(void *ctx)
{
	__u32 k = 0;
	__u64 *v;

	v = bpf_map_lookup_elem(&ok_array, &k);
	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&future_array, &k);
	if (v)
		*v += 1;
	return 0;
}
