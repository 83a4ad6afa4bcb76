// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * usdt: a USDT probe in this binary (<sys/sdt.h>'s DTRACE_PROBE2), a BPF
 * handler attached to it through the libbpf API, the values it saw.
 *   usdt [-n TICKS]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/sdt.h>
#include <bpf/libbpf.h>
#include "usdt.skel.h"

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

__attribute__((noinline)) static void tick(int i)
{
	long sq = (long)i * i;

	DTRACE_PROBE2(barebpf_ex, tick, i, sq);
}

int main(int argc, char **argv)
{
	struct usdt_bpf *skel;
	int i, n = 3, err = 0;

	if (argc == 3 && argv[1][0] == '-' && argv[1][1] == 'n')
		n = atoi(argv[2]);
	libbpf_set_print(print_fn);
	skel = usdt_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	skel->links.handle_tick = bpf_program__attach_usdt(skel->progs.handle_tick, getpid(),
							   "/proc/self/exe", "barebpf_ex", "tick",
							   NULL);
	if (!skel->links.handle_tick) {
		err = -errno;
		fprintf(stderr, "Failed to attach USDT probe: %d\n", err);
		goto cleanup;
	}
	printf("Successfully started!\n");
	for (i = 1; i <= n; i++) {
		tick(i);
		printf("tick(%d): BPF saw i=%ld sq=%ld (hits %llu)\n", i, skel->bss->seen_i,
		       skel->bss->seen_sq, skel->bss->hits);
	}
cleanup:
	usdt_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
