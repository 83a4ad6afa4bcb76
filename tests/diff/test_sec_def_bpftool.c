// SPDX-License-Identifier: BSD-2-Clause
/*
 * Type and section names against the installed bpftool (7.1 on Debian 12,
 * which knows the 6.1 types only): "feature list_builtins" gives the name
 * of every enum value in order, "map help" and "prog help" the names it
 * accepts. A missing bpftool, or one without list_builtins, is a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "obj/sec_def.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void need_bpftool(void)
{
	if (system("command -v bpftool >/dev/null 2>&1") != 0)
		fail_msg("bpftool (the reference) is not installed");
}

struct words {
	char buf[16384];
	char *w[1024];
	int cnt;
};

/* Runs cmd and splits its output on blanks, '|', '{', '}'. False if no output. */
static bool run_words(const char *cmd, struct words *out)
{
	FILE *f = popen(cmd, "r");
	size_t len;
	char *tok;

	out->cnt = 0;
	if (!f)
		return false;
	len = fread(out->buf, 1, sizeof(out->buf) - 1, f);
	pclose(f);
	out->buf[len] = '\0';
	for (tok = strtok(out->buf, " \t\n|{}"); tok && out->cnt < (int)ARRAY_LEN(out->w);
	     tok = strtok(NULL, " \t\n|{}"))
		out->w[out->cnt++] = tok;
	return out->cnt > 0;
}

/* The i-th name bpftool lists is the name of enum value i, for every value it knows. */
static void check_builtins(const char *group, const char *(*str)(int))
{
	char cmd[128];
	struct words *ws = malloc(sizeof(*ws));
	int i;

	assert_non_null(ws);
	snprintf(cmd, sizeof(cmd), "bpftool feature list_builtins %s 2>/dev/null", group);
	if (!run_words(cmd, ws))
		fail_msg("bpftool gave no \"feature list_builtins %s\" (the reference)", group);
	/* bpftool 7.1 knows every type up to the 6.1 kernel's: dozens of each */
	assert_true(ws->cnt > 20);
	for (i = 0; i < ws->cnt; i++) {
		const char *ours = str(i);

		if (!ours || strcmp(ours, ws->w[i]) != 0)
			fail_msg("%s %d: bpftool says \"%s\", we say \"%s\"", group, i, ws->w[i],
				 ours ? ours : "(null)");
	}
	free(ws);
}

static const char *prog_str(int v) { return bbpf_prog_type_str((enum bpf_prog_type)v); }

static const char *map_str(int v) { return bbpf_map_type_str((enum bpf_map_type)v); }

static const char *attach_str(int v) { return bbpf_attach_type_str((enum bpf_attach_type)v); }

static void test_bpftool_builtins(void **state)
{
	(void)state;
	need_bpftool();
	check_builtins("prog_types", prog_str);
	check_builtins("map_types", map_str);
	check_builtins("attach_types", attach_str);
}

/* The words of the "TYPE := { ... }" block of "bpftool <obj> help". */
static int help_types(const char *obj, struct words *ws)
{
	char cmd[128];
	int i, start = -1, end = -1;

	snprintf(cmd, sizeof(cmd), "bpftool %s help 2>&1", obj);
	if (!run_words(cmd, ws))
		return 0;
	for (i = 0; i + 1 < ws->cnt; i++) {
		if (strcmp(ws->w[i], "TYPE") == 0 && strcmp(ws->w[i + 1], ":=") == 0) {
			start = i + 2;
			break;
		}
	}
	if (start < 0)
		return 0;
	/* The block ends where the next "NAME :=" starts. */
	for (i = start; i + 1 < ws->cnt; i++) {
		if (strcmp(ws->w[i + 1], ":=") == 0) {
			end = i;
			break;
		}
	}
	if (end < 0)
		end = ws->cnt;
	memmove(ws->w, ws->w + start, (size_t)(end - start) * sizeof(ws->w[0]));
	return end - start;
}

/* Every map type "bpftool map help" offers has our name for it. */
static void test_bpftool_map_help(void **state)
{
	struct words *ws;
	int i, n;

	(void)state;
	need_bpftool();
	ws = malloc(sizeof(*ws));
	assert_non_null(ws);
	n = help_types("map", ws);
	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		int v = bbpf_map_type_from_str(ws->w[i]);

		if (v < 0)
			fail_msg("bpftool map type \"%s\" unknown to us", ws->w[i]);
		assert_string_equal(map_str(v), ws->w[i]);
	}
	free(ws);
}

/*
 * "bpftool prog help" lists section-style names for "prog load ... type"
 * (socket, classifier, cgroup/skb, fentry, ...), not prog type names: each
 * must be a name libbpf's table knows, not a legacy prefix hit.
 */
static void test_bpftool_prog_help(void **state)
{
	struct words *ws;
	int i, n;

	(void)state;
	need_bpftool();
	ws = malloc(sizeof(*ws));
	assert_non_null(ws);
	n = help_types("prog", ws);
	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		const struct bbpf_sec_def *d = bbpf_sec_def_find(ws->w[i]);

		if (!d || (d->flags & BBPF_SEC_LEGACY))
			fail_msg("bpftool prog type \"%s\" not in the table", ws->w[i]);
		assert_non_null(prog_str(d->prog_type));
	}
	free(ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpftool_builtins),
		cmocka_unit_test(test_bpftool_map_help),
		cmocka_unit_test(test_bpftool_prog_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
