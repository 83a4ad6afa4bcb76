// SPDX-License-Identifier: GPL-2.0
/*
 * core.bpf.c - CO-RE relocations (.BTF.ext core_relo records) against the
 * hand-written vmlinux_min.h, whose layouts deliberately differ from the
 * kernel's:
 *  - field byte offsets: BPF_CORE_READ of task->pid, ->tgid,
 *    ->real_parent->tgid (chained), BPF_CORE_READ_STR_INTO of ->comm,
 *    direct access via bpf_core_read
 *  - field existence: bpf_core_field_exists on a real field and on a field
 *    that only exists in a ___flavor struct (resolves to 0)
 *  - field size / offset: bpf_core_field_size(comm), bpf_core_field_offset
 *  - bitfields: BPF_CORE_READ_BITFIELD_PROBED (byte size, lshift, rshift,
 *    signedness relocations)
 *  - type-based: bpf_core_type_exists (present and missing),
 *    bpf_core_type_size, bpf_core_type_id_kernel / _local
 *  - enum values: bpf_core_enum_value_exists / bpf_core_enum_value
 * Results land in .bss for inspection. Meant to load.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* a flavor of task_struct with a field the kernel does not have */
struct task_struct___bogus {
	int pid;
	long barebpf_no_such_field;
} __attribute__((preserve_access_index));

/* a type that does not exist in the kernel at all */
struct barebpf_no_such_type {
	int x;
} __attribute__((preserve_access_index));

/* a flavor of enum pid_type with an enumerator the kernel does not have */
enum pid_type___bogus {
	PIDTYPE_BAREBPF_BOGUS___bogus = 42,
};

int pid, tgid, ppid;
char comm[TASK_COMM_LEN];
int direct_pid;
int pid_exists, bogus_exists;
unsigned int comm_size, pid_offset;
unsigned long long reset_on_fork, in_execve;
int task_exists, bogus_type_exists;
unsigned int task_size;
int task_id_kernel, task_id_local;
int tgid_enum_exists, bogus_enum_exists;
long pgid_enum_value;

SEC("tp/syscalls/sys_enter_getpid")
int core_fields(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	pid = BPF_CORE_READ(t, pid);
	tgid = BPF_CORE_READ(t, tgid);
	ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&comm, t, comm);
	bpf_core_read(&direct_pid, sizeof(direct_pid), &t->pid);

	pid_exists = bpf_core_field_exists(t->pid);
	bogus_exists = bpf_core_field_exists(
		((struct task_struct___bogus *)t)->barebpf_no_such_field);
	comm_size = bpf_core_field_size(t->comm);
	pid_offset = bpf_core_field_offset(t->pid);

	reset_on_fork = BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	in_execve = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int core_types(void *ctx)
{
	task_exists = bpf_core_type_exists(struct task_struct);
	bogus_type_exists = bpf_core_type_exists(struct barebpf_no_such_type);
	task_size = bpf_core_type_size(struct task_struct);
	task_id_kernel = bpf_core_type_id_kernel(struct task_struct);
	task_id_local = bpf_core_type_id_local(struct task_struct);

	tgid_enum_exists = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_TGID);
	bogus_enum_exists = bpf_core_enum_value_exists(enum pid_type___bogus,
						       PIDTYPE_BAREBPF_BOGUS___bogus);
	pgid_enum_value = bpf_core_enum_value(enum pid_type, PIDTYPE_PGID);
	return 0;
}
