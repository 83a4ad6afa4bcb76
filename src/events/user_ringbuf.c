/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BPF_MAP_TYPE_USER_RINGBUF producer: see events.h. The layout is the ring
 * buffer's (ringbuf.c) with the roles swapped: the kernel (a BPF program
 * calling bpf_user_ringbuf_drain) writes the consumer position, user space
 * the producer position and the records. The kernel reads the producer
 * position and each header with acquire loads, so a record is published by
 * writing it, then its header with a release store.
 */
#include <limits.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include "ev.h"

struct bbpf_user_ringbuf {
	struct bbpf_ctx *ctx;
	bool own_ctx;
	int epoll_fd;
	int map_fd;
	const unsigned long *cons_pos;	/* consumer page, read-only */
	unsigned long *prod_pos;	/* producer page, read-write; data follows it */
	uint8_t *data;			/* data area, mapped twice */
	unsigned long mask;
	size_t prod_len;
};

void bbpf_user_ringbuf_free(struct bbpf_user_ringbuf *rb)
{
	struct bbpf_ctx *ctx;
	const struct bbpf_sys *sys;
	bool own;

	if (!rb)
		return;
	ctx = rb->ctx;
	sys = &ctx->sys;
	if (rb->cons_pos)
		sys->munmap(sys->ctx, (void *)(uintptr_t)rb->cons_pos, ctx->page_size);
	if (rb->prod_pos)
		sys->munmap(sys->ctx, rb->prod_pos, rb->prod_len);
	if (rb->epoll_fd >= 0)
		sys->close(sys->ctx, rb->epoll_fd);
	own = rb->own_ctx;
	bbpf_ev_free(ctx, rb, sizeof(*rb));
	if (own)
		bbpf_ctx_free(ctx);
}

static int urb_map(struct bbpf_user_ringbuf *rb, int map_fd)
{
	struct bbpf_ctx *ctx = rb->ctx;
	const struct bbpf_sys *sys = &ctx->sys;
	struct bpf_map_info info;
	struct epoll_event ev;
	void *p;
	long ret;
	int err;

	err = ev_map_info(ctx, map_fd, &info);
	if (err) {
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "user ringbuf: map fd %d: no map info",
			      map_fd);
		return err;
	}
	err = bbpf_ev_rb_check(ctx, "user ringbuf", map_fd, &info, BPF_MAP_TYPE_USER_RINGBUF,
			       &rb->prod_len);
	if (err)
		return err;
	rb->mask = (unsigned long)info.max_entries - 1;
	ret = sys->mmap(sys->ctx, NULL, ctx->page_size, PROT_READ, MAP_SHARED, map_fd, 0, &p);
	if (ret) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "user ringbuf: map fd %d: mmap of "
			      "the consumer page", map_fd);
		return (int)ret;
	}
	rb->cons_pos = p;
	ret = sys->mmap(sys->ctx, NULL, rb->prod_len, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd,
			(off_t)ctx->page_size, &p);
	if (ret) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "user ringbuf: map fd %d: mmap of "
			      "the data pages", map_fd);
		return (int)ret;
	}
	rb->prod_pos = p;
	rb->data = (uint8_t *)p + ctx->page_size;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT;
	ret = sys->epoll_ctl(sys->ctx, rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev);
	if (ret) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "user ringbuf: map fd %d: epoll_ctl",
			      map_fd);
		return (int)ret;
	}
	return 0;
}

int bbpf_user_ringbuf_new(struct bbpf_ctx *ctx, int map_fd, struct bbpf_user_ringbuf **out)
{
	struct bbpf_user_ringbuf *rb;
	bool own;
	long fd;
	int err;

	if (!out)
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
	rb->map_fd = map_fd;
	fd = ctx->sys.epoll_create(ctx->sys.ctx);
	if (fd < 0) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)fd, "user ringbuf: epoll_create");
		rb->epoll_fd = -1;
		bbpf_user_ringbuf_free(rb);
		return (int)fd;
	}
	rb->epoll_fd = (int)fd;
	err = urb_map(rb, map_fd);
	if (err) {
		bbpf_user_ringbuf_free(rb);
		return err;
	}
	*out = rb;
	return 0;
}

int bbpf_user_ringbuf_reserve(struct bbpf_user_ringbuf *rb, uint32_t size, void **sample)
{
	unsigned long cons, prod;
	uint64_t total, ring;
	uint32_t *hdr;

	if (!rb || !sample)
		return -EINVAL;
	if (size & (EV_RB_BUSY | EV_RB_DISCARD))
		return -E2BIG;
	ring = (uint64_t)rb->mask + 1;
	total = ((uint64_t)size + EV_RB_HDR_SZ + 7) & ~(uint64_t)7;
	if (total > ring)
		return -E2BIG;
	cons = ev_load_acq(rb->cons_pos);
	prod = ev_load_acq(rb->prod_pos);
	/* prod - cons <= ring unless the kernel's page says otherwise: then no room. */
	if (prod - cons > ring || ring - (prod - cons) < total)
		return -ENOSPC;
	hdr = (uint32_t *)(rb->data + (prod & rb->mask));
	hdr[0] = size | EV_RB_BUSY;
	hdr[1] = 0;
	/* The header (busy) is visible before the producer position that covers it. */
	ev_store_rel(rb->prod_pos, prod + (unsigned long)total);
	*sample = hdr + 2;
	return 0;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

int bbpf_user_ringbuf_reserve_blocking(struct bbpf_user_ringbuf *rb, uint32_t size,
				       int timeout_ms, void **sample)
{
	const struct bbpf_sys *sys;
	struct epoll_event ev;
	struct timespec ts;
	uint64_t deadline = 0, now;
	long ret;
	int err, wait_ms;

	if (!rb || !sample || timeout_ms < -1)
		return -EINVAL;
	sys = &rb->ctx->sys;
	err = bbpf_user_ringbuf_reserve(rb, size, sample);
	if (err != -ENOSPC || timeout_ms == 0)
		return err;
	if (timeout_ms > 0) {
		ret = sys->clock_gettime(sys->ctx, CLOCK_MONOTONIC, &ts);
		if (ret)
			return (int)ret;
		deadline = ts_ns(&ts) + (uint64_t)timeout_ms * 1000000u;
	}
	for (;;) {
		wait_ms = -1;
		if (timeout_ms > 0) {
			ret = sys->clock_gettime(sys->ctx, CLOCK_MONOTONIC, &ts);
			if (ret)
				return (int)ret;
			now = ts_ns(&ts);
			if (now >= deadline)
				break;
			/* Round up: waking a little early would only spin. */
			wait_ms = (int)((deadline - now + 999999u) / 1000000u);
		}
		/*
		 * The kernel wakes us after a drain that consumed a record
		 * (unless the program passed BPF_RB_NO_WAKEUP).
		 */
		ret = sys->epoll_wait(sys->ctx, rb->epoll_fd, &ev, 1, wait_ms);
		if (ret < 0)
			return (int)ret;
		err = bbpf_user_ringbuf_reserve(rb, size, sample);
		if (err != -ENOSPC)
			return err;
	}
	return bbpf_user_ringbuf_reserve(rb, size, sample);
}

static int urb_commit(struct bbpf_user_ringbuf *rb, void *sample, uint32_t flag)
{
	uint8_t *s = sample;
	uint32_t *hdr, len;

	/* A record starts in the first copy of the data area (reserve's choice). */
	if (!rb || !s || s < rb->data + EV_RB_HDR_SZ || s > rb->data + rb->mask + EV_RB_HDR_SZ ||
	    ((uintptr_t)s & 7))
		return -EINVAL;
	hdr = (uint32_t *)(s - EV_RB_HDR_SZ);
	len = hdr[0];
	if (!(len & EV_RB_BUSY))
		return -EINVAL;	/* not reserved, or already submitted */
	ev_store_rel(&hdr[0], (len & ~EV_RB_BUSY) | flag);
	return 0;
}

int bbpf_user_ringbuf_submit(struct bbpf_user_ringbuf *rb, void *sample)
{
	return urb_commit(rb, sample, 0);
}

int bbpf_user_ringbuf_discard(struct bbpf_user_ringbuf *rb, void *sample)
{
	return urb_commit(rb, sample, EV_RB_DISCARD);
}

int bbpf_user_ringbuf_epoll_fd(const struct bbpf_user_ringbuf *rb)
{
	return rb ? rb->epoll_fd : -EINVAL;
}

size_t bbpf_user_ringbuf_avail(const struct bbpf_user_ringbuf *rb)
{
	unsigned long cons, prod, ring;

	if (!rb)
		return 0;
	ring = rb->mask + 1;
	cons = ev_load_acq(rb->cons_pos);
	prod = ev_load_acq(rb->prod_pos);
	return prod - cons > ring ? 0 : ring - (prod - cons);
}
