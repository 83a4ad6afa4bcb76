/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdbool.h>
#include <string.h>
#include "arena.h"

#define ARENA_ALIGN 16
#define ARENA_CHUNK_MIN 16384

struct bbpf_arena_chunk {
	struct bbpf_arena_chunk *next;
	size_t size;		/* bytes of data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void bbpf_arena_init(struct bbpf_arena *a, const struct bbpf_alloc *alloc, size_t budget)
{
	*a = (struct bbpf_arena){ .alloc = *alloc, .budget = budget };
}

void bbpf_arena_free(struct bbpf_arena *a)
{
	struct bbpf_arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		a->alloc.resize(a->alloc.ctx, c, sizeof(*c) + c->size, 0);
	}
	a->head = NULL;
	a->used = 0;
}

void bbpf_arena_reset(struct bbpf_arena *a)
{
	if (a->head && !a->head->next)
		a->head->used = 0;	/* a single chunk is kept; a->used still counts it */
	else
		bbpf_arena_free(a);
}

/* Chunk sizes stay multiples of ARENA_ALIGN, as every use does: see bbpf_arena_alloc(). */
static struct bbpf_arena_chunk *new_chunk(struct bbpf_arena *a, size_t need)
{
	struct bbpf_arena_chunk *c;
	size_t size = need < ARENA_CHUNK_MIN ? ARENA_CHUNK_MIN : need;
	size_t total;

	/* Chunks grow with the arena so the chunk count stays logarithmic. */
	if (a->used / 2 > size)
		size = a->used / 2 & ~(size_t)(ARENA_ALIGN - 1);	/* still >= need */
	if (size > a->budget - (a->used < a->budget ? a->used : a->budget))
		size = need;	/* near the budget: take only what is needed */
	total = sizeof(*c) + size;
	if (total < size || a->used > a->budget || total > a->budget - a->used)
		return NULL;
	c = a->alloc.resize(a->alloc.ctx, NULL, 0, total);
	if (!c)
		return NULL;
	c->size = size;
	c->used = 0;
	c->next = a->head;
	a->head = c;
	a->used += total;
	return c;
}

/* Not inlined: the fast path below then needs no saved registers. */
__attribute__((noinline))
static void *alloc_slow(struct bbpf_arena *a, size_t n)
{
	struct bbpf_arena_chunk *c = a->head;
	size_t need, start;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (!c || c->size - c->used < need) {
		c = new_chunk(a, need);
		if (!c)
			return NULL;
	}
	start = c->used;
	c->used += need;
	return c->data + start;
}

void *bbpf_arena_alloc(struct bbpf_arena *a, size_t n)
{
	struct bbpf_arena_chunk *c = a->head;
	void *p;

	/*
	 * 1 <= n <= room: the room is a multiple of ARENA_ALIGN (chunk size and
	 * use both are), so n rounded up fits too, and cannot wrap.
	 */
	if (c && n - 1 < c->size - c->used) {
		p = c->data + c->used;
		c->used += (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
		return p;
	}
	return alloc_slow(a, n);
}

void *bbpf_arena_zalloc(struct bbpf_arena *a, size_t n)
{
	void *p = bbpf_arena_alloc(a, n);

	if (p)
		memset(p, 0, n ? n : 1);
	return p;
}

void *bbpf_arena_alloc_array(struct bbpf_arena *a, size_t cnt, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(cnt, size, &n))
		return NULL;
	return bbpf_arena_alloc(a, n);
}

void *bbpf_arena_calloc(struct bbpf_arena *a, size_t cnt, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(cnt, size, &n))
		return NULL;
	return bbpf_arena_zalloc(a, n);
}

void *bbpf_arena_memdup(struct bbpf_arena *a, const void *p, size_t n)
{
	/* Fully overwritten, except the one zero byte that n == 0 gets. */
	void *q = n ? bbpf_arena_alloc(a, n) : bbpf_arena_zalloc(a, 0);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *bbpf_arena_strndup(struct bbpf_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *q = bbpf_arena_zalloc(a, len + 1);

	if (q)
		memcpy(q, s, len);
	return q;
}

char *bbpf_arena_strdup(struct bbpf_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *q = bbpf_arena_alloc(a, n);

	if (q)
		memcpy(q, s, n);	/* the NUL included: nothing to clear */
	return q;
}
