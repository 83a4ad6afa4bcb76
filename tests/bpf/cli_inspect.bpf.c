// SPDX-License-Identifier: GPL-2.0
/*
 * cli_inspect.bpf.c - objects for test_cli_inspect (barebpf's prog/map/
 * link/btf/perf/cgroup commands against bpftool 7.1 on the same kernel
 * objects). Loaded with "bpftool prog loadall ... pinmaps ..."; the test
 * makes the links itself. Everything here loads on the test kernel.
 *
 * Maps: hash, array (struct value), percpu_hash, percpu_array, lru_hash,
 * queue, stack, prog_array (initial slot -> ci_xdp_tail), array_of_maps
 * (initial slot -> ci_inner), ringbuf, and .data/.rodata/.bss.
 * Programs and what their translated instructions exercise: ci_xdp (map
 * lookups and updates, ld_imm64 of a map and of map values, a tail call, a
 * call to a global subprogram, packet bounds checks, test-run return
 * value), ci_xdp_tail (tail-call target), ci_sock (socket filter with
 * classic packet loads, rewritten by the kernel), ci_tp (tracepoint:
 * per-CPU map update, an atomic add, bpf_printk from .rodata, bpf_loop with
 * a callback: ld_imm64 of a subprogram), ci_raw_tp (raw tracepoint), ci_iter
 * (task iterator: iter link), ci_cg (cgroup_skb
 * for cgroup attachments and a cgroup link), ci_sk_lookup (netns link),
 * ci_xdp_link (XDP link on lo).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct pair {
	__u32 a;
	__u32 b;
};

struct wide {
	__u8 bytes[12];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} ci_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct pair);
} ci_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} ci_pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct wide);
} ci_pcpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, __u64);
	__type(value, struct wide);
} ci_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} ci_queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u64);
} ci_stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ci_rb SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ci_inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} ci_outer SEC(".maps") = {
	.values = { [0] = &ci_inner },
};

int ci_xdp_tail(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} ci_jmp SEC(".maps") = {
	.values = { [1] = (void *)&ci_xdp_tail },
};

/* Global data: .data, .rodata, .bss. */
__u64 ci_packets = 1;
const volatile __u32 ci_limit = 60;
__u64 ci_events;

/* A global function: verified on its own, called with "call pc+N". */
__noinline int ci_classify(__u32 len)
{
	if (len < ci_limit)
		return 0;
	return len < 1500 ? 1 : 2;
}

SEC("xdp")
int ci_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 key = ci_classify((__u32)(end - data)), *inner_val, zero = 0;
	__u64 *cnt, one = 1;
	struct pair *p;
	void *inner;

	cnt = bpf_map_lookup_elem(&ci_hash, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&ci_hash, &key, &one, BPF_NOEXIST);
	p = bpf_map_lookup_elem(&ci_array, &zero);
	if (p)
		p->a += 1;
	inner = bpf_map_lookup_elem(&ci_outer, &zero);
	if (inner) {
		inner_val = bpf_map_lookup_elem(inner, &zero);
		if (inner_val)
			*inner_val += 1;
	}
	ci_packets++;
	if (data + 1 <= end && *(__u8 *)data == 0xff)
		bpf_tail_call(ctx, &ci_jmp, 1);
	return key == 2 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int ci_xdp_tail(struct xdp_md *ctx)
{
	return XDP_TX;
}

SEC("xdp")
int ci_xdp_link(struct xdp_md *ctx)
{
	return XDP_PASS;
}

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

SEC("socket")
int ci_sock(struct __sk_buff *skb)
{
	if (load_half(skb, 12) != 0x0800)
		return 0;
	return load_byte(skb, 23) == 17 ? -1 : 0;
}

static long ci_step(__u32 i, void *ctx)
{
	__u64 *sum = ctx;

	*sum += i;
	return i > 8;
}

SEC("tp/syscalls/sys_enter_getpid")
int ci_tp(void *ctx)
{
	__u32 key = bpf_get_current_pid_tgid() & 7, *v, init = 1;
	__u64 sum = 0, item = 7;

	v = bpf_map_lookup_elem(&ci_pcpu_hash, &key);
	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&ci_pcpu_hash, &key, &init, BPF_ANY);
	bpf_loop(16, ci_step, &sum, 0);
	__sync_fetch_and_add(&ci_events, sum);
	bpf_map_push_elem(&ci_stack, &item, 0);
	bpf_printk("ci_tp %llu", sum);
	return 0;
}

SEC("raw_tp/sched_switch")
int ci_raw_tp(void *ctx)
{
	__u32 v = 3;

	bpf_map_push_elem(&ci_queue, &v, BPF_EXIST);
	bpf_ringbuf_output(&ci_rb, &v, sizeof(v), 0);
	return 0;
}

/*
 * The iterator context, declared locally (kernel: bpf_iter__task). An
 * iter/bpf_map_elem program (iter link with a map_id) is refused with
 * EPERM by the test kernel; iter/task loads.
 */
struct task_struct;
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
int ci_iter(struct bpf_iter__task *ctx)
{
	if (ctx->task)
		ci_events++;
	return 0;
}

SEC("cgroup_skb/ingress")
int ci_cg(struct __sk_buff *skb)
{
	return 1;
}

SEC("sk_lookup")
int ci_sk_lookup(struct bpf_sk_lookup *ctx)
{
	return SK_PASS;
}
