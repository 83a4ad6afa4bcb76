// SPDX-License-Identifier: BSD-2-Clause
/*
 * `barebpf run` streams bpf_printk output from a private tracefs instance
 * (src/cli/trace.c), and reads it without relying on poll alone. Each test
 * runs the bundled minimal example (a tracepoint on write() of its own pid,
 * about ten lines a second) and checks the lines it printed:
 *  - stale lines in the top-level buffer never show;
 *  - the top-level bpf_trace_printk event disabled mid-run changes nothing;
 *  - the instance's buffer_percent at 50 and at 100 (poll may then not wake
 *    for a few lines) changes nothing;
 *  - two runs at once each see their own lines;
 *  - no instance is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "bg_run.h"
#include "kernel_avail.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define OBJ BBPF_BUILD_DIR "/bpf/minimal.bpf.o"
#define TRACEFS "/sys/kernel/tracing"
#define TOP_ENABLE TRACEFS "/events/bpf_trace/bpf_trace_printk/enable"

static void run_bg(struct bg_run *b, const char *duration)
{
	char *const argv[] = { CLI, "run", OBJ, "--duration", (char *)duration, "--set",
			       "my_pid=self", NULL };

	bg_start(b, argv);
}

/* Waits for the run; its stdout (caller frees). Fails the test if it did not exit 0. */
static char *run_finish(struct bg_run *b)
{
	char *out, *err;
	int status = bg_finish(b, &out, &err);

	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("run exited with status %d: %s", status, err);
	free(err);
	return out;
}

/* Lines saying "BPF triggered from PID <pid>". */
static int own_lines(const char *out, pid_t pid)
{
	char needle[64];
	const char *p = out;
	int n = 0;

	snprintf(needle, sizeof(needle), "BPF triggered from PID %d.", (int)pid);
	while ((p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

static int instance_cnt(void)
{
	DIR *d = opendir(TRACEFS "/instances");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, "barebpf-", 8);
	closedir(d);
	return n;
}

/*
 * The run's instance directory, waiting up to 5 s for it and for its files
 * (tracefs fills a new instance after the directory appears: under load a
 * test could see the directory without its buffer_percent yet).
 */
static void wait_instance(pid_t pid, char *dir, size_t size)
{
	char file[PATH_MAX + 32];
	struct stat st;
	int i;

	snprintf(dir, size, TRACEFS "/instances/barebpf-%d-0", (int)pid);
	snprintf(file, sizeof(file), "%s/buffer_percent", dir);
	for (i = 0; i < 500 && stat(file, &st); i++)
		bg_sleep_ms(10);
	if (stat(file, &st))
		fail_msg("run %d made no instance %s (or it has no buffer_percent)", (int)pid, dir);
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	return 0;
}

static void need(void)
{
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	if (access(CLI, X_OK) || access(OBJ, R_OK))
		fail_msg("%s or %s missing: run `make all fixtures`", CLI, OBJ);
	assert_int_equal(instance_cnt(), 0);
}

static void test_stale_lines_not_shown(void **state)
{
	struct bg_run b;
	char *out;
	int i;

	(void)state;
	need();
	for (i = 0; i < 3; i++)
		write_text(TRACEFS "/trace_marker", "barebpf-stale-line\n");
	run_bg(&b, "1.5");
	out = run_finish(&b);
	assert_true(own_lines(out, b.pid) >= 3);
	assert_null(strstr(out, "barebpf-stale-line"));
	free(out);
	assert_int_equal(instance_cnt(), 0);
	/* the stale lines are still in the top-level buffer: run did not take them */
	write_text(TRACEFS "/trace", "");	/* clear for later tests */
}

static void test_toplevel_event_disabled(void **state)
{
	char dir[PATH_MAX];
	struct bg_run b;
	char *out, *before;
	int n_before;

	(void)state;
	need();
	before = bg_slurp(TOP_ENABLE);
	run_bg(&b, "3");
	wait_instance(b.pid, dir, sizeof(dir));
	bg_sleep_ms(300);
	write_text(TOP_ENABLE, "0");	/* the load enabled it; off from here on */
	out = run_finish(&b);
	write_text(TOP_ENABLE, before[0] == '1' ? "1" : "0");
	free(before);
	n_before = own_lines(out, b.pid);
	/* about ten lines a second for 3 s, most of them after the top-level event went off */
	if (n_before < 15)
		fail_msg("only %d lines with the top-level event disabled:\n%s", n_before, out);
	free(out);
	assert_int_equal(instance_cnt(), 0);
}

static void buffer_percent(const char *pct)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct bg_run b;
	char *out;
	int n;

	run_bg(&b, "3");
	wait_instance(b.pid, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/buffer_percent", dir);
	write_text(path, pct);
	out = run_finish(&b);
	n = own_lines(out, b.pid);
	if (n < 15)
		fail_msg("buffer_percent %s: only %d lines in 3 s:\n%s", pct, n, out);
	free(out);
	assert_int_equal(instance_cnt(), 0);
}

static void test_buffer_percent_50(void **state)
{
	(void)state;
	need();
	buffer_percent("50");
}

static void test_buffer_percent_100(void **state)
{
	(void)state;
	need();
	buffer_percent("100");
}

static void test_two_runs_at_once(void **state)
{
	struct bg_run a, b;
	char *out_a, *out_b;

	(void)state;
	need();
	run_bg(&a, "2.5");
	run_bg(&b, "2.5");
	out_a = run_finish(&a);
	out_b = run_finish(&b);
	/* each run's program fires for its own writes; each run sees all of its lines */
	if (own_lines(out_a, a.pid) < 10 || own_lines(out_b, b.pid) < 10)
		fail_msg("two runs: %d and %d own lines", own_lines(out_a, a.pid),
			 own_lines(out_b, b.pid));
	free(out_a);
	free(out_b);
	assert_int_equal(instance_cnt(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_lines_not_shown),
		cmocka_unit_test(test_toplevel_event_disabled),
		cmocka_unit_test(test_buffer_percent_50),
		cmocka_unit_test(test_buffer_percent_100),
		cmocka_unit_test(test_two_runs_at_once),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
