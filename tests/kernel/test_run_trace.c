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

#include "kernel_avail.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define OBJ BBPF_BUILD_DIR "/bpf/minimal.bpf.o"
#define TRACEFS "/sys/kernel/tracing"
#define TOP_ENABLE TRACEFS "/events/bpf_trace/bpf_trace_printk/enable"

struct bg {
	pid_t pid;
	char out[64], err[64];	/* temp files */
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void bg_start(struct bg *b, const char *duration)
{
	int fo, fe;

	snprintf(b->out, sizeof(b->out), "/tmp/bbpf_run_out_XXXXXX");
	snprintf(b->err, sizeof(b->err), "/tmp/bbpf_run_err_XXXXXX");
	fo = mkstemp(b->out);
	fe = mkstemp(b->err);
	assert_true(fo >= 0 && fe >= 0);
	b->pid = fork();
	assert_true(b->pid >= 0);
	if (b->pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execl(CLI, CLI, "run", OBJ, "--duration", duration, "--set", "my_pid=self",
		      (char *)NULL);
		_exit(127);
	}
	close(fo);
	close(fe);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Waits for the run; its stdout (caller frees). Fails the test if it did not exit 0. */
static char *bg_finish(struct bg *b)
{
	char *out, *err;
	int status;

	assert_int_equal(waitpid(b->pid, &status, 0), b->pid);
	out = slurp(b->out);
	err = slurp(b->err);
	unlink(b->out);
	unlink(b->err);
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

/* The run's instance directory, waiting up to 5 s for it. */
static void wait_instance(pid_t pid, char *dir, size_t size)
{
	struct stat st;
	int i;

	snprintf(dir, size, TRACEFS "/instances/barebpf-%d-0", (int)pid);
	for (i = 0; i < 500 && stat(dir, &st); i++)
		sleep_ms(10);
	if (stat(dir, &st))
		fail_msg("run %d made no instance %s", (int)pid, dir);
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
	struct bg b;
	char *out;
	int i;

	(void)state;
	need();
	for (i = 0; i < 3; i++)
		write_text(TRACEFS "/trace_marker", "barebpf-stale-line\n");
	bg_start(&b, "1.5");
	out = bg_finish(&b);
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
	struct bg b;
	char *out, *before;
	int n_before;

	(void)state;
	need();
	before = slurp(TOP_ENABLE);
	bg_start(&b, "3");
	wait_instance(b.pid, dir, sizeof(dir));
	sleep_ms(300);
	write_text(TOP_ENABLE, "0");	/* the load enabled it; off from here on */
	out = bg_finish(&b);
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
	struct bg b;
	char *out;
	int n;

	bg_start(&b, "3");
	wait_instance(b.pid, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/buffer_percent", dir);
	write_text(path, pct);
	out = bg_finish(&b);
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
	struct bg a, b;
	char *out_a, *out_b;

	(void)state;
	need();
	bg_start(&a, "2.5");
	bg_start(&b, "2.5");
	out_a = bg_finish(&a);
	out_b = bg_finish(&b);
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
