// SPDX-License-Identifier: BSD-2-Clause
/*
 * "barebpf prog loadall" and "barebpf run" against the running kernel, run
 * as programs: a failed load or pin leaves no pins behind, the legacy map
 * format loads, run triggers the program and sets globals. Every pin is
 * made under /sys/fs/bpf/t_<pid>_* and removed by the teardown, whatever
 * the test did. The comparisons with bpftool's loadall are in
 * tests/diff/test_cli_load_bpftool.c; usage errors in tests/unit/test_cli.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_util.h"
#include "kernel_avail.h"
#include "proc_spawn_pid.h"

#define FIX BBPF_FIXTURE_DIR "/"

/* Every path a test may create; all removed after each test. */
static char dirs[3][64];
#define d_progs dirs[0]
#define d_maps dirs[1]
#define d_tmp dirs[2]	/* not on bpffs */

static int group_setup(void **state)
{
	static const char *const fmt[] = { "/sys/fs/bpf/t_%d", "/sys/fs/bpf/t_%d_maps",
					   "/tmp/t_%d_notbpffs" };

	(void)state;
	cu_pin_dirs_init(dirs, fmt, 3);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cu_pin_dirs_rm(dirs, 3);
	return 0;
}

/* An array map pinned at path (a pin in the way of a program's). */
static void pin_array(const char *path)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	snprintf(a.map_name, sizeof(a.map_name), "clash");
	fd = (int)syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	a.bpf_fd = (uint32_t)fd;
	assert_int_equal(syscall(__NR_bpf, BPF_OBJ_PIN, &a, sizeof(a)), 0);
	close(fd);
}

static void test_load_failure_leaves_no_pins(void **state)
{
	struct proc_run r;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	/* fentry programs are refused here (EPERM/ENOENT from the kernel). */
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "progs_sections.bpf.o", d_progs,
				 "pinmaps", d_maps),
			 1);
	if (!strstr(r.err, "barebpf: ") || !strstr(r.err, "load"))
		fail_msg("no error message: [%s]", r.err);
	assert_false(cu_exists(d_progs));
	assert_false(cu_exists(d_maps));
	proc_run_free(&r);
}

static void test_pin_failure_rolls_back(void **state)
{
	char clash[128], *names[CU_MAX_NAMES];
	struct proc_run r;
	int n;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	/* A pin that exists already, at one of the later programs' paths. */
	assert_int_equal(mkdir(d_progs, 0700), 0);
	snprintf(clash, sizeof(clash), "%s/xdp_pass", d_progs);
	pin_array(clash);
	assert_true(cu_exists(clash));
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "progs_loadable.bpf.o", d_progs),
			 1);
	assert_non_null(strstr(r.err, "xdp_pass"));
	proc_run_free(&r);
	n = cu_list_dir(d_progs, names);
	assert_int_equal(n, 1);		/* only the pin that was there before */
	assert_string_equal(names[0], "xdp_pass");
	cu_free_names(names, n);
	cu_rm_pins(d_progs);

	/* Maps cannot be pinned outside bpffs: the program pins go too. */
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "progs_loadable.bpf.o", d_progs,
				 "pinmaps", d_tmp),
			 1);
	proc_run_free(&r);
	assert_false(cu_exists(d_progs));
	assert_false(cu_exists(d_tmp));
}

static void test_loadall_legacy(void **state)
{
	static const char *const progs[] = { "count_packets", "kprobe_write", "trace_write",
					     "xdp_count" };
	static const char *const maps[] = { "outer_of_arrays", "pid_hash", "pkt_stats",
					    "write_counts" };
	char *names[CU_MAX_NAMES];
	struct proc_run r;
	int n, i;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	/* libbpf refuses this object; kprobe/ programs load (only attach fails here). */
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "legacy_maps.bpf.o", d_progs,
			      "pinmaps", d_maps));
	proc_run_free(&r);
	n = cu_list_dir(d_progs, names);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], progs[i]);
	cu_free_names(names, n);
	n = cu_list_dir(d_maps, names);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], maps[i]);
	cu_free_names(names, n);
}

static void test_run_minimal(void **state)
{
	char *argv[] = { (char *)CU_CLI, "run", (char *)FIX "minimal.bpf.o", "--duration", "2",
			 "--set", "my_pid=self", "--show", "write_count", NULL };
	char *out, *err, want[64];
	pid_t pid;
	int code;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	code = proc_spawn_pid(argv, &pid, &out, &err);
	if (code == -1000)
		fail_msg("cannot run %s", CU_CLI);
	if (code < 0)
		fail_msg("barebpf died by signal %d", -code);
	if (code)
		fail_msg("run exited %d; stderr:\n%s", code, err);
	snprintf(want, sizeof(want), "BPF triggered from PID %d", (int)pid);
	if (!strstr(out, want))
		fail_msg("no '%s' in the output:\n%s\nstderr:\n%s", want, out, err);
	assert_non_null(strstr(out, "\nwrite_count = "));
	assert_null(strstr(out, "write_count = 0 "));
	free(out);
	free(err);
}

static void test_run_set_values(void **state)
{
	struct proc_run r;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	/* ro_int and bar_int are only read by the programs. */
	cu_expect_ok(&r, CU_RUN(&r, "run", FIX "globals.bpf.o", "--duration", "0.2", "--set",
			      "ro_int=0x10", "--set", "bar_int=-7", "--show", "ro_int", "--show",
			      "bar_int"));
	assert_non_null(strstr(r.out, "ro_int = 16 (0x10)\n"));
	assert_non_null(strstr(r.out, "bar_int = 4294967289 (0xfffffff9)\n"));
	proc_run_free(&r);
}

/* perf_event programs: on every online CPU's clock, at --perf-freq. */
static void test_run_perf_event(void **state)
{
	struct proc_run r;
	unsigned long long total = 0;
	const char *p;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	cu_expect_ok(&r, CU_RUN(&r, "run", FIX "trace_kinds.bpf.o", "--duration", "0.5",
				"--perf-freq", "1000", "--show", "perf_total"));
	/* tp, raw_tp, tp_btf and iter auto-attached, plus the perf_event program */
	assert_non_null(strstr(r.err, "5 program(s) attached"));
	p = strstr(r.out, "perf_total = ");
	assert_non_null(p);
	total = strtoull(p + 13, NULL, 10);
	if (total < 50)
		fail_msg("perf_total %llu after 0.5 s at 1000 Hz", total);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "trace_kinds.bpf.o", "--perf-freq", "0"), 2);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "run", FIX "trace_kinds.bpf.o", "--perf-freq", "x"), 2);
	proc_run_free(&r);
}

/* fentry is refused here and the stack map has no size: --skip and --map make it run. */
static void test_run_skip_map_set_paths(void **state)
{
	const char *o = FIX "run_tweaks.bpf.o";
	struct proc_run r;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	/* without --map: the map's creation fails, on one line naming it */
	assert_int_equal(CU_RUN(&r, "run", o, "--duration", "0.1", "--skip", "on_fentry"), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "barebpf: run_tweaks: map 'stacks': creation failed"));
	proc_run_free(&r);
	/* without --skip: the fentry program's load fails (EPERM here), one line naming it */
	assert_int_equal(CU_RUN(&r, "run", o, "--duration", "0.1", "--map",
				"stacks.max_entries=64"), 1);
	if (!strstr(r.err, "program 'on_fentry'") || !strstr(r.err, "fentry/do_nanosleep"))
		fail_msg("no line naming on_fentry: [%s]", r.err);
	assert_string_equal(strstr(r.err, "barebpf: run_tweaks: program 'on_fentry'"), r.err +
			    strlen(r.err) - strlen(strstr(r.err, "barebpf: run_tweaks: program 'on_fentry'")));
	proc_run_free(&r);
	/* both: runs; the tracepoint sees the values set by path (hits counts getpid calls) */
	cu_expect_ok(&r, CU_RUN(&r, "run", o, "--duration", "0.3", "--skip", "on_fentry", "--map",
				"stacks.max_entries=64", "--set", "cfg.port=80", "--set", "targ[2]=1",
				"--set", "cfg.inner.mask=7", "--set", "cfg.comm=a\"b\\",
				"--set", "cfg.ids[1]=513", "--show", "cfg.port", "--show", "targ[2]",
				"--show", "cfg.comm", "--show", "cfg.ids[1]", "--show", "hits"));
	assert_non_null(strstr(r.out, "cfg.port = 80 (0x50)\n"));
	assert_non_null(strstr(r.out, "targ[2] = 1 (0x1)\n"));
	assert_non_null(strstr(r.out, "cfg.comm = \"a\\\"b\\\\\"\n"));	/* escaped */
	assert_non_null(strstr(r.out, "cfg.ids[1] = 513 (0x201)\n"));
	assert_non_null(strstr(r.out, "hits = "));
	proc_run_free(&r);
}

/* loadall skip/map, and "prog load OBJ PATH": the first program at PATH, as bpftool. */
static void test_loadall_skip_map_and_load(void **state)
{
	const char *o = FIX "run_tweaks.bpf.o";
	char *names[CU_MAX_NAMES];
	struct proc_run r;
	int n;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", o, d_progs, "skip", "on_fentry", "map",
				"stacks.max_entries=8", "pinmaps", d_maps));
	proc_run_free(&r);
	n = cu_list_dir(d_progs, names);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "on_getpid");
	cu_free_names(names, n);
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/stacks", d_maps);
		assert_int_equal(CU_RUN(&r, "-j", "map", "show", "pinned", path), 0);
		assert_non_null(strstr(r.out, "\"max_entries\":8,"));
		proc_run_free(&r);
	}
	cu_rm_pins(d_progs);
	cu_rm_pins(d_maps);
	/* prog load: one pin, at d_progs itself, of the first program loaded */
	cu_expect_ok(&r, CU_RUN(&r, "prog", "load", o, d_progs, "--skip", "on_fentry", "--map",
				"stacks.max_entries=8"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "-j", "prog", "show", "pinned", d_progs), 0);
	assert_non_null(strstr(r.out, "\"name\":\"on_getpid\""));
	proc_run_free(&r);
	/* a pin already there: one line, from the library, naming the program and path */
	assert_int_equal(CU_RUN(&r, "prog", "load", o, d_progs, "--skip", "on_fentry", "--map",
				"stacks.max_entries=8"), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "program 'on_getpid'"));
	assert_non_null(strstr(r.err, "EEXIST"));
	proc_run_free(&r);
}

/*
 * skip on a prog array slot's target (maps_btf: jmp_table[3] = &tail_b): the
 * load fails as libbpf's does (-EBADF), on one line naming the map, the slot
 * and the program; nothing pinned (pinned_hash, pinned by name at the pin
 * root, unpinned again unless it was there before).
 */
static void test_loadall_skip_slot_target(void **state)
{
	const char *o = FIX "maps_btf.bpf.o";
	bool had_pin = cu_exists("/sys/fs/bpf/pinned_hash");
	char *names[CU_MAX_NAMES], path[128];
	struct proc_run r;
	int n, code;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	assert_int_equal(CU_RUN(&r, "prog", "loadall", o, d_progs, "skip", "tail_b", "pinmaps",
				d_maps), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	if (!strstr(r.err, "barebpf: maps_btf: map 'jmp_table': cannot set slot 3 to program "
			   "'tail_b': not loaded") || !strstr(r.err, "EBADF"))
		fail_msg("not the slot's line: [%s]", r.err);
	proc_run_free(&r);
	n = cu_list_dir(d_progs, names);
	cu_free_names(names, n);
	assert_true(n <= 0);
	n = cu_list_dir(d_maps, names);
	cu_free_names(names, n);
	assert_true(n <= 0);
	if (!had_pin)
		assert_false(cu_exists("/sys/fs/bpf/pinned_hash"));
	/* without skip: loads, tail_b among the pins */
	code = CU_RUN(&r, "prog", "loadall", o, d_progs);
	if (!had_pin)
		unlink("/sys/fs/bpf/pinned_hash");	/* this load's, also on failure */
	cu_expect_ok(&r, code);
	proc_run_free(&r);
	snprintf(path, sizeof(path), "%s/tail_b", d_progs);
	assert_true(cu_exists(path));
}

/* The cases, each exactly one line saying what and why. */
static void test_failures_one_line(void **state)
{
	char kc[64];
	struct proc_run r;
	FILE *f;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "legacy_big_nonzero.bpf.o", d_progs), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "legacy map 'future_array' has unknown non-zero fields"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "inspect", FIX "legacy_big_nonzero.bpf.o"), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "legacy map 'future_array' has unknown non-zero fields"));
	proc_run_free(&r);
	snprintf(kc, sizeof(kc), "/tmp/t_%d_kconfig", (int)getpid());
	f = fopen(kc, "w");
	assert_non_null(f);
	fputs("# not the kernel's\nCONFIG_FOO=y\n", f);
	fclose(f);
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "externs.bpf.o", d_progs, "kconfig", kc),
			 1);
	unlink(kc);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "extern 'CONFIG_"));
	assert_null(strstr(r.err, "No such process"));
	proc_run_free(&r);
	/* an existing pin: reported once */
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "globals.bpf.o", d_progs));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "globals.bpf.o", d_progs), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "EEXIST"));
	proc_run_free(&r);
	/* a verifier refusal: the log, then the one line naming the program, which ends it */
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "legacy_maps.bpf.o", d_maps, "type",
				"cgroup/sysctl"), 1);
	assert_non_null(strstr(r.err, "barebpf: verifier: "));
	assert_non_null(strstr(r.err, "program 'xdp_count': load failed (section 'xdp_prog'): "
				      "-EINVAL\n"));
	assert_int_equal(strlen(strstr(r.err, "program 'xdp_count': load failed")),
			 strlen("program 'xdp_count': load failed (section 'xdp_prog'): -EINVAL\n"));
	proc_run_free(&r);
	/* and with -j: that line alone, as JSON, nothing on stderr */
	assert_int_equal(CU_RUN(&r, "-j", "prog", "loadall", FIX "legacy_maps.bpf.o", d_maps,
				"type", "cgroup/sysctl"), 1);
	assert_string_equal(r.out, "{\"error\":\"legacy_maps: program 'xdp_count': load failed "
			    "(section 'xdp_prog'): -EINVAL\"}\n");
	assert_string_equal(r.err, "");
	proc_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_load_failure_leaves_no_pins, teardown),
		cmocka_unit_test_teardown(test_pin_failure_rolls_back, teardown),
		cmocka_unit_test_teardown(test_loadall_legacy, teardown),
		cmocka_unit_test(test_run_minimal),
		cmocka_unit_test(test_run_set_values),
		cmocka_unit_test(test_run_perf_event),
		cmocka_unit_test_teardown(test_run_skip_map_set_paths, teardown),
		cmocka_unit_test_teardown(test_loadall_skip_map_and_load, teardown),
		cmocka_unit_test_teardown(test_failures_one_line, teardown),
		cmocka_unit_test_teardown(test_loadall_skip_slot_target, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, teardown);
}
