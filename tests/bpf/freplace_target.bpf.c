// SPDX-License-Identifier: GPL-2.0
/*
 * freplace_target.bpf.c - a tc program calling a global function, get_val(),
 * which freplace_ext.bpf.c replaces (BPF_PROG_TYPE_EXT, attached with
 * bbpf_program_attach_freplace). BPF_PROG_TEST_RUN returns get_val(arg):
 * arg + 1 as written, arg + 1000 while replaced.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int arg = 1;

__noinline int get_val(int x)
{
	return x + 1;
}

SEC("tc")
int call_get_val(struct __sk_buff *skb)
{
	return get_val(arg);
}
