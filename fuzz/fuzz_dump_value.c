/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the BTF value printer and the map entry printer.
 * Input: a 16-byte header, little-endian
 *   u32 BTF length, u32 value type id, u32 key type id,
 *   u8 flags (bit 0: parse as trusted kernel BTF, without the id checks;
 *            bit 1: per-CPU entry; bit 2: map entries without BTF;
 *            bit 3: ... with a btf_id but no value type), u8 key size,
 *   u8 CPUs - 1 (mod 8), u8 unused,
 * then the raw BTF, then the data (the key, if any, is its first bytes).
 * The value is printed in every mode (plain, JSON, pretty JSON, each also as
 * a partial record) and as map entries (plain, JSON, lookup), into a sink
 * that traps on an empty write or on more output than the caps allow.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <barebpf/object.h>
#include "dump/dump_map.h"
#include "dump/dump_value.h"
#include "parse/btf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NODES	(1u << 14)
#define MAX_OUT		(1u << 18)

struct sink {
	uint64_t bytes;
	uint64_t cap;
	uint8_t fold;	/* touch every byte so the writes are really read */
};

static void sink_write(void *ctx, const char *s, size_t len)
{
	struct sink *k = ctx;
	size_t i;

	if (!len)
		__builtin_trap();
	for (i = 0; i < len; i++)
		k->fold ^= (uint8_t)s[i];
	k->bytes += len;
	if (k->bytes > k->cap)
		__builtin_trap();
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void values(const struct bbpf_btf *btf, uint32_t id, const uint8_t *d, size_t len)
{
	static const enum bbpf_dump_value_fmt fmts[] = {
		BBPF_DUMP_VALUE_PLAIN, BBPF_DUMP_VALUE_JSON, BBPF_DUMP_VALUE_JSON_PRETTY,
	};
	size_t f, p;

	for (f = 0; f < 3; f++) {
		for (p = 0; p < 2; p++) {
			struct sink k = { .cap = MAX_OUT };
			struct bbpf_dump_out out = { sink_write, &k };
			struct bbpf_dump_value_opts o = {
				.fmt = fmts[f],
				.partial = p,
				.max_nodes = MAX_NODES,
				.max_out = MAX_OUT,
			};
			int err = bbpf_dump_value(&out, btf, id, d, len, &o);

			if (err > 0)
				__builtin_trap();
		}
	}
}

static void entries(const struct bbpf_btf *btf, uint32_t id, uint32_t key_id, uint8_t flags,
		    uint32_t key_size, uint32_t ncpus, const uint8_t *d, size_t len)
{
	static const enum bbpf_dump_value_fmt fmts[] = {
		BBPF_DUMP_VALUE_PLAIN, BBPF_DUMP_VALUE_JSON, BBPF_DUMP_VALUE_JSON_PRETTY,
	};
	struct bbpf_dump_map_info info;
	uint32_t vs;
	size_t f, need;

	if (key_size > len)
		return;
	memset(&info, 0, sizeof(info));
	info.key_size = key_size;
	info.btf = flags & 4 ? NULL : btf;
	info.btf_id = flags & 4 ? 0 : 1;
	info.key_type_id = key_id;
	info.value_type_id = flags & 8 ? 0 : id;
	info.max_nodes = MAX_NODES;
	info.max_out = MAX_OUT;
	if (flags & 2) {
		info.n_cpus = ncpus;
		vs = (uint32_t)((len - key_size) / ncpus);
		vs &= ~7u;
	} else {
		vs = (uint32_t)(len - key_size);
	}
	info.value_size = vs;
	need = info.n_cpus ? (size_t)vs * ncpus : vs;
	for (f = 0; f < 3; f++) {
		/* Per entry: the key and up to 8 CPU values, each within its cap; plus hex. */
		struct sink k = { .cap = 10 * (uint64_t)MAX_OUT + 64 * (uint64_t)len + 4096 };
		struct bbpf_dump_out out = { sink_write, &k };
		struct bbpf_dump_map dm;

		if (bbpf_dump_map_begin(&dm, &out, fmts[f], &info))
			__builtin_trap();
		(void)bbpf_dump_map_entry(&dm, d, d + key_size, need);
		(void)bbpf_dump_map_entry_error(&dm, d, "<no entry>");
		(void)bbpf_dump_map_end(&dm);
		k.bytes = 0;
		(void)bbpf_dump_map_lookup(&out, fmts[f], &info, d, d + key_size, need);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	uint32_t btf_len, id, key_id, key_size, ncpus;
	uint8_t flags;
	const uint8_t *d;
	size_t len;
	int err;

	if (size < 16 || size > (1u << 20))
		return 0;
	btf_len = le32(data);
	id = le32(data + 4);
	key_id = le32(data + 8);
	flags = data[12];
	key_size = data[13];
	ncpus = (uint32_t)data[14] % 8 + 1;
	if (btf_len > size - 16)
		return 0;
	d = data + 16 + btf_len;
	len = size - 16 - btf_len;
	bbpf_arena_init(&arena, &bbpf_alloc_libc,
			BBPF_MEM_BUDGET_FACTOR * (size_t)btf_len + BBPF_MEM_BUDGET_BASE);
	if (flags & 1)
		err = bbpf_btf_parse_trusted(&btf, data + 16, btf_len, NULL, &arena, NULL);
	else
		err = bbpf_btf_parse_raw(&btf, data + 16, btf_len, NULL, &arena, NULL);
	if (!err) {
		/* Small ids reach real types whatever the input says. */
		if (btf.type_cnt > 1 && id >= btf.type_cnt)
			id = id % btf.type_cnt;
		values(&btf, id, d, len);
		entries(&btf, id, key_id, flags, key_size, ncpus, d, len);
	}
	bbpf_arena_free(&arena);
	return 0;
}
