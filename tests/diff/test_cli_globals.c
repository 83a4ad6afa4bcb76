// SPDX-License-Identifier: BSD-2-Clause
/*
 * The "globals" of `barebpf -j inspect` against the reference tools: per
 * data section, the same variables bpftool's `btf dump file` lists in its
 * DATASEC, each at the offset and with the size of its ELF symbol as
 * llvm-objdump -t prints it, and the C types globals.bpf.c declares.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "ref_tools.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

struct sym_find {
	const char *sec, *name;
	unsigned long addr, size;
	bool found;
};

static void sym_cb(void *ctx, const char *sec, unsigned long addr, unsigned long size, char kind,
		   const char *name)
{
	struct sym_find *f = ctx;

	if (kind == 'O' && !strcmp(sec, f->sec) && !strcmp(name, f->name)) {
		f->addr = addr;
		f->size = size;
		f->found = true;
	}
}

struct var_count {
	const struct jm_value *globals;
	const char *sec;
	size_t n, missing;
};

static void var_cb(void *ctx, const char *name)
{
	struct var_count *c = ctx;
	size_t i;

	c->n++;
	for (i = 0; i < c->globals->len; i++)
		if (!strcmp(jm_get(&c->globals->items[i], "name")->str, name) &&
		    !strcmp(jm_get(&c->globals->items[i], "section")->str, c->sec))
			return;
	c->missing++;
	print_error("bpftool lists %s in %s, barebpf does not\n", name, c->sec);
}

static const char *type_of(const struct jm_value *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->len; i++)
		if (!strcmp(jm_get(&g->items[i], "name")->str, name))
			return jm_get(&g->items[i], "type")->str;
	fail_msg("no global %s", name);
	return NULL;
}

static size_t check_file(const char *path, const char *objdump, const char *bpftool,
			 const struct jm_value **globals_out, struct jm_value **doc_out)
{
	struct proc_run r;
	struct ref_elf ef;
	struct jm_value *doc;
	const struct jm_value *g;
	size_t i, k, total = 0;

	assert_int_equal(CU_RUN(&r, "-j", "inspect", path), 0);
	doc = jm_parse(r.out);
	proc_run_free(&r);
	assert_non_null(doc);
	g = jm_get(doc, "globals");
	assert_non_null(g);
	assert_int_equal(g->type, JM_ARRAY);
	assert_int_equal(ref_elf_read(objdump, path, &ef), 0);
	for (i = 0; i < g->len; i++) {
		struct sym_find f = {
			.sec = jm_get(&g->items[i], "section")->str,
			.name = jm_get(&g->items[i], "name")->str,
		};

		ref_elf_for_each_sym(&ef, sym_cb, &f);
		if (!f.found)
			fail_msg("%s: no symbol %s in %s", path, f.name, f.sec);
		assert_int_equal(jm_get(&g->items[i], "offset")->num, f.addr);
		assert_int_equal(jm_get(&g->items[i], "size")->num, f.size);
		assert_true(strlen(jm_get(&g->items[i], "type")->str) > 0);
	}
	/* every data section's VARs, as bpftool lists them */
	for (i = 0; i < g->len; i++) {
		const char *sec = jm_get(&g->items[i], "section")->str;
		struct var_count c = { .globals = g, .sec = sec };

		for (k = 0; k < i; k++)
			if (!strcmp(jm_get(&g->items[k], "section")->str, sec))
				break;
		if (k < i)
			continue;	/* section done */
		assert_int_equal(ref_btf_datasec_vars(bpftool, path, sec, var_cb, &c), 0);
		assert_int_equal(c.missing, 0);
		for (k = 0; k < g->len; k++)
			c.n -= !strcmp(jm_get(&g->items[k], "section")->str, sec);
		assert_int_equal(c.n, 0);	/* and no more */
		total++;
	}
	ref_elf_free(&ef);
	*globals_out = g;
	*doc_out = doc;
	return total;
}

static void test_globals(void **state)
{
	static const char *const files[] = {
		FIX("globals.bpf.o"), FIX("globals_bss_custom.bpf.o"), FIX("req_tp.bpf.o"),
		FIX("core.bpf.o"),
	};
	const char *objdump = ref_objdump(), *bpftool = ref_bpftool();
	const struct jm_value *g;
	struct jm_value *doc;
	size_t i, secs = 0;

	(void)state;
	if (!objdump || !bpftool)
		fail_msg("llvm-objdump or bpftool missing (make deps)");
	for (i = 1; i < sizeof(files) / sizeof(files[0]); i++) {
		secs += check_file(files[i], objdump, bpftool, &g, &doc);
		jm_free(doc);
	}
	secs += check_file(files[0], objdump, bpftool, &g, &doc);
	assert_true(secs >= 7);
	assert_int_equal(g->len, 17);
	assert_string_equal(type_of(g, "data_int"), "int");
	assert_string_equal(type_of(g, "data_arr"), "__u64[4]");
	assert_string_equal(type_of(g, "data_cfg"), "struct settings");
	assert_string_equal(type_of(g, "ro_arr"), "volatile const __u32[3]");
	assert_string_equal(type_of(g, "foo_str"), "char[8]");
	assert_string_equal(type_of(g, "bss_static"), "__u32");
	jm_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_globals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
