/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running kernel's configuration, /proc/config.gz: barebpf's inflater
 * gives exactly what zcat(1) gives, and the .kconfig externs of
 * externs.bpf.o get this kernel's values from it. A kernel without
 * /proc/config.gz (CONFIG_IKCONFIG_PROC) fails these tests: the hand-written
 * texts and gzip streams are in tests/unit/test_kconfig.c and
 * test_inflate.c.
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
#include <barebpf/alloc.h>
#include <barebpf/object.h>
#include "base/inflate.h"
#include "kernel_avail.h"
#include "kconfig_env.h"
#include "proc_run.h"
#include "test_file.h"

#define CONFIG_GZ "/proc/config.gz"

/* This kernel's configuration text, inflated by barebpf into a; fails without it. */
static const char *config_text(struct bbpf_arena *a, size_t *len)
{
	uint32_t gz_len;
	uint8_t *gz = tf_read_file(CONFIG_GZ, &gz_len), *text;

	if (!gz)
		fail_msg("no " CONFIG_GZ " on this kernel (CONFIG_IKCONFIG_PROC)");
	bbpf_arena_init(a, &bbpf_alloc_libc, 256u << 20);
	assert_int_equal(bbpf_gunzip(gz, gz_len, a, 64u << 20, &text, len, NULL), 0);
	free(gz);
	return (const char *)text;
}

static void test_proc_config_gz(void **state)
{
	struct bbpf_arena a;
	const char *text;
	char *plain;
	size_t n;

	(void)state;
	TK_NEED_KERNEL();
	text = config_text(&a, &n);
	plain = proc_capture("zcat " CONFIG_GZ);
	assert_non_null(plain);
	assert_int_equal(n, strlen(plain));
	assert_memory_equal(text, plain, n);
	assert_non_null(strstr(text, "CONFIG_BPF=y"));
	bbpf_arena_free(&a);
	free(plain);
}

static void test_proc_config(void **state)
{
	struct ke_env *e = *state;
	struct bbpf_arena a;
	const char *text, *hz;
	size_t len;

	TK_NEED_KERNEL();
	text = config_text(&a, &len);
	e->log.text[0] = 0;
	assert_int_equal(bbpf_kconfig_fill(e->obj, text, len, ke_special(), e->buf, e->len, NULL),
			 0);
	/* bpf(2) works here (TK_NEED_KERNEL): the kernel has the syscall */
	assert_non_null(strstr(text, "\nCONFIG_BPF_SYSCALL=y\n"));
	assert_int_equal(*ke_val(e, "CONFIG_BPF_SYSCALL"), 1);
	if (strstr(text, "\nCONFIG_DEFAULT_HOSTNAME=\"(none)\"\n"))
		assert_string_equal((const char *)ke_val(e, "CONFIG_DEFAULT_HOSTNAME"), "(none)");
	hz = strstr(text, "\nCONFIG_HZ=");
	assert_non_null(hz);
	assert_int_equal(ke_val_int(e, "CONFIG_HZ"), strtol(hz + 11, NULL, 10));
	assert_true(ke_val_int(e, "CONFIG_HZ") >= 100);
	bbpf_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_config_gz),
		cmocka_unit_test_setup_teardown(test_proc_config, ke_setup, ke_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
