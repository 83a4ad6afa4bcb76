// SPDX-License-Identifier: GPL-2.0
/*
 * ksym_typed.bpf.c - a typed __ksym variable: the per-CPU kernel variable
 * `runqueues` (struct rq). The loader must find VAR 'runqueues' in vmlinux
 * BTF, check the local struct rq is compatible, and emit
 * ld_imm64 src_reg=BPF_PSEUDO_BTF_ID imm=<btf id>. Also a __weak typed ksym
 * that does not exist (resolves to NULL / 0).
 * Does NOT load on the test kernel: without CONFIG_KALLSYMS_ALL the verifier
 * cannot find the address of a data symbol ("ldimm64 failed to find the
 * address for kernel symbol 'runqueues'"). The open phase is unaffected.
 */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern const struct rq runqueues __ksym;
extern const int barebpf_no_such_var __ksym __weak;

__u32 nr_running;
__u64 nr_switches_cpu0;
int weak_present;

SEC("tp/syscalls/sys_enter_getpid")
int read_runqueues(void *ctx)
{
	struct rq *rq;

	rq = bpf_this_cpu_ptr(&runqueues);
	nr_running = rq->nr_running;

	rq = bpf_per_cpu_ptr(&runqueues, 0);
	if (rq)
		nr_switches_cpu0 = rq->nr_switches;

	weak_present = &barebpf_no_such_var != 0;
	return 0;
}
