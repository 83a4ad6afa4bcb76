// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bootstrap: print process exec and exit events until Ctrl-C (or -t SEC).
 *   bootstrap [-v] [-d MIN_DURATION_MS] [-t SECONDS]
 * Uses only the libbpf API and the generated skeleton; the .rodata knob
 * min_duration_ns is set between open and load.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "bootstrap.h"
#include "bootstrap.skel.h"

static volatile sig_atomic_t exiting;
static int verbose;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct event *e = data;
	char ts[16];
	time_t t = time(NULL);
	struct tm tm;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	localtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	if (e->exit_event) {
		printf("%-8s %-5s %-16s %-7d %-7d [%u]", ts, "EXIT", e->comm, e->pid, e->ppid,
		       e->exit_code);
		if (e->duration_ns)
			printf(" (%llums)", e->duration_ns / 1000000);
		printf("\n");
	} else {
		printf("%-8s %-5s %-16s %-7d %-7d %s\n", ts, "EXEC", e->comm, e->pid, e->ppid,
		       e->filename);
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long min_ms = 0;
	struct ring_buffer *rb = NULL;
	struct bootstrap_bpf *skel;
	long seconds = -1;
	time_t end = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "vd:t:")) != -1) {
		switch (opt) {
		case 'v': verbose = 1; break;
		case 'd': min_ms = strtoull(optarg, NULL, 10); break;
		case 't': seconds = strtol(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: %s [-v] [-d MIN_DURATION_MS] [-t SECONDS]\n", argv[0]);
			return 2;
		}
	}
	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = bootstrap_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton\n");
		return 1;
	}
	/* .rodata: writable until load, frozen after */
	skel->rodata->min_duration_ns = min_ms * 1000000ULL;
	err = bootstrap_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton\n");
		goto cleanup;
	}
	err = bootstrap_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton\n");
		goto cleanup;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer\n");
		goto cleanup;
	}
	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID", "PPID",
	       "FILENAME/EXIT CODE");
	fflush(stdout);
	if (seconds >= 0)
		end = time(NULL) + seconds;
	while (!exiting && (!end || time(NULL) < end)) {
		err = ring_buffer__poll(rb, 100 /* ms */);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "Error polling ring buffer: %d\n", err);
			break;
		}
		err = 0;
	}
cleanup:
	ring_buffer__free(rb);
	bootstrap_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
