// SPDX-License-Identifier: BSD-2-Clause
/* see dump_json.h */
#include <string.h>
#include "dump_json.h"

static const char spaces[] = "                                                                ";

void bbpf_dump_json_init(struct bbpf_dump_json *j, const struct bbpf_dump_out *out, bool pretty,
			 uint64_t cap)
{
	memset(j, 0, sizeof(*j));
	j->out = *out;
	j->pretty = pretty;
	j->cap = cap ? cap : UINT64_MAX;
}

void bbpf_dump_json_flush(struct bbpf_dump_json *j)
{
	if (j->buf_len && j->out.write)
		j->out.write(j->out.ctx, j->buf, j->buf_len);
	j->buf_len = 0;
}

void bbpf_dump_json_raw(struct bbpf_dump_json *j, const char *s, size_t len)
{
	size_t n;

	if (j->full || !len)
		return;
	if (len > j->cap - j->written) {
		j->full = true;
		return;
	}
	j->written += len;
	while (len) {
		if (j->buf_len == sizeof(j->buf))
			bbpf_dump_json_flush(j);
		n = sizeof(j->buf) - j->buf_len;
		if (n > len)
			n = len;
		memcpy(j->buf + j->buf_len, s, n);
		j->buf_len += n;
		s += n;
		len -= n;
	}
	if (j->direct)
		bbpf_dump_json_flush(j);
}

void bbpf_dump_json_raw_str(struct bbpf_dump_json *j, const char *s)
{
	bbpf_dump_json_raw(j, s, strlen(s));
}

static void put_c(struct bbpf_dump_json *j, char c)
{
	bbpf_dump_json_raw(j, &c, 1);
}

/* Comma before every item but a container's first (direct: top-level ones are documents). */
static void eor(struct bbpf_dump_json *j)
{
	if (j->sep && (j->depth || !j->direct))
		put_c(j, j->sep);
	j->sep = ',';
	j->named = false;
}

static void eol(struct bbpf_dump_json *j)
{
	uint64_t n;

	if (!j->pretty)
		return;
	put_c(j, '\n');
	for (n = (uint64_t)j->depth * 4; n; ) {
		size_t k = n < sizeof(spaces) - 1 ? (size_t)n : sizeof(spaces) - 1;

		bbpf_dump_json_raw(j, spaces, k);
		n -= k;
	}
}

enum { Q_BPFTOOL, Q_UTF8, Q_STRICT };	/* Q_UTF8 == true: j->utf8 */

/*
 * Length of the valid UTF-8 sequence at s[0, len), or 0 if the bytes are
 * not one (RFC 3629: continuation bytes 10xxxxxx, no overlong form, no
 * surrogate, nothing past U+10FFFF).
 */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	uint32_t c = s[0], n = 1 + (c >= 0xe0) + (c >= 0xf0), cp, i;	/* n: continuation bytes */

	if (c < 0xc2 || c > 0xf4 || n >= len)
		return 0;
	cp = c & (0x3fu >> n);
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* the shortest form of n + 1 bytes is at least 1 << (5n + 1); c >= 0xc2 for n == 1 */
	if (cp < (uint32_t)1 << (5 * n + 1) || cp >> 11 == 0x1b || cp > 0x10ffff)
		return 0;
	return n + 1;
}

/*
 * s[0, len) quoted: bpftool's rules (a backslash as "\n", other bytes as
 * they are; see the header), strict JSON escapes, or strict ones letting
 * valid UTF-8 through.
 */
static void quote(struct bbpf_dump_json *j, const char *s, size_t len, int mode)
{
	static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
	char esc[6] = { '\\', 0, '0', '0', 0, 0 };
	const char *f;
	size_t i, run = 0, n;

	put_c(j, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		f = memchr(from, c, sizeof(from) - 1);
		n = 2;
		if (f) {
			esc[1] = to[f - from];
			if (esc[1] == '\\' && mode == Q_BPFTOOL)
				esc[1] = 'n';
		} else if (mode != Q_BPFTOOL && (c < 0x20 || c >= 0x7f)) {
			if (mode == Q_UTF8 && (n = utf8_len((const unsigned char *)s + i, len - i))) {
				i += n - 1;
				continue;
			}
			esc[1] = 'u';
			esc[4] = "0123456789abcdef"[c >> 4];
			esc[5] = "0123456789abcdef"[c & 15];
			n = 6;
		} else {
			continue;
		}
		bbpf_dump_json_raw(j, s + run, i - run);
		bbpf_dump_json_raw(j, esc, n);
		run = i + 1;
	}
	bbpf_dump_json_raw(j, s + run, len - run);
	put_c(j, '"');
}

static void puts_q(struct bbpf_dump_json *j, const char *s)
{
	quote(j, s, strlen(s), j->utf8);
}

static void begin(struct bbpf_dump_json *j, char c)
{
	eor(j);
	put_c(j, c);
	j->depth++;
	j->sep = 0;
}

static void end(struct bbpf_dump_json *j, char c)
{
	if (j->depth)
		j->depth--;
	if (j->sep)
		eol(j);
	put_c(j, c);
	j->sep = ',';
}

void bbpf_dump_json_start_object(struct bbpf_dump_json *j)
{
	begin(j, '{');
}

void bbpf_dump_json_end_object(struct bbpf_dump_json *j)
{
	end(j, '}');
}

void bbpf_dump_json_start_array(struct bbpf_dump_json *j)
{
	begin(j, '[');
}

void bbpf_dump_json_end_array(struct bbpf_dump_json *j)
{
	end(j, ']');
}

void bbpf_dump_json_name(struct bbpf_dump_json *j, const char *name)
{
	eor(j);
	eol(j);
	j->sep = 0;
	puts_q(j, name);
	j->named = true;
	if (j->pretty)
		bbpf_dump_json_raw(j, ": ", 2);
	else
		put_c(j, ':');
}

void bbpf_dump_json_value(struct bbpf_dump_json *j, const char *s, size_t len)
{
	eor(j);
	bbpf_dump_json_raw(j, s, len);
}

void bbpf_dump_json_string(struct bbpf_dump_json *j, const char *s)
{
	eor(j);
	puts_q(j, s);
}

void bbpf_dump_json_string_strict(struct bbpf_dump_json *j, const char *s, size_t len)
{
	eor(j);
	quote(j, s, len, Q_STRICT);
}


/* v in base 10 or 16, at least pad digits (at most 16). */
static size_t fmt_num(char *buf, uint64_t v, unsigned int base, unsigned int pad)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v || (n < pad && n < 16));
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

size_t bbpf_dump_json_fmt_u64(char *buf, uint64_t v)
{
	return fmt_num(buf, v, 10, 0);
}

size_t bbpf_dump_json_fmt_i64(char *buf, int64_t v)
{
	if (v >= 0)
		return bbpf_dump_json_fmt_u64(buf, (uint64_t)v);
	buf[0] = '-';
	/* -(v + 1) + 1 avoids negating INT64_MIN. */
	return 1 + bbpf_dump_json_fmt_u64(buf + 1, (uint64_t)(-(v + 1)) + 1);
}

size_t bbpf_dump_json_fmt_hex(char *buf, uint64_t v, unsigned int pad)
{
	return fmt_num(buf, v, 16, pad);
}

void bbpf_dump_json_u64(struct bbpf_dump_json *j, uint64_t v)
{
	char buf[24];

	bbpf_dump_json_value(j, buf, bbpf_dump_json_fmt_u64(buf, v));
}

void bbpf_dump_json_i64(struct bbpf_dump_json *j, int64_t v)
{
	char buf[24];

	bbpf_dump_json_value(j, buf, bbpf_dump_json_fmt_i64(buf, v));
}
