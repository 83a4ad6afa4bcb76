/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CO-RE benchmark driver: N times, open a CO-RE object from its file and
 * load it into the kernel, then close it, with barebpf (a fresh context
 * each time, so the kernel's BTF is found, mapped and parsed each time, as
 * libbpf does) or with libbpf (bpf_object__open_file + bpf_object__load).
 * run.sh runs it under callgrind with N and with 0 and divides the
 * difference by N (user-space instructions: the kernel's verifier work is
 * not counted by callgrind), and under massif for the peak heap; natively
 * it prints VmHWM (peak RSS) at exit.
 *
 * barebpf modes: "user" (CO-RE in user space against the mapped vmlinux
 * BTF) and "kernel" (CO-RE records handed to BPF_PROG_LOAD, no vmlinux BTF
 * parsed in user space).
 *
 * Test-time only: links libbpf, which the library itself never does.
 * Built with -DBENCH_BAREBPF_ONLY (run.sh does, statically with musl) it
 * has the barebpf side only, to measure VmHWM without glibc and libbpf in
 * the process.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef BENCH_BAREBPF_ONLY
#include <bpf/libbpf.h>
#endif
#include <barebpf/loader.h>
#include <barebpf/object.h>

#ifndef BENCH_BAREBPF_ONLY
static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}
#endif

static void vm_hwm(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			fputs(line, stdout);
	if (f)
		fclose(f);
}

static int run_barebpf(const char *path, enum bbpf_core_mode mode)
{
	struct bbpf_open_opts oo = { .object_name = "bench" };
	struct bbpf_load_opts lo = { .core_mode = mode };
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	int err;

	err = bbpf_ctx_new(&ctx, NULL);
	if (err)
		return err;
	err = bbpf_object_open_file(&obj, path, &oo, NULL);
	if (!err) {
		lo.ctx = ctx;
		err = bbpf_object_load(obj, &lo);
		bbpf_object_close(obj);
	}
	bbpf_ctx_free(ctx);
	return err;
}

static int run_libbpf(const char *path)
{
#ifndef BENCH_BAREBPF_ONLY
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	int err;

	if (!obj)
		return -1;
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
#else
	(void)path;
	fprintf(stderr, "built without libbpf (BENCH_BAREBPF_ONLY)\n");
	return -1;
#endif
}

int main(int argc, char **argv)
{
	long i, n;
	int err = 0;

	if (argc != 5 || (strcmp(argv[1], "barebpf") && strcmp(argv[1], "libbpf")) ||
	    (strcmp(argv[3], "user") && strcmp(argv[3], "kernel"))) {
		fprintf(stderr, "usage: %s barebpf|libbpf OBJ user|kernel N\n", argv[0]);
		return 2;
	}
	n = atol(argv[4]);
#ifndef BENCH_BAREBPF_ONLY
	libbpf_set_print(silent);
#endif
	for (i = 0; i < n && !err; i++) {
		if (!strcmp(argv[1], "barebpf"))
			err = run_barebpf(argv[2], strcmp(argv[3], "user") ? BBPF_CORE_KERNEL :
									     BBPF_CORE_USER);
		else
			err = run_libbpf(argv[2]);
	}
	if (err) {
		fprintf(stderr, "%s: load failed: %d\n", argv[1], err);
		return 1;
	}
	vm_hwm();
	return 0;
}
