// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uprobe: attach an entry and a return probe to uprobed_add() in this very
 * binary, found by name in /proc/self/exe's symbol table, call it a few
 * times and print what the BPF side saw.
 *   uprobe [-n CALLS]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "uprobe.skel.h"

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* The probed function: kept out of line and in the symbol table. */
__attribute__((noinline)) int uprobed_add(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts);
	struct uprobe_bpf *skel;
	int i, n = 3, err = 0, r;

	if (argc == 3 && argv[1][0] == '-' && argv[1][1] == 'n')
		n = atoi(argv[2]);
	libbpf_set_print(print_fn);
	skel = uprobe_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	/* pid 0: this process only; the function by name, offset 0 */
	opts.func_name = "uprobed_add";
	opts.retprobe = false;
	skel->links.uprobe_add = bpf_program__attach_uprobe_opts(skel->progs.uprobe_add, 0,
								 "/proc/self/exe", 0, &opts);
	if (!skel->links.uprobe_add) {
		err = -errno;
		fprintf(stderr, "Failed to attach uprobe: %d\n", err);
		goto cleanup;
	}
	opts.retprobe = true;
	skel->links.uretprobe_add = bpf_program__attach_uprobe_opts(skel->progs.uretprobe_add, 0,
								    "/proc/self/exe", 0, &opts);
	if (!skel->links.uretprobe_add) {
		err = -errno;
		fprintf(stderr, "Failed to attach uretprobe: %d\n", err);
		goto cleanup;
	}
	printf("Successfully started!\n");
	for (i = 1; i <= n; i++) {
		r = uprobed_add(i, 10 * i);
		printf("uprobed_add(%d, %d) = %d; BPF saw a=%d b=%d ret=%d (entries %llu, returns %llu)\n",
		       i, 10 * i, r, skel->bss->seen_a, skel->bss->seen_b, skel->bss->seen_ret,
		       skel->bss->entries, skel->bss->returns);
	}
cleanup:
	uprobe_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
