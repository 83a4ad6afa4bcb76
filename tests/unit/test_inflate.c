/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DEFLATE and gzip: crafted raw streams (checked against zlib when they were
 * made), files compressed by gzip(1) at test time, every truncation, random
 * corruption, CRC and size checks, output bounds. The running kernel's
 * /proc/config.gz against zcat(1): tests/kernel/test_kconfig_kernel.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <barebpf/alloc.h>
#include "base/inflate.h"

#define BIG_BUDGET ((size_t)1 << 30)

/* ---- crafted raw deflate streams (zlib's verdict in the comment) ---- */

/* OK "aaaaaaaaaaa": literal, then length 10 at distance 1 (overlapping copy) */
static const uint8_t v_fixed_overlap[] = { 0x4b, 0x44, 0x00, 0x00 };
/* invalid distance too far back */
static const uint8_t v_fixed_far[] = { 0x4b, 0x04, 0x42, 0x00 };
/* invalid literal/length code (286) */
static const uint8_t v_fixed_len286[] = { 0x4b, 0x1c, 0x03, 0x00 };
/* invalid distance code (30) */
static const uint8_t v_fixed_dist30[] = { 0x4b, 0x04, 0x3e, 0x00 };
/* OK "abcd": a non-final stored block, then a fixed one */
static const uint8_t v_stored_then_fixed[] = { 0x00, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62,
					       0x63, 0x4b, 0x01, 0x00 };
/* OK "": dynamic block whose literal/length code is a single length-1 code */
static const uint8_t v_dyn_single[] = { 0x05, 0xc0, 0x21, 0x09, 0x00, 0x00,
					0x00, 0x00, 0xa0, 0xff, 0xaf, 0x05 };
/* missing end-of-block code */
static const uint8_t v_dyn_no_eob[] = { 0x05, 0xc0, 0x21, 0x09, 0x00, 0x00,
					0x00, 0x00, 0xa0, 0xff, 0xab, 0x05 };
/* repeat code 16 with nothing to repeat */
static const uint8_t v_dyn_rep_first[] = { 0x05, 0x00, 0x02, 0x24 };
/* over-subscribed code length code */
static const uint8_t v_dyn_clen_over[] = { 0x05, 0xc0, 0x81, 0x04, 0x00,
					   0x00, 0x00, 0x00, 0x10 };
/* incomplete literal/length code (two codes) */
static const uint8_t v_dyn_incomplete[] = { 0x05, 0xc0, 0x01, 0x09, 0x00, 0x00, 0x00,
					    0x80, 0xa0, 0xff, 0xab, 0x0d, 0x00 };
/* repeat past the end of the lengths */
static const uint8_t v_dyn_rep_over[] = { 0x05, 0xc0, 0x21, 0x09, 0x00, 0x00,
					  0x00, 0x00, 0xa0, 0xff, 0xff, 0x01 };
/* 288 literal/length codes announced */
static const uint8_t v_dyn_hlit[] = { 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00 };
/* block type 3 */
static const uint8_t v_btype3[] = { 0x07 };
static const uint8_t v_stored_bad_nlen[] = { 0x01, 0x05, 0x00, 0x00, 0x00,
					     0x68, 0x65, 0x6c, 0x6c, 0x6f };
static const uint8_t v_stored_ok[] = { 0x01, 0x05, 0x00, 0xfa, 0xff,
				       0x68, 0x65, 0x6c, 0x6c, 0x6f };

static int raw(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len,
	       struct bbpf_diag *d)
{
	size_t used = 0;

	return bbpf_inflate(in, len, out, cap, &used, out_len, d);
}

static void test_crc32(void **state)
{
	(void)state;
	assert_int_equal(bbpf_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(bbpf_crc32(bbpf_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	assert_int_equal(bbpf_crc32(0, "", 0), 0);
}

static void test_raw_valid(void **state)
{
	uint8_t out[64];
	size_t n = 99, used = 0;

	(void)state;
	assert_int_equal(raw(v_fixed_overlap, sizeof(v_fixed_overlap), out, sizeof(out), &n, NULL), 0);
	assert_int_equal(n, 11);
	assert_memory_equal(out, "aaaaaaaaaaa", 11);
	assert_int_equal(raw(v_stored_then_fixed, sizeof(v_stored_then_fixed), out, sizeof(out), &n,
			     NULL), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "abcd", 4);
	assert_int_equal(raw(v_dyn_single, sizeof(v_dyn_single), out, sizeof(out), &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bbpf_inflate(v_stored_ok, sizeof(v_stored_ok), out, sizeof(out), &used, &n,
				      NULL), 0);
	assert_int_equal(n, 5);
	assert_int_equal(used, sizeof(v_stored_ok));
	assert_memory_equal(out, "hello", 5);
	/* Output bound: exactly enough, one byte short. */
	assert_int_equal(raw(v_fixed_overlap, sizeof(v_fixed_overlap), out, 11, &n, NULL), 0);
	assert_int_equal(raw(v_fixed_overlap, sizeof(v_fixed_overlap), out, 10, &n, NULL), -E2BIG);
	assert_int_equal(raw(v_stored_ok, sizeof(v_stored_ok), out, 4, &n, NULL), -E2BIG);
}

static void test_raw_malformed(void **state)
{
	static const struct {
		const char *name;
		const uint8_t *p;
		size_t len;
	} bad[] = {
#define V(x) { #x, x, sizeof(x) }
		V(v_fixed_far), V(v_fixed_len286), V(v_fixed_dist30), V(v_dyn_no_eob),
		V(v_dyn_rep_first), V(v_dyn_clen_over), V(v_dyn_incomplete), V(v_dyn_rep_over),
		V(v_dyn_hlit), V(v_btype3), V(v_stored_bad_nlen),
#undef V
	};
	uint8_t out[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bbpf_diag d = { 0 };
		int err = raw(bad[i].p, bad[i].len, out, sizeof(out), &n, &d);

		if (err != -EBADMSG)
			fail_msg("%s: %d", bad[i].name, err);
		assert_int_equal(d.why, BBPF_BAD_GZIP);
		assert_true(d.off <= bad[i].len);
	}
	/* Every truncation of the valid ones. */
	assert_int_equal(raw(v_stored_ok, 0, out, sizeof(out), &n, NULL), -EBADMSG);
	assert_int_equal(raw(NULL, 0, out, sizeof(out), &n, NULL), -EBADMSG);
	for (i = 0; i < sizeof(v_stored_ok); i++)
		assert_int_equal(raw(v_stored_ok, i, out, sizeof(out), &n, NULL), -EBADMSG);
	for (i = 0; i < sizeof(v_stored_then_fixed) - 1; i++)
		assert_int_equal(raw(v_stored_then_fixed, i, out, sizeof(out), &n, NULL), -EBADMSG);
}

/* ---- gzip(1) at test time ---- */

struct blob {
	uint8_t *p;
	size_t len;
};

static struct blob read_pipe(FILE *f)
{
	struct blob b = { 0 };
	size_t cap = 0, n;

	for (;;) {
		if (b.len == cap) {
			cap = cap ? cap * 2 : 65536;
			b.p = realloc(b.p, cap);
			assert_non_null(b.p);
		}
		n = fread(b.p + b.len, 1, cap - b.len, f);
		if (!n)
			break;
		b.len += n;
	}
	return b;
}

/* gzip opts < data */
static struct blob gzip_data(const char *opts, const void *data, size_t len)
{
	char path[] = "/tmp/bbpf_inflate_XXXXXX", cmd[256];
	struct blob b;
	FILE *f;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "gzip -c %s < %s", opts, path);
	f = popen(cmd, "r");
	assert_non_null(f);
	b = read_pipe(f);
	assert_int_equal(pclose(f), 0);
	unlink(path);
	return b;
}

/* Deterministic pseudo-random bytes (xorshift). */
static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

/* Text-like data with repeats, so that gzip picks Huffman blocks with matches. */
static uint8_t *make_text(size_t len, uint64_t seed)
{
	static const char *const words[] = {
		"CONFIG_", "BPF", "=y\n", "=m\n", "# ", " is not set\n", "NET", "_SYSCALL",
		"JIT", "=\"str\"\n", "0x1f", "HZ=1000\n", "KALLSYMS", "_ALL", "DEBUG_INFO",
	};
	uint8_t *p = malloc(len + 1);
	size_t off = 0, n;
	const char *w;

	assert_non_null(p);
	while (off < len) {
		w = words[rnd(&seed) % (sizeof(words) / sizeof(words[0]))];
		n = strlen(w);
		if (n > len - off)
			n = len - off;
		memcpy(p + off, w, n);
		off += n;
	}
	return p;
}

static uint8_t *make_random(size_t len, uint64_t seed)
{
	uint8_t *p = malloc(len + 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rnd(&seed);
	return p;
}

/* BTYPE of the first deflate block of a gzip file without optional header fields. */
static int first_btype(const struct blob *gz)
{
	assert_true(gz->len > 10);
	assert_int_equal(gz->p[3] & 0x1e, 0);
	return (gz->p[10] >> 1) & 3;
}

static int gunzip(const struct blob *gz, size_t max_out, uint8_t **out, size_t *len,
		  struct bbpf_arena *a, struct bbpf_diag *d)
{
	bbpf_arena_init(a, &bbpf_alloc_libc, BIG_BUDGET);
	return bbpf_gunzip(gz->p, gz->len, a, max_out, out, len, d);
}

/* gunzip must give exactly data. */
static void roundtrip(const struct blob *gz, const uint8_t *data, size_t len)
{
	struct bbpf_arena a;
	struct bbpf_diag d = { 0 };
	uint8_t *out = NULL;
	size_t n = 0;
	int err = gunzip(gz, BIG_BUDGET, &out, &n, &a, &d);

	if (err)
		fail_msg("gunzip: %d at %llu", err, (unsigned long long)d.off);
	assert_int_equal(n, len);
	if (len)
		assert_memory_equal(out, data, len);
	assert_int_equal(out[n], 0);
	bbpf_arena_free(&a);
}

static void test_gzip_kinds(void **state)
{
	uint8_t *text = make_text(300000, 1), *rand_data = make_random(200000, 2);
	struct blob gz;

	(void)state;
	gz = gzip_data("-n", "", 0);
	roundtrip(&gz, (const uint8_t *)"", 0);
	free(gz.p);

	gz = gzip_data("-n", "hello, hello, hello world\n", 26);
	assert_int_equal(first_btype(&gz), 1);	/* fixed */
	roundtrip(&gz, (const uint8_t *)"hello, hello, hello world\n", 26);
	free(gz.p);

	gz = gzip_data("-n -9", text, 3000);
	assert_int_equal(first_btype(&gz), 2);	/* dynamic */
	roundtrip(&gz, text, 3000);
	free(gz.p);

	gz = gzip_data("-n", rand_data, 200000);
	assert_int_equal(first_btype(&gz), 0);	/* stored: incompressible */
	roundtrip(&gz, rand_data, 200000);
	free(gz.p);

	gz = gzip_data("-n -1", text, 300000);	/* many blocks */
	roundtrip(&gz, text, 300000);
	free(gz.p);
	free(text);
	free(rand_data);
}

static void test_gzip_large_mixed(void **state)
{
	size_t len = 4u << 20, i;
	uint8_t *data = make_text(len, 3), *noise = make_random(len / 8, 4);
	struct blob gz;

	(void)state;
	/* Random stretches inside text: stored and Huffman blocks alternate. */
	for (i = 0; i < len / 8; i += 4096)
		memcpy(data + i * 7, noise + i, 2048);
	gz = gzip_data("-n -6", data, len);
	roundtrip(&gz, data, len);
	free(gz.p);
	free(data);
	free(noise);
}

static void test_gzip_header_fields(void **state)
{
	uint8_t *text = make_text(5000, 5);
	struct blob gz = gzip_data("-n", text, 5000);
	uint8_t *p = malloc(gz.len + 64);
	size_t off = 0, hdr;
	uint32_t crc;
	struct blob b;

	(void)state;
	assert_non_null(p);
	/* The original header with FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT, same data. */
	memcpy(p, gz.p, 10);
	p[3] = 0x1f;
	off = 10;
	p[off++] = 4;
	p[off++] = 0;
	memcpy(p + off, "AB\x02\x00", 4);
	off += 4;
	memcpy(p + off, "config\0", 7);
	off += 7;
	memcpy(p + off, "a comment\0", 10);
	off += 10;
	crc = bbpf_crc32(0, p, off);
	p[off++] = (uint8_t)crc;
	p[off++] = (uint8_t)(crc >> 8);
	hdr = off;
	memcpy(p + off, gz.p + 10, gz.len - 10);
	b = (struct blob){ p, off + gz.len - 10 };
	roundtrip(&b, text, 5000);

	{
		struct bbpf_arena a;
		uint8_t *out;
		size_t n;

		p[hdr - 1] ^= 1;	/* header CRC */
		assert_int_equal(gunzip(&b, BIG_BUDGET, &out, &n, &a, NULL), -EBADMSG);
		bbpf_arena_free(&a);
		p[hdr - 1] ^= 1;
		p[3] |= 0x20;		/* a reserved flag */
		assert_int_equal(gunzip(&b, BIG_BUDGET, &out, &n, &a, NULL), -EBADMSG);
		bbpf_arena_free(&a);
		p[3] &= ~0x20;
		p[2] = 7;		/* not deflate */
		assert_int_equal(gunzip(&b, BIG_BUDGET, &out, &n, &a, NULL), -EBADMSG);
		bbpf_arena_free(&a);
		p[2] = 8;
		p[10] = 0xff;		/* XLEN past the end */
		p[11] = 0xff;
		b.len = 200;
		assert_int_equal(gunzip(&b, BIG_BUDGET, &out, &n, &a, NULL), -EBADMSG);
		bbpf_arena_free(&a);
	}
	free(p);
	free(gz.p);
	free(text);
}

static void test_gzip_multi_member_and_trailing(void **state)
{
	struct blob a1 = gzip_data("-n", "first member\n", 13);
	struct blob a2 = gzip_data("-n -9", "second member, second member\n", 29);
	struct blob cat = { malloc(a1.len + a2.len + 4), a1.len + a2.len };
	struct bbpf_arena a;
	uint8_t *out;
	size_t n;

	(void)state;
	assert_non_null(cat.p);
	memcpy(cat.p, a1.p, a1.len);
	memcpy(cat.p + a1.len, a2.p, a2.len);
	roundtrip(&cat, (const uint8_t *)"first member\nsecond member, second member\n", 42);
	/* Trailing bytes that are no member. */
	memset(cat.p + cat.len, 0, 4);
	cat.len += 4;
	assert_int_equal(gunzip(&cat, BIG_BUDGET, &out, &n, &a, NULL), -EBADMSG);
	bbpf_arena_free(&a);
	cat.len = a1.len + 1;
	assert_int_equal(gunzip(&cat, BIG_BUDGET, &out, &n, &a, NULL), -EBADMSG);
	bbpf_arena_free(&a);
	free(a1.p);
	free(a2.p);
	free(cat.p);
}

static void test_gzip_trailer_checks(void **state)
{
	uint8_t *text = make_text(20000, 6);
	struct blob gz = gzip_data("-n", text, 20000);
	struct bbpf_arena a;
	struct bbpf_diag d = { 0 };
	uint8_t *out;
	size_t n, i;

	(void)state;
	for (i = gz.len - 8; i < gz.len; i++) {
		gz.p[i] ^= 0x10;	/* CRC (first 4) and ISIZE (last 4) */
		memset(&d, 0, sizeof(d));
		assert_int_equal(gunzip(&gz, BIG_BUDGET, &out, &n, &a, &d), -EBADMSG);
		assert_int_equal(d.why, BBPF_BAD_GZIP);
		bbpf_arena_free(&a);
		gz.p[i] ^= 0x10;
	}
	free(gz.p);
	free(text);
}

static void test_gzip_max_out(void **state)
{
	uint8_t *text = make_text(100000, 7);
	struct blob gz = gzip_data("-n", text, 100000);
	struct bbpf_arena a;
	uint8_t *out;
	size_t n;

	(void)state;
	assert_int_equal(gunzip(&gz, 100000, &out, &n, &a, NULL), 0);
	assert_int_equal(n, 100000);
	bbpf_arena_free(&a);
	assert_int_equal(gunzip(&gz, 99999, &out, &n, &a, NULL), -E2BIG);
	bbpf_arena_free(&a);
	assert_int_equal(gunzip(&gz, 0, &out, &n, &a, NULL), -E2BIG);
	bbpf_arena_free(&a);
	/* A lying ISIZE (smaller) costs a retry, then the trailer check fails. */
	gz.p[gz.len - 3] ^= 0x01;
	assert_int_equal(gunzip(&gz, 1u << 20, &out, &n, &a, NULL), -EBADMSG);
	bbpf_arena_free(&a);
	gz.p[gz.len - 3] ^= 0x01;
	/* A tiny arena: -ENOMEM, never a crash. */
	bbpf_arena_init(&a, &bbpf_alloc_libc, 1024);
	assert_int_equal(bbpf_gunzip(gz.p, gz.len, &a, 1u << 20, &out, &n, NULL), -ENOMEM);
	bbpf_arena_free(&a);
	free(gz.p);
	free(text);
}

static void test_gzip_truncations(void **state)
{
	uint8_t *text = make_text(6000, 8);
	struct blob gz = gzip_data("-n -9", text, 6000), t;
	struct bbpf_arena a;
	uint8_t *out;
	size_t n, i;

	(void)state;
	for (i = 0; i < gz.len; i++) {
		t = (struct blob){ gz.p, i };
		if (gunzip(&t, BIG_BUDGET, &out, &n, &a, NULL) != -EBADMSG)
			fail_msg("truncated at %zu of %zu: not -EBADMSG", i, gz.len);
		bbpf_arena_free(&a);
	}
	free(gz.p);
	free(text);
}

static void test_gzip_corruption(void **state)
{
	uint8_t *text = make_text(8000, 9);
	struct blob gz = gzip_data("-n -9", text, 8000);
	uint8_t *copy = malloc(gz.len);
	uint64_t seed = 12345;
	struct bbpf_arena a;
	uint8_t *out;
	size_t n, k, ok = 0;
	int round, err;

	(void)state;
	assert_non_null(copy);
	for (round = 0; round < 3000; round++) {
		struct blob b = { copy, gz.len };

		memcpy(copy, gz.p, gz.len);
		for (k = 0; k < 1 + rnd(&seed) % 4; k++)
			copy[rnd(&seed) % gz.len] ^= (uint8_t)(1 + rnd(&seed) % 255);
		err = gunzip(&b, 1u << 24, &out, &n, &a, NULL);
		if (err == 0) {
			/* Only what nothing checks (FTEXT, MTIME, XFL, OS) may change. */
			assert_int_equal(n, 8000);
			assert_memory_equal(out, text, 8000);
			ok++;
		} else if (err != -EBADMSG) {
			fail_msg("round %d: %d", round, err);
		}
		bbpf_arena_free(&a);
	}
	assert_true(ok < 3000 / 4);
	free(copy);
	free(gz.p);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_raw_valid),
		cmocka_unit_test(test_raw_malformed),
		cmocka_unit_test(test_gzip_kinds),
		cmocka_unit_test(test_gzip_large_mixed),
		cmocka_unit_test(test_gzip_header_fields),
		cmocka_unit_test(test_gzip_multi_member_and_trailing),
		cmocka_unit_test(test_gzip_trailer_checks),
		cmocka_unit_test(test_gzip_max_out),
		cmocka_unit_test(test_gzip_truncations),
		cmocka_unit_test(test_gzip_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
