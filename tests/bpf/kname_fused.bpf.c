// SPDX-License-Identifier: GPL-2.0
/*
 * kname_fused.bpf.c - a tp_btf program (attach target btf_trace_sched_switch)
 * that calls two kfuncs (typed __ksym FUNC externs) and reads a field by
 * CO-RE: every kind of vmlinux name a load looks up, beside a CO-RE
 * candidate search (tests/kernel/test_kname_fused_kernel.c counts the walks).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

int seen_pid;

SEC("tp_btf/sched_switch")
int BPF_PROG(kf_switch, int preempt, struct task_struct *prev, struct task_struct *next)
{
	bpf_rcu_read_lock();
	seen_pid = next->pid;
	bpf_rcu_read_unlock();
	return 0;
}
