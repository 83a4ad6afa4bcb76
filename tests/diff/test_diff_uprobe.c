/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Uprobe targets against libbpf 1.1 itself (Debian's libbpf.so.1.1.2):
 * a helper linked with -lbpf calls bpf_program__attach_uprobe_opts() with
 * func_name set, and interposes libc's syscall() so that libbpf's
 * perf_event_open(PERF_TYPE uprobe) is recorded instead of made: config1
 * is the path libbpf resolved, config2 the offset it computed. Nothing is
 * loaded into the kernel, so this needs neither root nor uprobes.
 *
 * Compared with barebpf's bbpf_binpath_resolve() + bbpf_usym_find():
 *  - offsets of every function name of programs compiled here (non-PIE,
 *    PIE, a versioned shared library) and of a sample of libc's names,
 *    including the ambiguous, IFUNC-only and absent ones;
 *  - resolved paths: "libc.so.6", a library found through LD_LIBRARY_PATH,
 *    an executable found through PATH.
 * Versioned names ("f@@V") are not compared: libbpf 1.1 predates symbol
 * version support (they are checked in tests/unit/test_elf_sym.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "kern/binpath.h"
#include "parse/elf.h"
#include "parse/usym.h"
#include "proc_run.h"
#include "sweep_util.h"

#define LIBBPF_ERRNO__FORMAT 4001	/* libbpf 1.1's "ambiguous match" */

static char dir[64];

static const char helper_c[] =
	"#define _GNU_SOURCE\n"
	"#include <errno.h>\n"
	"#include <stdarg.h>\n"
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"#include <sys/syscall.h>\n"
	"#include <linux/perf_event.h>\n"
	"#include <bpf/libbpf.h>\n"
	"static char seen_path[4096]; static unsigned long long seen_off; static int seen;\n"
	"/* libbpf.so calls libc's syscall() for perf_event_open: this one wins. */\n"
	"long syscall(long n, ...) {\n"
	"  va_list ap; va_start(ap, n);\n"
	"  if (n == __NR_perf_event_open) {\n"
	"    struct perf_event_attr *a = va_arg(ap, struct perf_event_attr *);\n"
	"    snprintf(seen_path, sizeof(seen_path), \"%s\", (const char *)(unsigned long)a->config1);\n"
	"    seen_off = a->config2; seen = 1;\n"
	"  }\n"
	"  va_end(ap); errno = ENOSYS; return -1;\n"
	"}\n"
	"static int quiet(enum libbpf_print_level l, const char *f, va_list ap)\n"
	"{ (void)l; (void)f; (void)ap; return 0; }\n"
	"int main(int argc, char **argv) {\n"
	"  struct bpf_object *obj; struct bpf_program *p;\n"
	"  libbpf_set_print(quiet);\n"
	"  obj = bpf_object__open_file(argv[1], NULL);\n"
	"  if (!obj) return 1;\n"
	"  p = bpf_object__next_program(obj, NULL);\n"
	"  for (int i = 3; i < argc; i++) {\n"
	"    LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = strcmp(argv[i], \"-\") ? argv[i] : NULL);\n"
	"    long err;\n"
	"    seen = 0;\n"
	"    err = libbpf_get_error(bpf_program__attach_uprobe_opts(p, -1, argv[2], 0, &o));\n"
	"    printf(\"%s %ld %s 0x%llx\\n\", argv[i], err, seen ? seen_path : \"-\", seen ? seen_off : 0ULL);\n"
	"  }\n"
	"  return 0;\n"
	"}\n";

static const char bpf_c[] =
	"#include <linux/bpf.h>\n"
	"#include <bpf/bpf_helpers.h>\n"
	"SEC(\"uprobe\") int up(void *ctx) { return 0; }\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

static const char prog_c[] =
	"#include <stdio.h>\n"
	"__attribute__((noinline)) int g_func(int x) { return x * 3; }\n"
	"__attribute__((noinline)) static int s_func(int x) { return x + 7; }\n"
	"__attribute__((noinline, weak)) int w_func(int x) { return x - 1; }\n"
	"int alias_func(int) __attribute__((alias(\"g_func\")));\n"
	"static int ifn_impl(int x) { return x + 11; }\n"
	"static void *ifn_resolver(void) { return (void *)ifn_impl; }\n"
	"int ifn(int) __attribute__((ifunc(\"ifn_resolver\")));\n"
	"int other_cu(int);\n"
	"int main(int argc, char **argv) { (void)argv; puts(\"\");\n"
	"  return g_func(argc) + s_func(argc) + w_func(argc) + alias_func(1) + ifn(2) + other_cu(3); }\n"
	"__attribute__((noinline, used)) static int helper(int x) { return x ^ 5; }\n"
	"int (*keep_helper)(int) = helper;\n";

static const char prog2_c[] =
	"__attribute__((noinline, used)) static int helper(int x) { return x * 9; }\n"
	"int other_cu(int x) { return helper(x); }\n";

static const char lib_c[] =
	"int vf_1(int x) { return x + 1; }\n"
	"int vf_2(int x) { return x + 2; }\n"
	"__asm__(\".symver vf_1,vf@VERS_1\");\n"
	"__asm__(\".symver vf_2,vf@@VERS_2\");\n"
	"int plain(int x) { return x * 2; }\n"
	"__attribute__((weak)) int weak_one(int x) { return x; }\n"
	"static int lib_ifn_impl(int x) { return x + 3; }\n"
	"static void *lib_ifn_resolver(void) { return (void *)lib_ifn_impl; }\n"
	"int lib_ifn(int) __attribute__((ifunc(\"lib_ifn_resolver\")));\n";

static const char lib_map[] =
	"VERS_1 { global: vf; plain; weak_one; lib_ifn; local: *; };\n"
	"VERS_2 { global: vf; } VERS_1;\n";

static void write_file(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(su_write_file(path, text, strlen(text)), 0);
}

static void run_or_fail(const char *cmd)
{
	char full[1024];

	snprintf(full, sizeof(full), "cd '%s' && %s", dir, cmd);
	if (system(full) != 0)
		fail_msg("failed: %s", full);
}

static int setup(void **state)
{
	const char *clangs[] = { "clang-16", "clang" };
	const char *clang = proc_find_tool(clangs, 2);
	char cmd[512];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_diff_uprobe_%d", (int)getpid());
	if (!clang || mkdir(dir, 0700) != 0)
		return -1;
	write_file("helper.c", helper_c);
	write_file("u.bpf.c", bpf_c);
	write_file("prog.c", prog_c);
	write_file("prog2.c", prog2_c);
	write_file("lib.c", lib_c);
	write_file("lib.map", lib_map);
	run_or_fail("cc -O1 -o helper helper.c -lbpf");
	snprintf(cmd, sizeof(cmd), "%s -target bpf -O2 -I/usr/include/x86_64-linux-gnu -c u.bpf.c "
		 "-o u.bpf.o", clang);
	run_or_fail(cmd);
	run_or_fail("cc -O1 -fno-pie -no-pie prog.c prog2.c -o nopie");
	run_or_fail("cc -O1 -fpie -pie -rdynamic prog.c prog2.c -o pie");
	run_or_fail("cc -O1 -fPIC -shared -Wl,--version-script=lib.map lib.c -o libvd.so.1");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* libbpf 1.1's answer for one name. */
struct answer {
	char name[256];
	long err;		/* -ENOSYS: the offset was computed (perf_event_open reached) */
	char path[4096];
	unsigned long long off;
};

/*
 * Run the helper on binary with names (argv-style); env is prepended to the
 * command ("" for none). *n answers, in order.
 */
static struct answer *ask_libbpf(const char *env, const char *binary, char **names, size_t cnt,
				 size_t *n)
{
	size_t cap = 64 * 1024 + 256 * cnt, len, k = 0;
	char *cmd = malloc(cap), *out, *line, *save = NULL;
	struct answer *a = calloc(cnt ? cnt : 1, sizeof(*a));

	assert_true(cmd && a);
	len = (size_t)snprintf(cmd, cap, "cd '%s' && %s ./helper u.bpf.o '%s'", dir, env, binary);
	for (size_t i = 0; i < cnt; i++)
		len += (size_t)snprintf(cmd + len, cap - len, " '%s'", names[i]);
	assert_true(len < cap);
	out = proc_capture(cmd);
	assert_non_null(out);
	for (line = strtok_r(out, "\n", &save); line && k < cnt; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%255s %ld %4095s %llx", a[k].name, &a[k].err, a[k].path,
			   &a[k].off) == 4)
			k++;
	}
	free(out);
	free(cmd);
	if (k != cnt)
		fail_msg("helper answered %zu of %zu names for %s", k, cnt, binary);
	*n = k;
	return a;
}

/*
 * Defined FUNC/IFUNC base names of a file as readelf lists them (each once;
 * every every-th), and per table how many non-weak FUNC definitions the
 * name has and whether they share one address.
 */
struct rname {
	char *name;
	unsigned int nonweak[2];	/* [0] .dynsym, [1] .symtab */
	bool one_addr[2];
	unsigned long long addr[2];
};

static struct rname *readelf_names(const char *path, size_t every, size_t *n)
{
	char cmd[512], *out, *line, *save = NULL;
	struct rname *names = NULL;
	size_t cnt = 0, seen = 0;
	int tab = -1;

	snprintf(cmd, sizeof(cmd), "readelf -W -s '%s'", path);
	out = proc_capture(cmd);
	assert_non_null(out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char type[16], bind[16], ndx[16], name[256];
		unsigned long long v;
		size_t k, b;

		if (strstr(line, "Symbol table '.dynsym'"))
			tab = 0;
		else if (strstr(line, "Symbol table '.symtab'"))
			tab = 1;
		if (tab < 0 || sscanf(line, " %*u: %llx %*s %15s %15s %*s %15s %255s", &v, type, bind,
				      ndx, name) != 5)
			continue;
		if ((strcmp(type, "FUNC") && strcmp(type, "IFUNC")) || !strcmp(ndx, "UND"))
			continue;
		b = strcspn(name, "@");
		if (!b)
			continue;
		name[b] = '\0';
		for (k = 0; k < cnt && strcmp(names[k].name, name); k++)
			;
		if (k == cnt) {
			names = realloc(names, (cnt + 1) * sizeof(*names));
			assert_non_null(names);
			memset(&names[cnt], 0, sizeof(names[cnt]));
			names[cnt].name = strdup(name);
			assert_non_null(names[cnt].name);
			names[cnt].one_addr[0] = names[cnt].one_addr[1] = true;
			cnt++;
		}
		if (!strcmp(type, "FUNC") && strcmp(bind, "WEAK")) {
			if (names[k].nonweak[tab]++ && names[k].addr[tab] != v)
				names[k].one_addr[tab] = false;
			names[k].addr[tab] = v;
		}
	}
	free(out);
	/* keep every every-th name, counts complete */
	for (size_t k = 0; k < cnt; k++) {
		if (k % every) {
			free(names[k].name);
			continue;
		}
		names[seen++] = names[k];
	}
	*n = seen;
	return names;
}

static void free_names(struct rname *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
}

/* Our answer in libbpf 1.1's terms. */
static long our_err(int rc)
{
	if (rc == 0)
		return -ENOSYS;
	if (rc == -ENOTUNIQ)
		return -LIBBPF_ERRNO__FORMAT;
	return rc;
}

static size_t compare_file(const char *binary, const char *path, size_t every)
{
	struct bbpf_arena arena;
	struct bbpf_elf elf;
	struct bbpf_diag diag = { 0 };
	struct answer *a;
	uint8_t *buf;
	size_t len, n, cnt, same = 0, found = 0, known = 0;
	struct rname *names = readelf_names(path, every, &n);
	char **argv = calloc(n ? n : 1, sizeof(*argv));

	assert_true(n > 0 && argv);
	for (size_t i = 0; i < n; i++)
		argv[i] = names[i].name;
	a = ask_libbpf("", binary, argv, n, &cnt);
	free(argv);
	assert_int_equal(su_read_file(path, &buf, &len), 0);
	bbpf_arena_init(&arena, &bbpf_alloc_libc, 256u << 20);
	assert_int_equal(bbpf_elf_parse(&elf, buf, len, 0, &arena, &diag), 0);
	for (size_t i = 0; i < cnt; i++) {
		struct bbpf_usym u;
		long mine = our_err(bbpf_usym_find(&elf, names[i].name, 0, &u));
		int t = u.table == elf.symtab;

		/*
		 * libbpf 1.1 has no "same offset, no problem" rule (1.8 does): two
		 * non-weak definitions at one address (glibc's ns_name_pack@GLIBC_2.9
		 * and @@GLIBC_2.34) are ambiguous there.
		 */
		if (mine == -ENOSYS && a[i].err == -LIBBPF_ERRNO__FORMAT && names[i].nonweak[t] >= 2 &&
		    names[i].one_addr[t]) {
			known++;
			continue;
		}
		if (mine != a[i].err || (mine == -ENOSYS && u.off != a[i].off))
			fail_msg("%s:%s: barebpf %ld off %#llx, libbpf 1.1 %ld off %#llx", path,
				 names[i].name, mine, (unsigned long long)u.off, a[i].err, a[i].off);
		if (mine == -ENOSYS) {
			assert_string_equal(a[i].path, path);
			found++;
		}
		same++;
	}
	printf("  %s: %zu names as libbpf 1.1 (%zu resolved); %zu same-address duplicates "
	       "that 1.1 calls ambiguous and 1.8 accepts\n", path, same, found, known);
	bbpf_arena_free(&arena);
	free(buf);
	free(a);
	free_names(names, n);
	return found;
}

static void test_offsets_compiled(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/nopie", dir);
	assert_true(compare_file(path, path, 1) >= 5);
	snprintf(path, sizeof(path), "%s/pie", dir);
	assert_true(compare_file(path, path, 1) >= 5);
	snprintf(path, sizeof(path), "%s/libvd.so.1", dir);
	assert_true(compare_file(path, path, 1) >= 2);
}

static void test_offsets_libc(void **state)
{
	(void)state;
	/* every 5th name: ~600 attach calls in one helper run */
	assert_true(compare_file("/lib/x86_64-linux-gnu/libc.so.6",
				 "/lib/x86_64-linux-gnu/libc.so.6", 5) > 400);
}

/* The cases libbpf 1.1 gets specially: ambiguous, IFUNC only, absent. */
static void test_offsets_libc_cases(void **state)
{
	char *names[] = { "malloc", "memcpy", "pthread_cond_wait", "strlen", "no_such_fn_x",
			  "realpath", "free" };
	const size_t n = sizeof(names) / sizeof(names[0]);
	const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
	struct bbpf_arena arena;
	struct bbpf_elf elf;
	struct answer *a;
	uint8_t *buf;
	size_t len, cnt;

	(void)state;
	a = ask_libbpf("", libc, names, n, &cnt);
	assert_int_equal(a[0].err, -ENOSYS);
	assert_int_equal(a[2].err, -LIBBPF_ERRNO__FORMAT);
	assert_int_equal(a[3].err, -ENOENT);	/* strlen is IFUNC only */
	assert_int_equal(a[4].err, -ENOENT);
	assert_int_equal(su_read_file(libc, &buf, &len), 0);
	bbpf_arena_init(&arena, &bbpf_alloc_libc, 256u << 20);
	assert_int_equal(bbpf_elf_parse(&elf, buf, len, 0, &arena, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		struct bbpf_usym u;
		long mine = our_err(bbpf_usym_find(&elf, names[i], 0, &u));

		assert_int_equal(mine, a[i].err);
		if (mine == -ENOSYS)
			assert_int_equal(u.off, a[i].off);
	}
	bbpf_arena_free(&arena);
	free(buf);
	free(a);
}

/* Path search: libbpf 1.1's resolve_full_path() with the same environment. */
static void check_path(const char *env_name, const char *env_value, const char *file)
{
	struct bbpf_binpath_opts opts = { .path = getenv("PATH") };
	struct bbpf_ctx *ctx;
	char env[512], ours[4096], *dash[] = { "-" };
	struct answer *a;
	size_t cnt;
	int rc;

	if (env_name) {
		snprintf(env, sizeof(env), "%s='%s'", env_name, env_value);
		if (!strcmp(env_name, "LD_LIBRARY_PATH"))
			opts.ld_library_path = env_value;
		else
			opts.path = env_value;
	} else {
		env[0] = '\0';
		opts.ld_library_path = getenv("LD_LIBRARY_PATH");
	}
	a = ask_libbpf(env, file, dash, 1, &cnt);
	assert_int_equal(bbpf_ctx_new(&ctx, NULL), 0);
	rc = bbpf_binpath_resolve(ctx, file, &opts, ours, sizeof(ours));
	bbpf_ctx_free(ctx);
	if (a[0].err != -ENOSYS) {
		assert_int_not_equal(rc, 0);
	} else {
		assert_int_equal(rc, 0);
		if (strcmp(ours, a[0].path))
			fail_msg("%s: barebpf '%s', libbpf 1.1 '%s'", file, ours, a[0].path);
	}
	printf("  %s%s%s: %s\n", env_name ? env_name : "", env_name ? " set, " : "", file,
	       rc ? "not found by either" : ours);
	free(a);
}

static void test_paths(void **state)
{
	char libdirs[256];

	(void)state;
	check_path(NULL, NULL, "libc.so.6");
	snprintf(libdirs, sizeof(libdirs), "/nonexistent::%s", dir);
	check_path("LD_LIBRARY_PATH", libdirs, "libvd.so.1");
	check_path("PATH", "/nonexistent:/usr/bin:/bin", "true");
	check_path("PATH", dir, "nopie");
	check_path(NULL, NULL, "no_such_library_x.so.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_compiled),
		cmocka_unit_test(test_offsets_libc_cases),
		cmocka_unit_test(test_offsets_libc),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
