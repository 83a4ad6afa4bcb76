/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A parse context for the BTF parser tests (tests/unit/test_btf.c,
 * tests/diff/test_btf_bpftool.c): an arena, the parsed BTF, its diag, and
 * blobs the parsed BTF may borrow. cmocka setup/teardown. Include after
 * <cmocka.h>.
 */
#ifndef BP_BTF_PARSE_CTX_H
#define BP_BTF_PARSE_CTX_H

#include <stdint.h>
#include <stdlib.h>
#include <barebpf/object.h>
#include "parse/btf.h"

#define BP_BUDGET (512u << 20)

struct bp_ctx {
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	struct bbpf_diag diag;
	uint8_t *keep[16];	/* blobs a parsed btf may borrow; freed at teardown */
	int keep_cnt;
};

static inline int bp_setup(void **state)
{
	struct bp_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	bbpf_arena_init(&c->arena, &bbpf_alloc_libc, BP_BUDGET);
	*state = c;
	return 0;
}

static inline int bp_teardown(void **state)
{
	struct bp_ctx *c = *state;

	while (c->keep_cnt)
		free(c->keep[--c->keep_cnt]);
	bbpf_arena_free(&c->arena);
	free(c);
	return 0;
}

/* Parses raw bytes: detected byte order. Resets diag first. */
static inline int bp_parse_raw(struct bp_ctx *c, const uint8_t *p, uint32_t len)
{
	c->diag = (struct bbpf_diag){ 0 };
	return bbpf_btf_parse_raw(&c->btf, p, len, NULL, &c->arena, &c->diag);
}

#endif
