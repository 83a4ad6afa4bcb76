// SPDX-License-Identifier: GPL-2.0
/*
 * autoload_off.bpf.c - "?" section prefix: programs that are opened but not
 * loaded unless the user flips autoload back on. Both programs are
 * verifier-clean, so a loader can test "autoload on" as well.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int hits;

SEC("tp/syscalls/sys_enter_getppid")
int on_by_default(void *ctx)
{
	__sync_fetch_and_add(&hits, 1);
	return 0;
}

SEC("?tp/syscalls/sys_enter_close")
int off_by_default(void *ctx)
{
	__sync_fetch_and_add(&hits, 100);
	return 0;
}

SEC("?xdp")
int xdp_off(struct xdp_md *ctx)
{
	return XDP_PASS;
}
