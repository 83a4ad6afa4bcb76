// SPDX-License-Identifier: GPL-2.0
/*
 * many_globals.bpf.c - more than 32 global variables (in .data, .bss and
 * .rodata, names out of alphabetical order), so the BTF fixup looks their
 * symbols up through its sorted index rather than its linear search for
 * small objects (src/relo/btf_fixup.c, VAR_SYMS_LINEAR). Meant to load.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int zd_00 = 1;
__u64 ab_00;
const volatile __u32 mr_00 = 7;
int zd_01 = 2;
__u64 ab_01;
const volatile __u32 mr_01 = 8;
int zd_02 = 3;
__u64 ab_02;
const volatile __u32 mr_02 = 9;
int zd_03 = 4;
__u64 ab_03;
const volatile __u32 mr_03 = 10;
int zd_04 = 5;
__u64 ab_04;
const volatile __u32 mr_04 = 11;
int zd_05 = 6;
__u64 ab_05;
const volatile __u32 mr_05 = 12;
int zd_06 = 7;
__u64 ab_06;
const volatile __u32 mr_06 = 13;
int zd_07 = 8;
__u64 ab_07;
const volatile __u32 mr_07 = 14;
int zd_08 = 9;
__u64 ab_08;
const volatile __u32 mr_08 = 15;
int zd_09 = 10;
__u64 ab_09;
const volatile __u32 mr_09 = 16;
int zd_10 = 11;
__u64 ab_10;
const volatile __u32 mr_10 = 17;
int zd_11 = 12;
__u64 ab_11;
const volatile __u32 mr_11 = 18;
int zd_12 = 13;
__u64 ab_12;
const volatile __u32 mr_12 = 19;
int zd_13 = 14;
__u64 ab_13;
const volatile __u32 mr_13 = 20;

SEC("socket")
int many_globals(struct __sk_buff *skb)
{
	__u64 sum = 0;

	sum += zd_00;
	ab_00 += skb->len;
	sum += ab_00;
	sum += mr_00;
	sum += zd_01;
	ab_01 += skb->len;
	sum += ab_01;
	sum += mr_01;
	sum += zd_02;
	ab_02 += skb->len;
	sum += ab_02;
	sum += mr_02;
	sum += zd_03;
	ab_03 += skb->len;
	sum += ab_03;
	sum += mr_03;
	sum += zd_04;
	ab_04 += skb->len;
	sum += ab_04;
	sum += mr_04;
	sum += zd_05;
	ab_05 += skb->len;
	sum += ab_05;
	sum += mr_05;
	sum += zd_06;
	ab_06 += skb->len;
	sum += ab_06;
	sum += mr_06;
	sum += zd_07;
	ab_07 += skb->len;
	sum += ab_07;
	sum += mr_07;
	sum += zd_08;
	ab_08 += skb->len;
	sum += ab_08;
	sum += mr_08;
	sum += zd_09;
	ab_09 += skb->len;
	sum += ab_09;
	sum += mr_09;
	sum += zd_10;
	ab_10 += skb->len;
	sum += ab_10;
	sum += mr_10;
	sum += zd_11;
	ab_11 += skb->len;
	sum += ab_11;
	sum += mr_11;
	sum += zd_12;
	ab_12 += skb->len;
	sum += ab_12;
	sum += mr_12;
	sum += zd_13;
	ab_13 += skb->len;
	sum += ab_13;
	sum += mr_13;
	return sum & 1;
}
