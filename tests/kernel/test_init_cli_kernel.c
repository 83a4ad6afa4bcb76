// SPDX-License-Identifier: BSD-2-Clause
/*
 * build/barebpf-init-static (make static-init, README "Static builds")
 * against the running kernel: prog loadall with pinmaps and autoattach
 * attaches what the init build has (tracepoint, raw_tp) and pins their
 * links; the attach kinds it leaves out (ksyscall, kprobe.multi) are
 * pinned as programs with a line saying "not supported in this build";
 * an object with struct_ops fails to open saying so and leaves no pins;
 * -j (no JSON output in this build) is an unknown option; errno texts are
 * musl's. Pins go under /sys/fs/bpf/t_init_<pid>* and are removed after
 * each test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_util.h"
#include "kernel_avail.h"

#define INIT_CLI BBPF_BUILD_DIR "/barebpf-init-static"
#define FIX BBPF_FIXTURE_DIR "/"

static char dirs[2][64];
#define d_progs dirs[0]
#define d_maps dirs[1]

static int group_setup(void **state)
{
	static const char *const fmt[] = { "/sys/fs/bpf/t_init_%d", "/sys/fs/bpf/t_init_%d_maps" };

	(void)state;
	cu_pin_dirs_init(dirs, fmt, 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cu_pin_dirs_rm(dirs, 2);
	return 0;
}

/* The init CLI with the NULL-terminated args; its exit code. */
static int run_init(struct proc_run *r, const char *const *args)
{
	char *argv[16] = { (char *)INIT_CLI };
	size_t i;

	for (i = 0; args[i]; i++) {
		assert_true(i + 2 < 16);
		argv[i + 1] = (char *)args[i];
	}
	if (proc_run(argv, r))
		fail_msg("cannot run %s (make static-init)", INIT_CLI);
	return cu_exit_code(r);
}

#define RUN_INIT(r, ...) run_init(r, (const char *const[]){ __VA_ARGS__, NULL })

/* Whether the object pinned at path is a BPF link (its fdinfo has a link_type line). */
static bool pinned_is_link(const char *path)
{
	union bpf_attr a;
	char fdinfo[64], buf[512];
	FILE *f;
	int fd;
	bool link = false;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	fd = (int)syscall(__NR_bpf, BPF_OBJ_GET, &a, sizeof(a));
	assert_true(fd >= 0);
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	f = fopen(fdinfo, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f))
		link |= !strncmp(buf, "link_type:", 10);
	fclose(f);
	close(fd);
	return link;
}

static void pin_path(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static void test_loadall_autoattach(void **state)
{
	struct proc_run r;
	struct stat st;
	char p[128];

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	cu_expect_ok(&r, RUN_INIT(&r, "prog", "loadall", FIX "init_kinds.bpf.o", d_progs, "pinmaps",
				  d_maps, "autoattach"));
	pin_path(p, sizeof(p), d_progs, "init_tp");
	assert_true(pinned_is_link(p));
	pin_path(p, sizeof(p), d_progs, "init_raw_tp");
	assert_true(pinned_is_link(p));
	/* left out of the init build: pinned as programs, one line each saying so */
	pin_path(p, sizeof(p), d_progs, "init_ksyscall");
	assert_false(pinned_is_link(p));
	pin_path(p, sizeof(p), d_progs, "init_kprobe_multi");
	assert_false(pinned_is_link(p));
	assert_int_equal(proc_line_count(r.err), 2);
	assert_non_null(strstr(r.err, "program 'init_ksyscall' not attached (section 'ksyscall/getpid': "
				      "this attach kind not supported in this build): pinned as a program"));
	assert_non_null(strstr(r.err, "program 'init_kprobe_multi' not attached (section "
				      "'kprobe.multi/__x64_sys_getpid': this attach kind not supported "
				      "in this build): pinned as a program"));
	pin_path(p, sizeof(p), d_maps, "init_hits");
	assert_int_equal(stat(p, &st), 0);
	proc_run_free(&r);
}

static void test_struct_ops_refused(void **state)
{
	struct proc_run r;
	struct stat st;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	assert_int_equal(RUN_INIT(&r, "prog", "loadall", FIX "struct_ops.bpf.o", d_progs), 1);
	assert_int_equal(proc_line_count(r.err), 1);
	assert_non_null(strstr(r.err, "struct_ops not supported in this build"));
	assert_int_not_equal(stat(d_progs, &st), 0);	/* nothing made */
	proc_run_free(&r);
}

static void test_no_json_and_musl_texts(void **state)
{
	struct proc_run r;

	(void)state;
	assert_int_equal(RUN_INIT(&r, "-j", "version"), 2);
	assert_non_null(strstr(r.err, "unknown option '-j'"));
	assert_null(strstr(r.err, "--json"));	/* the usage does not offer it */
	assert_string_equal(r.out, "");
	proc_run_free(&r);
	assert_int_equal(RUN_INIT(&r, "prog", "loadall", FIX "minimal.bpf.o", d_progs, "--pretty"), 2);
	assert_non_null(strstr(r.err, "unknown option '--pretty'"));
	proc_run_free(&r);
	/* the init CLI's own strerror: musl's text */
	assert_int_equal(RUN_INIT(&r, "prog", "loadall", FIX "no_such_file.bpf.o", d_progs), 1);
	assert_non_null(strstr(r.err, "No such file or directory"));
	proc_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_loadall_autoattach, teardown),
		cmocka_unit_test_teardown(test_struct_ops_refused, teardown),
		cmocka_unit_test_teardown(test_no_json_and_musl_texts, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
