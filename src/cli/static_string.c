/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strlen for the static CLI builds only (as static_malloc.c: musl lets a
 * static program bring its own). musl's steps a byte at a time up to an
 * 8-byte boundary and again after the last word; this one reads aligned
 * words from the first (the bytes before s forced non-zero), as musl's
 * middle loop does: an aligned word never crosses a page, so no read can
 * fault (memcheck would still report the bytes past the end; the static
 * builds run under callgrind only). The first zero byte is the lowest one
 * flagged (a borrow only runs upwards from it).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((__may_alias__)) word;

size_t strlen(const char *s)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones << 7;
	uintptr_t a = (uintptr_t)s;
	const word *w = (const word *)(a & ~(uintptr_t)7);
	uint64_t v = *w | (((uint64_t)1 << ((a & 7) * 8)) - 1), m;

	while (!(m = (v - ones) & ~v & highs))
		v = *++w;
	return (size_t)((const char *)w - s) + (size_t)(__builtin_ctzll(m) >> 3);
}
