// SPDX-License-Identifier: GPL-2.0
/*
 * req_tp.bpf.c - for `inspect --requirements` and `--check`: only what
 * every kernel with BTF and tracefs has (a tracepoint, a raw tracepoint,
 * hash and ring buffer maps), so --check passes on the host (no kprobes,
 * no trampolines) and on the 6.1 guest. Known needs, asserted by
 * tests/unit/test_needs.c and the CLI tests:
 *  - rq_tp: helpers 1, 2, 14 (two through the subprogram rq_count), 35
 *    and 113 (BPF_CORE_READ), CO-RE type struct task_struct, the weak
 *    .kconfig extern CONFIG_HZ; two functions;
 *  - rq_raw: helper 130 (ringbuf_output); one function;
 *  - maps rq_hash (hash, BPF_F_NO_PREALLOC = 0x1), rq_rb (ringbuf).
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u64);
} rq_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rq_rb SEC(".maps");

extern int CONFIG_HZ __kconfig __weak;

__u64 rq_seen = 0;

static __attribute__((noinline)) int rq_count(__u32 key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(&rq_hash, &key);

	if (v)
		return (int)(*v += 1);
	return bpf_map_update_elem(&rq_hash, &key, &one, BPF_ANY);
}

SEC("tp/syscalls/sys_enter_getpid")
int rq_tp(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u32 pid = (__u32)(bpf_get_current_pid_tgid() >> 32);

	rq_seen += BPF_CORE_READ(t, pid) + CONFIG_HZ;
	return rq_count(pid);
}

SEC("raw_tp/sys_enter")
int rq_raw(void *ctx)
{
	__u64 v = rq_seen;

	bpf_ringbuf_output(&rq_rb, &v, sizeof(v), 0);
	return 0;
}
