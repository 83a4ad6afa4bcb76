// SPDX-License-Identifier: BSD-2-Clause
/*
 * The libbpf-compatible API's conventions (src/compat/err.c, print.c), with
 * no kernel: negative errno returned and errno set; NULL and errno for
 * pointers; libbpf_get_error() on NULL and on 0.x-style encoded pointers;
 * libbpf_strerror(); the sz rule of options structs (a shorter struct
 * works, a longer one with non-zero extra bytes is -EINVAL, a too small sz
 * is -EINVAL) checked through real entry points; LIBBPF_OPTS and
 * DECLARE_LIBBPF_OPTS; the print callback (prefix, newline, levels,
 * NULL silences, set returns the old one); the default printer's level
 * from LIBBPF_LOG_LEVEL, through the table's write().
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "compat_sys.h"
#include "fake_sys.h"

/* ---- a print callback that keeps the last lines ---- */

static char printed[8][512];
static int printed_cnt;
static enum libbpf_print_level printed_level[8];

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (printed_cnt < 8) {
		vsnprintf(printed[printed_cnt], sizeof(printed[0]), fmt, ap);
		printed_level[printed_cnt++] = level;
	}
	return 0;
}

static void capture_reset(void)
{
	printed_cnt = 0;
	memset(printed, 0, sizeof(printed));
}

/* The library's default print callback, as the first libbpf_set_print() returned it. */
static libbpf_print_fn_t default_print;

struct env {
	struct fs_script s;
	struct bbpf_sys sys;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->sys = fs_script_init(&e->s);
	tc_compat_use(&e->sys);
	libbpf_set_print(capture);
	capture_reset();
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	tc_compat_use(NULL);
	fs_script_fini(&e->s);
	free(e);
	return 0;
}

static void test_get_error(void **state)
{
	(void)state;
	assert_int_equal(libbpf_get_error((void *)&printed), 0);
	errno = ENOENT;
	assert_int_equal(libbpf_get_error(NULL), -ENOENT);
	/* a 0.x-style error pointer: the error, and errno set to it */
	errno = 0;
	assert_int_equal(libbpf_get_error((void *)(intptr_t)-EPERM), -EPERM);
	assert_int_equal(errno, EPERM);
	assert_int_equal(libbpf_get_error((void *)(intptr_t)-4095), -4095);
	/* just past the error range is a pointer */
	assert_int_equal(libbpf_get_error((void *)(intptr_t)-4096), 0);
}

static void test_int_and_ptr_results(void **state)
{
	struct bpf_object *obj;
	__u32 next = 77;

	(void)state;
	/* int: the negative errno, and errno */
	errno = 0;
	assert_int_equal(bpf_map_get_next_id(0, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	/* the kernel's error passes through (the fake has no ids: -ENOENT) */
	errno = 0;
	assert_int_equal(bpf_prog_get_next_id(0, &next), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(next, 77);	/* not written on failure */
	/* pointer: NULL and errno; libbpf_get_error agrees */
	errno = 0;
	obj = bpf_object__open_file(NULL, NULL);
	assert_null(obj);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(libbpf_get_error(obj), -EINVAL);
	errno = 0;
	obj = bpf_object__open("/no/such/file.o");
	assert_null(obj);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(libbpf_get_error(obj), -ENOENT);
	/* a kernel error: returned and in errno */
	fs_script_push(&((struct env *)*state)->s, BPF_MAP_DELETE_ELEM, -EBADF);
	errno = 0;
	assert_int_equal(bpf_map_delete_elem(100, &next), -EBADF);
	assert_int_equal(errno, EBADF);
	/* a success leaves errno alone */
	errno = 1234;
	assert_int_equal(bpf_map_delete_elem(100, &next), 0);
	assert_int_equal(errno, 1234);
	assert_int_equal(libbpf_set_strict_mode(LIBBPF_STRICT_ALL), 0);
	assert_int_equal(errno, 1234);
}

static void test_strerror(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(libbpf_strerror(-ENOENT, buf, sizeof(buf)), 0);
	assert_string_equal(buf, strerror(ENOENT));
	assert_int_equal(libbpf_strerror(ENOENT, buf, sizeof(buf)), 0);	/* either sign */
	assert_string_equal(buf, strerror(ENOENT));
	assert_int_equal(libbpf_strerror(-LIBBPF_ERRNO__VERIFY, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Kernel verifier blocks program loading");
	assert_int_equal(libbpf_strerror(LIBBPF_ERRNO__FORMAT, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "BPF object format invalid");
	errno = 0;
	assert_int_equal(libbpf_strerror(4500, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(buf, "Unknown libbpf error 4500");
	/* truncated: -ERANGE, still terminated */
	assert_int_equal(libbpf_strerror(-LIBBPF_ERRNO__VERIFY, buf, 8), -ERANGE);
	assert_int_equal(strlen(buf), 7);
	assert_int_equal(libbpf_strerror(-EPERM, NULL, 8), -EINVAL);
	assert_int_equal(libbpf_strerror(-EPERM, buf, 0), -EINVAL);
}

static void test_version(void **state)
{
	(void)state;
	assert_int_equal(libbpf_major_version(), LIBBPF_MAJOR_VERSION);
	assert_int_equal(libbpf_minor_version(), LIBBPF_MINOR_VERSION);
	assert_string_equal(libbpf_version_string(), "v1.8");
}

/* An options struct from a newer caller: this library's, plus a tail. */
struct bigger_get_fd_opts {
	struct bpf_get_fd_by_id_opts o;
	__u64 newer_field;
};

/* One from an older caller that knew only sz. */
struct older_batch_opts {
	size_t sz;
};

static void test_opts_sz(void **state)
{
	struct fs_script *s = &((struct env *)*state)->s;
	struct bigger_get_fd_opts big;
	struct older_batch_opts old = { .sz = sizeof(old) };
	const struct fs_call *c;
	__u32 count = 4;
	int fd;

	/* a longer struct whose extra bytes are zero: accepted */
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.o.open_flags = BPF_F_RDONLY;
	fd = bpf_map_get_fd_by_id_opts(7, &big.o);
	assert_true(fd >= 3);
	c = fs_script_last(s, BPF_MAP_GET_FD_BY_ID);
	assert_non_null(c);
	assert_int_equal(c->attr.map_id, 7);
	assert_int_equal(c->attr.open_flags, BPF_F_RDONLY);
	/* non-zero extra bytes: -EINVAL, nothing reaches the kernel, a warning says why */
	capture_reset();
	big.newer_field = 1;
	s->bpf_calls[BPF_MAP_GET_FD_BY_ID] = 0;
	errno = 0;
	assert_int_equal(bpf_map_get_fd_by_id_opts(7, &big.o), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(s->bpf_calls[BPF_MAP_GET_FD_BY_ID], 0);
	assert_int_equal(printed_cnt, 1);
	assert_string_equal(printed[0], "libbpf: bpf_get_fd_by_id_opts has non-zero extra bytes\n");
	assert_int_equal(printed_level[0], LIBBPF_WARN);
	/* padding after the last known field counts as extra bytes too */
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big.o);
	((uint8_t *)&big.o)[offsetof(struct bpf_get_fd_by_id_opts, open_flags) + sizeof(__u32)] = 1;
	assert_int_equal(bpf_map_get_fd_by_id_opts(7, &big.o), -EINVAL);
	/* sz smaller than size_t: -EINVAL */
	memset(&big, 0, sizeof(big));
	big.o.sz = 4;
	assert_int_equal(bpf_map_get_fd_by_id_opts(7, &big.o), -EINVAL);
	/* an older, shorter struct: its missing fields read as zero */
	fs_script_push(s, BPF_MAP_LOOKUP_BATCH, -EBADF);
	assert_int_equal(bpf_map_lookup_batch(100, NULL, NULL, NULL, NULL, &count,
					      (struct bpf_map_batch_opts *)&old), -EBADF);
	c = fs_script_last(s, BPF_MAP_LOOKUP_BATCH);
	assert_non_null(c);
	assert_int_equal(c->attr.batch.elem_flags, 0);
	assert_int_equal(c->attr.batch.flags, 0);
	assert_int_equal(c->attr.batch.count, 4);
}

static void test_opts_macros(void **state)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = "x", .kernel_log_level = 2);
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, b, .flags = 3);
	LIBBPF_OPTS(bpf_test_run_opts, t);

	(void)state;
	assert_int_equal(o.sz, sizeof(o));
	assert_string_equal(o.object_name, "x");
	assert_int_equal(o.kernel_log_level, 2);
	assert_null(o.pin_root_path);
	assert_int_equal(b.sz, sizeof(b));
	assert_int_equal(b.flags, 3);
	assert_int_equal(b.elem_flags, 0);
	t.repeat = 9;
	LIBBPF_OPTS_RESET(t, .cpu = 2);
	assert_int_equal(t.sz, sizeof(t));
	assert_int_equal(t.repeat, 0);
	assert_int_equal(t.cpu, 2);
}

static void test_print(void **state)
{
	libbpf_print_fn_t old;

	(void)state;
	capture_reset();
	assert_null(bpf_object__open_mem(NULL, 0, NULL));
	/* an opts warning through the callback: prefix, newline, level */
	{
		struct { struct bpf_object_open_opts o; int extra; } big;

		memset(&big, 0, sizeof(big));
		big.o.sz = sizeof(big);
		big.extra = 1;
		assert_null(bpf_object__open_file("x.o", &big.o));
		assert_int_equal(errno, EINVAL);
	}
	assert_int_equal(printed_cnt, 1);
	assert_string_equal(printed[0], "libbpf: bpf_object_open_opts has non-zero extra bytes\n");
	/* NULL silences; set returns the previous callback */
	old = libbpf_set_print(NULL);
	assert_ptr_equal(old, capture);
	capture_reset();
	{
		struct { struct bpf_object_open_opts o; int extra; } big;

		memset(&big, 0, sizeof(big));
		big.o.sz = sizeof(big);
		big.extra = 1;
		assert_null(bpf_object__open_file("x.o", &big.o));
	}
	assert_int_equal(printed_cnt, 0);
	assert_null(libbpf_set_print(capture));
}

/* The default printer writes to fd 2 through the table: warn and info, not debug. */
static unsigned long writes;
static char written[1024];

static long count_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	if (fd == 2) {
		writes++;
		snprintf(written, sizeof(written), "%.*s", (int)len, (const char *)buf);
	}
	return (long)len;
}

static void test_default_print(void **state)
{
	struct env *e = *state;
	struct bigger_get_fd_opts big;

	e->sys.write = count_write;
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.newer_field = 1;
	unsetenv("LIBBPF_LOG_LEVEL");
	assert_non_null(default_print);
	libbpf_set_print(default_print);
	writes = 0;
	assert_int_equal(bpf_map_get_fd_by_id_opts(1, &big.o), -EINVAL);
	assert_int_equal(writes, 1);
	assert_string_equal(written, "libbpf: bpf_get_fd_by_id_opts has non-zero extra bytes\n");
	setenv("LIBBPF_LOG_LEVEL", "warn", 1);
	writes = 0;
	assert_int_equal(bpf_map_get_fd_by_id_opts(1, &big.o), -EINVAL);
	assert_int_equal(writes, 1);
	/* a debug message is not printed by default, and is with LIBBPF_LOG_LEVEL=debug */
	writes = 0;
	assert_int_equal(libbpf_prog_type_by_name("no_such_section", &(enum bpf_prog_type){ 0 },
						  &(enum bpf_attach_type){ 0 }), -ESRCH);
	assert_int_equal(writes, 0);
	setenv("LIBBPF_LOG_LEVEL", "debug", 1);
	assert_int_equal(libbpf_prog_type_by_name("no_such_section", &(enum bpf_prog_type){ 0 },
						  &(enum bpf_attach_type){ 0 }), -ESRCH);
	assert_int_equal(writes, 1);
	assert_string_equal(written,
			    "libbpf: failed to guess program type from ELF section 'no_such_section'\n");
	unsetenv("LIBBPF_LOG_LEVEL");
	libbpf_set_print(capture);
}

int main(void)
{
	default_print = libbpf_set_print(capture);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_int_and_ptr_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strerror, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_opts_sz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_opts_macros, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_print, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
