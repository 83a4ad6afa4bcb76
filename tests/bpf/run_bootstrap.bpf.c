// SPDX-License-Identifier: GPL-2.0
/*
 * run_bootstrap.bpf.c - in the style of libbpf-bootstrap's "bootstrap"
 * example, for `barebpf run` (tests/kernel/test_run_events.c): exec and exit
 * of every process reported through a ring buffer as struct event (pid,
 * parent pid via CO-RE, exit code, duration, comm, file name), exits only
 * for processes whose exec was seen, and a min_duration_ns filter in
 * .rodata. Also an iter/task program printing "pid comm" per task, and a
 * hash map of exec start times the test dumps (--dump exec_start).
 *
 * struct event is anchored in the BTF by a global pointer: a record type
 * used only through bpf_ringbuf_reserve() is not in an object's BTF, and
 * `run --event rb=event` needs it there.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

#define MAX_FILENAME_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned int exit_code;
	unsigned long long duration_ns;
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	_Bool exit_event;
};

struct event *event_btf_anchor;

/* task_struct's exit_code (vmlinux_min.h has no such member): a CO-RE flavor */
struct task_struct___exit {
	int exit_code;
} __attribute__((preserve_access_index));

/* The tracepoints' contexts, as far as used (CO-RE relocated). */
struct trace_event_raw_sched_process_exec {
	unsigned int __data_loc_filename;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, int);
	__type(value, unsigned long long);
} exec_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

const volatile unsigned long long min_duration_ns = 0;

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	int pid = bpf_get_current_pid_tgid() >> 32;
	unsigned long long ts = bpf_ktime_get_ns();
	unsigned int off;
	struct event *e;

	bpf_map_update_elem(&exec_start, &pid, &ts, BPF_ANY);
	if (min_duration_ns)
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->exit_event = 0;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	e->duration_ns = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	off = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_str(&e->filename, sizeof(e->filename), (void *)ctx + off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long long id = bpf_get_current_pid_tgid(), *start, duration = 0;
	int pid = id >> 32, tid = (int)id;
	struct event *e;

	if (pid != tid)
		return 0;	/* a thread, not the process */
	start = bpf_map_lookup_elem(&exec_start, &pid);
	if (!start)
		return 0;	/* its exec was not seen */
	duration = bpf_ktime_get_ns() - *start;
	bpf_map_delete_elem(&exec_start, &pid);
	if (min_duration_ns && duration < min_duration_ns)
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->exit_event = 1;
	e->duration_ns = duration;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = (BPF_CORE_READ((struct task_struct___exit *)task, exit_code) >> 8) & 0xff;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	e->filename[0] = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	__u64 args[1];

	if (!task)
		return 0;
	args[0] = BPF_CORE_READ(task, tgid);
	if (BPF_CORE_READ(task, pid) != args[0])
		return 0;	/* one line per process */
	bpf_seq_printf(seq, "task %d\n", sizeof("task %d\n"), args, sizeof(args));
	return 0;
}
