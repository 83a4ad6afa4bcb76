/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The only way parsers read untrusted bytes: a bounds-checked cursor with a
 * sticky error, plus span_ok() for random access and byte-order helpers.
 * Reads never cast input to a struct: memcpy + optional swap handles both
 * alignment and foreign-endian objects.
 */
#ifndef BBPF_CURSOR_H
#define BBPF_CURSOR_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *buf;
	uint64_t len;
	uint64_t off;
	bool swap;	/* input byte order differs from the host's */
	int err;	/* sticky: the first failure wins, later reads yield 0 */
};

/* True if [off, off + n) lies within [0, total). Cannot overflow. */
static inline bool span_ok(uint64_t off, uint64_t n, uint64_t total)
{
	return n <= total && off <= total - n;
}

static inline bool host_is_le(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

static inline struct cursor cur_make(const void *buf, uint64_t len, bool swap)
{
	return (struct cursor){ .buf = buf, .len = len, .swap = swap };
}

static inline const uint8_t *cur_take(struct cursor *c, uint64_t n)
{
	if (c->err)
		return NULL;
	if (!span_ok(c->off, n, c->len)) {
		c->err = -EBADMSG;
		return NULL;
	}
	c->off += n;
	return c->buf + (c->off - n);
}

static inline void cur_skip(struct cursor *c, uint64_t n)
{
	(void)cur_take(c, n);
}

static inline void cur_seek(struct cursor *c, uint64_t off)
{
	if (!c->err && off > c->len)
		c->err = -EBADMSG;
	else if (!c->err)
		c->off = off;
}

static inline uint64_t cur_left(const struct cursor *c)
{
	return c->err ? 0 : c->len - c->off;
}

static inline uint8_t cur_u8(struct cursor *c)
{
	const uint8_t *p = cur_take(c, 1);

	return p ? *p : 0;
}

static inline uint16_t swap16_if(uint16_t v, bool swap)
{
	return swap ? __builtin_bswap16(v) : v;
}

static inline uint32_t swap32_if(uint32_t v, bool swap)
{
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t swap64_if(uint64_t v, bool swap)
{
	return swap ? __builtin_bswap64(v) : v;
}

static inline uint16_t cur_u16(struct cursor *c)
{
	const uint8_t *p = cur_take(c, sizeof(uint16_t));
	uint16_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));	/* input may be unaligned */
	return swap16_if(v, c->swap);
}

static inline uint32_t cur_u32(struct cursor *c)
{
	const uint8_t *p = cur_take(c, sizeof(uint32_t));
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return swap32_if(v, c->swap);
}

static inline uint64_t cur_u64(struct cursor *c)
{
	const uint8_t *p = cur_take(c, sizeof(uint64_t));
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return swap64_if(v, c->swap);
}

/* Random-access loads; the caller has checked the span. */
static inline uint16_t load_u16(const uint8_t *p, bool swap)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swap16_if(v, swap);
}

static inline uint32_t load_u32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swap32_if(v, swap);
}

static inline uint64_t load_u64(const uint8_t *p, bool swap)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return swap64_if(v, swap);
}

/*
 * A record copied as is from the input (memcpy into a struct laid out like
 * it): swap its fields in place, sizes[] naming each field's width in order
 * as a digit ("448" is a u32, a u32 and a u64). One call instead of a
 * conditional swap per field at every load.
 */
void bbpf_cursor_swap(void *rec, const char *sizes);

/* True if s[0..max) holds a NUL, i.e. s is a string within the span. */
static inline bool str_in_span(const uint8_t *s, uint64_t max)
{
	return max > 0 && memchr(s, 0, max) != NULL;
}

#endif
