/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_snprintf() against the C library's snprintf() for every conversion,
 * flag, width, precision and length modifier it supports, plus truncation
 * and the size-0 length query.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include "base/fmt.h"

/* Both formatters into 256-byte buffers; same text, same return value. */
#define SAME(...) do {							\
	char want[256], got[256];					\
	int nw = snprintf(want, sizeof(want), __VA_ARGS__);		\
	int ng = bbpf_snprintf(got, sizeof(got), __VA_ARGS__);		\
									\
	assert_string_equal(got, want);					\
	assert_int_equal(ng, nw);					\
} while (0)

static void test_strings(void **state)
{
	(void)state;
	SAME("plain text");
	SAME("%s|%5s|%-5s|%.2s|%.*s|%-*s|%*s|", "abc", "ab", "ab", "abc", 2, "xyz", 6, "q", -4, "r");
	SAME("%.*s|%.0s|%s", 10, "short", "gone", "");
	SAME("%-14s%s\n", "label:", "value");
	SAME("%s%" PRIu32 "\u2192%s", ",", (uint32_t)3, "x");
	SAME("%c%c|%3c|%-3c|%%|100%%", 'a', 'b', 'c', 'd');
}

static void test_integers(void **state)
{
	(void)state;
	SAME("%d %d %d %i", 0, -1, INT_MAX, INT_MIN);
	SAME("%u %u %x %X %04x %02x", 0u, UINT_MAX, 255u, 255u, 10u, 7u);
	SAME("%+d %+d % d % d %+lld", 5, -5, 3, -3, 0ll);
	SAME("%llu %llx %lld %lld %ld %lu %zu %zd", ULLONG_MAX, 0xdeadbeefcafeull, LLONG_MIN, 5ll,
	     -3l, ULONG_MAX, (size_t)77, (ssize_t)-4);
	SAME("%" PRIu32 " %" PRIx32 " %" PRIu64 " %" PRId64, (uint32_t)9, (uint32_t)0xab,
	     UINT64_MAX, INT64_MIN);
	SAME("%5d|%-5d|%05d|%.3d|%8.3d|%.0d|%.0u|%-8.3x|", 42, 42, -42, 7, -7, 0, 0u, 10u);
	SAME("%#x|%#x|%#X|%#08x|%*d|%-*d|", 255u, 0u, 255u, 255u, 6, 12, 6, 12);
	SAME("%hhu %hd %hhd %hu %hhx", (unsigned char)200, (short)-7000, (signed char)-100,
	     (unsigned short)60000, (unsigned char)0xfe);
}

static void test_truncation(void **state)
{
	char small[4], big[8];

	(void)state;
	assert_int_equal(bbpf_snprintf(small, sizeof(small), "%s", "abcdef"), 6);
	assert_string_equal(small, "abc");
	assert_int_equal(bbpf_snprintf(small, sizeof(small), "%d", -12345), 6);
	assert_string_equal(small, "-12");
	assert_int_equal(bbpf_snprintf(NULL, 0, "%llu", 12345ull), 5);
	memset(big, 'x', sizeof(big));
	assert_int_equal(bbpf_snprintf(big, 1, "abc"), 3);
	assert_int_equal(big[0], '\0');
	assert_int_equal(big[1], 'x');	/* nothing past size */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
