/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * .kconfig extern values: number parsing, kernel versions, and the values
 * written for externs.bpf.o's externs from hand-written config texts. From
 * the running kernel's /proc/config.gz: tests/kernel/test_kconfig_kernel.c.
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
#include <barebpf/object.h>
#include "obj/object_int.h"
#include "base/inflate.h"
#include "obj/kconfig.h"
#include "kern/kern.h"
#include "fake_sys.h"
#include "kconfig_env.h"


static int fill(struct ke_env *e, const char *text)
{
	e->log.text[0] = 0;
	memset(&e->diag, 0, sizeof(e->diag));
	memset(e->buf, 0xaa, e->len);
	return bbpf_kconfig_fill(e->obj, text, text ? strlen(text) : 0, ke_special(), e->buf, e->len,
				 &e->diag);
}

static uint32_t val_u32(struct ke_env *e, const char *name)
{
	uint32_t v;

	memcpy(&v, ke_val(e, name), 4);
	return v;
}

static uint32_t ext_idx(struct ke_env *e, const char *name)
{
	uint32_t i;

	for (i = 0; i < e->obj->extern_cnt; i++)
		if (!strcmp(e->obj->externs[i].name, name))
			return i;
	fail_msg("no extern %s", name);
	return 0;
}

#define GOOD_BASE \
	"# comment line\n" \
	"CONFIG_HZ=1000\n" \
	"CONFIG_BPF_SYSCALL=y\n" \
	"CONFIG_BPF_LSM=m\n" \
	"CONFIG_UNRELATED=whatever\n" \
	"\n" \
	"CONFIG_DEFAULT_HOSTNAME=\"(none)\"\n"

static void test_parse_u64(void **state)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 0 }, { "123", 0, 123 }, { "0x1f", 0, 0x1f }, { "0X1F", 0, 0x1f },
		{ "017", 0, 15 }, { "-5", 0, (uint64_t)-5 }, { "+7", 0, 7 }, { " \t12", 0, 12 },
		{ "-0x10", 0, (uint64_t)-16 }, { "18446744073709551615", 0, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 }, { "0x10000000000000000", -ERANGE, 0 },
		{ "", -EINVAL, 0 }, { "-", -EINVAL, 0 }, { "0x", -EINVAL, 0 }, { "08", -EINVAL, 0 },
		{ "12a", -EINVAL, 0 }, { "12 ", -EINVAL, 0 }, { "abc", -EINVAL, 0 },
		{ "1.5", -EINVAL, 0 }, { "0xg", -EINVAL, 0 }, { "--1", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 42;
		int err = bbpf_kconfig_parse_u64(cases[i].s, strlen(cases[i].s), &v);

		if (err != cases[i].err || (!err && v != cases[i].v))
			fail_msg("'%s': %d 0x%llx", cases[i].s, err, (unsigned long long)v);
	}
	/* The length bounds the number; no NUL needed. */
	{
		uint64_t v;

		assert_int_equal(bbpf_kconfig_parse_u64("1234", 2, &v), 0);
		assert_int_equal(v, 12);
	}
}

static void test_kernel_version(void **state)
{
	(void)state;
	assert_int_equal(bbpf_kernel_version("6.18.44-fc-v657"), (6u << 16) + (18u << 8) + 44);
	assert_int_equal(bbpf_kernel_version("5.4.300"), (5u << 16) + (4u << 8) + 255);
	assert_int_equal(bbpf_kernel_version("6.1.0"), (6u << 16) + (1u << 8));
	assert_int_equal(bbpf_kernel_version("4.19.255+"), (4u << 16) + (19u << 8) + 255);
	assert_int_equal(bbpf_kernel_version("6.1"), 0);
	assert_int_equal(bbpf_kernel_version("6.1-rc1"), 0);
	assert_int_equal(bbpf_kernel_version(""), 0);
	assert_int_equal(bbpf_kernel_version("abc"), 0);
	assert_int_equal(bbpf_kernel_version(NULL), 0);
	assert_int_equal(bbpf_kernel_version("99999999999.1.1"), 0);
}

static void test_fill_good(void **state)
{
	struct ke_env *e = *state;
	const uint8_t *h;

	assert_true(bbpf_kconfig_needs_text(e->obj));
	assert_int_equal(fill(e, GOOD_BASE), 0);
	assert_int_equal(ke_val_int(e, "CONFIG_HZ"), 1000);
	assert_int_equal(*ke_val(e, "CONFIG_BPF_SYSCALL"), 1);
	assert_int_equal(val_u32(e, "CONFIG_BPF_LSM"), 2);	/* TRI_MODULE */
	h = ke_val(e, "CONFIG_DEFAULT_HOSTNAME");
	assert_string_equal((const char *)h, "(none)");
	assert_int_equal(val_u32(e, "LINUX_KERNEL_VERSION"), (6u << 16) + (18u << 8) + 44);
	assert_int_equal(*ke_val(e, "LINUX_HAS_SYSCALL_WRAPPER"), 1);
	/* Weak and missing: zero. */
	assert_int_equal(ke_val_int(e, "CONFIG_BAREBPF_NOT_A_REAL_OPTION"), 0);
	assert_non_null(strstr(e->log.text, "CONFIG_BAREBPF_NOT_A_REAL_OPTION"));

	/* y/n for tristate, hex and negative numbers, first line wins. */
	assert_int_equal(fill(e, "CONFIG_HZ=0x1f\nCONFIG_HZ=5\nCONFIG_BPF_SYSCALL=n\n"
				 "CONFIG_BPF_LSM=y\nCONFIG_DEFAULT_HOSTNAME=\"\"\n"
				 "CONFIG_BAREBPF_NOT_A_REAL_OPTION=-5"), 0);
	assert_int_equal(ke_val_int(e, "CONFIG_HZ"), 0x1f);
	assert_int_equal(*ke_val(e, "CONFIG_BPF_SYSCALL"), 0);
	assert_int_equal(val_u32(e, "CONFIG_BPF_LSM"), 1);	/* TRI_YES */
	assert_int_equal(*ke_val(e, "CONFIG_DEFAULT_HOSTNAME"), 0);
	assert_int_equal(ke_val_int(e, "CONFIG_BAREBPF_NOT_A_REAL_OPTION"), -5);

	assert_int_equal(fill(e, "CONFIG_HZ=-2147483648\nCONFIG_BPF_SYSCALL=y\n"
				 "CONFIG_BPF_LSM=n\nCONFIG_DEFAULT_HOSTNAME=\"x\"\n"), 0);
	assert_int_equal(ke_val_int(e, "CONFIG_HZ"), INT32_MIN);
	assert_int_equal(val_u32(e, "CONFIG_BPF_LSM"), 0);	/* TRI_NO */
}

static void test_fill_not_set(void **state)
{
	struct ke_env *e = *state;

	assert_int_equal(fill(e, "CONFIG_HZ=100\n# CONFIG_BPF_SYSCALL is not set\n"
				 "# CONFIG_BPF_LSM is not set\nCONFIG_BPF_LSM=y\n"
				 "CONFIG_DEFAULT_HOSTNAME=\"h\"\n"), 0);
	assert_int_equal(*ke_val(e, "CONFIG_BPF_SYSCALL"), 0);
	assert_int_equal(val_u32(e, "CONFIG_BPF_LSM"), 0);	/* the first line wins */
	/* Not set for an int extern: ignored, as libbpf does, so a strong one is missing. */
	assert_int_equal(fill(e, "# CONFIG_HZ is not set\nCONFIG_BPF_SYSCALL=y\n"
				 "CONFIG_BPF_LSM=y\nCONFIG_DEFAULT_HOSTNAME=\"h\"\n"), -ESRCH);
	assert_non_null(strstr(e->log.text, "'CONFIG_HZ' (strong): not resolved"));
}

static void test_fill_truncated_string(void **state)
{
	struct ke_env *e = *state;

	assert_int_equal(fill(e, "CONFIG_HZ=1\nCONFIG_BPF_SYSCALL=y\nCONFIG_BPF_LSM=y\n"
				 "CONFIG_DEFAULT_HOSTNAME=\"0123456789abcdefghij\"\n"), 0);
	assert_string_equal((const char *)ke_val(e, "CONFIG_DEFAULT_HOSTNAME"), "0123456789abcde");
	assert_non_null(strstr(e->log.text, "'CONFIG_DEFAULT_HOSTNAME': long string"));
	assert_non_null(strstr(e->log.text, "truncated to 15 bytes"));
}

static void test_fill_bad_values(void **state)
{
	static const struct {
		const char *line;
		const char *ext;
		const char *msg;
	} cases[] = {
		{ "CONFIG_BPF_SYSCALL=m", "CONFIG_BPF_SYSCALL", "implies tristate or char type" },
		{ "CONFIG_BPF_SYSCALL=1", "CONFIG_BPF_SYSCALL", "implies integer type" },
		{ "CONFIG_BPF_SYSCALL=\"y\"", "CONFIG_BPF_SYSCALL", "implies char array type" },
		{ "CONFIG_HZ=y", "CONFIG_HZ", "implies bool, tristate, or char type" },
		{ "CONFIG_HZ=abc", "CONFIG_HZ", "isn't a valid integer" },
		{ "CONFIG_HZ=1000\r", "CONFIG_HZ", "isn't a valid integer" },
		{ "CONFIG_HZ=0x100000000", "CONFIG_HZ", "doesn't fit in 4 bytes" },
		{ "CONFIG_HZ=2147483648", "CONFIG_HZ", "doesn't fit in 4 bytes" },
		{ "CONFIG_HZ=-2147483649", "CONFIG_HZ", "doesn't fit in 4 bytes" },
		{ "CONFIG_HZ=99999999999999999999", "CONFIG_HZ", "isn't a valid integer" },
		{ "CONFIG_BPF_LSM=5", "CONFIG_BPF_LSM", "implies integer type" },
		{ "CONFIG_DEFAULT_HOSTNAME=abc", "CONFIG_DEFAULT_HOSTNAME", "isn't a valid integer" },
		{ "CONFIG_DEFAULT_HOSTNAME=\"abc", "CONFIG_DEFAULT_HOSTNAME", "invalid string config" },
		{ "CONFIG_DEFAULT_HOSTNAME=\"", "CONFIG_DEFAULT_HOSTNAME", "invalid string config" },
		{ "CONFIG_DEFAULT_HOSTNAME=y", "CONFIG_DEFAULT_HOSTNAME",
		  "implies bool, tristate, or char type" },
	};
	struct ke_env *e = *state;
	char text[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err;

		snprintf(text, sizeof(text), "CONFIG_UNRELATED=1\n%s\n" GOOD_BASE, cases[i].line);
		err = fill(e, text);
		if (err != -EINVAL || !strstr(e->log.text, cases[i].ext) ||
		    !strstr(e->log.text, cases[i].msg))
			fail_msg("'%s': %d, log:\n%s", cases[i].line, err, e->log.text);
		assert_int_equal(e->diag.why, BBPF_BAD_KCONFIG);
		assert_int_equal(e->diag.idx, ext_idx(e, cases[i].ext));
		assert_int_equal(e->diag.off, strlen("CONFIG_UNRELATED=1\n"));
	}
}

static void test_fill_bad_lines(void **state)
{
	struct ke_env *e = *state;

	/* Malformed CONFIG_ lines fail even for options no extern uses (libbpf). */
	assert_int_equal(fill(e, "CONFIG_FOO\n" GOOD_BASE), -EINVAL);
	assert_non_null(strstr(e->log.text, "no separator"));
	assert_int_equal(fill(e, GOOD_BASE "CONFIG_FOO=\n"), -EINVAL);
	assert_non_null(strstr(e->log.text, "no value"));
	assert_int_equal(e->diag.off, strlen(GOOD_BASE));
	/* Other lines are ignored; so is everything after a NUL (a C string, as in libbpf). */
	assert_int_equal(fill(e, "garbage line\n  CONFIG_X\n#\n" GOOD_BASE), 0);
	{
		static const char nul_text[] = GOOD_BASE "\0CONFIG_FOO\n";

		e->log.text[0] = 0;
		assert_int_equal(bbpf_kconfig_fill(e->obj, nul_text, sizeof(nul_text) - 1,
						   ke_special(), e->buf, e->len, NULL), 0);
	}
	/* No final newline. */
	assert_int_equal(fill(e, "CONFIG_BPF_SYSCALL=y\nCONFIG_BPF_LSM=y\n"
				 "CONFIG_DEFAULT_HOSTNAME=\"h\"\nCONFIG_HZ=300"), 0);
	assert_int_equal(ke_val_int(e, "CONFIG_HZ"), 300);
}

static void test_fill_missing(void **state)
{
	struct ke_env *e = *state;

	assert_int_equal(fill(e, "CONFIG_HZ=100\nCONFIG_BPF_SYSCALL=y\nCONFIG_BPF_LSM=y\n"), -ESRCH);
	assert_non_null(strstr(e->log.text, "extern 'CONFIG_DEFAULT_HOSTNAME' (strong): not resolved"));
	assert_int_equal(e->diag.idx, ext_idx(e, "CONFIG_DEFAULT_HOSTNAME"));
	assert_int_equal(fill(e, NULL), -ESRCH);
	assert_int_equal(fill(e, ""), -ESRCH);
}

static void test_fill_special(void **state)
{
	struct ke_env *e = *state;
	struct bbpf_kconfig_special sp = { .release = "6.1" };

	memset(&e->diag, 0, sizeof(e->diag));
	e->log.text[0] = 0;
	assert_int_equal(bbpf_kconfig_fill(e->obj, GOOD_BASE, strlen(GOOD_BASE), &sp, e->buf, e->len,
					   &e->diag), -EINVAL);
	assert_non_null(strstr(e->log.text, "'LINUX_KERNEL_VERSION': failed to get kernel version"));
	assert_int_equal(e->diag.idx, ext_idx(e, "LINUX_KERNEL_VERSION"));
	assert_int_equal(bbpf_kconfig_fill(e->obj, GOOD_BASE, strlen(GOOD_BASE), NULL, e->buf,
					   e->len, NULL), -EINVAL);
	sp.release = "5.15.0-91-generic";
	assert_int_equal(bbpf_kconfig_fill(e->obj, GOOD_BASE, strlen(GOOD_BASE), &sp, e->buf, e->len,
					   NULL), 0);
	assert_int_equal(val_u32(e, "LINUX_KERNEL_VERSION"), (5u << 16) + (15u << 8));
	assert_int_equal(*ke_val(e, "LINUX_HAS_SYSCALL_WRAPPER"), 0);
	/* An extern outside the buffer: the caller passed the wrong map. */
	assert_int_equal(bbpf_kconfig_fill(e->obj, GOOD_BASE, strlen(GOOD_BASE), ke_special(), e->buf,
					   2, NULL), -EBADMSG);
}

/* Steps one by one: a caller text first, the system config for what it lacks (libbpf). */
static void test_two_sources(void **state)
{
	struct ke_env *e = *state;
	bool *set = calloc(e->obj->extern_cnt, sizeof(*set));
	const char *first = "CONFIG_HZ=123\n";

	assert_non_null(set);
	assert_int_equal(bbpf_kconfig_apply_special(e->obj, ke_special(), e->buf, e->len, set, NULL), 0);
	assert_int_equal(bbpf_kconfig_apply_text(e->obj, first, strlen(first), e->buf, e->len, set,
						 NULL), 0);
	assert_true(bbpf_kconfig_any_unset(e->obj, set));
	assert_int_equal(bbpf_kconfig_apply_text(e->obj, GOOD_BASE, strlen(GOOD_BASE), e->buf, e->len,
						 set, NULL), 0);
	assert_true(bbpf_kconfig_any_unset(e->obj, set));	/* the weak one */
	assert_int_equal(bbpf_kconfig_check(e->obj, e->buf, e->len, set, NULL), 0);
	assert_int_equal(ke_val_int(e, "CONFIG_HZ"), 123);
	assert_int_equal(val_u32(e, "CONFIG_BPF_LSM"), 2);
	free(set);
}

/* ---- where the text comes from (kconfig_src.c) ---- */

static const char plain_cfg[] = "CONFIG_HZ=300\n";
/* gzip -n of "CONFIG_HZ=100\n" */
static const uint8_t gz_cfg[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
				  0x73, 0xf6, 0xf7, 0x73, 0xf3, 0x74, 0x8f, 0xf7, 0x88, 0xb2,
				  0x35, 0x34, 0x30, 0xe0, 0x02, 0x00, 0xfe, 0x32, 0x44, 0x15,
				  0x0e, 0x00, 0x00, 0x00 };

struct src_env {
	struct fs_script s;
	struct bbpf_sys sys;
	struct lb_log log;
	struct bbpf_ctx *ctx;
	struct bbpf_arena arena;
};

static struct src_env *src_new(const char *kconfig)
{
	struct src_env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts opts = { .log = lb_log_cb, .kconfig = kconfig };

	assert_non_null(e);
	e->sys = fs_script_init(&e->s);
	opts.sys = &e->sys;
	opts.log_ctx = &e->log;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &opts), 0);
	bbpf_arena_init(&e->arena, &bbpf_alloc_libc, 64u << 20);
	return e;
}

static void src_free(struct src_env *e)
{
	assert_int_equal(fs_script_open_fds(&e->s), 0);
	bbpf_arena_free(&e->arena);
	bbpf_ctx_free(e->ctx);
	fs_script_fini(&e->s);
	free(e);
}

static void test_text_sources(void **state)
{
	struct src_env *e;
	const char *text;
	size_t len;

	(void)state;
	/* The caller's text wins; no file is opened. */
	e = src_new("CONFIG_HZ=1\n");
	fs_script_add_file(&e->s, "/proc/config.gz", (const char *)gz_cfg, sizeof(gz_cfg));
	assert_int_equal(bbpf_kconfig_text(e->ctx, &e->arena, &text, &len), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(text, "CONFIG_HZ=1\n", 12);
	assert_int_equal(e->s.hook_calls[FS_HOOK_OPEN], 0);
	src_free(e);

	/* /proc/config.gz, inflated, before /boot. */
	e = src_new(NULL);
	fs_script_add_file(&e->s, "/proc/config.gz", (const char *)gz_cfg, sizeof(gz_cfg));
	fs_script_add_file(&e->s, "/boot/config-6.18.0", plain_cfg, strlen(plain_cfg));
	assert_int_equal(bbpf_kconfig_text(e->ctx, &e->arena, &text, &len), 0);
	assert_int_equal(len, 14);
	assert_memory_equal(text, "CONFIG_HZ=100\n", 14);
	src_free(e);

	/* No /proc/config.gz: /boot/config-$(uname -r), plain or gzipped. */
	e = src_new(NULL);
	strcpy(e->s.release, "6.18.44-fc-v657");
	fs_script_add_file(&e->s, "/boot/config-6.18.44-fc-v657", plain_cfg, strlen(plain_cfg));
	assert_int_equal(bbpf_kconfig_text(e->ctx, &e->arena, &text, &len), 0);
	assert_int_equal(len, strlen(plain_cfg));
	assert_memory_equal(text, plain_cfg, len);
	src_free(e);
	e = src_new(NULL);
	fs_script_add_file(&e->s, "/boot/config-6.18.0", (const char *)gz_cfg, sizeof(gz_cfg));
	assert_int_equal(bbpf_kconfig_text(e->ctx, &e->arena, &text, &len), 0);
	assert_memory_equal(text, "CONFIG_HZ=100\n", 14);
	src_free(e);

	/* A corrupt /proc/config.gz: said, then /boot. */
	{
		static uint8_t bad[sizeof(gz_cfg)];

		memcpy(bad, gz_cfg, sizeof(bad));
		bad[sizeof(bad) - 6] ^= 1;	/* CRC */
		e = src_new(NULL);
		fs_script_add_file(&e->s, "/proc/config.gz", (const char *)bad, sizeof(bad));
		fs_script_add_file(&e->s, "/boot/config-6.18.0", plain_cfg, strlen(plain_cfg));
		assert_int_equal(bbpf_kconfig_text(e->ctx, &e->arena, &text, &len), 0);
		assert_memory_equal(text, plain_cfg, len);
		assert_non_null(strstr(e->log.text, "cannot inflate /proc/config.gz"));
		src_free(e);
	}

	/* Nothing at all. */
	e = src_new(NULL);
	assert_int_equal(bbpf_kconfig_text(e->ctx, &e->arena, &text, &len), -ENOENT);
	assert_non_null(strstr(e->log.text, "no kernel configuration found"));
	src_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_kernel_version),
		cmocka_unit_test_setup_teardown(test_fill_good, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_fill_not_set, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_fill_truncated_string, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_fill_bad_values, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_fill_bad_lines, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_fill_missing, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_fill_special, ke_setup, ke_teardown),
		cmocka_unit_test_setup_teardown(test_two_sources, ke_setup, ke_teardown),
		cmocka_unit_test(test_text_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
