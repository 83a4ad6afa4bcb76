// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * task_iter: attach the task iterator (the skeleton's attach makes the
 * iterator link), open an iterator instance with bpf_iter_create() and
 * copy what it prints to stdout.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "task_iter.skel.h"

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(void)
{
	struct task_iter_bpf *skel;
	int fd = -1, err = 0;
	char buf[4096];
	ssize_t n;

	libbpf_set_print(print_fn);
	skel = task_iter_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	err = task_iter_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton\n");
		goto cleanup;
	}
	fd = bpf_iter_create(bpf_link__fd(skel->links.dump_task));
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "Failed to create iterator: %d\n", err);
		goto cleanup;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	if (n < 0) {
		err = -errno;
		fprintf(stderr, "Failed to read the iterator: %d\n", err);
	}
	close(fd);
cleanup:
	task_iter_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
