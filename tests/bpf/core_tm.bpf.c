// SPDX-License-Identifier: GPL-2.0
/*
 * core_tm.bpf.c - CO-RE relocations new in clang 15/16 + libbpf 1.0/1.1:
 *  - bpf_core_type_matches (BPF_CORE_TYPE_MATCHES, relo kind 12) on a
 *    ___flavor that matches the kernel's task_struct and on one that does
 *    not (field pid declared with the wrong kind), and on an enum
 *  - a 64-bit enum: enum perf_callchain_context is BTF_KIND_ENUM64 in the
 *    kernel; the local copy is ENUM64 too (values above 32 bits), used both
 *    as plain data and via bpf_core_enum_value / _exists relocations
 * Meant to load.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* kernel: include/uapi/linux/perf_event.h; emitted as ENUM64 */
enum perf_callchain_context {
	PERF_CONTEXT_HV = (__u64)-32,
	PERF_CONTEXT_KERNEL = (__u64)-128,
	PERF_CONTEXT_USER = (__u64)-512,
	PERF_CONTEXT_MAX = (__u64)-4095,
};

/* a local 64-bit enum with no kernel counterpart, signed values */
enum barebpf_wide {
	WIDE_SMALL = -1,
	WIDE_BIG = 0x123456789LL,
};

struct task_struct___match {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct task_struct___nomatch {
	char *pid;	/* kernel has pid_t (int): not a match */
} __attribute__((preserve_access_index));

int match_task, match_bad, match_enum, match_enum64;
int ctx_kernel_exists;
__u64 ctx_kernel_value, ctx_user_value;
enum barebpf_wide wide = WIDE_BIG;
enum perf_callchain_context last_ctx = PERF_CONTEXT_USER;

SEC("tp/syscalls/sys_enter_getpid")
int type_matches(void *ctx)
{
	match_task = bpf_core_type_matches(struct task_struct___match);
	match_bad = bpf_core_type_matches(struct task_struct___nomatch);
	match_enum = bpf_core_type_matches(enum pid_type);
	match_enum64 = bpf_core_type_matches(enum perf_callchain_context);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int enum64(void *ctx)
{
	ctx_kernel_exists = bpf_core_enum_value_exists(enum perf_callchain_context,
						       PERF_CONTEXT_KERNEL);
	ctx_kernel_value = bpf_core_enum_value(enum perf_callchain_context,
					       PERF_CONTEXT_KERNEL);
	ctx_user_value = bpf_core_enum_value(enum perf_callchain_context,
					     PERF_CONTEXT_USER);
	if (wide == WIDE_BIG)
		last_ctx = PERF_CONTEXT_HV;
	return 0;
}
