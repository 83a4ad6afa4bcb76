// SPDX-License-Identifier: BSD-2-Clause
/*
 * src/events on the real kernel, with tests/bpf/events.bpf.c (see there
 * for what each program emits) loaded, filtered on this process and
 * attached to syscall tracepoints the tests trigger with syscall(2):
 *  - a ring buffer's records, in reservation order (records submitted
 *    late, discards), checked byte for byte over 24 triggers through a
 *    16 KiB ring (records wrap its end), polled after each trigger and in
 *    batches; a private default context (ctx NULL);
 *  - two ring buffers under one manager, consume_n, poll timeouts, a
 *    callback that stops consumption;
 *  - a user ring buffer drained by the program (values read back through
 *    .bss), discards skipped, blocking reserve with and without a drain;
 *  - a perf buffer on every online CPU, fed by a thread pinned to each CPU:
 *    every sample on its CPU's ring, counted exactly; the raw variant;
 *  - a forced overflow of a one-page perf ring: samples received + lost
 *    count reported == samples emitted, lost == the program's failures;
 *  - `barebpf map event_pipe pinned PATH` (text and -j; also with
 *    "cpu C index C") against bpftool 7.1's for the same trigger: the same
 *    output, timestamps and perf event ids aside; a burst that overflows
 *    both tools' rings: the same "lost N events" line / "lost" object, N =
 *    the program's failed outputs;
 *  - nothing left after free: this process's fds and mappings.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/syscall.h>

#include <barebpf/events.h>
#include "lk_util.h"
#include "bg_run.h"
#include <signal.h>
#include <sys/wait.h>

#define FIXTURE "events.bpf.o"
#define RB_SIZE (16 * 1024)

static void *gvar(struct bbpf_object *obj, const char *name, size_t want_size)
{
	struct bbpf_map *m;
	size_t off, size;
	uint8_t *base;
	int err = bbpf_object_find_global(obj, name, &m, &off, &size);

	if (err)
		fail_msg("global '%s': %d", name, err);
	assert_int_equal(size, want_size);
	base = bbpf_map_mmaped(m, NULL);
	if (!base)
		fail_msg("global '%s': map '%s' is not mapped", name, bbpf_map_name(m));
	return base + off;
}

static uint64_t rd64(const void *p)
{
	return __atomic_load_n((const uint64_t *)p, __ATOMIC_SEQ_CST);
}

static uint32_t rd32(const void *p)
{
	return __atomic_load_n((const uint32_t *)p, __ATOMIC_SEQ_CST);
}

static void wr32(void *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p, v, __ATOMIC_SEQ_CST);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Open, set target_tgid, load, attach. */
static struct bbpf_object *load_events(struct lk *st)
{
	struct bbpf_object *obj = lk_open(st, 0, FIXTURE);
	struct bbpf_map *ro = lk_map(obj, ".rodata");
	int *tgid = bbpf_map_initial_value(ro, NULL);
	int err;

	assert_non_null(tgid);
	*tgid = getpid();
	lk_load_ok(st, obj);
	err = bbpf_object_attach(obj);
	if (err)
		fail_msg("attach: %d\n%s", err, st->log);
	assert_int_equal(bbpf_object_link_cnt(obj), 4);
	return obj;
}

static int map_fd(struct bbpf_object *obj, const char *name)
{
	int fd = bbpf_map_fd(lk_map(obj, name));

	assert_true(fd >= 0);
	return fd;
}

/* ---- ring buffer records ---- */

struct rec_hdr {
	uint32_t seq, kind, len, tid;
};

#define MAX_RECS 256

struct rb_rec {
	struct rec_hdr h;
	size_t size;
	bool bytes_ok;
	bool wrapped;		/* the record crossed the ring's end */
	int ring;
};

struct rb_sink {
	struct rb_rec rec[MAX_RECS];
	int n;
	int stop_at, stop_ret;
	int ring;
	struct bbpf_ringbuf *rb;	/* for the ring accessors */
	struct rb_sink *shared;
};

static int rb_cb(void *ctx, void *data, size_t size)
{
	struct rb_sink *own = ctx, *s = own->shared ? own->shared : own;
	struct rb_rec *r;
	const uint8_t *b = data;

	assert_true(s->n < MAX_RECS);
	r = &s->rec[s->n++];
	assert_true(size >= sizeof(r->h));
	memcpy(&r->h, data, sizeof(r->h));
	r->size = size;
	r->ring = own->ring;
	r->bytes_ok = true;
	for (size_t i = 16; i < size; i++)
		if (b[i] != (uint8_t)(r->h.seq * 7 + i))
			r->bytes_ok = false;
	if (own->rb) {
		struct bbpf_ringbuf_ring *ring = bbpf_ringbuf_ring(own->rb, (unsigned int)own->ring);
		unsigned long pos = bbpf_ringbuf_ring_consumer_pos(ring);
		size_t rsz = bbpf_ringbuf_ring_size(ring);

		r->wrapped = (pos & (rsz - 1)) + 8 + size > rsz;
	}
	if (own->stop_at && s->n == own->stop_at)
		return own->stop_ret;
	return 0;
}

/* The kinds and sizes one getpid trigger delivers, in order. */
static const uint32_t seq_kinds[] = { 1, 2, 3, 4, 6, 8 };
static const uint32_t seq_sizes[] = { 16, 40, 3000, 24, 16, 21 };
#define PER_TRIGGER 6

static void check_trigger(const struct rb_sink *s, int first, uint32_t seq)
{
	for (int k = 0; k < PER_TRIGGER; k++) {
		const struct rb_rec *r = &s->rec[first + k];

		if (r->h.seq != seq || r->h.kind != seq_kinds[k] || r->size != seq_sizes[k] ||
		    r->h.len != seq_sizes[k] || r->h.tid != (uint32_t)syscall(SYS_gettid) ||
		    !r->bytes_ok)
			fail_msg("record %d: seq %u kind %u len %u size %zu tid %u bytes %d; want seq "
				 "%u kind %u size %u", first + k, r->h.seq, r->h.kind, r->h.len, r->size,
				 r->h.tid, r->bytes_ok, seq, seq_kinds[k], seq_sizes[k]);
	}
}

static void test_ringbuf_sequence(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_ringbuf *rb;
	struct bbpf_ringbuf_ring *ring;
	struct rb_sink *s = calloc(1, sizeof(*s));
	uint32_t *rb_fail, *rb_seq;
	int wrapped = 0;

	TK_NEED_KERNEL();
	assert_non_null(s);
	obj = load_events(st);
	rb_fail = gvar(obj, "rb_fail", 4);
	rb_seq = gvar(obj, "rb_seq", 4);
	/* ctx NULL: a private default context. */
	assert_int_equal(bbpf_ringbuf_new(NULL, map_fd(obj, "rb"), rb_cb, s, &rb), 0);
	s->rb = rb;
	ring = bbpf_ringbuf_ring(rb, 0);
	assert_int_equal(bbpf_ringbuf_ring_size(ring), RB_SIZE);
	assert_int_equal(bbpf_ringbuf_ring_map_fd(ring), map_fd(obj, "rb"));
	assert_int_equal(bbpf_ringbuf_poll(rb, 0), 0);

	/* One trigger, one poll: exactly the six committed records. */
	for (uint32_t t = 0; t < 20; t++) {
		syscall(SYS_getpid);
		assert_int_equal(bbpf_ringbuf_poll(rb, 1000), PER_TRIGGER);
	}
	assert_int_equal(s->n, 20 * PER_TRIGGER);
	for (uint32_t t = 0; t < 20; t++)
		check_trigger(s, (int)t * PER_TRIGGER, t);
	/* Four triggers, then one consume (13.4 KiB in a 16 KiB ring). */
	for (int t = 0; t < 4; t++)
		syscall(SYS_getpid);
	assert_true(bbpf_ringbuf_ring_avail_data_size(ring) > 4 * 3000);
	assert_int_equal(bbpf_ringbuf_consume(rb), 4 * PER_TRIGGER);
	assert_int_equal(s->n, 24 * PER_TRIGGER);
	for (uint32_t t = 20; t < 24; t++)
		check_trigger(s, (int)t * PER_TRIGGER, t);
	for (int i = 0; i < s->n; i++)
		wrapped += s->rec[i].wrapped;
	assert_true(wrapped >= 1);
	assert_int_equal(rd32(rb_fail), 0);
	assert_int_equal(rd32(rb_seq), 24);
	assert_int_equal(bbpf_ringbuf_ring_avail_data_size(ring), 0);
	assert_int_equal(bbpf_ringbuf_ring_consumer_pos(ring), bbpf_ringbuf_ring_producer_pos(ring));
	assert_int_equal(bbpf_ringbuf_consume(rb), 0);
	print_message("    %d records, %d wrapped the ring's end\n", s->n, wrapped);
	bbpf_ringbuf_free(rb);
	free(s);
}

static void test_ringbuf_two_rings(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_ringbuf *rb;
	struct rb_sink *log = calloc(1, sizeof(*log));
	struct rb_sink s0 = { .ring = 0, .shared = log }, s1 = { .ring = 1, .shared = log };
	double t0;
	int got = 0, n, polls = 0;

	TK_NEED_KERNEL();
	assert_non_null(log);
	obj = load_events(st);
	assert_int_equal(bbpf_ringbuf_new(st->ctx, map_fd(obj, "rb"), rb_cb, &s0, &rb), 0);
	assert_int_equal(bbpf_ringbuf_add(rb, map_fd(obj, "rb2"), rb_cb, &s1), 0);
	assert_int_equal(bbpf_ringbuf_ring_cnt(rb), 2);

	/* Nothing to read: poll waits its timeout and returns 0. */
	t0 = now_ms();
	assert_int_equal(bbpf_ringbuf_poll(rb, 50), 0);
	assert_true(now_ms() - t0 >= 45);

	for (int t = 0; t < 3; t++) {
		syscall(SYS_getppid);
		syscall(SYS_getpid);
		syscall(SYS_getppid);
	}
	/* Both rings: 3 x 6 records in ring 0, 6 in ring 1, in per-ring order. */
	while (got < 24 && polls++ < 10) {
		n = bbpf_ringbuf_poll(rb, 1000);
		assert_true(n > 0);
		got += n;
	}
	assert_int_equal(got, 24);
	{
		int r0 = 0, r1 = 0;

		for (int i = 0; i < log->n; i++) {
			const struct rb_rec *r = &log->rec[i];

			if (r->ring == 1) {
				assert_int_equal(r->h.kind, 9);
				assert_int_equal(r->h.seq, (uint32_t)r1);
				assert_int_equal(r->size, 16);
				r1++;
			} else {
				assert_int_equal(r->h.kind, seq_kinds[r0 % PER_TRIGGER]);
				assert_int_equal(r->h.seq, (uint32_t)(r0 / PER_TRIGGER));
				r0++;
			}
		}
		assert_int_equal(r0, 18);
		assert_int_equal(r1, 6);
	}
	/* consume_n: at most n over the rings, ring 0 first; the rest stays. */
	log->n = 0;
	syscall(SYS_getpid);
	syscall(SYS_getppid);
	assert_int_equal(bbpf_ringbuf_consume_n(rb, 4), 4);
	assert_int_equal(log->n, 4);
	assert_int_equal(log->rec[3].h.kind, 4);
	assert_int_equal(bbpf_ringbuf_consume_ring(rb, 1), 1);
	assert_int_equal(log->rec[4].h.kind, 9);
	assert_int_equal(bbpf_ringbuf_consume_n(rb, 100), 2);
	assert_int_equal(log->rec[5].h.kind, 6);
	assert_int_equal(log->rec[6].h.kind, 8);
	/* A callback's negative return stops and is returned; the rest follows later. */
	log->n = 0;
	s0.stop_at = 2;
	s0.stop_ret = -7;
	syscall(SYS_getpid);
	assert_int_equal(bbpf_ringbuf_poll(rb, 1000), -7);
	assert_int_equal(log->n, 2);
	s0.stop_at = 0;
	assert_int_equal(bbpf_ringbuf_consume(rb), 4);
	assert_int_equal(log->rec[2].h.kind, 3);
	bbpf_ringbuf_free(rb);
	free(log);
}

/* ---- user ring buffer ---- */

struct urec {
	uint32_t kind, idx;
	uint64_t value;
};

static void urb_put(struct bbpf_user_ringbuf *rb, uint32_t size, uint32_t kind, uint32_t idx,
		    uint64_t value, bool discard)
{
	struct urec r = { kind, idx, value };
	void *p;

	assert_int_equal(bbpf_user_ringbuf_reserve(rb, size, &p), 0);
	memset(p, 0xee, size);
	memcpy(p, &r, sizeof(r));
	if (discard)
		assert_int_equal(bbpf_user_ringbuf_discard(rb, p), 0);
	else
		assert_int_equal(bbpf_user_ringbuf_submit(rb, p), 0);
}

/*
 * A thread that drains (gettid) delay_ms after go is set. It is started
 * first and waited for: thread start-up (the sanitizer runtime's) may call
 * gettid itself, which would drain at the wrong time.
 */
struct drainer {
	int delay_ms;
	int ready, go;
};

static void *drain_later(void *arg)
{
	struct drainer *d = arg;
	struct timespec tick = { 0, 1000000L }, ts = { 0, (long)d->delay_ms * 1000000L };

	__atomic_store_n(&d->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&d->go, __ATOMIC_SEQ_CST))
		nanosleep(&tick, NULL);
	nanosleep(&ts, NULL);
	syscall(SYS_gettid);
	return NULL;
}

static void test_user_ringbuf(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_user_ringbuf *rb;
	uint64_t *count, *sum, *vals, *bad, *calls;
	uint32_t *kinds;
	long *ret;
	void *p;
	int filled = 0, err;
	double t0, dt;
	pthread_t th;
	struct drainer d = { .delay_ms = 50 };
	struct timespec tick = { 0, 1000000L };

	TK_NEED_KERNEL();
	assert_int_equal(pthread_create(&th, NULL, drain_later, &d), 0);
	while (!__atomic_load_n(&d.ready, __ATOMIC_SEQ_CST))
		nanosleep(&tick, NULL);
	obj = load_events(st);
	count = gvar(obj, "urb_count", 8);
	sum = gvar(obj, "urb_sum", 8);
	vals = gvar(obj, "urb_vals", 16 * 8);
	kinds = gvar(obj, "urb_kinds", 16 * 4);
	bad = gvar(obj, "urb_bad", 8);
	calls = gvar(obj, "urb_calls", 8);
	ret = gvar(obj, "urb_drain_ret", 8);
	assert_int_equal(bbpf_user_ringbuf_new(st->ctx, map_fd(obj, "urb"), &rb), 0);
	assert_int_equal(bbpf_user_ringbuf_avail(rb), 4096);

	/* Sizes 16, 24, 40; one discarded in the middle. */
	urb_put(rb, 16, 1, 0, 1000, false);
	urb_put(rb, 24, 2, 1, 2000, false);
	urb_put(rb, 16, 3, 2, 3000, true);
	urb_put(rb, 40, 4, 3, 4000, false);
	urb_put(rb, 16, 5, 4, 5000, false);
	assert_int_equal(rd64(count), 0);
	syscall(SYS_gettid);
	assert_int_equal(rd64(calls), 1);
	assert_int_equal(rd64(count), 4);
	assert_int_equal(rd64(sum), 1000 + 2000 + 4000 + 5000);
	assert_int_equal(rd64(&vals[0]), 1000);
	assert_int_equal(rd64(&vals[1]), 2000);
	assert_int_equal(rd64(&vals[2]), 4000);
	assert_int_equal(rd64(&vals[3]), 5000);
	assert_int_equal(rd32(&kinds[2]), 4);
	assert_int_equal(rd64(bad), 0);
	assert_int_equal(*(volatile long *)ret, 4);
	assert_int_equal(bbpf_user_ringbuf_avail(rb), 4096);

	/* Fill it: -ENOSPC at the end; a record larger than the ring: -E2BIG. */
	assert_int_equal(bbpf_user_ringbuf_reserve(rb, 4096, &p), -E2BIG);
	while ((err = bbpf_user_ringbuf_reserve(rb, 120, &p)) == 0) {
		struct urec r = { 6, (uint32_t)filled, 10 };

		memcpy(p, &r, sizeof(r));
		assert_int_equal(bbpf_user_ringbuf_submit(rb, p), 0);
		filled++;
	}
	assert_int_equal(err, -ENOSPC);
	assert_int_equal(filled, 4096 / 128);
	/* Nobody drains: blocking reserve gives up at its deadline. */
	t0 = now_ms();
	assert_int_equal(bbpf_user_ringbuf_reserve_blocking(rb, 64, 100, &p), -ENOSPC);
	dt = now_ms() - t0;
	assert_true(dt >= 99);
	assert_true(dt < 2000);
	/* A drain 50 ms from now frees the ring: the wait ends then. */
	t0 = now_ms();
	__atomic_store_n(&d.go, 1, __ATOMIC_SEQ_CST);
	err = bbpf_user_ringbuf_reserve_blocking(rb, 64, 5000, &p);
	dt = now_ms() - t0;
	pthread_join(th, NULL);
	assert_int_equal(err, 0);
	if (!(dt >= 40 && dt < 4000))
		fail_msg("woke after %.1f ms; drained %llu", dt, (unsigned long long)rd64(count));
	assert_int_equal(rd64(count), 4 + (uint64_t)filled);
	assert_int_equal(rd64(sum), 12000 + 10 * (uint64_t)filled);
	assert_int_equal(bbpf_user_ringbuf_discard(rb, p), 0);
	syscall(SYS_gettid);	/* only the discarded record: nothing drained */
	assert_int_equal(*(volatile long *)ret, 0);
	assert_int_equal(rd64(count), 4 + (uint64_t)filled);
	print_message("    blocking reserve woke %.0f ms after the drain thread started\n", dt);
	bbpf_user_ringbuf_free(rb);
}

/* ---- perf buffer ---- */

struct prec {
	uint32_t cpu, tid, i, magic;
};

#define MAX_CPUS 64

struct pb_sink {
	uint64_t samples[MAX_CPUS];
	uint64_t lost[MAX_CPUS];
	uint32_t tid[MAX_CPUS];
	uint64_t bad;		/* record whose cpu, size or magic is off */
	uint64_t total;
	uint64_t raw_samples, raw_other;
};

static void pb_sample(void *ctx, int cpu, void *data, uint32_t size)
{
	struct pb_sink *s = ctx;
	struct prec r;

	s->total++;
	if (cpu < 0 || cpu >= MAX_CPUS || size != 20) {	/* 16 bytes, kernel-padded */
		s->bad++;
		return;
	}
	memcpy(&r, data, sizeof(r));
	if (r.cpu != (uint32_t)cpu || r.magic != 0x70657266)
		s->bad++;
	if (s->tid[cpu] && s->tid[cpu] != r.tid)
		s->bad++;
	s->tid[cpu] = r.tid;
	s->samples[cpu]++;
}

static void pb_lost(void *ctx, int cpu, uint64_t cnt)
{
	struct pb_sink *s = ctx;

	if (cpu >= 0 && cpu < MAX_CPUS)
		s->lost[cpu] += cnt;
}

struct pinned {
	int cpu;
	int triggers;
	uint32_t tid;
	int on_cpu;		/* sched_getcpu() matched before each trigger */
	int err;
};

static void *trigger_on_cpu(void *arg)
{
	struct pinned *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	p->tid = (uint32_t)syscall(SYS_gettid);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		p->err = errno;
		return NULL;
	}
	for (int i = 0; i < p->triggers; i++) {
		p->on_cpu += sched_getcpu() == p->cpu;
		syscall(SYS_getuid);
	}
	return NULL;
}

static int online_cpus(int *cpus, int max)
{
	int n = 0;

	for (int c = 0; c < CPU_SETSIZE && n < max; c++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", c);
		if (c == 0 || access(path, F_OK) == 0) {
			FILE *f = fopen(path, "r");
			int on = 1;

			if (f) {
				if (fscanf(f, "%d", &on) != 1)
					on = 0;
				fclose(f);
			}
			if (c >= lk_possible_cpus())
				break;
			if (on)
				cpus[n++] = c;
		}
	}
	return n;
}

static void test_perfbuf_per_cpu(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_perfbuf *pb;
	struct pb_sink *s = calloc(1, sizeof(*s));
	struct pinned thr[MAX_CPUS];
	pthread_t th[MAX_CPUS];
	int cpus[MAX_CPUS], ncpu, polls = 0;
	const int K = 50;
	uint32_t *pb_fail;

	TK_NEED_KERNEL();
	assert_non_null(s);
	ncpu = online_cpus(cpus, MAX_CPUS);
	assert_true(ncpu >= 1);
	obj = load_events(st);
	pb_fail = gvar(obj, "pb_fail", 4);
	assert_int_equal(bbpf_perfbuf_new(st->ctx, map_fd(obj, "pb"), 8, pb_sample, pb_lost, s, NULL,
					  &pb), 0);
	assert_int_equal(bbpf_perfbuf_buffer_cnt(pb), (size_t)ncpu);
	for (int i = 0; i < ncpu; i++) {
		assert_int_equal(bbpf_perfbuf_buffer_cpu(pb, (size_t)i), cpus[i]);
		assert_true(bbpf_perfbuf_buffer_fd(pb, (size_t)i) >= 0);
	}
	for (int i = 0; i < ncpu; i++) {
		thr[i] = (struct pinned){ .cpu = cpus[i], .triggers = K };
		assert_int_equal(pthread_create(&th[i], NULL, trigger_on_cpu, &thr[i]), 0);
	}
	for (int i = 0; i < ncpu; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(thr[i].err, 0);
		assert_int_equal(thr[i].on_cpu, K);
	}
	while (s->total < (uint64_t)(K * ncpu) && polls++ < 100)
		assert_true(bbpf_perfbuf_poll(pb, 100) >= 0);
	assert_int_equal(bbpf_perfbuf_consume(pb), 0);
	assert_int_equal(s->total, (uint64_t)(K * ncpu));
	assert_int_equal(s->bad, 0);
	for (int i = 0; i < ncpu; i++) {
		assert_int_equal(s->samples[cpus[i]], K);
		assert_int_equal(s->tid[cpus[i]], thr[i].tid);
		assert_int_equal(s->lost[cpus[i]], 0);
	}
	assert_int_equal(rd32(pb_fail), 0);
	print_message("    %d CPUs x %d samples, each on its CPU's ring\n", ncpu, K);
	bbpf_perfbuf_free(pb);
	free(s);
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	assert_int_equal(sched_setaffinity(0, sizeof(set), &set), 0);
}

static void unpin_self(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int c = 0; c < lk_possible_cpus() && c < CPU_SETSIZE; c++)
		CPU_SET(c, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void test_perfbuf_overflow(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_perfbuf *pb;
	struct pb_sink *s = calloc(1, sizeof(*s));
	uint32_t *burst, *pb_fail;
	int cpu;
	uint64_t fails;

	TK_NEED_KERNEL();
	assert_non_null(s);
	obj = load_events(st);
	burst = gvar(obj, "pb_burst", 4);
	pb_fail = gvar(obj, "pb_fail", 4);
	/* One data page: 4096 / 32-byte records = 128 at most. */
	assert_int_equal(bbpf_perfbuf_new(st->ctx, map_fd(obj, "pb"), 1, pb_sample, pb_lost, s, NULL,
					  &pb), 0);
	cpu = bbpf_perfbuf_buffer_cpu(pb, 0);
	pin_self(cpu);
	wr32(burst, 1000);
	syscall(SYS_getuid);	/* 1000 samples, nobody reading */
	wr32(burst, 1);
	fails = rd32(pb_fail);
	assert_int_equal(bbpf_perfbuf_consume(pb), 0);
	assert_int_equal(s->samples[cpu], 1000 - fails);
	assert_true(fails > 0);
	assert_int_equal(s->lost[cpu], 0);	/* reported with the next sample that fits */
	syscall(SYS_getuid);
	unpin_self();
	assert_int_equal(bbpf_perfbuf_consume(pb), 0);
	assert_int_equal(s->lost[cpu], fails);
	assert_int_equal(s->samples[cpu], 1000 - fails + 1);
	assert_int_equal(rd32(pb_fail), fails);
	assert_int_equal(s->bad, 0);
	print_message("    1000 samples into one page: %llu received, %llu reported lost\n",
		      (unsigned long long)(1000 - fails), (unsigned long long)s->lost[cpu]);
	bbpf_perfbuf_free(pb);
	free(s);
}

static enum bbpf_perf_event_ret raw_cb(void *ctx, int cpu, struct perf_event_header *e)
{
	struct pb_sink *s = ctx;

	(void)cpu;
	if (e->type == PERF_RECORD_SAMPLE && e->size == 8 + 4 + 20)
		s->raw_samples++;
	else
		s->raw_other++;
	return BBPF_PERF_EVENT_CONT;
}

static void test_perfbuf_raw(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_perfbuf *pb;
	struct pb_sink *s = calloc(1, sizeof(*s));
	struct perf_event_attr attr;
	int cpus[1], keys[1];
	struct bbpf_perfbuf_raw_opts ro = { .cpu_cnt = 1, .cpus = cpus, .map_keys = keys };

	TK_NEED_KERNEL();
	assert_non_null(s);
	online_cpus(cpus, 1);
	keys[0] = cpus[0];
	obj = load_events(st);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	assert_int_equal(bbpf_perfbuf_new_raw(st->ctx, map_fd(obj, "pb"), 2, &attr, raw_cb, s, &ro,
					      &pb), 0);
	assert_int_equal(bbpf_perfbuf_buffer_cnt(pb), 1);
	pin_self(cpus[0]);
	for (int i = 0; i < 10; i++)
		syscall(SYS_getuid);
	unpin_self();
	assert_int_equal(bbpf_perfbuf_poll(pb, 1000), 1);
	assert_int_equal(s->raw_samples, 10);
	assert_int_equal(s->raw_other, 0);
	bbpf_perfbuf_free(pb);
	free(s);
}

/* ---- nothing left ---- */

static int count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static int count_cb(void *ctx, void *data, size_t size)
{
	(void)data;
	(void)size;
	(*(int *)ctx)++;
	return 0;
}

static void test_nothing_left(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct pb_sink *s = calloc(1, sizeof(*s));
	int fds, maps, cnt = 0;

	TK_NEED_KERNEL();
	assert_non_null(s);
	obj = load_events(st);
	fds = count_fds();
	maps = count_maps();
	for (int round = 0; round < 20; round++) {
		struct bbpf_ringbuf *rb;
		struct bbpf_user_ringbuf *urb;
		struct bbpf_perfbuf *pb;
		void *p;

		assert_int_equal(bbpf_ringbuf_new(round & 1 ? NULL : st->ctx, map_fd(obj, "rb"),
						  count_cb, &cnt, &rb), 0);
		assert_int_equal(bbpf_ringbuf_add(rb, map_fd(obj, "rb2"), count_cb, &cnt), 0);
		syscall(SYS_getpid);
		assert_int_equal(bbpf_ringbuf_poll(rb, 100), PER_TRIGGER);
		bbpf_ringbuf_free(rb);
		assert_int_equal(bbpf_user_ringbuf_new(st->ctx, map_fd(obj, "urb"), &urb), 0);
		assert_int_equal(bbpf_user_ringbuf_reserve(urb, 16, &p), 0);
		assert_int_equal(bbpf_user_ringbuf_submit(urb, p), 0);
		bbpf_user_ringbuf_free(urb);
		assert_int_equal(bbpf_perfbuf_new(round & 1 ? NULL : st->ctx, map_fd(obj, "pb"), 1,
						  pb_sample, pb_lost, s, NULL, &pb), 0);
		syscall(SYS_getuid);
		assert_true(bbpf_perfbuf_poll(pb, 100) >= 1);
		bbpf_perfbuf_free(pb);
		/* Failures leave nothing either: a map of the wrong type for each. */
		assert_int_equal(bbpf_ringbuf_new(st->ctx, map_fd(obj, "pb"), count_cb, &cnt, &rb),
				 -EINVAL);
		assert_int_equal(bbpf_perfbuf_new(st->ctx, map_fd(obj, "rb"), 1, NULL, NULL, NULL,
						  NULL, &pb), -EINVAL);
		assert_int_equal(bbpf_user_ringbuf_new(st->ctx, map_fd(obj, "rb"), &urb), -EINVAL);
	}
	assert_int_equal(cnt, 20 * PER_TRIGGER);
	assert_int_equal(s->total, 20);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_maps(), maps);
	free(s);
}

/* ---- map event_pipe: barebpf and bpftool on the same trigger ---- */

/*
 * tool's event_pipe output (extra: "cpu C index C" or NULL) while this
 * thread triggers one getuid with pb_burst = burst, then, if burst > 1, one
 * more with burst 1 (the kernel reports the records lost in the first with
 * the next that fits). Timestamps and perf event ids zeroed.
 */
static char *event_pipe(const char *tool, bool json, const char *pin, uint32_t *calls,
			uint32_t *burst_var, uint32_t burst, const char *extra)
{
	char cpu_s[16] = "";
	char *argv[] = { (char *)tool, "map", "event_pipe", "pinned", (char *)pin,
			 NULL, NULL, NULL, NULL, NULL, NULL };
	uint32_t before = rd32(calls);
	struct bg_run b;
	char *out, *err, *p, *q;
	int status, n = 5;

	if (extra) {
		snprintf(cpu_s, sizeof(cpu_s), "%s", extra);
		argv[n++] = "cpu";
		argv[n++] = cpu_s;
		argv[n++] = "index";
		argv[n++] = cpu_s;
	}
	if (json)
		argv[n++] = "-j";	/* bpftool takes options after the command too */
	bg_start(&b, argv);
	bg_sleep_ms(700);	/* no readiness message: give it time to set the map */
	wr32(burst_var, burst);
	syscall(SYS_getuid);
	if (burst > 1) {
		wr32(burst_var, 1);
		bg_sleep_ms(300);
		syscall(SYS_getuid);
	}
	bg_sleep_ms(400);
	assert_int_equal(kill(b.pid, SIGINT), 0);
	status = bg_finish(&b, &out, &err);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fail_msg("%s: exit %d: %s", tool, WEXITSTATUS(status), err);
	assert_int_equal(rd32(calls) - before, burst > 1 ? 2 : 1);
	free(err);
	/* "timestamp":N, "id":N -> 0 (JSON); "== @S.NS CPU" -> "== @0 CPU" (text) */
	for (p = out, q = out; *p;) {
		const char *k = json ? (!strncmp(p, "\"id\":", 5) ? "\"id\":" : "\"timestamp\":")
				     : "== @";

		if (!strncmp(p, k, strlen(k))) {
			memmove(q, k, strlen(k));
			q += strlen(k);
			p += strlen(k);
			*q++ = '0';
			while ((*p >= '0' && *p <= '9') || *p == '.')
				p++;
		} else {
			*q++ = *p++;
		}
	}
	*q = 0;
	return out;
}

/* Both tools on the same pinned map; with lost, a burst that overflows their 16-page rings. */
static void cli_event_pipe(struct lk *st, bool lost, bool cpu_index)
{
	struct bbpf_object *obj;
	char pin[192], cpu_s[16];
	uint32_t *burst, *calls, *fails;
	int cpu = sched_getcpu();

	TK_NEED_KERNEL();
	assert_int_equal(access("/usr/sbin/bpftool", X_OK), 0);
	assert_true(cpu >= 0);
	obj = load_events(st);
	burst = gvar(obj, "pb_burst", 4);
	calls = gvar(obj, "pb_calls", 4);
	fails = gvar(obj, "pb_fail", 4);
	/* under the test's pin root: lk_teardown removes it also when an assert fails */
	snprintf(pin, sizeof(pin), "%s/evp_%d", st->root, (int)getpid());
	snprintf(cpu_s, sizeof(cpu_s), "%d", cpu);
	assert_int_equal(bbpf_map_pin(lk_map(obj, "pb"), pin), 0);
	pin_self(cpu);	/* the tools inherit it: they cannot drain the ring during the burst */
	for (int json = 0; json < 2; json++) {
		uint32_t f0 = rd32(fails), fa, fb;
		char *a = event_pipe(BBPF_BUILD_DIR "/barebpf", json, pin, calls, burst,
				     lost ? 2048 : 3, cpu_index ? cpu_s : NULL);
		char *b, want[96];

		fa = rd32(fails) - f0;
		b = event_pipe("/usr/sbin/bpftool", json, pin, calls, burst, lost ? 2048 : 3,
			       cpu_index ? cpu_s : NULL);
		fb = rd32(fails) - f0 - fa;
		snprintf(want, sizeof(want), json ? "\"cpu\":%d,\"index\":%d" :
			 "CPU: %d index: %d =====", cpu, cpu);
		assert_non_null(strstr(b, want));	/* bpftool saw the samples */
		if (lost) {
			/* 2048 40-byte records into 64 KiB: some lost, as many for both */
			assert_true(fa > 0);
			assert_int_equal(fa, fb);
			snprintf(want, sizeof(want), json ? "\"lost\":{\"id\":0,\"count\":%u}" :
				 "\nlost %u events\n", fa);
			assert_non_null(strstr(b, want));
			assert_non_null(strstr(a, want));
			print_message("    event_pipe: %u of 2048 lost, reported alike (%s)\n", fa,
				      json ? "json" : "text");
		} else {
			assert_int_equal(fa + fb, 0);
		}
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	unpin_self();
}

static void test_cli_event_pipe(void **state)
{
	cli_event_pipe(*state, false, false);
}

static void test_cli_event_pipe_cpu_index(void **state)
{
	cli_event_pipe(*state, false, true);
}

static void test_cli_event_pipe_lost(void **state)
{
	cli_event_pipe(*state, true, false);
}

static int evp_teardown(void **state)
{
	unpin_self();	/* an assert may have left this thread on one CPU */
	return lk_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ringbuf_sequence, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_ringbuf_two_rings, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_user_ringbuf, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_perfbuf_per_cpu, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_perfbuf_overflow, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_perfbuf_raw, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_cli_event_pipe, lk_setup, evp_teardown),
		cmocka_unit_test_setup_teardown(test_cli_event_pipe_cpu_index, lk_setup, evp_teardown),
		cmocka_unit_test_setup_teardown(test_cli_event_pipe_lost, lk_setup, evp_teardown),
		cmocka_unit_test_setup_teardown(test_nothing_left, lk_setup, lk_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
