// SPDX-License-Identifier: BSD-2-Clause
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "fmt.h"

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

/* lng: 0 int, 1 long, 2 long long, 3 size_t, -1 short, -2 char (promoted to int) */
static intmax_t int_arg(va_list *ap, int lng)
{
	int v;

	switch (lng) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (intmax_t)va_arg(*ap, size_t);	/* %zd: ssize_t */
	}
	v = va_arg(*ap, int);
	return lng == -1 ? (short)v : lng == -2 ? (signed char)v : v;
}

static uintmax_t uint_arg(va_list *ap, int lng)
{
	unsigned int v;

	switch (lng) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	}
	v = va_arg(*ap, unsigned int);
	return lng == -1 ? (unsigned short)v : lng == -2 ? (unsigned char)v : v;
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

	va_copy(ap, ap_in);
	for (f = fmt; *f; f++) {
		const char *spec = f;
		uintmax_t u = 0;
		size_t len, plen = 0;
		unsigned int base = 10;
		long zeros = 0;

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
			width = va_arg(ap, int);
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
				prec = va_arg(ap, int);
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
			tmp[0] = (char)va_arg(ap, int);
			s = tmp;
			len = 1;
			goto emit;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			len = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
			goto emit;
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
			if (*f == 'd' || *f == 'i') {
				intmax_t v = int_arg(&ap, lng);

				if (v < 0)
					sign = '-';
				u = v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;
			} else {
				sign = 0;
				base = *f == 'u' ? 10 : 16;
				u = uint_arg(&ap, lng);
				if (alt && u && base == 16) {
					pfx[plen++] = '0';
					pfx[plen++] = *f;
				}
			}
			break;
		default:	/* unknown: copy the spec as it stands */
			if (!*f)
				f--;
			put(&o, spec, (size_t)(f - spec + 1));
			continue;
		}

		/* An integer: digits right to left, then sign/prefix, zeros, digits. */
		len = 0;
		while (u) {
			unsigned int d = (unsigned int)(u % base);

			tmp[sizeof(tmp) - ++len] = (char)(d < 10 ? '0' + d : (*f == 'X' ? 'A' : 'a') + d - 10);
			u /= base;
		}
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
		if (!left)
			pad(&o, ' ', width - (long)(plen + len) - zeros);
		put(&o, pfx, plen);
		pad(&o, '0', zeros);
		put(&o, tmp + sizeof(tmp) - len, len);
		if (left)
			pad(&o, ' ', width - (long)(plen + len) - zeros);
		continue;
emit:
		if (!left)
			pad(&o, ' ', width - (long)len);
		put(&o, s, len);
		if (left)
			pad(&o, ' ', width - (long)len);
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
