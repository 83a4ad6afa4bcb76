// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kprobe: attach kprobe.bpf.c's programs (section names say where) and
 * report the number of unlinks seen once a second; the per-call lines are
 * in the trace pipe. Ctrl-C or -t SECONDS ends it.
 *   kprobe [-t SECONDS]
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "kprobe.skel.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(int argc, char **argv)
{
	struct kprobe_bpf *skel;
	int i, seconds = -1, err;

	if (argc == 3 && !strcmp(argv[1], "-t"))
		seconds = atoi(argv[2]);
	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	skel = kprobe_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	err = kprobe_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton\n");
		goto cleanup;
	}
	printf("Successfully started! Please run `sudo cat /sys/kernel/debug/tracing/trace_pipe` "
	       "to see output of the BPF programs.\n");
	fflush(stdout);
	for (i = 0; !exiting && (seconds < 0 || i < seconds); i++) {
		sleep(1);
		printf("unlinks: %llu\n", skel->bss->unlinks);
		fflush(stdout);
	}
cleanup:
	kprobe_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
