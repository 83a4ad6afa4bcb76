// SPDX-License-Identifier: GPL-2.0
/*
 * usdt_auto.bpf.c - USDT auto-attach from section names, for
 * tests/unit/test_attach_uprobe.c (whose fake kernel serves /t/target):
 * "usdt/PATH:PROVIDER:NAME" and the sleepable "usdt.s/", next to a bare
 * SEC("usdt"), which is never auto-attached. Written against libbpf's
 * <bpf/usdt.bpf.h>; each program counts its hits and keeps the last
 * bpf_usdt_cookie().
 */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

__u64 hits_regs, hits_many, hits_bare;
long last_arg;

SEC("usdt//t/target:bbpf_t:regs")
int auto_regs(struct pt_regs *ctx)
{
	bpf_usdt_arg(ctx, 0, &last_arg);
	__sync_fetch_and_add(&hits_regs, 1);
	return 0;
}

SEC("usdt.s//t/target:bbpf_t:many")
int auto_many(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&hits_many, bpf_usdt_arg_cnt(ctx));
	return 0;
}

SEC("usdt")
int auto_bare(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&hits_bare, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
