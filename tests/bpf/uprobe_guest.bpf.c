// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe_guest.bpf.c - for tests/kernels (Debian's 6.1 under qemu): a
 * uprobe and a uretprobe on syscall() of the guest's static /poke, whose
 * thread calls syscall(SYS_getpid) and syscall(SYS_getppid) every 2 ms;
 * auto-attached by `barebpf run` from the section names. The host compares
 * pid_ret (a return value equal to the caller's tgid) with what /poke's
 * /proc says.
 */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define SYS_getpid 39

__u64 getpid_calls, rets, pid_rets, pid_ret;

SEC("uprobe//poke:syscall")
int guest_syscall(struct pt_regs *ctx)
{
	if (PT_REGS_PARM1(ctx) == SYS_getpid)
		__sync_fetch_and_add(&getpid_calls, 1);
	return 0;
}

SEC("uretprobe//poke:syscall")
int guest_syscall_ret(struct pt_regs *ctx)
{
	__u64 rc = PT_REGS_RC(ctx);

	__sync_fetch_and_add(&rets, 1);
	if (rc == bpf_get_current_pid_tgid() >> 32) {
		pid_ret = rc;
		__sync_fetch_and_add(&pid_rets, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
