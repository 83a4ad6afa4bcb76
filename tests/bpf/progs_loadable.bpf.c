// SPDX-License-Identifier: GPL-2.0
/*
 * progs_loadable.bpf.c - the subset of program kinds that this kernel
 * (no kprobes, fentry/fexit refused) and bpftool/libbpf 1.1 can actually
 * load. Every program here must pass the verifier.
 *
 * Covers: tp/ + tracepoint/ (TRACEPOINT), raw_tp/ (RAW_TRACEPOINT),
 * tp_btf/ (TRACING + attach_btf_id), iter/task (TRACING iter), xdp,
 * socket, cgroup_skb/ingress + egress, syscall, two programs sharing one
 * section name ("xdp"), a static .text subprogram called from programs of
 * different types and a global (non-static) .text function.
 * (Autoload-off "?sec" programs live in autoload_off.bpf.c: bpftool 7.1's
 * loadall tries to pin them and fails.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct;
struct seq_file;

/* bpf_iter context for iter/task, declared locally (kernel: bpf_iter_meta) */
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

/* .text: static subprogram, called from several programs */
static __noinline int mix(int a, int b)
{
	return (a * 31) ^ b;
}

/* .text: global function, verified independently by the kernel */
__noinline int classify_len(unsigned int len)
{
	if (len < 64)
		return 0;
	if (len < 1500)
		return 1;
	return 2;
}

SEC("tp/syscalls/sys_enter_getpid")
int tp_getpid(void *ctx)
{
	return mix(bpf_get_current_pid_tgid() >> 32, 1);
}

SEC("tracepoint/sched/sched_process_exec")
int tracepoint_exec(void *ctx)
{
	return 0;
}

SEC("raw_tp/sched_switch")
int raw_tp_switch(struct bpf_raw_tracepoint_args *ctx)
{
	return mix((int)ctx->args[0], 2);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tp_btf_switch, _Bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	return 0;
}

SEC("iter/task")
int iter_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;

	if (!ctx->task)
		return 0;
	BPF_SEQ_PRINTF(seq, "task %llu\n", ctx->meta->seq_num);
	return 0;
}

/* two programs in the same section name */
SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	/* never attached by the tests; drops only jumbo frames */
	return classify_len(ctx->data_end - ctx->data) == 2 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_pass_too(struct xdp_md *ctx)
{
	return mix(ctx->ingress_ifindex, 3) > 0 ? XDP_PASS : XDP_DROP;
}

SEC("socket")
int sock_filter(struct __sk_buff *skb)
{
	return classify_len(skb->len) == 2 ? 0 : skb->len;
}

SEC("cgroup_skb/ingress")
int cg_ingress(struct __sk_buff *skb)
{
	return 1;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	return mix(skb->protocol, 4) & 1;
}

SEC("syscall")
int sys_prog(void *ctx)
{
	return 0;
}
