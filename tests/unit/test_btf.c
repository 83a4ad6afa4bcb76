/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for src/parse/btf.c, driven by blobs from btf_builder. */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <elf.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "parse/btf.h"
#include "btf_builder.h"
#include "fail_alloc.h"
#include "test_file.h"
#include "btf_parse_ctx.h"

#define BUDGET (512u << 20)

/* Builds and parses in the given byte order; returns the parse result. */
static int parse_b(struct bp_ctx *c, const struct bb_btf *b, bool swap)
{
	uint32_t len;
	uint8_t *p = bb_btf_raw(b, swap, &len);
	int err;

	c->diag = (struct bbpf_diag){ 0 };
	err = bbpf_btf_parse(&c->btf, p, len, swap, NULL, &c->arena, &c->diag);
	/* Strings (and unswapped aligned types) are borrowed from the blob. */
	assert_true(c->keep_cnt < 16);
	c->keep[c->keep_cnt++] = p;
	return err;
}

/* A blob holding one of every kind; returns ids through *ids (indexed by kind). */
static void build_all_kinds(struct bb_btf *b, uint32_t ids[NR_BTF_KINDS])
{
	uint32_t i_int, s, proto, f, v;

	bb_btf_init(b);
	i_int = ids[BTF_KIND_INT] = bb_btf_add_int(b, "int", 4, BTF_INT_SIGNED, 32);
	ids[BTF_KIND_PTR] = bb_btf_add_ptr(b, i_int);
	ids[BTF_KIND_ARRAY] = bb_btf_add_array(b, i_int, i_int, 16);
	s = ids[BTF_KIND_STRUCT] = bb_btf_add_struct(b, "pair", 8, false);
	bb_btf_add_member(b, "a", i_int, 0);
	bb_btf_add_member(b, "b", i_int, 32);
	ids[BTF_KIND_UNION] = bb_btf_add_union(b, "u", 4, true);
	bb_btf_add_member(b, "x", i_int, 3u << 24 /* 3-bit bitfield at bit 0 */);
	bb_btf_add_member(b, "y", i_int, 0);
	ids[BTF_KIND_ENUM] = bb_btf_add_enum(b, "color", 4, false);
	bb_btf_add_enum_val(b, "RED", 0);
	bb_btf_add_enum_val(b, "GREEN", -1);
	ids[BTF_KIND_FWD] = bb_btf_add_fwd(b, "opaque", true);
	ids[BTF_KIND_TYPEDEF] = bb_btf_add_typedef(b, "pair_t", s);
	ids[BTF_KIND_VOLATILE] = bb_btf_add_volatile(b, i_int);
	ids[BTF_KIND_CONST] = bb_btf_add_const(b, ids[BTF_KIND_VOLATILE]);
	ids[BTF_KIND_RESTRICT] = bb_btf_add_restrict(b, ids[BTF_KIND_PTR]);
	proto = ids[BTF_KIND_FUNC_PROTO] = bb_btf_add_func_proto(b, i_int);
	bb_btf_add_param(b, "x", i_int);
	bb_btf_add_param(b, NULL, 0);	/* varargs */
	f = ids[BTF_KIND_FUNC] = bb_btf_add_func(b, "fn", proto, BTF_FUNC_GLOBAL);
	v = ids[BTF_KIND_VAR] = bb_btf_add_var(b, "counter", i_int, BTF_VAR_GLOBAL_ALLOCATED);
	ids[BTF_KIND_DATASEC] = bb_btf_add_datasec(b, ".data", 4);
	bb_btf_add_secinfo(b, v, 0, 4);
	ids[BTF_KIND_FLOAT] = bb_btf_add_float(b, "double", 8);
	ids[BTF_KIND_DECL_TAG] = bb_btf_add_decl_tag(b, "tag", f, 0);
	ids[BTF_KIND_TYPE_TAG] = bb_btf_add_type_tag(b, "user", i_int);
	ids[BTF_KIND_ENUM64] = bb_btf_add_enum64(b, "big", 8, true);
	bb_btf_add_enum64_val(b, "HUGE", 0x123456789abcdefull);
}

static void test_all_kinds_both_orders(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t ids[NR_BTF_KINDS] = { 0 }, len[2], id, k;
	struct bbpf_btf parsed[2];
	struct bb_btf b;
	uint8_t *raw[2];
	int o;

	build_all_kinds(&b, ids);
	for (o = 0; o < 2; o++) {
		raw[o] = bb_btf_raw(&b, o == 1, &len[o]);
		assert_int_equal(bp_parse_raw(c, raw[o], len[o]), 0);
		parsed[o] = c->btf;
		assert_int_equal(parsed[o].swap, o == 1);
	}
	assert_int_equal(parsed[0].type_cnt, b.next_id);
	for (k = 1; k < NR_BTF_KINDS; k++) {
		const struct btf_type *t = bbpf_btf_type(&parsed[0], ids[k]);

		assert_non_null(t);
		assert_int_equal(bbpf_btf_kind(t), k);
	}
	/* Both orders give byte-identical host-order records and names. */
	for (id = 1; id < parsed[0].type_cnt; id++) {
		const struct btf_type *a = bbpf_btf_type(&parsed[0], id);
		const struct btf_type *z = bbpf_btf_type(&parsed[1], id);

		assert_int_equal(bbpf_btf_type_rec_len(a), bbpf_btf_type_rec_len(z));
		assert_memory_equal(a, z, bbpf_btf_type_rec_len(a));
		assert_string_equal(bbpf_btf_name(&parsed[0], id), bbpf_btf_name(&parsed[1], id));
	}
	for (o = 0; o < 2; o++) {
		const struct bbpf_btf *p = &parsed[o];
		const struct btf_type *t;

		t = bbpf_btf_type(p, ids[BTF_KIND_INT]);
		assert_int_equal(t->size, 4);
		assert_int_equal(*(const uint32_t *)(t + 1), (BTF_INT_SIGNED << 24) | 32);
		assert_string_equal(bbpf_btf_name(p, ids[BTF_KIND_STRUCT]), "pair");
		t = bbpf_btf_type(p, ids[BTF_KIND_STRUCT]);
		assert_int_equal(bbpf_btf_vlen(t), 2);
		assert_string_equal(bbpf_btf_str(p, bbpf_btf_members(t)[1].name_off), "b");
		assert_int_equal(bbpf_btf_member_bit_off(t, &bbpf_btf_members(t)[1]), 32);
		t = bbpf_btf_type(p, ids[BTF_KIND_UNION]);
		assert_true(bbpf_btf_kflag(t));
		assert_int_equal(bbpf_btf_member_bitfield_size(t, &bbpf_btf_members(t)[0]), 3);
		t = bbpf_btf_type(p, ids[BTF_KIND_ENUM]);
		assert_int_equal((int32_t)bbpf_btf_enums(t)[1].val, -1);
		t = bbpf_btf_type(p, ids[BTF_KIND_ENUM64]);
		assert_int_equal(bbpf_btf_enums64(t)[0].val_lo32, 0x89abcdef);
		assert_int_equal(bbpf_btf_enums64(t)[0].val_hi32, 0x01234567);
		t = bbpf_btf_type(p, ids[BTF_KIND_ARRAY]);
		assert_int_equal(bbpf_btf_array(t)->nelems, 16);
		t = bbpf_btf_type(p, ids[BTF_KIND_FUNC_PROTO]);
		assert_int_equal(bbpf_btf_vlen(t), 2);
		assert_int_equal(bbpf_btf_params(t)[1].type, 0);
		t = bbpf_btf_type(p, ids[BTF_KIND_FUNC]);
		assert_int_equal(bbpf_btf_vlen(t), BTF_FUNC_GLOBAL);
		t = bbpf_btf_type(p, ids[BTF_KIND_VAR]);
		assert_int_equal(bbpf_btf_var(t)->linkage, BTF_VAR_GLOBAL_ALLOCATED);
		t = bbpf_btf_type(p, ids[BTF_KIND_DATASEC]);
		assert_int_equal(bbpf_btf_secinfos(t)[0].type, ids[BTF_KIND_VAR]);
		assert_int_equal(bbpf_btf_secinfos(t)[0].size, 4);
		t = bbpf_btf_type(p, ids[BTF_KIND_DECL_TAG]);
		assert_int_equal(((const struct btf_decl_tag *)(t + 1))->component_idx, 0);
	}
	assert_null(bbpf_btf_type(&parsed[0], 0));
	assert_null(bbpf_btf_type(&parsed[0], parsed[0].type_cnt));
	assert_null(bbpf_btf_type(NULL, 1));
	assert_string_equal(bbpf_btf_name(&parsed[0], 0), "");
	assert_string_equal(bbpf_btf_str(&parsed[0], 0), "");
	assert_null(bbpf_btf_str(&parsed[0], parsed[0].str_len));
	free(raw[0]);
	free(raw[1]);
	bb_btf_free(&b);
}

/* Unaligned input is copied; results match the aligned parse. */
static void test_unaligned_input(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t ids[NR_BTF_KINDS], len;
	struct bb_btf b;
	uint8_t *raw, *buf;

	build_all_kinds(&b, ids);
	raw = bb_btf_raw(&b, false, &len);
	buf = malloc(len + 1);
	assert_non_null(buf);
	memcpy(buf + 1, raw, len);
	assert_int_equal(bp_parse_raw(c, buf + 1, len), 0);
	assert_ptr_not_equal(c->btf.types, buf + 1 + 24);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, ids[BTF_KIND_ARRAY]), 64);
	free(buf);
	free(raw);
	bb_btf_free(&b);
}

static void test_resolve_size(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t i_int, arr, arr2, s, td, cst, v, fn, proto, big, big2, big3, ch;
	struct bb_btf b;

	bb_btf_init(&b);
	i_int = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ch = bb_btf_add_int(&b, "char", 1, BTF_INT_CHAR, 8);
	arr = bb_btf_add_array(&b, i_int, i_int, 4);
	arr2 = bb_btf_add_array(&b, arr, i_int, 3);	/* int[3][4] */
	s = bb_btf_add_struct(&b, "s", 24, false);
	bb_btf_add_member(&b, "m", i_int, 0);
	td = bb_btf_add_typedef(&b, "s_t", s);
	cst = bb_btf_add_const(&b, td);
	v = bb_btf_add_var(&b, "v", arr2, 0);
	proto = bb_btf_add_func_proto(&b, 0);
	fn = bb_btf_add_func(&b, "f", proto, 0);
	big = bb_btf_add_array(&b, ch, i_int, 0xffffffffu);
	big2 = bb_btf_add_array(&b, big, i_int, 0xffffffffu);
	big3 = bb_btf_add_array(&b, big2, i_int, 0xffffffffu);
	assert_int_equal(parse_b(c, &b, false), 0);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, i_int), 4);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, arr2), 48);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, cst), 24);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, v), 48);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, big), 0xffffffffll);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, big2), -E2BIG);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, big3), -E2BIG);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, fn), -EINVAL);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, proto), -EINVAL);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, 0), -EINVAL);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, 9999), -EINVAL);
	assert_int_equal(bbpf_btf_skip_mods(&c->btf, cst), s);
	assert_int_equal(bbpf_btf_resolve(&c->btf, td), s);
	assert_int_equal(bbpf_btf_skip_mods(&c->btf, i_int), i_int);
	bb_btf_free(&b);
}

static void test_ptr_size(void **state)
{
	struct bp_ctx *c = *state;
	struct bb_btf b;
	uint32_t p;

	bb_btf_init(&b);
	p = bb_btf_add_ptr(&b, 0);
	assert_int_equal(parse_b(c, &b, false), 0);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, p), 8);
	bb_btf_free(&b);
}

/* depth typedefs over an int: 32 hops resolve, 33 do not. */
static void check_chain(struct bp_ctx *c, uint32_t depth, bool ok)
{
	struct bb_btf b;
	uint32_t i_int, id, i;

	bb_btf_init(&b);
	id = i_int = bb_btf_add_int(&b, "int", 4, 0, 32);
	for (i = 0; i < depth; i++)
		id = bb_btf_add_typedef(&b, "t", id);
	assert_int_equal(parse_b(c, &b, true), 0);
	assert_int_equal(bbpf_btf_skip_mods(&c->btf, id), ok ? i_int : 0);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, id), ok ? 4 : -ELOOP);
	bb_btf_free(&b);
}

static void test_typedef_chain_depth(void **state)
{
	check_chain(*state, BBPF_MAX_DEPTH, true);
	check_chain(*state, BBPF_MAX_DEPTH + 1, false);
}

static void test_self_loops(void **state)
{
	struct bp_ctx *c = *state;
	struct bb_btf b;
	uint32_t td, a, s;

	bb_btf_init(&b);
	td = bb_btf_add_typedef(&b, "loop", 1);		/* typedef loop loop; */
	a = bb_btf_add_array(&b, 2, 2, 2);		/* an array of itself */
	s = bb_btf_add_struct(&b, "node", 8, false);	/* struct node { struct node *next; } */
	bb_btf_add_member(&b, "next", s + 1, 0);
	bb_btf_add_ptr(&b, s);
	assert_int_equal(td, 1);
	assert_int_equal(a, 2);
	assert_int_equal(parse_b(c, &b, false), 0);
	assert_int_equal(bbpf_btf_skip_mods(&c->btf, td), 0);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, td), -ELOOP);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, a), -ELOOP);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, s), 8);
	bb_btf_free(&b);
}

static void test_find_by_name_kind(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t fwd, st, i_int, td, i, n;
	char name[32];
	struct bb_btf b;

	bb_btf_init(&b);
	fwd = bb_btf_add_fwd(&b, "task", false);
	i_int = bb_btf_add_int(&b, "int", 4, 0, 32);
	st = bb_btf_add_struct(&b, "task", 4, false);
	bb_btf_add_member(&b, "pid", i_int, 0);
	bb_btf_add_struct(&b, "task", 4, false);	/* duplicate: the first wins */
	td = bb_btf_add_typedef(&b, "task", st);
	bb_btf_add_ptr(&b, st);
	/* Enough names to force collisions in the table. */
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		bb_btf_add_typedef(&b, name, i_int);
	}
	assert_int_equal(parse_b(c, &b, false), 0);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "task", 0), fwd);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "task", BTF_KIND_STRUCT), st);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "task", BTF_KIND_TYPEDEF), td);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "task", BTF_KIND_UNION), 0);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "nope", 0), 0);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "", 0), 0);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, NULL, 0), 0);
	assert_int_equal(bbpf_btf_find_by_name_kind(NULL, "int", 0), 0);
	for (i = 0, n = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		n += bbpf_btf_find_by_name_kind(&c->btf, name, BTF_KIND_TYPEDEF) == td + 2 + i;
	}
	assert_int_equal(n, 500);
	bb_btf_free(&b);
}

/* ---- header and section rejections ---- */

static uint8_t *small_blob(uint32_t *len, bool swap)
{
	struct bb_btf b;
	uint8_t *p;
	uint32_t i_int;

	bb_btf_init(&b);
	i_int = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	bb_btf_add_struct(&b, "s", 4, false);
	bb_btf_add_member(&b, "m", i_int, 0);
	bb_btf_add_ptr(&b, i_int);
	p = bb_btf_raw(&b, swap, len);
	bb_btf_free(&b);
	return p;
}

static void expect_bad(struct bp_ctx *c, const uint8_t *p, uint32_t len, enum bbpf_bad why)
{
	int err = bp_parse_raw(c, p, len);
	int want = why == BBPF_BAD_BTF_LIMIT ? -E2BIG : -EBADMSG;

	if (err != want || c->diag.why != why)
		fail_msg("err %d why %d (%s), want %d why %d", err, c->diag.why,
			 bbpf_bad_str(c->diag.why), want, why);
}

static void test_header_rejections(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t len, str_len;
	int o;

	for (o = 0; o < 2; o++) {
		bool sw = o == 1;
		uint8_t *p = small_blob(&len, sw), *q;

		assert_int_equal(bp_parse_raw(c, p, len), 0);
		str_len = bb_get_u32(p + 20, sw);
		q = malloc(len + 64);
		assert_non_null(q);
#define MUTATE(stmt, why) do {						\
		memcpy(q, p, len);					\
		stmt;							\
		expect_bad(c, q, len, why);				\
	} while (0)
		MUTATE(q[0] ^= 1, BBPF_BAD_BTF_HEADER);				/* magic */
		MUTATE(q[2] = 2, BBPF_BAD_BTF_HEADER);				/* version */
		MUTATE(q[3] = 1, BBPF_BAD_BTF_HEADER);				/* flags */
		MUTATE(bb_put_u32(q + 4, 20, sw), BBPF_BAD_BTF_HEADER);		/* hdr_len */
		MUTATE(bb_put_u32(q + 4, len + 1, sw), BBPF_BAD_BTF_HEADER);
		MUTATE(bb_put_u32(q + 4, 28, sw), BBPF_BAD_BTF_HEADER);	/* eats type bytes */
		MUTATE(bb_put_u32(q + 4, len, sw), BBPF_BAD_BTF_HEADER);
		MUTATE(bb_put_u32(q + 8, 2, sw), BBPF_BAD_BTF_HEADER);		/* unaligned */
		MUTATE(bb_put_u32(q + 8, 0xfffffffc, sw), BBPF_BAD_BTF_HEADER);
		MUTATE(bb_put_u32(q + 12, 0xffffffff, sw), BBPF_BAD_BTF_HEADER);
		MUTATE(bb_put_u32(q + 16, 0xffffffff, sw), BBPF_BAD_BTF_HEADER);
		MUTATE(bb_put_u32(q + 20, str_len + 1, sw), BBPF_BAD_BTF_HEADER);
		MUTATE(bb_put_u32(q + 12, bb_get_u32(q + 12, sw) + 4, sw),
		       BBPF_BAD_BTF_HEADER);					/* overlap */
		MUTATE(bb_put_u32(q + 12, bb_get_u32(q + 12, sw) - 4, sw),
		       BBPF_BAD_BTF_TYPE);					/* mid-record */
		MUTATE(bb_put_u32(q + 12, bb_get_u32(q + 12, sw) - 8, sw),
		       BBPF_BAD_BTF_TYPE);
		MUTATE(bb_put_u32(q + 20, str_len - 1, sw), BBPF_BAD_BTF_STRINGS);
		MUTATE(bb_put_u32(q + 20, 0, sw), BBPF_BAD_BTF_STRINGS);
		MUTATE(q[len - str_len] = 'x', BBPF_BAD_BTF_STRINGS);	/* first byte */
		MUTATE(q[len - 1] = 'x', BBPF_BAD_BTF_STRINGS);		/* last byte */
#undef MUTATE
		/* A longer header is fine if the extra bytes are zero. */
		memset(q, 0, len + 64);
		memcpy(q, p, 24);
		memcpy(q + 32, p + 24, len - 24);
		bb_put_u32(q + 4, 32, sw);
		assert_int_equal(bp_parse_raw(c, q, len + 8), 0);
		q[28] = 1;
		expect_bad(c, q, len + 8, BBPF_BAD_BTF_HEADER);
		assert_int_equal(c->diag.off, 28);
		/* Too short for a header; empty. */
		expect_bad(c, p, 23, BBPF_BAD_BTF_HEADER);
		expect_bad(c, p, 1, BBPF_BAD_BTF_HEADER);
		expect_bad(c, p, 0, BBPF_BAD_BTF_HEADER);
		free(q);
		free(p);
	}
	assert_int_equal(bbpf_btf_parse(NULL, "", 0, false, NULL, &c->arena, NULL), -EINVAL);
}

/* Every proper prefix is rejected (the sections no longer fit), never read past. */
static void test_every_prefix(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t len, n;
	int o;

	for (o = 0; o < 2; o++) {
		uint8_t *p = small_blob(&len, o == 1);

		for (n = 0; n < len; n++) {
			/* Exact-size heap copy so ASan sees any overread. */
			uint8_t *q = malloc(n ? n : 1);

			assert_non_null(q);
			memcpy(q, p, n);
			expect_bad(c, q, n, BBPF_BAD_BTF_HEADER);
			free(q);
		}
		free(p);
	}
}

/* ---- type record rejections ---- */

typedef void (*corrupt_fn)(struct bb_btf *b);

/* Each case builds int (id 1) + the victim; corrupt() may patch words. */
struct bad_case {
	const char *what;
	void (*build)(struct bb_btf *b);
	enum bbpf_bad why;
};

#define W(b, id, i) (*bb_btf_word((b), bb_btf_type_word((b), (id)) + (i)))

static void bc_kind_unknown(struct bb_btf *b) { bb_btf_add_raw(b, 0, 20u << 24, 0, NULL, 0); }
static void bc_kind_zero(struct bb_btf *b) { bb_btf_add_raw(b, 0, 0, 0, NULL, 0); }
static void bc_info_reserved(struct bb_btf *b) { W(b, bb_btf_add_ptr(b, 1), 1) |= 1u << 20; }
static void bc_vlen_on_ptr(struct bb_btf *b) { W(b, bb_btf_add_ptr(b, 1), 1) |= 1; }
static void bc_kflag_on_ptr(struct bb_btf *b) { W(b, bb_btf_add_ptr(b, 1), 1) |= 1u << 31; }
static void bc_ptr_named(struct bb_btf *b) { W(b, bb_btf_add_ptr(b, 1), 0) = 1; }
static void bc_ptr_id(struct bb_btf *b) { bb_btf_add_ptr(b, 3); }
static void bc_typedef_id(struct bb_btf *b) { bb_btf_add_typedef(b, "t", 99); }
static void bc_typedef_anon(struct bb_btf *b) { bb_btf_add_typedef(b, NULL, 1); }
static void bc_const_id(struct bb_btf *b) { bb_btf_add_const(b, 5); }
static void bc_tag_id(struct bb_btf *b) { bb_btf_add_type_tag(b, "t", 5); }
static void bc_name_off(struct bb_btf *b) { W(b, bb_btf_add_struct(b, "s", 4, false), 0) = 9999; }
static void bc_int_bits(struct bb_btf *b) { bb_btf_add_int(b, "i", 16, 0, 129); }
static void bc_int_size(struct bb_btf *b) { bb_btf_add_int(b, "i", 3, 0, 8); }
static void bc_int_off(struct bb_btf *b) { W(b, bb_btf_add_int(b, "i", 1, 0, 8), 3) |= 1u << 16; }
static void bc_int_enc(struct bb_btf *b) { bb_btf_add_int(b, "i", 4, 3, 32); }
static void bc_int_rsvd(struct bb_btf *b) { W(b, bb_btf_add_int(b, "i", 4, 0, 32), 3) |= 1u << 30; }
static void bc_arr_elem(struct bb_btf *b) { bb_btf_add_array(b, 7, 1, 1); }
static void bc_arr_void(struct bb_btf *b) { bb_btf_add_array(b, 0, 1, 1); }
static void bc_arr_index(struct bb_btf *b) { bb_btf_add_array(b, 1, 7, 1); }
static void bc_arr_size(struct bb_btf *b) { W(b, bb_btf_add_array(b, 1, 1, 1), 2) = 4; }
static void bc_member_id(struct bb_btf *b) { bb_btf_add_struct(b, "s", 4, 0); bb_btf_add_member(b, "m", 9, 0); }
static void bc_member_void(struct bb_btf *b) { bb_btf_add_struct(b, "s", 4, 0); bb_btf_add_member(b, "m", 0, 0); }
static void bc_member_off(struct bb_btf *b) { bb_btf_add_struct(b, "s", 4, 0); bb_btf_add_member(b, "m", 1, 40); }
static void bc_union_off(struct bb_btf *b) { bb_btf_add_union(b, "u", 8, 0); bb_btf_add_member(b, "m", 1, 32); }
static void bc_member_name(struct bb_btf *b)
{
	uint32_t s = bb_btf_add_struct(b, "s", 4, 0);

	bb_btf_add_member(b, "m", 1, 0);
	W(b, s, 3) = 9999;
}
static void bc_enum_size(struct bb_btf *b) { bb_btf_add_enum(b, "e", 3, 0); }
static void bc_enum64_size(struct bb_btf *b) { bb_btf_add_enum64(b, "e", 16, 0); }
static void bc_enum_name(struct bb_btf *b)
{
	uint32_t e = bb_btf_add_enum(b, "e", 4, 0);

	bb_btf_add_enum_val(b, "A", 1);
	W(b, e, 3) = 9999;
}
static void bc_fwd_type(struct bb_btf *b) { W(b, bb_btf_add_fwd(b, "f", 0), 2) = 1; }
static void bc_fwd_anon(struct bb_btf *b) { bb_btf_add_fwd(b, NULL, 0); }
static void bc_func_not_proto(struct bb_btf *b) { bb_btf_add_func(b, "f", 1, 0); }
static void bc_func_id(struct bb_btf *b) { bb_btf_add_func(b, "f", 50, 0); }
static void bc_func_linkage(struct bb_btf *b) { bb_btf_add_func(b, "f", bb_btf_add_func_proto(b, 0), 3); }
static void bc_func_anon(struct bb_btf *b) { bb_btf_add_func(b, NULL, bb_btf_add_func_proto(b, 0), 0); }
static void bc_proto_ret(struct bb_btf *b) { bb_btf_add_func_proto(b, 77); }
static void bc_proto_named(struct bb_btf *b) { W(b, bb_btf_add_func_proto(b, 1), 0) = 1; }
static void bc_param_id(struct bb_btf *b) { bb_btf_add_func_proto(b, 1); bb_btf_add_param(b, "a", 77); }
static void bc_param_name(struct bb_btf *b)
{
	uint32_t p = bb_btf_add_func_proto(b, 1);

	bb_btf_add_param(b, "a", 1);
	W(b, p, 3) = 9999;
}
static void bc_param_void_mid(struct bb_btf *b)
{
	bb_btf_add_func_proto(b, 1);
	bb_btf_add_param(b, NULL, 0);
	bb_btf_add_param(b, "a", 1);
}
static void bc_param_void_named(struct bb_btf *b) { bb_btf_add_func_proto(b, 1); bb_btf_add_param(b, "a", 0); }
static void bc_var_id(struct bb_btf *b) { bb_btf_add_var(b, "v", 42, 0); }
static void bc_var_void(struct bb_btf *b) { bb_btf_add_var(b, "v", 0, 0); }
static void bc_var_linkage(struct bb_btf *b) { bb_btf_add_var(b, "v", 1, 3); }
static void bc_var_anon(struct bb_btf *b) { bb_btf_add_var(b, NULL, 1, 0); }
static void bc_sec_id(struct bb_btf *b) { bb_btf_add_datasec(b, ".d", 4); bb_btf_add_secinfo(b, 42, 0, 4); }
static void bc_sec_not_var(struct bb_btf *b) { bb_btf_add_datasec(b, ".d", 4); bb_btf_add_secinfo(b, 1, 0, 4); }
static void bc_sec_anon(struct bb_btf *b) { bb_btf_add_datasec(b, NULL, 4); }
static void bc_float_size(struct bb_btf *b) { bb_btf_add_float(b, "f", 3); }
static void bc_decl_id(struct bb_btf *b) { bb_btf_add_decl_tag(b, "t", 42, -1); }
static void bc_decl_void(struct bb_btf *b) { bb_btf_add_decl_tag(b, "t", 0, -1); }
static void bc_decl_idx(struct bb_btf *b)
{
	uint32_t s = bb_btf_add_struct(b, "s", 4, 0);

	bb_btf_add_member(b, "m", 1, 0);
	bb_btf_add_decl_tag(b, "t", s, 1);
}
static void bc_decl_idx_neg(struct bb_btf *b) { bb_btf_add_decl_tag(b, "t", 1, -2); }
static void bc_decl_idx_int(struct bb_btf *b) { bb_btf_add_decl_tag(b, "t", 1, 0); }
static void bc_truncated_members(struct bb_btf *b)
{
	/* vlen says 2 members, only 1 present: the record runs past the section. */
	uint32_t s = bb_btf_add_struct(b, "s", 4, 0);

	bb_btf_add_member(b, "m", 1, 0);
	W(b, s, 1) += 1;
}

static const struct bad_case bad_cases[] = {
	{ "unknown kind", bc_kind_unknown, BBPF_BAD_BTF_KIND },
	{ "kind 0", bc_kind_zero, BBPF_BAD_BTF_KIND },
	{ "info reserved bits", bc_info_reserved, BBPF_BAD_BTF_TYPE },
	{ "vlen on ptr", bc_vlen_on_ptr, BBPF_BAD_BTF_TYPE },
	{ "kflag on ptr", bc_kflag_on_ptr, BBPF_BAD_BTF_TYPE },
	{ "named ptr", bc_ptr_named, BBPF_BAD_BTF_NAME },
	{ "ptr target", bc_ptr_id, BBPF_BAD_BTF_TYPE_ID },
	{ "typedef target", bc_typedef_id, BBPF_BAD_BTF_TYPE_ID },
	{ "anonymous typedef", bc_typedef_anon, BBPF_BAD_BTF_NAME },
	{ "const target", bc_const_id, BBPF_BAD_BTF_TYPE_ID },
	{ "type_tag target", bc_tag_id, BBPF_BAD_BTF_TYPE_ID },
	{ "name offset", bc_name_off, BBPF_BAD_BTF_NAME },
	{ "int bits", bc_int_bits, BBPF_BAD_BTF_TYPE },
	{ "int size", bc_int_size, BBPF_BAD_BTF_TYPE },
	{ "int offset+bits", bc_int_off, BBPF_BAD_BTF_TYPE },
	{ "int encoding", bc_int_enc, BBPF_BAD_BTF_TYPE },
	{ "int reserved", bc_int_rsvd, BBPF_BAD_BTF_TYPE },
	{ "array elem", bc_arr_elem, BBPF_BAD_BTF_TYPE_ID },
	{ "array of void", bc_arr_void, BBPF_BAD_BTF_TYPE_ID },
	{ "array index", bc_arr_index, BBPF_BAD_BTF_TYPE_ID },
	{ "array size", bc_arr_size, BBPF_BAD_BTF_TYPE },
	{ "member type", bc_member_id, BBPF_BAD_BTF_TYPE_ID },
	{ "void member", bc_member_void, BBPF_BAD_BTF_TYPE_ID },
	{ "member offset", bc_member_off, BBPF_BAD_BTF_TYPE },
	{ "union member offset", bc_union_off, BBPF_BAD_BTF_TYPE },
	{ "member name", bc_member_name, BBPF_BAD_BTF_NAME },
	{ "enum size", bc_enum_size, BBPF_BAD_BTF_TYPE },
	{ "enum64 size", bc_enum64_size, BBPF_BAD_BTF_TYPE },
	{ "enum value name", bc_enum_name, BBPF_BAD_BTF_NAME },
	{ "fwd type", bc_fwd_type, BBPF_BAD_BTF_TYPE },
	{ "anonymous fwd", bc_fwd_anon, BBPF_BAD_BTF_NAME },
	{ "func not proto", bc_func_not_proto, BBPF_BAD_BTF_TYPE },
	{ "func target", bc_func_id, BBPF_BAD_BTF_TYPE_ID },
	{ "func linkage", bc_func_linkage, BBPF_BAD_BTF_TYPE },
	{ "anonymous func", bc_func_anon, BBPF_BAD_BTF_NAME },
	{ "proto return", bc_proto_ret, BBPF_BAD_BTF_TYPE_ID },
	{ "named proto", bc_proto_named, BBPF_BAD_BTF_NAME },
	{ "param type", bc_param_id, BBPF_BAD_BTF_TYPE_ID },
	{ "param name", bc_param_name, BBPF_BAD_BTF_NAME },
	{ "void param mid", bc_param_void_mid, BBPF_BAD_BTF_TYPE },
	{ "named void param", bc_param_void_named, BBPF_BAD_BTF_TYPE },
	{ "var type", bc_var_id, BBPF_BAD_BTF_TYPE_ID },
	{ "void var", bc_var_void, BBPF_BAD_BTF_TYPE_ID },
	{ "var linkage", bc_var_linkage, BBPF_BAD_BTF_TYPE },
	{ "anonymous var", bc_var_anon, BBPF_BAD_BTF_NAME },
	{ "secinfo type", bc_sec_id, BBPF_BAD_BTF_TYPE_ID },
	{ "secinfo not var", bc_sec_not_var, BBPF_BAD_BTF_TYPE_ID },
	{ "anonymous datasec", bc_sec_anon, BBPF_BAD_BTF_NAME },
	{ "float size", bc_float_size, BBPF_BAD_BTF_TYPE },
	{ "decl_tag target", bc_decl_id, BBPF_BAD_BTF_TYPE_ID },
	{ "decl_tag void", bc_decl_void, BBPF_BAD_BTF_TYPE_ID },
	{ "decl_tag idx", bc_decl_idx, BBPF_BAD_BTF_TYPE },
	{ "decl_tag idx < -1", bc_decl_idx_neg, BBPF_BAD_BTF_TYPE },
	{ "decl_tag idx on int", bc_decl_idx_int, BBPF_BAD_BTF_TYPE },
	{ "truncated members", bc_truncated_members, BBPF_BAD_BTF_TYPE },
};

static void test_type_rejections(void **state)
{
	struct bp_ctx *c = *state;
	size_t i;
	int o;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		for (o = 0; o < 2; o++) {
			struct bb_btf b;
			uint8_t *p;
			uint32_t len;
			int err;

			bb_btf_init(&b);
			bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
			bad_cases[i].build(&b);
			p = bb_btf_raw(&b, o == 1, &len);
			err = bp_parse_raw(c, p, len);
			if (err != -EBADMSG || c->diag.why != bad_cases[i].why)
				fail_msg("%s (%s order): err %d why %s, want %s", bad_cases[i].what,
					 o ? "foreign" : "host", err, bbpf_bad_str(c->diag.why),
					 bbpf_bad_str(bad_cases[i].why));
			/* The failing record is the last one, id 2 unless a proto came first. */
			assert_true(c->diag.idx >= 2 && c->diag.idx < b.next_id);
			assert_true(c->diag.off >= 24 && c->diag.off < len);
			assert_int_equal(c->diag.sec, BBPF_DIAG_NO_SEC);
			free(p);
			bb_btf_free(&b);
		}
	}
}

/* Shapes the kernel accepts that a strict reading might not. */
static void test_accepted_edge_cases(void **state)
{
	struct bp_ctx *c = *state;
	uint32_t i_int, s, proto, fn, flex;
	struct bb_btf b;

	bb_btf_init(&b);
	i_int = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	bb_btf_add_int(&b, "u128", 16, 0, 128);
	bb_btf_add_int(&b, "bool", 1, BTF_INT_BOOL, 1);
	flex = bb_btf_add_array(&b, i_int, i_int, 0);
	s = bb_btf_add_struct(&b, "flex", 4, false);
	bb_btf_add_member(&b, "n", i_int, 0);
	bb_btf_add_member(&b, "tail", flex, 32);	/* ends exactly at the struct's end */
	proto = bb_btf_add_func_proto(&b, 0);
	bb_btf_add_param(&b, "a", i_int);
	fn = bb_btf_add_func(&b, "kfunc", proto, BTF_FUNC_EXTERN);
	bb_btf_add_datasec(&b, ".ksyms", 0);	/* size 0, FUNC entry: as clang emits */
	bb_btf_add_secinfo(&b, fn, 0, 0);
	bb_btf_add_datasec(&b, ".empty", 0);
	bb_btf_add_decl_tag(&b, "arg", fn, 0);
	bb_btf_add_decl_tag(&b, "whole", s, -1);
	bb_btf_add_enum(&b, "e", 1, false);	/* no values, 1 byte */
	bb_btf_add_typedef(&b, "vt", 0);		/* typedef void vt */
	bb_btf_add_ptr(&b, 0);
	assert_int_equal(parse_b(c, &b, false), 0);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, s), 4);
	bb_btf_free(&b);
}

static void test_empty_types(void **state)
{
	struct bp_ctx *c = *state;
	struct bb_btf b;

	bb_btf_init(&b);
	assert_int_equal(parse_b(c, &b, true), 0);
	assert_int_equal(c->btf.type_cnt, 1);
	assert_int_equal(c->btf.str_len, 1);
	assert_int_equal(bbpf_btf_find_by_name_kind(&c->btf, "x", 0), 0);
	bb_btf_free(&b);
}

static void test_limits(void **state)
{
	struct bp_ctx *c = *state;
	struct bb_btf b;
	uint8_t *p;
	uint32_t len, i;

	/* One string byte too many. */
	bb_btf_init(&b);
	{
		char *big = malloc(BBPF_MAX_BTF_STR_LEN);

		assert_non_null(big);
		memset(big, 'a', BBPF_MAX_BTF_STR_LEN - 1);
		big[BBPF_MAX_BTF_STR_LEN - 1] = '\0';
		bb_btf_str(&b, big);	/* 1 + 2^24 bytes */
		free(big);
	}
	p = bb_btf_raw(&b, false, &len);
	expect_bad(c, p, len, BBPF_BAD_BTF_LIMIT);
	free(p);
	bb_btf_free(&b);

	/* Ids up to BBPF_MAX_BTF_TYPES - 1 are fine; one more is not. */
	bb_btf_init(&b);
	for (i = 1; i < BBPF_MAX_BTF_TYPES; i++)
		bb_btf_add_ptr(&b, 0);
	p = bb_btf_raw(&b, false, &len);
	assert_int_equal(bp_parse_raw(c, p, len), 0);
	assert_int_equal(c->btf.type_cnt, BBPF_MAX_BTF_TYPES);
	free(p);
	bb_btf_add_ptr(&b, 0);
	p = bb_btf_raw(&b, false, &len);
	expect_bad(c, p, len, BBPF_BAD_BTF_LIMIT);
	free(p);
	bb_btf_free(&b);
}

/* ---- split BTF ---- */

static void test_split(void **state)
{
	struct bp_ctx *c = *state;
	struct bbpf_btf base, split;
	struct bb_btf bb, sb;
	uint32_t i_int, task, len, blen, my, p_id;
	uint8_t *braw, *sraw;
	int o;

	bb_btf_init(&bb);
	i_int = bb_btf_add_int(&bb, "int", 4, BTF_INT_SIGNED, 32);
	task = bb_btf_add_struct(&bb, "task", 4, false);
	bb_btf_add_member(&bb, "pid", i_int, 0);
	braw = bb_btf_raw(&bb, false, &blen);
	assert_int_equal(bp_parse_raw(c, braw, blen), 0);
	base = c->btf;

	for (o = 0; o < 2; o++) {
		bb_btf_init_split(&sb, base.type_cnt, base.str_len);
		p_id = bb_btf_add_ptr(&sb, task);
		my = bb_btf_add_struct(&sb, "task", 8, false);	/* shadows the base's */
		bb_btf_add_member(&sb, "pid", i_int, 0);
		bb_btf_add_member(&sb, "next", p_id, 0);
		/* A name from the base's strings. */
		*bb_btf_word(&sb, bb_btf_type_word(&sb, my) + 3) = 1;
		bb_btf_add_typedef(&sb, "mine_t", my);
		sraw = bb_btf_raw(&sb, o == 1, &len);
		c->diag = (struct bbpf_diag){ 0 };
		assert_int_equal(bbpf_btf_parse_raw(&split, sraw, len, &base, &c->arena, &c->diag),
				 0);
		assert_int_equal(split.start_id, 3);
		assert_int_equal(split.type_cnt, 6);
		assert_int_equal(split.start_str_off, base.str_len);
		assert_int_equal(bbpf_btf_kind(bbpf_btf_type(&split, i_int)), BTF_KIND_INT);
		assert_int_equal(bbpf_btf_type(&split, p_id)->type, task);
		assert_string_equal(bbpf_btf_name(&split, my), "task");
		assert_string_equal(bbpf_btf_name(&split, i_int), "int");
		assert_string_equal(bbpf_btf_str(&split, 1), "int");
		assert_string_equal(bbpf_btf_name(&split, my + 1), "mine_t");
		assert_int_equal(bbpf_btf_find_by_name_kind(&split, "task", BTF_KIND_STRUCT), task);
		assert_int_equal(bbpf_btf_find_by_name_kind(&split, "mine_t", 0), my + 1);
		assert_int_equal(bbpf_btf_find_by_name_kind(&split, "int", 0), i_int);
		assert_int_equal(bbpf_btf_resolve_size(&split, my + 1), 8);
		assert_int_equal(bbpf_btf_member_bit_off(bbpf_btf_type(&split, my),
							 &bbpf_btf_members(bbpf_btf_type(&split, my))[0]), 0);
		free(sraw);
		bb_btf_free(&sb);
	}

	/* A split reference past the end, and one to a string past the end. */
	bb_btf_init_split(&sb, base.type_cnt, base.str_len);
	bb_btf_add_ptr(&sb, 4);
	sraw = bb_btf_raw(&sb, false, &len);
	c->diag = (struct bbpf_diag){ 0 };
	assert_int_equal(bbpf_btf_parse_raw(&split, sraw, len, &base, &c->arena, &c->diag),
			 -EBADMSG);
	assert_int_equal(c->diag.why, BBPF_BAD_BTF_TYPE_ID);
	assert_int_equal(c->diag.idx, 3);
	free(sraw);
	bb_btf_free(&sb);

	/* No strings of its own is fine for split BTF. */
	bb_btf_init_split(&sb, base.type_cnt, base.str_len);
	bb_btf_add_ptr(&sb, task);
	sraw = bb_btf_raw(&sb, false, &len);
	assert_int_equal(bbpf_btf_parse_raw(&split, sraw, len, &base, &c->arena, NULL), 0);
	assert_int_equal(split.str_len, base.str_len);
	assert_null(bbpf_btf_str(&split, base.str_len));
	*bb_btf_word(&sb, 0) = base.str_len;
	free(sraw);
	sraw = bb_btf_raw(&sb, false, &len);
	c->diag = (struct bbpf_diag){ 0 };
	assert_int_equal(bbpf_btf_parse_raw(&split, sraw, len, &base, &c->arena, &c->diag),
			 -EBADMSG);
	assert_int_equal(c->diag.why, BBPF_BAD_BTF_NAME);
	free(sraw);
	bb_btf_free(&sb);
	free(braw);
	bb_btf_free(&bb);
}

/* Every allocation failure surfaces as -ENOMEM; eventually it succeeds. */
static void test_alloc_failures(void **state)
{
	uint32_t ids[NR_BTF_KINDS], len;
	struct bb_btf b;
	uint8_t *p;
	unsigned long n;
	int o;

	(void)state;
	build_all_kinds(&b, ids);
	for (o = 0; o < 2; o++) {
		p = bb_btf_raw(&b, o == 1, &len);
		for (n = 0;; n++) {
			struct fa fa;
			struct bbpf_alloc al = fa_after(&fa, n);
			struct bbpf_arena arena;
			struct bbpf_btf btf;
			int err;

			bbpf_arena_init(&arena, &al, BUDGET);
			err = bbpf_btf_parse_raw(&btf, p, len, NULL, &arena, NULL);
			if (!err) {
				/* The index may still fail; then the lookup says "none". */
				if (!bbpf_btf_find_by_name_kind(&btf, "pair", 0))
					assert_true(fa.failed > 0);
				bbpf_arena_free(&arena);
				break;
			}
			assert_int_equal(err, -ENOMEM);
			bbpf_arena_free(&arena);
			assert_int_equal(fa.live, 0);
			assert_true(n < 100);
		}
		free(p);
	}
	bb_btf_free(&b);
}

/* ---- real data (the running kernel's vmlinux: tests/diff/test_btf_bpftool.c) ---- */

/*
 * .BTF of clang-built fixtures, if present. A minimal ELF64 section lookup
 * with bounds checks; the real ELF reader has its own tests.
 */
static uint64_t get_n(const uint8_t *p, unsigned int n, bool big)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * (big ? n - 1 - i : i));
	return v;
}

static int fixture_btf(const uint8_t *p, size_t len, bool *swap, const uint8_t **out,
		       uint32_t *out_len)
{
	const uint16_t one = 1;
	uint64_t shoff, i, shnum, str_off, str_size;
	uint16_t shstrndx;
	bool big;

	if (len < 64 || memcmp(p, ELFMAG, SELFMAG) || p[EI_CLASS] != ELFCLASS64)
		return -1;
	big = p[EI_DATA] == ELFDATA2MSB;
	shoff = get_n(p + 40, 8, big);
	shnum = get_n(p + 60, 2, big);
	shstrndx = (uint16_t)get_n(p + 62, 2, big);
	if (shoff > len || shnum * 64 > len - shoff || shstrndx >= shnum)
		return -1;
	str_off = get_n(p + shoff + shstrndx * 64 + 24, 8, big);
	str_size = get_n(p + shoff + shstrndx * 64 + 32, 8, big);
	if (str_off > len || str_size > len - str_off)
		return -1;
	for (i = 0; i < shnum; i++) {
		const uint8_t *h = p + shoff + i * 64;
		uint64_t name = get_n(h, 4, big), off = get_n(h + 24, 8, big);
		uint64_t size = get_n(h + 32, 8, big);

		if (name >= str_size || str_size - name < 5 || off > len || size > len - off)
			continue;
		if (memcmp(p + str_off + name, ".BTF", 5) == 0) {
			*out = p + off;
			*out_len = (uint32_t)size;
			*swap = big == (*(const uint8_t *)&one == 1);
			return 0;
		}
	}
	return -1;
}

static void test_fixtures(void **state)
{
	struct bp_ctx *c = *state;
	glob_t g;
	size_t i, done = 0;

	if (glob(BBPF_FIXTURE_DIR "/*.o", 0, NULL, &g) != 0)
		fail_msg("no objects in %s (run `make fixtures`)", BBPF_FIXTURE_DIR);
	for (i = 0; i < g.gl_pathc; i++) {
		const uint8_t *btf;
		uint32_t len, blen;
		uint8_t *p = tf_read_file(g.gl_pathv[i], &len);
		bool swap;

		if (!p)
			fail_msg("cannot read %s", g.gl_pathv[i]);
		if (fixture_btf(p, len, &swap, &btf, &blen) != 0) {
			/* the one fixture made without BTF (Makefile: llvm-objcopy) */
			if (!strstr(g.gl_pathv[i], "/nobtf_stripped."))
				fail_msg("%s: no .BTF section found", g.gl_pathv[i]);
			free(p);
			continue;
		}
		c->diag = (struct bbpf_diag){ 0 };
		if (bbpf_btf_parse(&c->btf, btf, blen, swap, NULL, &c->arena, &c->diag) != 0)
			fail_msg("%s: %s at %llu id %u", g.gl_pathv[i], bbpf_bad_str(c->diag.why),
				 (unsigned long long)c->diag.off, c->diag.idx);
		assert_true(c->btf.type_cnt > 1);
		done++;
		free(p);
	}
	printf("fixtures: %zu objects with .BTF parsed\n", done);
	assert_true(done >= 2);		/* at least one fixture in each byte order */
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_kinds_both_orders, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_input, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_resolve_size, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_size, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_typedef_chain_depth, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_self_loops, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_find_by_name_kind, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_header_rejections, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_every_prefix, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_type_rejections, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_accepted_edge_cases, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_empty_types, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_limits, bp_setup, bp_teardown),
		cmocka_unit_test_setup_teardown(test_split, bp_setup, bp_teardown),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test_setup_teardown(test_fixtures, bp_setup, bp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
