// SPDX-License-Identifier: GPL-2.0
/*
 * kver_magic.bpf.c - samples/bpf's magic "version" 0xFFFFFFFE ("use the
 * running kernel's"): inspect shows it as such (tests/unit/test_cli_run_args.c).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0xFFFFFFFE;

SEC("socket")
int filter(void *ctx)
{
	return 0;
}
