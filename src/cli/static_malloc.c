/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * malloc for the static CLI builds only (never the libraries, never the
 * dynamic CLI): musl lets a static program bring its own malloc, free,
 * calloc and realloc, and its general-purpose allocator is a quarter of
 * barebpf-init-static. The CLI is one short-lived, single-threaded process,
 * so this is simple: power-of-two size classes from 16 bytes to 64 KiB carved
 * from 256 KiB mmap()ed slabs, a free list per class, blocks never returned
 * to the kernel; anything larger is its own mapping, unmapped on free.
 * Every block has a 16-byte header holding its class (or its mapping size),
 * so alignment is 16 as malloc must give.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define HDR		16u
#define MIN_SHIFT	4u			/* 16 bytes */
#define MAX_SHIFT	16u			/* 64 KiB */
#define CLASSES		(MAX_SHIFT - MIN_SHIFT + 1)
#define SLAB		((size_t)256 << 10)
#define LARGE		0xffu

struct hdr {
	size_t size;		/* LARGE: the mapping's length; else unused */
	unsigned char cls;	/* size class, or LARGE */
	unsigned char pad[HDR - sizeof(size_t) - 1];
};

struct free_blk {
	struct free_blk *next;
};

/* The process's allocator state: the CLI's only mutable globals besides its signal flag. */
static struct free_blk *free_list[CLASSES];
static char *slab_cur, *slab_end;

static unsigned int class_of(size_t n)
{
	/* the bit length of (n - 1) >> MIN_SHIFT: 0 for 0..16, 1 for 17..32, ... */
	n = n ? (n - 1) >> MIN_SHIFT : 0;
	return n ? (unsigned int)(sizeof(n) * 8) - (unsigned int)__builtin_clzl(n) : 0;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *alloc_small(unsigned int cls)
{
	size_t blk = HDR + ((size_t)1 << (cls + MIN_SHIFT));
	struct hdr *h;

	if (free_list[cls]) {
		h = (struct hdr *)(void *)free_list[cls];
		free_list[cls] = free_list[cls]->next;
	} else {
		if ((size_t)(slab_end - slab_cur) < blk) {
			slab_cur = map(SLAB);	/* the rest of the old slab is left unused */
			if (!slab_cur)
				return NULL;
			slab_end = slab_cur + SLAB;
		}
		h = (struct hdr *)(void *)slab_cur;
		slab_cur += blk;
	}
	h->cls = (unsigned char)cls;
	return (char *)h + HDR;
}

void *malloc(size_t n)
{
	struct hdr *h;
	size_t len;

	if (n <= ((size_t)1 << MAX_SHIFT))
		return alloc_small(class_of(n));
	len = (n + HDR + 4095) & ~(size_t)4095;
	h = n > SIZE_MAX / 2 ? NULL : map(len);
	if (!h) {
		errno = ENOMEM;
		return NULL;
	}
	h->size = len;
	h->cls = LARGE;
	return (char *)h + HDR;
}

void free(void *p)
{
	struct hdr *h;

	if (!p)
		return;
	h = (struct hdr *)(void *)((char *)p - HDR);
	if (h->cls == LARGE) {
		munmap(h, h->size);
		return;
	}
	((struct free_blk *)(void *)h)->next = free_list[h->cls];
	free_list[h->cls] = (struct free_blk *)(void *)h;
}

void *calloc(size_t cnt, size_t size)
{
	size_t n;
	void *p;

	if (__builtin_mul_overflow(cnt, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

static size_t usable(const void *p)
{
	const struct hdr *h = (const struct hdr *)(const void *)((const char *)p - HDR);

	return h->cls == LARGE ? h->size - HDR : (size_t)1 << (h->cls + MIN_SHIFT);
}

void *realloc(void *p, size_t n)
{
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	if (n <= usable(p))
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, usable(p));
	free(p);
	return q;
}
