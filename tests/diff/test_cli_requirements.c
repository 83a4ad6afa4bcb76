// SPDX-License-Identifier: BSD-2-Clause
/*
 * `barebpf inspect --requirements` against llvm-objdump: for every
 * little-endian fixture in build/bpf, the helpers each program is said to
 * call are the helper calls llvm-objdump -dr shows (`call N`, encoded
 * 85 00: src_reg 0; kfunc and bpf-to-bpf calls are 85 10). A program that
 * references no .text function must list exactly the helpers of its own
 * body; one that does must list at least those and nothing that is in
 * neither its body nor any .text function.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "ref_tools.h"

#define MAX_FUNCS 256
#define MAX_HELPER 1024

struct func {
	char sec[256], name[128];
	bool text, uses_sub;
	bool helper[MAX_HELPER];
	char relocs[2048];	/* ",name,name," targets of its relocations */
};

struct dis {
	struct func f[MAX_FUNCS];
	size_t n;
};

static void parse_objdump(const char *out, struct dis *d)
{
	char *text = strdup(out), *save = NULL, *line;
	char sec[256] = "";
	struct func *cur = NULL;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		unsigned int b1, imm;
		char *p;

		if (sscanf(line, "Disassembly of section %255[^:]:", sec) == 1) {
			cur = NULL;
			continue;
		}
		if (line[0] != ' ' && line[0] != '\t' && (p = strchr(line, '<')) &&
		    sscanf(p, "<%127[^>]>:", name) == 1) {
			if (!strncmp(name, "LBB", 3))
				continue;	/* a label inside the function */
			assert_true(d->n < MAX_FUNCS);
			cur = &d->f[d->n++];
			memset(cur, 0, sizeof(*cur));
			snprintf(cur->sec, sizeof(cur->sec), "%s", sec);
			snprintf(cur->name, sizeof(cur->name), "%s", name);
			cur->text = !strcmp(sec, ".text");
			strcpy(cur->relocs, ",");
			continue;
		}
		if (!cur)
			continue;
		if ((p = strstr(line, "R_BPF_"))) {
			p = strchr(p, '\t') ? strchr(p, '\t') + 1 : strchr(p, ' ') + 1;
			if (strlen(cur->relocs) + strlen(p) + 2 < sizeof(cur->relocs)) {
				strcat(cur->relocs, p);
				strcat(cur->relocs, ",");
			}
			continue;
		}
		/* "      10:\t85 00 00 00 b5 00 00 00\tcall 181" */
		p = strchr(line, '\t');
		if (!p || sscanf(p + 1, "85 %x", &b1) != 1)
			continue;
		if (b1 == 0x00 && (p = strstr(line, "call ")) && sscanf(p, "call %u", &imm) == 1) {
			assert_true(imm < MAX_HELPER);
			cur->helper[imm] = true;
		} else if (b1 == 0x10) {
			cur->uses_sub = true;	/* bpf-to-bpf or kfunc call: resolved below */
		}
	}
	free(text);
}

/* A relocation of f names .text or a .text function. */
static bool refs_text(const struct dis *d, const struct func *f)
{
	char key[140];
	size_t i;

	if (strstr(f->relocs, ",.text,"))
		return true;
	for (i = 0; i < d->n; i++) {
		snprintf(key, sizeof(key), ",%s,", d->f[i].name);
		if (d->f[i].text && strstr(f->relocs, key))
			return true;
	}
	return false;
}

static void check_file(const char *objdump, const char *path, size_t *progs, size_t *exact,
		       size_t *helpers, size_t *rejected)
{
	struct proc_run r = { 0 };
	struct jm_value *doc;
	const struct jm_value *reqs;
	static struct dis d;
	bool text_helper[MAX_HELPER] = { false };
	char cmd[2200], *out;
	size_t i, k;

	snprintf(cmd, sizeof(cmd), "%s -dr '%s'", objdump, path);
	out = proc_capture(cmd);
	assert_non_null(out);
	d.n = 0;
	parse_objdump(out, &d);
	free(out);
	for (i = 0; i < d.n; i++)
		for (k = 0; k < MAX_HELPER && d.f[i].text; k++)
			text_helper[k] |= d.f[i].helper[k];

	if (CU_RUN(&r, "-j", "inspect", path, "--requirements") != 0) {
		/* only a file that plain inspect rejects too (a fixture of bad input) */
		struct proc_run r2 = { 0 };
		int code = CU_RUN(&r2, "inspect", path);

		proc_run_free(&r2);
		if (code == 0)
			fail_msg("%s: exit %d: %s", path, WEXITSTATUS(r.status), r.err);
		proc_run_free(&r);
		(*rejected)++;
		return;
	}
	doc = jm_parse(r.out);
	assert_non_null(doc);
	reqs = jm_get(doc, "requirements");
	assert_non_null(reqs);
	for (i = 0; i < d.n; i++) {
		const struct func *f = &d.f[i];
		bool rep[MAX_HELPER] = { false }, is_prog = false, sub;

		if (f->text)
			continue;
		for (k = 0; k < reqs->len; k++) {
			const struct jm_value *it = &reqs->items[k];

			if (strcmp(jm_get(it, "owner")->str, "program") ||
			    strcmp(jm_get(it, "name")->str, f->name))
				continue;
			is_prog = true;
			if (!strcmp(jm_get(it, "what")->str, "helper")) {
				assert_true(jm_get(it, "id")->num < MAX_HELPER);
				rep[jm_get(it, "id")->num] = true;
				(*helpers)++;
			}
		}
		if (!is_prog)
			continue;	/* a function that is not a program (none expected) */
		(*progs)++;
		sub = f->uses_sub || refs_text(&d, f);
		if (!sub)
			(*exact)++;
		for (k = 0; k < MAX_HELPER; k++) {
			if (f->helper[k] && !rep[k])
				fail_msg("%s: program %s calls helper %zu (llvm-objdump) but it is not listed",
					 path, f->name, k);
			if (rep[k] && !f->helper[k] && (!sub || !text_helper[k]))
				fail_msg("%s: program %s: helper %zu listed, llvm-objdump shows no such call%s",
					 path, f->name, k, sub ? " in it or .text" : "");
		}
	}
	jm_free(doc);
	proc_run_free(&r);
}

static void test_helpers_match_objdump(void **state)
{
	const char *objdump = ref_objdump();
	size_t progs = 0, exact = 0, helpers = 0, files = 0, rejected = 0;
	struct dirent *de;
	char path[1024];
	DIR *dir;

	(void)state;
	if (!objdump)
		fail_msg("llvm-objdump not found (make deps)");
	dir = opendir(BBPF_FIXTURE_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 6, ".bpf.o"))
			continue;	/* bpfeb objects: same code, other byte order */
		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, de->d_name);
		check_file(objdump, path, &progs, &exact, &helpers, &rejected);
		files++;
	}
	closedir(dir);
	print_message("  %zu fixtures (%zu rejected by inspect too), %zu programs (%zu compared "
		      "exactly), %zu helper uses\n", files, rejected, progs, exact, helpers);
	assert_true(rejected <= 2);
	assert_true(files >= 20);
	assert_true(progs >= 50);
	assert_true(exact >= 30);
	assert_true(helpers >= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helpers_match_objdump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
