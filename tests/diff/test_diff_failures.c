/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Failure conformance with libbpf (bpftool 7.1 / libbpf 1.1.2): for every
 * fixture whose load libbpf refuses at a program ("prog 'x': failed to
 * load: -N": fentry or an iterator refused under lockdown, a missing kernel
 * symbol) or at a map ("map 'x': failed to create: ...(-N)": a map that
 * needs sizing by user space), barebpf's load of the same object fails on
 * the same program or map with the same errno (bbpf_object_error()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <barebpf/loader.h>
#include "kernel_avail.h"
#include "libbpf_fail.h"

/* libbpf's first "failed to load"/"failed to create" line for the object, from bpftool. */
static void libbpf_failure(const char *path, const char *dir, struct lf_expect *e)
{
	char cmd[2048], line[1024];
	FILE *f;

	lf_reset(e);
	snprintf(cmd, sizeof(cmd), "bpftool prog loadall %s %s 2>&1; rm -rf %s", path, dir, dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		lf_parse_line(line, e);
	pclose(f);
}

static void test_same_failure_as_libbpf(void **state)
{
	struct dirent *d;
	uint32_t checked = 0;
	DIR *dir;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	if (system("command -v bpftool >/dev/null") != 0)
		fail_msg("bpftool (the reference) is not installed");
	dir = opendir(BBPF_FIXTURE_DIR);
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		char path[512], pins[256];
		struct bbpf_object *obj = NULL;
		const struct bbpf_diag *got;
		struct lf_expect e;
		int err;

		if (n < 7 || strcmp(d->d_name + n - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, d->d_name);
		snprintf(pins, sizeof(pins), "/sys/fs/bpf/bbpf_fail_%d", (int)getpid());
		libbpf_failure(path, pins, &e);
		if (e.stage == BBPF_STAGE_OPEN)
			continue;	/* loaded, or refused before any program or map */
		if (!e.err)
			fail_msg("%s: cannot read libbpf's errno for '%s'", d->d_name, e.name);
		assert_int_equal(bbpf_object_open_file(&obj, path, NULL, NULL), 0);
		err = bbpf_object_load(obj, NULL);
		got = bbpf_object_error(obj);
		if (!strcmp(d->d_name, "struct_ops.bpf.o") && !strcmp(e.name, "bb_unused")) {
			/*
			 * Known 1.1 -> 1.8 difference: libbpf 1.1 loads a
			 * struct_ops program no struct_ops map refers to, and the
			 * kernel refuses it (-ENOTSUPP, no attach target); libbpf
			 * 1.8, like barebpf, leaves such a program unloaded.
			 */
			struct bbpf_program *p = bbpf_object_find_program(obj, "bb_unused");

			assert_int_equal(e.err, -524);
			assert_int_equal(err, 0);
			assert_non_null(p);
			assert_true(bbpf_program_fd(p) < 0);
			printf("  %s: libbpf 1.1 fails on program 'bb_unused' with -524; barebpf "
			       "leaves it unloaded, as libbpf 1.8\n", d->d_name);
			bbpf_object_close(obj);
			continue;
		}
		if (!err || !got)
			fail_msg("%s: libbpf fails on '%s' (%d), barebpf loads it", d->d_name, e.name,
				 e.err);
		if (got->stage != e.stage || !got->name || strcmp(got->name, e.name) || err != e.err)
			fail_msg("%s: libbpf fails on %s '%s' with %d, barebpf on %s '%s' with %d",
				 d->d_name, e.stage == BBPF_STAGE_PROG ? "program" : "map", e.name,
				 e.err, bbpf_stage_str(got->stage), got->name ? got->name : "?", err);
		printf("  %s: both fail on %s '%s' with %d\n", d->d_name,
		       e.stage == BBPF_STAGE_PROG ? "program" : "map", e.name, e.err);
		checked++;
		bbpf_object_close(obj);
	}
	closedir(dir);
	assert_true(checked >= 3);	/* lockdown fentry, iterator, ksym, sized map, ... */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_failure_as_libbpf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
