/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_ALLOC_H
#define BAREBPF_ALLOC_H

#include <stddef.h>

/*
 * Memory hook, shaped like Lua's lua_Alloc: resize(ctx, NULL, 0, n)
 * allocates, resize(ctx, p, old_len, 0) frees and returns NULL,
 * resize(ctx, p, old_len, new_len) grows or shrinks. old_len is always
 * exact, so pool and arena allocators need no headers. Returning NULL for
 * a non-zero new_len means "out of memory"; the library turns it into
 * -ENOMEM. (Named "resize", not "realloc": cmocka #defines realloc.)
 */
struct bbpf_alloc {
	void *ctx;
	void *(*resize)(void *ctx, void *ptr, size_t old_len, size_t new_len);
};

/* malloc/realloc/free. */
extern const struct bbpf_alloc bbpf_alloc_libc;

#endif
