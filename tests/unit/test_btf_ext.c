/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for src/parse/btf_ext.c. */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "parse/btf_ext.h"
#include "btf_builder.h"
#include "fail_alloc.h"
#include "test_file.h"

struct ctx {
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	struct bbpf_btf_ext ext;
	struct bbpf_diag diag;
	uint8_t *btf_raw;
	/* Ids and string offsets in the BTF. */
	uint32_t fn_main, fn_sub, i_int, s_task;
	uint32_t str_sec1, str_sec2, str_file, str_line, str_access;
};

/* BTF with two FUNCs and the strings the .BTF.ext records refer to. */
static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct bb_btf b;
	uint32_t proto, len;

	if (!c)
		return -1;
	bbpf_arena_init(&c->arena, &bbpf_alloc_libc, 64u << 20);
	bb_btf_init(&b);
	c->i_int = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	c->s_task = bb_btf_add_struct(&b, "task", 4, false);
	bb_btf_add_member(&b, "pid", c->i_int, 0);
	proto = bb_btf_add_func_proto(&b, c->i_int);
	bb_btf_add_param(&b, "ctx", c->i_int);
	c->fn_main = bb_btf_add_func(&b, "prog", proto, BTF_FUNC_GLOBAL);
	c->fn_sub = bb_btf_add_func(&b, "sub", proto, BTF_FUNC_STATIC);
	c->str_sec1 = bb_btf_str(&b, "kprobe/do_sys_open");
	c->str_sec2 = bb_btf_str(&b, ".text");
	c->str_file = bb_btf_str(&b, "/src/prog.bpf.c");
	c->str_line = bb_btf_str(&b, "\treturn 0;");
	c->str_access = bb_btf_str(&b, "0:0");
	c->btf_raw = bb_btf_raw(&b, false, &len);
	bb_btf_free(&b);
	if (bbpf_btf_parse_raw(&c->btf, c->btf_raw, len, NULL, &c->arena, NULL))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	bbpf_arena_free(&c->arena);
	free(c->btf_raw);
	free(c);
	return 0;
}

static int parse(struct ctx *c, const uint8_t *p, uint32_t len, bool swap)
{
	c->diag = (struct bbpf_diag){ 0 };
	return bbpf_btf_ext_parse(&c->ext, p, len, swap, &c->btf, &c->arena, &c->diag);
}

/* Two sections of func and line info, one of CO-RE relocations. */
static void build_good(struct ctx *c, struct bb_btf_ext *e, uint32_t func_rec, uint32_t line_rec,
		       uint32_t core_rec)
{
	bb_ext_init(e, func_rec, line_rec, core_rec);
	bb_ext_sec(e, BB_EXT_FUNC, c->str_sec1);
	bb_ext_func(e, 0, c->fn_main);
	bb_ext_sec(e, BB_EXT_FUNC, c->str_sec2);
	bb_ext_func(e, 0, c->fn_sub);
	bb_ext_func(e, 64, c->fn_sub);
	bb_ext_sec(e, BB_EXT_LINE, c->str_sec1);
	bb_ext_line(e, 0, c->str_file, c->str_line, (12 << 10) | 5);
	bb_ext_line(e, 8, c->str_file, c->str_line, (13 << 10) | 1);
	bb_ext_sec(e, BB_EXT_LINE, c->str_sec2);
	bb_ext_line(e, 16, c->str_file, 0, 0);
	bb_ext_sec(e, BB_EXT_CORE, c->str_sec1);
	bb_ext_core(e, 24, c->s_task, c->str_access, BPF_CORE_FIELD_BYTE_OFFSET);
	bb_ext_core(e, 32, c->s_task, c->str_access, BPF_CORE_TYPE_MATCHES);
}

static bool in_blob(const void *r, const uint8_t *p, uint32_t len)
{
	return (const uint8_t *)r >= p && (const uint8_t *)r < p + len;
}

static void check_good(struct ctx *c, uint32_t func_rec)
{
	const struct bbpf_btf_ext *x = &c->ext;
	const struct bbpf_btf_ext_sec *s;
	const struct bpf_func_info *fi;
	const struct bpf_line_info *li;
	const struct bpf_core_relo *cr;

	assert_int_equal(x->func_info.rec_size, func_rec);
	assert_int_equal(x->func_info.sec_cnt, 2);
	assert_int_equal(x->func_info.rec_cnt, 3);
	assert_int_equal(x->line_info.sec_cnt, 2);
	assert_int_equal(x->line_info.rec_cnt, 3);
	assert_int_equal(x->core_relo.sec_cnt, 1);
	assert_int_equal(x->core_relo.rec_cnt, 2);

	s = bbpf_btf_ext_find(&x->func_info, ".text");
	assert_non_null(s);
	assert_int_equal(s->cnt, 2);
	fi = s->recs;
	assert_int_equal(fi[1].insn_off, 64);
	assert_int_equal(fi[1].type_id, c->fn_sub);
	s = bbpf_btf_ext_find(&x->func_info, "kprobe/do_sys_open");
	assert_non_null(s);
	assert_int_equal(((const struct bpf_func_info *)s->recs)[0].type_id, c->fn_main);
	assert_null(bbpf_btf_ext_find(&x->func_info, "nope"));
	assert_null(bbpf_btf_ext_find(NULL, ".text"));

	s = bbpf_btf_ext_find(&x->line_info, "kprobe/do_sys_open");
	assert_non_null(s);
	li = s->recs;
	assert_int_equal(li[1].insn_off, 8);
	assert_int_equal(li[1].file_name_off, c->str_file);
	assert_int_equal(li[1].line_off, c->str_line);
	assert_int_equal(BPF_LINE_INFO_LINE_NUM(li[1].line_col), 13);
	assert_int_equal(BPF_LINE_INFO_LINE_COL(li[0].line_col), 5);

	s = bbpf_btf_ext_find(&x->core_relo, "kprobe/do_sys_open");
	assert_non_null(s);
	cr = s->recs;
	assert_int_equal(cr[1].insn_off, 32);
	assert_int_equal(cr[1].type_id, c->s_task);
	assert_int_equal(cr[1].access_str_off, c->str_access);
	assert_int_equal(cr[1].kind, BPF_CORE_TYPE_MATCHES);
	assert_string_equal(bbpf_btf_str(&c->btf, cr[0].access_str_off), "0:0");
}

static void test_good_both_orders(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	uint32_t len;
	uint8_t *p;
	int o;

	build_good(c, &e, 0, 0, 0);
	for (o = 0; o < 2; o++) {
		p = bb_ext_raw(&e, o == 1, &len);
		assert_int_equal(parse(c, p, len, o == 1), 0);
		check_good(c, 8);
		/* Host order, the kernel's record sizes, aligned: the records are the input's. */
		assert_int_equal(in_blob(c->ext.line_info.secs[0].recs, p, len), o == 0);
		assert_int_equal(in_blob(c->ext.func_info.secs[1].recs, p, len), o == 0);
		assert_int_equal(in_blob(c->ext.core_relo.secs[0].recs, p, len), o == 0);
		free(p);
	}
	bb_ext_free(&e);
}

/* A blob at an odd address: the records are decoded copies, the same values. */
static void test_unaligned_decoded(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	uint32_t len;
	uint8_t *p, *q;

	build_good(c, &e, 0, 0, 0);
	p = bb_ext_raw(&e, false, &len);
	q = malloc(len + 1);
	assert_non_null(q);
	memcpy(q + 1, p, len);
	assert_int_equal(parse(c, q + 1, len, false), 0);
	free(q);	/* nothing borrowed but the names, which check_good reads from the BTF */
	free(p);
	check_good(c, 8);
	bb_ext_free(&e);
}

/* A newer, larger record: the tail is ignored. */
static void test_larger_records(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	uint32_t len;
	uint8_t *p;
	int o;

	build_good(c, &e, 12, 20, 24);
	for (o = 0; o < 2; o++) {
		p = bb_ext_raw(&e, o == 1, &len);
		assert_int_equal(parse(c, p, len, o == 1), 0);
		free(p);	/* larger records are decoded: nothing borrowed from the blob */
		check_good(c, 12);
		assert_int_equal(c->ext.line_info.rec_size, 20);
		assert_int_equal(c->ext.core_relo.rec_size, 24);
	}
	bb_ext_free(&e);
}

static void test_header_variants(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	uint32_t len;
	uint8_t *p, *q;

	/* 24-byte header: no core_relo, even though the builder has some. */
	build_good(c, &e, 0, 0, 0);
	e.hdr_len = 24;
	p = bb_ext_raw(&e, false, &len);
	assert_int_equal(parse(c, p, len, false), 0);
	assert_int_equal(c->ext.func_info.rec_cnt, 3);
	assert_int_equal(c->ext.core_relo.rec_cnt, 0);
	assert_null(bbpf_btf_ext_find(&c->ext.core_relo, ".text"));
	free(p);

	/* A longer header (newer format): extra bytes are ignored. */
	e.hdr_len = 40;
	p = bb_ext_raw(&e, true, &len);
	q = calloc(1, len);
	assert_non_null(q);
	memcpy(q, p, len);
	memset(q + 32, 0xab, 8);
	assert_int_equal(parse(c, q, len, true), 0);
	check_good(c, 8);
	free(q);
	free(p);

	/* Nothing at all. */
	bb_ext_free(&e);
	bb_ext_init(&e, 0, 0, 0);
	p = bb_ext_raw(&e, false, &len);
	assert_int_equal(len, 32);
	assert_int_equal(parse(c, p, len, false), 0);
	assert_int_equal(c->ext.func_info.sec_cnt + c->ext.line_info.sec_cnt +
			 c->ext.core_relo.sec_cnt, 0);
	free(p);
	bb_ext_free(&e);
	assert_int_equal(bbpf_btf_ext_parse(NULL, "", 0, false, &c->btf, &c->arena, NULL), -EINVAL);
	assert_int_equal(bbpf_btf_ext_parse(&c->ext, "", 0, false, NULL, &c->arena, NULL), -EINVAL);
}

static void expect_bad(struct ctx *c, const uint8_t *p, uint32_t len, bool swap, enum bbpf_bad why,
		       const char *what)
{
	int err = parse(c, p, len, swap);

	if (err != -EBADMSG || c->diag.why != why)
		fail_msg("%s: err %d why %s, want %s", what, err, bbpf_bad_str(c->diag.why),
			 bbpf_bad_str(why));
	assert_true(c->diag.off < len || len == 0);
}

/* Offsets in the built blob (hdr_len 32, blocks back to back). */
#define HDR_FUNC_OFF	8
#define HDR_FUNC_LEN	12
#define HDR_LINE_OFF	16
#define HDR_LINE_LEN	20
#define HDR_CORE_OFF	24
#define HDR_CORE_LEN	28

static void test_header_rejections(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	uint32_t len, n, k;
	uint8_t *p, *q;
	int o;

	build_good(c, &e, 0, 0, 0);
	for (o = 0; o < 2; o++) {
		bool sw = o == 1;

		p = bb_ext_raw(&e, sw, &len);
		q = malloc(len);
		assert_non_null(q);
#define MUTATE(stmt, why) do {						\
		memcpy(q, p, len);					\
		stmt;							\
		expect_bad(c, q, len, sw, why, #stmt);			\
	} while (0)
		MUTATE(q[1] ^= 0x10, BBPF_BAD_BTF_EXT_HEADER);
		MUTATE(q[2] = 0, BBPF_BAD_BTF_EXT_HEADER);
		MUTATE(q[3] = 1, BBPF_BAD_BTF_EXT_HEADER);
		MUTATE(bb_put_u32(q + 4, 20, sw), BBPF_BAD_BTF_EXT_HEADER);
		MUTATE(bb_put_u32(q + 4, len + 1, sw), BBPF_BAD_BTF_EXT_HEADER);
		/* Each block's offset and length. */
		for (k = 0; k < 3; k++) {
			uint32_t fo = HDR_FUNC_OFF + 8 * k, fl = fo + 4;
			uint32_t off = bb_get_u32(p + fo, sw), bl = bb_get_u32(p + fl, sw);

			MUTATE(bb_put_u32(q + fo, off + 2, sw), BBPF_BAD_BTF_EXT_HEADER);
			MUTATE(bb_put_u32(q + fo, 0xfffffffc, sw), BBPF_BAD_BTF_EXT_HEADER);
			MUTATE(bb_put_u32(q + fl, len, sw), BBPF_BAD_BTF_EXT_HEADER);
			MUTATE(bb_put_u32(q + fl, 0xffffffff, sw), BBPF_BAD_BTF_EXT_HEADER);
			/* Shorter: the last section's records are cut. */
			MUTATE(bb_put_u32(q + fl, bl - 4, sw), BBPF_BAD_BTF_EXT_SECTION);
			MUTATE(bb_put_u32(q + fl, bl - 1, sw), BBPF_BAD_BTF_EXT_SECTION);
			MUTATE(bb_put_u32(q + fl, 2, sw), BBPF_BAD_BTF_EXT_RECORD);
			/* Just the rec_size and a partial section header. */
			MUTATE(bb_put_u32(q + fl, 8, sw), BBPF_BAD_BTF_EXT_SECTION);
			if (k < 2) {	/* runs into the next block's rec_size */
				MUTATE(bb_put_u32(q + fl, bl + 8, sw), BBPF_BAD_BTF_EXT_SECTION);
			}
		}
		/* Every proper prefix: some length no longer fits. */
		for (n = 0; n < len; n++) {
			uint8_t *r = malloc(n ? n : 1);

			assert_non_null(r);
			memcpy(r, p, n);
			expect_bad(c, r, n, sw, BBPF_BAD_BTF_EXT_HEADER, "prefix");
			free(r);
		}
#undef MUTATE
		free(q);
		free(p);
	}
	bb_ext_free(&e);
}

/* One bad record or section in an otherwise good block. */
struct bad_case {
	const char *what;
	enum bb_ext_kind kind;
	uint32_t rec_size;		/* 0: the minimum */
	uint32_t sec_name;		/* UINT32_MAX: str_sec1 */
	bool empty_sec;			/* a section with num_info 0 */
	uint32_t f[4];			/* record fields; UINT32_MAX: filled from ctx */
	enum bbpf_bad why;
};

#define GOOD UINT32_MAX

static const struct bad_case bad_cases[] = {
	{ "func rec_size 4", BB_EXT_FUNC, 4, GOOD, false, { 0, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "func rec_size 10", BB_EXT_FUNC, 10, GOOD, false, { 0, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "line rec_size 12", BB_EXT_LINE, 12, GOOD, false, { 0, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "core rec_size 8", BB_EXT_CORE, 8, GOOD, false, { 0, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "sec name", BB_EXT_FUNC, 0, 99999, false, { 0, GOOD }, BBPF_BAD_BTF_EXT_SECTION },
	{ "num_info 0", BB_EXT_LINE, 0, GOOD, true, { 0 }, BBPF_BAD_BTF_EXT_SECTION },
	{ "func insn_off", BB_EXT_FUNC, 0, GOOD, false, { 4, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "func not FUNC", BB_EXT_FUNC, 0, GOOD, false, { 0, 1 }, BBPF_BAD_BTF_EXT_RECORD },
	{ "func id 0", BB_EXT_FUNC, 0, GOOD, false, { 0, 0 }, BBPF_BAD_BTF_EXT_RECORD },
	{ "func id range", BB_EXT_FUNC, 0, GOOD, false, { 0, 1000 }, BBPF_BAD_BTF_EXT_RECORD },
	{ "line insn_off", BB_EXT_LINE, 0, GOOD, false, { 12, GOOD, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "line file", BB_EXT_LINE, 0, GOOD, false, { 0, 99999, GOOD }, BBPF_BAD_BTF_EXT_RECORD },
	{ "line text", BB_EXT_LINE, 0, GOOD, false, { 0, GOOD, 99999 }, BBPF_BAD_BTF_EXT_RECORD },
	{ "core insn_off", BB_EXT_CORE, 0, GOOD, false, { 1, GOOD, GOOD, 0 },
	  BBPF_BAD_BTF_EXT_RECORD },
	{ "core type 0", BB_EXT_CORE, 0, GOOD, false, { 0, 0, GOOD, 0 }, BBPF_BAD_BTF_EXT_RECORD },
	{ "core type range", BB_EXT_CORE, 0, GOOD, false, { 0, 1000, GOOD, 0 },
	  BBPF_BAD_BTF_EXT_RECORD },
	{ "core access", BB_EXT_CORE, 0, GOOD, false, { 0, GOOD, 99999, 0 },
	  BBPF_BAD_BTF_EXT_RECORD },
	{ "core kind", BB_EXT_CORE, 0, GOOD, false, { 0, GOOD, GOOD, 13 },
	  BBPF_BAD_BTF_EXT_RECORD },
};

static void test_record_rejections(void **state)
{
	struct ctx *c = *state;
	size_t i;
	int o;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		uint32_t f[4], rs[3] = { 0 }, len, j;
		const uint32_t good[3][4] = {
			{ 0, c->fn_main },
			{ 0, c->str_file, c->str_line, 0 },
			{ 0, c->s_task, c->str_access, 0 },
		};
		struct bb_btf_ext e;

		for (j = 0; j < 4; j++)
			f[j] = bc->f[j] == GOOD ? good[bc->kind][j] : bc->f[j];
		rs[bc->kind] = bc->rec_size;
		/* The builder pads records to rec_size; a size below 16 truncates them. */
		bb_ext_init(&e, rs[0], rs[1], rs[2]);
		/* A good section first, so the bad one is not at the block start. */
		if (bc->rec_size == 0) {
			bb_ext_sec(&e, bc->kind, c->str_sec2);
			if (bc->kind == BB_EXT_FUNC)
				bb_ext_func(&e, 0, c->fn_sub);
			else if (bc->kind == BB_EXT_LINE)
				bb_ext_line(&e, 0, c->str_file, c->str_line, 0);
			else
				bb_ext_core(&e, 0, c->s_task, c->str_access, 0);
		}
		bb_ext_sec(&e, bc->kind, bc->sec_name == GOOD ? c->str_sec1 : bc->sec_name);
		if (!bc->empty_sec) {
			if (bc->kind == BB_EXT_FUNC)
				bb_ext_func(&e, f[0], f[1]);
			else if (bc->kind == BB_EXT_LINE)
				bb_ext_line(&e, f[0], f[1], f[2], f[3]);
			else
				bb_ext_core(&e, f[0], f[1], f[2], f[3]);
		}
		for (o = 0; o < 2; o++) {
			uint8_t *p = bb_ext_raw(&e, o == 1, &len);

			expect_bad(c, p, len, o == 1, bc->why, bc->what);
			assert_int_equal(c->diag.sec, BBPF_DIAG_NO_SEC);
			free(p);
		}
		bb_ext_free(&e);
	}
}

/* num_info * rec_size wraps 32 bits: caught, not trusted. */
static void test_count_overflow(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	uint32_t len;
	uint8_t *p;

	bb_ext_init(&e, 0, 0, 0);
	bb_ext_sec(&e, BB_EXT_LINE, c->str_sec1);
	bb_ext_line(&e, 0, c->str_file, c->str_line, 0);
	e.blk[BB_EXT_LINE].words[e.blk[BB_EXT_LINE].num_word] = 0x10000000u;	/* * 16 = 2^32 */
	p = bb_ext_raw(&e, false, &len);
	expect_bad(c, p, len, false, BBPF_BAD_BTF_EXT_SECTION, "num_info overflow");
	free(p);
	bb_ext_free(&e);
}

static void test_alloc_failures(void **state)
{
	struct ctx *c = *state;
	struct bb_btf_ext e;
	unsigned long n;
	uint32_t len;
	uint8_t *p;

	build_good(c, &e, 0, 0, 0);
	p = bb_ext_raw(&e, true, &len);
	for (n = 0;; n++) {
		struct fa fa;
		struct bbpf_alloc al = fa_after(&fa, n);
		struct bbpf_arena arena;
		struct bbpf_btf_ext x;
		int err;

		bbpf_arena_init(&arena, &al, 1u << 20);
		err = bbpf_btf_ext_parse(&x, p, len, true, &c->btf, &arena, NULL);
		bbpf_arena_free(&arena);
		assert_int_equal(fa.live, 0);
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_true(n < 100);
	}
	/* A budget too small for the records: -ENOMEM, not an overrun. */
	{
		struct bbpf_arena arena;
		struct bbpf_btf_ext x;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, 64);
		assert_int_equal(bbpf_btf_ext_parse(&x, p, len, true, &c->btf, &arena, NULL),
				 -ENOMEM);
		bbpf_arena_free(&arena);
	}
	free(p);
	bb_ext_free(&e);
}

/* ---- clang-built fixtures ---- */

static uint64_t get_n(const uint8_t *p, unsigned int n, bool big)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * (big ? n - 1 - i : i));
	return v;
}

/* Minimal bounds-checked ELF64 section lookup by exact name. */
static int find_sec(const uint8_t *p, size_t len, const char *want, const uint8_t **out,
		    uint32_t *out_len)
{
	uint64_t shoff, i, shnum, str_off, str_size, wl = strlen(want) + 1;
	bool big;

	if (len < 64 || memcmp(p, ELFMAG, SELFMAG) || p[EI_CLASS] != ELFCLASS64)
		return -1;
	big = p[EI_DATA] == ELFDATA2MSB;
	shoff = get_n(p + 40, 8, big);
	shnum = get_n(p + 60, 2, big);
	i = get_n(p + 62, 2, big);
	if (shoff > len || shnum * 64 > len - shoff || i >= shnum)
		return -1;
	str_off = get_n(p + shoff + i * 64 + 24, 8, big);
	str_size = get_n(p + shoff + i * 64 + 32, 8, big);
	if (str_off > len || str_size > len - str_off)
		return -1;
	for (i = 0; i < shnum; i++) {
		const uint8_t *h = p + shoff + i * 64;
		uint64_t name = get_n(h, 4, big), off = get_n(h + 24, 8, big);
		uint64_t size = get_n(h + 32, 8, big);

		if (name >= str_size || str_size - name < wl || off > len || size > len - off)
			continue;
		if (memcmp(p + str_off + name, want, wl) == 0) {
			*out = p + off;
			*out_len = (uint32_t)size;
			return 0;
		}
	}
	return -1;
}

static void test_fixtures(void **state)
{
	struct ctx *c = *state;
	size_t i, done = 0;
	glob_t g;

	if (glob(BBPF_FIXTURE_DIR "/*.o", 0, NULL, &g) != 0)
		fail_msg("no objects in %s (run `make fixtures`)", BBPF_FIXTURE_DIR);
	for (i = 0; i < g.gl_pathc; i++) {
		const uint16_t one = 1;
		const uint8_t *btf, *ext;
		uint32_t len, blen, elen;
		uint8_t *p = tf_read_file(g.gl_pathv[i], &len);
		struct bbpf_btf obtf;
		bool swap;

		if (!p)
			fail_msg("cannot read %s", g.gl_pathv[i]);
		if (find_sec(p, len, ".BTF", &btf, &blen) ||
		    find_sec(p, len, ".BTF.ext", &ext, &elen)) {
			/* the one fixture made without BTF (Makefile: llvm-objcopy) */
			if (!strstr(g.gl_pathv[i], "/nobtf_stripped."))
				fail_msg("%s: no .BTF or no .BTF.ext section found", g.gl_pathv[i]);
			free(p);
			continue;
		}
		swap = (p[EI_DATA] == ELFDATA2MSB) == (*(const uint8_t *)&one == 1);
		c->diag = (struct bbpf_diag){ 0 };
		assert_int_equal(bbpf_btf_parse(&obtf, btf, blen, swap, NULL, &c->arena, &c->diag),
				 0);
		if (bbpf_btf_ext_parse(&c->ext, ext, elen, swap, &obtf, &c->arena, &c->diag))
			fail_msg("%s: %s at %llu idx %u", g.gl_pathv[i], bbpf_bad_str(c->diag.why),
				 (unsigned long long)c->diag.off, c->diag.idx);
		assert_true(c->ext.func_info.rec_cnt > 0);
		assert_true(c->ext.line_info.rec_cnt > 0);
		done++;
		free(p);
	}
	printf("fixtures: %zu objects with .BTF.ext parsed\n", done);
	assert_true(done >= 2);		/* at least one fixture in each byte order */
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_both_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_larger_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixtures, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
