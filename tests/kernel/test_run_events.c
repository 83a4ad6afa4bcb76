// SPDX-License-Identifier: BSD-2-Clause
/*
 * `barebpf run` shows the data: ring buffer records (run_bootstrap.bpf.o,
 * libbpf-bootstrap's bootstrap in miniature) and perf buffer records
 * (run_execsnoop.bpf.o, execsnoop's perf flavour) decoded with the type
 * --event names, while the test execs a known program; iterator output once
 * after attach; --dump of a map at the end; bytes and a hint without
 * --event; a missing type said; and a run whose programs all fail to attach
 * fails, naming them.
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
#include <unistd.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "bg_run.h"
#include "json_mini.h"
#include "kernel_avail.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define FIX(name) BBPF_BUILD_DIR "/bpf/" name

/* A program to exec whose comm the test knows: a symlink named "bbpfruntrue" to /bin/false. */
static char prog_path[64];

static void need(void)
{
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	if (access(CLI, X_OK))
		fail_msg("%s missing: run `make all fixtures`", CLI);
}

static int setup(void **state)
{
	(void)state;
	snprintf(prog_path, sizeof(prog_path), "/tmp/bbpfrun%d/bbpfruntrue", (int)getpid());
	return 0;
}

/* Exec prog_path (exits 1) in a child; its pid. */
static pid_t exec_known(void)
{
	char dir[64];
	pid_t pid;
	int status;

	snprintf(dir, sizeof(dir), "/tmp/bbpfrun%d", (int)getpid());
	mkdir(dir, 0700);
	unlink(prog_path);
	assert_int_equal(symlink("/bin/false", prog_path), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(prog_path, "bbpfruntrue", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	unlink(prog_path);
	rmdir(dir);
	return pid;
}

/* Run argv in the background; once it says it attached, exec the known program; its output. */
static int run_with_exec(char *const argv[], pid_t *child, char **out, char **err)
{
	struct bg_run b;
	int status;

	bg_start(&b, argv);
	if (!bg_wait_stderr(&b, "attached", 10000)) {
		status = bg_finish(&b, out, err);
		fail_msg("run did not attach (status %d): %s", status, *err);
	}
	bg_sleep_ms(200);
	*child = exec_known();
	return bg_finish(&b, out, err);
}

/* The first line of out holding all of needles; NULL if none (a pointer into out). */
static const char *find_line(const char *out, const char *const *needles, size_t n)
{
	const char *line = out;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line), i;
		bool all = true;

		for (i = 0; i < n && all; i++) {
			const char *p = strstr(line, needles[i]);

			all = p && p < line + len;
		}
		if (all)
			return line;
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

/* Every stdout line is one JSON object that parses. */
static void all_lines_json(const char *out)
{
	const char *line = out;
	size_t n = 0;

	while (*line) {
		const char *end = strchr(line, '\n');
		char buf[65536];
		size_t len = end ? (size_t)(end - line) : strlen(line);
		struct jm_value *v;

		assert_true(len < sizeof(buf));
		memcpy(buf, line, len);
		buf[len] = '\0';
		v = jm_parse(buf);
		if (!v || v->type != JM_OBJECT)
			fail_msg("not a JSON object: %s", buf);
		jm_free(v);
		n++;
		if (!end)
			break;
		line = end + 1;
	}
	assert_true(n > 0);
}

static void test_ringbuf_decoded_json(void **state)
{
	char *const argv[] = { CLI, "-j", "run", FIX("run_bootstrap.bpf.o"), "--duration", "2.5",
			       "--event", "rb=event", "--dump", "exec_start", NULL };
	char exec_pid[32], exit_pid[32], pidtxt[32], key[48], *out, *err;
	const char *exec_needles[3], *exit_needles[3], *line;
	struct bg_run b;
	pid_t child, sleeper;
	int status;

	(void)state;
	need();
	/* a process that execs while the run is on and is still there at its end: in exec_start */
	bg_start(&b, argv);
	if (!bg_wait_stderr(&b, "attached", 10000)) {
		status = bg_finish(&b, &out, &err);
		fail_msg("run did not attach (status %d): %s", status, err);
	}
	bg_sleep_ms(200);
	sleeper = fork();
	assert_true(sleeper >= 0);
	if (sleeper == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	child = exec_known();
	status = bg_finish(&b, &out, &err);
	kill(sleeper, SIGKILL);
	waitpid(sleeper, NULL, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("run failed (%d): %s", status, err);
	all_lines_json(out);
	snprintf(exec_pid, sizeof(exec_pid), "\"pid\":%d,", (int)child);
	snprintf(exit_pid, sizeof(exit_pid), "\"pid\":%d,", (int)child);
	exec_needles[0] = "{\"map\":\"rb\",\"data\":{";
	exec_needles[1] = exec_pid;
	exec_needles[2] = "\"comm\":\"bbpfruntrue\"";
	line = find_line(out, exec_needles, 3);
	if (!line)
		fail_msg("no exec record of pid %d (bbpfruntrue) in:\n%.4000s", (int)child, out);
	assert_non_null(strstr(line, "\"filename\":\"/tmp/bbpfrun"));
	assert_non_null(strstr(line, "\"exit_event\":false"));
	exit_needles[0] = exit_pid;
	exit_needles[1] = "\"exit_event\":true";
	exit_needles[2] = "\"exit_code\":1,";
	if (!find_line(out, exit_needles, 3))
		fail_msg("no exit record of pid %d with exit code 1", (int)child);
	/* the iterator's output, once, with this test's pid */
	snprintf(pidtxt, sizeof(pidtxt), "task %d\\n", (int)getpid());
	line = strstr(out, "{\"iter\":\"dump_task\",\"text\":\"");
	assert_non_null(line);
	assert_non_null(strstr(line, pidtxt));
	assert_null(strstr(line + 1, "{\"iter\":"));
	/* the map, at the end, as bpftool -j map dump (keys are pids) */
	line = strstr(out, "{\"map\":\"exec_start\",\"dump\":[");
	assert_non_null(line);
	snprintf(key, sizeof(key), "\"formatted\":{\"key\":%d,", (int)sleeper);
	if (!strstr(line, key))
		fail_msg("the dump has no entry for pid %d", (int)sleeper);
	free(out);
	free(err);
}

static void test_perfbuf_partial_record(void **state)
{
	char *const argv[] = { CLI, "-j", "run", FIX("run_execsnoop.bpf.o"), "--duration", "2",
			       "--event", "events=exec_event", NULL };
	const char *needles[3];
	char pid[32], *out, *err, *line, *eol;
	pid_t child;
	int status;

	(void)state;
	need();
	status = run_with_exec(argv, &child, &out, &err);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("run failed (%d): %s", status, err);
	all_lines_json(out);
	snprintf(pid, sizeof(pid), "\"pid\":%d,", (int)child);
	needles[0] = "{\"map\":\"events\",\"cpu\":";
	needles[1] = pid;
	/* the comm before exec (the test's); arg0 may read as "" when its page is not in */
	needles[2] = "\"arg0\":";
	line = (char *)find_line(out, needles, 3);
	if (!line) {
		FILE *f = fopen("/tmp/bbpf_run_events_fail.txt", "w");

		if (f) {
			fputs(out, f);
			fclose(f);
		}
		fail_msg("no perf record of pid %d (output in /tmp/bbpf_run_events_fail.txt)",
			 (int)child);
	}
	/* that line only: another process running tail(1) meanwhile prints "arg0":"tail" */
	eol = strchr(line, '\n');
	if (eol)
		*eol = '\0';
	assert_non_null(strstr(line, "\"comm\":"));
	/* 16 bytes of the struct were never sent: that field is left out */
	assert_null(strstr(line, "\"tail\":"));
	free(out);
	free(err);
}

static void test_bytes_and_hint(void **state)
{
	char *const argv[] = { CLI, "run", FIX("run_bootstrap.bpf.o"), "--duration", "2", NULL };
	char *out, *err, prefix[64];
	pid_t child;
	int status;

	(void)state;
	need();
	status = run_with_exec(argv, &child, &out, &err);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("run failed (%d): %s", status, err);
	/* the hint once, naming the option */
	assert_non_null(strstr(err, "--event rb=TYPE"));
	assert_null(strstr(strstr(err, "--event rb=TYPE") + 1, "--event rb=TYPE"));
	/* bytes: the record starts with the pid, little-endian */
	snprintf(prefix, sizeof(prefix), "rb: %02x %02x %02x %02x ", child & 0xff,
		 (child >> 8) & 0xff, (child >> 16) & 0xff, (child >> 24) & 0xff);
	if (!strstr(out, prefix))
		fail_msg("no '%s' line in:\n%.2000s", prefix, out);
	free(out);
	free(err);
}

static void test_missing_type_said(void **state)
{
	char *const argv[] = { CLI, "run", FIX("run_bootstrap.bpf.o"), "--duration", "0.5",
			       "--event", "rb=no_such_type", NULL };
	struct bg_run b;
	char *out, *err;
	int status;

	(void)state;
	need();
	bg_start(&b, argv);
	status = bg_finish(&b, &out, &err);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_non_null(strstr(err, "has no type 'no_such_type'"));
	free(out);
	free(err);
}

static void test_nothing_attached_fails(void **state)
{
	char *const argv[] = { CLI, "run", FIX("run_noattach.bpf.o"), "--duration", "0.5", NULL };
	struct bg_run b;
	char *out, *err;
	int status;

	(void)state;
	need();
	bg_start(&b, argv);
	status = bg_finish(&b, &out, &err);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	/* why the program failed, the one not auto-attachable, and the verdict naming it */
	assert_non_null(strstr(err, "program 'on_nothing': tracepoint"));
	assert_non_null(strstr(err, "program 'filter' (section 'socket') not attached"));
	assert_non_null(strstr(err, "nothing attached: 'on_nothing' failed"));
	assert_string_equal(out, "");
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ringbuf_decoded_json),
		cmocka_unit_test(test_perfbuf_partial_record),
		cmocka_unit_test(test_bytes_and_hint),
		cmocka_unit_test(test_missing_type_said),
		cmocka_unit_test(test_nothing_attached_fails),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
