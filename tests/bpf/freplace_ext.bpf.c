// SPDX-License-Identifier: GPL-2.0
/*
 * freplace_ext.bpf.c - the replacement for freplace_target.bpf.c's global
 * get_val(int): loaded with bbpf_program_set_attach_target(target fd,
 * "get_val"), attached with bbpf_program_attach_freplace().
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("freplace/get_val")
int new_get_val(int x)
{
	return x + 1000;
}
