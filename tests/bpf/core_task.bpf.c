// SPDX-License-Identifier: GPL-2.0
/*
 * core_task.bpf.c - for tests/unit/test_core_kernel.c: CO-RE reads of the
 * current task in tp/syscalls/sys_enter_getppid, recorded in .bss only for
 * the thread group in target_tgid (.rodata, set before load), so the test
 * compares them with /proc for a process it starts:
 *  - BPF_CORE_READ of pid, tgid and real_parent->tgid (chained)
 *  - bpf_core_read_str of comm (length returned too)
 *  - bpf_core_field_exists of pid (1) and of a field that exists only in
 *    the ___missing flavor (0); a read of that field guarded by the exists
 *    check, so its poisoned instruction is dead code and the load succeeds
 *  - bpf_core_field_size of pid and comm, bpf_core_field_offset of pid
 *  - bpf_core_enum_value / _exists through an enum flavor whose local
 *    values differ from the kernel's (so an unrelocated load is visible)
 *  - BPF_CORE_READ_BITFIELD_PROBED of sched_reset_on_fork
 * Layouts come from vmlinux_min.h (all wrong on purpose). Meant to load.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* task_struct with one field no kernel has */
struct task_struct___missing {
	int pid;
	long barebpf_no_such_field;
} __attribute__((preserve_access_index));

/* enum pid_type with local values unlike the kernel's (3 and 2 there) */
enum pid_type___shuffled {
	PIDTYPE_SID___shuffled = 40,
	PIDTYPE_PGID___shuffled = 41,
};

const volatile int target_tgid;

unsigned int hits;
int helper_pid, helper_tgid;
int pid, tgid, ppid;
char comm[TASK_COMM_LEN];
long comm_len;
int pid_exists, missing_exists;
long guarded;
unsigned int pid_size, comm_size, pid_offset;
int sid_exists;
long sid_value, pgid_value;
unsigned long long reset_on_fork;

SEC("tp/syscalls/sys_enter_getppid")
int core_task(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct___missing *m = (void *)t;
	__u64 id = bpf_get_current_pid_tgid();

	if ((int)(id >> 32) != target_tgid)
		return 0;
	helper_pid = (int)id;
	helper_tgid = (int)(id >> 32);

	pid = BPF_CORE_READ(t, pid);
	tgid = BPF_CORE_READ(t, tgid);
	ppid = BPF_CORE_READ(t, real_parent, tgid);
	comm_len = bpf_core_read_str(&comm, sizeof(comm), &t->comm);

	pid_exists = bpf_core_field_exists(t->pid);
	missing_exists = bpf_core_field_exists(m->barebpf_no_such_field);
	if (bpf_core_field_exists(m->barebpf_no_such_field))
		guarded = BPF_CORE_READ(m, barebpf_no_such_field);
	else
		guarded = 7;

	pid_size = bpf_core_field_size(t->pid);
	comm_size = bpf_core_field_size(t->comm);
	pid_offset = bpf_core_field_offset(t->pid);

	sid_exists = bpf_core_enum_value_exists(enum pid_type___shuffled, PIDTYPE_SID___shuffled);
	sid_value = bpf_core_enum_value(enum pid_type___shuffled, PIDTYPE_SID___shuffled);
	pgid_value = bpf_core_enum_value(enum pid_type___shuffled, PIDTYPE_PGID___shuffled);

	reset_on_fork = BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	__sync_fetch_and_add(&hits, 1);
	return 0;
}
