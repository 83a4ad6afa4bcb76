/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinux_min.h - a hand-written, minimal stand-in for a generated vmlinux.h.
 *
 * Only the kernel types the CO-RE / ksym fixtures touch are declared, and
 * only the fields they use. Every struct is marked preserve_access_index so
 * that clang emits CO-RE relocations (.BTF.ext core_relo records) for each
 * field access; the loader resolves them against /sys/kernel/btf/vmlinux.
 * The local layout here deliberately does NOT match the kernel's (offsets
 * are all wrong), so a loader that skips CO-RE relocation produces
 * visibly wrong results.
 *
 * Fixtures that include this header must not also include <linux/bpf.h>
 * types that clash (none of the names below are UAPI names).
 */
#ifndef BAREBPF_VMLINUX_MIN_H
#define BAREBPF_VMLINUX_MIN_H

#include <linux/types.h>

#ifndef __pai
#define __pai __attribute__((preserve_access_index))
#endif

#ifndef TASK_COMM_LEN
#define TASK_COMM_LEN 16
#endif

struct task_struct {
	int pid;
	int tgid;
	unsigned int flags;
	int prio;
	/* bitfields: kernel has these as 1-bit fields of an unsigned int */
	unsigned int sched_reset_on_fork:1;
	unsigned int in_execve:1;
	struct task_struct *real_parent;
	char comm[TASK_COMM_LEN];
} __pai;

/* runqueue, for the typed __ksym `runqueues` (a per-CPU variable) */
struct rq {
	unsigned int nr_running;
	__u64 nr_switches;
} __pai;

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

#endif /* BAREBPF_VMLINUX_MIN_H */
