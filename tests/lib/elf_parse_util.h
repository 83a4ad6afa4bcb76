/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For the ELF reader tests (tests/unit/test_elf.c, tests/diff/test_elf_host.c):
 * parse a private copy of exactly the input (ASan flags any read past the
 * end), and read every section, symbol and relocation back through the
 * accessors. Include after <cmocka.h>.
 */
#ifndef EP_ELF_PARSE_UTIL_H
#define EP_ELF_PARSE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "parse/elf.h"
#include "base/arena.h"

#define EP_ARENA_BUDGET (64u << 20)

/*
 * Parse a private copy of exactly len bytes, so ASan flags any read past the
 * end. elf is pre-filled with a pattern to check out-params on failure.
 */
struct ep_parsed {
	struct bbpf_arena arena;
	struct bbpf_elf elf;
	struct bbpf_diag diag;
	uint8_t *copy;
};

static inline int ep_parse_copy(struct ep_parsed *p, const void *buf, size_t len, unsigned int flags)
{
	memset(p, 0, sizeof(*p));
	memset(&p->elf, 0xa5, sizeof(p->elf));
	p->copy = malloc(len ? len : 1);
	assert_non_null(p->copy);
	if (len)
		memcpy(p->copy, buf, len);
	bbpf_arena_init(&p->arena, &bbpf_alloc_libc, EP_ARENA_BUDGET);
	return bbpf_elf_parse(&p->elf, p->copy, len, flags, &p->arena, &p->diag);
}

static inline void ep_parsed_free(struct ep_parsed *p)
{
	bbpf_arena_free(&p->arena);
	free(p->copy);
}

/* Read every section, symbol and relocation through the accessors. */
static inline void ep_walk_all(const struct bbpf_elf *e)
{
	for (uint32_t i = 0; i < e->shnum; i++) {
		const struct bbpf_elf_shdr *s = bbpf_elf_shdr(e, i);
		const uint8_t *data = bbpf_elf_sec_data(e, i);
		uint32_t cnt = bbpf_elf_sym_cnt(e, i);

		assert_non_null(s);
		assert_non_null(s->name);
		if (data) {
			volatile uint8_t last = data[s->size - 1];	/* ASan checks the range */

			(void)last;
		}
		for (uint32_t k = 0; k < cnt; k++) {
			struct bbpf_elf_sym sym;

			assert_int_equal(bbpf_elf_sym(e, i, k, &sym), 0);
			assert_true(strlen(sym.name) < e->len);
		}
		cnt = bbpf_elf_rel_cnt(e, i);
		for (uint32_t k = 0; k < cnt; k++) {
			struct bbpf_elf_rel r;

			assert_int_equal(bbpf_elf_rel(e, i, k, &r), 0);
			if (s->link)
				assert_true(r.sym < bbpf_elf_sym_cnt(e, s->link));
			else
				assert_int_equal(r.sym, 0);
		}
	}
}

#endif
