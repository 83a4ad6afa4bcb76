// SPDX-License-Identifier: BSD-2-Clause
/*
 * One libbpf application, two builds: tests/diff/compat_app.c with a
 * skeleton Debian's bpftool 7.1 generated (build/compat/compat_app.skel.h),
 * compiled against Debian's libbpf 1.1 (build/compat/app-libbpf) and
 * against barebpf-libbpf's headers and libraries
 * (build/compat/app-barebpf, -Wall -Wmissing-field-initializers -Werror
 * -Werror=undef). Both must print the same, line by line:
 *  - on the kernel: open, iterate, set .rodata, load, attach (tp/ and
 *    raw_tp/), trigger, read through global data, hash and per-CPU maps,
 *    batch lookup, ring buffer, perf buffer; BTF and its dumpers; vmlinux
 *    BTF; feature probes; error conventions; destroy;
 *  - without a kernel: every type of four fixtures' BTF as C and as typed
 *    data under four option sets.
 * Where libbpf 1.1 and 1.8 (which barebpf follows) differ, the line may
 * differ only in the way that difference explains:
 *  - emit_zeroes lines (tagged "/2]"): 1.8 prints the
 *    NUL that ends a char array ('\0'), 1.1 did not and then left every
 *    later array of the value empty ("[]"); the return value is the same;
 *  - data cut short ("/short]"): 1.8 checks only the bytes a bitfield spans
 *    against the data end, 1.1 its whole storage unit, so 1.1 stops before
 *    such a bitfield: its line is a prefix of barebpf's, same return value.
 * The run also asserts what the application must have achieved (loaded,
 * attached, 5 events through each channel), so that two equal failures do
 * not pass.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "kernel_avail.h"
#include "proc_run.h"

#define APP_LIBBPF BBPF_BUILD_DIR "/compat/app-libbpf"
#define APP_BAREBPF BBPF_BUILD_DIR "/compat/app-barebpf"

/* Run an app, its stdout; fails the test if it did not exit 0. */
static char *run(const char *app, const char *arg1, const char *arg2)
{
	char *argv[] = { (char *)app, (char *)arg1, (char *)arg2, NULL };
	struct proc_run r;
	char *out;

	if (!arg1)
		argv[1] = NULL;
	assert_int_equal(proc_run(argv, &r), 0);
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
		fail_msg("%s %s: status 0x%x\nstdout:\n%s\nstderr:\n%s", app, arg1 ? arg1 : "",
			 r.status, r.out, r.err);
	out = r.out;
	r.out = NULL;
	proc_run_free(&r);
	return out;
}

/* The next line of *s (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **s)
{
	char *l = *s, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = l + strlen(l);
	}
	return l;
}

static const char *ret_of(const char *line)
{
	const char *r = strstr(line, " => ");

	return r ? r : "";
}

struct stats {
	int lines, same, zeroes, short_prefix;
};

/* Whether a differing pair is one libbpf 1.1 -> 1.8 change explains; counts it. */
static bool explained(const char *a, const char *b, struct stats *st)
{
	size_t pa;

	if (strstr(a, "/2] ")) {
		/* the NUL of a char array: printed by 1.8, and 1.1's empty arrays after it */
		if (strstr(b, "'\\0'") && !strcmp(ret_of(a), ret_of(b))) {
			st->zeroes++;
			return true;
		}
		return false;
	}
	if (strstr(a, "/short] ")) {
		/* 1.1 stops before a bitfield whose storage unit passes the end */
		pa = strlen(a) - strlen(ret_of(a));
		if (!strcmp(ret_of(a), ret_of(b)) && !strncmp(a, b, pa)) {
			st->short_prefix++;
			return true;
		}
	}
	return false;
}

static void compare(const char *what, char *out_a, char *out_b, struct stats *st)
{
	char *a, *b, *sa = out_a, *sb = out_b;

	for (;;) {
		a = next_line(&sa);
		b = next_line(&sb);
		if (!a && !b)
			break;
		if (!a || !b)
			fail_msg("%s: libbpf's output has %s lines than barebpf's (at \"%s\")", what,
				 a ? "more" : "fewer", a ? a : b);
		st->lines++;
		if (!strcmp(a, b)) {
			st->same++;
			continue;
		}
		if (!explained(a, b, st))
			fail_msg("%s: line %d differs:\nlibbpf:  %s\nbarebpf: %s", what, st->lines,
				 a, b);
	}
}

static void assert_has_line(const char *out, const char *line)
{
	const char *p = out;
	size_t n = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return;
		p += n;
	}
	fail_msg("no line \"%s\" in:\n%s", line, out);
}

static void test_app_on_kernel(void **state)
{
	struct stats st = { 0 };
	char *a, *b;

	(void)state;
	TK_NEED_KERNEL();
	a = run(APP_LIBBPF, NULL, NULL);
	b = run(APP_BAREBPF, NULL, NULL);
	/* what it had to achieve */
	assert_has_line(b, "load 0");
	assert_has_line(b, "bss kept its address: 1");
	assert_has_line(b, "attach 0 links: tp 1 raw 1 never 0");
	assert_has_line(b, "ringbuf events 5 seq sum 15");
	assert_has_line(b, "perfbuf events 5 seq sum 15 size 12");
	assert_has_line(b, "bss hits 5 data total 10");
	assert_has_line(b, "lookup self 0: cnt 5 comm compat-app flags 5 big 31");
	assert_has_line(b, "percpu 0 sum 5");
	assert_has_line(b, "second load: -22");
	assert_has_line(b, "done, warnings some");
	compare("compat_app", a, b, &st);
	assert_true(st.lines > 40);
	assert_int_equal(st.zeroes, 1);		/* the compact emit_zeroes dump */
	assert_int_equal(st.same, st.lines - 1);
	free(a);
	free(b);
}

static void test_btf_dump(void **state)
{
	static const char *const fixtures[] = { "dump_types", "compat_app", "globals",
						"maps_btf" };
	struct stats st = { 0 };
	char path[512], *a, *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, fixtures[i]);
		a = run(APP_LIBBPF, "btf-dump", path);
		b = run(APP_BAREBPF, "btf-dump", path);
		compare(path, a, b, &st);
		free(a);
		free(b);
	}
	print_message("btf-dump: %d lines, %d equal, %d NUL-of-char-array (1.8), "
		      "%d bitfield-end (1.8)\n", st.lines, st.same, st.zeroes, st.short_prefix);
	assert_true(st.lines > 2000);
	/* most lines are equal; the explained ones stay few */
	assert_true(st.same > st.lines - 30);
	assert_true(st.zeroes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_btf_dump),
		cmocka_unit_test(test_app_on_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
