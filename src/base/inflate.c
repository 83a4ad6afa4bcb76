/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DEFLATE (RFC 1951) and gzip (RFC 1952), decode only. Huffman codes are
 * canonical, so a code is kept as the number of codes of each length plus
 * the symbols sorted by code; decoding walks the lengths one bit at a time
 * (as in Mark Adler's puff). Slower than zlib's tables, but the whole state
 * is a few hundred bytes on the stack and every step is easy to check.
 *
 * gzip member:
 *   +---+---+----+-----+-------+-----+----+
 *   |1f |8b | CM | FLG | MTIME | XFL | OS |   10 bytes, CM = 8 (deflate)
 *   +---+---+----+-----+-------+-----+----+
 *   [FEXTRA: XLEN(le16) + XLEN bytes] [FNAME: ...\0] [FCOMMENT: ...\0]
 *   [FHCRC: le16, low half of the CRC-32 of the header bytes before it]
 *   deflate blocks
 *   CRC32(le32 of the uncompressed data)  ISIZE(le32, length mod 2^32)
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "cursor.h"
#include "inflate.h"

#define MAXBITS		15	/* longest code */
#define MAXLCODES	286	/* literal/length codes that may be sent */
#define MAXDCODES	30	/* distance codes that may be sent */
#define FIXLCODES	288	/* literal/length codes of the fixed code */
#define NCLCODES	19	/* code length codes */

#define GZ_FTEXT	0x01
#define GZ_FHCRC	0x02
#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_FRESERVED	0xe0
#define GZ_HDR_LEN	10
#define GZ_TRAILER_LEN	8
#define MAX_RATIO	1032	/* deflate's largest expansion */

/* Half-byte CRC-32 table (reflected polynomial 0xedb88320). */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

/*
 * RFC 1951 3.2.5: the base and extra bits of length symbols 257..285 (sym
 * 0..28 here) and distance symbols 0..29, computed rather than tabled:
 * after the first few, each pair of (distance) or four (length) symbols
 * has one more extra bit, and the bases follow.
 */
static uint32_t len_extra(uint32_t sym)
{
	return sym < 8 || sym == 28 ? 0 : (sym - 4) >> 2;
}

static uint32_t len_base(uint32_t sym)
{
	if (sym < 4)
		return sym + 3;
	if (sym == 28)
		return 258;
	return ((4 | (sym & 3)) << len_extra(sym)) + 3;
}

static uint32_t dist_extra(uint32_t sym)
{
	return sym < 4 ? 0 : (sym - 2) >> 1;
}

static uint32_t dist_base(uint32_t sym)
{
	return sym < 2 ? sym + 1 : ((2 | (sym & 1)) << dist_extra(sym)) + 1;
}

/* RFC 1951 3.2.7: order in which code length code lengths are sent. */
static const uint8_t clen_order[NCLCODES] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

uint32_t bbpf_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

/* LSB-first bit reader. Invariant: cnt < 8 between calls; err is sticky. */
struct bits {
	const uint8_t *in;
	size_t len;
	size_t pos;		/* next byte to load */
	uint32_t buf;		/* cnt pending bits, LSB first */
	unsigned int cnt;
	int err;
};

struct out {
	uint8_t *p;
	size_t len;
	size_t cap;
};

struct huff {
	uint16_t count[MAXBITS + 1];	/* codes of each length; count[0]: unused symbols */
	uint16_t symbol[FIXLCODES];	/* symbols ordered by code */
};

/* n <= 16 bits, or 0 (and err set) when the input runs out. */
static uint32_t get_bits(struct bits *b, unsigned int n)
{
	uint32_t v;

	/* After an error the input is used up (pos == len): 0 again, unless bits are pending,
	 * whose value no caller reads once err is set. */
	while (b->cnt < n) {
		if (b->pos >= b->len) {
			b->err = -EBADMSG;
			return 0;
		}
		b->buf |= (uint32_t)b->in[b->pos++] << b->cnt;
		b->cnt += 8;
	}
	v = b->buf & ((1u << n) - 1);
	b->buf >>= n;
	b->cnt -= n;
	return v;
}

/*
 * One symbol, or -1 (truncated input or a code not in h). Canonical codes
 * of one length are consecutive: code - first indexes that length's
 * symbols. code >= first holds throughout, so the index stays below the
 * number of symbols placed by build().
 */
static int decode(struct bits *b, const struct huff *h)
{
	int code = 0, first = 0, index = 0, count, len;

	for (len = 1; len <= MAXBITS; len++) {
		code |= (int)get_bits(b, 1);
		if (b->err)
			return -1;
		count = h->count[len];
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

/*
 * Canonical code from lens[0..n) (each <= MAXBITS). Returns < 0 if
 * over-subscribed, 0 if complete (or empty), > 0 if incomplete.
 */
static int build(struct huff *h, const uint8_t *lens, int n)
{
	uint16_t offs[MAXBITS + 1];
	int left = 1, len, sym;

	memset(h->count, 0, sizeof(h->count));
	for (sym = 0; sym < n; sym++)
		h->count[lens[sym]]++;
	if (h->count[0] == n)
		return 0;	/* no codes: decode() always fails on it */
	for (len = 1; len <= MAXBITS; len++) {
		left = (left << 1) - h->count[len];
		if (left < 0)
			return left;
	}
	offs[1] = 0;
	for (len = 1; len < MAXBITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	for (sym = 0; sym < n; sym++)
		if (lens[sym])
			h->symbol[offs[lens[sym]]++] = (uint16_t)sym;
	return left;
}

/* Incomplete codes are only allowed as a single code of length 1 (RFC 1951 3.2.7). */
static bool code_ok(const struct huff *h, int built, int n)
{
	return built == 0 || (built > 0 && n - h->count[0] == 1 && h->count[1] == 1);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int stored(struct bits *b, struct out *o)
{
	uint32_t len, nlen;

	b->buf = 0;	/* skip to the byte boundary: fewer than 8 bits are pending */
	b->cnt = 0;
	if (!span_ok(b->pos, 4, b->len))
		return -EBADMSG;
	len = le32(b->in + b->pos);	/* LEN, then NLEN: both le16 */
	nlen = len >> 16;
	len &= 0xffff;
	if (len != (~nlen & 0xffff))
		return -EBADMSG;
	b->pos += 4;
	if (!span_ok(b->pos, len, b->len))
		return -EBADMSG;
	if (len > o->cap - o->len)
		return -E2BIG;
	memcpy(o->p + o->len, b->in + b->pos, len);
	o->len += len;
	b->pos += len;
	return 0;
}

/* Literals and <length, distance> pairs up to the end-of-block symbol. */
static int codes(struct bits *b, struct out *o, const struct huff *lc, const struct huff *dc)
{
	size_t len, dist, i;
	int sym;

	for (;;) {
		sym = decode(b, lc);
		if (sym < 0)
			return -EBADMSG;
		if (sym < 256) {
			if (o->len == o->cap)
				return -E2BIG;
			o->p[o->len++] = (uint8_t)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -EBADMSG;	/* 286, 287: fixed code only, invalid */
		len = len_base((uint32_t)sym) + get_bits(b, len_extra((uint32_t)sym));
		sym = decode(b, dc);
		if (sym < 0 || sym >= MAXDCODES)
			return -EBADMSG;
		dist = dist_base((uint32_t)sym) + get_bits(b, dist_extra((uint32_t)sym));
		if (b->err)
			return b->err;
		if (dist > o->len)
			return -EBADMSG;	/* before the start of the output */
		if (len > o->cap - o->len)
			return -E2BIG;
		/* Byte by byte: source and destination may overlap (dist < len). */
		for (i = 0; i < len; i++, o->len++)
			o->p[o->len] = o->p[o->len - dist];
	}
}

/*
 * The code lengths of a dynamic block (RFC 1951 3.2.7) into lens: nlen
 * literal/length codes, then ndist distance codes.
 */
static int dynamic_lens(struct bits *b, uint8_t *lens, int *nlen_out, int *ndist_out)
{
	struct huff lc;
	int nlen, ndist, ncode, index, sym, rep;
	uint8_t len;

	nlen = (int)get_bits(b, 5) + 257;
	ndist = (int)get_bits(b, 5) + 1;
	ncode = (int)get_bits(b, 4) + 4;
	if (b->err)
		return b->err;
	if (nlen > MAXLCODES || ndist > MAXDCODES)
		return -EBADMSG;

	memset(lens, 0, NCLCODES);
	for (index = 0; index < ncode; index++)
		lens[clen_order[index]] = (uint8_t)get_bits(b, 3);
	if (b->err)
		return b->err;
	if (build(&lc, lens, NCLCODES) != 0)
		return -EBADMSG;	/* the code length code must be complete */

	for (index = 0; index < nlen + ndist;) {
		sym = decode(b, &lc);
		if (sym < 0)
			return -EBADMSG;
		if (sym < 16) {
			lens[index++] = (uint8_t)sym;
			continue;
		}
		len = 0;
		if (sym == 16) {
			if (index == 0)
				return -EBADMSG;	/* nothing to repeat */
			len = lens[index - 1];
		}
		/* 16: 3-6 copies of the last length, 17: 3-10 zeros, 18: 11-138 zeros */
		rep = (sym == 18 ? 11 : 3) + (int)get_bits(b, sym == 16 ? 2 : sym == 17 ? 3 : 7);
		if (b->err)
			return b->err;
		if (index + rep > nlen + ndist)
			return -EBADMSG;
		while (rep--)
			lens[index++] = len;
	}
	if (lens[256] == 0)
		return -EBADMSG;	/* no end-of-block code */
	*nlen_out = nlen;
	*ndist_out = ndist;
	return 0;
}

/*
 * A Huffman-coded block: type 1 (the fixed code) or 2 (a dynamic one).
 * The fixed code is rebuilt for each fixed block: such blocks are short.
 */
static int huffman(struct bits *b, struct out *o, uint32_t type)
{
	uint8_t lens[FIXLCODES + MAXDCODES];
	struct huff lc, dc;
	int nlen = FIXLCODES, ndist = MAXDCODES, built, err;

	if (type == 1) {
		/* RFC 1951 3.2.6: the length of codes up to each end; 30 of 32 distance
		 * codes (30 and 31 never decode) */
		static const uint16_t fix_end[5] = { 144, 256, 280, FIXLCODES, FIXLCODES + MAXDCODES };
		static const uint8_t fix_len[5] = { 8, 9, 7, 8, 5 };

		for (int i = 0, k = 0; i < FIXLCODES + MAXDCODES; i++) {
			k += i == fix_end[k];
			lens[i] = fix_len[k];
		}
	} else {
		err = dynamic_lens(b, lens, &nlen, &ndist);
		if (err)
			return err;
	}
	/* The fixed distance code is incomplete by design: only dynamic codes are checked. */
	built = build(&lc, lens, nlen);
	if (built < 0 || (type == 2 && !code_ok(&lc, built, nlen)))
		return -EBADMSG;
	built = build(&dc, lens + nlen, ndist);
	if (built < 0 || (type == 2 && !code_ok(&dc, built, ndist)))
		return -EBADMSG;
	return codes(b, o, &lc, &dc);
}

/* Raw deflate into o; *consumed = input bytes up to the end of the last block. */
static int inflate_raw(const uint8_t *in, size_t in_len, struct out *o, size_t *consumed)
{
	struct bits b = { .in = in, .len = in_len };
	uint32_t last, type;
	int err;

	do {
		last = get_bits(&b, 1);
		type = get_bits(&b, 2);
		if (b.err) {
			err = b.err;
			break;
		}
		if (type == 0)
			err = stored(&b, o);
		else if (type != 3)
			err = huffman(&b, o, type);
		else
			err = -EBADMSG;
	} while (!err && !last);
	*consumed = b.pos;	/* where it stopped, also on failure */
	return err;
}

int bbpf_inflate(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
		 size_t *consumed, size_t *out_len, struct bbpf_diag *diag)
{
	struct out o = { .p = out, .cap = out ? cap : 0 };
	size_t used;
	int err;

	err = inflate_raw(in, in ? in_len : 0, &o, &used);
	if (err == -EBADMSG)
		return bbpf_diag_fail(diag, BBPF_BAD_GZIP, BBPF_DIAG_NO_SEC, used, 0);
	if (err)
		return err;
	*consumed = used;
	*out_len = o.len;
	return 0;
}

/* Member header at in[pos..); returns the offset of the deflate data or < 0. */
static int64_t gz_header(const uint8_t *in, size_t len, size_t pos, size_t *bad)
{
	size_t start = pos, xlen;
	const uint8_t *nul;
	uint8_t flg, m;

	*bad = pos;
	if (!span_ok(pos, GZ_HDR_LEN, len) || in[pos] != 0x1f || in[pos + 1] != 0x8b ||
	    in[pos + 2] != 8)
		return -EBADMSG;
	flg = in[pos + 3];
	*bad = pos + 3;
	if (flg & GZ_FRESERVED)
		return -EBADMSG;
	pos += GZ_HDR_LEN;
	*bad = pos;
	if (flg & GZ_FEXTRA) {
		if (!span_ok(pos, 2, len))
			return -EBADMSG;
		/* XLEN (le16): the high half of the le32 that starts at XFL, OS (pos - 2 >= 8) */
		xlen = le32(in + pos - 2) >> 16;
		if (!span_ok(pos + 2, xlen, len))
			return -EBADMSG;
		pos += 2 + xlen;
	}
	/* FNAME, then FCOMMENT: NUL-terminated */
	for (m = GZ_FNAME; m <= GZ_FCOMMENT; m <<= 1) {
		if (!(flg & m))
			continue;
		nul = memchr(in + pos, 0, len - pos);
		if (!nul)
			return -EBADMSG;
		pos = (size_t)(nul - in) + 1;
	}
	if (flg & GZ_FHCRC) {
		*bad = pos;
		if (!span_ok(pos, 2, len) ||
		    (bbpf_crc32(0, in + start, pos - start) & 0xffff) !=
			    (in[pos] | (uint32_t)in[pos + 1] << 8))
			return -EBADMSG;
		pos += 2;
	}
	return (int64_t)pos;
}

/* All members into o. On -EBADMSG, *bad is the input offset. */
static int gunzip_into(const uint8_t *in, size_t len, struct out *o, size_t *bad)
{
	size_t pos = 0, used, first;
	int64_t data;
	int err;

	do {
		data = gz_header(in, len, pos, bad);
		if (data < 0)
			return (int)data;
		first = o->len;
		err = inflate_raw(in + data, len - (size_t)data, o, &used);
		pos = (size_t)data + used;
		*bad = pos;
		if (err)
			return err;
		if (!span_ok(pos, GZ_TRAILER_LEN, len) ||
		    le32(in + pos) != bbpf_crc32(0, o->p + first, o->len - first) ||
		    le32(in + pos + 4) != (uint32_t)(o->len - first))
			return -EBADMSG;
		pos += GZ_TRAILER_LEN;
	} while (pos < len);
	return 0;
}

int bbpf_gunzip(const uint8_t *in, size_t in_len, struct bbpf_arena *arena, size_t max_out,
		uint8_t **out, size_t *out_len, struct bbpf_diag *diag)
{
	size_t cap, limit, bad = 0;
	struct out o;
	int err;

	if (!in)
		in_len = 0;
	/*
	 * DEFLATE expands at most MAX_RATIO times (two 1-bit codes per
	 * 258-byte match), so more output than that means a malformed input,
	 * not a big one, and the buffer never needs to be larger.
	 */
	limit = in_len > (SIZE_MAX / 2) / MAX_RATIO ? SIZE_MAX / 2 : in_len * MAX_RATIO;
	if (limit > max_out)
		limit = max_out;
	/*
	 * The last trailer's ISIZE is the exact size of a single-member file.
	 * It is only a hint: a wrong one costs a retry with a bigger buffer,
	 * never an overrun.
	 */
	cap = in_len >= GZ_HDR_LEN + GZ_TRAILER_LEN ? le32(in + in_len - 4) : 0;
	if (cap > limit)
		cap = limit;
	for (;;) {
		o = (struct out){ .p = bbpf_arena_zalloc(arena, cap + 1), .cap = cap };
		if (!o.p)
			return -ENOMEM;
		err = gunzip_into(in, in_len, &o, &bad);
		if (err != -E2BIG || cap == limit)
			break;
		cap = cap < 4096 ? 4096 : cap;
		cap = cap > limit / 2 ? limit : cap * 2;
	}
	if (err == -E2BIG && limit < max_out)
		err = -EBADMSG;
	if (err == -EBADMSG || err == -E2BIG)
		bbpf_diag_fail(diag, BBPF_BAD_GZIP, BBPF_DIAG_NO_SEC, bad, 0);
	if (err)
		return err;
	o.p[o.len] = 0;
	*out = o.p;
	*out_len = o.len;
	return 0;
}
