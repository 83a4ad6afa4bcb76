// SPDX-License-Identifier: GPL-2.0
/*
 * events.bpf.c - for tests/kernel/test_events_kernel.c: data out through a
 * ring buffer, a second ring buffer and a perf event array, and data in
 * through a user ring buffer, each from a syscall tracepoint the test
 * triggers, only for the thread group in target_tgid (.rodata, set before
 * load).
 *
 * Every ring-buffer record starts with struct rec_hdr {seq, kind, len,
 * tid}; bytes from 16 on are (seq * 7 + i) & 0xff. Per sys_enter_getpid,
 * in this order of reservation:
 *   kind 1  bpf_ringbuf_output, 16 bytes
 *   kind 2  reserve 40, submit
 *   kind 3  reserve 3000, submit (wraps the 16 KiB ring now and then)
 *   kind 4  reserve 24 (A) \
 *   kind 5  reserve 104 (B) > then submit C, discard B, submit A:
 *   kind 6  reserve 16 (C) /  A arrives before C, B never
 *   kind 7  reserve 64, discard
 *   kind 8  bpf_ringbuf_output, 21 bytes
 * so a consumer sees kinds 1 2 3 4 6 8. A failed reserve/output counts in
 * rb_fail. sys_enter_getppid: one 16-byte record, kind 9, to rb2.
 * sys_enter_gettid: bpf_user_ringbuf_drain(urb): count, sum and the first
 * 16 values and kinds of struct urec samples. sys_enter_getuid: pb_burst
 * (.data, at most 2048) bpf_perf_event_output calls of struct prec on the
 * current CPU; failures (ring full: the kernel reports them lost) count in
 * pb_fail.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} pb SEC(".maps");

const volatile int target_tgid = 0;

__u32 rb_seq, rb_fail, rb2_seq;
__u32 pb_burst = 1;
__u32 pb_fail, pb_calls;
__u64 urb_count, urb_sum, urb_calls, urb_bad;
long urb_drain_ret;
__u64 urb_vals[16];
__u32 urb_kinds[16];

struct rec_hdr {
	__u32 seq;
	__u32 kind;
	__u32 len;
	__u32 tid;
};

struct urec {
	__u32 kind;
	__u32 idx;
	__u64 value;
};

struct prec {
	__u32 cpu;
	__u32 tid;
	__u32 i;
	__u32 magic;
};

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == (__u64)target_tgid;
}

static __always_inline void put_hdr(__u8 *p, __u32 seq, __u32 kind, __u32 len)
{
	struct rec_hdr h = { seq, kind, len, (__u32)bpf_get_current_pid_tgid() };

	__builtin_memcpy(p, &h, sizeof(h));
}

#define FILL(p, len, seq)						\
	do {								\
		for (__u32 i_ = 16; i_ < (len); i_++)			\
			(p)[i_] = (__u8)((seq) * 7 + i_);		\
	} while (0)

SEC("tp/syscalls/sys_enter_getpid")
int emit_rb(void *ctx)
{
	__u8 *p, *a, *b, *c;
	__u8 small[21];
	__u32 seq;

	if (!mine())
		return 0;
	seq = rb_seq;
	rb_seq = seq + 1;

	put_hdr(small, seq, 1, 16);
	if (bpf_ringbuf_output(&rb, small, 16, 0))
		rb_fail++;

	p = bpf_ringbuf_reserve(&rb, 40, 0);
	if (p) {
		put_hdr(p, seq, 2, 40);
		FILL(p, 40, seq);
		bpf_ringbuf_submit(p, 0);
	} else {
		rb_fail++;
	}

	p = bpf_ringbuf_reserve(&rb, 3000, 0);
	if (p) {
		put_hdr(p, seq, 3, 3000);
		FILL(p, 3000, seq);
		bpf_ringbuf_submit(p, 0);
	} else {
		rb_fail++;
	}

	a = bpf_ringbuf_reserve(&rb, 24, 0);
	b = bpf_ringbuf_reserve(&rb, 104, 0);
	c = bpf_ringbuf_reserve(&rb, 16, 0);
	if (c) {
		put_hdr(c, seq, 6, 16);
		bpf_ringbuf_submit(c, 0);
	} else {
		rb_fail++;
	}
	if (b) {
		put_hdr(b, seq, 5, 104);
		bpf_ringbuf_discard(b, 0);
	} else {
		rb_fail++;
	}
	if (a) {
		put_hdr(a, seq, 4, 24);
		FILL(a, 24, seq);
		bpf_ringbuf_submit(a, 0);
	} else {
		rb_fail++;
	}

	p = bpf_ringbuf_reserve(&rb, 64, 0);
	if (p) {
		put_hdr(p, seq, 7, 64);
		bpf_ringbuf_discard(p, 0);
	} else {
		rb_fail++;
	}

	put_hdr(small, seq, 8, 21);
	FILL(small, 21, seq);
	if (bpf_ringbuf_output(&rb, small, 21, 0))
		rb_fail++;
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int emit_rb2(void *ctx)
{
	__u8 h[16];
	__u32 seq;

	if (!mine())
		return 0;
	seq = rb2_seq;
	rb2_seq = seq + 1;
	put_hdr(h, seq, 9, 16);
	if (bpf_ringbuf_output(&rb2, h, 16, 0))
		rb_fail++;
	return 0;
}

static long drain_one(struct bpf_dynptr *d, void *ctx)
{
	struct urec r;
	__u64 n = urb_count;

	if (bpf_dynptr_read(&r, sizeof(r), d, 0, 0)) {
		urb_bad++;
		return 0;
	}
	if (n < 16) {
		urb_vals[n & 15] = r.value;
		urb_kinds[n & 15] = r.kind;
	}
	urb_count = n + 1;
	urb_sum += r.value;
	return 0;
}

SEC("tp/syscalls/sys_enter_gettid")
int drain_urb(void *ctx)
{
	if (!mine())
		return 0;
	urb_calls++;
	urb_drain_ret = bpf_user_ringbuf_drain(&urb, drain_one, NULL, 0);
	return 0;
}

SEC("tp/syscalls/sys_enter_getuid")
int emit_pb(void *ctx)
{
	__u32 n = pb_burst;
	struct prec r;

	if (!mine())
		return 0;
	__sync_fetch_and_add(&pb_calls, 1);
	r.cpu = bpf_get_smp_processor_id();
	r.tid = (__u32)bpf_get_current_pid_tgid();
	r.magic = 0x70657266;
	for (__u32 i = 0; i < 2048; i++) {
		if (i >= n)
			break;
		r.i = i;
		if (bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &r, sizeof(r)))
			__sync_fetch_and_add(&pb_fail, 1);
	}
	return 0;
}
