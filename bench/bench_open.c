/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open-phase benchmark driver: opens one object from memory N times with
 * barebpf or with libbpf (bpf_object__open_mem), closing each time, then
 * reports the heap in use while the last object is open. run.sh runs it
 * under callgrind with N and with 0 and divides the difference by N, so
 * reading the file and process start-up cancel out.
 *
 * Test-time only: links libbpf, which the library itself never does.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <barebpf/object.h>

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

int main(int argc, char **argv)
{
	size_t len, before, during = 0;
	long i, n;
	char *buf;
	FILE *f;

	if (argc != 4 || (strcmp(argv[1], "barebpf") && strcmp(argv[1], "libbpf"))) {
		fprintf(stderr, "usage: %s barebpf|libbpf OBJ N\n", argv[0]);
		return 2;
	}
	n = atol(argv[3]);
	f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (len = (size_t)ftell(f)) == 0 || fseek(f, 0, SEEK_SET)) {
		perror(argv[2]);
		return 1;
	}
	buf = malloc(len);
	if (!buf || fread(buf, 1, len, f) != len) {
		perror("read");
		return 1;
	}
	fclose(f);
	libbpf_set_print(silent);
	before = heap_in_use();
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], "barebpf")) {
			struct bbpf_open_opts o = { .object_name = "bench" };
			struct bbpf_object *obj;

			if (bbpf_object_open_mem(&obj, buf, len, &o, NULL)) {
				fprintf(stderr, "barebpf: open failed\n");
				return 1;
			}
			during = heap_in_use() - before;
			bbpf_object_close(obj);
		} else {
			LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = "bench");
			struct bpf_object *obj = bpf_object__open_mem(buf, len, &o);

			if (!obj) {
				fprintf(stderr, "libbpf: open failed\n");
				return 1;
			}
			during = heap_in_use() - before;
			bpf_object__close(obj);
		}
	}
	printf("heap_in_use_while_open %zu\n", during);
	free(buf);
	return 0;
}
