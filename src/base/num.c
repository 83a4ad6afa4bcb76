// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include "num.h"

static unsigned int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	c |= 0x20;	/* lower case */
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	return 99;
}

int bbpf_num_parse(const char *s, size_t len, unsigned int flags, uint64_t *out)
{
	size_t i = 0, digits = 0;
	unsigned int base = 10, d;
	bool neg = false, overflow = false;
	uint64_t v = 0, lim = UINT64_MAX;

	while (i < len && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
		i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i < len && s[i] == '0') {
		base = 8;
		/* "0x" is a prefix if a hex digit follows (strtoull), or always (scanf) */
		if (i + 1 < len && (s[i + 1] | 0x20) == 'x' &&
		    ((flags & BBPF_NUM_BARE_0X) || (i + 2 < len && digit_val(s[i + 2]) < 16))) {
			base = 16;
			i += 2;
			digits = 1;
		}
	}
	if (flags & BBPF_NUM_S64)
		lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len && (d = digit_val(s[i])) < base; i++, digits++) {
		if (v > (lim - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (!digits || i != len)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*out = neg ? 0 - v : v;
	return 0;
}
