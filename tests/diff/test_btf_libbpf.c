/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's copy of an object's BTF (relo/btf_fixup.c) against libbpf
 * 1.1's: byte-for-byte equal to libbpf's BTF after bpf_object__open()
 * (libbpf.so.1 through dlopen), and to the BTF the kernel holds after
 * bpftool (libbpf 1.1) loaded the object. A missing libbpf.so.1 or bpftool
 * is a failure; the second test needs the running kernel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "kernel_avail.h"
#include "btf_fixup_util.h"
#include "proc_run.h"

struct libbpf_fns {
	void *h;
	void *(*open_file)(const char *path, const void *opts);
	void *(*btf)(const void *obj);
	const void *(*raw)(const void *btf, uint32_t *size);
	void (*close)(void *obj);
	void *(*set_print)(void *fn);
};

static int quiet(int level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool libbpf_load(struct libbpf_fns *l)
{
	l->h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		return false;
	*(void **)&l->open_file = dlsym(l->h, "bpf_object__open_file");
	*(void **)&l->btf = dlsym(l->h, "bpf_object__btf");
	*(void **)&l->raw = dlsym(l->h, "btf__raw_data");
	*(void **)&l->close = dlsym(l->h, "bpf_object__close");
	*(void **)&l->set_print = dlsym(l->h, "libbpf_set_print");
	if (!l->open_file || !l->btf || !l->raw || !l->close || !l->set_print) {
		dlclose(l->h);
		return false;
	}
	l->set_print((void *)quiet);
	return true;
}

static void test_same_as_libbpf_open(void **state)
{
	struct libbpf_fns l;
	size_t f;

	(void)state;
	if (!libbpf_load(&l)) {
		const char *why = dlerror();

		fail_msg("libbpf.so.1 (the reference) not loadable: %s",
			 why ? why : "a symbol is missing");
	}
	for (f = 0; f < BF_NFIX; f++) {
		char path[512];
		struct bbpf_object *obj = bf_open_fix(bf_fixture(f), false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		const void *ref;
		uint32_t ref_len = 0;
		bool same;
		void *lo;

		snprintf(path, sizeof(path), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, bf_fixture(f));
		lo = l.open_file(path, NULL);
		assert_non_null(lo);
		ref = l.raw(l.btf(lo), &ref_len);
		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		bf_fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		same = blob.len == ref_len && !memcmp(blob.data, ref, ref_len);
		l.close(lo);
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
		if (!same)
			fail_msg("%s: blob differs from libbpf's (%u bytes)", bf_fixture(f), ref_len);
	}
	dlclose(l.h);
}

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

/* The kernel's copy of the BTF a pinned program uses; malloc'ed, NULL on failure. */
static void *pinned_prog_btf(const char *path, uint32_t *len)
{
	struct bpf_prog_info pi;
	struct bpf_btf_info bi;
	union bpf_attr a;
	void *data = NULL;
	int pfd, bfd;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	pfd = (int)sys_bpf(BPF_OBJ_GET, &a);
	if (pfd < 0)
		return NULL;
	memset(&pi, 0, sizeof(pi));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)pfd;
	a.info.info_len = sizeof(pi);
	a.info.info = (uintptr_t)&pi;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) || !pi.btf_id)
		goto out;
	memset(&a, 0, sizeof(a));
	a.btf_id = pi.btf_id;
	bfd = (int)sys_bpf(BPF_BTF_GET_FD_BY_ID, &a);
	if (bfd < 0)
		goto out;
	data = calloc(1, 16 << 20);
	memset(&bi, 0, sizeof(bi));
	bi.btf = (uintptr_t)data;
	bi.btf_size = 16 << 20;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)bfd;
	a.info.info_len = sizeof(bi);
	a.info.info = (uintptr_t)&bi;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a)) {
		free(data);
		data = NULL;
	}
	*len = bi.btf_size;
	close(bfd);
out:
	close(pfd);
	return data;
}

static void test_same_as_bpftool_in_kernel(void **state)
{
	static const char *const names[] = { "globals", "maps_btf", "callbacks" };
	const char *tools[] = { "bpftool", "/usr/sbin/bpftool" };
	struct lb_log lb = { { 0 } };
	const char *bpftool;
	struct bbpf_ctx *ctx;
	size_t f;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	bpftool = proc_find_tool(tools, 2);
	if (!bpftool)
		fail_msg("bpftool (the reference) not found");
	/* A kernel with every BTF kind: neither libbpf nor barebpf sanitizes. */
	ctx = bf_new_ctx(NULL, NULL, &lb);
	assert_int_equal(bbpf_features_probe(ctx), 0);
	assert_true(ctx->feat.btf_enum64 && ctx->feat.btf_type_tag && ctx->feat.btf_decl_tag);
	for (f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		char dir[256], cmd[1024], prog[600];
		struct bbpf_object *obj = bf_open_fix(names[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		struct dirent *de;
		uint32_t len = 0;
		void *kbtf = NULL;
		DIR *d;
		char *out;

		snprintf(dir, sizeof(dir), "/sys/fs/bpf/bbpf_btfref_%d", (int)getpid());
		snprintf(cmd, sizeof(cmd), "%s prog loadall %s/%s.bpf.o %s 2>&1; echo rc=$?", bpftool,
			 BBPF_FIXTURE_DIR, names[f], dir);
		out = proc_capture(cmd);
		d = opendir(dir);
		while (d && (de = readdir(d)) && !kbtf) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(prog, sizeof(prog), "%s/%s", dir, de->d_name);
			kbtf = pinned_prog_btf(prog, &len);
		}
		if (d)
			closedir(d);
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		free(proc_capture(cmd));
		if (!kbtf)
			fail_msg("%s: bpftool loaded nothing with BTF: %s", names[f], out ? out : "");
		free(out);
		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		bf_fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		if (blob.len != len || memcmp(blob.data, kbtf, len))
			fail_msg("%s: blob (%u bytes) differs from the kernel's copy of libbpf's (%u)",
				 names[f], blob.len, len);
		free(kbtf);
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
	}
	bbpf_ctx_free(ctx);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_libbpf_open),
		cmocka_unit_test(test_same_as_bpftool_in_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
