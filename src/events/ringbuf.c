/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BPF_MAP_TYPE_RINGBUF consumer: see events.h.
 *
 * The kernel's layout of a ring buffer map, by mmap offset:
 *   0         consumer page: unsigned long consumer_pos (user writes)
 *   page      producer page: unsigned long producer_pos (kernel writes)
 *   2 * page  data, size bytes, mapped twice in a row
 * Positions are byte counters; a record lives at data + (pos & mask):
 *   u32 len | BUSY (reserved, not committed) | DISCARD (skip), u32 pad,
 *   then len bytes, the whole rounded up to 8.
 */
#include <limits.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include "ev.h"

struct bbpf_ringbuf_ring {
	bbpf_ringbuf_sample_fn cb;
	void *cb_ctx;
	const uint8_t *data;		/* data area (mapped twice) */
	unsigned long *cons_pos;	/* consumer page, read-write */
	const unsigned long *prod_pos;	/* producer page, read-only; data follows it */
	unsigned long mask;		/* data size - 1 */
	unsigned long max_len;		/* longest record: size - header */
	size_t prod_len;		/* producer mapping: page + 2 * size */
	int map_fd;
};

struct bbpf_ringbuf {
	struct bbpf_ctx *ctx;
	bool own_ctx;
	int epoll_fd;
	unsigned int cnt;		/* rings in use */
	unsigned int rings_cap, events_cap;
	struct bbpf_ringbuf_ring **rings;
	struct epoll_event *events;	/* epoll_wait's output, one per ring */
};

/*
 * Hand the committed records of r to its callback, at most n of them when
 * bounded (always inlined: the unbounded copy has no count check).
 * Returns the count, or the callback's negative return (that record
 * consumed), or -EBADMSG for a length no kernel writes (nothing consumed:
 * the ring stops there).
 *
 * Per record: an acquire load of the header; one compare sends every
 * header with a flag bit (busy, discard) or a length the ring cannot hold
 * (> size - 8) to the slow path; the callback; a release store of the
 * consumer position. A full fence after each batch and at every early
 * exit (events.h).
 */
static inline __attribute__((always_inline)) int64_t
ring_run(struct bbpf_ringbuf_ring *r, uint64_t n, bool bounded)
{
	/*
	 * Six values stay in registers across the callback (x86-64 has six
	 * callee-saved ones); the consumer page and the longest length are
	 * read from r per record, which costs less than spilling them.
	 */
	const uint8_t *data = r->data;
	const unsigned long mask = r->mask;
	unsigned long cons = ev_load_acq(r->cons_pos), prod;
	int64_t cnt = 0;
	int err;

	if (bounded && !n)
		return 0;
	for (;;) {
		prod = ev_load_acq(r->prod_pos);
		if (cons == prod)
			return cnt;	/* caught up, fence done (or nothing stored) */
		/*
		 * Differences, not comparisons, so that positions may wrap
		 * (32-bit unsigned long after 4 GiB): behind, or more than a
		 * ring ahead, is no kernel's.
		 */
		if (prod - cons - 1 > mask) {
			cnt = -EBADMSG;
			goto out;
		}
		do {
			const uint32_t *hdr = (const uint32_t *)(data + (cons & mask));
			unsigned long len = ev_load_acq(hdr);

			if (len > r->max_len) {
				if (len & EV_RB_BUSY)
					goto out;	/* not committed yet: later records wait */
				if (!(len & EV_RB_DISCARD) || (len & ~(unsigned long)EV_RB_DISCARD) > r->max_len) {
					cnt = -EBADMSG;	/* longer than the ring */
					goto out;
				}
				len &= ~(unsigned long)EV_RB_DISCARD;
				cons += (len + EV_RB_HDR_SZ + 7) & ~7ul;	/* discarded */
				ev_store_rel(r->cons_pos, cons);
				continue;
			}
			cons += (len + EV_RB_HDR_SZ + 7) & ~7ul;
			err = r->cb(r->cb_ctx, (void *)(uintptr_t)(hdr + 2), len);
			if (err < 0) {
				ev_store_rel(r->cons_pos, cons);
				ev_fence();
				return err;
			}
			cnt++;
			ev_store_rel(r->cons_pos, cons);
			if (bounded && (uint64_t)cnt >= n)
				goto out;
		} while (cons < prod);	/* after a wrap: one record per pass, still right */
		/* StoreLoad: our consumer position before the next producer read. */
		ev_fence();
	}
out:
	ev_fence();
	return cnt;
}

static int64_t ring_process(struct bbpf_ringbuf_ring *r, uint64_t n)
{
	return n == UINT64_MAX ? ring_run(r, n, false) : ring_run(r, n, true);
}

static int clamp_int(int64_t v)
{
	return v > INT_MAX ? INT_MAX : (int)v;
}

static void ring_free(struct bbpf_ringbuf *rb, struct bbpf_ringbuf_ring *r)
{
	const struct bbpf_sys *sys = &rb->ctx->sys;

	if (!r)
		return;
	if (r->cons_pos)
		sys->munmap(sys->ctx, r->cons_pos, rb->ctx->page_size);
	if (r->prod_pos)
		sys->munmap(sys->ctx, (void *)(uintptr_t)r->prod_pos, r->prod_len);
	bbpf_ev_free(rb->ctx, r, sizeof(*r));
}

int bbpf_ringbuf_add(struct bbpf_ringbuf *rb, int map_fd, bbpf_ringbuf_sample_fn cb, void *cb_ctx)
{
	struct bbpf_ringbuf_ring *r;
	struct epoll_event ev;
	struct bpf_map_info info;
	struct bbpf_ctx *ctx;
	const struct bbpf_sys *sys;
	size_t prod_len;
	void *p;
	long ret;
	int err;

	if (!rb || !cb)
		return -EINVAL;
	ctx = rb->ctx;
	sys = &ctx->sys;
	err = ev_map_info(ctx, map_fd, &info);
	if (err) {
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "ringbuf: map fd %d: no map info", map_fd);
		return err;
	}
	err = bbpf_ev_rb_check(ctx, "ringbuf", map_fd, &info, BPF_MAP_TYPE_RINGBUF, &prod_len);
	if (err)
		return err;
	if (rb->cnt == UINT32_MAX)
		return -E2BIG;
	if (rb->cnt == rb->rings_cap) {
		unsigned int cap = rb->rings_cap ? rb->rings_cap * 2 : 2;
		void *np = bbpf_ev_grow(ctx, rb->rings, rb->rings_cap, cap, sizeof(*rb->rings));

		if (!np)
			return -ENOMEM;
		rb->rings = np;
		rb->rings_cap = cap;
	}
	if (rb->cnt == rb->events_cap) {
		unsigned int cap = rb->events_cap ? rb->events_cap * 2 : 2;
		void *np = bbpf_ev_grow(ctx, rb->events, rb->events_cap, cap, sizeof(*rb->events));

		if (!np)
			return -ENOMEM;
		rb->events = np;
		rb->events_cap = cap;
	}
	r = bbpf_ev_zalloc(ctx, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->cb = cb;
	r->cb_ctx = cb_ctx;
	r->map_fd = map_fd;
	r->mask = (unsigned long)info.max_entries - 1;
	r->max_len = (unsigned long)info.max_entries - EV_RB_HDR_SZ;
	r->prod_len = prod_len;

	ret = sys->mmap(sys->ctx, NULL, ctx->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd,
			0, &p);
	if (ret) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "ringbuf: map fd %d: mmap of the "
			      "consumer page", map_fd);
		goto fail;
	}
	r->cons_pos = p;
	ret = sys->mmap(sys->ctx, NULL, prod_len, PROT_READ, MAP_SHARED, map_fd,
			(off_t)ctx->page_size, &p);
	if (ret) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "ringbuf: map fd %d: mmap of the "
			      "data pages", map_fd);
		goto fail;
	}
	r->prod_pos = p;
	r->data = (const uint8_t *)p + ctx->page_size;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = rb->cnt;
	ret = sys->epoll_ctl(sys->ctx, rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev);
	if (ret) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "ringbuf: map fd %d: epoll_ctl",
			      map_fd);
		goto fail;
	}
	rb->rings[rb->cnt++] = r;
	return 0;
fail:
	ring_free(rb, r);
	return (int)ret;
}

int bbpf_ringbuf_new(struct bbpf_ctx *ctx, int map_fd, bbpf_ringbuf_sample_fn cb, void *cb_ctx,
		     struct bbpf_ringbuf **out)
{
	struct bbpf_ringbuf *rb;
	bool own;
	long fd;
	int err;

	if (!out || !cb)
		return -EINVAL;
	err = ev_ctx_get(&ctx, &own);
	if (err)
		return err;
	rb = bbpf_ev_zalloc(ctx, sizeof(*rb));
	if (!rb) {
		if (own)
			bbpf_ctx_free(ctx);
		return -ENOMEM;
	}
	rb->ctx = ctx;
	rb->own_ctx = own;
	fd = ctx->sys.epoll_create(ctx->sys.ctx);
	if (fd < 0) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)fd, "ringbuf: epoll_create");
		rb->epoll_fd = -1;
		bbpf_ringbuf_free(rb);
		return (int)fd;
	}
	rb->epoll_fd = (int)fd;
	err = bbpf_ringbuf_add(rb, map_fd, cb, cb_ctx);
	if (err) {
		bbpf_ringbuf_free(rb);
		return err;
	}
	*out = rb;
	return 0;
}

void bbpf_ringbuf_free(struct bbpf_ringbuf *rb)
{
	struct bbpf_ctx *ctx;
	unsigned int i;

	if (!rb)
		return;
	ctx = rb->ctx;
	for (i = 0; i < rb->cnt; i++)
		ring_free(rb, rb->rings[i]);
	if (rb->epoll_fd >= 0)
		ctx->sys.close(ctx->sys.ctx, rb->epoll_fd);
	bbpf_ev_free(ctx, rb->rings, rb->rings_cap * sizeof(*rb->rings));
	bbpf_ev_free(ctx, rb->events, rb->events_cap * sizeof(*rb->events));
	if (rb->own_ctx) {
		bbpf_ev_free(ctx, rb, sizeof(*rb));
		bbpf_ctx_free(ctx);
		return;
	}
	bbpf_ev_free(ctx, rb, sizeof(*rb));
}

int bbpf_ringbuf_poll(struct bbpf_ringbuf *rb, int timeout_ms)
{
	const struct bbpf_sys *sys;
	int64_t res = 0, r;
	long n, i;

	if (!rb)
		return -EINVAL;
	sys = &rb->ctx->sys;
	n = sys->epoll_wait(sys->ctx, rb->epoll_fd, rb->events, (int)rb->cnt, timeout_ms);
	if (n < 0)
		return (int)n;
	for (i = 0; i < n && i < (long)rb->cnt; i++) {
		uint64_t idx = rb->events[i].data.u64;

		if (idx >= rb->cnt)
			continue;
		r = ring_process(rb->rings[idx], UINT64_MAX);
		if (r < 0)
			return (int)r;
		res += r;
	}
	return clamp_int(res);
}

int bbpf_ringbuf_consume_n(struct bbpf_ringbuf *rb, size_t n)
{
	uint64_t left = n;
	int64_t res = 0, r;
	unsigned int i;

	if (!rb)
		return -EINVAL;
	for (i = 0; i < rb->cnt && left; i++) {
		r = ring_process(rb->rings[i], left);
		if (r < 0)
			return (int)r;
		res += r;
		left -= (uint64_t)r;
	}
	return clamp_int(res);
}

int bbpf_ringbuf_consume(struct bbpf_ringbuf *rb)
{
	return bbpf_ringbuf_consume_n(rb, SIZE_MAX);
}

int bbpf_ringbuf_consume_ring(struct bbpf_ringbuf *rb, unsigned int idx)
{
	if (!rb || idx >= rb->cnt)
		return -EINVAL;
	return bbpf_ringbuf_ring_consume(rb->rings[idx]);
}

int bbpf_ringbuf_epoll_fd(const struct bbpf_ringbuf *rb)
{
	return rb ? rb->epoll_fd : -EINVAL;
}

unsigned int bbpf_ringbuf_ring_cnt(const struct bbpf_ringbuf *rb)
{
	return rb ? rb->cnt : 0;
}

struct bbpf_ringbuf_ring *bbpf_ringbuf_ring(struct bbpf_ringbuf *rb, unsigned int idx)
{
	return rb && idx < rb->cnt ? rb->rings[idx] : NULL;
}

unsigned long bbpf_ringbuf_ring_consumer_pos(const struct bbpf_ringbuf_ring *r)
{
	return ev_load_acq(r->cons_pos);
}

unsigned long bbpf_ringbuf_ring_producer_pos(const struct bbpf_ringbuf_ring *r)
{
	return ev_load_acq(r->prod_pos);
}

size_t bbpf_ringbuf_ring_avail_data_size(const struct bbpf_ringbuf_ring *r)
{
	unsigned long cons = ev_load_acq(r->cons_pos);

	return ev_load_acq(r->prod_pos) - cons;
}

size_t bbpf_ringbuf_ring_size(const struct bbpf_ringbuf_ring *r)
{
	return r->mask + 1;
}

int bbpf_ringbuf_ring_map_fd(const struct bbpf_ringbuf_ring *r)
{
	return r->map_fd;
}

int bbpf_ringbuf_ring_consume_n(struct bbpf_ringbuf_ring *r, size_t n)
{
	return r ? clamp_int(ring_process(r, n)) : -EINVAL;
}

int bbpf_ringbuf_ring_consume(struct bbpf_ringbuf_ring *r)
{
	return bbpf_ringbuf_ring_consume_n(r, SIZE_MAX);
}
