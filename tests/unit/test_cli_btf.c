// SPDX-License-Identifier: BSD-2-Clause
/*
 * "barebpf btf dump", run as a program on files this test writes: its output
 * equals the library's (bbpf_dump_c_header, bbpf_dump_raw) for the same
 * bytes, split BTF takes -B before or after the command, keywords may be
 * abbreviated as in bpftool; usage errors exit 2 with the usage, bad input
 * exits 1 with one "barebpf: " line naming the file and the cause; a C type
 * cycle stops the output where it is found. (tests/diff compares with
 * bpftool itself.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "dump/dump_c.h"
#include "dump/dump_raw.h"
#include "btf_builder.h"
#include "dump_cases.h"
#include "proc_run.h"

#define CLI BBPF_BUILD_DIR "/barebpf"

static char dir[64], base_path[128], split_path[128], cycle_path[128], case_path[128];

struct sink {
	char *buf;
	size_t len;
};

static void sink_write(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	k->buf = realloc(k->buf, k->len + n + 1);
	assert_non_null(k->buf);
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

static void write_btf(const char *path, struct bb_btf *b)
{
	uint32_t len;
	uint8_t *raw = bb_btf_raw(b, false, &len);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(raw, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(raw);
	bb_btf_free(b);
}

static int setup(void **state)
{
	struct bb_btf b, s;
	uint32_t m;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/bbpf_clibtf_%d", (int)getpid());
	if (mkdir(dir, 0700))
		return -1;
	snprintf(base_path, sizeof(base_path), "%s/base.btf", dir);
	snprintf(split_path, sizeof(split_path), "%s/split.btf", dir);
	snprintf(cycle_path, sizeof(cycle_path), "%s/cycle.btf", dir);
	snprintf(case_path, sizeof(case_path), "%s/funcs.btf", dir);
	bb_btf_init(&b);
	dump_case_find("basic")->build(&b);
	bb_btf_init_split(&s, b.next_id, (uint32_t)b.str_len);
	m = bb_btf_add_struct(&s, "mod_state", 16, false);
	bb_btf_add_member(&s, "next", m + 1, 0);
	bb_btf_add_ptr(&s, m);
	write_btf(base_path, &b);
	write_btf(split_path, &s);
	/* int, then a struct that embeds itself: C cannot say that */
	bb_btf_init(&b);
	bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	m = bb_btf_add_struct(&b, "me", 8, false);
	bb_btf_add_member(&b, "x", 1, 0);
	bb_btf_add_member(&b, "me", m, 32);
	write_btf(cycle_path, &b);
	bb_btf_init(&b);
	dump_case_find("funcs")->build(&b);
	write_btf(case_path, &b);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* barebpf with up to 8 arguments (NULL-terminated); exit code. */
static int cli(struct proc_run *r, ...)
{
	char *argv[10] = { (char *)CLI };
	va_list ap;
	int n = 1;

	va_start(ap, r);
	while (n < 9 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	if (proc_run(argv, r))
		fail_msg("cannot run %s (make build/barebpf)", CLI);
	if (WIFSIGNALED(r->status))
		fail_msg("barebpf died by signal %d: %s", WTERMSIG(r->status), r->err);
	return WEXITSTATUS(r->status);
}

/* The library's output for a file (through the same parse). */
static char *lib_dump(const char *path, const char *base, bool c, enum bbpf_dump_raw_fmt fmt)
{
	struct bbpf_diag d = { 0 };
	struct bbpf_btf btf, bbtf;
	struct sink k = { 0 };
	struct bbpf_dump_out w = { .write = sink_write, .ctx = &k };
	struct bbpf_arena arena;
	uint8_t *raw, *braw = NULL;
	uint32_t len, blen;
	FILE *f;

	bbpf_arena_init(&arena, &bbpf_alloc_libc, 256u << 20);
	raw = malloc(1 << 20);
	f = fopen(path, "rb");
	assert_non_null(f);
	len = (uint32_t)fread(raw, 1, 1 << 20, f);
	fclose(f);
	if (base) {
		braw = malloc(1 << 20);
		f = fopen(base, "rb");
		assert_non_null(f);
		blen = (uint32_t)fread(braw, 1, 1 << 20, f);
		fclose(f);
		assert_int_equal(bbpf_btf_parse_raw(&bbtf, braw, blen, NULL, &arena, &d), 0);
	}
	assert_int_equal(bbpf_btf_parse_raw(&btf, raw, len, base ? &bbtf : NULL, &arena, &d), 0);
	if (c)
		assert_int_equal(bbpf_dump_c_header(&btf, &w, &arena, NULL, NULL), 0);
	else
		assert_int_equal(bbpf_dump_raw(&btf, &w, fmt, 0), 0);
	bbpf_arena_free(&arena);
	free(raw);
	free(braw);
	return k.buf;
}

static void same_as_lib(struct proc_run *r, const char *path, const char *base, bool c,
			enum bbpf_dump_raw_fmt fmt)
{
	char *want = lib_dump(path, base, c, fmt);

	assert_string_equal(r->out, want);
	assert_string_equal(r->err, "");
	free(want);
	proc_run_free(r);
}

static void test_output(void **state)
{
	struct proc_run r;

	(void)state;
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "format", "c", NULL), 0);
	same_as_lib(&r, case_path, NULL, true, 0);
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, NULL), 0);
	same_as_lib(&r, case_path, NULL, false, BBPF_DUMP_RAW_TEXT);
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "format", "raw", NULL), 0);
	same_as_lib(&r, case_path, NULL, false, BBPF_DUMP_RAW_TEXT);
	assert_int_equal(cli(&r, "-j", "btf", "dump", "file", case_path, NULL), 0);
	same_as_lib(&r, case_path, NULL, false, BBPF_DUMP_RAW_JSON);
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "-p", NULL), 0);
	same_as_lib(&r, case_path, NULL, false, BBPF_DUMP_RAW_PRETTY);
	/* bpftool's abbreviations: "btf d f X form c" */
	assert_int_equal(cli(&r, "btf", "d", "f", case_path, "form", "c", NULL), 0);
	same_as_lib(&r, case_path, NULL, true, 0);
	/* split BTF: -B before the command or after it */
	assert_int_equal(cli(&r, "-B", base_path, "btf", "dump", "file", split_path, "format", "c",
			     NULL), 0);
	same_as_lib(&r, split_path, base_path, true, 0);
	assert_int_equal(cli(&r, "btf", "dump", "file", split_path, "--base-btf", base_path, NULL),
			 0);
	same_as_lib(&r, split_path, base_path, false, BBPF_DUMP_RAW_TEXT);
	assert_int_equal(cli(&r, "btf", "help", NULL), 0);
	assert_non_null(strstr(r.out, "btf dump {file FILE | id ID}"));
	proc_run_free(&r);
}

/* Exit 2 with "barebpf: <what>" and the usage on stderr. */
static void usage_error(struct proc_run *r, const char *what)
{
	assert_int_equal(strncmp(r->err, "barebpf: ", 9), 0);
	assert_non_null(strstr(r->err, what));
	assert_non_null(strstr(r->err, "Usage: barebpf"));
	assert_string_equal(r->out, "");
	proc_run_free(r);
}

static void test_usage(void **state)
{
	struct proc_run r;

	(void)state;
	/* "btf" alone is "btf show", as bpftool (tests/diff/test_cli_inspect.c compares it) */
	assert_int_equal(cli(&r, "btf", "dump", NULL), 2);
	usage_error(&r, "expected 'file FILE' or 'id ID'");
	assert_int_equal(cli(&r, "btf", "dump", "file", NULL), 2);
	usage_error(&r, "expected 'file FILE' or 'id ID'");
	assert_int_equal(cli(&r, "btf", "dump", "map", "x", NULL), 2);
	usage_error(&r, "unrecognized BTF source specifier: 'map'");
	assert_int_equal(cli(&r, "btf", "dump", "id", "12x", NULL), 2);
	usage_error(&r, "can't parse '12x' as ID");
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "format", "xml", NULL), 2);
	usage_error(&r, "unrecognized format specifier: 'xml'");
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "format", NULL), 2);
	usage_error(&r, "expecting value for 'format' option");
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "extra", NULL), 2);
	usage_error(&r, "unrecognized option: 'extra'");
	/* with -j, bpftool's {"error":...} on stdout, nothing on stderr */
	assert_int_equal(cli(&r, "-j", "btf", "dump", "file", case_path, "format", "c", NULL), 2);
	assert_string_equal(r.out, "{\"error\":\"JSON output for C-syntax dump is not supported\"}\n");
	assert_string_equal(r.err, "");
	proc_run_free(&r);
	assert_int_equal(cli(&r, "btf", "dump", "file", case_path, "-B", NULL), 2);
	usage_error(&r, "'-B' needs a file");
	assert_int_equal(cli(&r, "-B", NULL), 2);
	usage_error(&r, "'-B' needs a file");
}

/* Exit 1, nothing (or only the partial header) on stdout, one line naming what. */
static void one_line(struct proc_run *r, const char *name, const char *cause)
{
	assert_int_equal(strncmp(r->err, "barebpf: ", 9), 0);
	assert_int_equal(proc_line_count(r->err), 1);
	assert_non_null(strstr(r->err, name));
	assert_non_null(strstr(r->err, cause));
	proc_run_free(r);
}

static void test_failures(void **state)
{
	struct proc_run r;
	char missing[160];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/missing.btf", dir);
	assert_int_equal(cli(&r, "btf", "dump", "file", missing, NULL), 1);
	assert_string_equal(r.out, "");
	one_line(&r, missing, "No such file or directory");
	assert_int_equal(cli(&r, "btf", "dump", "file", BBPF_SRC_DIR "/README.md", NULL), 1);
	one_line(&r, "README.md", "not valid BTF at offset 0x0 (");
	assert_int_equal(cli(&r, "btf", "dump", "file", BBPF_FIXTURE_DIR "/nobtf_stripped.bpf.o",
			     "format", "c", NULL), 1);
	one_line(&r, "nobtf_stripped.bpf.o", "without a usable .BTF section");
	/* split BTF without its base refers to types that are not there */
	assert_int_equal(cli(&r, "btf", "dump", "file", split_path, NULL), 1);
	one_line(&r, split_path, "not valid BTF");
	assert_int_equal(cli(&r, "btf", "dump", "file", split_path, "-B", missing, NULL), 1);
	one_line(&r, missing, "No such file or directory");
	/* the cycle: output up to the struct (its int was fine), no closing lines */
	assert_int_equal(cli(&r, "btf", "dump", "file", cycle_path, "format", "c", NULL), 1);
	assert_non_null(strstr(r.out, "#define __VMLINUX_H__"));
	assert_null(strstr(r.out, "#endif /* __VMLINUX_H__ */"));
	one_line(&r, cycle_path, "unsatisfiable type cycle at type [2]");
	/* the records of the same file are fine */
	assert_int_equal(cli(&r, "btf", "dump", "file", cycle_path, NULL), 0);
	assert_non_null(strstr(r.out, "[2] STRUCT 'me' size=8 vlen=2\n"));
	proc_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_failures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
