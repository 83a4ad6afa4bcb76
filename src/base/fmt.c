// SPDX-License-Identifier: BSD-2-Clause
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "fmt.h"

#if defined(BBPF_MSGZ) && !defined(BBPF_MSGZ_PASS1)
/*
 * The static builds (src/base/msgz.h): the format, and the argument of a
 * %s, may be a token: a catalog index + 1. The catalog (msgz_cat.h,
 * generated for the build: msgz_cnt texts NUL-separated, each
 * NUL-terminated, index 0 the empty text) is inflated at the first token
 * and kept to the end of the process, with each text's offset, so that a
 * token costs one inflate per process and then a lookup (output lines are
 * tokens too). These builds are the static CLIs, single-threaded
 * programs, and these two are the only state of src/base they have; the
 * library, whose objects have no writable data (make check-globals), never
 * defines BBPF_MSGZ. An out-of-memory or a broken catalog gives empty
 * texts (and is tried again at the next token).
 */
#include <barebpf/alloc.h>
#include "inflate.h"
#include "msgz_cat.h"

_Static_assert(msgz_len < 0x10000, "msgz: offsets are 16 bits");

__attribute__((noinline, cold))
static const char *msgz_text(const char *tok)
{
	static uint8_t *raw;
	static uint16_t off[msgz_cnt];
	size_t n = (size_t)((uintptr_t)tok - 1), used, len = 0, i, at;

	if (!raw) {
		raw = bbpf_alloc_libc.resize(NULL, NULL, 0, msgz_len);
		if (raw && (bbpf_inflate(msgz_z, sizeof(msgz_z), raw, msgz_len, &used, &len, NULL) ||
			    len != msgz_len || raw[len - 1])) {
			bbpf_alloc_libc.resize(NULL, raw, msgz_len, 0);
			raw = NULL;
		}
		if (!raw)
			return "";
		for (i = at = 0; i < msgz_cnt && at < msgz_len; i++, at += strlen((const char *)raw + at) + 1)
			off[i] = (uint16_t)at;
	}
	return n < msgz_cnt ? (const char *)raw + off[n] : "";
}
#define MSGZ_TOK(p) ((uintptr_t)(p) < BBPF_MSGZ_LIMIT)
#endif

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;	/* the full length, stored or not */
};

static void put(struct fmt_out *o, const char *s, size_t n)
{
	size_t room = o->len + 1 < o->size ? o->size - 1 - o->len : 0;

	if (room)
		memcpy(o->buf + o->len, s, n < room ? n : room);
	o->len += n;
}

static void pad(struct fmt_out *o, char c, long n)
{
	for (; n > 0; n--, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = c;
}

static int read_num(const char **f)
{
	int v = 0;

	for (; **f >= '0' && **f <= '9'; (*f)++)
		v = v < INT_MAX / 10 ? v * 10 + (**f - '0') : INT_MAX;
	return v;
}

/*
 * Every integer argument, read in one place (each va_arg is ~30 bytes of
 * code). lng: 0 int, 1 long, 2 long long, 3 size_t, -1 short, -2 char
 * (promoted to int). Where long, long long and size_t have one size (LP64)
 * they are read as one type. sgn: sign-extend from the type's width.
 */
static uintmax_t int_arg(va_list *ap, int lng, bool sgn)
{
	uintmax_t v;
	unsigned int sh;

	if (lng <= 0)
		v = va_arg(*ap, unsigned int);
	else if (lng == 2 || (sizeof(long) == sizeof(long long) &&
			      sizeof(size_t) == sizeof(long long)))
		v = va_arg(*ap, unsigned long long);
	else if (lng == 1)
		v = va_arg(*ap, unsigned long);
	else
		v = va_arg(*ap, size_t);
	sh = lng == -2 ? 8 * (sizeof(v) - 1) : lng == -1 ? 8 * (sizeof(v) - 2)
		: lng == 0 ? 8 * (sizeof(v) - sizeof(int)) : 0;
	v <<= sh;
	return sgn ? (uintmax_t)((intmax_t)v >> sh) : v >> sh;
}

int bbpf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct fmt_out o = { .buf = buf, .size = size };
	va_list ap;	/* a copy, whose address the helpers can take */
	const char *f, *s;
	char tmp[24], pfx[2];
	int width, prec, lng;
	bool left, zero, alt;
	char sign;

#if defined(BBPF_MSGZ) && !defined(BBPF_MSGZ_PASS1)
	if (MSGZ_TOK(fmt))
		fmt = msgz_text(fmt);
#endif
	va_copy(ap, ap_in);
	for (f = fmt; *f; f++) {
		const char *spec = f;
		uintmax_t u;
		size_t len, plen = 0;
		unsigned int base = 10;
		long zeros = 0, fill;

		if (*f != '%') {
			pad(&o, *f, 1);	/* one byte, stored in place */
			continue;
		}
		left = zero = alt = false;
		sign = 0;
		for (f++;; f++) {
			if (*f == '-')
				left = true;
			else if (*f == '0')
				zero = true;
			else if (*f == '#')
				alt = true;
			else if (*f == '+')
				sign = '+';
			else if (*f == ' ')
				sign = sign ? sign : ' ';
			else
				break;
		}
		if (*f == '*') {
			f++;
			width = (int)int_arg(&ap, 0, true);
			if (width < 0) {
				left = true;
				width = width == INT_MIN ? INT_MAX : -width;
			}
		} else {
			width = read_num(&f);
		}
		prec = -1;
		if (*f == '.') {
			f++;
			if (*f == '*') {
				f++;
				prec = (int)int_arg(&ap, 0, true);
				prec = prec < 0 ? -1 : prec;
			} else {
				prec = read_num(&f);
			}
		}
		lng = 0;
		if (*f == 'h' || *f == 'l') {
			lng = *f == 'h' ? -1 : 1;
			if (f[1] == f[0]) {
				lng *= 2;
				f++;
			}
			f++;
		} else if (*f == 'z') {
			lng = 3;
			f++;
		}

		switch (*f) {
		case '%':
			put(&o, f, 1);
			continue;
		case 'c':
			tmp[0] = (char)int_arg(&ap, 0, true);
			s = tmp;
			len = 1;
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
#if defined(BBPF_MSGZ) && !defined(BBPF_MSGZ_PASS1)
			else if (MSGZ_TOK(s))
				s = msgz_text(s);
#endif
			len = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
			break;
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
			u = int_arg(&ap, lng, *f == 'd' || *f == 'i');
			if (*f == 'd' || *f == 'i') {
				if ((intmax_t)u < 0) {
					sign = '-';
					u = 0 - u;
				}
			} else {
				sign = 0;
				base = *f == 'u' ? 10 : 16;
				if (alt && u && base == 16) {
					pfx[plen++] = '0';
					pfx[plen++] = *f;
				}
			}
			/* digits right to left, then sign/prefix and zeros go before them */
			len = 0;
			while (u) {
				unsigned int d = (unsigned int)(u % base);

				tmp[sizeof(tmp) - ++len] =
					(char)(d < 10 ? '0' + d : (*f == 'X' ? 'A' : 'a') + d - 10);
				u /= base;
			}
			s = tmp + sizeof(tmp) - len;
			if (prec < 0)
				prec = 1;
			else
				zero = false;	/* a precision disables the 0 flag */
			if ((size_t)prec > len)
				zeros = (long)((size_t)prec - len);
			if (sign)
				pfx[plen++] = sign;	/* never together with 0x */
			if (zero && !left && width > (long)(plen + len) + zeros)
				zeros = width - (long)(plen + len);
			break;
		default:	/* unknown: copy the spec as it stands */
			if (!*f)
				f--;
			put(&o, spec, (size_t)(f - spec + 1));
			continue;
		}

		/* strings: no prefix, no zeros */
		fill = width - (long)(plen + len) - zeros;
		if (!left)
			pad(&o, ' ', fill);
		put(&o, pfx, plen);
		pad(&o, '0', zeros);
		put(&o, s, len);
		if (left)
			pad(&o, ' ', fill);
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT_MAX ? INT_MAX : (int)o.len;
}

BBPF_NO_FP_VARARGS
int bbpf_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bbpf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

const char *bbpf_fmt_nth(const char *s, unsigned int i)
{
	while (i--)
		s += strlen(s) + 1;
	return s;
}
