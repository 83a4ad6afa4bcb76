// SPDX-License-Identifier: GPL-2.0
/*
 * kconfig61.bpf.c - tests/bpf/externs.bpf.c without what Linux 6.1 lacks.
 *
 * externs.bpf.c calls the kfuncs bpf_task_from_pid, bpf_task_acquire and
 * bpf_task_release (strong), which arrived in 6.2, so it cannot load on the
 * 6.1 kernel of tests/kernels (barebpf refuses it as libbpf does: "extern
 * ... not found in the kernel's BTF"). This object keeps the rest of it, the
 * same programs with the same globals, so `barebpf run ... --kconfig FILE`
 * can show the .kconfig and .ksyms values there:
 *  .kconfig : LINUX_KERNEL_VERSION, LINUX_HAS_SYSCALL_WRAPPER, CONFIG_HZ,
 *             CONFIG_BPF_SYSCALL, CONFIG_BPF_LSM, CONFIG_DEFAULT_HOSTNAME,
 *             CONFIG_BAREBPF_NOT_A_REAL_OPTION (__weak, missing -> 0)
 *  .ksyms   : bpf_fentry_test1 (untyped, strong), a missing __weak one, and
 *             a 6.2 kfunc declared __weak (missing on 6.1: the call must be
 *             dead code the verifier accepts, as with libbpf).
 * Built by tests/kernels/run.sh into build/kernels/; not one of the
 * tests/bpf fixtures (the unit tests do not know it).
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern int CONFIG_HZ __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_LSM __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern int CONFIG_BAREBPF_NOT_A_REAL_OPTION __kconfig __weak;

extern const void bpf_fentry_test1 __ksym;
extern const void barebpf_no_such_symbol __ksym __weak;
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym __weak;

__u32 kver;
int hz;
int flags_seen;
char hostname[16];
__u64 sym_addr;
__u64 missing_addr;
int kfunc_present = -1;

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
	kfunc_present = bpf_task_from_pid != 0;
	return 0;
}

SEC("syscall")
int weak_kfunc(void *ctx)
{
	struct task_struct *t;

	if (!bpf_task_from_pid)
		return 0;
	t = bpf_task_from_pid(1);
	return t != 0;
}
