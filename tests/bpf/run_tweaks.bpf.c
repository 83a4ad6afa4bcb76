// SPDX-License-Identifier: GPL-2.0
/*
 * run_tweaks.bpf.c - what many libbpf tools' user space adjusts before load
 * (tests/kernel/test_cli_run_kernel.c):
 *  - a stack map with no max_entries (the tool sizes it: --map stacks.max_entries=N);
 *  - an fentry program next to a tracepoint twin (the tool drops fentry on
 *    kernels without trampolines: --skip on_fentry);
 *  - a struct and an array global set by path (--set cfg.port=80, targ[2]=1).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct cfg {
	int port;
	char comm[8];
	unsigned short ids[3];
	struct {
		unsigned long long mask;
	} inner;
};

const volatile struct cfg cfg = {};
const volatile int targ[4] = {};
const volatile long plain = 0;
int hits = 0;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 16 * sizeof(__u64));
} stacks SEC(".maps");

SEC("fentry/do_nanosleep")
int on_fentry(void *ctx)
{
	hits++;
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	if (cfg.port == 80 && targ[2] == 1 && cfg.inner.mask == 7)
		hits++;
	bpf_get_stackid(ctx, &stacks, 0);
	return 0;
}
