// SPDX-License-Identifier: BSD-2-Clause
/* A tool with a few tp_btf programs and no CO-RE (bench: attach-target lookups). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int bump(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("tp_btf/sched_switch")
int on_switch(void *ctx) { return bump(0); }

SEC("tp_btf/sched_wakeup")
int on_wakeup(void *ctx) { return bump(1); }

SEC("tp_btf/sched_process_exec")
int on_exec(void *ctx) { return bump(2); }

SEC("tp_btf/sched_process_exit")
int on_exit(void *ctx) { return bump(3); }
