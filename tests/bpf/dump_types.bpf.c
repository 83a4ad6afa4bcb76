// SPDX-License-Identifier: GPL-2.0
/*
 * dump_types.bpf.c - maps whose BTF key/value types cover what a map dump
 * prints (tests/diff/test_dump_bpftool.c compares barebpf's dump with
 * `bpftool map dump`): ints of every size and sign, bool, char, __int128,
 * pointers, char arrays (string and not), int and 2-D arrays, enums (signed,
 * packed, unsigned 64-bit), bitfields (straddling bytes, signed), unions,
 * nested and anonymous structs/unions, typedefs and modifiers, a float, an
 * empty struct and a zero-length array; a struct key, a per-CPU hash and
 * array, .data/.bss/.rodata with several variables, and a map created
 * without BTF (key_size/value_size), a value over 1 MiB. The user-space side
 * fills the maps.
 * One socket program touches everything so the object loads.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#include "dump_types.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct key);
	__type(value, struct value);
	__uint(max_entries, 8);
} types_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct flags);
	__uint(max_entries, 2);
} bits_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, union both);
	__uint(max_entries, 3);
} union_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, enum color);
	__type(value, char[24]);
	__uint(max_entries, 4);
} enum_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct pcpu_val);
	__uint(max_entries, 2);
} pcpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, __u64);
	__type(value, __u32);
	__uint(max_entries, 4);
} pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct fval);
	__uint(max_entries, 1);
} float_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct big);
	__uint(max_entries, 1);
} big_array SEC(".maps");

/* No BTF key/value: sizes only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 20);
	__uint(value_size, 3);
	__uint(max_entries, 4);
} raw_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 40);
	__uint(max_entries, 2);
} raw_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 20);
	__uint(max_entries, 1);
} raw_pcpu SEC(".maps");

/* .data, .bss, .rodata */
int data_int = -7;
char data_str[8] = "hi";
struct inner data_inner = { .s = -2, .uc = 250, .sc = -1 };
enum color data_col = BLUE;
__u64 bss_count;
__u32 bss_arr[3];
struct flags bss_flags;
const volatile __u16 ro_port = 8080;
const volatile char ro_name[6] = "ro";

SEC("socket")
int touch(void *ctx)
{
	struct key k = {};
	__u32 z = 0;
	__u64 z64 = 0;
	enum color c = RED;
	char rk[20] = {};
	struct value *v = bpf_map_lookup_elem(&types_hash, &k);

	if (v)
		bss_count += v->u32v;
	if (bpf_map_lookup_elem(&bits_array, &z))
		bss_count++;
	if (bpf_map_lookup_elem(&union_array, &z))
		bss_count++;
	if (bpf_map_lookup_elem(&enum_hash, &c))
		bss_count++;
	if (bpf_map_lookup_elem(&pcpu_array, &z))
		bss_count++;
	if (bpf_map_lookup_elem(&pcpu_hash, &z64))
		bss_count++;
	if (bpf_map_lookup_elem(&float_array, &z))
		bss_count++;
	if (bpf_map_lookup_elem(&big_array, &z))
		bss_count++;
	if (bpf_map_lookup_elem(&raw_hash, rk))
		bss_count++;
	if (bpf_map_lookup_elem(&raw_array, &z))
		bss_count++;
	if (bpf_map_lookup_elem(&raw_pcpu, &z))
		bss_count++;
	bss_arr[bss_count & 1] += data_int + data_str[0] + data_inner.s + data_col + ro_port +
				  ro_name[0];
	bss_flags.b = bss_count;
	return 0;
}
