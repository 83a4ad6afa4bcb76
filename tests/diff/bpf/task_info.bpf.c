// SPDX-License-Identifier: GPL-2.0
/*
 * task_info.bpf.c - built only by tests/diff/test_btf_dump_bpftool.c, against
 * a generated vmlinux.h (bpftool's and barebpf's; their objects must carry
 * the same BTF). Not a fixture: tests/bpf/ builds without vmlinux.h.
 * Uses task_struct and what hangs off it: pointers, arrays, an enum, a
 * typedef, a nested struct, a union member, bitfields via CO-RE.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct event {
	pid_t pid, ppid;
	char comm[16];
	u64 start_time;
	unsigned int flags;
	enum pid_type kind;
	unsigned long total_vm;
	struct list_head *children;
	u32 reset_on_fork;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	struct mm_struct *mm;

	if (!e)
		return 0;
	e->pid = BPF_CORE_READ(p, tgid);
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), p->comm);
	e->start_time = BPF_CORE_READ(p, start_time);
	e->flags = BPF_CORE_READ(p, flags);
	e->kind = PIDTYPE_TGID;
	mm = BPF_CORE_READ(p, mm);
	e->total_vm = mm ? BPF_CORE_READ(mm, total_vm) : 0;
	e->children = &p->children;
	e->reset_on_fork = BPF_CORE_READ_BITFIELD_PROBED(p, sched_reset_on_fork);
	bpf_ringbuf_submit(e, 0);
	return old_pid == 0 && bprm == 0;
}
