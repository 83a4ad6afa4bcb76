/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the three event modules share (static inline, but for the ring
 * buffer check and the memory functions in ev.c: one copy each): the
 * context (the caller's, or a private one), memory from the context's
 * allocator, map info, and the ring-buffer header layout.
 */
#ifndef BBPF_EVENTS_EV_H
#define BBPF_EVENTS_EV_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <barebpf/events.h>
#include "../kern/kern.h"

/* The 8-byte record header of BPF ring buffers: u32 length with two flag bits, u32 pad. */
#define EV_RB_HDR_SZ 8u
#define EV_RB_BUSY (1u << 31)
#define EV_RB_DISCARD (1u << 30)

#define ev_load_acq(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ev_store_rel(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define ev_fence() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* The caller's context, or a private default one (*own set: free it last). */
static inline int ev_ctx_get(struct bbpf_ctx **ctx, bool *own)
{
	*own = false;
	if (*ctx)
		return 0;
	*own = true;
	return bbpf_ctx_new(ctx, NULL);
}

/* Zeroed memory from the context's allocator; NULL out of memory. */
void *bbpf_ev_zalloc(struct bbpf_ctx *ctx, size_t n);
/* Give back p (NULL: nothing) of n bytes. */
void bbpf_ev_free(struct bbpf_ctx *ctx, void *p, size_t n);
/* Grow an array from old_cnt to new_cnt elements of size; new slots zeroed. NULL: -ENOMEM. */
void *bbpf_ev_grow(struct bbpf_ctx *ctx, void *p, size_t old_cnt, size_t new_cnt, size_t size);

static inline int ev_map_info(struct bbpf_ctx *ctx, int fd, struct bpf_map_info *info)
{
	return bbpf_cmd_obj_info_zero(&ctx->sys, fd, info, sizeof(*info));
}

/*
 * Check a ring buffer map (RINGBUF or USER_RINGBUF) and compute its
 * producer mapping's length: page + 2 * data size. The kernel makes the
 * size a power of two and a multiple of the page size; anything else is
 * refused, since the reader's mask arithmetic depends on it. (ev.c: one
 * copy for both ring buffer kinds.)
 */
int bbpf_ev_rb_check(struct bbpf_ctx *ctx, const char *what, int fd,
		     const struct bpf_map_info *info, uint32_t want_type, size_t *prod_len);

#endif
