// SPDX-License-Identifier: GPL-2.0
/*
 * iter_pin.bpf.c - a task iterator whose output does not depend on the
 * tasks: one fixed line at the start of each read, for `barebpf iter pin`
 * against `bpftool iter pin` (tests/diff/test_cli_inspect.c).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct seq_file;
struct task_struct;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

static const char line[] = "barebpf iter pin\n";

SEC("iter/task")
int hello(struct bpf_iter__task *ctx)
{
	if (ctx->meta->seq_num == 0 && ctx->task)
		bpf_seq_write(ctx->meta->seq, line, sizeof(line) - 1);
	return 0;
}
