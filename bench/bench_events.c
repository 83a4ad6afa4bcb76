/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Consumer benchmark: barebpf's ring buffer and perf buffer consumers
 * against libbpf's ring_buffer__ / perf_buffer__ on the same map and the
 * same producer. build/bpf/events_bench.bpf.o is loaded once (with
 * barebpf's loader, whichever consumer runs); each batch triggers its
 * raw_tp program with BPF_PROG_TEST_RUN (on this CPU: the process is pinned
 * to CPU 0) until N records are in the ring, then consumes them all with
 * poll(timeout 0) calls inside bench_consume(). The callback is the same
 * trivial one for both (sum a field, count).
 *
 *   bench_events IMPL KIND BATCHES N      IMPL barebpf|libbpf, KIND rb|pb
 *
 * Prints "records R consume_ns T drops D". Time is summed over
 * bench_consume() calls only (the producer's time is not the consumer's);
 * run.sh's callgrind pass counts instructions in bench_consume() alone
 * (--collect-atstart=no --toggle-collect=bench_consume).
 *
 * Test-time only: links libbpf, which the library itself never does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>
#include <barebpf/events.h>
#include <barebpf/loader.h>
#include <barebpf/object.h>

#define PERF_PAGES 1024	/* 4 MiB per CPU, as the ring buffer map */

struct sink {
	uint64_t n, sum;
};

static int rb_cb(void *ctx, void *data, size_t size)
{
	struct sink *s = ctx;

	(void)size;
	s->sum += *(const uint64_t *)data;
	s->n++;
	return 0;
}

static void pb_cb(void *ctx, int cpu, void *data, uint32_t size)
{
	struct sink *s = ctx;

	(void)cpu;
	(void)size;
	s->sum += *(const uint64_t *)data;
	s->n++;
}

static void pb_lost(void *ctx, int cpu, uint64_t cnt)
{
	(void)ctx;
	(void)cpu;
	fprintf(stderr, "lost %llu\n", (unsigned long long)cnt);
}

static void pb_lost_l(void *ctx, int cpu, __u64 cnt)
{
	pb_lost(ctx, cpu, cnt);
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

struct consumer {
	struct bbpf_ringbuf *brb;
	struct bbpf_perfbuf *bpb;
	struct ring_buffer *lrb;
	struct perf_buffer *lpb;
};

/* Consume until the sink has `want` records. The measured function. */
__attribute__((noinline)) void bench_consume(struct consumer *c, struct sink *s, uint64_t want)
{
	while (s->n < want) {
		int r;

		if (c->brb)
			r = bbpf_ringbuf_poll(c->brb, 0);
		else if (c->bpb)
			r = bbpf_perfbuf_poll(c->bpb, 0);
		else if (c->lrb)
			r = ring_buffer__poll(c->lrb, 0);
		else
			r = perf_buffer__poll(c->lpb, 0);
		if (r < 0) {
			fprintf(stderr, "poll: %d\n", r);
			exit(1);
		}
	}
}

static int test_run(int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	return (int)syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, sizeof(attr));
}

static uint64_t ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *obj_path = getenv("BENCH_EVENTS_OBJ") ? getenv("BENCH_EVENTS_OBJ") :
			       "build/bpf/events_bench.bpf.o";
	struct bbpf_open_opts oo = { .object_name = "events_bench" };
	struct consumer c = { 0 };
	struct sink s = { 0 };
	struct bbpf_object *obj;
	struct bbpf_map *data;
	uint32_t *n_records;
	uint64_t *drops, batches, n, t, total_ns = 0, dropped;
	size_t off, size;
	cpu_set_t set;
	bool libbpf, rb;
	int prog_fd, map_fd, err;

	if (argc != 5) {
		fprintf(stderr, "usage: %s barebpf|libbpf rb|pb BATCHES N\n", argv[0]);
		return 2;
	}
	libbpf = !strcmp(argv[1], "libbpf");
	rb = !strcmp(argv[2], "rb");
	batches = strtoull(argv[3], NULL, 0);
	n = strtoull(argv[4], NULL, 0);
	libbpf_set_print(silent);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");

	err = bbpf_object_open_file(&obj, obj_path, &oo, NULL);
	if (!err)
		err = bbpf_object_load(obj, NULL);
	if (err) {
		fprintf(stderr, "load %s: %d\n", obj_path, err);
		return 1;
	}
	prog_fd = bbpf_program_fd(bbpf_object_find_program(obj, rb ? "emit_rb" : "emit_pb"));
	map_fd = bbpf_map_fd(bbpf_object_find_map(obj, rb ? "rb" : "pb"));
	if (bbpf_object_find_global(obj, "n_records", &data, &off, &size))
		return 1;
	n_records = (uint32_t *)((char *)bbpf_map_mmaped(data, NULL) + off);
	if (bbpf_object_find_global(obj, "drops", &data, &off, &size))
		return 1;
	drops = (uint64_t *)((char *)bbpf_map_mmaped(data, NULL) + off);

	if (libbpf && rb)
		c.lrb = ring_buffer__new(map_fd, rb_cb, &s, NULL);
	else if (libbpf)
		c.lpb = perf_buffer__new(map_fd, PERF_PAGES, pb_cb, pb_lost_l, &s, NULL);
	else if (rb)
		err = bbpf_ringbuf_new(NULL, map_fd, rb_cb, &s, &c.brb);
	else
		err = bbpf_perfbuf_new(NULL, map_fd, PERF_PAGES, pb_cb, pb_lost, &s, NULL, &c.bpb);
	if (err || (libbpf && !c.lrb && !c.lpb)) {
		fprintf(stderr, "consumer: %d\n", err);
		return 1;
	}

	for (uint64_t b = 0; b < batches; b++) {
		uint64_t left = n;

		while (left) {
			uint32_t k = left > 1000 ? 1000 : (uint32_t)left;

			*n_records = k;
			if (test_run(prog_fd)) {
				perror("BPF_PROG_TEST_RUN");
				return 1;
			}
			left -= k;
		}
		t = ns();
		bench_consume(&c, &s, (b + 1) * n);
		total_ns += ns() - t;
	}
	dropped = *drops;
	printf("records %llu consume_ns %llu drops %llu sum %llu\n", (unsigned long long)s.n,
	       (unsigned long long)total_ns, (unsigned long long)dropped,
	       (unsigned long long)s.sum);
	ring_buffer__free(c.lrb);
	perf_buffer__free(c.lpb);
	bbpf_ringbuf_free(c.brb);
	bbpf_perfbuf_free(c.bpb);
	bbpf_object_close(obj);
	return s.n == batches * n && !dropped ? 0 : 1;
}
