/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `barebpf gen skeleton` against bpftool 7.1's `gen skeleton`, and the
 * skeletons' layouts against the object:
 *  - every fixture (build/bpf/X.bpf.o) that bpftool accepts gives a
 *    byte-identical header (object bytes included); the ones bpftool
 *    refuses (libbpf 1.1: legacy "maps" sections, .bss.NAME sections) give
 *    a header that compiles against barebpf-libbpf;
 *  - skel_shapes (padding, arrays, bitfield structs, char[], typedefs, a
 *    static, .data.custom with a variable past 70000 bytes,
 *    .rodata.custom, .kconfig) and globals_bss_custom (.bss.NAME): a C file
 *    including the generated header asserts offsetof and sizeof of every
 *    exposed variable against the ELF symbol table (readelf: the symbol's
 *    value is its offset in its section, its size the variable's size); for
 *    skel_shapes also with bpftool's header;
 *  - live: tests/diff/skel_shapes_app.c built with barebpf's and bpftool's
 *    header against barebpf-libbpf and libbpf: all four print the same,
 *    and the expected values (initial data read through the structs,
 *    .data/.rodata set before load, copy()'s results in .bss).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kernel_avail.h"
#include "proc_run.h"

#define FIX BBPF_SRC_DIR "/" BBPF_FIXTURE_DIR
#define CLI BBPF_SRC_DIR "/" BBPF_BUILD_DIR "/barebpf"
#define APP_CFLAGS "-std=gnu11 -O2 -Wall -Werror"

static char tmp[] = "/tmp/bbpf_skel_XXXXXX";

static char *sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd, *out;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	assert_true(n > 0);
	out = proc_capture(cmd);
	free(cmd);
	assert_non_null(out);
	return out;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char *o;

	(void)state;
	o = sh("rm -rf %s", tmp);
	free(o);
	return 0;
}

static void test_fixtures_match_bpftool(void **state)
{
	int same = 0, refused = 0, n = 0;
	struct dirent *de;
	char *o;
	DIR *d;

	(void)state;
	d = opendir(FIX);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 7 || strcmp(de->d_name + l - 6, ".bpf.o"))
			continue;
		n++;
		o = sh("cd %s && bpftool gen skeleton %s/%s > %s/ref.h 2>%s/ref.err; echo rc=$?; "
		       "%s gen skeleton %s/%s > %s/our.h; echo rc=$?; cmp %s/ref.h %s/our.h && echo SAME",
		       tmp, FIX, de->d_name, tmp, tmp, CLI, FIX, de->d_name, tmp, tmp, tmp);
		if (!strncmp(o, "rc=0\n", 5) && !strcmp(de->d_name, "struct_ops.bpf.o")) {
			/*
			 * Known difference: libbpf 1.1 (bpftool 7.1) does not know
			 * SEC(".struct_ops.link") (libbpf 1.2+), so its skeleton
			 * has one map where barebpf's, as libbpf 1.8's, has both:
			 * the only changed lines are bb_cc_link's and map_cnt.
			 */
			char *dd = sh("cd %s && diff ref.h our.h | grep '^[<>]' | "
				     "grep -v -e bb_cc_link -e '^> *$' -e 'map_cnt = [12];'; "
				     "diff ref.h our.h | grep -c bb_cc_link", tmp);

			assert_string_equal(dd, "3\n");
			free(dd);
			same++;
		} else if (!strncmp(o, "rc=0\n", 5)) {
			if (!strstr(o, "SAME"))
				print_message("%s: differs from bpftool: %s\n", de->d_name, o);
			assert_non_null(strstr(o, "SAME"));
			same++;
		} else {
			char *why = sh("cat %s/ref.err; cd %s && gcc -fsyntax-only -std=gnu11 -Wall "
				       "-Werror -I%s/include/compat -I%s/tests/bpf -x c our.h && echo COMPILES",
				       tmp, tmp, BBPF_SRC_DIR, BBPF_SRC_DIR);

			/* only what libbpf 1.1 cannot open; if barebpf can, its header compiles */
			assert_true(strstr(why, "legacy map definitions") ||
				    strstr(why, "skipping section"));
			if (strstr(o, "\nrc=0\n"))
				assert_non_null(strstr(why, "COMPILES"));
			print_message("%s: bpftool refuses, barebpf %s\n", de->d_name,
				      strstr(o, "\nrc=0\n") ? "generates" : "refuses too");
			free(why);
			refused++;
		}
		free(o);
	}
	closedir(d);
	print_message("%d fixtures: %d identical to bpftool, %d refused by bpftool\n", n, same,
		      refused);
	assert_true(same >= 30);
	assert_int_equal(same + refused, n);
	/* "name NAME": the struct, functions and internal map names follow it */
	o = sh("cd %s && for n in compat_app x; do bpftool gen skeleton %s/compat_app.bpf.o name $n "
	       "> ref.h && %s gen skeleton %s/compat_app.bpf.o name $n > our.h && cmp ref.h our.h && "
	       "grep -c \"^struct $n {\" our.h; done", tmp, FIX, CLI, FIX);
	assert_string_equal(o, "1\n1\n");
	free(o);
}

/*
 * A C file with offsetof/sizeof asserts for every global variable of obj's
 * data sections, from readelf; returns how many variables it covers.
 */
static int layout_asserts(const char *obj, const char *name, const char *hdr, const char *out)
{
	char secs[64][64] = { { 0 } }, *o, *l, *e, sec[64], var[128], ident[64];
	unsigned long long val, size;
	int idx, cnt = 0, i;
	FILE *f;

	o = sh("readelf -SW %s", obj);
	for (l = o; (l = strchr(l, '[')); l++)
		if (sscanf(l, "[%d] %63s", &idx, sec) == 2 && idx >= 0 && idx < 64)
			strcpy(secs[idx], sec);
	free(o);
	f = fopen(out, "w");
	assert_non_null(f);
	fprintf(f, "#include <stddef.h>\n#include \"skel_shapes.h\"\n#include \"%s\"\n"
		   "#define SZ(t, m) sizeof(((t *)0)->m)\n", hdr);
	o = sh("readelf -sW %s", obj);
	for (l = o; l && *l; l = e ? e + 1 : NULL) {
		char type[16], bind[16], vis[16], ndx[16];

		e = strchr(l, '\n');
		if (sscanf(l, " %*d: %llx %llu %15s %15s %15s %15s %127s", &val, &size, type, bind, vis,
			   ndx, var) != 7 || strcmp(type, "OBJECT") || strcmp(bind, "GLOBAL") ||
		    strcmp(vis, "DEFAULT"))
			continue;
		idx = atoi(ndx);
		if (idx <= 0 || idx >= 64 ||
		    (strncmp(secs[idx], ".data", 5) && strncmp(secs[idx], ".rodata", 7) &&
		     strncmp(secs[idx], ".bss", 4)))
			continue;
		snprintf(ident, sizeof(ident), "%s", secs[idx] + 1);
		for (i = 0; ident[i]; i++)
			if (ident[i] == '.')
				ident[i] = '_';
		fprintf(f, "_Static_assert(offsetof(struct %s__%s, %s) == %llu, \"%s offset\");\n",
			name, ident, var, val, var);
		fprintf(f, "_Static_assert(SZ(struct %s__%s, %s) == %llu, \"%s size\");\n", name,
			ident, var, size, var);
		cnt++;
	}
	free(o);
	fclose(f);
	return cnt;
}

static void check_layout(const char *fixture, const char *name, const char *gen, int min_vars)
{
	char obj[512], c[512], *o;
	int n;

	snprintf(obj, sizeof(obj), "%s/%s.bpf.o", FIX, fixture);
	o = sh("cd %s && %s %s > %s.skel.h && echo GEN_OK", tmp, gen, obj, name);
	assert_non_null(strstr(o, "GEN_OK"));
	free(o);
	snprintf(c, sizeof(c), "%s/%s_layout.c", tmp, name);
	n = layout_asserts(obj, name, "skel.h", c);
	o = sh("cd %s && cp %s.skel.h skel.h && gcc -c -std=gnu11 -Wall -Werror -I%s/include/compat "
	       "-I%s/tests/bpf -o /dev/null %s 2>&1 && echo LAYOUT_OK", tmp, name, BBPF_SRC_DIR,
	       BBPF_SRC_DIR, c);
	if (!strstr(o, "LAYOUT_OK"))
		print_message("%s (%s): %s\n", fixture, gen, o);
	assert_non_null(strstr(o, "LAYOUT_OK"));
	free(o);
	print_message("%s with %s: %d variables at their ELF offsets and sizes\n", fixture, gen, n);
	assert_true(n >= min_vars);
}

static void test_layout_shapes(void **state)
{
	char *o;

	(void)state;
	check_layout("skel_shapes", "skel_shapes_bpf", CLI " gen skeleton", 20);
	/* the static is left out, padding is explicit, .kconfig keeps its modifiers */
	o = sh("cat %s/skel_shapes_bpf.skel.h", tmp);
	assert_null(strstr(o, "d_static"));
	assert_non_null(strstr(o, "\t\tchar __pad0[7];\n\t\tlong long d_ll;\n"));
	assert_non_null(strstr(o, "\tstruct skel_shapes_bpf__kconfig {\n"));
	assert_non_null(strstr(o, "\t} *data_custom;\n"));
	assert_non_null(strstr(o, "\t} *rodata_custom;\n"));
	free(o);
	check_layout("skel_shapes", "skel_shapes_bpf", "bpftool gen skeleton", 20);
	check_layout("globals_bss_custom", "globals_bss_custom_bpf", CLI " gen skeleton", 4);
}

static char *build_and_run(const char *gen, const char *lib, const char *tag)
{
	char *o;

	o = sh("cd %s && mkdir -p %s && %s %s/skel_shapes.bpf.o > %s/skel_shapes.skel.h && "
	       "cc " APP_CFLAGS " %s -I%s -I%s/tests/bpf -o %s/app %s/tests/diff/skel_shapes_app.c %s "
	       "2>&1 && %s/app 2>&1",
	       tmp, tag, gen, FIX, tag, strcmp(lib, "libbpf") ? "-I" BBPF_SRC_DIR "/include/compat" : "",
	       tag, BBPF_SRC_DIR, tag, BBPF_SRC_DIR,
	       strcmp(lib, "libbpf") ? BBPF_SRC_DIR "/" BBPF_BUILD_DIR "/libbarebpf-libbpf.a "
				       BBPF_SRC_DIR "/" BBPF_BUILD_DIR "/libbarebpf.a" :
				       "-lbpf -lelf -lz", tag);
	print_message("%s:\n%s", tag, o);
	return o;
}

static void test_run_four_ways(void **state)
{
	char *bb, *o;

	(void)state;
	TK_NEED_KERNEL();
	bb = build_and_run(CLI " gen skeleton", "barebpf", "bb_bb");
	assert_non_null(strstr(bb, "open: d_char=1 d_ll=2 d_arr[4]=5 bits=5/1000/-3/7/123456789 "
				   "name=shape-name pair=p/99 tail=9\n"));
	assert_non_null(strstr(bb, "open: r_int=7 r_chars=abc r_pair=r/77 cd_a=11 cd_big[0]=1 "
				   "cd_after_big=12 cr_a=13 cr_b=14\n"));
	assert_non_null(strstr(bb, "run: calls=1 out=124,246,51,1 bits=5/1000/-3/7/123456790 "
				   "str=shape-name short=10 kernel_version_set=1\n"));
	o = build_and_run("bpftool gen skeleton", "barebpf", "bt_bb");
	assert_string_equal(o, bb);
	free(o);
	o = build_and_run(CLI " gen skeleton", "libbpf", "bb_lb");
	assert_string_equal(o, bb);
	free(o);
	o = build_and_run("bpftool gen skeleton", "libbpf", "bt_lb");
	assert_string_equal(o, bb);
	free(o);
	free(bb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_match_bpftool),
		cmocka_unit_test(test_layout_shapes),
		cmocka_unit_test(test_run_four_ways),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
