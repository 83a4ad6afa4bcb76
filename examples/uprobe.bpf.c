// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * uprobe.bpf.c: an entry probe and a return probe on a user function
 * (uprobe.c attaches them to uprobed_add() in its own binary, by name).
 * The arguments and the result land in .bss, where user space reads them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

int seen_a, seen_b, seen_ret;
unsigned long long entries, returns;

SEC("uprobe")
int BPF_KPROBE(uprobe_add, int a, int b)
{
	seen_a = a;
	seen_b = b;
	__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(uretprobe_add, int ret)
{
	seen_ret = ret;
	__sync_fetch_and_add(&returns, 1);
	return 0;
}
