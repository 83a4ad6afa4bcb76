// SPDX-License-Identifier: GPL-2.0
/*
 * core_poison.bpf.c - NEGATIVE, for tests/unit/test_core_kernel.c: an
 * unguarded BPF_CORE_READ of a field that exists only in a ___nofield
 * flavor of task_struct. The relocation cannot be satisfied, so the loader
 * (or the kernel) poisons the instruction as libbpf does (call 0xbad2310)
 * and the verifier, reaching it, rejects the program with
 * "invalid func unknown#195896080". Meant to fail to load.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct___nofield {
	int pid;
	long barebpf_no_such_field;
} __attribute__((preserve_access_index));

long out;

SEC("tp/syscalls/sys_enter_getppid")
int core_poison(void *ctx)
{
	struct task_struct___nofield *t = (void *)bpf_get_current_task();

	out = BPF_CORE_READ(t, barebpf_no_such_field);
	return 0;
}
