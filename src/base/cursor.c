// SPDX-License-Identifier: BSD-2-Clause
#include "cursor.h"

void bbpf_cursor_swap(void *rec, const char *sizes)
{
	uint8_t *p = rec, t;
	unsigned int n, i;

	for (; *sizes; p += n, sizes++) {
		n = (unsigned int)(*sizes - '0');
		for (i = 0; i < n / 2; i++) {
			t = p[i];
			p[i] = p[n - 1 - i];
			p[n - 1 - i] = t;
		}
	}
}
