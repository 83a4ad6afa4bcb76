// SPDX-License-Identifier: GPL-2.0
/*
 * externs.bpf.c - extern variables and functions resolved by the loader:
 *  .kconfig : LINUX_KERNEL_VERSION (libbpf-provided), LINUX_HAS_SYSCALL_WRAPPER
 *             (libbpf-provided, bool), CONFIG_HZ (int), CONFIG_BPF_SYSCALL
 *             (bool), CONFIG_BPF_LSM (tristate), CONFIG_DEFAULT_HOSTNAME
 *             (char array), CONFIG_BAREBPF_NOT_A_REAL_OPTION (__weak, missing
 *             -> 0)
 *  .ksyms   : typeless symbols (bpf_fentry_test1 strong; a missing one weak),
 *             kfuncs bpf_task_from_pid / bpf_task_acquire / bpf_task_release
 *             and a missing __weak kfunc guarded by a NULL check.
 * Meant to load (kfuncs are used from a "syscall" program, which this
 * kernel's generic kfunc set allows). The typed variable ksym is in
 * ksym_typed.bpf.c: this kernel has no CONFIG_KALLSYMS_ALL, so the verifier
 * cannot find the address of any data symbol and that fixture cannot load.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* ---- kconfig ---- */
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern int CONFIG_HZ __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_LSM __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern int CONFIG_BAREBPF_NOT_A_REAL_OPTION __kconfig __weak;

/* ---- ksyms ---- */
extern const void bpf_fentry_test1 __ksym;
extern const void barebpf_no_such_symbol __ksym __weak;

#ifndef EXTERNS_LINUX_6_1
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void barebpf_no_such_kfunc(void) __ksym __weak;
#else
/* tests/kernels/kconfig61.bpf.c: Linux 6.1 has none of these kfuncs (6.2+). */
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym __weak;
#endif

/* results, readable from .bss */
__u32 kver;
int hz;
int flags_seen;
char hostname[16];
__u64 sym_addr;
__u64 missing_addr;
#ifndef EXTERNS_LINUX_6_1
int task_pid;
#else
int kfunc_present = -1;
#endif

SEC("tp/syscalls/sys_enter_getpid")
int read_kconfig(void *ctx)
{
	int i;

	kver = LINUX_KERNEL_VERSION;
	hz = CONFIG_HZ;
	flags_seen = 0;
	if (CONFIG_BPF_SYSCALL)
		flags_seen |= 1;
	if (CONFIG_BPF_LSM == TRI_YES)
		flags_seen |= 2;
	else if (CONFIG_BPF_LSM == TRI_MODULE)
		flags_seen |= 4;
	if (CONFIG_BAREBPF_NOT_A_REAL_OPTION)
		flags_seen |= 8;
	if (LINUX_HAS_SYSCALL_WRAPPER)
		flags_seen |= 16;
	for (i = 0; i < 16; i++)
		hostname[i] = CONFIG_DEFAULT_HOSTNAME[i];
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int read_ksyms(void *ctx)
{
	sym_addr = (__u64)&bpf_fentry_test1;
	missing_addr = (__u64)&barebpf_no_such_symbol;
#ifdef EXTERNS_LINUX_6_1
	kfunc_present = bpf_task_from_pid != 0;
#endif
	return 0;
}

#ifndef EXTERNS_LINUX_6_1
SEC("syscall")
int use_kfuncs(void *ctx)
{
	struct task_struct *t, *t2;

	t = bpf_task_from_pid(1);
	if (!t)
		return 0;
	t2 = bpf_task_acquire(t);
	if (t2) {
		task_pid = t2->pid;
		bpf_task_release(t2);
	}
	bpf_task_release(t);

	if (barebpf_no_such_kfunc)
		barebpf_no_such_kfunc();
	return 0;
}
#else
/* The weak 6.2 kfunc is missing on 6.1: the call must be dead code, as with libbpf. */
SEC("syscall")
int weak_kfunc(void *ctx)
{
	struct task_struct *t;

	if (!bpf_task_from_pid)
		return 0;
	t = bpf_task_from_pid(1);
	return t != 0;
}
#endif
