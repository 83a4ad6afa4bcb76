// SPDX-License-Identifier: BSD-2-Clause
/*
 * src/events against the fake syscall table: a fake kernel (fk_*) that
 * answers map info, keeps a perf event array's entries, hands out ring
 * memory through fs_script's mmap_cb and reports readiness to epoll_wait;
 * test producers write records as the kernel does (ring buffer: the data
 * area's two copies kept equal, as the double mapping makes them; perf
 * rings: one copy, records wrapping the end).
 *
 * Covered: record order and bytes, BUSY and DISCARD, wrapping records,
 * the consumer position during and after each callback, callback stop,
 * consume_n, two rings under one manager, poll, accessors; the user ring
 * buffer's reserve/submit/discard and blocking reserve with its deadline;
 * the perf buffer's CPUs, attr, map entries, samples, lost records,
 * wrapping records, the raw callback; and a fault-injection sweep (every
 * table call of new/add/poll/consume/free failed in turn, then every
 * allocation) with nothing left: no fd, mapping, epoll registration, map
 * entry or byte.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <barebpf/events.h>
#include <barebpf/loader.h>
#include "fake_sys.h"
#include "fail_alloc.h"

#define PAGE 4096ul
#define HDR 8u
#define BUSY (1u << 31)
#define DISCARD (1u << 30)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the fake kernel ---- */

#define FK_MAPS 4
#define FK_PERF 16
#define FK_KEYS 64

struct fk_map {
	int fd;
	uint32_t type, max_entries;
	uint8_t *mem;		/* ring types: consumer page, producer page, 2 * size */
	int entries[FK_KEYS];	/* perf event arrays */
	bool set[FK_KEYS];
};

struct fk_perf {
	int fd, cpu;
	struct perf_event_attr attr;
	uint8_t *mem;
	size_t len;
};

struct fk_mmap {
	int fd, prot;
	size_t len;
	off_t off;
};

struct fk {
	struct fs_script s;	/* first: callbacks get &fk->s */
	struct fk_map maps[FK_MAPS];
	int map_cnt;
	struct fk_perf perf[FK_PERF];
	int perf_cnt;
	struct fk_mmap mm[64];
	int mm_cnt;
	bool drain_on_wait;	/* user ring buffer: epoll_wait "drains" everything */
	int waits;
	int last_wait_ms;
};

static struct fk_map *fk_map_by_fd(struct fk *k, int fd)
{
	for (int i = 0; i < k->map_cnt; i++)
		if (k->maps[i].fd == fd)
			return &k->maps[i];
	return NULL;
}

static struct fk_perf *fk_perf_by_fd(struct fk *k, int fd)
{
	for (int i = k->perf_cnt - 1; i >= 0; i--)
		if (k->perf[i].fd == fd)
			return &k->perf[i];
	return NULL;
}

static long fk_bpf(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct fk *k = (struct fk *)s;
	struct fk_map *m;
	int key;

	(void)size;
	switch (cmd) {
	case BPF_OBJ_GET_INFO_BY_FD: {
		struct bpf_map_info info;

		m = fk_map_by_fd(k, (int)attr->info.bpf_fd);
		if (!m)
			return -EBADF;
		memset(&info, 0, sizeof(info));
		info.type = m->type;
		info.max_entries = m->max_entries;
		info.id = 7;
		snprintf(info.name, sizeof(info.name), "fk%d", m->fd);
		if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			info.key_size = info.value_size = 4;
		memcpy((void *)(uintptr_t)attr->info.info, &info,
		       attr->info.info_len < sizeof(info) ? attr->info.info_len : sizeof(info));
		return 0;
	}
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
		m = fk_map_by_fd(k, (int)attr->map_fd);
		if (!m || m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			return -EINVAL;
		memcpy(&key, (void *)(uintptr_t)attr->key, 4);
		if (key < 0 || key >= FK_KEYS || (uint32_t)key >= m->max_entries)
			return -E2BIG;
		if (cmd == BPF_MAP_DELETE_ELEM) {
			if (!m->set[key])
				return -ENOENT;
			m->set[key] = false;
			return 0;
		}
		memcpy(&m->entries[key], (void *)(uintptr_t)attr->value, 4);
		m->set[key] = true;
		return 0;
	default:
		return FS_DEFAULT;
	}
}

static long fk_mmap(struct fs_script *s, int fd, size_t len, int prot, off_t off, void **out)
{
	struct fk *k = (struct fk *)s;
	struct fk_map *m = fk_map_by_fd(k, fd);
	struct fk_perf *p = fk_perf_by_fd(k, fd);

	if (k->mm_cnt < (int)ARRAY_LEN(k->mm))
		k->mm[k->mm_cnt++] = (struct fk_mmap){ fd, prot, len, off };
	if (m && m->mem) {
		if (off == 0 && len == PAGE)
			*out = m->mem;
		else if ((size_t)off == PAGE && len == PAGE + 2ul * m->max_entries)
			*out = m->mem + PAGE;
		else
			return -EINVAL;
		return 0;
	}
	if (p) {
		if (off != 0 || p->mem)
			return -EINVAL;
		p->mem = aligned_alloc(PAGE, len);
		assert_non_null(p->mem);
		memset(p->mem, 0, len);
		p->len = len;
		*out = p->mem;
		return 0;
	}
	return FS_DEFAULT;
}

static long fk_perf_open(struct fs_script *s, struct perf_event_attr *attr, pid_t pid, int cpu,
			 int group_fd, unsigned long flags)
{
	struct fk *k = (struct fk *)s;
	long fd;

	if (pid != -1 || group_fd != -1 || flags != PERF_FLAG_FD_CLOEXEC || k->perf_cnt == FK_PERF)
		return -EINVAL;
	fd = fs_script_new_fd(s);
	if (fd < 0)
		return fd;
	k->perf[k->perf_cnt++] = (struct fk_perf){ .fd = (int)fd, .cpu = cpu, .attr = *attr };
	return fd;
}

static unsigned long *rb_cons(struct fk_map *m)
{
	return (unsigned long *)m->mem;
}

static unsigned long *rb_prod(struct fk_map *m)
{
	return (unsigned long *)(m->mem + PAGE);
}

static uint8_t *rb_data(struct fk_map *m)
{
	return m->mem + 2 * PAGE;
}

static bool fk_ready(struct fs_script *s, int fd, uint32_t events)
{
	struct fk *k = (struct fk *)s;
	struct fk_map *m = fk_map_by_fd(k, fd);
	struct fk_perf *p = fk_perf_by_fd(k, fd);

	if (m && m->mem && m->type == BPF_MAP_TYPE_RINGBUF)
		return (events & EPOLLIN) && *rb_prod(m) != *rb_cons(m);
	if (m && m->mem && m->type == BPF_MAP_TYPE_USER_RINGBUF) {
		k->waits++;
		if (k->drain_on_wait)
			*rb_cons(m) = *rb_prod(m);
		return (events & EPOLLOUT) && *rb_prod(m) - *rb_cons(m) < m->max_entries;
	}
	if (p && p->mem) {
		struct perf_event_mmap_page *pg = (void *)p->mem;

		return pg->data_head != pg->data_tail;
	}
	return false;
}

static struct fk *fk_new(void)
{
	struct fk *k = calloc(1, sizeof(*k));

	assert_non_null(k);
	fs_script_init(&k->s);
	k->s.bpf_cb = fk_bpf;
	k->s.mmap_cb = fk_mmap;
	k->s.perf_cb = fk_perf_open;
	k->s.ready_cb = fk_ready;
	return k;
}

static struct fk_map *fk_add_map(struct fk *k, uint32_t type, uint32_t max_entries)
{
	struct fk_map *m;

	assert_true(k->map_cnt < FK_MAPS);
	m = &k->maps[k->map_cnt++];
	memset(m, 0, sizeof(*m));
	m->fd = (int)fs_script_new_fd(&k->s);
	m->type = type;
	m->max_entries = max_entries;
	if (type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_USER_RINGBUF) {
		size_t len = 2 * PAGE + 2ul * max_entries;

		m->mem = aligned_alloc(PAGE, len);
		assert_non_null(m->mem);
		memset(m->mem, 0, len);
	}
	return m;
}

static void fk_free(struct fk *k)
{
	for (int i = 0; i < k->map_cnt; i++)
		free(k->maps[i].mem);
	for (int i = 0; i < k->perf_cnt; i++)
		free(k->perf[i].mem);
	fs_script_fini(&k->s);
	free(k);
}

static int fk_entries(const struct fk_map *m)
{
	int n = 0;

	for (int i = 0; i < FK_KEYS; i++)
		n += m->set[i];
	return n;
}

/* ---- ring buffer producer, as the kernel writes ---- */

static void rb_put(struct fk_map *m, unsigned long pos, const void *src, size_t n)
{
	const uint8_t *b = src;
	size_t size = m->max_entries;

	for (size_t i = 0; i < n; i++) {
		size_t x = (pos + i) & (size - 1);

		rb_data(m)[x] = b[i];
		rb_data(m)[x + size] = b[i];	/* the second mapping of the same page */
	}
}

static uint32_t rnd8(uint32_t v)
{
	return (v + 7) & ~7u;
}

static unsigned long rb_reserve(struct fk_map *m, uint32_t len)
{
	unsigned long pos = *rb_prod(m);
	uint32_t hdr[2] = { len | BUSY, 0 };

	rb_put(m, pos, hdr, 8);
	*rb_prod(m) = pos + rnd8(len + HDR);
	return pos;
}

static uint8_t pat(uint32_t seed, size_t i)
{
	return (uint8_t)(seed * 131u + i * 7u + 1u);
}

static void rb_commit(struct fk_map *m, unsigned long pos, uint32_t len, uint32_t seed,
		      bool discard)
{
	uint32_t hdr = len | (discard ? DISCARD : 0);

	for (size_t i = 0; i < len; i++) {
		uint8_t b = pat(seed, i);

		rb_put(m, pos + HDR + i, &b, 1);
	}
	rb_put(m, pos, &hdr, 4);
}

static unsigned long rb_emit(struct fk_map *m, uint32_t len, uint32_t seed)
{
	unsigned long pos = rb_reserve(m, len);

	rb_commit(m, pos, len, seed, false);
	return pos;
}

/* ---- a callback that records what it sees ---- */

#define SINK_MAX 64

struct seen {
	size_t size;
	uint32_t seed;		/* matched against pat() */
	bool bytes_ok;
	unsigned long cons_at_call;
	int tag;
};

struct sink {
	struct seen rec[SINK_MAX];
	int n;
	int stop_at;		/* 1-based record that returns stop_ret; 0: never */
	int stop_ret;
	int tag;
	struct fk_map *m;	/* to read the consumer position during the call */
	struct sink *shared;	/* record into this one instead (two rings, one log) */
};

static bool bytes_match(const uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pat(seed, i))
			return false;
	return true;
}

static int sink_cb(void *ctx, void *data, size_t size)
{
	struct sink *own = ctx, *k = own->shared ? own->shared : own;
	struct seen *r;

	assert_true(k->n < SINK_MAX);
	assert_int_equal((uintptr_t)data % 8, 0);
	r = &k->rec[k->n++];
	r->size = size;
	r->tag = own->tag;
	r->cons_at_call = own->m ? *rb_cons(own->m) : 0;
	r->seed = UINT32_MAX;
	r->bytes_ok = false;
	for (uint32_t seed = 0; seed < 256; seed++)
		if (bytes_match(data, size, seed)) {
			r->seed = seed;
			r->bytes_ok = true;
			break;
		}
	if (own->stop_at && k->n == own->stop_at)
		return own->stop_ret;
	return (int)size;	/* positive returns mean "go on" */
}

/* ---- context ---- */

struct env {
	struct fk *k;
	struct fs_wrap *w;	/* NULL: the script directly */
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct fa fa;
	char log[4096];
	size_t log_len;
};

static void env_log(void *c, enum bbpf_log_level level, const char *msg)
{
	struct env *e = c;
	int n;

	(void)level;
	n = snprintf(e->log + e->log_len, sizeof(e->log) - e->log_len, "%s\n", msg);
	if (n > 0 && (size_t)n < sizeof(e->log) - e->log_len)
		e->log_len += (size_t)n;
}

static const char cpus_possible[] = "0-3\n";
static const char cpus_online[] = "0-1,3\n";

static struct env *env_new(bool wrap)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_alloc alloc;
	struct bbpf_ctx_opts o;

	assert_non_null(e);
	e->k = fk_new();
	e->sys = fs_script_init(&e->k->s);
	e->k->s.bpf_cb = fk_bpf;
	e->k->s.mmap_cb = fk_mmap;
	e->k->s.perf_cb = fk_perf_open;
	e->k->s.ready_cb = fk_ready;
	fs_script_add_file(&e->k->s, "/sys/devices/system/cpu/possible", cpus_possible,
			   strlen(cpus_possible));
	fs_script_add_file(&e->k->s, "/sys/devices/system/cpu/online", cpus_online,
			   strlen(cpus_online));
	if (wrap) {
		struct bbpf_sys inner = e->sys;

		e->w = calloc(1, sizeof(*e->w));
		assert_non_null(e->w);
		e->sys = fs_wrap_init(e->w, &inner);
	}
	alloc = fa_after(&e->fa, ULONG_MAX);
	memset(&o, 0, sizeof(o));
	o.sys = &e->sys;
	o.alloc = &alloc;
	o.log = env_log;
	o.log_ctx = e;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &o), 0);
	return e;
}

static void env_free(struct env *e)
{
	bbpf_ctx_free(e->ctx);
	assert_int_equal(e->fa.live, 0);
	if (e->w)
		free(e->w);
	fk_free(e->k);
	free(e);
}

/* ======================= ring buffer ======================= */

static void test_rb_order_sizes_wrap(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, 4 * PAGE);
	struct sink snk = { .m = m };
	struct bbpf_ringbuf *rb;
	static const uint32_t sizes[] = { 1, 7, 8, 9, 100, 1000, 3000, 4088, 16 };
	unsigned long expect_pos[ARRAY_LEN(sizes) * 6];
	uint32_t expect_size[ARRAY_LEN(sizes) * 6];
	int total = 0, wraps = 0;

	(void)state;
	assert_int_equal(bbpf_ringbuf_new(e->ctx, m->fd, sink_cb, &snk, &rb), 0);
	/* The consumer page read-write at 0, producer + 2x data read-only at one page. */
	assert_int_equal(e->k->mm_cnt, 2);
	assert_int_equal(e->k->mm[0].off, 0);
	assert_int_equal(e->k->mm[0].len, PAGE);
	assert_int_equal(e->k->mm[0].prot, PROT_READ | PROT_WRITE);
	assert_int_equal(e->k->mm[1].off, PAGE);
	assert_int_equal(e->k->mm[1].len, PAGE + 2 * 4 * PAGE);
	assert_int_equal(e->k->mm[1].prot, PROT_READ);
	assert_int_equal(fs_script_epoll_regs(&e->k->s, bbpf_ringbuf_epoll_fd(rb)), 1);

	/* Six rounds through a 16 KiB ring: records land across its end. */
	for (int round = 0; round < 6; round++) {
		int first = total;

		for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
			unsigned long pos = *rb_prod(m);

			if (pos + rnd8(sizes[i] + HDR) > *rb_cons(m) + 4 * PAGE)
				break;	/* full: consume first */
			if ((pos & (4 * PAGE - 1)) + rnd8(sizes[i] + HDR) > 4 * PAGE)
				wraps++;
			expect_pos[total] = pos;
			expect_size[total] = sizes[i];
			rb_emit(m, sizes[i], (uint32_t)(total & 0xff));
			total++;
		}
		assert_int_equal(bbpf_ringbuf_consume(rb), total - first);
		assert_int_equal(*rb_cons(m), *rb_prod(m));
	}
	assert_true(wraps >= 2);
	assert_int_equal(snk.n, total);
	for (int i = 0; i < total; i++) {
		assert_true(snk.rec[i].bytes_ok);
		assert_int_equal(snk.rec[i].seed, (uint32_t)(i & 0xff));
		assert_int_equal(snk.rec[i].size, expect_size[i]);
		/* During the call the consumer position is still at the record. */
		assert_int_equal(snk.rec[i].cons_at_call, expect_pos[i]);
	}
	assert_int_equal(bbpf_ringbuf_consume(rb), 0);
	bbpf_ringbuf_free(rb);
	assert_int_equal(fs_script_open_maps(&e->k->s), 0);
	assert_int_equal(fs_script_epoll_regs(&e->k->s, -1), 0);
	env_free(e);
}

static void test_rb_busy_discard(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, PAGE);
	struct sink snk = { .m = m };
	struct bbpf_ringbuf *rb;
	unsigned long a, b, c, d, late;

	(void)state;
	assert_int_equal(bbpf_ringbuf_new(e->ctx, m->fd, sink_cb, &snk, &rb), 0);
	a = rb_emit(m, 10, 1);
	b = rb_reserve(m, 20);
	rb_commit(m, b, 20, 2, true);		/* discarded */
	late = rb_reserve(m, 30);		/* reserved, not committed yet */
	c = rb_emit(m, 40, 4);			/* committed after a busy one */
	(void)a;
	assert_int_equal(bbpf_ringbuf_consume(rb), 1);
	assert_int_equal(snk.n, 1);
	assert_int_equal(snk.rec[0].seed, 1);
	/* Stopped at the busy record: past the discarded one, not past the busy one. */
	assert_int_equal(*rb_cons(m), late);
	assert_int_equal(bbpf_ringbuf_ring_avail_data_size(bbpf_ringbuf_ring(rb, 0)),
			 *rb_prod(m) - late);
	assert_int_equal(bbpf_ringbuf_consume(rb), 0);
	rb_commit(m, late, 30, 3, false);
	d = rb_emit(m, 50, 5);
	(void)d;
	assert_int_equal(bbpf_ringbuf_consume(rb), 3);
	assert_int_equal(snk.n, 4);
	assert_int_equal(snk.rec[1].seed, 3);
	assert_int_equal(snk.rec[1].size, 30);
	assert_int_equal(snk.rec[2].seed, 4);
	assert_int_equal(snk.rec[2].cons_at_call, c);
	assert_int_equal(snk.rec[3].seed, 5);
	assert_int_equal(*rb_cons(m), *rb_prod(m));
	/* Only discarded records: consumed, none delivered. */
	rb_commit(m, rb_reserve(m, 8), 8, 9, true);
	rb_commit(m, rb_reserve(m, 16), 16, 9, true);
	assert_int_equal(bbpf_ringbuf_consume(rb), 0);
	assert_int_equal(*rb_cons(m), *rb_prod(m));
	assert_int_equal(snk.n, 4);
	bbpf_ringbuf_free(rb);
	env_free(e);
}

static void test_rb_stop_and_consume_n(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, PAGE);
	struct sink snk = { .m = m, .stop_at = 3, .stop_ret = -42 };
	struct bbpf_ringbuf *rb;
	unsigned long pos[10];

	(void)state;
	assert_int_equal(bbpf_ringbuf_new(e->ctx, m->fd, sink_cb, &snk, &rb), 0);
	for (int i = 0; i < 10; i++)
		pos[i] = rb_emit(m, 24, (uint32_t)i);
	/* A negative return stops at once and is returned; that record is consumed. */
	assert_int_equal(bbpf_ringbuf_consume(rb), -42);
	assert_int_equal(snk.n, 3);
	assert_int_equal(*rb_cons(m), pos[3]);
	snk.stop_at = 0;
	assert_int_equal(bbpf_ringbuf_consume_n(rb, 2), 2);
	assert_int_equal(snk.n, 5);
	assert_int_equal(snk.rec[3].seed, 3);
	assert_int_equal(*rb_cons(m), pos[5]);
	assert_int_equal(bbpf_ringbuf_consume_n(rb, 0), 0);
	assert_int_equal(snk.n, 5);
	assert_int_equal(bbpf_ringbuf_ring_consume_n(bbpf_ringbuf_ring(rb, 0), 1), 1);
	assert_int_equal(bbpf_ringbuf_consume_n(rb, 100), 4);
	assert_int_equal(snk.n, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(snk.rec[i].seed, (uint32_t)i);
	/* A header no kernel writes (longer than the ring): -EBADMSG, nothing consumed. */
	{
		unsigned long p = *rb_prod(m);
		uint32_t hdr[2] = { (uint32_t)PAGE, 0 };

		rb_put(m, p, hdr, 8);
		*rb_prod(m) = p + 16;
		assert_int_equal(bbpf_ringbuf_consume(rb), -EBADMSG);
		assert_int_equal(*rb_cons(m), p);
		assert_int_equal(snk.n, 10);
		/* A discarded one as long: the same. */
		hdr[0] = (uint32_t)PAGE | DISCARD;
		rb_put(m, p, hdr, 8);
		assert_int_equal(bbpf_ringbuf_consume(rb), -EBADMSG);
		/* A producer position more than a ring ahead: -EBADMSG before any record. */
		rb_commit(m, p, 8, 1, false);
		*rb_prod(m) = p + PAGE + 8;
		assert_int_equal(bbpf_ringbuf_consume(rb), -EBADMSG);
		assert_int_equal(*rb_cons(m), p);
		/* ... or behind the consumer. */
		*rb_prod(m) = p - 8;
		assert_int_equal(bbpf_ringbuf_consume(rb), -EBADMSG);
		assert_int_equal(*rb_cons(m), p);
		assert_int_equal(snk.n, 10);
	}
	bbpf_ringbuf_free(rb);
	env_free(e);
}

static void test_rb_two_rings_poll(void **state)
{
	struct env *e = env_new(true);
	struct fk_map *m0 = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, PAGE);
	struct fk_map *m1 = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, 2 * PAGE);
	struct sink log = { 0 };
	struct sink s0 = { .m = m0, .tag = 10, .shared = &log };
	struct sink s1 = { .m = m1, .tag = 11, .shared = &log };
	struct bbpf_ringbuf *rb;
	struct bbpf_ringbuf_ring *r1;

	(void)state;
	assert_int_equal(bbpf_ringbuf_new(e->ctx, m0->fd, sink_cb, &s0, &rb), 0);
	assert_int_equal(bbpf_ringbuf_add(rb, m1->fd, sink_cb, &s1), 0);
	assert_int_equal(bbpf_ringbuf_ring_cnt(rb), 2);
	assert_null(bbpf_ringbuf_ring(rb, 2));
	r1 = bbpf_ringbuf_ring(rb, 1);
	assert_non_null(r1);
	assert_int_equal(bbpf_ringbuf_ring_size(r1), 2 * PAGE);
	assert_int_equal(bbpf_ringbuf_ring_map_fd(r1), m1->fd);
	assert_int_equal(fs_script_epoll_regs(&e->k->s, bbpf_ringbuf_epoll_fd(rb)), 2);

	/* Nothing ready: poll returns 0 without callbacks. */
	assert_int_equal(bbpf_ringbuf_poll(rb, 0), 0);
	rb_emit(m1, 12, 1);
	rb_emit(m1, 12, 2);
	assert_int_equal(bbpf_ringbuf_ring_producer_pos(r1), 2 * rnd8(12 + HDR));
	assert_int_equal(bbpf_ringbuf_ring_consumer_pos(r1), 0);
	assert_int_equal(bbpf_ringbuf_poll(rb, 100), 2);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.rec[0].tag, 11);
	assert_int_equal(bbpf_ringbuf_ring_consumer_pos(r1), 2 * rnd8(12 + HDR));
	rb_emit(m0, 5, 3);
	rb_emit(m1, 6, 4);
	rb_emit(m0, 7, 5);
	/* consume_ring: that ring only. */
	assert_int_equal(bbpf_ringbuf_consume_ring(rb, 1), 1);
	assert_int_equal(log.rec[2].tag, 11);
	assert_int_equal(bbpf_ringbuf_consume_ring(rb, 2), -EINVAL);
	assert_int_equal(bbpf_ringbuf_poll(rb, -1), 2);
	assert_int_equal(log.n, 5);
	assert_int_equal(log.rec[3].tag, 10);
	assert_int_equal(log.rec[3].seed, 3);
	assert_int_equal(log.rec[4].seed, 5);
	/* consume_n across rings: ring order, n in total. */
	rb_emit(m0, 8, 6);
	rb_emit(m1, 8, 7);
	rb_emit(m1, 8, 8);
	assert_int_equal(bbpf_ringbuf_consume_n(rb, 2), 2);
	assert_int_equal(log.rec[5].seed, 6);
	assert_int_equal(log.rec[6].seed, 7);
	assert_int_equal(bbpf_ringbuf_consume(rb), 1);
	/* epoll_wait's error is returned as is. */
	fs_wrap_fail_hook(e->w, FS_HOOK_EPOLL_WAIT, -1, 1, -EINTR, false);
	assert_int_equal(bbpf_ringbuf_poll(rb, 10), -EINTR);
	bbpf_ringbuf_free(rb);
	assert_int_equal(fs_wrap_open_fds(e->w), 0);
	assert_int_equal(fs_wrap_open_maps(e->w), 0);
	assert_int_equal(fs_script_epoll_regs(&e->k->s, -1), 0);
	env_free(e);
}

static void test_rb_bad_args(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *arr = fk_add_map(e->k, BPF_MAP_TYPE_ARRAY, 4);
	struct fk_map *odd = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, 3 * PAGE);
	struct fk_map *ok = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, PAGE);
	struct sink snk = { 0 };
	struct bbpf_ringbuf *rb = (void *)1;

	(void)state;
	assert_int_equal(bbpf_ringbuf_new(e->ctx, arr->fd, sink_cb, &snk, &rb), -EINVAL);
	assert_ptr_equal(rb, (void *)1);
	assert_non_null(strstr(e->log, "not"));
	assert_int_equal(bbpf_ringbuf_new(e->ctx, odd->fd, sink_cb, &snk, &rb), -EINVAL);
	assert_int_equal(bbpf_ringbuf_new(e->ctx, 999, sink_cb, &snk, &rb), -EBADF);
	assert_int_equal(bbpf_ringbuf_new(e->ctx, ok->fd, NULL, &snk, &rb), -EINVAL);
	assert_int_equal(bbpf_ringbuf_new(e->ctx, ok->fd, sink_cb, &snk, NULL), -EINVAL);
	assert_int_equal(bbpf_ringbuf_new(e->ctx, ok->fd, sink_cb, &snk, &rb), 0);
	/* A second add of the same fd: epoll refuses (EEXIST); nothing is left of it. */
	assert_int_equal(bbpf_ringbuf_add(rb, ok->fd, sink_cb, &snk), -EEXIST);
	assert_int_equal(bbpf_ringbuf_ring_cnt(rb), 1);
	assert_int_equal(fs_script_open_maps(&e->k->s), 2);
	assert_int_equal(bbpf_ringbuf_add(rb, arr->fd, sink_cb, &snk), -EINVAL);
	bbpf_ringbuf_free(rb);
	bbpf_ringbuf_free(NULL);
	assert_int_equal(fs_script_open_maps(&e->k->s), 0);
	env_free(e);
}

/* ======================= user ring buffer ======================= */

static void test_urb_reserve_submit(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_USER_RINGBUF, PAGE);
	struct bbpf_user_ringbuf *rb;
	uint32_t *hdr;
	void *s1, *s2, *s3;

	(void)state;
	assert_int_equal(bbpf_user_ringbuf_new(e->ctx, m->fd, &rb), 0);
	/* Consumer page read-only, producer + data read-write. */
	assert_int_equal(e->k->mm[0].prot, PROT_READ);
	assert_int_equal(e->k->mm[1].prot, PROT_READ | PROT_WRITE);
	assert_int_equal(e->k->mm[1].len, 3 * PAGE);
	assert_int_equal(bbpf_user_ringbuf_avail(rb), PAGE);

	assert_int_equal(bbpf_user_ringbuf_reserve(rb, 13, &s1), 0);
	assert_ptr_equal(s1, rb_data(m) + HDR);
	hdr = (uint32_t *)rb_data(m);
	assert_int_equal(hdr[0], 13 | BUSY);
	assert_int_equal(*rb_prod(m), rnd8(13 + HDR));
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, 8, &s2), 0);
	assert_ptr_equal(s2, rb_data(m) + 24 + HDR);
	memset(s1, 0xab, 13);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, s1), 0);
	assert_int_equal(hdr[0], 13);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, s1), -EINVAL);	/* twice */
	assert_int_equal(bbpf_user_ringbuf_discard(rb, s2), 0);
	assert_int_equal(((uint32_t *)rb_data(m))[6], 8 | DISCARD);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, (uint8_t *)s2 + 8), -EINVAL);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, &hdr), -EINVAL);

	/* Too big for the whole ring, or flag bits in the size: -E2BIG. */
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, PAGE - HDR + 1, &s3), -E2BIG);
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, BUSY | 8, &s3), -E2BIG);
	/* Fits the ring, not the free space: -ENOSPC. */
	assert_int_equal(bbpf_user_ringbuf_avail(rb), PAGE - 40);
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, PAGE - HDR, &s3), -ENOSPC);
	/* The kernel drains: the consumer position moves; a full-ring record fits. */
	*rb_cons(m) = *rb_prod(m);
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, PAGE - HDR, &s3), 0);
	/* It wraps: contiguous through the second mapping. */
	assert_ptr_equal(s3, rb_data(m) + 40 + HDR);
	assert_int_equal(bbpf_user_ringbuf_avail(rb), 0);
	assert_int_equal(bbpf_user_ringbuf_discard(rb, s3), 0);
	bbpf_user_ringbuf_free(rb);
	assert_int_equal(fs_script_open_maps(&e->k->s), 0);
	assert_int_equal(fs_script_epoll_regs(&e->k->s, -1), 0);
	env_free(e);
}

static void test_urb_blocking(void **state)
{
	struct env *e = env_new(true);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_USER_RINGBUF, PAGE);
	struct bbpf_user_ringbuf *rb;
	void *s;

	(void)state;
	assert_int_equal(bbpf_user_ringbuf_new(e->ctx, m->fd, &rb), 0);
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, 8, -2, &s), -EINVAL);
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, PAGE - 64, &s), 0);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, s), 0);
	/* timeout 0: one try, no wait, no clock. */
	fs_wrap_reset_counts(e->w);
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, 100, 0, &s), -ENOSPC);
	assert_int_equal(e->w->hook_calls[FS_HOOK_EPOLL_WAIT], 0);
	assert_int_equal(e->w->hook_calls[FS_HOOK_CLOCK_GETTIME], 0);
	/* Nobody drains: waits until the deadline (the fake clock moves 1 ms a call). */
	fs_wrap_reset_counts(e->w);
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, 100, 20, &s), -ENOSPC);
	assert_true(e->w->hook_calls[FS_HOOK_EPOLL_WAIT] >= 1);
	assert_true(e->w->hook_calls[FS_HOOK_CLOCK_GETTIME] >= 2);
	assert_true(e->w->hook_calls[FS_HOOK_CLOCK_GETTIME] <= 25);
	/* A drain during the wait: the reserve succeeds after it. */
	e->k->drain_on_wait = true;
	fs_wrap_reset_counts(e->w);
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, 100, -1, &s), 0);
	assert_int_equal(e->w->hook_calls[FS_HOOK_EPOLL_WAIT], 1);
	assert_int_equal(e->w->hook_calls[FS_HOOK_CLOCK_GETTIME], 0);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, s), 0);
	/* A signal during the wait. */
	e->k->drain_on_wait = false;
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, PAGE - 200, &s), 0);
	fs_wrap_fail_hook(e->w, FS_HOOK_EPOLL_WAIT, -1, 1, -EINTR, false);
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, 300, 1000, &s), -EINTR);
	/* Larger than the ring: -E2BIG at once. */
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, PAGE, -1, &s), -E2BIG);
	bbpf_user_ringbuf_free(rb);
	assert_int_equal(fs_wrap_open_fds(e->w), 0);
	assert_int_equal(fs_wrap_open_maps(e->w), 0);
	env_free(e);
}

/* ======================= perf buffer ======================= */

static struct fk_perf *pf_cpu(struct fk *k, int cpu)
{
	for (int i = k->perf_cnt - 1; i >= 0; i--)
		if (k->perf[i].cpu == cpu && k->perf[i].mem)
			return &k->perf[i];
	fail_msg("no perf event on cpu %d", cpu);
	return NULL;
}

static void pf_put(struct fk_perf *p, uint64_t pos, const void *src, size_t n)
{
	size_t size = p->len - PAGE;
	const uint8_t *b = src;

	for (size_t i = 0; i < n; i++)
		p->mem[PAGE + ((pos + i) & (size - 1))] = b[i];
}

static void pf_record(struct fk_perf *p, const void *rec, size_t n)
{
	struct perf_event_mmap_page *pg = (void *)p->mem;

	pf_put(p, pg->data_head, rec, n);
	__atomic_store_n(&pg->data_head, pg->data_head + n, __ATOMIC_RELEASE);
}

/* A PERF_SAMPLE_RAW sample of n pattern bytes, laid out as the kernel does. */
static size_t pf_sample(struct fk_perf *p, uint32_t n, uint32_t seed)
{
	uint8_t rec[1024];
	uint32_t raw = rnd8(n + 4) - 4;
	struct perf_event_header h = { PERF_RECORD_SAMPLE, 0, (uint16_t)(8 + 4 + raw) };

	memset(rec, 0, sizeof(rec));
	memcpy(rec, &h, 8);
	memcpy(rec + 8, &raw, 4);
	for (uint32_t i = 0; i < n; i++)
		rec[12 + i] = pat(seed, i);
	pf_record(p, rec, h.size);
	return h.size;
}

static void pf_lost(struct fk_perf *p, uint64_t lost)
{
	uint8_t rec[24];
	struct perf_event_header h = { PERF_RECORD_LOST, 0, 24 };
	uint64_t id = 77;

	memcpy(rec, &h, 8);
	memcpy(rec + 8, &id, 8);
	memcpy(rec + 16, &lost, 8);
	pf_record(p, rec, 24);
}

struct pf_seen {
	int cpu;
	uint32_t size;
	uint32_t seed;
	bool bytes_ok;
	uint64_t lost;		/* lost records */
	uint32_t type;		/* raw */
};

struct pf_sink {
	struct pf_seen rec[SINK_MAX];
	int n;
	int raw_stop_at;
	enum bbpf_perf_event_ret raw_ret;
};

static void pf_sample_cb(void *ctx, int cpu, void *data, uint32_t size)
{
	struct pf_sink *k = ctx;
	struct pf_seen *r;

	assert_true(k->n < SINK_MAX);
	r = &k->rec[k->n++];
	r->cpu = cpu;
	r->size = size;
	r->type = PERF_RECORD_SAMPLE;
	for (uint32_t seed = 0; seed < 256; seed++) {
		/* the kernel's padding after the bytes written is not pattern */
		for (uint32_t n = size; n + 8 > size; n--)
			if (rnd8(n + 4) - 4 == size && bytes_match(data, n, seed)) {
				r->seed = seed;
				r->bytes_ok = true;
				return;
			}
	}
}

static void pf_lost_cb(void *ctx, int cpu, uint64_t cnt)
{
	struct pf_sink *k = ctx;

	assert_true(k->n < SINK_MAX);
	k->rec[k->n++] = (struct pf_seen){ .cpu = cpu, .lost = cnt, .type = PERF_RECORD_LOST };
}

static enum bbpf_perf_event_ret pf_raw_cb(void *ctx, int cpu, struct perf_event_header *ev)
{
	struct pf_sink *k = ctx;

	assert_true(k->n < SINK_MAX);
	k->rec[k->n++] = (struct pf_seen){ .cpu = cpu, .type = ev->type, .size = ev->size };
	if (k->raw_stop_at && k->n == k->raw_stop_at)
		return k->raw_ret;
	return BBPF_PERF_EVENT_CONT;
}

static void test_pb_cpus_attr_entries(void **state)
{
	struct env *e = env_new(true);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4);
	struct fk_map *m2 = fk_add_map(e->k, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 2);
	struct bbpf_perfbuf_opts opts = { .wakeup_events = 3 };
	struct pf_sink snk = { 0 };
	struct bbpf_perfbuf *pb, *pb2;
	static const int cpus[] = { 0, 1, 3 };
	void *buf;
	size_t size;

	(void)state;
	assert_int_equal(bbpf_perfbuf_new(e->ctx, m->fd, 8, pf_sample_cb, pf_lost_cb, &snk, NULL,
					  &pb), 0);
	/* possible 0-3, online 0-1,3: three events, keys = cpus. */
	assert_int_equal(bbpf_perfbuf_buffer_cnt(pb), 3);
	assert_int_equal(e->k->perf_cnt, 3);
	for (int i = 0; i < 3; i++) {
		const struct perf_event_attr *a = &e->k->perf[i].attr;

		assert_int_equal(bbpf_perfbuf_buffer_cpu(pb, (size_t)i), cpus[i]);
		assert_int_equal(e->k->perf[i].cpu, cpus[i]);
		assert_int_equal(a->type, PERF_TYPE_SOFTWARE);
		assert_int_equal(a->config, PERF_COUNT_SW_BPF_OUTPUT);
		assert_int_equal(a->sample_type, PERF_SAMPLE_RAW);
		assert_int_equal(a->sample_period, 1);
		assert_int_equal(a->wakeup_events, 1);
		assert_int_equal(e->k->perf[i].len, 9 * PAGE);
		assert_true(m->set[cpus[i]]);
		assert_int_equal(m->entries[cpus[i]], bbpf_perfbuf_buffer_fd(pb, (size_t)i));
	}
	assert_false(m->set[2]);
	assert_int_equal(e->w->hook_calls[FS_HOOK_IOCTL], 3);	/* enable */
	assert_int_equal(fs_script_epoll_regs(&e->k->s, bbpf_perfbuf_epoll_fd(pb)), 3);
	assert_int_equal(bbpf_perfbuf_buffer(pb, 1, &buf, &size), 0);
	assert_ptr_equal(buf, pf_cpu(e->k, 1)->mem);
	assert_int_equal(size, 9 * PAGE);
	assert_int_equal(bbpf_perfbuf_buffer(pb, 3, &buf, &size), -EINVAL);
	assert_int_equal(bbpf_perfbuf_buffer_fd(pb, 3), -EINVAL);
	assert_int_equal(bbpf_perfbuf_consume_buffer(pb, 3), -EINVAL);

	/* A map with fewer entries than CPUs: only keys below max_entries. */
	assert_int_equal(bbpf_perfbuf_new(e->ctx, m2->fd, 1, pf_sample_cb, NULL, &snk, &opts, &pb2),
			 0);
	assert_int_equal(bbpf_perfbuf_buffer_cnt(pb2), 2);
	assert_int_equal(e->k->perf[4].attr.wakeup_events, 3);
	assert_int_equal(fk_entries(m2), 2);
	bbpf_perfbuf_free(pb2);
	assert_int_equal(fk_entries(m2), 0);

	bbpf_perfbuf_free(pb);
	assert_int_equal(fk_entries(m), 0);
	assert_int_equal(fs_wrap_open_fds(e->w), 0);
	assert_int_equal(fs_wrap_open_maps(e->w), 0);
	assert_int_equal(fs_script_epoll_regs(&e->k->s, -1), 0);
	/* disable before close */
	assert_int_equal(e->w->hook_calls[FS_HOOK_IOCTL], 2 * 5);
	env_free(e);
}

static void test_pb_records_lost_wrap(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4);
	struct pf_sink snk = { 0 };
	struct bbpf_perfbuf *pb;
	struct fk_perf *p0, *p3;
	struct perf_event_mmap_page *pg;
	int n = 0, wrapped = 0;

	(void)state;
	assert_int_equal(bbpf_perfbuf_new(e->ctx, m->fd, 1, pf_sample_cb, pf_lost_cb, &snk, NULL,
					  &pb), 0);
	p0 = pf_cpu(e->k, 0);
	p3 = pf_cpu(e->k, 3);
	pg = (void *)p3->mem;
	assert_int_equal(bbpf_perfbuf_poll(pb, 0), 0);
	pf_sample(p0, 16, 1);
	pf_lost(p3, 12345);
	pf_sample(p3, 5, 2);
	/* poll: two rings ready. */
	assert_int_equal(bbpf_perfbuf_poll(pb, 100), 2);
	assert_int_equal(snk.n, 3);
	assert_int_equal(snk.rec[0].cpu, 0);
	assert_true(snk.rec[0].bytes_ok);
	assert_int_equal(snk.rec[0].seed, 1);
	assert_int_equal(snk.rec[0].size, 20);	/* 16 bytes written, kernel-padded */
	assert_int_equal(snk.rec[1].type, PERF_RECORD_LOST);
	assert_int_equal(snk.rec[1].cpu, 3);
	assert_int_equal(snk.rec[1].lost, 12345);
	assert_int_equal(snk.rec[2].seed, 2);
	assert_int_equal(snk.rec[2].size, 12);
	assert_int_equal(pg->data_tail, pg->data_head);
	/* Round the 4 KiB ring several times with odd sizes: some records wrap. */
	snk.n = 0;
	for (int i = 0; i < 60; i++) {
		uint32_t len = (uint32_t)(100 + (i * 37) % 500);
		uint64_t at = pg->data_head & (PAGE - 1);
		size_t rec = pf_sample(p3, len, (uint32_t)i);

		wrapped += at + rec > PAGE;
		n++;
		if (i % 5 == 4) {
			assert_int_equal(bbpf_perfbuf_consume(pb), 0);
			assert_int_equal(pg->data_tail, pg->data_head);
		}
	}
	assert_int_equal(bbpf_perfbuf_consume_buffer(pb, 2), 0);
	assert_true(wrapped >= 3);
	assert_int_equal(snk.n, n);
	for (int i = 0; i < n; i++) {
		assert_true(snk.rec[i].bytes_ok);
		assert_int_equal(snk.rec[i].seed, (uint32_t)i);
		assert_int_equal(snk.rec[i].cpu, 3);
	}
	/* A record whose size no kernel writes: -EBADMSG. */
	{
		struct perf_event_header h = { PERF_RECORD_SAMPLE, 0, 4 };
		uint8_t rec[8] = { 0 };

		memcpy(rec, &h, sizeof(h));
		pf_record(p0, rec, 8);
		assert_int_equal(bbpf_perfbuf_consume(pb), -EBADMSG);
		/* data_head more than a ring ahead of data_tail */
		pg = (void *)p0->mem;
		pg->data_head = pg->data_tail + PAGE + 8;
		assert_int_equal(bbpf_perfbuf_consume_buffer(pb, 0), -EBADMSG);
		assert_int_equal(snk.n, n);
	}
	bbpf_perfbuf_free(pb);
	assert_int_equal(fk_entries(m), 0);
	env_free(e);
}

static void test_pb_raw(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 8);
	struct fk_map *arr = fk_add_map(e->k, BPF_MAP_TYPE_ARRAY, 8);
	struct pf_sink snk = { 0 };
	struct bbpf_perfbuf *pb = NULL;
	struct perf_event_attr attr;
	static const int cpus[] = { 2, 0 }, keys[] = { 5, 6 };
	struct bbpf_perfbuf_raw_opts ro = { .cpu_cnt = 2, .cpus = cpus, .map_keys = keys };
	struct perf_event_mmap_page *pg;
	struct fk_perf *p2;

	(void)state;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_TIME;
	attr.wakeup_events = 7;
	assert_int_equal(bbpf_perfbuf_new_raw(e->ctx, m->fd, 2, &attr, NULL, &snk, &ro, &pb),
			 -EINVAL);
	assert_int_equal(bbpf_perfbuf_new_raw(e->ctx, m->fd, 2, NULL, pf_raw_cb, &snk, &ro, &pb),
			 -EINVAL);
	assert_int_equal(bbpf_perfbuf_new_raw(e->ctx, m->fd, 3, &attr, pf_raw_cb, &snk, &ro, &pb),
			 -EINVAL);
	assert_int_equal(bbpf_perfbuf_new_raw(e->ctx, arr->fd, 2, &attr, pf_raw_cb, &snk, &ro,
					      &pb), -EINVAL);
	assert_null(pb);
	/* The listed CPUs (cpu 2 is offline: listed CPUs are taken as given) at the listed keys. */
	assert_int_equal(bbpf_perfbuf_new_raw(e->ctx, m->fd, 2, &attr, pf_raw_cb, &snk, &ro, &pb),
			 0);
	assert_int_equal(bbpf_perfbuf_buffer_cnt(pb), 2);
	assert_int_equal(e->k->perf[0].cpu, 2);
	assert_int_equal(e->k->perf[0].attr.sample_type, PERF_SAMPLE_RAW | PERF_SAMPLE_TIME);
	assert_int_equal(e->k->perf[0].attr.wakeup_events, 7);
	assert_int_equal(m->entries[5], e->k->perf[0].fd);
	assert_int_equal(m->entries[6], e->k->perf[1].fd);
	assert_int_equal(fk_entries(m), 2);
	p2 = pf_cpu(e->k, 2);
	pg = (void *)p2->mem;
	pf_sample(p2, 8, 1);
	pf_lost(p2, 3);
	pf_sample(p2, 8, 2);
	pf_sample(p2, 8, 3);
	/* DONE at the second record: it is consumed, the rest wait; not an error. */
	snk.raw_stop_at = 2;
	snk.raw_ret = BBPF_PERF_EVENT_DONE;
	assert_int_equal(bbpf_perfbuf_consume(pb), 0);
	assert_int_equal(snk.n, 2);
	assert_int_equal(snk.rec[0].type, PERF_RECORD_SAMPLE);
	assert_int_equal(snk.rec[0].cpu, 2);
	assert_int_equal(snk.rec[1].type, PERF_RECORD_LOST);
	assert_int_equal(pg->data_tail, 24 + 24);
	/* ERROR: -ECANCELED, the record consumed. */
	snk.raw_stop_at = 3;
	snk.raw_ret = BBPF_PERF_EVENT_ERROR;
	assert_int_equal(bbpf_perfbuf_poll(pb, 0), -ECANCELED);
	assert_int_equal(snk.n, 3);
	assert_int_equal(pg->data_tail, 24 + 24 + 24);
	snk.raw_stop_at = 0;
	assert_int_equal(bbpf_perfbuf_poll(pb, 0), 1);
	assert_int_equal(snk.n, 4);
	assert_int_equal(pg->data_tail, pg->data_head);
	bbpf_perfbuf_free(pb);
	assert_int_equal(fk_entries(m), 0);
	env_free(e);
}

static void test_pb_bad_args(void **state)
{
	struct env *e = env_new(false);
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4);
	struct fk_map *rbm = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, PAGE);
	struct bbpf_perfbuf *pb = NULL;

	(void)state;
	assert_int_equal(bbpf_perfbuf_new(e->ctx, m->fd, 0, NULL, NULL, NULL, NULL, &pb), -EINVAL);
	assert_int_equal(bbpf_perfbuf_new(e->ctx, m->fd, 3, NULL, NULL, NULL, NULL, &pb), -EINVAL);
	assert_int_equal(bbpf_perfbuf_new(e->ctx, m->fd, 4, NULL, NULL, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(bbpf_perfbuf_new(e->ctx, rbm->fd, 4, NULL, NULL, NULL, NULL, &pb), -EINVAL);
	assert_non_null(strstr(e->log, "PERF_EVENT_ARRAY"));
	assert_int_equal(bbpf_perfbuf_new(e->ctx, 555, 4, NULL, NULL, NULL, NULL, &pb), -EBADF);
	assert_null(pb);
	assert_int_equal(e->k->perf_cnt, 0);
	bbpf_perfbuf_free(NULL);
	env_free(e);
}

/* ======================= fault-injection sweeps ======================= */

static const int sweep_errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF, -EMFILE };

enum phase { PH_NEW, PH_USE, PH_FREE };

struct run {
	struct env *e;
	unsigned long new_calls, use_calls;	/* wrapper calls at the end of each phase */
	int new_rc, use_rc;
};

static int run_ringbuf(struct run *r)
{
	struct env *e = r->e;
	struct fk_map *m0 = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, PAGE);
	struct fk_map *m1 = fk_add_map(e->k, BPF_MAP_TYPE_RINGBUF, 2 * PAGE);
	struct sink s0 = { 0 }, s1 = { 0 };
	struct bbpf_ringbuf *rb = NULL;
	int err;

	rb_emit(m0, 10, 1);
	rb_emit(m1, 20, 2);
	err = bbpf_ringbuf_new(e->ctx, m0->fd, sink_cb, &s0, &rb);
	if (!err) {
		err = bbpf_ringbuf_add(rb, m1->fd, sink_cb, &s1);
		if (err)
			assert_int_equal(bbpf_ringbuf_ring_cnt(rb), 1);
	}
	r->new_calls = e->w->calls;
	r->new_rc = err;
	if (err) {
		bbpf_ringbuf_free(rb);
		return err;
	}
	r->use_rc = bbpf_ringbuf_poll(rb, 0);
	if (r->use_rc >= 0) {
		assert_int_equal(r->use_rc, 2);
		rb_emit(m1, 30, 3);
		assert_int_equal(bbpf_ringbuf_consume(rb), 1);
	}
	r->use_calls = e->w->calls;
	bbpf_ringbuf_free(rb);
	return r->use_rc < 0 ? r->use_rc : 0;
}

static int run_user_ringbuf(struct run *r)
{
	struct env *e = r->e;
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_USER_RINGBUF, PAGE);
	struct bbpf_user_ringbuf *rb = NULL;
	void *s;
	int err;

	err = bbpf_user_ringbuf_new(e->ctx, m->fd, &rb);
	r->new_calls = e->w->calls;
	r->new_rc = err;
	if (err)
		return err;
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, PAGE - 16, &s), 0);
	assert_int_equal(bbpf_user_ringbuf_submit(rb, s), 0);
	e->k->drain_on_wait = true;
	r->use_rc = bbpf_user_ringbuf_reserve_blocking(rb, 64, 1000, &s);
	if (!r->use_rc)
		assert_int_equal(bbpf_user_ringbuf_discard(rb, s), 0);
	r->use_calls = e->w->calls;
	bbpf_user_ringbuf_free(rb);
	return r->use_rc;
}

static struct pf_sink sweep_pf;

static int run_perfbuf(struct run *r)
{
	struct env *e = r->e;
	struct fk_map *m = fk_add_map(e->k, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4);
	struct bbpf_perfbuf *pb = NULL;
	int err;

	memset(&sweep_pf, 0, sizeof(sweep_pf));
	err = bbpf_perfbuf_new(e->ctx, m->fd, 1, pf_sample_cb, pf_lost_cb, &sweep_pf, NULL, &pb);
	r->new_calls = e->w->calls;
	r->new_rc = err;
	if (err) {
		assert_int_equal(fk_entries(m), 0);
		return err;
	}
	pf_sample(pf_cpu(e->k, 1), 10, 1);
	pf_lost(pf_cpu(e->k, 3), 2);
	r->use_rc = bbpf_perfbuf_poll(pb, 0);
	if (r->use_rc >= 0) {
		assert_int_equal(r->use_rc, 2);
		assert_int_equal(sweep_pf.n, 2);
		r->use_rc = bbpf_perfbuf_consume(pb);
	}
	r->use_calls = e->w->calls;
	bbpf_perfbuf_free(pb);
	return r->use_rc < 0 ? r->use_rc : 0;
}

/* Nothing left: fds, mappings, epoll registrations, perf map entries, bytes. */
static void expect_clean(struct env *e, const char *what, unsigned long n, int err)
{
	int entries = 0;

	for (int i = 0; i < e->k->map_cnt; i++)
		if (e->k->maps[i].type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			entries += fk_entries(&e->k->maps[i]);
	/* A failed map delete (the injected call itself) leaves its entry: the kernel's answer. */
	if (entries && e->w->injected_hook == FS_HOOK_BPF && e->w->injected_cmd == BPF_MAP_DELETE_ELEM)
		entries--;
	if (fs_wrap_open_fds(e->w) || fs_wrap_open_maps(e->w) ||
	    fs_script_epoll_regs(&e->k->s, -1) || entries || e->fa.live) {
		fs_wrap_dump(e->w, stderr);
		fail_msg("%s: call %lu failing with %d leaves %zu fds, %zu maps, %zu epoll regs, "
			 "%d map entries, %zu bytes", what, n, err, fs_wrap_open_fds(e->w),
			 fs_wrap_open_maps(e->w), fs_script_epoll_regs(&e->k->s, -1), entries,
			 e->fa.live);
	}
}

static void sweep(const char *what, int (*run)(struct run *))
{
	unsigned long n, clean_new = 0, clean_use = 0, clean_total = 0;
	int runs = 0;

	/* The clean run: how many calls each phase makes. */
	{
		struct run r = { .e = env_new(true) };

		fs_wrap_reset_counts(r.e->w);
		assert_int_equal(run(&r), 0);
		clean_new = r.new_calls;
		clean_use = r.use_calls;
		clean_total = r.e->w->calls;
		bbpf_ctx_free(r.e->ctx);
		r.e->ctx = NULL;
		expect_clean(r.e, what, 0, 0);
		env_free(r.e);
	}
	assert_true(clean_new >= 4);
	for (n = 1; n <= clean_total + 1; n++) {
		struct run r = { .e = env_new(true) };
		int err = sweep_errs[n % ARRAY_LEN(sweep_errs)], rc;

		fs_wrap_reset_counts(r.e->w);
		fs_wrap_fail(r.e->w, n, err);
		rc = run(&r);
		if (!r.e->w->injected) {
			assert_true(n > clean_total);
			assert_int_equal(rc, 0);
			env_free(r.e);
			break;
		}
		runs++;
		if (n <= clean_new) {
			/*
			 * new/add fail with that error; only a failed close (the fd
			 * is released anyway) or an interrupted read (retried) of a
			 * CPU list is survived.
			 */
			bool tolerated = r.e->w->injected_hook == FS_HOOK_CLOSE ||
					 (r.e->w->injected_hook == FS_HOOK_READ && err == -EINTR);

			if (rc != err && !(rc == 0 && tolerated))
				fail_msg("%s: call %lu (%s, of new) failing with %d: new returned %d (%d)",
					 what, n, fs_hook_name(r.e->w->injected_hook), err, r.new_rc, rc);
		} else if (n <= clean_use) {
			assert_true(rc == err || rc == 0);
		} else {
			assert_int_equal(rc, 0);	/* free has nothing to report */
		}
		/* the private pieces: the context's bytes are released with it */
		bbpf_ctx_free(r.e->ctx);
		r.e->ctx = NULL;
		expect_clean(r.e, what, n, err);
		env_free(r.e);
	}
	print_message("%s: %d runs, each failing one of the %lu table calls (new %lu, use %lu)\n",
		      what, runs, clean_total, clean_new, clean_use - clean_new);
	assert_int_equal(runs, (int)clean_total);
}

static void test_sweep_syscalls_ringbuf(void **state)
{
	(void)state;
	sweep("ringbuf", run_ringbuf);
}

static void test_sweep_syscalls_user_ringbuf(void **state)
{
	(void)state;
	sweep("user ringbuf", run_user_ringbuf);
}

static void test_sweep_syscalls_perfbuf(void **state)
{
	(void)state;
	sweep("perfbuf", run_perfbuf);
}

/* Every allocation fails in turn: -ENOMEM and nothing left, or success. */
static void sweep_alloc(const char *what, int (*run)(struct run *))
{
	int fails = 0;

	for (unsigned long n = 0; n < 1000; n++) {
		struct run r = { .e = env_new(true) };
		int rc;

		r.e->fa.left = n;
		rc = run(&r);
		if (rc != 0 && rc != -ENOMEM)
			fail_msg("%s: allocation %lu failing: %d", what, n, rc);
		bbpf_ctx_free(r.e->ctx);
		r.e->ctx = NULL;
		expect_clean(r.e, what, n, -ENOMEM);
		if (!r.e->fa.failed) {
			assert_int_equal(rc, 0);
			env_free(r.e);
			if (fails < 1)
				fail_msg("%s: only %d allocations", what, fails);
			return;
		}
		fails++;
		env_free(r.e);
	}
	fail_msg("%s: still failing after 1000 allocations", what);
}

static void test_sweep_alloc(void **state)
{
	(void)state;
	sweep_alloc("ringbuf", run_ringbuf);
	sweep_alloc("user ringbuf", run_user_ringbuf);
	sweep_alloc("perfbuf", run_perfbuf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rb_order_sizes_wrap),
		cmocka_unit_test(test_rb_busy_discard),
		cmocka_unit_test(test_rb_stop_and_consume_n),
		cmocka_unit_test(test_rb_two_rings_poll),
		cmocka_unit_test(test_rb_bad_args),
		cmocka_unit_test(test_urb_reserve_submit),
		cmocka_unit_test(test_urb_blocking),
		cmocka_unit_test(test_pb_cpus_attr_entries),
		cmocka_unit_test(test_pb_records_lost_wrap),
		cmocka_unit_test(test_pb_raw),
		cmocka_unit_test(test_pb_bad_args),
		cmocka_unit_test(test_sweep_syscalls_ringbuf),
		cmocka_unit_test(test_sweep_syscalls_user_ringbuf),
		cmocka_unit_test(test_sweep_syscalls_perfbuf),
		cmocka_unit_test(test_sweep_alloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
