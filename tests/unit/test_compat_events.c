// SPDX-License-Identifier: BSD-2-Clause
/*
 * ring_buffer__*, ring__*, user_ring_buffer__* and perf_buffer__* of the
 * libbpf-compatible API (src/compat/events.c) against a small fake kernel:
 * map info by fd, ring memory handed out through fs_script's mmap_cb,
 * readiness for epoll, perf events and the perf event array's entries.
 * Checked: records reach libbpf-typed callbacks with their bytes, counts
 * and stops; accessors; errors as NULL + errno (wrong map type, options,
 * ring index out of range -> ERANGE, reserve too big -> E2BIG, no room ->
 * ENOSPC); the perf buffer's attr (sample_period = wakeup_events), one
 * event per online CPU, samples and lost counts, the raw callback's three
 * answers; and that free leaves no fd, mapping or map entry behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <linux/perf_event.h>
#include <cmocka.h>

#include <bpf/libbpf.h>
#include "compat_sys.h"
#include "fake_sys.h"

#define PAGE 4096ul
#define RB_SIZE (4 * PAGE)

struct fk_map {
	int fd;
	__u32 type, max_entries;
	uint8_t *mem;		/* ring types: consumer page, producer page, data twice */
	int entries[8];
	bool set[8];
};

struct fk_perf {
	int fd, cpu;
	struct perf_event_attr attr;
	uint8_t *mem;
	size_t len;
};

struct env {
	struct fs_script s;	/* first: the callbacks get it */
	struct fs_wrap w;
	struct bbpf_sys inner, sys;
	struct fk_map maps[4];
	int map_cnt;
	struct fk_perf perf[8];
	int perf_cnt;
};

static struct fk_map *map_by_fd(struct env *e, int fd)
{
	int i;

	for (i = 0; i < e->map_cnt; i++)
		if (e->maps[i].fd == fd)
			return &e->maps[i];
	return NULL;
}

static struct fk_perf *perf_by_fd(struct env *e, int fd)
{
	int i;

	for (i = 0; i < e->perf_cnt; i++)
		if (e->perf[i].fd == fd)
			return &e->perf[i];
	return NULL;
}

static long fk_bpf(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct env *e = (struct env *)s;
	struct fk_map *m;
	int key;

	(void)size;
	switch (cmd) {
	case BPF_OBJ_GET_INFO_BY_FD: {
		struct bpf_map_info info;

		m = map_by_fd(e, (int)attr->info.bpf_fd);
		if (!m)
			return -EBADF;
		memset(&info, 0, sizeof(info));
		info.type = m->type;
		info.max_entries = m->max_entries;
		if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			info.key_size = info.value_size = 4;
		memcpy((void *)(uintptr_t)attr->info.info, &info,
		       attr->info.info_len < sizeof(info) ? attr->info.info_len : sizeof(info));
		return 0;
	}
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
		m = map_by_fd(e, (int)attr->map_fd);
		if (!m)
			return -EBADF;
		memcpy(&key, (void *)(uintptr_t)attr->key, 4);
		if (key < 0 || key >= 8)
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
	struct env *e = (struct env *)s;
	struct fk_map *m = map_by_fd(e, fd);
	struct fk_perf *p = perf_by_fd(e, fd);

	(void)prot;
	if (m && m->mem) {
		if (off == 0 && len == PAGE)
			*out = m->mem;
		else if ((size_t)off == PAGE && len == PAGE + 2 * m->max_entries)
			*out = m->mem + PAGE;
		else
			return -EINVAL;
		return 0;
	}
	if (p && !p->mem) {
		p->mem = aligned_alloc(PAGE, len);
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
	struct env *e = (struct env *)s;
	long fd;

	(void)pid;
	(void)group_fd;
	(void)flags;
	fd = fs_script_new_fd(s);
	e->perf[e->perf_cnt++] = (struct fk_perf){ .fd = (int)fd, .cpu = cpu, .attr = *attr };
	return fd;
}

static unsigned long *cons(struct fk_map *m)
{
	return (unsigned long *)m->mem;
}

static unsigned long *prod(struct fk_map *m)
{
	return (unsigned long *)(m->mem + PAGE);
}

static bool fk_ready(struct fs_script *s, int fd, uint32_t events)
{
	struct env *e = (struct env *)s;
	struct fk_map *m = map_by_fd(e, fd);
	struct fk_perf *p = perf_by_fd(e, fd);

	if (m && m->type == BPF_MAP_TYPE_RINGBUF)
		return (events & EPOLLIN) && *prod(m) != *cons(m);
	if (m && m->type == BPF_MAP_TYPE_USER_RINGBUF)
		return (events & EPOLLOUT) && *prod(m) - *cons(m) < m->max_entries;
	if (p && p->mem) {
		struct perf_event_mmap_page *pg = (void *)p->mem;

		return pg->data_head != pg->data_tail;
	}
	return false;
}

static struct fk_map *add_map(struct env *e, __u32 type, __u32 max_entries)
{
	struct fk_map *m = &e->maps[e->map_cnt++];

	memset(m, 0, sizeof(*m));
	m->fd = (int)fs_script_new_fd(&e->s);
	m->type = type;
	m->max_entries = max_entries;
	if (type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_USER_RINGBUF) {
		m->mem = aligned_alloc(PAGE, 2 * PAGE + 2 * max_entries);
		memset(m->mem, 0, 2 * PAGE + 2 * max_entries);
	}
	return m;
}

/* A committed ring-buffer record of len bytes holding v (the data area is mapped twice). */
static void rb_put(struct fk_map *m, __u32 len, __u32 v)
{
	unsigned long pos = *prod(m);
	uint8_t *data = m->mem + 2 * PAGE;
	__u32 hdr[2] = { len, 0 };
	size_t i, total = (8 + len + 7) & ~7ul;
	uint8_t rec[64] = { 0 };

	memcpy(rec, hdr, 8);
	memcpy(rec + 8, &v, 4);
	for (i = 0; i < total; i++) {
		data[(pos + i) % m->max_entries] = rec[i];
		data[m->max_entries + (pos + i) % m->max_entries] = rec[i];
	}
	*prod(m) = pos + total;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->inner = fs_script_init(&e->s);
	e->s.bpf_cb = fk_bpf;
	e->s.mmap_cb = fk_mmap;
	e->s.perf_cb = fk_perf_open;
	e->s.ready_cb = fk_ready;
	fs_script_add_file(&e->s, "/sys/devices/system/cpu/possible", "0-3\n", 4);
	fs_script_add_file(&e->s, "/sys/devices/system/cpu/online", "0-1,3\n", 6);
	e->sys = fs_wrap_init(&e->w, &e->inner);
	tc_compat_use(&e->sys);
	libbpf_set_print(NULL);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	int i;

	if (fs_wrap_open_fds(&e->w) || fs_wrap_open_maps(&e->w)) {
		fs_wrap_dump(&e->w, stderr);
		fail_msg("left open");
	}
	tc_compat_use(NULL);
	for (i = 0; i < e->map_cnt; i++)
		free(e->maps[i].mem);
	for (i = 0; i < e->perf_cnt; i++)
		free(e->perf[i].mem);
	fs_script_fini(&e->s);
	free(e);
	return 0;
}

/* ---- ring buffers ---- */

struct sink {
	int n;
	__u32 sum;
	int stop_at;	/* return -7 at this record (1-based); 0: never */
};

static int on_rec(void *ctx, void *data, size_t size)
{
	struct sink *k = ctx;
	__u32 v;

	assert_int_equal(size, 4);
	memcpy(&v, data, 4);
	k->n++;
	k->sum += v;
	return k->stop_at && k->n == k->stop_at ? -7 : 0;
}

static void test_ring_buffer(void **state)
{
	struct env *e = *state;
	struct fk_map *m = add_map(e, BPF_MAP_TYPE_RINGBUF, RB_SIZE);
	struct fk_map *m2 = add_map(e, BPF_MAP_TYPE_RINGBUF, RB_SIZE);
	struct sink k = { 0 }, k2 = { 0 };
	struct ring_buffer *rb;
	struct ring *r;

	rb = ring_buffer__new(m->fd, on_rec, &k, NULL);
	assert_non_null(rb);
	assert_true(ring_buffer__epoll_fd(rb) >= 0);
	rb_put(m, 4, 10);
	rb_put(m, 4, 20);
	rb_put(m, 4, 30);
	assert_int_equal(ring_buffer__poll(rb, 0), 3);
	assert_int_equal(k.n, 3);
	assert_int_equal(k.sum, 60);
	assert_int_equal(ring_buffer__consume(rb), 0);
	/* consume_n stops after n */
	rb_put(m, 4, 1);
	rb_put(m, 4, 2);
	assert_int_equal(ring_buffer__consume_n(rb, 1), 1);
	assert_int_equal(k.n, 4);
	/* a callback's negative value stops and is the result */
	k.stop_at = 5;
	rb_put(m, 4, 3);
	errno = 0;
	assert_int_equal(ring_buffer__consume(rb), -7);
	assert_int_equal(errno, 7);
	k.stop_at = 0;
	assert_int_equal(ring_buffer__consume(rb), 1);	/* the one after */
	/* a second ring */
	assert_int_equal(ring_buffer__add(rb, m2->fd, on_rec, &k2), 0);
	rb_put(m2, 4, 5);
	assert_int_equal(ring_buffer__consume_ring(rb, 1), 1);
	assert_int_equal(k2.sum, 5);
	/* per ring */
	r = ring_buffer__ring(rb, 0);
	assert_non_null(r);
	assert_int_equal(ring__size(r), RB_SIZE);
	assert_int_equal(ring__map_fd(r), m->fd);
	assert_int_equal(ring__consumer_pos(r), ring__producer_pos(r));
	assert_int_equal(ring__avail_data_size(r), 0);
	rb_put(m, 4, 9);
	assert_int_equal(ring__avail_data_size(r), 16);
	assert_int_equal(ring__consume_n(r, 5), 1);
	rb_put(m, 4, 9);
	assert_int_equal(ring__consume(r), 1);
	errno = 0;
	assert_null(ring_buffer__ring(rb, 2));
	assert_int_equal(errno, ERANGE);
	assert_int_equal(ring_buffer__add(rb, m2->fd - 1000, on_rec, &k2), -EBADF);
	ring_buffer__free(rb);
	ring_buffer__free(NULL);
}

static void test_ring_buffer_errors(void **state)
{
	struct env *e = *state;
	struct fk_map *arr = add_map(e, BPF_MAP_TYPE_ARRAY, 1);
	struct { struct ring_buffer_opts o; int x; } big;
	struct sink k = { 0 };

	errno = 0;
	assert_null(ring_buffer__new(arr->fd, on_rec, &k, NULL));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(libbpf_get_error(NULL), -EINVAL);
	errno = 0;
	assert_null(ring_buffer__new(999, on_rec, &k, NULL));
	assert_int_equal(errno, EBADF);
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.x = 1;
	errno = 0;
	assert_null(ring_buffer__new(arr->fd, on_rec, &k, &big.o));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ring_buffer__poll(NULL, 0), -EINVAL);
}

static void test_user_ring_buffer(void **state)
{
	struct env *e = *state;
	struct fk_map *m = add_map(e, BPF_MAP_TYPE_USER_RINGBUF, RB_SIZE);
	struct user_ring_buffer *urb;
	__u32 *hdr;
	void *s1, *s2;

	urb = user_ring_buffer__new(m->fd, NULL);
	assert_non_null(urb);
	s1 = user_ring_buffer__reserve(urb, 16);
	assert_non_null(s1);
	memset(s1, 0xab, 16);
	hdr = (__u32 *)((uint8_t *)s1 - 8);
	assert_true(hdr[0] & (1u << 31));	/* busy until submitted */
	user_ring_buffer__submit(urb, s1);
	assert_int_equal(hdr[0], 16);
	s2 = user_ring_buffer__reserve(urb, 8);
	assert_non_null(s2);
	user_ring_buffer__discard(urb, s2);
	assert_true(((__u32 *)((uint8_t *)s2 - 8))[0] & (1u << 30));
	/* too big for the ring: E2BIG; no room now: ENOSPC */
	errno = 0;
	assert_null(user_ring_buffer__reserve(urb, RB_SIZE));
	assert_int_equal(errno, E2BIG);
	*(unsigned long *)(m->mem + PAGE) = RB_SIZE - 8;	/* producer nearly a ring ahead */
	errno = 0;
	assert_null(user_ring_buffer__reserve(urb, 64));
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_null(user_ring_buffer__reserve_blocking(urb, 64, 0));
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_null(user_ring_buffer__reserve_blocking(urb, 64, -2));
	assert_int_equal(errno, EINVAL);
	user_ring_buffer__free(urb);
	user_ring_buffer__free(NULL);
	errno = 0;
	assert_null(user_ring_buffer__new(999, NULL));
	assert_int_equal(errno, EBADF);
}

/* ---- perf buffers ---- */

struct psink {
	int samples, lost_calls;
	__u64 lost;
	__u32 last_size;
	int last_cpu;
	int answer;	/* raw callback's answer */
	int raw_calls;
};

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct psink *p = ctx;

	(void)data;
	p->samples++;
	p->last_size = size;
	p->last_cpu = cpu;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct psink *p = ctx;

	(void)cpu;
	p->lost_calls++;
	p->lost += cnt;
}

static enum bpf_perf_event_ret on_raw(void *ctx, int cpu, struct perf_event_header *ev)
{
	struct psink *p = ctx;

	(void)cpu;
	(void)ev;
	p->raw_calls++;
	return (enum bpf_perf_event_ret)p->answer;
}

/* One record in a perf ring: a sample of size bytes, or a lost record. */
static void pf_put(struct fk_perf *p, __u32 type, __u64 lost, __u32 size)
{
	struct perf_event_mmap_page *pg = (void *)p->mem;
	uint8_t *data = p->mem + PAGE, rec[64] = { 0 };
	struct perf_event_header h = { .type = type };
	size_t n, i;

	if (type == PERF_RECORD_SAMPLE) {
		n = sizeof(h) + 4 + size;
		memcpy(rec + sizeof(h), &size, 4);
	} else {
		n = sizeof(h) + 16;
		memcpy(rec + sizeof(h) + 8, &lost, 8);
	}
	h.size = (__u16)n;
	memcpy(rec, &h, sizeof(h));
	for (i = 0; i < n; i++)
		data[(pg->data_head + i) % (p->len - PAGE)] = rec[i];
	pg->data_head += n;
}

static void test_perf_buffer(void **state)
{
	struct env *e = *state;
	struct fk_map *m = add_map(e, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4);
	LIBBPF_OPTS(perf_buffer_opts, o, .sample_period = 3);
	struct psink k = { 0 };
	struct perf_buffer *pb;
	void *buf;
	size_t size;
	int i;

	pb = perf_buffer__new(m->fd, 2, on_sample, on_lost, &k, &o);
	assert_non_null(pb);
	/* one event per online CPU: 0, 1, 3 */
	assert_int_equal(perf_buffer__buffer_cnt(pb), 3);
	assert_int_equal(e->perf_cnt, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(e->perf[i].attr.config, PERF_COUNT_SW_BPF_OUTPUT);
		assert_int_equal(e->perf[i].attr.sample_period, 3);
		assert_int_equal(e->perf[i].attr.wakeup_events, 3);
		assert_int_equal(e->perf[i].attr.sample_type, PERF_SAMPLE_RAW);
	}
	assert_int_equal(e->perf[2].cpu, 3);
	assert_true(m->set[0] && m->set[1] && !m->set[2] && m->set[3]);
	assert_int_equal(perf_buffer__buffer_fd(pb, 0), e->perf[0].fd);
	assert_int_equal(perf_buffer__buffer(pb, 1, &buf, &size), 0);
	assert_ptr_equal(buf, e->perf[1].mem);
	assert_int_equal(size, 3 * PAGE);
	assert_int_equal(perf_buffer__buffer(pb, 5, &buf, &size), -EINVAL);
	assert_int_equal(perf_buffer__buffer_fd(pb, 5), -EINVAL);
	assert_true(perf_buffer__epoll_fd(pb) >= 0);
	pf_put(&e->perf[2], PERF_RECORD_SAMPLE, 0, 12);
	pf_put(&e->perf[2], PERF_RECORD_LOST, 5, 0);
	assert_int_equal(perf_buffer__poll(pb, 0), 1);	/* rings read, not records */
	assert_int_equal(k.samples, 1);
	assert_int_equal(k.last_size, 12);
	assert_int_equal(k.last_cpu, 3);
	assert_int_equal(k.lost, 5);
	pf_put(&e->perf[0], PERF_RECORD_SAMPLE, 0, 4);
	assert_int_equal(perf_buffer__consume_buffer(pb, 0), 0);
	assert_int_equal(k.samples, 2);
	assert_int_equal(perf_buffer__consume(pb), 0);
	perf_buffer__free(pb);
	/* the entries it set are gone */
	assert_true(!m->set[0] && !m->set[1] && !m->set[3]);
	perf_buffer__free(NULL);
	/* errors */
	errno = 0;
	assert_null(perf_buffer__new(m->fd, 3, on_sample, NULL, &k, NULL));	/* not a power of 2 */
	assert_int_equal(errno, EINVAL);
	assert_int_equal(perf_buffer__poll(NULL, 0), -EINVAL);
}

static void test_perf_buffer_raw(void **state)
{
	struct env *e = *state;
	struct fk_map *m = add_map(e, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4);
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE,
					.config = PERF_COUNT_SW_BPF_OUTPUT,
					.sample_type = PERF_SAMPLE_RAW, .sample_period = 1,
					.wakeup_events = 1 };
	int cpus[1] = { 2 }, keys[1] = { 1 };
	LIBBPF_OPTS(perf_buffer_raw_opts, o, .cpu_cnt = 1, .cpus = cpus, .map_keys = keys);
	struct psink k = { 0 };
	struct perf_buffer *pb;

	pb = perf_buffer__new_raw(m->fd, 1, &attr, on_raw, &k, &o);
	assert_non_null(pb);
	assert_int_equal(perf_buffer__buffer_cnt(pb), 1);
	assert_int_equal(e->perf[0].cpu, 2);
	assert_true(m->set[1]);
	k.answer = LIBBPF_PERF_EVENT_CONT;
	pf_put(&e->perf[0], PERF_RECORD_SAMPLE, 0, 4);
	pf_put(&e->perf[0], PERF_RECORD_SAMPLE, 0, 4);
	assert_int_equal(perf_buffer__consume(pb), 0);
	assert_int_equal(k.raw_calls, 2);
	/* DONE stops this ring for now */
	k.answer = LIBBPF_PERF_EVENT_DONE;
	pf_put(&e->perf[0], PERF_RECORD_SAMPLE, 0, 4);
	pf_put(&e->perf[0], PERF_RECORD_SAMPLE, 0, 4);
	assert_int_equal(perf_buffer__consume(pb), 0);
	assert_int_equal(k.raw_calls, 3);
	/* ERROR stops with an error (barebpf: -ECANCELED, libbpf: -1) */
	k.answer = LIBBPF_PERF_EVENT_ERROR;
	errno = 0;
	assert_int_equal(perf_buffer__consume(pb), -ECANCELED);
	assert_int_equal(errno, ECANCELED);
	perf_buffer__free(pb);
	errno = 0;
	o.map_keys = NULL;
	assert_null(perf_buffer__new_raw(m->fd, 1, &attr, on_raw, &k, &o));
	assert_int_equal(errno, EINVAL);
	assert_null(perf_buffer__new_raw(m->fd, 1, NULL, on_raw, &k, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ring_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_buffer_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_ring_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perf_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perf_buffer_raw, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
