// SPDX-License-Identifier: GPL-2.0
/*
 * dev_bound.bpf.c - for "prog load ... dev NAME"
 * (tests/diff/test_cli_load_bpftool.c): an xdp program and no map, so that
 * with an offload device the program load itself is what the kernel refuses
 * (EINVAL on a veth, which cannot offload).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int dev_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}
