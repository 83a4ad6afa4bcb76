/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For the sparse-index tests (tests/unit/test_btf_sparse.c,
 * tests/kernel/test_btf_sparse_kernel.c): the same raw BTF parsed with the
 * dense index and lazily, and the check that both give every id the same
 * record. Include after <cmocka.h>.
 */
#ifndef BS_BTF_SPARSE_UTIL_H
#define BS_BTF_SPARSE_UTIL_H

#include <stdint.h>
#include <barebpf/object.h>
#include "parse/btf.h"

#define BS_ALL_KINDS 0xfffffffeu	/* bbpf_btf_filter_all: every kind */

struct bs_parsed {
	struct bbpf_arena arena;
	struct bbpf_btf dense, lazy;
};

static inline void bs_parse_both(struct bs_parsed *p, const uint8_t *raw, uint32_t len)
{
	struct bbpf_diag d = { 0 };

	bbpf_arena_init(&p->arena, &bbpf_alloc_libc, (size_t)64 << 20);
	assert_int_equal(bbpf_btf_parse_raw(&p->dense, raw, len, NULL, &p->arena, &d), 0);
	assert_int_equal(bbpf_btf_parse_lazy(&p->lazy, raw, len, NULL, &p->arena, &d), 0);
	assert_null(p->dense.sparse);
	assert_non_null(p->lazy.sparse);
	assert_null(p->lazy.type_offs);
}

/* Same record for every id (and NULL past the end), by offset in the section. */
static inline void bs_same_records(const struct bbpf_btf *a, const struct bbpf_btf *b, uint32_t cnt)
{
	uint32_t id;

	for (id = 0; id < cnt + 3; id++) {
		const struct btf_type *ta = bbpf_btf_type(a, id), *tb = bbpf_btf_type(b, id);

		if (!ta || !tb) {
			if (ta != tb)
				fail_msg("id %u: %p vs %p", id, (const void *)ta, (const void *)tb);
			continue;
		}
		if ((const uint8_t *)ta - a->types != (const uint8_t *)tb - b->types)
			fail_msg("id %u: offset %td vs %td", id, (const uint8_t *)ta - a->types,
				 (const uint8_t *)tb - b->types);
	}
}

#endif
