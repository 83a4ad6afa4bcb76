// SPDX-License-Identifier: GPL-2.0
/*
 * callbacks.bpf.c - static functions whose address is taken (callbacks):
 * the loader sees an ld_imm64 with a relocation against .text and must turn
 * it into src_reg=BPF_PSEUDO_FUNC with a relative instruction offset, and
 * append the callback's code to every program that uses it.
 *  - bpf_loop() with a static callback
 *  - bpf_for_each_map_elem() over an array and a hash
 *  - a chain of ordinary subprogram calls (prog -> a -> b), one subprogram
 *    shared by the callback and the program
 * Meant to load.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct bpf_map;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} hmap SEC(".maps");

struct loop_ctx {
	__u64 sum;
	__u32 limit;
};

__u64 loop_result;
__u64 array_sum;
__u64 hash_count;
__u64 chain_result;

static __noinline __u64 square(__u64 x)
{
	return x * x;
}

static __noinline __u64 sum_squares(__u64 a, __u64 b)
{
	return square(a) + square(b);
}

static int loop_cb(__u32 index, void *data)
{
	struct loop_ctx *lc = data;

	if (index >= lc->limit)
		return 1; /* stop */
	lc->sum += square(index);
	return 0;
}

static long sum_elem(struct bpf_map *map, __u32 *key, __u64 *val, void *data)
{
	__u64 *acc = data;

	*acc += *val + *key;
	return 0;
}

static long count_elem(struct bpf_map *map, __u32 *key, __u64 *val, void *data)
{
	__u64 *cnt = data;

	(*cnt)++;
	/* stop early on a big value; the return value must not depend on the
	 * counter, or the verifier never converges on the callback loop */
	return *val > 1000;
}

SEC("tp/syscalls/sys_enter_getpid")
int run_loop(void *ctx)
{
	struct loop_ctx lc = { .sum = 0, .limit = 10 };

	bpf_loop(100, loop_cb, &lc, 0);
	loop_result = lc.sum;
	chain_result = sum_squares(3, 4);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int run_for_each(void *ctx)
{
	__u64 acc = 0, cnt = 0;
	__u32 k = 1;
	__u64 v = 5;

	bpf_map_update_elem(&arr, &k, &v, BPF_ANY);
	bpf_map_update_elem(&hmap, &k, &v, BPF_ANY);

	bpf_for_each_map_elem(&arr, sum_elem, &acc, 0);
	bpf_for_each_map_elem(&hmap, count_elem, &cnt, 0);
	array_sum = acc;
	hash_count = cnt;
	return 0;
}

SEC("xdp")
int xdp_loop(struct xdp_md *ctx)
{
	struct loop_ctx lc = { .sum = 0, .limit = 3 };

	bpf_loop(4, loop_cb, &lc, 0);
	return lc.sum > 1000 ? XDP_DROP : XDP_PASS;
}
