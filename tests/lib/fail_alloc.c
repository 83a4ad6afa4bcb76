/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdlib.h>
#include "fail_alloc.h"

static void *fa_resize(void *ctx, void *ptr, size_t old_len, size_t new_len)
{
	struct fa *fa = ctx;
	void *p;

	if (new_len == 0) {
		free(ptr);
		fa->live -= ptr ? old_len : 0;
		return NULL;
	}
	if (fa->left == 0) {
		fa->failed++;
		return NULL;
	}
	p = realloc(ptr, new_len);
	if (!p)
		return NULL;
	fa->left--;
	fa->live += new_len - (ptr ? old_len : 0);
	return p;
}

struct bbpf_alloc fa_after(struct fa *fa, unsigned long n)
{
	*fa = (struct fa){ .left = n };
	return (struct bbpf_alloc){ .ctx = fa, .resize = fa_resize };
}
