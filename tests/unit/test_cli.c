// SPDX-License-Identifier: BSD-2-Clause
/*
 * The barebpf CLI, run as a program, where no kernel is needed: usage
 * errors (also of "prog" and "run", refused before anything is loaded), bad
 * and damaged inputs (one "barebpf: " line on stderr, never a signal), and
 * the JSON writer (compiled in). "inspect" compared with llvm-objdump and
 * bpftool on every fixture: tests/diff/test_cli_bpftool.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/json.c"	/* the writer itself is unit-tested below */
#include "cli_util.h"

#define FIX BBPF_FIXTURE_DIR "/"

/* ---- usage, bad inputs, JSON writer ---- */

static void expect_exit(int code, const char *a1, const char *a2, const char *a3,
			bool out_empty)
{
	struct proc_run r;
	int got;

	cu_run3(&r, a1, a2, a3);
	got = cu_exit_code(&r);
	if (got != code)
		fail_msg("barebpf %s %s %s: exit %d, expected %d; stderr: %s", a1 ? a1 : "",
			 a2 ? a2 : "", a3 ? a3 : "", got, code, r.err);
	if (code == 2 && (strncmp(r.err, "barebpf: ", 9) || !strstr(r.err, "Usage:")))
		fail_msg("usage error without message and usage text: [%s]", r.err);
	if (out_empty)
		assert_string_equal(r.out, "");
	else if (!strstr(r.out, "barebpf"))
		fail_msg("barebpf %s: unexpected stdout [%s]", a1, r.out);
	proc_run_free(&r);
}

static void test_usage(void **state)
{
	(void)state;
	expect_exit(2, NULL, NULL, NULL, true);
	expect_exit(2, "bogus", NULL, NULL, true);
	expect_exit(2, "--bogus", "inspect", NULL, true);
	expect_exit(2, "inspect", NULL, NULL, true);
	expect_exit(2, "inspect", "a.o", "b.o", true);
	expect_exit(2, "inspect", "--bogus", "a.o", true);
	expect_exit(2, "help", "extra", NULL, true);
	expect_exit(2, "version", "extra", NULL, true);
	expect_exit(0, "--help", NULL, NULL, false);
	expect_exit(0, "-h", NULL, NULL, false);
	expect_exit(0, "help", NULL, NULL, false);
	expect_exit(0, "inspect", "--help", NULL, false);
	expect_exit(0, "version", NULL, NULL, false);
	expect_exit(0, "--version", NULL, NULL, false);
	expect_exit(0, "ver", NULL, NULL, false);	/* unique prefix */
}

static char *write_tmp(const void *data, size_t len)
{
	char *name = strdup("/tmp/bbpf_cli_in_XXXXXX");
	int fd;

	assert_non_null(name);
	fd = mkstemp(name);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return name;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static void expect_tmp_failure(const void *data, size_t len)
{
	char *name = write_tmp(data, len);

	cu_expect_one_line_failure(name);
	unlink(name);
	free(name);
}

static void test_bad_inputs(void **state)
{
	static const char elf_start[] = "\177ELF\2\1\1";
	unsigned char buf[4096], *fix;
	uint32_t seed = 12345;
	size_t i, k, len;

	(void)state;
	cu_expect_one_line_failure("/nonexistent/barebpf/x.o");
	cu_expect_one_line_failure(BBPF_FIXTURE_DIR);
	expect_tmp_failure("", 0);
	for (k = 0; k < 6; k++) {
		for (i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
		}
		if (k & 1)	/* get past the magic check */
			memcpy(buf, elf_start, sizeof(elf_start) - 1);
		expect_tmp_failure(buf, k < 2 ? 64 : sizeof(buf));
	}

	fix = read_file(BBPF_FIXTURE_DIR "/globals.bpf.o", &len);
	if (!fix)
		fail_msg("no %s/globals.bpf.o: run 'make fixtures'", BBPF_FIXTURE_DIR);
	assert_true(len > 100);
	expect_tmp_failure(fix, 100);
	/* Damaged fixtures may open or not; they must never crash the CLI. */
	for (k = 0; k < 48; k++) {
		unsigned char *m = malloc(len);
		struct proc_run r;
		char *name;

		assert_non_null(m);
		memcpy(m, fix, len);
		for (i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % len] ^= (unsigned char)(1u << (seed & 7));
		}
		name = write_tmp(m, len);
		cu_run3(&r, "inspect", name, NULL);
		if (cu_exit_code(&r) != 0 &&
		    (proc_line_count(r.err) != 1 || strncmp(r.err, "barebpf: ", 9)))
			fail_msg("damaged fixture %s: stderr is not one line: [%s]", name, r.err);
		proc_run_free(&r);
		unlink(name);
		free(name);
		free(m);
	}
	free(fix);
}

/* A license with a control byte, a quote and a stray byte, through the whole CLI. */
static void test_license_escaping(void **state)
{
	size_t len, i, hits = 0, at = 0;
	struct jm_value *doc;
	struct proc_run r;
	unsigned char *fix;
	char *name;

	(void)state;
	fix = read_file(BBPF_FIXTURE_DIR "/globals.bpf.o", &len);
	if (!fix)
		fail_msg("no %s/globals.bpf.o: run 'make fixtures'", BBPF_FIXTURE_DIR);
	for (i = 0; i + 4 <= len; i++)
		if (!memcmp(fix + i, "GPL", 4)) {
			hits++;
			at = i;
		}
	assert_int_equal(hits, 1);	/* only SEC("license") holds "GPL\0" */
	memcpy(fix + at, "\001\"\377", 3);
	name = write_tmp(fix, len);

	cu_run3(&r, "inspect", name, "--json");
	assert_int_equal(cu_exit_code(&r), 0);
	assert_non_null(strstr(r.out, "\"license\":\"\\u0001\\\"\\u00ff\""));
	doc = jm_parse(r.out);
	assert_non_null(doc);
	assert_string_equal(cu_jstr(doc, "license"), "\001\"\303\277");
	jm_free(doc);
	proc_run_free(&r);

	cu_run3(&r, "inspect", name, NULL);	/* text: no raw control bytes */
	assert_int_equal(cu_exit_code(&r), 0);
	assert_null(strchr(r.out, '\001'));
	proc_run_free(&r);
	unlink(name);
	free(name);
	free(fix);
}

static char *json_of(void (*emit)(struct bbpf_cli_json *j, const char *arg), const char *arg,
		     bool pretty)
{
	struct bbpf_cli_json j;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	bbpf_cli_json_init(&j, f, pretty);
	emit(&j, arg);
	fclose(f);
	return buf;
}

static void emit_string(struct bbpf_cli_json *j, const char *s)
{
	bbpf_cli_json_str(j, s);
}

static void expect_json_string(const char *in, const char *want)
{
	char *got = json_of(emit_string, in, false);

	assert_string_equal(got, want);
	free(got);
}

static void test_json_escaping(void **state)
{
	(void)state;
	expect_json_string("plain", "\"plain\"");
	expect_json_string("q\"b\\s/", "\"q\\\"b\\\\s/\"");
	expect_json_string("\b\f\n\r\t\001\037\177", "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"");
	expect_json_string("\303\251\342\202\254\360\237\230\200", /* é € U+1F600 */
			   "\"\303\251\342\202\254\360\237\230\200\"");
	expect_json_string("\377", "\"\\u00ff\"");			/* never valid */
	expect_json_string("\300\200", "\"\\u00c0\\u0080\"");		/* overlong NUL */
	expect_json_string("\355\240\200", "\"\\u00ed\\u00a0\\u0080\"");	/* surrogate */
	expect_json_string("\364\220\200\200", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* > U+10FFFF */
	expect_json_string("\342\202", "\"\\u00e2\\u0082\"");		/* truncated */
	expect_json_string("a\303", "\"a\\u00c3\"");
	expect_json_string(NULL, "null");
}

static void emit_doc(struct bbpf_cli_json *j, const char *arg)
{
	(void)arg;
	bbpf_cli_json_obj_begin(j);
	bbpf_cli_json_kv_str(j, "a", "x");
	bbpf_cli_json_key(j, "list");
	bbpf_cli_json_arr_begin(j);
	bbpf_cli_json_u64(j, 18446744073709551615ull);
	bbpf_cli_json_bool(j, false);
	bbpf_cli_json_null(j);
	bbpf_cli_json_obj_begin(j);
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_arr_begin(j);
	bbpf_cli_json_arr_end(j);
	bbpf_cli_json_arr_end(j);
	bbpf_cli_json_kv_bool(j, "t", true);
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_finish(j);
}

static void test_json_structure(void **state)
{
	char *compact = json_of(emit_doc, NULL, false), *pretty = json_of(emit_doc, NULL, true);
	struct jm_value *v;

	(void)state;
	assert_string_equal(compact,
			    "{\"a\":\"x\",\"list\":[18446744073709551615,false,null,{},[]],\"t\":true}\n");
	v = jm_parse(pretty);
	assert_non_null(v);
	assert_true(proc_line_count(pretty) > 5);
	assert_int_equal(jm_get(v, "list")->len, 5);
	jm_free(v);
	free(compact);
	free(pretty);
}

/* ---- "prog" and "run": refused before anything is loaded ---- */

static void test_prog_usage(void **state)
{
	struct proc_run r;

	(void)state;
	cu_expect_ok(&r, CU_RUN(&r, "prog", "help"));
	assert_non_null(strstr(r.out, "prog loadall OBJ PINDIR"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o"), 2);
	assert_non_null(strstr(r.err, "missing PINDIR"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "prog", "loadall", "a.o", "/sys/fs/bpf/x", "bogus"), 2);
	proc_run_free(&r);
}

static void test_run_bad_set(void **state)
{
	struct proc_run r;

	(void)state;
	/* All refused before load: no kernel needed. */
	assert_int_equal(CU_RUN(&r, "run", FIX "minimal.bpf.o", "--set", "no_such_var=1"), 1);
	assert_non_null(strstr(r.err, "barebpf: --set no_such_var=1: no global variable"));
	assert_string_equal(r.out, "");
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "minimal.bpf.o", "--set", "my_pid=4294967296"),
			 1);
	assert_non_null(strstr(r.err, "out of range"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "globals.bpf.o", "--duration", "1",
				 "--set", "foo_str=abcdefgh"),
			 1);
	assert_non_null(strstr(r.err, "at most 7 characters"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "minimal.bpf.o", "--set", "my_pid"), 2);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "minimal.bpf.o", "--duration", "-1"), 2);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "minimal.bpf.o", "--show", "nope"), 1);
	proc_run_free(&r);
}

/* One "barebpf: " line naming what is wrong on stderr, nothing on stdout, exit code. */
static void one_line(struct proc_run *r, int code, int want_code, const char *what)
{
	assert_int_equal(code, want_code);
	if (proc_line_count(r->err) != 1 || strncmp(r->err, "barebpf: ", 9) ||
	    !strstr(r->err, what))
		fail_msg("expected one line with '%s' on stderr, got [%s]", what, r->err);
	assert_string_equal(r->out, "");
	proc_run_free(r);
}

/* --set/--show by path, --map and --skip: refused before anything is loaded, one line each. */
static void test_run_paths_and_tweaks_refused(void **state)
{
	const char *o = FIX "run_tweaks.bpf.o";
	struct proc_run r;

	(void)state;
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg=x"), 1,
		 "--set cfg=x: 'cfg' is neither an integer nor a char array");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "targ=1"), 1, "neither an integer");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "targ[4]=1"), 1,
		 "--set targ[4]=1: 'targ' has no such element");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "targ[x]=1"), 1, "has no such element");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg.nope=1"), 1,
		 "'cfg.nope' has no such member");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "plain[0]=1"), 1, "'plain' is not an array");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg.port[1]=1"), 1,
		 "'cfg.port' is not an array");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg.port=abc"), 1,
		 "'abc' is not a 4-byte integer");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg.port=\"80\""), 1,
		 "is not a 4-byte integer");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg.ids[2]=65536"), 1, "out of range");
	one_line(&r, CU_RUN(&r, "run", o, "--set", "cfg.comm=12345678"), 1,
		 "holds at most 7 characters");
	one_line(&r, CU_RUN(&r, "run", o, "--show", "cfg.inner.nope"), 1,
		 "--show cfg.inner.nope: 'cfg.inner.nope' has no such member");
	one_line(&r, CU_RUN(&r, "run", o, "--map", "stacks.bogus=1"), 1,
		 "--map stacks.bogus=1: unknown field 'bogus'");
	one_line(&r, CU_RUN(&r, "run", o, "--map", "stacks.max_entries=x"), 1,
		 "not a 32-bit number");
	one_line(&r, CU_RUN(&r, "run", o, "--map", "no.such.max_entries=1"), 1,
		 "no map 'no.such' in run_tweaks");
	one_line(&r, CU_RUN(&r, "run", o, "--skip", "nope"), 1,
		 "--skip nope: no program 'nope' in run_tweaks");
	one_line(&r, CU_RUN(&r, "prog", "loadall", o, "/sys/fs/bpf/x", "skip", "nope"), 1,
		 "no program 'nope'");
	one_line(&r, CU_RUN(&r, "prog", "load", o, "/sys/fs/bpf/x", "map", "nope.type=hash"), 1,
		 "no map 'nope'");
	/* malformed: usage errors (exit 2) */
	assert_int_equal(CU_RUN(&r, "run", o, "--map", "stacks=1"), 2);
	assert_non_null(strstr(r.err, "expected MAP.FIELD=VALUE, got 'stacks=1'"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", o, "--skip"), 2);
	proc_run_free(&r);
}

/*
 * With -j, wherever it stands: a failure is exactly {"error":"<the line>"} on
 * stdout and nothing on stderr (bpftool's contract), for every command.
 */
static void json_error(const char *const *args, int want_code, const char *want)
{
	char exp[512];
	struct proc_run r;

	assert_int_equal(cu_run(&r, args), want_code);
	snprintf(exp, sizeof(exp), "{\"error\":\"%s\"}\n", want);
	assert_string_equal(r.out, exp);
	assert_string_equal(r.err, "");
	proc_run_free(&r);
}

#define JSON_ERR(code, want, ...) json_error((const char *const[]){ __VA_ARGS__, NULL }, code, want)

static void test_json_errors(void **state)
{
	struct proc_run r;

	(void)state;
	JSON_ERR(1, "--set cfg=x: 'cfg' is neither an integer nor a char array",
		 "-j", "run", FIX "run_tweaks.bpf.o", "--set", "cfg=x");
	JSON_ERR(1, "--skip nope: no program 'nope' in run_tweaks",
		 "run", FIX "run_tweaks.bpf.o", "--skip", "nope", "-j");
	JSON_ERR(1, "/nonexistent/x.o: No such file or directory",
		 "prog", "loadall", "/nonexistent/x.o", "/sys/fs/bpf/x", "-j");
	JSON_ERR(1, "/nonexistent/x.o: No such file or directory",
		 "prog", "load", "-j", "/nonexistent/x.o", "/sys/fs/bpf/x");
	JSON_ERR(1, "/dev/null: Invalid argument (not a regular file)", "inspect", "/dev/null", "-j");
	JSON_ERR(2, "missing object file", "-j", "run");
	JSON_ERR(2, "unknown command 'nope'", "-j", "nope");
	JSON_ERR(2, "'version' takes no arguments", "version", "x", "-j");
	/* and without -j, the same line on stderr */
	one_line(&r, CU_RUN(&r, "inspect", "/dev/null"), 1,
		 "barebpf: /dev/null: Invalid argument (not a regular file)");
	/* version -j after the command */
	assert_int_equal(CU_RUN(&r, "version", "-j"), 0);
	assert_non_null(strstr(r.out, "{\"version\":\""));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "version", "-p"), 0);
	assert_non_null(strstr(r.out, "{\n    \"version\": \""));
	proc_run_free(&r);
}

/* samples/bpf's kern_version 0xFFFFFFFE ("the running kernel's") is said as such. */
static void test_inspect_kern_version_magic(void **state)
{
	struct proc_run r;

	(void)state;
	cu_expect_ok(&r, CU_RUN(&r, "inspect", FIX "kver_magic.bpf.o"));
	assert_non_null(strstr(r.out, "kern_version: 0xfffffffe (the running kernel's)\n"));
	assert_null(strstr(r.out, "65535.255.254"));
	proc_run_free(&r);
}

/* "prog show" with a bad PROG: prog show's own message, not the top-level usage. */
static void test_prog_show_usage(void **state)
{
	struct proc_run r;

	(void)state;
	assert_int_equal(CU_RUN(&r, "prog", "show", "bogus"), 2);
	assert_non_null(strstr(r.err, "barebpf: prog show: "));
	assert_null(strstr(r.err, "Commands:"));
	proc_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_paths_and_tweaks_refused),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_inspect_kern_version_magic),
		cmocka_unit_test(test_prog_show_usage),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_structure),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_license_escaping),
		cmocka_unit_test(test_prog_usage),
		cmocka_unit_test(test_run_bad_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
