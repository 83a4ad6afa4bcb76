// SPDX-License-Identifier: GPL-2.0
/*
 * usdt.bpf.c - for tests/kernel/test_uprobe_kernel.c: two USDT programs
 * written against libbpf's <bpf/usdt.bpf.h> (the installed 1.1 header: the
 * 208-byte spec layout), each recording, per hit, what bpf_usdt_arg_cnt(),
 * bpf_usdt_arg() for every argument number and bpf_usdt_cookie() return,
 * for the thread group in target_tgid only (.bss; 0: every process).
 * Sections are bare: the test attaches with bbpf_program_attach_usdt().
 */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

struct rec {
	__s64 cnt;
	__s64 arg_cnt;
	__s64 cookie;
	__s64 errs;		/* bit i: bpf_usdt_arg(i) failed */
	__s64 args[12];
};

int target_tgid;
struct rec rec_a, rec_b;

static __always_inline void record(struct pt_regs *ctx, struct rec *r)
{
	__s64 errs = 0;
	int i;

	if (target_tgid && (bpf_get_current_pid_tgid() >> 32) != (__u32)target_tgid)
		return;
	r->arg_cnt = bpf_usdt_arg_cnt(ctx);
	r->cookie = bpf_usdt_cookie(ctx);
	for (i = 0; i < 12; i++) {
		long v = 0;

		if (bpf_usdt_arg(ctx, i, &v))
			errs |= 1 << i;
		r->args[i] = v;
	}
	r->errs = errs;
	__sync_fetch_and_add(&r->cnt, 1);
}

SEC("usdt")
int usdt_a(struct pt_regs *ctx)
{
	record(ctx, &rec_a);
	return 0;
}

SEC("usdt")
int usdt_b(struct pt_regs *ctx)
{
	record(ctx, &rec_b);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
