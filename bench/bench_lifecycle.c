/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whole-lifecycle benchmark on examples/minimal.bpf.c: open, load, attach,
 * one triggering write(), tear down — N times — with barebpf or with the
 * libbpf skeleton bpftool generates for the same object (minimal.skel.h, built
 * by the Makefile; the skeleton embeds the object bytes, and barebpf opens
 * those same bytes). run.sh measures user-space instructions with callgrind
 * and peak heap with massif. Test-time only: links libbpf.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <barebpf/loader.h>
#include "minimal.skel.h"

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int run_barebpf(const void *bytes, size_t len)
{
	struct bbpf_open_opts o = { .object_name = "minimal" };
	struct bbpf_object *obj;
	int *pid;
	int err;

	err = bbpf_object_open_mem(&obj, bytes, len, &o, NULL);
	if (err)
		return err;
	pid = bbpf_map_initial_value(bbpf_object_find_map(obj, ".bss"), NULL);
	*pid = getpid();	/* my_pid is the first .bss variable */
	err = bbpf_object_load(obj, NULL);
	err = err ?: bbpf_object_attach(obj);
	if (!err && write(STDERR_FILENO, "", 0) < 0)
		err = -1;
	bbpf_object_close(obj);
	return err;
}

static int run_libbpf(void)
{
	struct minimal *skel = minimal__open();
	int err;

	if (!skel)
		return -1;
	skel->bss->my_pid = getpid();
	err = minimal__load(skel);
	err = err ?: minimal__attach(skel);
	if (!err && write(STDERR_FILENO, "", 0) < 0)
		err = -1;
	minimal__destroy(skel);
	return err;
}

int main(int argc, char **argv)
{
	size_t len;
	const void *bytes = minimal__elf_bytes(&len);
	long i, n;

	if (argc != 3 || (strcmp(argv[1], "barebpf") && strcmp(argv[1], "libbpf"))) {
		fprintf(stderr, "usage: %s barebpf|libbpf N\n", argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	libbpf_set_print(silent);
	for (i = 0; i < n; i++) {
		int err = !strcmp(argv[1], "barebpf") ? run_barebpf(bytes, len) : run_libbpf();

		if (err) {
			fprintf(stderr, "%s: lifecycle failed: %d\n", argv[1], err);
			return 1;
		}
	}
	return 0;
}
