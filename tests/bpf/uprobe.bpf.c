// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe.bpf.c - for tests/kernel/test_uprobe_kernel.c: uprobes, uretprobes,
 * uprobe.multi and uprobe.session programs recording what they see, only
 * for the thread group in target_tgid (.bss, written by the test through
 * the mapping; 0 records every process). Sections are bare: the test
 * attaches through bbpf_program_attach_uprobe*() with paths it knows only
 * at run time. uprobe_auto.bpf.c has the auto-attach section names.
 */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern bool bpf_session_is_return(void) __ksym __weak;
extern __u64 *bpf_session_cookie(void) __ksym __weak;

int target_tgid;

/* up_entry: arguments, ip and cookie of the last hit */
__u64 entry_cnt, entry_a, entry_b, entry_ip, entry_cookie;
/* up_ret: the return value */
__u64 ret_cnt, ret_val, ret_cookie;
/* up_at: a probe inside or at a function, by offset */
__u64 at_cnt, at_ip;
/* up_libc: calls with the magic argument */
__u64 libc_cnt;
/* up_multi: hits, the sum of cookies, and the ips seen (xor) */
__u64 multi_cnt, multi_cookie_sum, multi_ip_xor, multi_ret_cnt, multi_ret_sum;
/* up_sess: entries, returns, the return value and the cookie kept from entry */
__u64 sess_entry, sess_return, sess_ret_val, sess_cookie;

#define MAGIC 0x5eed

static bool mine(void)
{
	return !target_tgid || (bpf_get_current_pid_tgid() >> 32) == (__u32)target_tgid;
}

SEC("uprobe")
int up_entry(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	entry_a = PT_REGS_PARM1(ctx);
	entry_b = PT_REGS_PARM2(ctx);
	entry_ip = PT_REGS_IP(ctx);
	entry_cookie = bpf_get_attach_cookie(ctx);
	__sync_fetch_and_add(&entry_cnt, 1);
	return 0;
}

SEC("uretprobe")
int up_ret(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	ret_val = PT_REGS_RC(ctx);
	ret_cookie = bpf_get_attach_cookie(ctx);
	__sync_fetch_and_add(&ret_cnt, 1);
	return 0;
}

SEC("uprobe")
int up_at(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	at_ip = PT_REGS_IP(ctx);
	__sync_fetch_and_add(&at_cnt, 1);
	return 0;
}

/* On a libc function; only calls with the magic first argument count. */
SEC("uprobe")
int up_libc(struct pt_regs *ctx)
{
	if (mine() && PT_REGS_PARM1(ctx) == MAGIC)
		__sync_fetch_and_add(&libc_cnt, 1);
	return 0;
}

SEC("uprobe.multi")
int up_multi(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	__sync_fetch_and_add(&multi_cookie_sum, bpf_get_attach_cookie(ctx));
	__sync_fetch_and_xor(&multi_ip_xor, PT_REGS_IP(ctx));
	__sync_fetch_and_add(&multi_cnt, 1);
	return 0;
}

SEC("uretprobe.multi")
int up_multi_ret(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	__sync_fetch_and_add(&multi_ret_sum, PT_REGS_RC(ctx));
	__sync_fetch_and_add(&multi_ret_cnt, 1);
	return 0;
}

SEC("uprobe.session")
int up_sess(struct pt_regs *ctx)
{
	__u64 *cookie;

	if (!mine() || !bpf_session_cookie || !bpf_session_is_return)
		return 0;
	cookie = bpf_session_cookie();
	if (!bpf_session_is_return()) {
		*cookie = PT_REGS_PARM1(ctx) + 1000;
		__sync_fetch_and_add(&sess_entry, 1);
		return 0;	/* 0: the return probe runs too */
	}
	sess_ret_val = PT_REGS_RC(ctx);
	sess_cookie = *cookie;
	__sync_fetch_and_add(&sess_return, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
