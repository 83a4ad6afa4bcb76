// SPDX-License-Identifier: GPL-2.0
/*
 * kconfig61.bpf.c - tests/bpf/externs.bpf.c without what Linux 6.1 lacks.
 *
 * externs.bpf.c calls the kfuncs bpf_task_from_pid, bpf_task_acquire and
 * bpf_task_release (strong), which arrived in 6.2, so it cannot load on the
 * 6.1 kernel of tests/kernels (barebpf refuses it as libbpf does: "extern
 * ... not found in the kernel's BTF"). This is the same source built with
 * EXTERNS_LINUX_6_1 (the 6.2 kfunc weak and its program guarded), so
 * `barebpf run ... --kconfig FILE`
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
#define EXTERNS_LINUX_6_1
#include "externs.bpf.c"
