// SPDX-License-Identifier: GPL-2.0
/*
 * maps_btf.bpf.c - BTF-defined maps in SEC(".maps"), one per map kind, using
 * every field libbpf understands: type, key/value (as __type and as
 * key_size/value_size), max_entries, map_flags, numa_node, map_extra,
 * pinning, and __array(values, ...) with initial values for map-in-map and
 * prog_array. Each map is used by a program so it is referenced by a
 * relocation. The whole object is meant to load (bpftool prog loadall);
 * note that pinned_hash is pinned by name under /sys/fs/bpf/pinned_hash.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct val {
	__u64 packets;
	__u64 bytes;
};

struct lpm_v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

/* hash: __type key/value, BPF_F_NO_PREALLOC, numa_node (+ BPF_F_NUMA_NODE) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct val);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
} hash_full SEC(".maps");

/* array: sizes instead of types (no key/value BTF type ids) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 16);
	__uint(max_entries, 8);
} array_sized SEC(".maps");

/* pinned by name */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 64);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct val);
	__uint(max_entries, 4);
} pcpu_array SEC(".maps");

/* lpm trie: NO_PREALLOC is mandatory */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct lpm_v4_key);
	__type(value, __u32);
	__uint(max_entries, 32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lpm SEC(".maps");

/* ring buffer: max_entries is the byte size (power of 2, page multiple) */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

/* perf event array without max_entries: libbpf uses the number of CPUs */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} events SEC(".maps");

/* bloom filter: no key, map_extra = number of hash functions */
struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u64);
	__uint(max_entries, 64);
	__uint(map_extra, 3);
} bloom SEC(".maps");

/* queue and stack: no key */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__type(value, __u32);
	__uint(max_entries, 16);
} queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__type(value, __u64);
	__uint(max_entries, 16);
} stack SEC(".maps");

/* ---- map-in-map ---- */
struct inner_arr {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
};

struct inner_arr inner_a SEC(".maps");
struct inner_arr inner_b SEC(".maps");
struct inner_arr inner_c SEC(".maps");

/* array of maps, named inner type, slots 0 and 2 pre-populated */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_arr);
} outer_arr SEC(".maps") = {
	.values = {
		[0] = &inner_a,
		[2] = &inner_b,
	},
};

/* hash of maps, named inner type, key 1 pre-populated */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_arr);
} outer_hash SEC(".maps") = {
	.values = {
		[1] = &inner_c,
	},
};

/* hash of maps with an anonymous inline inner definition, no initial values */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__type(key, __u32);
		__type(value, __u32);
		__uint(max_entries, 2);
	});
} outer_inline SEC(".maps");

/* ---- prog array with initial values pointing at programs ---- */
int tail_a(void *ctx);
int tail_b(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jmp_table SEC(".maps") = {
	.values = {
		[0] = (void *)&tail_a,
		[3] = (void *)&tail_b,
	},
};

/* ---- programs ---- */

SEC("xdp")
int tail_a(void *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int tail_b(void *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int xdp_entry(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct val *v;

	v = bpf_map_lookup_elem(&pcpu_array, &key);
	if (v) {
		v->packets++;
		v->bytes += ctx->data_end - ctx->data;
	}
	bpf_tail_call(ctx, &jmp_table, ctx->rx_queue_index & 3);
	return XDP_PASS;
}

SEC("tp/syscalls/sys_enter_getpid")
int use_hashes(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *cnt;
	struct val zero = {}, *v;
	__u8 buf[16] = {};

	v = bpf_map_lookup_elem(&hash_full, &pid);
	if (!v) {
		bpf_map_update_elem(&hash_full, &pid, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&hash_full, &pid);
		if (!v)
			return 0;
	}
	__sync_fetch_and_add(&v->packets, 1);

	bpf_map_update_elem(&array_sized, &pid, buf, BPF_ANY);

	__u64 k64 = pid;
	cnt = bpf_map_lookup_elem(&pinned_hash, &k64);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&pinned_hash, &k64, &one, BPF_ANY);

	bpf_map_update_elem(&lru, &pid, &one, BPF_ANY);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int use_lpm_bloom_queue(void *ctx)
{
	struct lpm_v4_key key = { .prefixlen = 32, .addr = { 10, 0, 0, 1 } };
	__u64 h = bpf_get_current_pid_tgid();
	__u32 *hit, qv = 7;
	__u64 sv = 0;

	hit = bpf_map_lookup_elem(&lpm, &key);
	if (hit)
		qv = *hit;

	if (bpf_map_peek_elem(&bloom, &h) != 0)
		bpf_map_push_elem(&bloom, &h, 0);

	bpf_map_push_elem(&queue, &qv, BPF_EXIST);
	bpf_map_pop_elem(&queue, &qv);
	bpf_map_push_elem(&stack, &h, BPF_EXIST);
	bpf_map_pop_elem(&stack, &sv);
	return 0;
}

SEC("tp/syscalls/sys_enter_gettid")
int use_rb_events(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 *slot;

	slot = bpf_ringbuf_reserve(&rb, sizeof(*slot), 0);
	if (slot) {
		*slot = pid_tgid;
		bpf_ringbuf_submit(slot, 0);
	}
	bpf_ringbuf_output(&rb, &pid_tgid, sizeof(pid_tgid), 0);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &pid_tgid,
			      sizeof(pid_tgid));
	return 0;
}

SEC("tp/syscalls/sys_enter_getuid")
int use_map_in_map(void *ctx)
{
	__u32 slot = 2, key = 1, ikey = 0;
	__u64 *val;
	void *inner;

	inner = bpf_map_lookup_elem(&outer_arr, &slot);
	if (inner) {
		val = bpf_map_lookup_elem(inner, &ikey);
		if (val)
			__sync_fetch_and_add(val, 1);
	}
	inner = bpf_map_lookup_elem(&outer_hash, &key);
	if (inner) {
		val = bpf_map_lookup_elem(inner, &ikey);
		if (val)
			__sync_fetch_and_add(val, 1);
	}
	inner = bpf_map_lookup_elem(&outer_inline, &key);
	if (inner) {
		__u32 *v32 = bpf_map_lookup_elem(inner, &ikey);

		if (v32)
			*v32 += 1;
	}
	return 0;
}
