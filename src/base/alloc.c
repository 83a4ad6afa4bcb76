/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdlib.h>
#include <barebpf/alloc.h>

static void *libc_resize(void *ctx, void *ptr, size_t old_len, size_t new_len)
{
	(void)ctx;
	(void)old_len;
	if (new_len == 0) {
		free(ptr);
		return NULL;
	}
	/* malloc for new blocks, the arenas' only request: one libc symbol less to bind */
	return ptr ? realloc(ptr, new_len) : malloc(new_len);
}

const struct bbpf_alloc bbpf_alloc_libc = { .resize = libc_resize };
