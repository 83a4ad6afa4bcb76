// SPDX-License-Identifier: GPL-2.0
/*
 * trace_kinds.bpf.c - the attach kinds of include/barebpf/attach.h that
 * run on the test kernel (tests/kernel/test_attach_trace_kernel.c and the
 * lifecycle sweep): each program counts its runs for the pid in my_pid
 * and records the cookie its attach gave it (bpf_get_attach_cookie()).
 *
 *  - tp/syscalls/sys_enter_getpid: a perf link with perf_event.bpf_cookie
 *  - raw_tp/sys_enter: BPF_RAW_TRACEPOINT_OPEN with a cookie (6.10+)
 *  - tp_btf/sys_enter: BPF_LINK_CREATE with tracing.cookie (6.10+ for raw tps)
 *  - iter/task given one process through link_info (task.pid, 6.1+): it
 *    sees only that process's threads (map element iterators, whose
 *    link_info names a map, are refused with EPERM by the test kernel:
 *    iter_map_elem.bpf.c, run on the 6.1 guest)
 *  - perf_event: samples of a software clock, counted per CPU
 * nr_getpid is the syscall number the raw tracepoints filter on (set
 * before load, like my_pid).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define MAX_CPUS 256

struct pt_regs;
struct seq_file;

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

int my_pid;
long nr_getpid;

__u64 tp_hits, tp_cookie;
__u64 raw_hits, raw_cookie;
__u64 btf_hits, btf_cookie;
__u64 iter_tasks, iter_other_tgid;
__u64 perf_hits[MAX_CPUS];
__u64 perf_total, perf_cookie;

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == (__u64)my_pid;
}

SEC("tp/syscalls/sys_enter_getpid")
int tp_getpid(void *ctx)
{
	if (!mine())
		return 0;
	__sync_fetch_and_add(&tp_hits, 1);
	tp_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (!mine() || (long)ctx->args[1] != nr_getpid)
		return 0;
	__sync_fetch_and_add(&raw_hits, 1);
	raw_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_sys_enter, struct pt_regs *regs, long id)
{
	if (!mine() || id != nr_getpid)
		return 0;
	__sync_fetch_and_add(&btf_hits, 1);
	btf_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}

SEC("iter/task")
int walk_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	int tgid;

	if (!task)
		return 0;
	tgid = task->tgid;
	iter_tasks++;
	if (tgid != my_pid)
		iter_other_tgid++;
	bpf_seq_write(ctx->meta->seq, &tgid, sizeof(tgid));
	return 0;
}

SEC("perf_event")
int on_sample(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();

	if (cpu >= MAX_CPUS)
		return 0;
	__sync_fetch_and_add(&perf_hits[cpu], 1);
	__sync_fetch_and_add(&perf_total, 1);
	perf_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}
