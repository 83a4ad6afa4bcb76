// SPDX-License-Identifier: GPL-2.0
/*
 * tracex_legacy.bpf.c - a samples/bpf tracex-style object (the format
 * bpf_load.c's load_bpf_file() read; libbpf 1.x refuses it): struct
 * bpf_load_map_def records in SEC("maps"), the first one the prog array
 * bpf_load.c put kprobe/<number> programs in, and kprobe/ kretprobe/
 * sections. barebpf attaches these the samples/bpf way (tracefs kprobe
 * events, PERF_EVENT_IOC_ENABLE + PERF_EVENT_IOC_SET_BPF; "sys_getpid"
 * through the "__x64_sys_getpid" wrapper), with unique event names.
 * counts[0]: kprobe hits, [1]: kretprobe hits, [2]: tail calls into
 * kprobe/2 (from the kprobe). Run on the 6.1 guest (attach_check.c).
 */
#include <linux/bpf.h>
#include <linux/version.h>
#include <bpf/bpf_helpers.h>

#include "legacy_map_def.h"

struct bpf_load_map_def SEC("maps") progs = {
	.type = BPF_MAP_TYPE_PROG_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 4,
};

struct bpf_load_map_def SEC("maps") counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = LINUX_VERSION_CODE;

static __always_inline void count(__u32 key)
{
	__u64 *val = bpf_map_lookup_elem(&counts, &key);

	if (val)
		__sync_fetch_and_add(val, 1);
}

SEC("kprobe/sys_getpid")
int getpid_entry(void *ctx)
{
	count(0);
	bpf_tail_call(ctx, &progs, 2);
	return 0;
}

SEC("kretprobe/sys_getpid")
int getpid_return(void *ctx)
{
	count(1);
	return 0;
}

SEC("kprobe/2")
int getpid_tail(void *ctx)
{
	count(2);
	return 0;
}
