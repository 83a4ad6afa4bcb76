/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sparse id index of trusted BTF (btf_index.c): every id resolves to
 * the same record as with the dense index (synthetic BTF; the running
 * kernel's vmlinux in tests/kernel/test_btf_sparse_kernel.c), the lazy walk
 * is also a search (bbpf_btf_visit), split BTF on a lazy base, and garbled
 * trusted blobs never read out of bounds (ASan) and fail the lazy walk
 * exactly as the eager trusted parse.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <barebpf/object.h>
#include "parse/btf.h"
#include "btf_builder.h"
#include "btf_sparse_util.h"

#define INFO(kind, kflag, vlen) ((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (uint32_t)(vlen))

/* A few hundred types of every shape, so that ids span many checkpoints. */
static void many_types(struct bb_btf *b, uint32_t n)
{
	uint32_t i32, i, id;
	char name[32];

	bb_btf_init(b);
	i32 = bb_btf_add_int(b, "int", 4, BTF_INT_SIGNED, 32);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "t%u", i);
		switch (i % 9) {
		case 0:
			id = bb_btf_add_struct(b, name, 4 * (i % 5 + 1), false);
			for (uint32_t m = 0; m < i % 5 + 1; m++) {
				snprintf(name, sizeof(name), "m%u", m);
				bb_btf_add_member(b, name, i32, 32 * m);
			}
			break;
		case 1:
			id = bb_btf_add_ptr(b, i32);
			break;
		case 2:
			id = bb_btf_add_enum(b, name, 4, false);
			bb_btf_add_enum_val(b, "A", 1);
			bb_btf_add_enum_val(b, "B", 2);
			break;
		case 3:
			id = bb_btf_add_func_proto(b, i32);
			bb_btf_add_param(b, "x", i32);
			break;
		case 4:
			id = bb_btf_add_typedef(b, name, i32);
			break;
		case 5:
			id = bb_btf_add_array(b, i32, i32, i + 1);
			break;
		case 6:
			id = bb_btf_add_enum64(b, name, 8, false);
			bb_btf_add_enum64_val(b, "C", 1ull << 40);
			break;
		case 7:
			id = bb_btf_add_union(b, name, 4, false);
			bb_btf_add_member(b, "u", i32, 0);
			break;
		default:
			id = bb_btf_add_const(b, i32);
			break;
		}
		(void)id;
	}
}

struct seen {
	uint32_t ids[4096];
	uint32_t n;
	const struct bbpf_btf *btf;
	bool check;	/* look the record up again (walks first if still lazy) */
};

static int record(void *ctx, uint32_t id, const struct btf_type *t, const char *name)
{
	struct seen *s = ctx;

	if (s->check) {
		assert_ptr_equal(bbpf_btf_type(s->btf, id), t);
		assert_string_equal(bbpf_btf_name(s->btf, id), name);
	}
	if (s->n < 4096)
		s->ids[s->n++] = id;
	return 0;
}

/* The ids a visit of kinds from start must report: named ones, in order. */
static uint32_t by_id(const struct bbpf_btf *btf, uint32_t start, uint32_t kinds, uint32_t *ids)
{
	uint32_t id, n = 0;

	for (id = start; id < btf->type_cnt; id++) {
		const struct btf_type *t = bbpf_btf_type(btf, id);

		if (t && ((kinds >> bbpf_btf_kind(t)) & 1) && *bbpf_btf_name(btf, id))
			ids[n++] = id;
	}
	return n;
}

static void test_sparse_equals_dense(void **state)
{
	struct bbpf_diag d = { 0 };
	struct bs_parsed p;
	struct bb_btf b;
	uint8_t *raw;
	uint32_t len, upper;

	(void)state;
	many_types(&b, 700);
	raw = bb_btf_raw(&b, false, &len);
	bs_parse_both(&p, raw, len);
	/* Lazy: an upper bound until the walk, then exact. */
	upper = p.lazy.type_cnt;
	assert_true(upper >= p.dense.type_cnt);
	bs_same_records(&p.dense, &p.lazy, upper);	/* the first lookup walks */
	assert_int_equal(bbpf_btf_type_cnt(&p.lazy), p.dense.type_cnt);
	assert_int_equal(bbpf_btf_complete(&p.lazy, &d), 0);
	assert_int_equal(p.lazy.type_cnt, p.dense.type_cnt);
	bs_same_records(&p.dense, &p.lazy, p.dense.type_cnt);
	/* Backwards and at random too: lookups do not depend on the previous one. */
	for (uint32_t id = p.dense.type_cnt; id-- > 1;)
		assert_ptr_equal((const uint8_t *)bbpf_btf_type(&p.lazy, id) - p.lazy.types,
				 (const uint8_t *)bbpf_btf_type(&p.dense, id) - p.dense.types);
	/* Names and the name index. */
	assert_int_equal(bbpf_btf_find_by_name_kind(&p.lazy, "t9", BTF_KIND_STRUCT),
			 bbpf_btf_find_by_name_kind(&p.dense, "t9", BTF_KIND_STRUCT));
	assert_int_equal(bbpf_btf_find_by_name_kind(&p.lazy, "t697", 0),
			 bbpf_btf_find_by_name_kind(&p.dense, "t697", 0));
	assert_int_not_equal(bbpf_btf_find_by_name_kind(&p.lazy, "t697", 0), 0);
	assert_int_equal(bbpf_btf_find_by_name_kind(&p.lazy, "nope", 0), 0);
	bbpf_arena_free(&p.arena);
	free(raw);
	bb_btf_free(&b);
}

/* The first visit is the walk; later visits start from any id. */
static void test_visit(void **state)
{
	static const uint32_t starts[] = { 0, 1, 2, 31, 32, 33, 64, 77, 500, 701, 702, 5000 };
	struct bbpf_btf_filter all;
	struct seen *s = calloc(1, sizeof(*s));
	uint32_t *want = calloc(4096, sizeof(*want));
	struct bs_parsed p;
	struct bb_btf b;
	uint8_t *raw;
	uint32_t len, n, kinds, i;

	(void)state;
	assert_non_null(s);
	assert_non_null(want);
	many_types(&b, 700);
	raw = bb_btf_raw(&b, false, &len);
	bs_parse_both(&p, raw, len);
	kinds = 1u << BTF_KIND_STRUCT | 1u << BTF_KIND_ENUM64 | 1u << BTF_KIND_TYPEDEF;
	bbpf_btf_filter_all(&all, kinds);
	s->btf = &p.lazy;
	assert_int_equal(bbpf_btf_visit(&p.lazy, 5, &all, record, s), 0);	/* walks */
	s->check = true;
	n = by_id(&p.dense, 5, kinds, want);
	assert_int_equal(s->n, n);
	assert_memory_equal(s->ids, want, n * sizeof(*want));
	assert_int_equal(bbpf_btf_type_cnt(&p.lazy), p.dense.type_cnt);
	bs_same_records(&p.dense, &p.lazy, p.dense.type_cnt);
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		const struct bbpf_btf *btfs[2] = { &p.dense, &p.lazy };

		n = by_id(&p.dense, starts[i], kinds, want);
		for (int k = 0; k < 2; k++) {
			s->n = 0;
			s->btf = btfs[k];
			assert_int_equal(bbpf_btf_visit(btfs[k], starts[i], &all, record, s), 0);
			assert_int_equal(s->n, n);
			assert_memory_equal(s->ids, want, n * sizeof(*want));
		}
	}
	/* A name filter lets through at least the names with its first two bytes. */
	{
		struct bbpf_btf_filter f = { .kinds = 1u << BTF_KIND_STRUCT };
		bool found = false;

		bbpf_btf_filter_add_name(&f, "t45", 3);
		s->n = 0;
		s->btf = &p.lazy;
		assert_int_equal(bbpf_btf_visit(&p.lazy, 0, &f, record, s), 0);
		for (i = 0; i < s->n; i++) {
			found |= !strcmp(bbpf_btf_name(&p.lazy, s->ids[i]), "t45");
			assert_int_equal(bbpf_btf_kind(bbpf_btf_type(&p.lazy, s->ids[i])),
					 BTF_KIND_STRUCT);
		}
		assert_true(found);
		assert_true(s->n < 60);	/* "t4..." structs, not all 78 */
	}
	bbpf_arena_free(&p.arena);
	free(raw);
	free(want);
	free(s);
	bb_btf_free(&b);
}

/* A split BTF parsed on a lazy base starts after the base's last id. */
static void test_split_on_lazy_base(void **state)
{
	struct bbpf_diag d = { 0 };
	struct bbpf_btf split;
	struct bb_btf sb;
	struct bs_parsed p;
	struct bb_btf b;
	uint8_t *raw, *sraw;
	uint32_t len, slen, id;

	(void)state;
	many_types(&b, 100);
	raw = bb_btf_raw(&b, false, &len);
	bs_parse_both(&p, raw, len);
	bb_btf_init_split(&sb, p.dense.type_cnt, p.dense.str_len);
	id = bb_btf_add_struct(&sb, "modstruct", 4, false);
	bb_btf_add_member(&sb, "a", 1, 0);
	sraw = bb_btf_raw(&sb, false, &slen);
	assert_int_equal(bbpf_btf_parse_trusted(&split, sraw, slen, &p.lazy, &p.arena, &d), 0);
	assert_int_equal(split.start_id, p.dense.type_cnt);
	assert_int_equal(split.type_cnt, id + 1);
	assert_string_equal(bbpf_btf_name(&split, id), "modstruct");
	assert_string_equal(bbpf_btf_name(&split, 1), "int");
	assert_int_equal(bbpf_btf_find_by_name_kind(&split, "modstruct", BTF_KIND_STRUCT), id);
	assert_int_equal(bbpf_btf_find_by_name_kind(&split, "t0", BTF_KIND_STRUCT),
			 bbpf_btf_find_by_name_kind(&p.dense, "t0", BTF_KIND_STRUCT));
	bbpf_arena_free(&p.arena);
	free(raw);
	free(sraw);
	bb_btf_free(&b);
	bb_btf_free(&sb);
}

/* ---- damage ---- */

/* Everything one can do with a BTF; under ASan, any overrun aborts. */
static void exercise(struct bbpf_btf *t)
{
	struct bbpf_btf_filter all;
	struct seen *s = calloc(1, sizeof(*s));
	struct bbpf_diag d = { 0 };
	uint32_t id, cnt = t->type_cnt;

	assert_non_null(s);
	s->btf = t;
	s->check = bbpf_btf_type_cnt(t) != 0;	/* walked, and whole */
	bbpf_btf_filter_all(&all, BS_ALL_KINDS);
	for (id = 0; id < cnt + 2; id++) {
		(void)bbpf_btf_resolve_size(t, id);
		(void)bbpf_btf_skip_mods(t, id);
		(void)strlen(bbpf_btf_name(t, id));
	}
	(void)bbpf_btf_visit(t, 0, &all, record, s);
	(void)bbpf_btf_visit(t, 40, &all, record, s);
	if (!bbpf_btf_index(t))
		(void)bbpf_btf_find_by_name_kind(t, "t3", BTF_KIND_STRUCT);
	(void)bbpf_btf_complete(t, &d);
	free(s);
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* Lazy parse + walk fails exactly where the eager trusted parse does. */
static void test_garbled(void **state)
{
	struct bb_btf b;
	uint8_t *raw, *copy;
	uint32_t len, i, ok = 0, bad = 0, types_words;
	uint64_t seed = 7;

	(void)state;
	many_types(&b, 120);
	raw = bb_btf_raw(&b, false, &len);
	types_words = (uint32_t)b.word_cnt;
	for (i = 0; i < 3000; i++) {
		struct bbpf_diag dl = { 0 }, dt = { 0 };
		struct bbpf_btf lazy, trusted;
		struct bbpf_arena arena;
		uint32_t clen = len, k, n = 1 + rnd(&seed) % 3, id, *w;
		int rl, rt;

		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, raw, len);
		for (k = 0; k < n; k++) {
			id = 1 + rnd(&seed) % (b.next_id - 1);
			w = (uint32_t *)(copy + 24) + bb_btf_type_word(&b, id) + 1;	/* info */
			switch (rnd(&seed) % 5) {
			case 0:		/* kind byte */
				((uint8_t *)w)[3] = (uint8_t)rnd(&seed);
				break;
			case 1:		/* vlen */
				((uint8_t *)w)[rnd(&seed) % 2] = (uint8_t)rnd(&seed);
				break;
			case 2:		/* any type-section byte */
				copy[24 + rnd(&seed) % (types_words * 4)] = (uint8_t)rnd(&seed);
				break;
			case 3:		/* any byte */
				copy[24 + rnd(&seed) % (len - 24)] = (uint8_t)rnd(&seed);
				break;
			default:	/* the whole info word */
				*w = rnd(&seed);
				break;
			}
		}
		if (i % 11 == 10)
			clen = rnd(&seed) % len;
		/* An exact-size heap copy: ASan sees any overrun. */
		copy = realloc(copy, clen ? clen : 1);
		assert_non_null(copy);
		bbpf_arena_init(&arena, &bbpf_alloc_libc, 1u << 22);
		rt = bbpf_btf_parse_trusted(&trusted, copy, clen, NULL, &arena, &dt);
		rl = bbpf_btf_parse_lazy(&lazy, copy, clen, NULL, &arena, &dl);
		if (!rl) {
			exercise(&lazy);
			rl = bbpf_btf_complete(&lazy, &dl);
		}
		assert_int_equal(rl, rt);
		if (rt) {
			assert_int_equal(dl.why, dt.why);
			assert_int_equal(dl.off, dt.off);
			bad++;
		} else {
			assert_int_equal(lazy.type_cnt, trusted.type_cnt);
			exercise(&trusted);
			ok++;
		}
		bbpf_arena_free(&arena);
		free(copy);
	}
	assert_true(ok > 100);
	assert_true(bad > 100);
	free(raw);
	bb_btf_free(&b);
}

/* The structural errors of the deferred walk, one by one. */
static void test_lazy_errors(void **state)
{
	static const struct {
		int what;	/* 0 unknown kind, 1 vlen past the end, 2 tail bytes */
		enum bbpf_bad why;
	} cases[] = { { 0, BBPF_BAD_BTF_KIND }, { 1, BBPF_BAD_BTF_TYPE }, { 2, BBPF_BAD_BTF_TYPE } };
	size_t c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct bbpf_btf_filter all;
		struct bbpf_diag d = { 0 };
		struct bbpf_arena arena;
		struct bbpf_btf t;
		struct seen s = { .btf = &t };
		struct bb_btf b;
		uint8_t *raw, *copy;
		uint32_t len, tlen, *w;

		many_types(&b, 80);
		w = bb_btf_word(&b, bb_btf_type_word(&b, 40) + 1);
		if (cases[c].what == 0)
			*w = INFO(25, 0, 0);
		else if (cases[c].what == 1)
			*w = INFO(BTF_KIND_STRUCT, 0, 0xffff);
		raw = bb_btf_raw(&b, false, &len);
		if (cases[c].what == 2) {
			/* 4 more bytes in the type section: not a whole record. */
			tlen = bb_get_u32(raw + 12, false);
			copy = calloc(1, len + 4);
			assert_non_null(copy);
			memcpy(copy, raw, 24 + tlen);
			memcpy(copy + 24 + tlen + 4, raw + 24 + tlen, len - 24 - tlen);
			bb_put_u32(copy + 12, tlen + 4, false);
			bb_put_u32(copy + 16, tlen + 4, false);
			free(raw);
			raw = copy;
			len += 4;
		}
		bbpf_arena_init(&arena, &bbpf_alloc_libc, 1u << 22);
		/* Nothing walked yet: the damage is not seen. */
		assert_int_equal(bbpf_btf_parse_lazy(&t, raw, len, NULL, &arena, &d), 0);
		bbpf_btf_filter_all(&all, BS_ALL_KINDS);
		assert_int_equal(bbpf_btf_visit(&t, 0, &all, record, &s), -EBADMSG);
		assert_null(bbpf_btf_type(&t, 1));
		assert_int_equal(bbpf_btf_type_cnt(&t), 0);
		assert_int_equal(bbpf_btf_find_by_name_kind(&t, "int", 0), 0);
		assert_int_equal(bbpf_btf_complete(&t, &d), -EBADMSG);
		assert_int_equal(d.why, cases[c].why);
		/* Still failing, and the eager parse agrees. */
		assert_int_equal(bbpf_btf_visit(&t, 0, &all, record, &s), -EBADMSG);
		assert_int_equal(bbpf_btf_parse_trusted(&t, raw, len, NULL, &arena, &d), -EBADMSG);
		assert_int_equal(d.why, cases[c].why);
		bbpf_arena_free(&arena);
		free(raw);
		bb_btf_free(&b);
	}
}

/*
 * bbpf_btf_find_batch (the kernel-name lookups of attach targets): the same
 * ids as bbpf_btf_find_by_name_kind for names present and absent, any kind
 * (0), few queries (compared directly) and many (hashed), on dense and lazy
 * BTF; a query already answered is left alone.
 */
static void test_find_batch(void **state)
{
	static const struct { const char *name; uint32_t kind; } names[] = {
		{ "t4", BTF_KIND_TYPEDEF }, { "t13", BTF_KIND_TYPEDEF }, { "t0", BTF_KIND_STRUCT },
		{ "t0", 0 }, { "t2", BTF_KIND_ENUM }, { "t4", BTF_KIND_STRUCT }, { "int", 0 },
		{ "t598", BTF_KIND_TYPEDEF }, { "t598", 0 }, { "nope", 0 }, { "t1000", 0 },
		{ "t600", 0 }, { "t301", 0 }, { "t499", BTF_KIND_TYPEDEF },
	};
	const uint32_t cnt = sizeof(names) / sizeof(names[0]);
	struct bbpf_btf_query q[sizeof(names) / sizeof(names[0])];
	uint32_t len, i, n, found = 0;
	struct bs_parsed p;
	struct bb_btf b;
	uint8_t *raw;

	(void)state;
	many_types(&b, 700);
	raw = bb_btf_raw(&b, false, &len);
	bs_parse_both(&p, raw, len);
	for (n = 1; n <= cnt; n += cnt - 1) {	/* one query (direct), then all (hashed) */
		for (int k = 0; k < 2; k++) {
			struct bbpf_btf *btf = k ? &p.lazy : &p.dense;

			for (i = 0; i < n; i++)
				q[i] = (struct bbpf_btf_query){ names[i].name, names[i].kind, 0 };
			assert_int_equal(bbpf_btf_find_batch(btf, 1, q, n, &p.arena), 0);
			for (i = 0; i < n; i++) {
				uint32_t want = bbpf_btf_find_by_name_kind(&p.dense, names[i].name,
									   names[i].kind);

				if (q[i].id != want)
					fail_msg("'%s' kind %u: batch %u, index %u", names[i].name,
						 names[i].kind, q[i].id, want);
				found += want != 0;
			}
		}
	}
	assert_true(found >= 8);
	/* an answered query is not searched again */
	q[0] = (struct bbpf_btf_query){ "t4", BTF_KIND_TYPEDEF, 12345 };
	assert_int_equal(bbpf_btf_find_batch(&p.dense, 1, q, 1, &p.arena), 0);
	assert_int_equal(q[0].id, 12345);
	bbpf_arena_free(&p.arena);
	free(raw);
	bb_btf_free(&b);
}

/*
 * A one-byte name at the very end of the string section, whose first two
 * bytes ("x", NUL) hash to the walk filter's bit of a long query (")m...");
 * the batch must stop at its NUL (ASan: the blob is allocated to its size).
 */
static void test_find_batch_short_name_at_end(void **state)
{
	struct bbpf_btf_query q[2] = { { ")mabcdef", BTF_KIND_TYPEDEF, 0 },
				       { ")mzzzzz", BTF_KIND_TYPEDEF, 0 } };
	struct bs_parsed p;
	struct bb_btf b;
	uint32_t len, i32;
	uint8_t *raw, *exact;

	(void)state;
	bb_btf_init(&b);
	i32 = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	bb_btf_add_typedef(&b, "x", i32);	/* the last string */
	raw = bb_btf_raw(&b, false, &len);
	exact = malloc(len);
	assert_non_null(exact);
	memcpy(exact, raw, len);
	assert_int_equal(exact[len - 2], 'x');
	assert_int_equal(exact[len - 1], 0);
	bs_parse_both(&p, exact, len);
	assert_int_equal(bbpf_btf_find_batch(&p.dense, 1, q, 2, &p.arena), 0);
	assert_int_equal(q[0].id, 0);
	assert_int_equal(bbpf_btf_find_batch(&p.lazy, 1, &q[1], 1, &p.arena), 0);
	assert_int_equal(q[1].id, 0);
	bbpf_arena_free(&p.arena);
	free(exact);
	free(raw);
	bb_btf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparse_equals_dense),
		cmocka_unit_test(test_visit),
		cmocka_unit_test(test_split_on_lazy_base),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_lazy_errors),
		cmocka_unit_test(test_find_batch),
		cmocka_unit_test(test_find_batch_short_name_at_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
