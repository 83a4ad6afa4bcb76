// SPDX-License-Identifier: BSD-2-Clause
/*
 * A small tool with eight tracepoint programs, a hash map, a ring buffer and
 * global data, no CO-RE (bench: the "8-tracepoint tool", the fixed
 * cost of a typical small loader).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_pid = 0;
__u64 total = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

static __always_inline int note(__u32 what)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *v;
	__u32 *e;

	if (target_pid && pid != target_pid)
		return 0;
	__sync_fetch_and_add(&total, 1);
	v = bpf_map_lookup_elem(&counts, &what);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &what, &one, BPF_NOEXIST);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		*e = what;
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(void *ctx) { return note(0); }

SEC("tracepoint/syscalls/sys_enter_close")
int on_close(void *ctx) { return note(1); }

SEC("tracepoint/syscalls/sys_enter_read")
int on_read(void *ctx) { return note(2); }

SEC("tracepoint/syscalls/sys_enter_write")
int on_write(void *ctx) { return note(3); }

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx) { return note(4); }

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx) { return note(5); }

SEC("tracepoint/sched/sched_process_fork")
int on_fork(void *ctx) { return note(6); }

SEC("tracepoint/syscalls/sys_enter_execve")
int on_execve(void *ctx) { return note(7); }
