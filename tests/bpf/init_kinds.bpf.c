// SPDX-License-Identifier: GPL-2.0
/*
 * init_kinds.bpf.c - what the init build (make static-init) attaches and
 * what it leaves out (tests/kernel/test_init_cli_kernel.c): a tracepoint
 * and a raw tracepoint it attaches; ksyscall and kprobe.multi, attach kinds
 * it does not have, which "prog loadall ... autoattach" pins as programs
 * saying why; a map to pin.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} init_hits SEC(".maps");

static __always_inline int count(void)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&init_hits, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int init_tp(void *ctx)
{
	return count();
}

SEC("raw_tp/sys_enter")
int init_raw_tp(void *ctx)
{
	return count();
}

SEC("ksyscall/getpid")
int init_ksyscall(void *ctx)
{
	return count();
}

SEC("kprobe.multi/__x64_sys_getpid")
int init_kprobe_multi(void *ctx)
{
	return count();
}
