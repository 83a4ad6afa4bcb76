/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests for src/dump/dump_value.c and dump_map.c on synthetic BTF
 * (btf_builder): every kind in bpftool's plain and JSON syntax, bitfields,
 * char arrays, enums, partial records, foreign byte order, the map entry
 * layouts, and hostile BTF against the bounds. The printers allocate
 * nothing, so there is no allocation failure to inject; the BTF they read
 * is parsed with the library's own parser.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "parse/btf.h"
#include "dump/dump_map.h"
#include "dump/dump_value.h"
#include "btf_builder.h"
#include "sweep_util.h"

/*
 * The fuzz harness itself (its checks trap), replayed below on its seed
 * corpus and on minimized crashers kept in tests/data/bad/dump_value/.
 */
#include "../../fuzz/fuzz_dump_value.c"

#define PLAIN BBPF_DUMP_VALUE_PLAIN
#define JSON BBPF_DUMP_VALUE_JSON
#define PRETTY BBPF_DUMP_VALUE_JSON_PRETTY
/* A kind_flag member's offset word: bitfield size, bit offset. */
#define BTF_MEMBER_OFFSET(bits, off) (((uint32_t)(bits) << 24) | (uint32_t)(off))

struct out {
	char *p;
	size_t len, cap;
	size_t calls;
};

struct t {
	struct bb_btf b;
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	uint8_t *raw;
	bool built;
	struct out out;
};

static void out_write(void *ctx, const char *s, size_t len)
{
	struct out *o = ctx;

	assert_true(len > 0);
	if (o->len + len + 1 > o->cap) {
		o->cap = (o->len + len + 1) * 2;
		o->p = realloc(o->p, o->cap);
		assert_non_null(o->p);
	}
	memcpy(o->p + o->len, s, len);
	o->len += len;
	o->p[o->len] = '\0';
	o->calls++;
}

static void out_reset(struct out *o)
{
	o->len = 0;
	o->calls = 0;
	if (o->p)
		o->p[0] = '\0';
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	bb_btf_init(&t->b);
	bbpf_arena_init(&t->arena, &bbpf_alloc_libc, 256u << 20);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	bb_btf_free(&t->b);
	bbpf_arena_free(&t->arena);
	free(t->raw);
	free(t->out.p);
	free(t);
	return 0;
}

static void build_order(struct t *t, bool swap)
{
	uint32_t len;
	int err;

	t->raw = bb_btf_raw(&t->b, swap, &len);
	err = bbpf_btf_parse_raw(&t->btf, t->raw, len, NULL, &t->arena, NULL);
	assert_int_equal(err, 0);
	t->built = true;
}

static void build(struct t *t)
{
	build_order(t, false);
}

static int dump_opts(struct t *t, uint32_t id, const void *data, size_t len,
		     const struct bbpf_dump_value_opts *o)
{
	struct bbpf_dump_out w = { out_write, &t->out };

	if (!t->built)
		build(t);
	out_reset(&t->out);
	return bbpf_dump_value(&w, &t->btf, id, data, len, o);
}

static int dump(struct t *t, uint32_t id, const void *data, size_t len,
		enum bbpf_dump_value_fmt fmt)
{
	struct bbpf_dump_value_opts o = { .fmt = fmt };

	return dump_opts(t, id, data, len, &o);
}

static int dump_partial(struct t *t, uint32_t id, const void *data, size_t len,
			enum bbpf_dump_value_fmt fmt)
{
	struct bbpf_dump_value_opts o = { .fmt = fmt, .partial = true };

	return dump_opts(t, id, data, len, &o);
}

static const char *got(struct t *t)
{
	return t->out.p ? t->out.p : "";
}

/* Dump in one format and compare the text. */
#define EXPECT(t, id, data, len, fmt, rc, text)                                   \
	do {                                                                      \
		assert_int_equal(dump((t), (id), (data), (len), (fmt)), (rc));    \
		assert_string_equal(got(t), (text));                              \
	} while (0)

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

static bool host_le(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- integers ---- */

static void test_ints(void **state)
{
	struct t *t = *state;
	uint32_t u8 = bb_btf_add_int(&t->b, "unsigned char", 1, 0, 8);
	uint32_t s8 = bb_btf_add_int(&t->b, "signed char", 1, BTF_INT_SIGNED, 8);
	uint32_t u16 = bb_btf_add_int(&t->b, "unsigned short", 2, 0, 16);
	uint32_t s16 = bb_btf_add_int(&t->b, "short", 2, BTF_INT_SIGNED, 16);
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t u64 = bb_btf_add_int(&t->b, "u64", 8, 0, 64);
	uint32_t s64 = bb_btf_add_int(&t->b, "s64", 8, BTF_INT_SIGNED, 64);
	uint32_t st = bb_btf_add_struct(&t->b, "ints", 32, false);
	uint8_t d[32];

	bb_btf_add_member(&t->b, "a", u8, 0);
	bb_btf_add_member(&t->b, "b", s8, 8);
	bb_btf_add_member(&t->b, "c", u16, 16);
	bb_btf_add_member(&t->b, "d", s16, 32);
	bb_btf_add_member(&t->b, "e", u32, 64);
	bb_btf_add_member(&t->b, "f", s32, 96);
	bb_btf_add_member(&t->b, "g", u64, 128);
	bb_btf_add_member(&t->b, "h", s64, 192);
	memset(d, 0, sizeof(d));
	d[0] = 255;
	d[1] = 0x80;
	put_le(d + 2, 65535, 2);
	put_le(d + 4, 0x8000, 2);
	put_le(d + 8, UINT32_MAX, 4);
	put_le(d + 12, 0x80000000u, 4);
	put_le(d + 16, UINT64_MAX, 8);
	put_le(d + 24, 0x8000000000000000ULL, 8);
	EXPECT(t, st, d, sizeof(d), PLAIN, 0,
	       "{\n    \"a\": 255,\n    \"b\": -128,\n    \"c\": 65535,\n    \"d\": -32768,\n"
	       "    \"e\": 4294967295,\n    \"f\": -2147483648,\n"
	       "    \"g\": 18446744073709551615,\n    \"h\": -9223372036854775808\n}");
	EXPECT(t, st, d, sizeof(d), JSON, 0,
	       "{\"a\":255,\"b\":-128,\"c\":65535,\"d\":-32768,\"e\":4294967295,"
	       "\"f\":-2147483648,\"g\":18446744073709551615,\"h\":-9223372036854775808}");
	EXPECT(t, u8, d + 1, 1, JSON, 0, "128");
	EXPECT(t, s8, d + 2, 1, JSON, 0, "-1");
	EXPECT(t, s16, d + 2, 2, JSON, 0, "-1");
	EXPECT(t, s32, d + 8, 4, JSON, 0, "-1");
	EXPECT(t, u32, d + 12, 4, JSON, 0, "2147483648");
	EXPECT(t, s64, d + 16, 8, JSON, 0, "-1");
	EXPECT(t, u16, d + 4, 2, JSON, 0, "32768");
	EXPECT(t, u64, d + 24, 8, JSON, 0, "9223372036854775808");
}

static void test_struct_layouts(void **state)
{
	struct t *t = *state;
	uint32_t u8 = bb_btf_add_int(&t->b, "unsigned char", 1, 0, 8);
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t arr = bb_btf_add_array(&t->b, s32, s32, 3);
	uint32_t st = bb_btf_add_struct(&t->b, "s", 16, false);
	uint8_t d[16] = { 7, 0, 0, 0, 1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 3, 0, 0, 0 };

	bb_btf_add_member(&t->b, "a", u8, 0);
	bb_btf_add_member(&t->b, "arr", arr, 32);
	EXPECT(t, st, d, sizeof(d), PLAIN, 0,
	       "{\n    \"a\": 7,\n    \"arr\": [1,-2,3\n    ]\n}");
	EXPECT(t, st, d, sizeof(d), JSON, 0, "{\"a\":7,\"arr\":[1,-2,3]}");
	EXPECT(t, st, d, sizeof(d), PRETTY, 0,
	       "{\n    \"a\": 7,\n    \"arr\": [1,-2,3\n    ]\n}");
}

static void test_odd_and_wide_ints(void **state)
{
	struct t *t = *state;
	uint32_t u24 = bb_btf_add_int(&t->b, "u24", 4, 0, 24);
	uint32_t s40 = bb_btf_add_int(&t->b, "s40", 8, BTF_INT_SIGNED, 40);
	uint32_t u128 = bb_btf_add_int(&t->b, "unsigned __int128", 16, 0, 128);
	uint32_t s128 = bb_btf_add_int(&t->b, "__int128", 16, BTF_INT_SIGNED, 128);
	uint8_t d[16];

	put_le(d, 0xff123456, 4);
	EXPECT(t, u24, d, 4, PLAIN, 0, "0x123456");
	EXPECT(t, u24, d, 4, JSON, 0, "\"0x123456\"");
	memset(d, 0xff, 8);
	EXPECT(t, s40, d, 8, PLAIN, 0, "0xffffffffff");
	memset(d, 0, sizeof(d));
	put_le(d, 0x1122334455667788ULL, 8);
	EXPECT(t, u128, d, 16, PLAIN, 0, "0x1122334455667788");
	put_le(d + 8, 0x99, 8);
	put_le(d, 0x5, 8);
	EXPECT(t, u128, d, 16, PLAIN, 0, "0x990000000000000005");
	EXPECT(t, s128, d, 16, JSON, 0, "\"0x990000000000000005\"");
	memset(d, 0xff, 16);
	EXPECT(t, s128, d, 16, JSON, 0, "\"0xffffffffffffffffffffffffffffffff\"");
}

static void test_bool_char(void **state)
{
	struct t *t = *state;
	uint32_t b = bb_btf_add_int(&t->b, "_Bool", 1, BTF_INT_BOOL, 8);
	uint32_t c = bb_btf_add_int(&t->b, "char", 1, BTF_INT_CHAR, 8);
	uint32_t plainc = bb_btf_add_int(&t->b, "char", 1, BTF_INT_SIGNED, 8);

	/* Only the bool's own byte counts. */
	EXPECT(t, b, "\0A", 2, PLAIN, 0, "false");
	EXPECT(t, b, "\x02", 1, JSON, 0, "true");
	EXPECT(t, c, "A", 1, PLAIN, 0, "\"A\"");
	EXPECT(t, c, "\"", 1, JSON, 0, "\"\"\"");	/* bpftool does not escape it */
	EXPECT(t, c, "\x07", 1, PLAIN, 0, "0x7");
	EXPECT(t, c, "\x07", 1, JSON, 0, "\"\\u0007\"");
	EXPECT(t, c, "\xe9", 1, PLAIN, 0, "0xe9");
	EXPECT(t, c, "\xe9", 1, JSON, 0, "\"\\u00e9\"");
	/* clang's char is a signed INT named "char": a number */
	EXPECT(t, plainc, "A", 1, PLAIN, 0, "65");
	EXPECT(t, plainc, "\xff", 1, PLAIN, 0, "-1");
}

/* ---- bitfields ---- */

static void test_bitfields(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t u64 = bb_btf_add_int(&t->b, "unsigned long long", 8, 0, 64);
	uint32_t st = bb_btf_add_struct(&t->b, "flags", 16, true);
	uint64_t x = 1 | (5u << 1) | (100u << 4) | ((uint64_t)(-7 & 31) << 11) |
		     (0xabcdef1234ULL << 16);
	uint8_t d[16];

	bb_btf_add_member(&t->b, "a", u32, BTF_MEMBER_OFFSET(1, 0));
	bb_btf_add_member(&t->b, "b", u32, BTF_MEMBER_OFFSET(3, 1));
	bb_btf_add_member(&t->b, "c", u32, BTF_MEMBER_OFFSET(7, 4));	/* bytes 0-1 */
	bb_btf_add_member(&t->b, "d", s32, BTF_MEMBER_OFFSET(5, 11));	/* signed */
	bb_btf_add_member(&t->b, "e", u64, BTF_MEMBER_OFFSET(40, 16));	/* bytes 2-6 */
	bb_btf_add_member(&t->b, "f", s32, BTF_MEMBER_OFFSET(12, 64));
	put_le(d, x, 8);
	put_le(d + 8, (uint64_t)(-100 & 0xfff) | 0xfffff000u, 8);
	EXPECT(t, st, d, sizeof(d), PLAIN, 0,
	       "{\n    \"a\": 0x1,\n    \"b\": 0x5,\n    \"c\": 0x64,\n    \"d\": 0x19,\n"
	       "    \"e\": 0xabcdef1234,\n    \"f\": 0xf9c\n}");
	EXPECT(t, st, d, sizeof(d), JSON, 0,
	       "{\"a\":\"0x1\",\"b\":\"0x5\",\"c\":\"0x64\",\"d\":\"0x19\",\"e\":\"0xabcdef1234\","
	       "\"f\":\"0xf9c\"}");
}

/* Bitfields of the old encoding: bits and offset in the INT, the member's bit offset. */
static void test_int_bitfields(void **state)
{
	struct t *t = *state;
	uint32_t w5 = (2u << 16) | 5;	/* INT_OFFSET 2, 5 bits */
	uint32_t i5 = bb_btf_add_int(&t->b, "u5", 1, 0, 5);
	uint32_t o5 = bb_btf_add_raw(&t->b, bb_btf_str(&t->b, "u5o"), BTF_KIND_INT << 24,
				     1, &w5, 1);
	uint32_t st = bb_btf_add_struct(&t->b, "old", 2, false);
	uint8_t d[2] = { 0xb8, 0x74 };	/* byte 0: 10111 000; byte 1: 0 11101 00 */

	bb_btf_add_member(&t->b, "x", i5, 3);
	bb_btf_add_member(&t->b, "y", o5, 8);
	EXPECT(t, st, d, 2, JSON, 0, "{\"x\":\"0x17\",\"y\":\"0x1d\"}");
}

static void test_wide_bitfields(void **state)
{
	struct t *t = *state;
	uint32_t u128 = bb_btf_add_int(&t->b, "unsigned __int128", 16, 0, 128);
	uint32_t st = bb_btf_add_struct(&t->b, "w", 16, true), st2;
	uint8_t d[16];
	size_t i;

	bb_btf_add_member(&t->b, "x", u128, BTF_MEMBER_OFFSET(120, 4));
	st2 = bb_btf_add_struct(&t->b, "w2", 16, true);
	bb_btf_add_member(&t->b, "y", u128, BTF_MEMBER_OFFSET(128, 0));
	memset(d, 0xff, sizeof(d));
	EXPECT(t, st, d, 16, PLAIN, 0, "{\n    \"x\": 0xffffffffffffffffffffffffffffff\n}");
	for (i = 0; i < 16; i++)
		d[i] = (uint8_t)(i + 1);
	/* All 128 bits (bpftool's own shift gets this case wrong). */
	EXPECT(t, st2, d, 16, PLAIN, 0, "{\n    \"y\": 0x100f0e0d0c0b0a090807060504030201\n}");
}

/* ---- aggregates ---- */

static void test_nested_anonymous(void **state)
{
	struct t *t = *state;
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t u16 = bb_btf_add_int(&t->b, "unsigned short", 2, 0, 16);
	uint32_t un = bb_btf_add_union(&t->b, NULL, 4, false);
	uint32_t in, st;
	uint8_t d[12];

	bb_btf_add_member(&t->b, "y", s32, 0);
	bb_btf_add_member(&t->b, "yy", u16, 0);
	in = bb_btf_add_struct(&t->b, NULL, 8, false);
	bb_btf_add_member(&t->b, "x", s32, 0);
	bb_btf_add_member(&t->b, NULL, un, 32);
	st = bb_btf_add_struct(&t->b, "outer", 12, false);
	bb_btf_add_member(&t->b, "first", s32, 0);
	bb_btf_add_member(&t->b, NULL, in, 32);
	put_le(d, 1, 4);
	put_le(d + 4, 2, 4);
	put_le(d + 8, 0x10003, 4);
	EXPECT(t, st, d, sizeof(d), PLAIN, 0,
	       "{\n    \"first\": 1,\n    \"\": {\n        \"x\": 2,\n        \"\": {\n"
	       "            \"y\": 65539,\n            \"yy\": 3\n        }\n    }\n}");
	EXPECT(t, st, d, sizeof(d), JSON, 0,
	       "{\"first\":1,\"\":{\"x\":2,\"\":{\"y\":65539,\"yy\":3}}}");
}

static void test_empty_and_zero_length(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t ch = bb_btf_add_int(&t->b, "char", 1, BTF_INT_SIGNED, 8);
	uint32_t empty = bb_btf_add_struct(&t->b, NULL, 0, false);
	uint32_t z = bb_btf_add_array(&t->b, u32, u32, 0);
	uint32_t zc = bb_btf_add_array(&t->b, ch, u32, 0);
	uint32_t st = bb_btf_add_struct(&t->b, "s", 4, false);

	bb_btf_add_member(&t->b, "n", u32, 0);
	bb_btf_add_member(&t->b, "e", empty, 32);
	bb_btf_add_member(&t->b, "tail", z, 32);
	bb_btf_add_member(&t->b, "ctail", zc, 32);
	EXPECT(t, st, "\x05\0\0\0", 4, PLAIN, 0,
	       "{\n    \"n\": 5,\n    \"e\": {},\n    \"tail\": [],\n    \"ctail\": []\n}");
	EXPECT(t, empty, NULL, 0, JSON, 0, "{}");
}

static void test_char_arrays(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t ch = bb_btf_add_int(&t->b, "char", 1, BTF_INT_SIGNED, 8);
	uint32_t cc = bb_btf_add_const(&t->b, ch);
	uint32_t td = bb_btf_add_typedef(&t->b, "mychar", ch);
	uint32_t a8 = bb_btf_add_array(&t->b, ch, u32, 8);
	uint32_t ac = bb_btf_add_array(&t->b, cc, u32, 4);
	uint32_t at = bb_btf_add_array(&t->b, td, u32, 4);

	EXPECT(t, a8, "hi\0xxxxx", 8, PLAIN, 0, "\"hi\"");
	EXPECT(t, a8, "\0\x01\x02\x03\x04\x05\x06\x07", 8, JSON, 0, "\"\"");
	/* No NUL: an array. */
	EXPECT(t, a8, "abcdefgh", 8, JSON, 0, "[97,98,99,100,101,102,103,104]");
	EXPECT(t, a8, "abcdefgh", 8, PLAIN, 0, "[97,98,99,100,101,102,103,104\n]");
	/* An unprintable byte before the NUL: an array. */
	EXPECT(t, a8, "a\tb\0\0\0\0\0", 8, JSON, 0, "[97,9,98,0,0,0,0,0]");
	EXPECT(t, a8, "\xc3\xa9\0\0\0\0\0\0", 8, JSON, 0, "[-61,-87,0,0,0,0,0,0]");
	/* bpftool's quoting: backslash as \n, quote escaped, apostrophe bare. */
	EXPECT(t, a8, "a\\b\"c'\0", 8, JSON, 0, "\"a\\nb\\\"c'\"");
	/* Modifiers are looked through, typedefs are not. */
	EXPECT(t, ac, "ok\0\0", 4, JSON, 0, "\"ok\"");
	EXPECT(t, at, "ok\0\0", 4, JSON, 0, "[111,107,0,0]");
}

static void test_enums(void **state)
{
	struct t *t = *state;
	uint32_t e = bb_btf_add_enum(&t->b, "color", 4, true);
	uint32_t e1, e64, us;

	bb_btf_add_enum_val(&t->b, "RED", 0);
	bb_btf_add_enum_val(&t->b, "NEG", -3);
	bb_btf_add_enum_val(&t->b, "ALL", (int32_t)0xffffffffu);
	e1 = bb_btf_add_enum(&t->b, "small", 1, false);
	bb_btf_add_enum_val(&t->b, "S_A", 1);
	bb_btf_add_enum_val(&t->b, "S_B", 200);
	e64 = bb_btf_add_enum64(&t->b, "wide", 8, false);
	bb_btf_add_enum64_val(&t->b, "W_LO", 1);
	bb_btf_add_enum64_val(&t->b, "W_HI", 0xffffffff00000000ULL);
	us = bb_btf_add_struct(&t->b, "s", 8, false);
	bb_btf_add_member(&t->b, "c", e, 0);
	bb_btf_add_member(&t->b, "s", e1, 32);
	EXPECT(t, e, "\0\0\0\0", 4, PLAIN, 0, "\"RED\"");
	EXPECT(t, e, "\xfd\xff\xff\xff", 4, JSON, 0, "\"NEG\"");
	EXPECT(t, e, "\x07\0\0\0", 4, JSON, 0, "7");
	EXPECT(t, e, "\xfe\xff\xff\xff", 4, JSON, 0, "-2");
	/* Read as a signed int of its size, as bpftool: 200 is -56 and unnamed. */
	EXPECT(t, e1, "\x01", 1, JSON, 0, "\"S_A\"");
	EXPECT(t, e1, "\xc8", 1, JSON, 0, "-56");
	EXPECT(t, e64, "\0\0\0\0\xff\xff\xff\xff", 8, JSON, 0, "\"W_HI\"");
	EXPECT(t, e64, "\x01\0\0\0\0\0\0\0", 8, JSON, 0, "\"W_LO\"");
	/* Unknown 64-bit values print as signed 64-bit numbers. */
	EXPECT(t, e64, "\xfe\xff\xff\xff\xff\xff\xff\xff", 8, JSON, 0, "-2");
	EXPECT(t, e64, "\x89\x67\x45\x23\x01\0\0\0", 8, PLAIN, 0, "4886718345");
	EXPECT(t, us, "\x02\0\0\0\x01\0\0\0", 8, JSON, 0, "{\"c\":2,\"s\":\"S_A\"}");
}

static void test_pointers(void **state)
{
	struct t *t = *state;
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t p = bb_btf_add_ptr(&t->b, s32);
	uint32_t pv = bb_btf_add_ptr(&t->b, 0);
	uint8_t d[8];

	memset(d, 0, sizeof(d));
	EXPECT(t, p, d, 8, PLAIN, 0, "(nil)");
	EXPECT(t, pv, d, 8, JSON, 0, "0");
	put_le(d, 0xffff888012345678ULL, 8);
	EXPECT(t, p, d, 8, PLAIN, 0, "0xffff888012345678");
	EXPECT(t, p, d, 8, JSON, 0, "18446612682375452280");
}

static void test_unsupported_kinds(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t f = bb_btf_add_float(&t->b, "float", 4);
	uint32_t fwd = bb_btf_add_fwd(&t->b, "opaque", false);
	uint32_t proto = bb_btf_add_func_proto(&t->b, u32);
	uint32_t fn = bb_btf_add_func(&t->b, "fn", proto, 0);
	uint32_t tag = bb_btf_add_type_tag(&t->b, "user", u32);
	uint32_t td_fwd = bb_btf_add_typedef(&t->b, "opaque_t", fwd);
	uint32_t st = bb_btf_add_struct(&t->b, "fv", 12, false);
	uint8_t d[12];

	bb_btf_add_member(&t->b, "before", u32, 0);
	bb_btf_add_member(&t->b, "f", f, 32);
	bb_btf_add_member(&t->b, "after", u32, 64);
	memset(d, 0, sizeof(d));
	d[0] = 1;
	/* bpftool 7.1 has no float printer: its text, and the struct stops there. */
	EXPECT(t, st, d, 12, PLAIN, -EINVAL,
	       "{\n    \"before\": 1,\n    \"f\": (unsupported-kind\n}");
	EXPECT(t, st, d, 12, JSON, -EINVAL, "{\"before\":1,\"f\":(unsupported-kind}");
	EXPECT(t, fwd, d, 4, JSON, -EINVAL, "(fwd-kind-invalid)");
	EXPECT(t, fn, d, 4, JSON, -EINVAL, "(unsupported-kind");
	EXPECT(t, proto, d, 4, JSON, -EINVAL, "(unsupported-kind");
	EXPECT(t, tag, d, 4, JSON, -EINVAL, "(unsupported-kind");
	/* A typedef of a FWD resolves to "void" for libbpf: nothing at all. */
	EXPECT(t, td_fwd, d, 4, JSON, -EINVAL, "");
	EXPECT(t, 0, d, 4, JSON, 0, "(unknown)");
	/* An id past the BTF. */
	EXPECT(t, 1000, d, 4, JSON, -EINVAL, "");
}

static void test_modifier_chains(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t id = u32, at31 = 0, i;
	char name[16];

	/* libbpf resolves at most 31 hops: 31 modifiers work, 32 do not. */
	for (i = 0; i < 32; i++) {
		switch (i % 5) {
		case 0:
			snprintf(name, sizeof(name), "t%u", i);
			id = bb_btf_add_typedef(&t->b, name, id);
			break;
		case 1:
			id = bb_btf_add_const(&t->b, id);
			break;
		case 2:
			id = bb_btf_add_volatile(&t->b, id);
			break;
		case 3:
			id = bb_btf_add_restrict(&t->b, id);
			break;
		default:
			id = bb_btf_add_type_tag(&t->b, "tag", id);
			break;
		}
		if (i == 30)
			at31 = id;
	}
	EXPECT(t, at31, "\x2a\0\0\0", 4, JSON, 0, "42");
	EXPECT(t, id, "\x2a\0\0\0", 4, JSON, -EINVAL, "");
}

static void test_datasec(void **state)
{
	struct t *t = *state;
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t ch = bb_btf_add_int(&t->b, "char", 1, BTF_INT_SIGNED, 8);
	uint32_t str = bb_btf_add_array(&t->b, ch, s32, 4);
	uint32_t va = bb_btf_add_var(&t->b, "count", s32, BTF_VAR_GLOBAL_ALLOCATED);
	uint32_t vb = bb_btf_add_var(&t->b, "name", str, BTF_VAR_STATIC);
	uint32_t ds = bb_btf_add_datasec(&t->b, ".data", 8);
	uint8_t d[8] = { 0xff, 0xff, 0xff, 0xff, 'o', 'k', 0, 0 };

	bb_btf_add_secinfo(&t->b, va, 0, 4);
	bb_btf_add_secinfo(&t->b, vb, 4, 4);
	EXPECT(t, ds, d, 8, PLAIN, 0,
	       "{\n    \".data\": [{\n            \"count\": -1\n        },{\n"
	       "            \"name\": \"ok\"\n        }\n    ]\n}");
	EXPECT(t, ds, d, 8, JSON, 0, "{\".data\":[{\"count\":-1},{\"name\":\"ok\"}]}");
	EXPECT(t, va, d, 4, JSON, 0, "{\"count\":-1}");
}

/* ---- data length, partial records ---- */

static void test_short_data(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t st = bb_btf_add_struct(&t->b, "s", 8, false);
	struct bbpf_dump_out w = { out_write, &t->out };

	bb_btf_add_member(&t->b, "a", u32, 0);
	bb_btf_add_member(&t->b, "b", u32, 32);
	EXPECT(t, st, "\1\0\0\0\2\0\0", 7, JSON, -EBADMSG, "");
	EXPECT(t, u32, "\1\0\0", 3, JSON, -EBADMSG, "");
	EXPECT(t, st, NULL, 0, JSON, -EBADMSG, "");
	/* Misuse. */
	assert_int_equal(bbpf_dump_value(&w, NULL, st, "", 0, NULL), -EINVAL);
	assert_int_equal(bbpf_dump_value(NULL, &t->btf, st, "", 0, NULL), -EINVAL);
	assert_int_equal(bbpf_dump_value(&w, &t->btf, st, NULL, 8, NULL), -EINVAL);
	/* Longer data is fine: only the type's bytes are read. */
	EXPECT(t, st, "\1\0\0\0\2\0\0\0\3", 9, JSON, 0, "{\"a\":1,\"b\":2}");
	/* opts NULL: plain text. */
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_value(&w, &t->btf, u32, "\x09\0\0\0", 4, NULL), 0);
	assert_string_equal(got(t), "9");
}

static void test_partial(void **state)
{
	struct t *t = *state;
	uint32_t u16 = bb_btf_add_int(&t->b, "unsigned short", 2, 0, 16);
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t u64 = bb_btf_add_int(&t->b, "u64", 8, 0, 64);
	uint32_t ch = bb_btf_add_int(&t->b, "char", 1, BTF_INT_SIGNED, 8);
	uint32_t comm = bb_btf_add_array(&t->b, ch, u32, 8);
	uint32_t a3 = bb_btf_add_array(&t->b, u16, u32, 3);
	uint32_t in = bb_btf_add_struct(&t->b, "in", 4, false);
	uint32_t ev, ds, va, vb;
	uint8_t d[32];

	bb_btf_add_member(&t->b, "x", u16, 0);
	bb_btf_add_member(&t->b, "y", u16, 16);
	ev = bb_btf_add_struct(&t->b, "event", 32, true);
	bb_btf_add_member(&t->b, "pid", u32, 0);
	bb_btf_add_member(&t->b, "comm", comm, 32);		/* 4..12 */
	bb_btf_add_member(&t->b, "flag", u32, BTF_MEMBER_OFFSET(3, 96));	/* byte 12 */
	bb_btf_add_member(&t->b, "in", in, 104);		/* 13..17 */
	bb_btf_add_member(&t->b, "ts", u64, 136);		/* 17..25 */
	bb_btf_add_member(&t->b, "arr", a3, 200);		/* 25..31 */
	va = bb_btf_add_var(&t->b, "a", u32, BTF_VAR_GLOBAL_ALLOCATED);
	vb = bb_btf_add_var(&t->b, "b", u64, BTF_VAR_GLOBAL_ALLOCATED);
	ds = bb_btf_add_datasec(&t->b, ".bss", 16);
	bb_btf_add_secinfo(&t->b, va, 0, 4);
	bb_btf_add_secinfo(&t->b, vb, 8, 8);
	memset(d, 0, sizeof(d));
	put_le(d, 42, 4);
	memcpy(d + 4, "bash\0zz", 7);
	d[12] = 5;
	put_le(d + 13, 0x00020001, 4);
	put_le(d + 17, 7, 8);
	/* Cut inside ts: pid, comm, flag and in fit; ts and arr are left out. */
	assert_int_equal(dump_partial(t, ev, d, 20, JSON), 0);
	assert_string_equal(got(t), "{\"pid\":42,\"comm\":\"bash\",\"flag\":\"0x5\",\"in\":{\"x\":1,\"y\":2}}");
	/* Cut inside comm: only pid. */
	assert_int_equal(dump_partial(t, ev, d, 11, PLAIN), 0);
	assert_string_equal(got(t), "{\n    \"pid\": 42\n}");
	/* Whole: everything, comm still a string stopped at its NUL. */
	assert_int_equal(dump_partial(t, ev, d, 32, JSON), 0);
	assert_string_equal(got(t), "{\"pid\":42,\"comm\":\"bash\",\"flag\":\"0x5\",\"in\":{\"x\":1,\"y\":2},"
				    "\"ts\":7,\"arr\":[0,0,0]}");
	/* Nothing fits. */
	assert_int_equal(dump_partial(t, ev, d, 2, JSON), 0);
	assert_string_equal(got(t), "{}");
	/* Char arrays: no NUL, unprintable bytes, quoting: strict JSON escapes. */
	memcpy(d + 4, "a\"\\\x01\xff" "bcd", 8);
	assert_int_equal(dump_partial(t, ev, d, 12, JSON), 0);
	assert_string_equal(got(t), "{\"pid\":42,\"comm\":\"a\\\"\\\\\\u0001\\u00ffbcd\"}");
	/* A top-level char array cut short: what is there. */
	assert_int_equal(dump_partial(t, comm, "abc", 3, JSON), 0);
	assert_string_equal(got(t), "\"abc\"");
	/* A top-level array cut short: whole elements only. */
	assert_int_equal(dump_partial(t, a3, "\1\0\2\0\3", 5, JSON), 0);
	assert_string_equal(got(t), "[1,2]");
	/* A top-level scalar that does not fit. */
	assert_int_equal(dump_partial(t, u64, d, 7, JSON), -EBADMSG);
	assert_string_equal(got(t), "");
	/* Section variables that fit. */
	assert_int_equal(dump_partial(t, ds, d, 12, JSON), 0);
	assert_string_equal(got(t), "{\".bss\":[{\"a\":42}]}");
}

/* ---- foreign byte order ---- */

static void test_big_endian(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t s16 = bb_btf_add_int(&t->b, "short", 2, BTF_INT_SIGNED, 16);
	uint32_t u128 = bb_btf_add_int(&t->b, "unsigned __int128", 16, 0, 128);
	uint32_t st = bb_btf_add_struct(&t->b, "be", 24, true);
	uint8_t d[24] = { 1, 2, 3, 4, 0xff, 0xfe, 0xa3, 0x80 };

	bb_btf_add_member(&t->b, "x", u32, 0);
	bb_btf_add_member(&t->b, "y", s16, 32);
	bb_btf_add_member(&t->b, "a", u32, BTF_MEMBER_OFFSET(3, 48));	/* top 3 bits of byte 6 */
	bb_btf_add_member(&t->b, "b", u32, BTF_MEMBER_OFFSET(6, 51));	/* 5 + 1 bits, straddles */
	bb_btf_add_member(&t->b, "w", u128, 64);
	d[8] = 0x01;
	d[23] = 0x02;
	/* The BTF is big endian (as from a bpfeb object): so is the data. */
	build_order(t, host_le());
	EXPECT(t, st, d, sizeof(d), JSON, 0,
	       "{\"x\":16909060,\"y\":-2,\"a\":\"0x5\",\"b\":\"0x7\",\"w\":\"0x1000000000000000000000000000002\"}");
}

/* ---- hostile BTF ---- */

static void test_deep_nesting(void **state)
{
	struct t *t = *state;
	uint32_t id = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32), i;
	uint8_t d[4] = { 1, 0, 0, 0 };

	for (i = 0; i < 200; i++) {
		uint32_t s = bb_btf_add_struct(&t->b, NULL, 4, false);

		bb_btf_add_member(&t->b, "m", id, 0);
		id = s;
	}
	assert_int_equal(dump(t, id, d, 4, JSON), -ELOOP);
	/* Every bracket opened was closed; exactly the allowed depth was opened. */
	assert_int_equal(count_char(got(t), '{'), BBPF_DUMP_VALUE_MAX_DEPTH);
	assert_int_equal(count_char(got(t), '}'), BBPF_DUMP_VALUE_MAX_DEPTH);
}

static void test_self_reference(void **state)
{
	struct t *t = *state;
	uint32_t s = bb_btf_add_struct(&t->b, "loop", 4, false);
	uint32_t ds, v;

	/* A struct holding itself: no end but the bound. */
	bb_btf_add_member(&t->b, "self", s, 0);
	v = bb_btf_add_var(&t->b, "v", s, BTF_VAR_GLOBAL_ALLOCATED);
	ds = bb_btf_add_datasec(&t->b, ".data", 4);
	bb_btf_add_secinfo(&t->b, v, 0, 4);
	assert_int_equal(dump(t, s, "abcd", 4, JSON), -ELOOP);
	assert_int_equal(count_char(got(t), '{'), count_char(got(t), '}'));
	assert_int_equal(dump(t, ds, "abcd", 4, PLAIN), -ELOOP);
	assert_int_equal(count_char(got(t), '['), count_char(got(t), ']'));
}

static void test_huge_arrays(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t empty = bb_btf_add_struct(&t->b, NULL, 0, false);
	uint32_t big = bb_btf_add_array(&t->b, empty, u32, 0xffffffffu);
	uint32_t big2 = bb_btf_add_array(&t->b, big, u32, 0xffffffffu);
	uint32_t ints = bb_btf_add_array(&t->b, u32, u32, 0x10000000u);
	struct bbpf_dump_value_opts o = { .fmt = JSON, .max_nodes = 1000 };
	clock_t t0 = clock();

	/* 4 billion empty structs from no data: the node budget stops it. */
	assert_int_equal(dump(t, big, NULL, 0, JSON), -E2BIG);
	assert_int_equal(count_char(got(t), '{'), BBPF_DUMP_VALUE_MAX_NODES - 1);
	assert_true(got(t)[t->out.len - 1] == ']');
	assert_int_equal(dump_opts(t, big2, NULL, 0, &o), -E2BIG);
	assert_int_equal(count_char(got(t), '{'), 1000 - 2);
	/* An array far larger than the data given: refused before any output. */
	assert_int_equal(dump(t, ints, "\0\0\0\0", 4, JSON), -EBADMSG);
	assert_string_equal(got(t), "");
	/* ... and in partial mode, printed as far as the data goes. */
	assert_int_equal(dump_partial(t, ints, "\1\0\0\0\2\0\0\0\3", 9, JSON), 0);
	assert_string_equal(got(t), "[1,2]");
	/* Bounded in time too (a few hundred ms at most under ASan). */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
}

/* A real value larger than the fixed budgets: the defaults grow with the data. */
static void test_big_value_whole(void **state)
{
	struct t *t = *state;
	uint32_t u8 = bb_btf_add_int(&t->b, "unsigned char", 1, 0, 8);
	uint32_t n = 2 * BBPF_DUMP_VALUE_MAX_NODES;
	uint32_t arr = bb_btf_add_array(&t->b, u8, u8, n);
	uint8_t *d = calloc(1, n);

	assert_non_null(d);
	d[n - 1] = 7;
	assert_int_equal(dump(t, arr, d, n, JSON), 0);
	assert_int_equal(t->out.len, 2 + (size_t)n + (n - 1));
	assert_string_equal(got(t) + t->out.len - 5, ",0,7]");
	free(d);
}

static void test_wide_union(void **state)
{
	struct t *t = *state;
	uint32_t u8 = bb_btf_add_int(&t->b, "unsigned char", 1, 0, 8);
	uint32_t arr = bb_btf_add_array(&t->b, u8, u8, 4096);
	uint32_t un = bb_btf_add_union(&t->b, "wide", 4096, false), i, un2;
	struct bbpf_dump_value_opts o = { .fmt = JSON, .max_out = 100000 };
	uint8_t *d = calloc(1, 4096);

	assert_non_null(d);
	/* 65535 members, each 4096 bytes, all over the same data. */
	for (i = 0; i < 0xffff; i++)
		bb_btf_add_member(&t->b, "m", arr, 0);
	un2 = bb_btf_add_union(&t->b, "wider", 4096, false);
	for (i = 0; i < 0xffff; i++)
		bb_btf_add_member(&t->b, "u", un, 0);
	assert_int_equal(dump_opts(t, un2, d, 4096, &o), -E2BIG);
	/* The output cap holds, to the byte. */
	assert_true(t->out.len <= 100000);
	assert_int_equal(dump(t, un2, d, 4096, JSON), -E2BIG);
	assert_true(t->out.len <= (size_t)BBPF_DUMP_VALUE_MAX_OUT + BBPF_DUMP_VALUE_OUT_PER_BYTE * 4096);
	free(d);
}

static void test_inconsistent_btf(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t u64 = bb_btf_add_int(&t->b, "u64", 8, 0, 64);
	uint32_t st = bb_btf_add_struct(&t->b, "s", 8, false);
	uint32_t bf, ds, v;

	/* u64 at byte 4 of an 8-byte struct: the parser allows the offset. */
	bb_btf_add_member(&t->b, "a", u32, 0);
	bb_btf_add_member(&t->b, "b", u64, 32);
	bf = bb_btf_add_struct(&t->b, "bf", 32, true);
	bb_btf_add_member(&t->b, "huge", u32, BTF_MEMBER_OFFSET(200, 0));
	v = bb_btf_add_var(&t->b, "v", u64, BTF_VAR_GLOBAL_ALLOCATED);
	ds = bb_btf_add_datasec(&t->b, ".data", 8);
	bb_btf_add_secinfo(&t->b, v, 0x7fffffff, 8);
	EXPECT(t, st, "\1\0\0\0\2\0\0\0", 8, JSON, -EBADMSG, "{\"a\":1,\"b\":}");
	{
		uint8_t d[32] = { 0 };

		EXPECT(t, bf, d, 32, JSON, -EINVAL, "{\"huge\":}");
	}
	EXPECT(t, ds, "\1\0\0\0\2\0\0\0", 8, JSON, -EBADMSG, "{\".data\":[{\"v\":}]}");
}

/* Kernel BTF is parsed without the id checks: bad ids must be survived. */
static void test_trusted_btf(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t st = bb_btf_add_struct(&t->b, "s", 8, false);
	uint32_t arr, len;
	struct bbpf_btf tb;
	struct bbpf_dump_out w = { out_write, &t->out };
	uint8_t d[8] = { 0 };

	bb_btf_add_member(&t->b, "a", u32, 0);
	bb_btf_add_member(&t->b, "b", 999, 32);	/* no such type */
	arr = bb_btf_add_array(&t->b, 777, u32, 2);
	free(t->raw);
	t->raw = bb_btf_raw(&t->b, false, &len);
	assert_int_equal(bbpf_btf_parse_trusted(&tb, t->raw, len, NULL, &t->arena, NULL), 0);
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_value(&w, &tb, st, d, 8, NULL), -EINVAL);
	assert_string_equal(got(t), "{\n    \"a\": 0,\n    \"b\": }");
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_value(&w, &tb, arr, d, 8, NULL), -EINVAL);
	assert_string_equal(got(t), "");
}

/* ---- map entries (dump_map.c) ---- */

static int map_dump(struct t *t, enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_map_info *di,
		    const void *key, const void *value, size_t vlen, int entries)
{
	struct bbpf_dump_out w = { out_write, &t->out };
	struct bbpf_dump_map d;
	int i, err;

	out_reset(&t->out);
	err = bbpf_dump_map_begin(&d, &w, fmt, di);
	if (err)
		return err;
	for (i = 0; i < entries; i++)
		(void)bbpf_dump_map_entry(&d, key, value, vlen);
	return bbpf_dump_map_end(&d);
}

static void test_map_plain_hex(void **state)
{
	struct t *t = *state;
	struct bbpf_dump_map_info di = { .key_size = 4, .value_size = 8 };
	uint8_t k[20], v[40];
	size_t i;

	for (i = 0; i < sizeof(k); i++)
		k[i] = (uint8_t)i;
	for (i = 0; i < sizeof(v); i++)
		v[i] = (uint8_t)(0xa0 + i);
	/* 4 + 8 bytes: one line. */
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 8, 1), 0);
	assert_string_equal(got(t), "key: 00 01 02 03  value: a0 a1 a2 a3 a4 a5 a6 a7\nFound 1 element\n");
	/* 8 + 17: names on their own lines, 16 bytes a line, two spaces after 8. */
	di.key_size = 8;
	di.value_size = 17;
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 17, 2), 0);
	assert_string_equal(got(t),
			    "key:\n00 01 02 03 04 05 06 07\nvalue:\na0 a1 a2 a3 a4 a5 a6 a7  "
			    "a8 a9 aa ab ac ad ae af\nb0\n"
			    "key:\n00 01 02 03 04 05 06 07\nvalue:\na0 a1 a2 a3 a4 a5 a6 a7  "
			    "a8 a9 aa ab ac ad ae af\nb0\nFound 2 elements\n");
	/* 12 + 16 = 28 > 24: separate lines, names inline. */
	di.key_size = 12;
	di.value_size = 16;
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 16, 1), 0);
	assert_string_equal(got(t),
			    "key: 00 01 02 03 04 05 06 07  08 09 0a 0b\n"
			    "value: a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af\nFound 1 element\n");
	/* No key (queue/stack), empty dump. */
	di.key_size = 0;
	di.value_size = 2;
	assert_int_equal(map_dump(t, PLAIN, &di, NULL, v, 2, 1), 0);
	assert_string_equal(got(t), "value: a0 a1\nFound 1 element\n");
	assert_int_equal(map_dump(t, PLAIN, &di, NULL, v, 2, 0), 0);
	assert_string_equal(got(t), "Found 0 elements\n");
	/* JSON without BTF: hex strings, no "formatted". */
	di.key_size = 2;
	assert_int_equal(map_dump(t, JSON, &di, k, v, 2, 2), 0);
	assert_string_equal(got(t), "[{\"key\":[\"0x00\",\"0x01\"],\"value\":[\"0xa0\",\"0xa1\"]},"
				    "{\"key\":[\"0x00\",\"0x01\"],\"value\":[\"0xa0\",\"0xa1\"]}]\n");
	assert_int_equal(map_dump(t, PRETTY, &di, k, v, 2, 1), 0);
	assert_string_equal(got(t), "[{\n        \"key\": [\"0x00\",\"0x01\"\n        ],\n"
				    "        \"value\": [\"0xa0\",\"0xa1\"\n        ]\n    }\n]\n");
	assert_int_equal(map_dump(t, JSON, &di, k, v, 2, 0), 0);
	assert_string_equal(got(t), "[]\n");
}

static void test_map_per_cpu_hex(void **state)
{
	struct t *t = *state;
	struct bbpf_dump_map_info di = { .key_size = 4, .value_size = 3, .n_cpus = 2 };
	uint8_t k[4] = { 1, 0, 0, 0 };
	uint8_t v[16] = { 1, 2, 3, 0xee, 0xee, 0xee, 0xee, 0xee, 4, 5, 6 };

	/* Values sit round_up(3, 8) = 8 bytes apart; the padding is not printed. */
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 16, 1), 0);
	assert_string_equal(got(t), "key:\n01 00 00 00\nvalue (CPU 00): 01 02 03\n"
				    "value (CPU 01): 04 05 06\nFound 1 element\n");
	assert_int_equal(map_dump(t, JSON, &di, k, v, 16, 1), 0);
	assert_string_equal(got(t), "[{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"values\":["
				    "{\"cpu\":0,\"value\":[\"0x01\",\"0x02\",\"0x03\"]},"
				    "{\"cpu\":1,\"value\":[\"0x04\",\"0x05\",\"0x06\"]}]}]\n");
	/* A buffer too short for every CPU: refused, nothing printed for it. */
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 11, 1), 0);
	assert_string_equal(got(t), "Found 0 elements\n");
}

static void test_map_btf(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t st = bb_btf_add_struct(&t->b, "v", 8, false);
	struct bbpf_dump_map_info di;
	uint8_t k[4] = { 3, 0, 0, 0 };
	uint8_t v[16] = { 1, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0 };

	bb_btf_add_member(&t->b, "a", u32, 0);
	bb_btf_add_member(&t->b, "b", u32, 32);
	build(t);
	memset(&di, 0, sizeof(di));
	di.key_size = 4;
	di.value_size = 8;
	di.btf_id = 9;
	di.btf = &t->btf;
	di.key_type_id = u32;
	di.value_type_id = st;
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 8, 2), 0);
	assert_string_equal(got(t), "[{\n        \"key\": 3,\n        \"value\": {\n"
				    "            \"a\": 1,\n            \"b\": 2\n        }\n    },{\n"
				    "        \"key\": 3,\n        \"value\": {\n"
				    "            \"a\": 1,\n            \"b\": 2\n        }\n    }\n]\n");
	assert_int_equal(map_dump(t, JSON, &di, k, v, 8, 1), 0);
	assert_string_equal(got(t), "[{\"key\":[\"0x03\",\"0x00\",\"0x00\",\"0x00\"],\"value\":["
				    "\"0x01\",\"0x00\",\"0x00\",\"0x00\",\"0x02\",\"0x00\",\"0x00\",\"0x00\"],"
				    "\"formatted\":{\"key\":3,\"value\":{\"a\":1,\"b\":2}}}]\n");
	/* No key type (global data): the formatted object has only the value. */
	di.key_type_id = 0;
	assert_int_equal(map_dump(t, JSON, &di, k, v, 8, 1), 0);
	assert_non_null(strstr(got(t), "\"formatted\":{\"value\":{\"a\":1,\"b\":2}}}]\n"));
	/* Empty map with BTF, plain: an empty array, no "Found". */
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 8, 0), 0);
	assert_string_equal(got(t), "[]\n");
	/* Per-CPU with BTF. */
	di.key_type_id = u32;
	di.n_cpus = 2;
	assert_int_equal(map_dump(t, JSON, &di, k, v, 16, 1), 0);
	assert_non_null(strstr(got(t), "\"formatted\":{\"key\":3,\"values\":[{\"cpu\":0,\"value\":"
					"{\"a\":1,\"b\":2}},{\"cpu\":1,\"value\":{\"a\":5,\"b\":6}}]}}]\n"));
	/* btf_id without a value type: framed, entries in hex. */
	di.n_cpus = 0;
	di.value_type_id = 0;
	assert_int_equal(map_dump(t, PLAIN, &di, k, v, 8, 1), 0);
	assert_string_equal(got(t), "[key: 03 00 00 00  value: 01 00 00 00 02 00 00 00\n]\n");
}

static void test_map_errors_and_lookup(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	struct bbpf_dump_out w = { out_write, &t->out };
	struct bbpf_dump_map_info di = { .key_size = 4, .value_size = 4 };
	struct bbpf_dump_map d;
	uint8_t k[4] = { 1, 2, 3, 4 };

	build(t);
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_map_begin(&d, &w, PLAIN, &di), 0);
	assert_int_equal(bbpf_dump_map_entry_error(&d, k, "<no entry>"), 0);
	assert_int_equal(bbpf_dump_map_entry_error(&d, k, "Operation not permitted"), 0);
	assert_int_equal(bbpf_dump_map_entry(&d, k, k, 4), 0);
	assert_int_equal(bbpf_dump_map_end(&d), 0);
	assert_string_equal(got(t), "key: 01 02 03 04  value: <no entry>\n"
				    "key:\n01 02 03 04\nvalue:\nOperation not permitted\n"
				    "key: 01 02 03 04  value: 01 02 03 04\nFound 1 element\n");
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_map_begin(&d, &w, JSON, &di), 0);
	assert_int_equal(bbpf_dump_map_entry_error(&d, k, "No such file or directory"), 0);
	assert_int_equal(bbpf_dump_map_end(&d), 0);
	assert_string_equal(got(t), "[{\"key\":[\"0x01\",\"0x02\",\"0x03\",\"0x04\"],\"value\":"
				    "{\"error\":\"No such file or directory\"}}]\n");
	/* Misuse. */
	assert_int_equal(bbpf_dump_map_begin(&d, &w, (enum bbpf_dump_value_fmt)7, &di), -EINVAL);
	assert_int_equal(bbpf_dump_map_begin(&d, NULL, PLAIN, &di), -EINVAL);
	assert_int_equal(bbpf_dump_map_begin(&d, &w, PLAIN, &di), 0);
	assert_int_equal(bbpf_dump_map_entry(&d, NULL, k, 4), -EINVAL);
	assert_int_equal(bbpf_dump_map_entry(&d, k, k, 3), -EINVAL);
	assert_int_equal(bbpf_dump_map_entry_error(&d, k, NULL), -EINVAL);
	assert_int_equal(bbpf_dump_map_end(&d), 0);
	assert_int_equal(bbpf_dump_map_end(&d), -EINVAL);
	di.n_cpus = 0xffffffffu;
	di.value_size = 0xffffffffu;
	if (sizeof(size_t) == 4)
		assert_int_equal(bbpf_dump_map_begin(&d, &w, PLAIN, &di), -EINVAL);
	di.n_cpus = 0;
	di.value_size = 4;
	/* Single entries, as `bpftool map lookup`. */
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_map_lookup(&w, PLAIN, &di, k, k, 4), 0);
	assert_string_equal(got(t), "key: 01 02 03 04  value: 01 02 03 04\n");
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_map_lookup(&w, JSON, &di, k, k, 4), 0);
	assert_string_equal(got(t), "{\"key\":[\"0x01\",\"0x02\",\"0x03\",\"0x04\"],\"value\":"
				    "[\"0x01\",\"0x02\",\"0x03\",\"0x04\"]}\n");
	di.btf = &t->btf;
	di.btf_id = 1;
	di.key_type_id = u32;
	di.value_type_id = u32;
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_map_lookup(&w, PLAIN, &di, k, k, 4), 0);
	assert_string_equal(got(t), "{\n    \"key\": 67305985,\n    \"value\": 67305985\n}\n");
	out_reset(&t->out);
	assert_int_equal(bbpf_dump_map_lookup(&w, PLAIN, &di, k, k, 2), -EINVAL);
	assert_string_equal(got(t), "");
}

/* The writer passes output on in chunks, not byte by byte. */
static void test_buffering(void **state)
{
	struct t *t = *state;
	uint32_t u8 = bb_btf_add_int(&t->b, "unsigned char", 1, 0, 8);
	uint32_t arr = bb_btf_add_array(&t->b, u8, u8, 1000);
	uint8_t d[1000] = { 0 };

	assert_int_equal(dump(t, arr, d, sizeof(d), JSON), 0);
	assert_int_equal(t->out.len, 2 + 1000 + 999);
	assert_true(t->out.calls <= t->out.len / (BBPF_DUMP_JSON_BUF / 2) + 1);
}

static void test_replay_inputs(void **state)
{
	static const char *const dirs[] = {
		BBPF_SRC_DIR "/fuzz/corpus/fuzz_dump_value",
		BBPF_SRC_DIR "/tests/data/bad/dump_value",
	};
	size_t d, i, cnt, total = 0;
	struct su_file *files;

	(void)state;
	for (d = 0; d < 2; d++) {
		assert_int_equal(su_load_dir(dirs[d], "", &files, &cnt), 0);
		for (i = 0; i < cnt; i++) {
			if (!strcmp(files[i].name, "README.md"))
				continue;
			(void)LLVMFuzzerTestOneInput(files[i].buf, files[i].len);
			total++;
		}
		su_free_files(files, cnt);
	}
	assert_true(total >= 10);
}

/* ---- struct_ops function pointers (bpftool's prog_id_as_func_ptr) ---- */

static int fake_prog_name(void *ctx, uint32_t id, char *buf, size_t size)
{
	(void)ctx;
	if (id != 7)
		return -ENOENT;
	snprintf(buf, size, "prog%u", id);
	return 0;
}

static void test_func_ptr_prog_ids(void **state)
{
	struct t *t = *state;
	uint32_t u32 = bb_btf_add_int(&t->b, "unsigned int", 4, 0, 32);
	uint32_t u32t = bb_btf_add_typedef(&t->b, "u32", u32);
	uint32_t s32 = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	uint32_t sock = bb_btf_add_struct(&t->b, "sock", 0, false);
	uint32_t un = bb_btf_add_union(&t->b, "u", 0, false);
	uint32_t psock = bb_btf_add_ptr(&t->b, sock);
	uint32_t pcsock = bb_btf_add_ptr(&t->b, bb_btf_add_const(&t->b, sock));
	uint32_t pun = bb_btf_add_ptr(&t->b, un);
	uint32_t p1 = bb_btf_add_func_proto(&t->b, u32t);
	uint32_t p2, st, fp1, fp2, ip;
	struct bbpf_dump_value_opts o = { .fmt = BBPF_DUMP_VALUE_PLAIN,
					  .prog_name = fake_prog_name };
	uint64_t v[4] = { 7, 0, 0, 9 };

	bb_btf_add_param(&t->b, NULL, psock);
	bb_btf_add_param(&t->b, NULL, pcsock);
	bb_btf_add_param(&t->b, "n", s32);
	p2 = bb_btf_add_func_proto(&t->b, 0);
	bb_btf_add_param(&t->b, NULL, pun);
	bb_btf_add_param(&t->b, NULL, 0);
	fp1 = bb_btf_add_ptr(&t->b, p1);
	fp2 = bb_btf_add_ptr(&t->b, bb_btf_add_const(&t->b, p2));
	ip = bb_btf_add_ptr(&t->b, s32);
	st = bb_btf_add_struct(&t->b, "ops", 32, false);
	bb_btf_add_member(&t->b, "f", fp1, 0);
	bb_btf_add_member(&t->b, "g", fp2, 64);
	bb_btf_add_member(&t->b, "p", ip, 128);
	bb_btf_add_member(&t->b, "h", fp1, 192);
	assert_int_equal(dump_opts(t, st, v, sizeof(v), &o), 0);
	assert_string_equal(got(t), "{\n"
		"    \"f\": \"u32 (struct sock *, const struct sock *, int n) prog7/prog_id:7\",\n"
		"    \"g\": \"void (union u *, ...) 0\",\n"
		"    \"p\": (nil),\n"
		"    \"h\": 0x9\n"
		"}");
	o.fmt = BBPF_DUMP_VALUE_JSON;
	assert_int_equal(dump_opts(t, st, v, sizeof(v), &o), 0);
	assert_string_equal(got(t), "{\"f\":\"u32 (struct sock *, const struct sock *, int n) "
		"prog7/prog_id:7\",\"g\":\"void (union u *, ...) 0\",\"p\":0,\"h\":9}");
	/* without the hook: numbers */
	EXPECT(t, st, v, sizeof(v), BBPF_DUMP_VALUE_JSON, 0, "{\"f\":7,\"g\":0,\"p\":0,\"h\":9}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_struct_layouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_and_wide_ints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_char, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bitfields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_int_bitfields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_bitfields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_anonymous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_zero_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_char_arrays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsupported_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modifier_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_datasec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_endian, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_arrays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_value_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_union, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inconsistent_btf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trusted_btf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_plain_hex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_per_cpu_hex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_btf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_errors_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_func_ptr_prog_ids, setup, teardown),
		cmocka_unit_test(test_replay_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
