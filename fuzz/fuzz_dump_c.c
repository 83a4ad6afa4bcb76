/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the BTF dumpers: raw BTF bytes, parsed with the full
 * checks and again as trusted (structure only, ids unchecked), printed as a
 * C header, as records (text and JSON) and as single declarations into a
 * sink. Traps if the C output outgrows the budget it was given or a dumper
 * reports an error it does not document.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <barebpf/object.h>
#include "dump/dump_c.h"
#include "dump/dump_raw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	uint64_t bytes;
	uint8_t last;
};

static void sink_write(void *ctx, const char *s, size_t len)
{
	struct sink *k = ctx;

	if (!len)
		__builtin_trap();	/* the writer contract: len > 0 */
	k->bytes += len;
	k->last ^= (uint8_t)s[len - 1];	/* touch the bytes */
}

static void dump_all(const struct bbpf_btf *btf, size_t size, struct bbpf_arena *arena)
{
	/* budgets below the defaults keep runaway inputs fast */
	struct bbpf_dump_c_opts o = { .max_out = 16 * (uint64_t)size + 65536,
				      .max_work = 64 * (uint64_t)size + 65536 };
	struct sink k = { 0 };
	struct bbpf_dump_out w = { .write = sink_write, .ctx = &k };
	struct bbpf_dump_c *d;
	uint32_t id, err_id;
	int err;

	err = bbpf_dump_c_header(btf, &w, arena, &o, &err_id);
	if (err && err != -ELOOP && err != -E2BIG && err != -EBADMSG && err != -ENOMEM &&
	    err != -EINVAL)
		__builtin_trap();
	if (k.bytes > o.max_out)
		__builtin_trap();
	if (bbpf_dump_raw(btf, &w, BBPF_DUMP_RAW_TEXT, 0) ||
	    bbpf_dump_raw(btf, &w, BBPF_DUMP_RAW_PRETTY, 0))
		__builtin_trap();
	/* declarations of the first ids, as a skeleton generator asks for them */
	if (bbpf_dump_c_new(&d, btf, &w, arena, &o))
		return;
	for (id = 0; id < btf->type_cnt && id < 64; id++) {
		err = bbpf_dump_c_decl(d, id, "v", 2, id & 1);
		if (err)
			break;
	}
	bbpf_dump_c_flush(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_arena arena;
	struct bbpf_btf btf;

	if (size > UINT32_MAX)
		return 0;
	bbpf_arena_init(&arena, &bbpf_alloc_libc,
			BBPF_MEM_BUDGET_FACTOR * size + BBPF_MEM_BUDGET_BASE);
	if (bbpf_btf_parse_raw(&btf, data, (uint32_t)size, NULL, &arena, NULL) == 0)
		dump_all(&btf, size, &arena);
	bbpf_arena_free(&arena);
	bbpf_arena_init(&arena, &bbpf_alloc_libc,
			BBPF_MEM_BUDGET_FACTOR * size + BBPF_MEM_BUDGET_BASE);
	if (bbpf_btf_parse_trusted(&btf, data, (uint32_t)size, NULL, &arena, NULL) == 0)
		dump_all(&btf, size, &arena);
	bbpf_arena_free(&arena);
	return 0;
}
