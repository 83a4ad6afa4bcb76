/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * README and --help agree (issue 12): every usage line that `barebpf --help`
 * and each `barebpf CMD help` print appears in README.md (spaces collapsed),
 * and so does every option they list; the other way round, every
 * `barebpf WORD [WORD]` README names is a command (and a subcommand) of the
 * help, and every --option in README's CLI part is in the help.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI BBPF_BUILD_DIR "/barebpf"
#define BIG (1 << 20)

static char *slurp_cmd(const char *cmd)
{
	char *out = calloc(1, BIG);
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;

	assert_non_null(out);
	assert_non_null(p);
	while ((got = fread(out + n, 1, BIG - 1 - n, p)) > 0)
		n += got;
	assert_int_equal(pclose(p), 0);
	assert_true(n > 0 && n < BIG - 1);
	return out;
}

static char *slurp_file(const char *path)
{
	char *out = calloc(1, BIG);
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(out);
	assert_non_null(f);
	n = fread(out, 1, BIG - 1, f);
	fclose(f);
	assert_true(n > 0 && n < BIG - 1);
	return out;
}

/* Runs of blanks (and the Markdown escapes of '|') as one space, in place. */
static void squeeze(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1] == '|')
			continue;
		if (*s == ' ' || *s == '\t') {
			if (w != s && w[-1] == ' ')
				continue;
			*w++ = ' ';
			continue;
		}
		*w++ = *s;
	}
	*w = '\0';
}

/* The commands of `--help`, and all help text (top level and each `CMD help`). */
struct help {
	char cmds[32][32];
	size_t cmd_cnt;
	char *all;
};

static void load_help(struct help *h)
{
	char *top = slurp_cmd(CLI " --help"), *line, *save = NULL, cmd[256];
	size_t i, len;

	h->all = calloc(1, BIG);
	assert_non_null(h->all);
	strcat(h->all, top);
	for (line = strtok_r(top, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char w[32];

		if (sscanf(line, "  barebpf %31[a-z_]", w) != 1)
			continue;
		for (i = 0; i < h->cmd_cnt && strcmp(h->cmds[i], w); i++)
			;
		if (i == h->cmd_cnt && h->cmd_cnt < 32)
			strcpy(h->cmds[h->cmd_cnt++], w);
	}
	free(top);
	assert_true(h->cmd_cnt >= 10);
	for (i = 0; i < h->cmd_cnt; i++) {
		char *sub;

		if (!strcmp(h->cmds[i], "help") || !strcmp(h->cmds[i], "version") ||
		    !strcmp(h->cmds[i], "inspect") || !strcmp(h->cmds[i], "run"))
			continue;
		snprintf(cmd, sizeof(cmd), CLI " %s help", h->cmds[i]);
		sub = slurp_cmd(cmd);
		len = strlen(h->all);
		assert_true(len + strlen(sub) + 2 < BIG);
		strcat(h->all, sub);
		free(sub);
	}
}

/* Every "barebpf ..." usage line of the help, whole, is in README. */
static void test_help_usage_lines_in_readme(void **state)
{
	char *readme = slurp_file(BBPF_SRC_DIR "/README.md"), *line, *save = NULL, *missing;
	struct help h = { 0 };
	size_t checked = 0, bad = 0, n;

	(void)state;
	load_help(&h);
	squeeze(readme);
	missing = calloc(1, BIG);
	assert_non_null(missing);
	for (line = strtok_r(h.all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *u = line + strspn(line, " ");

		if (!strncmp(u, "Usage: ", 7))
			u += 7;
		if (strncmp(u, "barebpf ", 8))
			continue;
		squeeze(u);
		n = strlen(u);
		while (n && u[n - 1] == ' ')
			u[--n] = '\0';
		checked++;
		if (!strstr(readme, u)) {
			bad++;
			strcat(missing, u);
			strcat(missing, "\n");
		}
	}
	if (bad)
		fail_msg("%zu of %zu usage lines of the help are not in README.md:\n%s", bad,
			 checked, missing);
	assert_true(checked >= 30);
	free(missing);
	free(readme);
	free(h.all);
}

/* The --options of a text, each once, into out (NUL-separated), count returned. */
static size_t long_opts(const char *s, char *out, size_t cap)
{
	size_t n = 0, used = 0, len;
	const char *p, *q;

	for (p = s; (p = strstr(p, "--")); p = q) {
		for (q = p + 2; islower((unsigned char)*q) || *q == '-' || *q == '_'; q++)
			;
		len = (size_t)(q - p);
		if (len < 4 || (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) ||
		    q[-1] == '-')
			continue;
		{
			const char *e;
			bool dup = false;

			for (e = out; e < out + used; e += strlen(e) + 1)
				dup |= strlen(e) == len && !strncmp(e, p, len);
			if (dup || used + len + 1 > cap)
				continue;
		}
		memcpy(out + used, p, len);
		out[used + len] = '\0';
		used += len + 1;
		n++;
	}
	out[used] = '\0';
	return n;
}

/* Each option of the help is in README, each option of README's CLI part in the help. */
static void test_options_both_ways(void **state)
{
	char *readme = slurp_file(BBPF_SRC_DIR "/README.md"), *cli, *end, opts[8192], *o;
	struct help h = { 0 };
	size_t n;

	(void)state;
	load_help(&h);
	n = long_opts(h.all, opts, sizeof(opts) - 1);
	assert_true(n >= 20);
	for (o = opts; *o; o += strlen(o) + 1)
		if (!strstr(readme, o))
			fail_msg("option %s of the help is not in README.md", o);
	cli = strstr(readme, "\n## CLI");
	assert_non_null(cli);
	end = strstr(cli, "\n## Static builds");
	assert_non_null(end);
	*end = '\0';
	n = long_opts(cli, opts, sizeof(opts) - 1);
	assert_true(n >= 20);
	for (o = opts; *o; o += strlen(o) + 1)
		if (!strstr(h.all, o))
			fail_msg("option %s of README's CLI part is not in the help", o);
	free(readme);
	free(h.all);
}

/* Is p inside a ``` block (an odd number of fences before it)? */
static bool in_code(const char *start, const char *p)
{
	const char *f;
	bool in = false;

	for (f = start; (f = strstr(f, "\n```")) && f < p; f++)
		in = !in;
	return in;
}

/*
 * Every `barebpf WORD` README names (in code and in backquotes) is a command
 * of the help, or a unique prefix of one; for commands with subcommands the
 * next word too, against that command's usage lines.
 */
static void test_readme_commands_exist(void **state)
{
	char *readme = slurp_file(BBPF_SRC_DIR "/README.md"), *p;
	struct help h = { 0 };
	size_t checked = 0, i, hits;

	(void)state;
	load_help(&h);
	for (p = readme; (p = strstr(p, "barebpf ")); p++) {
		char w1[64] = "", w2[64] = "", pat[160];
		const char *c = NULL;

		/* a command: in backquotes, at the start of a code line, after "$ " or "build/" */
		if (p > readme && p[-1] != '`' && !(p[-1] == '\n' && in_code(readme, p)) &&
		    !(p - readme >= 2 && !strncmp(p - 2, "$ ", 2)) &&
		    !(p - readme >= 7 && !strncmp(p - 6, "build/", 6) &&
		      (p[-7] == '\n' || p[-7] == '`')))
			continue;
		if (sscanf(p + 8, "%63[a-z_]", w1) != 1 || p[8 + strlen(w1)] == '.' ||
		    p[8 + strlen(w1)] == '(' || p[8 + strlen(w1)] == '_')
			continue;
		sscanf(p + 8 + strlen(w1), " %63[a-z_]", w2);
		for (i = 0, hits = 0; i < h.cmd_cnt; i++) {
			if (!strncmp(h.cmds[i], w1, strlen(w1))) {
				hits++;
				c = h.cmds[i];
				if (!strcmp(h.cmds[i], w1)) {
					hits = 1;
					break;
				}
			}
		}
		if (hits != 1) {
			char ctx[80];

			snprintf(ctx, sizeof(ctx), "%s", p);
			fail_msg("README names 'barebpf %s', no command of the help: %s", w1, ctx);
		}
		checked++;
		if (!w2[0] || !strcmp(c, "run") || !strcmp(c, "inspect") || !strcmp(c, "help") ||
		    !strcmp(c, "version"))
			continue;
		/* w2 starts a word of one of c's usage lines */
		snprintf(pat, sizeof(pat), "barebpf %s ", c);
		{
			const char *l, *q;
			bool ok = false;

			for (l = h.all; !ok && (l = strstr(l, pat)); l++) {
				const char *eol = strchr(l, '\n');

				for (q = l + strlen(pat); !ok && q && (!eol || q < eol);
				     q = strpbrk(q + 1, " {|")) {
					while (*q == ' ' || *q == '{' || *q == '|')
						q++;
					ok = !strncmp(q, w2, strlen(w2));
				}
			}
			if (!ok)
				fail_msg("README names 'barebpf %s %s', no subcommand of the help", w1,
					 w2);
		}
	}
	assert_true(checked >= 20);
	free(readme);
	free(h.all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_usage_lines_in_readme),
		cmocka_unit_test(test_options_both_ways),
		cmocka_unit_test(test_readme_commands_exist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
