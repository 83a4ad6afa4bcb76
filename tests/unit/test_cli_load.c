// SPDX-License-Identifier: BSD-2-Clause
/*
 * "barebpf prog loadall" and "barebpf run" against the real kernel, run as
 * programs. Needs root and a BPF file system at /sys/fs/bpf; otherwise every
 * kernel test is skipped with the reason printed. Reference: bpftool 7.1
 * ("prog loadall" of the same object: same pinned program names and types).
 * Every pin is made under /sys/fs/bpf/t_<pid>_* and removed by the teardown,
 * whatever the test did.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_mini.h"
#include "proc_run.h"
#include "proc_spawn_pid.h"
#include "ref_tools.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define FIX BBPF_FIXTURE_DIR "/"
#define BPF_FS_MAGIC 0xcafe4a11
#define MAX_NAMES 64

static char skip_reason[128];	/* non-empty: kernel tests are skipped */
static const char *bpftool;
/* Every path a test may create; all removed after each test. */
static char dirs[5][64];
#define d_progs dirs[0]
#define d_maps dirs[1]
#define d_ref dirs[2]
#define d_refmaps dirs[3]
#define d_tmp dirs[4]	/* not on bpffs */

/* ---- helpers ---- */

static int run_cli(struct proc_run *r, const char *const *args)
{
	char *argv[32] = { (char *)CLI };
	size_t i;

	for (i = 0; args[i]; i++) {
		assert_true(i + 2 < 32);
		argv[i + 1] = (char *)args[i];
	}
	if (proc_run(argv, r))
		fail_msg("cannot run %s (make build/barebpf)", CLI);
	if (WIFSIGNALED(r->status))
		fail_msg("barebpf died by signal %d; stderr: %s", WTERMSIG(r->status), r->err);
	return WEXITSTATUS(r->status);
}

#define CLI_RUN(r, ...) run_cli(r, (const char *const[]){ __VA_ARGS__, NULL })

static void expect_ok(struct proc_run *r, int code)
{
	if (code != 0)
		fail_msg("barebpf exited %d; stderr:\n%s", code, r->err);
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir; returns the count (-1 if no such directory). */
static int list_dir(const char *dir, char *names[MAX_NAMES])
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		assert_true(n < MAX_NAMES);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	return n;
}

static void free_names(char *names[], int n)
{
	while (n > 0)
		free(names[--n]);
}

/* Remove a one-level directory of pins (or a file), if there. */
static void rm_pins(const char *dir)
{
	char *names[MAX_NAMES], path[512];
	int n = list_dir(dir, names), i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	free_names(names, n);
	if (rmdir(dir))
		unlink(dir);
}

/* Program names that autoload, from "barebpf inspect --json", sorted. */
static int inspect_progs(const char *obj, char *names[MAX_NAMES])
{
	const struct jm_value *progs;
	struct jm_value *root;
	struct proc_run r;
	size_t i;
	int n = 0;

	expect_ok(&r, CLI_RUN(&r, "inspect", "--json", obj));
	root = jm_parse(r.out);
	assert_non_null(root);
	progs = jm_get(root, "programs");
	assert_non_null(progs);
	for (i = 0; i < progs->len; i++) {
		const struct jm_value *al = jm_get(&progs->items[i], "autoload");

		if (al && al->boolean)
			names[n++] = strdup(jm_get(&progs->items[i], "name")->str);
	}
	jm_free(root);
	proc_run_free(&r);
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	return n;
}

/* The value of "key":"..." in the bpftool -j output of cmd (caller frees); NULL if none. */
static char *bpftool_field(const char *args, const char *key)
{
	char cmd[600], pat[64], *out, *p, *e, *v = NULL;

	snprintf(cmd, sizeof(cmd), "%s -j %s 2>/dev/null", bpftool, args);
	out = proc_capture(cmd);
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if (out && (p = strstr(out, pat))) {
		p += strlen(pat);
		if (*p == '"')
			p++;
		e = p + strcspn(p, "\",}");
		v = strndup(p, (size_t)(e - p));
	}
	free(out);
	return v;
}

static void assert_same_names(char *a[], int na, char *b[], int nb, const char *what)
{
	int i;

	if (na != nb)
		fail_msg("%s: %d names vs %d", what, na, nb);
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			fail_msg("%s: '%s' vs '%s'", what, a[i], b[i]);
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int obj_get(const char *path)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	return (int)sys_bpf(BPF_OBJ_GET, &a);
}

static int map_elem(int cmd, int fd, uint32_t key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)value;
	return (int)sys_bpf(cmd, &a);
}

#define SKIP_WITHOUT_KERNEL() do { \
		if (skip_reason[0]) { print_message("skipped: %s\n", skip_reason); skip(); } \
	} while (0)

/* ---- setup ---- */

static int group_setup(void **state)
{
	struct statfs st;
	int pid = (int)getpid();

	(void)state;
	static const char *const fmt[] = { "/sys/fs/bpf/t_%d", "/sys/fs/bpf/t_%d_maps",
					   "/sys/fs/bpf/t_%d_ref", "/sys/fs/bpf/t_%d_refmaps",
					   "/tmp/t_%d_notbpffs" };
	size_t i;

	for (i = 0; i < 5; i++)
		snprintf(dirs[i], sizeof(dirs[i]), fmt[i], pid);
	bpftool = ref_bpftool();
	if (geteuid() != 0)
		snprintf(skip_reason, sizeof(skip_reason), "not root");
	else if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC)
		snprintf(skip_reason, sizeof(skip_reason), "no BPF file system at /sys/fs/bpf");
	else if (!bpftool)
		snprintf(skip_reason, sizeof(skip_reason), "bpftool not installed");
	else if (!exists(FIX "progs_loadable.bpf.o") || !exists(FIX "minimal.bpf.o"))
		snprintf(skip_reason, sizeof(skip_reason), "fixtures missing (make fixtures)");
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		rm_pins(dirs[i]);
	return 0;
}

/* ---- prog loadall ---- */

static void test_loadall_like_bpftool(void **state)
{
	char *ours[MAX_NAMES], *ref[MAX_NAMES], *want[MAX_NAMES], *mo[MAX_NAMES], *mr[MAX_NAMES];
	const char *obj = FIX "progs_loadable.bpf.o";
	char args[256];
	struct proc_run r;
	int n, nr, nw, nmo, nmr, i;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	expect_ok(&r, CLI_RUN(&r, "prog", "loadall", obj, d_progs, "pinmaps", d_maps));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "prog loadall %s %s pinmaps %s", obj, d_ref, d_refmaps);
	free(bpftool_field(args, "x"));

	n = list_dir(d_progs, ours);
	nr = list_dir(d_ref, ref);
	nw = inspect_progs(obj, want);
	assert_true(nw > 0);
	if (nr < 0)
		fail_msg("bpftool prog loadall %s failed", obj);
	assert_same_names(ours, n, want, nw, "pins vs programs of inspect");
	assert_same_names(ours, n, ref, nr, "pins vs bpftool's pins");
	for (i = 0; i < n; i++) {
		char *t1, *t2;

		snprintf(args, sizeof(args), "prog show pinned %s/%s", d_progs, ours[i]);
		t1 = bpftool_field(args, "type");
		snprintf(args, sizeof(args), "prog show pinned %s/%s", d_ref, ours[i]);
		t2 = bpftool_field(args, "type");
		if (!t1 || !t2 || strcmp(t1, t2))
			fail_msg("program %s: type %s, bpftool's %s", ours[i], t1 ? t1 : "?",
				 t2 ? t2 : "?");
		free(t1);
		free(t2);
	}
	nmo = list_dir(d_maps, mo);
	nmr = list_dir(d_refmaps, mr);
	assert_true(nmo > 0);
	assert_same_names(mo, nmo, mr, nmr, "map pins vs bpftool's");
	free_names(ours, n);
	free_names(ref, nr);
	free_names(want, nw);
	free_names(mo, nmo);
	free_names(mr, nmr);
}

static void test_loadall_type_override(void **state)
{
	char args[256], *t;
	struct proc_run r;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	/* A tracepoint program loaded as a kprobe: the verifier accepts it. */
	expect_ok(&r, CLI_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o", d_progs, "type",
			      "kprobe"));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "prog show pinned %s/handle_tp", d_progs);
	t = bpftool_field(args, "type");
	assert_non_null(t);
	assert_string_equal(t, "kprobe");
	free(t);
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o", d_ref, "type",
				 "no_such_type"), 2);
	assert_false(exists(d_ref));
	proc_run_free(&r);
}

static void test_autoattach_link_survives(void **state)
{
	uint8_t value[16] = { 0 };
	char path[128], args[256], *prog_id;
	uint64_t count;
	struct proc_run r;
	int fd, i, pid = (int)getpid();

	(void)state;
	SKIP_WITHOUT_KERNEL();
	expect_ok(&r, CLI_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o", d_progs, "pinmaps",
			      d_maps, "autoattach"));
	proc_run_free(&r);

	/* The pin is a link (bpftool's "link show" accepts only links). */
	snprintf(args, sizeof(args), "link show pinned %s/handle_tp", d_progs);
	prog_id = bpftool_field(args, "prog_id");
	if (!prog_id)
		fail_msg("%s/handle_tp is not a pinned link", d_progs);
	free(prog_id);

	/* The barebpf process is gone; the program still fires for our pid. */
	snprintf(path, sizeof(path), "%s/minimal_bss", d_maps);
	fd = obj_get(path);
	if (fd < 0)
		fail_msg("BPF_OBJ_GET %s: %s", path, strerror(errno));
	memcpy(value, &pid, sizeof(pid));		/* my_pid, offset 0 */
	assert_int_equal(map_elem(BPF_MAP_UPDATE_ELEM, fd, 0, value), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(write(STDOUT_FILENO, "", 0), 0);
	assert_int_equal(map_elem(BPF_MAP_LOOKUP_ELEM, fd, 0, value), 0);
	memcpy(&count, value + 8, sizeof(count));	/* write_count, offset 8 */
	close(fd);
	if (count < 5)
		fail_msg("write_count %llu after 5 writes", (unsigned long long)count);
}

static void test_load_failure_leaves_no_pins(void **state)
{
	struct proc_run r;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	/* fentry programs are refused here (EPERM/ENOENT from the kernel). */
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", FIX "progs_sections.bpf.o", d_progs,
				 "pinmaps", d_maps),
			 1);
	if (!strstr(r.err, "barebpf: ") || !strstr(r.err, "load"))
		fail_msg("no error message: [%s]", r.err);
	assert_false(exists(d_progs));
	assert_false(exists(d_maps));
	proc_run_free(&r);
}

static void test_pin_failure_rolls_back(void **state)
{
	char clash[128], *names[MAX_NAMES], cmd[512], *out;
	struct proc_run r;
	int n;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	/* A pin that exists already, at one of the later programs' paths. */
	assert_int_equal(mkdir(d_progs, 0700), 0);
	snprintf(clash, sizeof(clash), "%s/xdp_pass", d_progs);
	snprintf(cmd, sizeof(cmd), "%s map create %s type array key 4 value 4 entries 1 "
		 "name clash 2>&1", bpftool, clash);
	out = proc_capture(cmd);
	free(out);
	assert_true(exists(clash));
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", FIX "progs_loadable.bpf.o", d_progs),
			 1);
	assert_non_null(strstr(r.err, "xdp_pass"));
	proc_run_free(&r);
	n = list_dir(d_progs, names);
	assert_int_equal(n, 1);		/* only the pin that was there before */
	assert_string_equal(names[0], "xdp_pass");
	free_names(names, n);
	rm_pins(d_progs);

	/* Maps cannot be pinned outside bpffs: the program pins go too. */
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", FIX "progs_loadable.bpf.o", d_progs,
				 "pinmaps", d_tmp),
			 1);
	proc_run_free(&r);
	assert_false(exists(d_progs));
	assert_false(exists(d_tmp));
}

static void test_loadall_legacy(void **state)
{
	static const char *const progs[] = { "count_packets", "kprobe_write", "trace_write",
					     "xdp_count" };
	static const char *const maps[] = { "outer_of_arrays", "pid_hash", "pkt_stats",
					    "write_counts" };
	char *names[MAX_NAMES];
	struct proc_run r;
	int n, i;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	/* libbpf refuses this object; kprobe/ programs load (only attach fails here). */
	expect_ok(&r, CLI_RUN(&r, "prog", "loadall", FIX "legacy_maps.bpf.o", d_progs,
			      "pinmaps", d_maps));
	proc_run_free(&r);
	n = list_dir(d_progs, names);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], progs[i]);
	free_names(names, n);
	n = list_dir(d_maps, names);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], maps[i]);
	free_names(names, n);
}

static void test_loadall_kconfig_file(void **state)
{
	static const char cfg[] = "CONFIG_HZ=123\nCONFIG_BPF_SYSCALL=y\nCONFIG_BPF_LSM=m\n"
				  "CONFIG_DEFAULT_HOSTNAME=\"bb\"\n";
	char file[96], args[256], *hz;
	struct proc_run r;
	FILE *f;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	snprintf(file, sizeof(file), "%s.config", d_tmp);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(cfg, f);
	fclose(f);
	/* The file, not the running kernel's configuration, gives CONFIG_HZ. */
	expect_ok(&r, CLI_RUN(&r, "prog", "loadall", FIX "externs.bpf.o", d_progs, "pinmaps",
			      d_maps, "kconfig", file));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "map dump pinned %s/externs_kconfig", d_maps);
	hz = bpftool_field(args, "CONFIG_HZ");
	assert_non_null(hz);
	assert_string_equal(hz, "123");
	free(hz);
	/* --kconfig spelling; a missing file fails before anything is loaded. */
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", FIX "externs.bpf.o", d_ref, "--kconfig",
				 "/nonexistent/config"), 1);
	assert_non_null(strstr(r.err, "/nonexistent/config"));
	assert_false(exists(d_ref));
	proc_run_free(&r);
	unlink(file);
}

static void test_prog_usage(void **state)
{
	struct proc_run r;

	(void)state;
	expect_ok(&r, CLI_RUN(&r, "prog", "help"));
	assert_non_null(strstr(r.out, "prog loadall OBJ PINDIR"));
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o"), 2);
	assert_non_null(strstr(r.err, "missing PINDIR"));
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "prog", "loadall", "a.o", "/sys/fs/bpf/x", "bogus"), 2);
	proc_run_free(&r);
}

/* ---- run ---- */

static void test_run_minimal(void **state)
{
	char *argv[] = { (char *)CLI, "run", (char *)FIX "minimal.bpf.o", "--duration", "2",
			 "--set", "my_pid=self", "--show", "write_count", NULL };
	char *out, *err, want[64];
	pid_t pid;
	int code;

	(void)state;
	SKIP_WITHOUT_KERNEL();
	code = proc_spawn_pid(argv, &pid, &out, &err);
	if (code == -1000)
		fail_msg("cannot run %s", CLI);
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
	SKIP_WITHOUT_KERNEL();
	/* ro_int and bar_int are only read by the programs. */
	expect_ok(&r, CLI_RUN(&r, "run", FIX "globals.bpf.o", "--duration", "0.2", "--set",
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
	SKIP_WITHOUT_KERNEL();
	expect_ok(&r, CLI_RUN(&r, "run", FIX "trace_kinds.bpf.o", "--duration", "0.5",
			      "--perf-freq", "1000", "--show", "perf_total"));
	/* tp, raw_tp, tp_btf and iter auto-attached, plus the perf_event program */
	assert_non_null(strstr(r.err, "5 program(s) attached"));
	p = strstr(r.out, "perf_total = ");
	assert_non_null(p);
	total = strtoull(p + 13, NULL, 10);
	if (total < 50)
		fail_msg("perf_total %llu after 0.5 s at 1000 Hz", total);
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "trace_kinds.bpf.o", "--perf-freq", "0"), 2);
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "trace_kinds.bpf.o", "--perf-freq", "x"), 2);
	proc_run_free(&r);
}

static void test_run_bad_set(void **state)
{
	struct proc_run r;

	(void)state;
	/* All refused before load: no kernel needed. */
	assert_int_equal(CLI_RUN(&r, "run", FIX "minimal.bpf.o", "--set", "no_such_var=1"), 1);
	assert_non_null(strstr(r.err, "barebpf: --set no_such_var=1: no global variable"));
	assert_string_equal(r.out, "");
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "minimal.bpf.o", "--set", "my_pid=4294967296"),
			 1);
	assert_non_null(strstr(r.err, "out of range"));
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "globals.bpf.o", "--duration", "1",
				 "--set", "foo_str=abcdefgh"),
			 1);
	assert_non_null(strstr(r.err, "at most 7 characters"));
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "minimal.bpf.o", "--set", "my_pid"), 2);
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "minimal.bpf.o", "--duration", "-1"), 2);
	proc_run_free(&r);
	assert_int_equal(CLI_RUN(&r, "run", FIX "minimal.bpf.o", "--show", "nope"), 1);
	proc_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prog_usage),
		cmocka_unit_test(test_run_perf_event),
		cmocka_unit_test(test_run_bad_set),
		cmocka_unit_test_teardown(test_loadall_like_bpftool, teardown),
		cmocka_unit_test_teardown(test_loadall_type_override, teardown),
		cmocka_unit_test_teardown(test_autoattach_link_survives, teardown),
		cmocka_unit_test_teardown(test_load_failure_leaves_no_pins, teardown),
		cmocka_unit_test_teardown(test_pin_failure_rolls_back, teardown),
		cmocka_unit_test_teardown(test_loadall_legacy, teardown),
		cmocka_unit_test_teardown(test_loadall_kconfig_file, teardown),
		cmocka_unit_test(test_run_minimal),
		cmocka_unit_test(test_run_set_values),
	};

	return cmocka_run_group_tests(tests, group_setup, teardown);
}
