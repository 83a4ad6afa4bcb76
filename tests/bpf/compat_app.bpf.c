// SPDX-License-Identifier: GPL-2.0
/*
 * compat_app.bpf.c - the BPF side of tests/diff/compat_app.c, the small
 * application built once against libbpf and once against barebpf-libbpf
 * (tests/diff/test_compat_diff.c compares what the two print), through a
 * skeleton bpftool 7.1 generates.
 *
 * On sys_enter_getppid of the thread group in target_tgid (.rodata, set
 * before load): hits (.bss) and total (.data, starts at 5) go up; the
 * "counts" hash keeps per-tgid count and comm; a per-CPU array counts;
 * one struct event goes to the ring buffer and one to the perf event
 * array, seq = the hit number. A second program (?tp, autoload off) and
 * a raw tracepoint are there for the iteration and autoload APIs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
__u32 hits = 0;
__u64 total = 5;

struct val {
	__u32 tgid;
	__u32 cnt;
	char comm[16];
	__u64 flags : 3;
	__u64 big : 61;
};

struct event {
	__u32 tgid;
	__u32 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct val);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, zero = 0;
	struct val *v, nv = {};
	struct event e, *r;
	__u64 *c;

	if (tgid != target_tgid)
		return 0;
	hits++;
	total++;
	v = bpf_map_lookup_elem(&counts, &tgid);
	if (v) {
		v->cnt++;
		v->big = v->big * 2 + 1;
	} else {
		nv.tgid = tgid;
		nv.cnt = 1;
		nv.flags = 5;
		nv.big = 1;
		bpf_get_current_comm(nv.comm, sizeof(nv.comm));
		bpf_map_update_elem(&counts, &tgid, &nv, BPF_ANY);
	}
	c = bpf_map_lookup_elem(&pcpu, &zero);
	if (c)
		(*c)++;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (r) {
		r->tgid = tgid;
		r->seq = hits;
		bpf_ringbuf_submit(r, 0);
	}
	e.tgid = tgid;
	e.seq = hits;
	bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

SEC("?tp/syscalls/sys_enter_getpgid")
int never_loaded(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int on_sys_exit(void *ctx)
{
	return 0;
}
