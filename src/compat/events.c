// SPDX-License-Identifier: BSD-2-Clause
/*
 * ring_buffer__*, ring__*, user_ring_buffer__*, perf_buffer__* over
 * include/barebpf/events.h. Each manager owns a context over the compat
 * table; the callbacks have libbpf's signatures and are passed through.
 * A struct ring is the native ring itself (the compat layer adds nothing).
 */
#include "compat.h"

struct ring_buffer {
	struct bbpf_ringbuf *rb;
	struct bbpf_ctx *ctx;
};

struct user_ring_buffer {
	struct bbpf_user_ringbuf *rb;
	struct bbpf_ctx *ctx;
};

struct perf_buffer {
	struct bbpf_perfbuf *pb;
	struct bbpf_ctx *ctx;
	/* the caller's callbacks, called from adapters with libbpf's types */
	perf_buffer_sample_fn sample_cb;
	perf_buffer_lost_fn lost_cb;
	perf_buffer_event_fn event_cb;
	void *cb_ctx;
};

static void on_sample(void *ctx, int cpu, void *data, uint32_t size)
{
	struct perf_buffer *pb = ctx;

	if (pb->sample_cb)
		pb->sample_cb(pb->cb_ctx, cpu, data, size);
}

static void on_lost(void *ctx, int cpu, uint64_t cnt)
{
	struct perf_buffer *pb = ctx;

	if (pb->lost_cb)
		pb->lost_cb(pb->cb_ctx, cpu, cnt);
}

/* ---- ring buffers ---- */

struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb, void *ctx,
				     const struct ring_buffer_opts *opts)
{
	struct ring_buffer *rb;
	int err;

	if (!BBPF_OPTS_VALID(opts, ring_buffer_opts))
		return bbpf_compat_errp(-EINVAL);
	rb = bbpf_compat_sys_zalloc(sizeof(*rb));
	if (!rb)
		return bbpf_compat_errp(-ENOMEM);
	err = bbpf_compat_sys_ctx(&rb->ctx, NULL);
	err = err ?: bbpf_ringbuf_new(rb->ctx, map_fd, sample_cb, ctx, &rb->rb);
	if (err) {
		pr_warn("ringbuf: failed to create ring buffer manager for map fd %d: %s\n",
			map_fd, strerror(-err));
		bbpf_ctx_free(rb->ctx);
		bbpf_compat_sys_free(rb, sizeof(*rb));
		return bbpf_compat_errp(err);
	}
	return rb;
}

void ring_buffer__free(struct ring_buffer *rb)
{
	if (!rb)
		return;
	bbpf_ringbuf_free(rb->rb);
	bbpf_ctx_free(rb->ctx);
	bbpf_compat_sys_free(rb, sizeof(*rb));
}

int ring_buffer__add(struct ring_buffer *rb, int map_fd, ring_buffer_sample_fn sample_cb,
		     void *ctx)
{
	if (!rb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_ringbuf_add(rb->rb, map_fd, sample_cb, ctx));
}

int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)
{
	if (!rb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_ringbuf_poll(rb->rb, timeout_ms));
}

int ring_buffer__consume(struct ring_buffer *rb)
{
	if (!rb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_ringbuf_consume(rb->rb));
}

int ring_buffer__consume_n(struct ring_buffer *rb, size_t n)
{
	if (!rb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_ringbuf_consume_n(rb->rb, n));
}

int ring_buffer__consume_ring(struct ring_buffer *rb, uint32_t ring_id)
{
	if (!rb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_ringbuf_consume_ring(rb->rb, ring_id));
}

int ring_buffer__epoll_fd(const struct ring_buffer *rb)
{
	return rb ? bbpf_ringbuf_epoll_fd(rb->rb) : bbpf_compat_err(-EINVAL);
}

struct ring *ring_buffer__ring(struct ring_buffer *rb, unsigned int idx)
{
	struct bbpf_ringbuf_ring *r = rb ? bbpf_ringbuf_ring(rb->rb, idx) : NULL;

	return r ? (struct ring *)r : bbpf_compat_errp(-ERANGE);
}

static const struct bbpf_ringbuf_ring *native_ring(const struct ring *r)
{
	return (const struct bbpf_ringbuf_ring *)r;
}

unsigned long ring__consumer_pos(const struct ring *r)
{
	return bbpf_ringbuf_ring_consumer_pos(native_ring(r));
}

unsigned long ring__producer_pos(const struct ring *r)
{
	return bbpf_ringbuf_ring_producer_pos(native_ring(r));
}

size_t ring__avail_data_size(const struct ring *r)
{
	return bbpf_ringbuf_ring_avail_data_size(native_ring(r));
}

size_t ring__size(const struct ring *r)
{
	return bbpf_ringbuf_ring_size(native_ring(r));
}

int ring__map_fd(const struct ring *r)
{
	return bbpf_ringbuf_ring_map_fd(native_ring(r));
}

int ring__consume(struct ring *r)
{
	return bbpf_compat_err(bbpf_ringbuf_ring_consume((struct bbpf_ringbuf_ring *)r));
}

int ring__consume_n(struct ring *r, size_t n)
{
	return bbpf_compat_err(bbpf_ringbuf_ring_consume_n((struct bbpf_ringbuf_ring *)r, n));
}

/* ---- user ring buffers ---- */

struct user_ring_buffer *user_ring_buffer__new(int map_fd, const struct user_ring_buffer_opts *opts)
{
	struct user_ring_buffer *rb;
	int err;

	if (!BBPF_OPTS_VALID(opts, user_ring_buffer_opts))
		return bbpf_compat_errp(-EINVAL);
	rb = bbpf_compat_sys_zalloc(sizeof(*rb));
	if (!rb)
		return bbpf_compat_errp(-ENOMEM);
	err = bbpf_compat_sys_ctx(&rb->ctx, NULL);
	err = err ?: bbpf_user_ringbuf_new(rb->ctx, map_fd, &rb->rb);
	if (err) {
		pr_warn("user ringbuf: failed to create manager for map fd %d: %s\n", map_fd,
			strerror(-err));
		bbpf_ctx_free(rb->ctx);
		bbpf_compat_sys_free(rb, sizeof(*rb));
		return bbpf_compat_errp(err);
	}
	return rb;
}

void *user_ring_buffer__reserve(struct user_ring_buffer *rb, __u32 size)
{
	void *sample = NULL;
	int err;

	if (!rb)
		return bbpf_compat_errp(-EINVAL);
	err = bbpf_user_ringbuf_reserve(rb->rb, size, &sample);
	return err ? bbpf_compat_errp(err) : sample;
}

void *user_ring_buffer__reserve_blocking(struct user_ring_buffer *rb, __u32 size, int timeout_ms)
{
	void *sample = NULL;
	int err;

	if (!rb)
		return bbpf_compat_errp(-EINVAL);
	err = bbpf_user_ringbuf_reserve_blocking(rb->rb, size, timeout_ms, &sample);
	return err ? bbpf_compat_errp(err) : sample;
}

/* libbpf's submit and discard return nothing: a bad sample is ignored. */
void user_ring_buffer__submit(struct user_ring_buffer *rb, void *sample)
{
	if (rb)
		bbpf_user_ringbuf_submit(rb->rb, sample);
}

void user_ring_buffer__discard(struct user_ring_buffer *rb, void *sample)
{
	if (rb)
		bbpf_user_ringbuf_discard(rb->rb, sample);
}

void user_ring_buffer__free(struct user_ring_buffer *rb)
{
	if (!rb)
		return;
	bbpf_user_ringbuf_free(rb->rb);
	bbpf_ctx_free(rb->ctx);
	bbpf_compat_sys_free(rb, sizeof(*rb));
}

/* ---- perf buffers ---- */

struct perf_buffer *perf_buffer__new(int map_fd, size_t page_cnt, perf_buffer_sample_fn sample_cb,
				     perf_buffer_lost_fn lost_cb, void *ctx,
				     const struct perf_buffer_opts *opts)
{
	struct bbpf_perfbuf_opts o = { 0 };
	struct perf_buffer *pb;
	int err;

	if (!BBPF_OPTS_VALID(opts, perf_buffer_opts))
		return bbpf_compat_errp(-EINVAL);
	/* as libbpf: one wakeup per sample_period samples (default 1) */
	o.sample_period = BBPF_OPTS_GET(opts, sample_period, 0);
	if (!o.sample_period)
		o.sample_period = 1;
	o.wakeup_events = (uint32_t)o.sample_period;
	pb = bbpf_compat_sys_zalloc(sizeof(*pb));
	if (!pb)
		return bbpf_compat_errp(-ENOMEM);
	pb->sample_cb = sample_cb;
	pb->lost_cb = lost_cb;
	pb->cb_ctx = ctx;
	err = bbpf_compat_sys_ctx(&pb->ctx, NULL);
	err = err ?: bbpf_perfbuf_new(pb->ctx, map_fd, page_cnt, sample_cb ? on_sample : NULL,
				      lost_cb ? on_lost : NULL, pb, &o, &pb->pb);
	if (err) {
		pr_warn("failed to create perf buffer for map fd %d: %s\n", map_fd,
			strerror(-err));
		bbpf_ctx_free(pb->ctx);
		bbpf_compat_sys_free(pb, sizeof(*pb));
		return bbpf_compat_errp(err);
	}
	return pb;
}

/* The raw callback's results are libbpf's values (enum bpf_perf_event_ret), the native ones too. */
static enum bbpf_perf_event_ret raw_event(void *ctx, int cpu, struct perf_event_header *event)
{
	struct perf_buffer *pb = ctx;

	switch (pb->event_cb(pb->cb_ctx, cpu, event)) {
	case LIBBPF_PERF_EVENT_DONE:
		return BBPF_PERF_EVENT_DONE;
	case LIBBPF_PERF_EVENT_CONT:
		return BBPF_PERF_EVENT_CONT;
	default:
		return BBPF_PERF_EVENT_ERROR;
	}
}

struct perf_buffer *perf_buffer__new_raw(int map_fd, size_t page_cnt, struct perf_event_attr *attr,
					 perf_buffer_event_fn event_cb, void *ctx,
					 const struct perf_buffer_raw_opts *opts)
{
	struct bbpf_perfbuf_raw_opts o = {
		.cpu_cnt = BBPF_OPTS_GET(opts, cpu_cnt, 0),
		.cpus = BBPF_OPTS_GET(opts, cpus, NULL),
		.map_keys = BBPF_OPTS_GET(opts, map_keys, NULL),
	};
	struct perf_buffer *pb;
	int err;

	if (!BBPF_OPTS_VALID(opts, perf_buffer_raw_opts) || !attr || !event_cb)
		return bbpf_compat_errp(-EINVAL);
	if (o.cpu_cnt < 0 || (o.cpu_cnt > 0 && (!o.cpus || !o.map_keys)))
		return bbpf_compat_errp(-EINVAL);
	pb = bbpf_compat_sys_zalloc(sizeof(*pb));
	if (!pb)
		return bbpf_compat_errp(-ENOMEM);
	pb->event_cb = event_cb;
	pb->cb_ctx = ctx;
	err = bbpf_compat_sys_ctx(&pb->ctx, NULL);
	err = err ?: bbpf_perfbuf_new_raw(pb->ctx, map_fd, page_cnt, attr, raw_event, pb, &o,
					  &pb->pb);
	if (err) {
		pr_warn("failed to create perf buffer for map fd %d: %s\n", map_fd,
			strerror(-err));
		bbpf_ctx_free(pb->ctx);
		bbpf_compat_sys_free(pb, sizeof(*pb));
		return bbpf_compat_errp(err);
	}
	return pb;
}

void perf_buffer__free(struct perf_buffer *pb)
{
	if (!pb)
		return;
	bbpf_perfbuf_free(pb->pb);
	bbpf_ctx_free(pb->ctx);
	bbpf_compat_sys_free(pb, sizeof(*pb));
}

int perf_buffer__epoll_fd(const struct perf_buffer *pb)
{
	return pb ? bbpf_perfbuf_epoll_fd(pb->pb) : bbpf_compat_err(-EINVAL);
}

int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms)
{
	if (!pb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_perfbuf_poll(pb->pb, timeout_ms));
}

int perf_buffer__consume(struct perf_buffer *pb)
{
	if (!pb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_perfbuf_consume(pb->pb));
}

int perf_buffer__consume_buffer(struct perf_buffer *pb, size_t buf_idx)
{
	if (!pb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_perfbuf_consume_buffer(pb->pb, buf_idx));
}

size_t perf_buffer__buffer_cnt(const struct perf_buffer *pb)
{
	return pb ? bbpf_perfbuf_buffer_cnt(pb->pb) : 0;
}

int perf_buffer__buffer_fd(const struct perf_buffer *pb, size_t buf_idx)
{
	if (!pb)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_perfbuf_buffer_fd(pb->pb, buf_idx));
}

int perf_buffer__buffer(struct perf_buffer *pb, int buf_idx, void **buf, size_t *buf_size)
{
	if (!pb || buf_idx < 0 || !buf || !buf_size)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_perfbuf_buffer(pb->pb, (size_t)buf_idx, buf, buf_size));
}
