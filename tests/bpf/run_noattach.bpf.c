// SPDX-License-Identifier: GPL-2.0
/*
 * run_noattach.bpf.c - loads, but its only auto-attachable program names a
 * tracepoint no kernel has: `barebpf run` must fail, naming it
 * (tests/kernel/test_run_events.c). The socket filter cannot be
 * auto-attached and is reported as such.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/barebpf_no_such_category/no_such_event")
int on_nothing(void *ctx)
{
	return 0;
}

SEC("socket")
int filter(void *ctx)
{
	return 0;
}
