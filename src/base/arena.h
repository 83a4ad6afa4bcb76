/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bump allocator with a byte budget. Everything an object allocates comes
 * from its arena and is freed at once by bbpf_arena_free(); nothing is freed
 * item by item. Allocation past the budget fails deterministically, which
 * turns a runaway input into -ENOMEM instead of memory exhaustion.
 */
#ifndef BBPF_ARENA_H
#define BBPF_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <barebpf/alloc.h>

struct bbpf_arena_chunk;

struct bbpf_arena {
	struct bbpf_alloc alloc;
	struct bbpf_arena_chunk *head;
	size_t budget;		/* bytes that may still be taken from alloc */
	size_t used;		/* bytes taken from alloc, chunk headers included */
};

void bbpf_arena_init(struct bbpf_arena *a, const struct bbpf_alloc *alloc, size_t budget);
void bbpf_arena_free(struct bbpf_arena *a);
/*
 * Forget every allocation. A single chunk is kept for reuse (a scratch arena
 * reset between items then costs no allocator round trip); more are freed.
 */
void bbpf_arena_reset(struct bbpf_arena *a);

/* Zeroed, 16-byte aligned. NULL on failure or n == 0 overflow. */
void *bbpf_arena_zalloc(struct bbpf_arena *a, size_t n);
/*
 * As bbpf_arena_zalloc(), but the bytes are not cleared: for large arrays
 * the caller fills completely (or only reads where it wrote), so that
 * untouched pages stay untouched.
 */
void *bbpf_arena_alloc(struct bbpf_arena *a, size_t n);
/* cnt * size, overflow-checked, not cleared. */
void *bbpf_arena_alloc_array(struct bbpf_arena *a, size_t cnt, size_t size);
/* n * size with overflow check; zeroed. cnt == 0 returns a valid pointer. */
void *bbpf_arena_calloc(struct bbpf_arena *a, size_t cnt, size_t size);
void *bbpf_arena_memdup(struct bbpf_arena *a, const void *p, size_t n);
char *bbpf_arena_strdup(struct bbpf_arena *a, const char *s);
char *bbpf_arena_strndup(struct bbpf_arena *a, const char *s, size_t n);

#endif
