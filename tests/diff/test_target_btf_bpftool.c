/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running kernel's BTF as barebpf loads it (kern/vmlinux.c): mapped
 * from /sys/kernel/btf/vmlinux and used in place, trusted, cached per
 * context, no name index unless asked; read instead when the mapping is
 * refused. Its type count is compared with bpftool's ("btf dump file").
 * A missing bpftool or /sys/kernel/btf/vmlinux is a failure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <barebpf/loader.h>
#include "ref_tools.h"
#include "tb_env.h"
#include "kern/kern.h"

/* bpftool's count of the types in /sys/kernel/btf/vmlinux; fails the test if it has none. */
static long bpftool_type_count(void)
{
	static long n = -1;
	const char *bpftool = ref_bpftool();
	char cmd[512];
	FILE *f;

	if (n >= 0)
		return n;
	if (!bpftool)
		fail_msg("bpftool (the reference) not found");
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		fail_msg("no /sys/kernel/btf/vmlinux on this machine (CONFIG_DEBUG_INFO_BTF)");
	snprintf(cmd, sizeof(cmd),
		 "%s btf dump file /sys/kernel/btf/vmlinux | grep -c '^\\['", bpftool);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	pclose(f);
	if (n <= 0)
		fail_msg("%s btf dump file /sys/kernel/btf/vmlinux listed no types", bpftool);
	return n;
}

static void test_real_mmap(void **state)
{
	long want = bpftool_type_count();
	struct tb_env *e = tb_env_new(true, NULL);
	struct bbpf_btf *btf, *again;
	uint32_t id;

	(void)state;
	assert_int_equal(bbpf_kernel_btf(e->ctx, &btf), 0);
	/* One mapping, still open: the records are used in place. */
	assert_int_equal(e->w.hook_calls[FS_HOOK_MMAP], 1);
	assert_int_equal(fs_wrap_open_maps(&e->w), 1);
	assert_int_equal(fs_wrap_open_fds(&e->w), 0);
	assert_ptr_equal(e->ctx->vmlinux_buf, e->w.maps[0].addr);
	assert_ptr_equal(btf->types, (const uint8_t *)e->w.maps[0].addr + 24);
	assert_int_equal(btf->type_cnt - 1, want);
	assert_null(btf->name_hash);
	/* Cached per context. */
	assert_int_equal(bbpf_kernel_btf(e->ctx, &again), 0);
	assert_ptr_equal(again, btf);
	assert_int_equal(e->w.hook_calls[FS_HOOK_MMAP], 1);
	/* Name lookups get the index. */
	assert_int_equal(bbpf_kernel_btf_indexed(e->ctx, &again), 0);
	assert_non_null(btf->name_hash);
	id = bbpf_btf_find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	assert_true(id > 0);
	assert_string_equal(bbpf_btf_name(btf, id), "task_struct");
	tb_env_free(e);	/* asserts the mapping is gone */
}

/* The kernel refusing the mapping: one read instead, same BTF. */
static void test_real_mmap_refused(void **state)
{
	long want = bpftool_type_count();
	struct tb_env *e = tb_env_new(true, NULL);
	struct bbpf_btf *btf;

	(void)state;
	fs_wrap_fail_hook(&e->w, FS_HOOK_MMAP, -1, 1, -ENODEV, true);
	assert_int_equal(bbpf_kernel_btf(e->ctx, &btf), 0);
	assert_int_equal(fs_wrap_open_maps(&e->w), 0);
	assert_int_equal(btf->type_cnt - 1, want);
	tb_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_mmap),
		cmocka_unit_test(test_real_mmap_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
