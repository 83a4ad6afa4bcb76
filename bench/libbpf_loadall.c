// SPDX-License-Identifier: BSD-2-Clause
/*
 * A static libbpf loader for bench/objects.py: `libbpf_loadall prog loadall
 * OBJ DIR` does what `bpftool prog loadall OBJ DIR` does with libbpf (open
 * the object, load it, pin every program as DIR/<program name>), linked
 * -static against Debian's libbpf.a, libelf.a and libz.a (Makefile,
 * build/bench/libbpf_loadall). It is the "static libbpf loader"
 * reference: no dynamic loader, no shared-library relocation, only
 * libbpf's own work plus static glibc's start-up. Warnings go to stderr
 * as bpftool prints them; nothing else is printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>

static int print_warn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	int err;

	if (argc != 5 || strcmp(argv[1], "prog") || strcmp(argv[2], "loadall")) {
		fprintf(stderr, "usage: %s prog loadall OBJ DIR\n", argv[0]);
		return 2;
	}
	libbpf_set_print(print_warn);
	obj = bpf_object__open_file(argv[3], NULL);
	if (!obj) {
		fprintf(stderr, "Error: failed to open object file\n");
		return 255;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "Error: failed to load object file\n");
		goto out;
	}
	/* bpftool creates the pin directory if it is missing. */
	if (mkdir(argv[4], 0700) && errno != EEXIST) {
		err = -errno;
		goto out;
	}
	err = bpf_object__pin_programs(obj, argv[4]);
	if (err)
		fprintf(stderr, "Error: failed to pin all programs\n");
out:
	bpf_object__close(obj);
	return err ? 255 : 0;
}
