/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY consumer: see events.h.
 *
 * One perf event per CPU, each with its ring: a struct perf_event_mmap_page
 * (data_head written by the kernel, data_tail by us), then page_cnt data
 * pages, mapped once (a record may wrap the end). Records are 8-byte
 * aligned: struct perf_event_header (u32 type, u16 misc, u16 size), then
 *   PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW: u32 size, size bytes of data;
 *   PERF_RECORD_LOST: u64 id, u64 lost.
 */
#include <fcntl.h>
#include <limits.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "ev.h"

#define ONLINE_PATH "/sys/devices/system/cpu/online"

struct pb_cpu {
	uint8_t *base;		/* the mapping: header page, then data */
	uint8_t *scratch;	/* a wrapping record, made contiguous */
	size_t scratch_cap;
	int fd;
	int cpu;
	int map_key;
	bool in_map;		/* map[map_key] = fd was set by us */
};

struct bbpf_perfbuf {
	struct bbpf_ctx *ctx;
	bool own_ctx;
	bbpf_perfbuf_sample_fn sample_cb;
	bbpf_perfbuf_lost_fn lost_cb;
	bbpf_perfbuf_event_fn event_cb;
	void *cb_ctx;
	size_t page_size;
	size_t data_size;	/* page_cnt pages, a power of two */
	size_t mmap_len;	/* data_size + one page */
	int map_fd;
	int epoll_fd;
	size_t cnt;		/* rings opened: bufs[0..cnt) */
	size_t slots;		/* room in bufs and events */
	struct pb_cpu *bufs;
	struct epoll_event *events;
};

static int pb_scratch(struct bbpf_perfbuf *pb, struct pb_cpu *b, size_t need)
{
	uint8_t *p = pb->ctx->alloc.resize(pb->ctx->alloc.ctx, b->scratch, b->scratch_cap, need);

	if (!p)
		return -ENOMEM;
	b->scratch = p;
	b->scratch_cap = need;
	return 0;
}

static void pb_no_sample(void *ctx, int cpu, void *data, uint32_t size)
{
	(void)ctx;
	(void)cpu;
	(void)data;
	(void)size;
}

static void pb_no_lost(void *ctx, int cpu, uint64_t cnt)
{
	(void)ctx;
	(void)cpu;
	(void)cnt;
}

/* A record that wraps the ring's end, made contiguous in b's scratch. NULL: no memory. */
static __attribute__((noinline)) struct perf_event_header *
pb_unwrap(struct bbpf_perfbuf *pb, struct pb_cpu *b, const uint8_t *data, uint64_t off,
	  uint64_t esz)
{
	size_t first = (size_t)(pb->data_size - off);

	if (esz > b->scratch_cap && pb_scratch(pb, b, esz))
		return NULL;	/* left in the ring for a later call */
	memcpy(b->scratch, data + off, first);
	memcpy(b->scratch + first, data, esz - first);
	return (struct perf_event_header *)b->scratch;
}

/*
 * Read b's ring from data_tail to data_head (acquired once), then publish
 * the new data_tail (release). A record counts as consumed once its
 * callback ran, whatever it returned. Records are trusted no further than
 * this: a size below the smallest record or beyond data_head stops the
 * read with -EBADMSG, before anything is handed out.
 *
 * bbpf_perfbuf_new's samples carry PERF_SAMPLE_RAW only, so a sample is
 * the header, u32 size and the data, and the kernel sizes the record to
 * exactly 12 + size: the size is taken from the record's (checked) length.
 * With a raw callback (event_cb) every record goes to it instead. Not
 * inlined: three callers.
 */
static __attribute__((noinline)) int pb_consume(struct bbpf_perfbuf *pb, struct pb_cpu *b)
{
	struct perf_event_mmap_page *pg = (struct perf_event_mmap_page *)b->base;
	const uint8_t *data = b->base + pb->page_size;
	const uint64_t mask = pb->data_size - 1;
	const uint64_t head = ev_load_acq(&pg->data_head);
	uint64_t tail = pg->data_tail;	/* only we write it */
	/* a sample is the header and its u32 size at least; the raw callback takes any record */
	const uint64_t min = pb->event_cb ? sizeof(struct perf_event_header) : 16;
	const int cpu = b->cpu;
	int ret = 0;

	if (head - tail > mask + 1)
		return -EBADMSG;	/* more than the ring holds */

	while (tail != head) {
		uint64_t off = tail & mask;
		struct perf_event_header *e = (struct perf_event_header *)(data + off);
		uint64_t esz = e->size;	/* records are 8-aligned: a header never wraps */
		enum bbpf_perf_event_ret r;

		if (esz < min || tail + esz > head) {
			ret = -EBADMSG;	/* no kernel writes this: stop here */
			break;
		}
		if (off + esz - 1 > mask) {
			e = pb_unwrap(pb, b, data, off, esz);
			if (!e) {
				ret = -ENOMEM;
				break;
			}
		}
		tail += esz;
		if (pb->event_cb) {	/* every record to the raw callback */
			r = pb->event_cb(pb->cb_ctx, cpu, e);
			if (r != BBPF_PERF_EVENT_CONT) {
				if (r != BBPF_PERF_EVENT_DONE)
					ret = -ECANCELED;
				break;
			}
		} else if (e->type == PERF_RECORD_SAMPLE) {
			pb->sample_cb(pb->cb_ctx, cpu, (uint8_t *)e + 12, (uint32_t)esz - 12);
		} else if (e->type == PERF_RECORD_LOST) {
			uint64_t lost;

			memcpy(&lost, (uint8_t *)e + 16, 8);	/* header, u64 id, u64 lost */
			pb->lost_cb(pb->cb_ctx, cpu, lost);
		}
		/* other record types are skipped (events.h) */
	}
	ev_store_rel(&pg->data_tail, tail);
	return ret;
}

static void pb_close_cpu(struct bbpf_perfbuf *pb, struct pb_cpu *b)
{
	const struct bbpf_sys *sys = &pb->ctx->sys;

	if (b->in_map) {
		bbpf_cmd_map_delete(sys, pb->map_fd, &b->map_key, 0);
		b->in_map = false;
	}
	if (b->fd >= 0)
		sys->ioctl(sys->ctx, b->fd, PERF_EVENT_IOC_DISABLE, 0);
	if (b->base)
		sys->munmap(sys->ctx, b->base, pb->mmap_len);
	if (b->fd >= 0)
		sys->close(sys->ctx, b->fd);
	bbpf_ev_free(pb->ctx, b->scratch, b->scratch_cap);
	memset(b, 0, sizeof(*b));
	b->fd = -1;
}

/* Open, map, enable, store in the map and watch one CPU's event as bufs[pb->cnt]. */
static int pb_open_cpu(struct bbpf_perfbuf *pb, struct perf_event_attr *attr, int cpu, int key)
{
	struct bbpf_ctx *ctx = pb->ctx;
	const struct bbpf_sys *sys = &ctx->sys;
	struct pb_cpu *b = &pb->bufs[pb->cnt];
	struct epoll_event ev;
	const char *what;
	void *p;
	long ret;

	memset(b, 0, sizeof(*b));
	b->cpu = cpu;
	b->map_key = key;
	ret = sys->perf_event_open(sys->ctx, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (ret < 0) {
		b->fd = -1;
		what = "perf_event_open";
		goto fail;
	}
	b->fd = (int)ret;
	ret = sys->mmap(sys->ctx, NULL, pb->mmap_len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0,
			&p);
	if (ret) {
		what = "mmap";
		goto fail;
	}
	b->base = p;
	ret = sys->ioctl(sys->ctx, b->fd, PERF_EVENT_IOC_ENABLE, 0);
	if (ret < 0) {
		what = "enable";
		goto fail;
	}
	ret = bbpf_cmd_map_update(sys, pb->map_fd, &key, &b->fd, 0);
	if (ret) {
		what = "map update";
		goto fail;
	}
	b->in_map = true;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = pb->cnt;
	ret = sys->epoll_ctl(sys->ctx, pb->epoll_fd, EPOLL_CTL_ADD, b->fd, &ev);
	if (ret) {
		what = "epoll_ctl";
		goto fail;
	}
	pb->cnt++;
	return 0;
fail:
	bbpf_log_warn(&ctx->log, NULL, NULL, (int)ret, "perfbuf: cpu %d (map fd %d, key %d): %s",
		      cpu, pb->map_fd, key, what);
	pb_close_cpu(pb, b);
	return (int)ret;
}

void bbpf_perfbuf_free(struct bbpf_perfbuf *pb)
{
	struct bbpf_ctx *ctx;
	bool own;
	size_t i;

	if (!pb)
		return;
	ctx = pb->ctx;
	for (i = 0; i < pb->cnt; i++)
		pb_close_cpu(pb, &pb->bufs[i]);
	if (pb->epoll_fd >= 0)
		ctx->sys.close(ctx->sys.ctx, pb->epoll_fd);
	bbpf_ev_free(ctx, pb->bufs, pb->slots * sizeof(*pb->bufs));
	bbpf_ev_free(ctx, pb->events, pb->slots * sizeof(*pb->events));
	own = pb->own_ctx;
	bbpf_ev_free(ctx, pb, sizeof(*pb));
	if (own)
		bbpf_ctx_free(ctx);
}

/* Which CPUs, at which keys; then open each. */
static int pb_open_all(struct bbpf_perfbuf *pb, struct perf_event_attr *attr,
		       const struct bbpf_perfbuf_raw_opts *ro, uint32_t max_entries)
{
	struct bbpf_ctx *ctx = pb->ctx;
	struct bbpf_arena tmp;
	uint8_t *online = NULL;
	int n_online = 0, slots, err = 0;
	bool listed = ro && ro->cpu_cnt > 0;
	size_t i;

	bbpf_arena_init(&tmp, &ctx->alloc, 1 << 20);
	if (listed) {
		slots = ro->cpu_cnt;
	} else {
		slots = bbpf_sys_possible_cpus(ctx);
		if (slots < 0) {
			err = slots;
			goto out;
		}
		if (max_entries < (uint32_t)slots)
			slots = (int)max_entries;
		err = bbpf_sys_cpu_mask(ctx, ONLINE_PATH, &tmp, &online, &n_online);
		if (err)
			goto out;
	}
	pb->bufs = bbpf_ev_grow(ctx, NULL, 0, (size_t)slots + 1, sizeof(*pb->bufs));
	if (!pb->bufs) {
		err = -ENOMEM;
		goto out;
	}
	pb->events = bbpf_ev_grow(ctx, NULL, 0, (size_t)slots + 1, sizeof(*pb->events));
	if (!pb->events) {
		bbpf_ev_free(ctx, pb->bufs, ((size_t)slots + 1) * sizeof(*pb->bufs));
		pb->bufs = NULL;
		err = -ENOMEM;
		goto out;
	}
	pb->slots = (size_t)slots + 1;
	for (i = 0; i < (size_t)slots; i++) {
		int cpu = listed ? ro->cpus[i] : (int)i;
		int key = listed ? ro->map_keys[i] : (int)i;

		if (!listed && (cpu >= n_online || !online[cpu]))
			continue;	/* possible but offline */
		err = pb_open_cpu(pb, attr, cpu, key);
		if (err)
			goto out;
	}
out:
	bbpf_arena_free(&tmp);
	return err;
}

static int pb_new(struct bbpf_ctx *ctx, int map_fd, size_t page_cnt, struct perf_event_attr *attr,
		  struct bbpf_perfbuf *proto, const struct bbpf_perfbuf_raw_opts *ro,
		  struct bbpf_perfbuf **out)
{
	struct bpf_map_info info;
	struct bbpf_perfbuf *pb;
	bool own;
	long fd;
	int err;

	if (!out || !page_cnt || (page_cnt & (page_cnt - 1)))
		return -EINVAL;
	if (ro && ro->cpu_cnt > 0 && (!ro->cpus || !ro->map_keys))
		return -EINVAL;
	err = ev_ctx_get(&ctx, &own);
	if (err)
		return err;
	if (page_cnt > SIZE_MAX / ctx->page_size - 1) {
		err = -EINVAL;
		goto fail_ctx;
	}
	err = ev_map_info(ctx, map_fd, &info);
	if (err) {
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "perfbuf: map fd %d: no map info", map_fd);
		goto fail_ctx;
	}
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "perfbuf: map '%s' (fd %d) is not a BPF_MAP_TYPE_PERF_EVENT_ARRAY", info.name,
			 map_fd);
		err = -EINVAL;
		goto fail_ctx;
	}
	pb = bbpf_ev_zalloc(ctx, sizeof(*pb));
	if (!pb) {
		err = -ENOMEM;
		goto fail_ctx;
	}
	*pb = *proto;
	pb->ctx = ctx;
	pb->own_ctx = own;
	pb->map_fd = map_fd;
	pb->page_size = ctx->page_size;
	pb->data_size = page_cnt * ctx->page_size;
	pb->mmap_len = pb->data_size + ctx->page_size;
	fd = ctx->sys.epoll_create(ctx->sys.ctx);
	if (fd < 0) {
		bbpf_log_warn(&ctx->log, NULL, NULL, (int)fd, "perfbuf: epoll_create");
		pb->epoll_fd = -1;
		bbpf_perfbuf_free(pb);
		return (int)fd;
	}
	pb->epoll_fd = (int)fd;
	err = pb_open_all(pb, attr, ro, info.max_entries);
	if (err) {
		bbpf_perfbuf_free(pb);
		return err;
	}
	*out = pb;
	return 0;
fail_ctx:
	if (own)
		bbpf_ctx_free(ctx);
	return err;
}

int bbpf_perfbuf_new(struct bbpf_ctx *ctx, int map_fd, size_t page_cnt,
		     bbpf_perfbuf_sample_fn sample_cb, bbpf_perfbuf_lost_fn lost_cb, void *cb_ctx,
		     const struct bbpf_perfbuf_opts *opts, struct bbpf_perfbuf **out)
{
	struct bbpf_perfbuf proto = { .sample_cb = sample_cb ? sample_cb : pb_no_sample,
				      .lost_cb = lost_cb ? lost_cb : pb_no_lost, .cb_ctx = cb_ctx };
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = opts && opts->sample_period ? opts->sample_period : 1;
	attr.wakeup_events = opts && opts->wakeup_events ? opts->wakeup_events : 1;
	return pb_new(ctx, map_fd, page_cnt, &attr, &proto, NULL, out);
}

int bbpf_perfbuf_new_raw(struct bbpf_ctx *ctx, int map_fd, size_t page_cnt,
			 struct perf_event_attr *attr, bbpf_perfbuf_event_fn event_cb, void *cb_ctx,
			 const struct bbpf_perfbuf_raw_opts *opts, struct bbpf_perfbuf **out)
{
	struct bbpf_perfbuf proto = { .event_cb = event_cb, .cb_ctx = cb_ctx };

	if (!attr || !event_cb)
		return -EINVAL;
	return pb_new(ctx, map_fd, page_cnt, attr, &proto, opts, out);
}

int bbpf_perfbuf_poll(struct bbpf_perfbuf *pb, int timeout_ms)
{
	const struct bbpf_sys *sys;
	long n, i;
	int err;

	if (!pb)
		return -EINVAL;
	sys = &pb->ctx->sys;
	n = sys->epoll_wait(sys->ctx, pb->epoll_fd, pb->events, (int)(pb->cnt ? pb->cnt : 1),
			    timeout_ms);
	if (n < 0)
		return (int)n;
	for (i = 0; i < n; i++) {
		uint64_t idx = pb->events[i].data.u64;

		if (idx >= pb->cnt)
			continue;
		err = pb_consume(pb, &pb->bufs[idx]);
		if (err)
			return err;
	}
	return n > INT_MAX ? INT_MAX : (int)n;
}

int bbpf_perfbuf_consume(struct bbpf_perfbuf *pb)
{
	size_t i;
	int err;

	if (!pb)
		return -EINVAL;
	for (i = 0; i < pb->cnt; i++) {
		err = pb_consume(pb, &pb->bufs[i]);
		if (err)
			return err;
	}
	return 0;
}

int bbpf_perfbuf_consume_buffer(struct bbpf_perfbuf *pb, size_t idx)
{
	if (!pb || idx >= pb->cnt)
		return -EINVAL;
	return pb_consume(pb, &pb->bufs[idx]);
}

size_t bbpf_perfbuf_buffer_cnt(const struct bbpf_perfbuf *pb)
{
	return pb ? pb->cnt : 0;
}

int bbpf_perfbuf_buffer_fd(const struct bbpf_perfbuf *pb, size_t idx)
{
	return pb && idx < pb->cnt ? pb->bufs[idx].fd : -EINVAL;
}

int bbpf_perfbuf_buffer_cpu(const struct bbpf_perfbuf *pb, size_t idx)
{
	return pb && idx < pb->cnt ? pb->bufs[idx].cpu : -EINVAL;
}

int bbpf_perfbuf_buffer(const struct bbpf_perfbuf *pb, size_t idx, void **buf, size_t *size)
{
	if (!pb || idx >= pb->cnt || !buf || !size)
		return -EINVAL;
	*buf = pb->bufs[idx].base;
	*size = pb->mmap_len;
	return 0;
}

int bbpf_perfbuf_epoll_fd(const struct bbpf_perfbuf *pb)
{
	return pb ? pb->epoll_fd : -EINVAL;
}
