// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * usdt.bpf.c: a USDT probe handler (usdt.c fires barebpf_ex:tick with two
 * arguments through <sys/sdt.h>); the arguments and a hit count go to .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

long seen_i, seen_sq;
unsigned long long hits;

SEC("usdt")
int BPF_USDT(handle_tick, int i, long sq)
{
	seen_i = i;
	seen_sq = sq;
	__sync_fetch_and_add(&hits, 1);
	return 0;
}
