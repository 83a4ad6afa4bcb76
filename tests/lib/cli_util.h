/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Running build/barebpf from tests (tests/unit/test_cli.c, the CLI tests in
 * tests/kernel and tests/diff): run it with arguments, check its exit, list
 * and remove pin directories. Include after <cmocka.h>.
 */
#ifndef CU_CLI_UTIL_H
#define CU_CLI_UTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_mini.h"
#include "proc_run.h"

#define CU_CLI BBPF_BUILD_DIR "/barebpf"
#define CU_MAX_NAMES 64

/* The exit code; a death by signal fails the test. */
static inline int cu_exit_code(const struct proc_run *r)
{
	if (WIFSIGNALED(r->status))
		fail_msg("barebpf died by signal %d; stderr: %s", WTERMSIG(r->status), r->err);
	return WEXITSTATUS(r->status);
}

/* barebpf with up to three arguments (NULL ends them). */
static inline void cu_run3(struct proc_run *r, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { (char *)CU_CLI, (char *)a1, (char *)a2, (char *)a3, NULL };

	if (proc_run(argv, r))
		fail_msg("cannot run %s (make build/barebpf)", CU_CLI);
}

/* barebpf with the NULL-terminated args; returns its exit code. */
static inline int cu_run(struct proc_run *r, const char *const *args)
{
	char *argv[32] = { (char *)CU_CLI };
	size_t i;

	for (i = 0; args[i]; i++) {
		assert_true(i + 2 < 32);
		argv[i + 1] = (char *)args[i];
	}
	if (proc_run(argv, r))
		fail_msg("cannot run %s (make build/barebpf)", CU_CLI);
	return cu_exit_code(r);
}

#define CU_RUN(r, ...) cu_run(r, (const char *const[]){ __VA_ARGS__, NULL })

static inline void cu_expect_ok(struct proc_run *r, int code)
{
	if (code != 0)
		fail_msg("barebpf exited %d; stderr:\n%s", code, r->err);
}

static inline const char *cu_jstr(const struct jm_value *v, const char *key);

/*
 * A rejected file: non-zero exit, no signal, nothing on stdout, one
 * "barebpf: " line on stderr; with --json the same line as the one
 * {"error":"..."} line on stdout and nothing on stderr.
 */
static inline void cu_expect_one_line_failure(const char *path)
{
	struct jm_value *doc;
	struct proc_run r;
	char *nl;
	int code;

	cu_run3(&r, "inspect", path, NULL);
	code = cu_exit_code(&r);
	if (code == 0)
		fail_msg("%s: expected failure, got exit 0", path);
	if (proc_line_count(r.err) != 1 || strncmp(r.err, "barebpf: ", 9))
		fail_msg("%s: stderr is not one 'barebpf: ' line: [%s]", path, r.err);
	assert_string_equal(r.out, "");
	nl = strchr(r.err, '\n');
	if (nl)
		*nl = '\0';
	{
		struct proc_run j;

		cu_run3(&j, "inspect", path, "--json");
		assert_int_equal(cu_exit_code(&j), code);
		assert_string_equal(j.err, "");
		doc = jm_parse(j.out);
		if (!doc || proc_line_count(j.out) != 1 || !cu_jstr(doc, "error") ||
		    strcmp(cu_jstr(doc, "error"), r.err + 9))
			fail_msg("%s: -j output is not {\"error\":\"%s\"}: [%s]", path, r.err + 9,
				 j.out);
		jm_free(doc);
		proc_run_free(&j);
	}
	proc_run_free(&r);
}

static inline bool cu_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static inline int cu_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir; returns the count (-1 if no such directory). */
static inline int cu_list_dir(const char *dir, char *names[CU_MAX_NAMES])
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		assert_true(n < CU_MAX_NAMES);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cu_cmp_str);
	return n;
}

static inline void cu_free_names(char *names[], int n)
{
	while (n > 0)
		free(names[--n]);
}

/* Remove a one-level directory of pins (or a file), if there. */
static inline void cu_rm_pins(const char *dir)
{
	char *names[CU_MAX_NAMES], path[512];
	int n = cu_list_dir(dir, names), i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	cu_free_names(names, n);
	if (rmdir(dir))
		unlink(dir);
}

/* The string field key of a JSON object; fails the test if it is not one. */
static inline const char *cu_jstr(const struct jm_value *v, const char *key)
{
	const struct jm_value *f = jm_get(v, key);

	if (!f || f->type != JM_STRING)
		fail_msg("JSON field '%s' missing or not a string", key);
	return f->str;
}

/* Program names that autoload, from "barebpf inspect --json", sorted. */
static inline int cu_inspect_progs(const char *obj, char *names[CU_MAX_NAMES])
{
	const struct jm_value *progs;
	struct jm_value *root;
	struct proc_run r;
	size_t i;
	int n = 0;

	cu_expect_ok(&r, CU_RUN(&r, "inspect", "--json", obj));
	root = jm_parse(r.out);
	assert_non_null(root);
	progs = jm_get(root, "programs");
	assert_non_null(progs);
	for (i = 0; i < progs->len; i++) {
		const struct jm_value *al = jm_get(&progs->items[i], "autoload");

		if (al && al->boolean) {
			assert_true(n < CU_MAX_NAMES);
			names[n++] = strdup(jm_get(&progs->items[i], "name")->str);
		}
	}
	jm_free(root);
	proc_run_free(&r);
	qsort(names, (size_t)n, sizeof(*names), cu_cmp_str);
	return n;
}

static inline void cu_assert_same_names(char *a[], int na, char *b[], int nb, const char *what)
{
	int i;

	if (na != nb)
		fail_msg("%s: %d names vs %d", what, na, nb);
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			fail_msg("%s: '%s' vs '%s'", what, a[i], b[i]);
}

/*
 * Pin directories of a test, named after the pid (fmt has one %d), removed
 * by cu_pin_dirs_rm() after each test whatever it did.
 */
static inline void cu_pin_dirs_init(char (*dirs)[64], const char *const *fmt, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(dirs[i], sizeof(dirs[i]), fmt[i], (int)getpid());
}

static inline void cu_pin_dirs_rm(char (*dirs)[64], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cu_rm_pins(dirs[i]);
}

#endif
