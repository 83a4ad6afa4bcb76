// SPDX-License-Identifier: GPL-2.0
/*
 * nobtf.bpf.c - an object meant to be used WITHOUT BTF: only legacy
 * SEC("maps") definitions, no .maps, no global data, no subprograms, no
 * CO-RE, no externs - nothing that requires .BTF/.BTF.ext to load.
 * The Makefile builds it with -g like every fixture, so build/bpf/nobtf.bpf.o
 * still carries .BTF/.BTF.ext; a BTF-less variant is derived with
 *   llvm-objcopy --remove-section .BTF --remove-section .rel.BTF \
 *                --remove-section .BTF.ext --remove-section .rel.BTF.ext
 * (planned as a separate Makefile rule). Both variants must open the same.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "legacy_map_def.h"

struct bpf_load_map_def SEC("maps") proto_count = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

char _license[] SEC("license") = "GPL";

SEC("socket")
int count_proto(struct __sk_buff *skb)
{
	__u32 proto = skb->protocol & 0xff;
	__u64 *val;

	val = bpf_map_lookup_elem(&proto_count, &proto);
	if (val)
		__sync_fetch_and_add(val, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	__u32 key = 255;
	__u64 *val;

	val = bpf_map_lookup_elem(&proto_count, &key);
	if (val)
		__sync_fetch_and_add(val, 1);
	return 0;
}
