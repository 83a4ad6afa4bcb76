/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running kernel's symbol sources: /proc/kallsyms lookups against
 * awk(1) on the same file (found, absent, ambiguous), and the vmlinux BTF
 * index. Needs root (kallsyms shows addresses only to root). A missing
 * /proc/kallsyms or vmlinux BTF is a failure; the parsing of crafted files
 * is in tests/unit/test_kallsyms.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "kernel_avail.h"
#include "logbuf.h"
#include "proc_run.h"

static struct bbpf_ctx *new_ctx(const struct bbpf_sys *sys, struct lb_log *lb)
{
	struct bbpf_ctx_opts opts = { .sys = sys, .log = lb_log_cb, .log_ctx = lb };
	struct bbpf_ctx *ctx = NULL;

	assert_int_equal(bbpf_ctx_new(&ctx, &opts), 0);
	return ctx;
}

/* The first address awk finds for name in the real file; false if absent. */
static bool awk_addr(const char *name, unsigned long long *v)
{
	char cmd[256], *out;
	bool found;

	snprintf(cmd, sizeof(cmd), "awk '$3 == \"%s\" { print $1; exit }' /proc/kallsyms", name);
	out = proc_capture(cmd);
	assert_non_null(out);
	found = *out;
	if (found)
		*v = strtoull(out, NULL, 16);
	free(out);
	return found;
}

static void test_real_kallsyms(void **state)
{
	const char *names[] = { "bpf_prog_put", "__x64_sys_bpf", "barebpf_no_such_symbol_x",
				"bpf_prog_put" };
	uint64_t addrs[4];
	bool found[4];
	struct lb_log lb = { "" };
	struct bbpf_ctx *ctx;
	unsigned long long want;
	size_t i;

	(void)state;
	TK_NEED_KERNEL();
	if (access("/proc/kallsyms", R_OK))
		fail_msg("no /proc/kallsyms on this machine (CONFIG_KALLSYMS)");
	ctx = new_ctx(NULL, &lb);
	assert_int_equal(bbpf_kallsyms_resolve(ctx, names, 4, addrs, found), 0);
	for (i = 0; i < 4; i++) {
		if (!awk_addr(names[i], &want)) {
			assert_false(found[i]);
			assert_int_equal(addrs[i], 0);
		} else if (!found[i] || addrs[i] != (uint64_t)want) {
			fail_msg("%s: found %d at 0x%llx, awk says 0x%llx", names[i], found[i],
				 (unsigned long long)addrs[i], want);
		}
	}
	assert_true(found[0] && found[1] && !found[2]);
	assert_int_equal(bbpf_kallsyms_resolve(ctx, names, 0, addrs, found), 0);
	bbpf_ctx_free(ctx);
}

/* The real file: each address gets the first name awk finds at it. */
static void test_real_names(void **state)
{
	static const char *const probe[] = { "__bpf_call_base", "bpf_map_lookup_elem", "_stext" };
	unsigned long long a;
	uint64_t addrs[3];
	const char *names[3];
	struct bbpf_arena arena;
	struct lb_log lb = { 0 };
	struct bbpf_ctx *ctx;
	size_t i, n = 0;
	char cmd[256], *out;

	(void)state;
	TK_NEED_KERNEL();	/* root: kallsyms shows addresses */
	for (i = 0; i < 3; i++)
		if (awk_addr(probe[i], &a) && a)
			addrs[n++] = a;
	assert_true(n > 0);
	ctx = new_ctx(&bbpf_sys_linux, &lb);
	bbpf_arena_init(&arena, &bbpf_alloc_libc, 1 << 20);
	assert_int_equal(bbpf_kallsyms_names(ctx, addrs, n, &arena, names), 0);
	for (i = 0; i < n; i++) {
		assert_non_null(names[i]);
		snprintf(cmd, sizeof(cmd), "awk '$1 == \"%016llx\" { print $3; exit }' /proc/kallsyms",
			 (unsigned long long)addrs[i]);
		out = proc_capture(cmd);
		assert_non_null(out);
		if (strncmp(out, names[i], strlen(names[i])) || out[strlen(names[i])] != '\n')
			fail_msg("0x%llx: barebpf '%s', awk's first '%s'", (unsigned long long)addrs[i],
				 names[i], out);
		free(out);
	}
	bbpf_arena_free(&arena);
	bbpf_ctx_free(ctx);
}

/* A name present twice at different addresses is ambiguous (libbpf 1.1's kallsyms_cb). */
static void test_real_ambiguous(void **state)
{
	struct lb_log lb = { "" };
	struct bbpf_ctx *ctx;
	const char *names[1];
	uint64_t addr;
	bool found;
	char *dup;

	(void)state;
	TK_NEED_KERNEL();
	dup = proc_capture("awk '{ if ($3 in a && a[$3] != $1) { print $3; exit } a[$3] = $1 }'"
			   " /proc/kallsyms 2>/dev/null");
	assert_non_null(dup);
	/* static functions of the same name in different files: every kernel has some */
	if (!*dup)
		fail_msg("awk found no name at two addresses in /proc/kallsyms");
	dup[strcspn(dup, "\n")] = 0;
	names[0] = dup;
	ctx = new_ctx(NULL, &lb);
	assert_int_equal(bbpf_kallsyms_resolve(ctx, names, 1, &addr, &found), -EINVAL);
	assert_non_null(strstr(lb.text, "is ambiguous"));
	assert_false(found);
	bbpf_ctx_free(ctx);
	free(dup);
}

/* vmlinux.c rides along: the other kernel-provided symbol source. */
/* vmlinux.c rides along: the other kernel-provided symbol source, indexed and cached. */
static void test_vmlinux_btf(void **state)
{
	struct lb_log lb = { "" };
	struct bbpf_ctx *ctx;
	struct bbpf_btf *btf = NULL, *again = NULL;

	(void)state;
	TK_NEED_KERNEL();
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		fail_msg("no /sys/kernel/btf/vmlinux on this machine (CONFIG_DEBUG_INFO_BTF)");
	ctx = new_ctx(NULL, &lb);
	assert_int_equal(bbpf_kernel_btf_indexed(ctx, &btf), 0);
	assert_non_null(btf);
	assert_true(btf->type_cnt > 1000);
	assert_int_not_equal(bbpf_btf_find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT), 0);
	assert_int_not_equal(bbpf_btf_find_by_name_kind(btf, "bpf_fentry_test1", BTF_KIND_FUNC), 0);
	assert_int_equal(bbpf_kernel_btf_indexed(ctx, &again), 0);
	assert_ptr_equal(btf, again);
	bbpf_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_kallsyms),
		cmocka_unit_test(test_real_names),
		cmocka_unit_test(test_real_ambiguous),
		cmocka_unit_test(test_vmlinux_btf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
