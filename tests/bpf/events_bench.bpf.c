// SPDX-License-Identifier: GPL-2.0
/*
 * events_bench.bpf.c - the producer of bench/bench_events.c: each run
 * (BPF_PROG_TEST_RUN of a raw_tp program, on the caller's CPU) emits
 * n_records (.data, at most 1024) fixed-size 64-byte records, through the
 * ring buffer (emit_rb: reserve + submit) or the perf event array
 * (emit_pb: bpf_perf_event_output on the current CPU). Failures (ring
 * full) count in drops. Never attached: the section name only gives the
 * program type.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} pb SEC(".maps");

__u32 n_records = 1000;
__u64 seq, drops;

struct rec {
	__u64 seq;
	__u64 pad[7];
};

SEC("raw_tp/sys_enter")
int emit_rb(void *ctx)
{
	__u32 n = n_records;

	for (__u32 i = 0; i < 1024; i++) {
		struct rec *r;

		if (i >= n)
			break;
		r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
		if (!r) {
			drops++;
			continue;
		}
		r->seq = seq++;
		for (int j = 0; j < 7; j++)
			r->pad[j] = j;
		bpf_ringbuf_submit(r, 0);
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int emit_pb(void *ctx)
{
	__u32 n = n_records;
	struct rec r = { 0 };

	for (__u32 i = 0; i < 1024; i++) {
		if (i >= n)
			break;
		r.seq = seq++;
		if (bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &r, sizeof(r)))
			drops++;
	}
	return 0;
}
