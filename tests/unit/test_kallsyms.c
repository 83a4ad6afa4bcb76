/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /proc/kallsyms lookups on crafted files served by the scripted syscall
 * table (module suffixes, zero addresses, blank and overlong lines, no final
 * newline, every chunk size, EINTR, ambiguity, malformed lines, failures
 * with no fd left open). The running kernel's file against awk(1):
 * tests/kernel/test_kallsyms_kernel.c.
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
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "fake_sys.h"

struct logbuf {
	char text[8192];
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct logbuf *lb = ctx;
	size_t n = strlen(lb->text);

	(void)level;
	snprintf(lb->text + n, sizeof(lb->text) - n, "%s\n", msg);
}

static struct bbpf_ctx *new_ctx(const struct bbpf_sys *sys, struct logbuf *lb)
{
	struct bbpf_ctx_opts opts = { .sys = sys, .log = log_cb, .log_ctx = lb };
	struct bbpf_ctx *ctx = NULL;

	assert_int_equal(bbpf_ctx_new(&ctx, &opts), 0);
	return ctx;
}

/* ---- crafted files ---- */

struct fake {
	struct fs_script s;
	struct bbpf_sys sys;
	struct logbuf lb;
	struct bbpf_ctx *ctx;
};

static struct fake *fake_new(const char *data, size_t len)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->sys = fs_script_init(&f->s);
	fs_script_add_file(&f->s, "/proc/kallsyms", data, len);
	f->ctx = new_ctx(&f->sys, &f->lb);
	return f;
}

static void fake_free(struct fake *f)
{
	assert_int_equal(fs_script_open_fds(&f->s), 0);
	bbpf_ctx_free(f->ctx);
	fs_script_fini(&f->s);
	free(f);
}

static const char basic[] =
	"ffffffff81000000 T _stext\n"
	"\n"
	"ffffffff81000010 t foo\t[some_module]\n"
	"0000000000000000 T zero_addr\n"
	"ffffffff81000020 T dup_same\n"
	"ffffffff81000020 T dup_same\n"
	"  ffffffffc0000000   W  spaced\r\n"
	"FFFFFFFF81000030 D upper\n"
	"ffffffff81000040 T last_no_newline";

static void check_basic(struct fake *f)
{
	const char *names[] = { "foo", "zero_addr", "dup_same", "spaced", "upper", "last_no_newline",
				"_stext", "absent", "foo", "fo", "foo\t[some_module]", "" };
	const uint64_t want[] = { 0xffffffff81000010, 0, 0xffffffff81000020, 0xffffffffc0000000,
				  0xffffffff81000030, 0xffffffff81000040, 0xffffffff81000000, 0,
				  0xffffffff81000010, 0, 0, 0 };
	const bool want_found[] = { 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0 };
	uint64_t addrs[12];
	bool found[12];
	size_t i;

	memset(addrs, 0x55, sizeof(addrs));
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, names, 12, addrs, found), 0);
	for (i = 0; i < 12; i++) {
		if (found[i] != want_found[i] || addrs[i] != want[i])
			fail_msg("%s: found %d addr 0x%llx", names[i], found[i],
				 (unsigned long long)addrs[i]);
	}
}

static void test_fake_basic(void **state)
{
	struct fake *f = fake_new(basic, strlen(basic));

	(void)state;
	check_basic(f);
	fake_free(f);
}

/* Address -> name: the first name at each address in file order; 0 and absent ones: NULL. */
static void test_fake_names(void **state)
{
	static const size_t reads[] = { 0, 1, 7 };
	const uint64_t addrs[] = { 0xffffffff81000020, 0xffffffff81000010, 0, 0xffffffff81000040,
				   0xffffffff81000010, 0xdead, 0xffffffffc0000000 };
	const char *const want[] = { "dup_same", "foo", NULL, "last_no_newline", "foo", NULL,
				     "spaced" };
	const char *names[7];
	struct bbpf_arena arena;
	size_t i, r;

	(void)state;
	for (r = 0; r < sizeof(reads) / sizeof(reads[0]); r++) {
		struct fake *f = fake_new(basic, strlen(basic));

		f->s.read_max = reads[r];
		bbpf_arena_init(&arena, &bbpf_alloc_libc, 1 << 20);
		assert_int_equal(bbpf_kallsyms_names(f->ctx, addrs, 7, &arena, names), 0);
		for (i = 0; i < 7; i++) {
			if (!want[i])
				assert_null(names[i]);
			else if (!names[i] || strcmp(names[i], want[i]))
				fail_msg("0x%llx: '%s', want '%s'", (unsigned long long)addrs[i],
					 names[i] ? names[i] : "(none)", want[i]);
		}
		bbpf_arena_free(&arena);
		fake_free(f);
	}
}

static void test_fake_chunk_sizes(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 16, 25, 26, 27, 100, 4096 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct fake *f = fake_new(basic, strlen(basic));

		f->s.read_max = sizes[i];
		check_basic(f);
		fake_free(f);
	}
	/* Interrupted reads are retried. */
	{
		struct fake *f = fake_new(basic, strlen(basic));

		f->s.read_max = 5;
		f->s.eintr_every = 3;
		check_basic(f);
		fake_free(f);
	}
}

/* A file of many lines, with the wanted one placed across every 64 KiB boundary. */
static void test_fake_many_lines(void **state)
{
	size_t cap = 3u << 20, len = 0, i;
	char *data = malloc(cap);
	const char *names[] = { "sym_000001", "sym_049999", "sym_100000", "target" };
	uint64_t addrs[4];
	bool found[4];
	struct fake *f;

	(void)state;
	assert_non_null(data);
	for (i = 1; i <= 100000; i++)
		len += (size_t)snprintf(data + len, cap - len, "%016zx T sym_%06zu\n", i * 16, i);
	len += (size_t)snprintf(data + len, cap - len, "ffffffffa0000000 t target\t[mod]\n");
	f = fake_new(data, len);
	f->s.read_max = 10007;	/* reads that do not align with lines or chunks */
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, names, 4, addrs, found), 0);
	assert_true(found[0] && found[1] && found[2] && found[3]);
	assert_int_equal(addrs[0], 16);
	assert_int_equal(addrs[1], 49999 * 16);
	assert_int_equal(addrs[2], 100000 * 16);
	assert_int_equal(addrs[3], 0xffffffffa0000000);
	fake_free(f);
	free(data);
}

static void test_fake_long_lines(void **state)
{
	size_t name_len = 70000, cap = 2 * name_len + 8192, len = 0;
	char *data = malloc(cap), *huge = malloc(name_len + 1), *big = malloc(5001);
	const char *names[3];
	uint64_t addrs[3];
	bool found[3];
	struct fake *f;

	(void)state;
	assert_non_null(data);
	assert_non_null(huge);
	assert_non_null(big);
	memset(huge, 'h', name_len);
	huge[name_len] = 0;
	memset(big, 'b', 5000);
	big[5000] = 0;
	len += (size_t)snprintf(data + len, cap - len, "0000000000001000 T %s\n", huge);
	len += (size_t)snprintf(data + len, cap - len, "0000000000002000 T after_huge\n");
	len += (size_t)snprintf(data + len, cap - len, "0000000000003000 T %s\n", big);
	/* A module part longer than a chunk: the name before it still counts. */
	len += (size_t)snprintf(data + len, cap - len, "0000000000004000 t modsym\t[%s]", huge);
	names[0] = "after_huge";
	names[1] = big;
	names[2] = "modsym";
	f = fake_new(data, len);
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, names, 3, addrs, found), 0);
	assert_true(found[0] && found[1] && found[2]);
	assert_int_equal(addrs[0], 0x2000);
	assert_int_equal(addrs[1], 0x3000);
	assert_int_equal(addrs[2], 0x4000);
	/* A name longer than a chunk is never matched (documented limit). */
	names[0] = huge;
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, names, 1, addrs, found), 0);
	assert_false(found[0]);
	fake_free(f);
	free(data);
	free(huge);
	free(big);
}

static void test_fake_malformed(void **state)
{
	static const char *const bad[] = {
		"xyz T foo\n",
		"ffff T\n",
		"ffff\n",
		"ffffT foo\n",
		"ffff TT foo\n",
		"11112222333344445 T foo\n",	/* 17 hex digits */
		"ffff T foo\nbar\n",
	};
	const char *names[] = { "foo" };
	uint64_t addr = 7;
	bool found = true;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fake *f = fake_new(bad[i], strlen(bad[i]));

		if (bbpf_kallsyms_resolve(f->ctx, names, 1, &addr, &found) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(f->lb.text, "malformed"));
		assert_false(found);
		assert_int_equal(addr, 0);
		fake_free(f);
	}
}

static void test_fake_ambiguous(void **state)
{
	static const char text[] = "0000000000001000 t dup\n0000000000002000 t dup\t[m]\n";
	const char *names[] = { "dup" }, *other[] = { "other" };
	struct fake *f = fake_new(text, strlen(text));
	uint64_t addr;
	bool found;

	(void)state;
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, names, 1, &addr, &found), -EINVAL);
	assert_non_null(strstr(f->lb.text, "'dup' is ambiguous: 0x1000 or 0x2000"));
	/* Not asked for: no matter. */
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, other, 1, &addr, &found), 0);
	assert_false(found);
	fake_free(f);
}

static void test_fake_failures(void **state)
{
	const char *names[] = { "foo", "_stext" };
	uint64_t addrs[2];
	bool found[2];
	struct fake *f;
	struct fs_wrap *w = calloc(1, sizeof(*w));
	struct bbpf_sys wsys;
	struct logbuf lb = { "" };
	struct bbpf_ctx *ctx;
	unsigned long n, total;

	(void)state;
	assert_non_null(w);
	/* No file. */
	f = fake_new(basic, strlen(basic));
	f->s.files[0].path = "/proc/not_kallsyms";
	assert_int_equal(bbpf_kallsyms_resolve(f->ctx, names, 2, addrs, found), -ENOENT);
	assert_non_null(strstr(f->lb.text, "cannot open /proc/kallsyms"));
	fake_free(f);

	/* Every syscall failing in turn: the error comes back, nothing stays open. */
	f = fake_new(basic, strlen(basic));
	f->s.read_max = 30;
	wsys = fs_wrap_init(w, &f->sys);
	ctx = new_ctx(&wsys, &lb);
	fs_wrap_reset_counts(w);	/* count the lookup's calls, not the context's */
	assert_int_equal(bbpf_kallsyms_resolve(ctx, names, 2, addrs, found), 0);
	total = w->calls;
	assert_true(total > 5);
	for (n = 1; n <= total; n++) {
		int err;

		fs_wrap_fail(w, n, -EIO);
		err = bbpf_kallsyms_resolve(ctx, names, 2, addrs, found);
		/* A failed close still closes; everything else fails the lookup. */
		if (n == total)
			assert_int_equal(err, 0);
		else
			assert_int_equal(err, -EIO);
		assert_int_equal(fs_wrap_open_fds(w), 0);
		assert_int_equal(fs_script_open_fds(&f->s), 0);
	}
	fs_wrap_fail(w, 0, 0);
	bbpf_ctx_free(ctx);
	fake_free(f);
	free(w);
}

/* vmlinux.c rides along: missing or malformed vmlinux BTF is an error and a message, nothing cached. */
static void test_vmlinux_btf_fake(void **state)
{
	struct bbpf_btf *btf = NULL;
	struct fake *fk;

	(void)state;
	fk = fake_new("", 0);
	assert_int_equal(bbpf_kernel_btf_indexed(fk->ctx, &btf), -ENOENT);
	assert_non_null(strstr(fk->lb.text, "/sys/kernel/btf/vmlinux"));
	fs_script_add_file(&fk->s, "/sys/kernel/btf/vmlinux", "not BTF at all", 14);
	assert_int_equal(bbpf_kernel_btf_indexed(fk->ctx, &btf), -EBADMSG);
	assert_null(fk->ctx->vmlinux);
	fake_free(fk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake_basic),
		cmocka_unit_test(test_fake_names),
		cmocka_unit_test(test_fake_chunk_sizes),
		cmocka_unit_test(test_fake_many_lines),
		cmocka_unit_test(test_fake_long_lines),
		cmocka_unit_test(test_fake_malformed),
		cmocka_unit_test(test_fake_ambiguous),
		cmocka_unit_test(test_fake_failures),
		cmocka_unit_test(test_vmlinux_btf_fake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
