// SPDX-License-Identifier: GPL-2.0
/*
 * net_run.bpf.c - for `barebpf run --xdp DEV --tc DEV:DIR --cgroup PATH`
 * (tests/diff/test_cli_net.c): one program per kind, each counting its runs
 * in .bss (read with --show) and passing everything on: xdp, tc (classic
 * cls_bpf), tcx/egress, cgroup_skb/egress.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 xdp_runs, tc_runs, tcx_runs, cg_runs;

SEC("xdp")
int run_xdp(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&xdp_runs, 1);
	return XDP_PASS;
}

SEC("tc")
int run_tc(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&tc_runs, 1);
	return 0;	/* TC_ACT_OK */
}

SEC("tcx/egress")
int run_tcx(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&tcx_runs, 1);
	return -1;	/* TCX_NEXT */
}

SEC("cgroup_skb/egress")
int run_cg(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&cg_runs, 1);
	return 1;
}
