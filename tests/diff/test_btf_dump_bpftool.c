/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `barebpf btf dump` against Debian's bpftool 7.1, output for output:
 *  - /sys/kernel/btf/vmlinux as C (vmlinux.h), raw records and JSON;
 *  - every fixture object (build/bpf/ *.o), every synthetic case of
 *    tests/lib/dump_cases.c, split BTF with -B (raw and in an ELF's .BTF),
 *    the kernel's BTF objects by id (vmlinux's and one this test loads);
 *  - barebpf's vmlinux.h compiles with clang-16 -target bpf, and objects
 *    built against it carry the same BTF as when built against bpftool's;
 *  - bbpf_dump_c_decl() declares DATASEC variables as bpftool's skeleton
 *    generator does (the lines of `bpftool gen skeleton`).
 * A difference is reported with its first differing line.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <barebpf/loader.h>
#include "dump/dump_c.h"
#include "kern/kern.h"
#include "btf_builder.h"
#include "dump_cases.h"
#include "kernel_avail.h"
#include "proc_run.h"
#include "ref_tools.h"

#define BAREBPF BBPF_BUILD_DIR "/barebpf"
#define VMLINUX "/sys/kernel/btf/vmlinux"
#define CLANG "clang-16"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bbpf_btfdump_%d", (int)getpid());
	return mkdir(tmpdir, 0700);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A tool's path (posix_spawn does not search PATH), or NULL. */
static const char *which(const char *name, char *buf, size_t n)
{
	const char *path = getenv("PATH"), *p, *e;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : name;
	for (p = path ? path : ""; ; p = e + 1) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		snprintf(buf, n, "%.*s/%s", (int)(e - p), p, name);
		if (e > p && !access(buf, X_OK))
			return buf;
		if (!*e)
			break;
	}
	snprintf(buf, n, "/usr/sbin/%s", name);
	return access(buf, X_OK) ? NULL : buf;
}

static const char *bpftool(void)
{
	static char buf[512];
	const char *b = ref_bpftool();

	if (!b || !(b = which(b, buf, sizeof(buf))))
		fail_msg("bpftool (7.1) is needed for this test and was not found");
	return b;
}

static char *clang(void)
{
	static char buf[512];
	const char *c = which(CLANG, buf, sizeof(buf));

	if (!c)
		fail_msg(CLANG " is needed for this test and was not found");
	return (char *)c;
}

/* Run argv (NULL-terminated); exit status in *code, outputs in r. */
static void run(char *const argv[], struct proc_run *r)
{
	assert_int_equal(proc_run(argv, r), 0);
	assert_true(WIFEXITED(r->status));
}

/* Fail with the first differing line of a and b. */
static void same_text(const char *a, const char *b, const char *what)
{
	const char *la = a, *lb = b;
	int line = 1;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	if (*a || *b)
		fail_msg("%s: first difference at line %d:\n  bpftool: %.*s\n  barebpf: %.*s", what,
			 line, (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

/* The FILE of "btf dump file FILE ...". */
static const char *path_of(char *const args[])
{
	size_t i;

	for (i = 0; args[i] && args[i + 1]; i++)
		if (!strcmp(args[i], "file"))
			return args[i + 1];
	return "";
}

/*
 * bpftool and barebpf with the same arguments (after the program name):
 * the same stdout and both succeeding, or both failing (barebpf with one
 * line on stderr; with -j/-p, as bpftool, one JSON error object on stdout and
 * nothing on stderr). Returns whether they succeeded.
 */
static bool compare(char *const args[], const char *what)
{
	char *argv[16];
	struct proc_run r1, r2;
	size_t i;
	bool ok, json = false;

	for (i = 0; args[i]; i++) {
		assert_true(i + 2 < sizeof(argv) / sizeof(argv[0]));
		argv[i + 1] = args[i];
		json = json || !strcmp(args[i], "-j") || !strcmp(args[i], "-p");
	}
	argv[i + 1] = NULL;
	argv[0] = (char *)bpftool();
	run(argv, &r1);
	argv[0] = BAREBPF;
	run(argv, &r2);
	ok = WEXITSTATUS(r1.status) == 0;
	if (ok != (WEXITSTATUS(r2.status) == 0))
		fail_msg("%s: bpftool exit %d, barebpf exit %d (%s)", what, WEXITSTATUS(r1.status),
			 WEXITSTATUS(r2.status), r2.err);
	if (ok) {
		same_text(r1.out, r2.out, what);
	} else if (json) {
		/* as bpftool: the error is one JSON object on stdout, nothing on stderr */
		assert_int_equal(r2.out[0], '{');
		assert_non_null(strstr(r2.out, "\"error\""));
		assert_non_null(strstr(r2.out, path_of(args)));
		assert_int_equal(r2.err[0], '\0');
		assert_int_equal(r1.out[0], '{');
		assert_non_null(strstr(r1.out, "\"error\""));
	} else {
		/* one line naming the file */
		assert_int_equal(r2.out[0], '\0');
		assert_int_equal(proc_line_count(r2.err), 1);
	}
	proc_run_free(&r1);
	proc_run_free(&r2);
	return ok;
}

/* The four formats of one file; returns whether it had BTF. */
static bool compare_file(const char *path, const char *base)
{
	static const char *const modes[][3] = {
		{ "format", "c", NULL }, { "format", "raw", NULL }, { "-j", NULL, NULL },
		{ "-p", NULL, NULL },
	};
	char what[512];
	char *args[12];
	size_t m;
	int n;
	bool ok = true;

	for (m = 0; m < 4; m++) {
		n = 0;
		if (base) {
			args[n++] = "-B";
			args[n++] = (char *)base;
		}
		if (modes[m][0][0] == '-')
			args[n++] = (char *)modes[m][0];
		args[n++] = "btf";
		args[n++] = "dump";
		args[n++] = "file";
		args[n++] = (char *)path;
		if (modes[m][0][0] != '-') {
			args[n++] = (char *)modes[m][0];
			args[n++] = (char *)modes[m][1];
		}
		args[n] = NULL;
		snprintf(what, sizeof(what), "%s [%s %s]", path, modes[m][0],
			 modes[m][1] ? modes[m][1] : "");
		ok = compare(args, what) && ok;
	}
	return ok;
}

static void test_vmlinux(void **state)
{
	struct timespec t0, t1;
	struct proc_run r;
	char *argv[] = { BAREBPF, "btf", "dump", "file", VMLINUX, "format", "c", NULL };
	double s;

	(void)state;
	assert_true(compare_file(VMLINUX, NULL));
	/* "well under a second" for ~150k types (the optimized CLI) */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run(argv, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("barebpf btf dump file %s format c: %zu lines in %.3f s\n", VMLINUX,
		      proc_line_count(r.out), s);
	assert_true(proc_line_count(r.out) > 10000);
	assert_true(s < 5.0);
	proc_run_free(&r);
}

static void test_fixtures(void **state)
{
	size_t i, with_btf = 0;
	glob_t g;

	(void)state;
	assert_int_equal(glob(BBPF_FIXTURE_DIR "/*.o", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++)
		with_btf += compare_file(g.gl_pathv[i], NULL);
	print_message("%zu fixture objects, %zu with BTF\n", g.gl_pathc, with_btf);
	assert_true(with_btf >= 10);
	assert_true(with_btf < g.gl_pathc);	/* nobtf_stripped.bpf.o: both refuse it */
	globfree(&g);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_btf(const char *path, struct bb_btf *b)
{
	uint32_t len;
	uint8_t *raw = bb_btf_raw(b, false, &len);

	write_file(path, raw, len);
	free(raw);
}

static void test_cases(void **state)
{
	char path[256];
	struct bb_btf b;
	size_t i;

	(void)state;
	for (i = 0; i < dump_case_cnt; i++) {
		bb_btf_init(&b);
		dump_cases[i].build(&b);
		snprintf(path, sizeof(path), "%s/%s.btf", tmpdir, dump_cases[i].name);
		write_btf(path, &b);
		bb_btf_free(&b);
		assert_true(compare_file(path, NULL));
	}
	assert_true(dump_case_cnt >= 15);
}

static void test_split(void **state)
{
	char base[256], split[256];
	char *args[] = { "btf", "dump", "file", split, "-B", base, "format", "c", NULL };
	struct bb_btf b, s;
	uint32_t m;

	(void)state;
	bb_btf_init(&b);
	dump_case_find("typedefs")->build(&b);
	bb_btf_init_split(&s, b.next_id, (uint32_t)b.str_len);
	m = bb_btf_add_struct(&s, "mod_state", 16, false);
	bb_btf_add_member(&s, "t", 4, 0);		/* anon_t */
	bb_btf_add_member(&s, "next", m + 1, 64);
	bb_btf_add_ptr(&s, m);
	bb_btf_add_struct(&s, "tagged", 4, false);	/* a name the base has */
	bb_btf_add_member(&s, "z", 1, 0);
	snprintf(base, sizeof(base), "%s/base.btf", tmpdir);
	snprintf(split, sizeof(split), "%s/split.btf", tmpdir);
	write_btf(base, &b);
	write_btf(split, &s);
	bb_btf_free(&b);
	bb_btf_free(&s);
	assert_true(compare_file(split, base));
	/* -B after the command, as bpftool also takes it */
	assert_true(compare(args, "split, -B after the command"));
	/* split BTF in an ELF's .BTF, as a kernel module carries it */
	{
		char objcopy_buf[512], elf[256], upd[300];
		const char *objcopy = which("llvm-objcopy-16", objcopy_buf, sizeof(objcopy_buf));
		char *argv[] = { (char *)objcopy, "--update-section", upd,
				 BBPF_FIXTURE_DIR "/minimal.bpf.o", elf, NULL };
		struct proc_run r;

		if (!objcopy)
			fail_msg("llvm-objcopy-16 is needed for this test and was not found");
		snprintf(elf, sizeof(elf), "%s/split_elf.o", tmpdir);
		snprintf(upd, sizeof(upd), ".BTF=%s", split);
		run(argv, &r);
		assert_int_equal(WEXITSTATUS(r.status), 0);
		proc_run_free(&r);
		assert_true(compare_file(elf, base));
	}
}

/* The kernel's id of vmlinux's BTF (its name is "vmlinux"), or 0. */
static uint32_t vmlinux_btf_id(struct bbpf_ctx *ctx)
{
	struct bbpf_btf_id_info info;
	uint32_t id = 0;

	while (!bbpf_cmd_btf_get_next_id(&ctx->sys, id, &id))
		if (!bbpf_btf_id_load(ctx, id, NULL, BBPF_LOG_DEBUG, &info, NULL) &&
		    info.kernel_btf && !strcmp(info.name, "vmlinux"))
			return id;
	return 0;
}

static void test_by_id(void **state)
{
	struct bbpf_btf_id_info info;
	struct bbpf_ctx *ctx;
	struct bb_btf b;
	uint8_t *raw;
	uint32_t len, id;
	char ids[16];
	char *args[] = { "btf", "dump", "id", ids, "format", "c", NULL };
	char *args_raw[] = { "btf", "dump", "id", ids, NULL };
	int fd, i;

	(void)state;
	TK_NEED_KERNEL();
	assert_int_equal(bbpf_ctx_new(&ctx, NULL), 0);
	id = vmlinux_btf_id(ctx);
	assert_true(id > 0);
	snprintf(ids, sizeof(ids), "%u", id);
	assert_true(compare(args, "vmlinux by id, C"));
	assert_true(compare(args_raw, "vmlinux by id, raw"));

	/* a BTF object of our own */
	bb_btf_init(&b);
	dump_case_find("funcs")->build(&b);
	raw = bb_btf_raw(&b, false, &len);
	bb_btf_free(&b);
	fd = bbpf_cmd_btf_load(&ctx->sys, raw, len, NULL, 0, 0);
	free(raw);
	assert_true(fd >= 0);
	{
		struct bpf_btf_info bi;
		uint32_t blen = sizeof(bi);

		memset(&bi, 0, sizeof(bi));
		assert_int_equal(bbpf_cmd_obj_info(&ctx->sys, fd, &bi, &blen), 0);
		id = bi.id;
	}
	assert_int_equal(bbpf_btf_id_load(ctx, id, NULL, BBPF_LOG_WARN, &info, NULL), 0);
	assert_false(info.kernel_btf);
	snprintf(ids, sizeof(ids), "%u", id);
	for (i = 0; i < 2; i++) {
		assert_true(compare(args, "own BTF object by id, C"));
		assert_true(compare(args_raw, "own BTF object by id, raw"));
	}
	ctx->sys.close(ctx->sys.ctx, fd);
	bbpf_ctx_free(ctx);
}

/* Write the header `tool btf dump file vmlinux format c` prints to path. */
static void make_header(const char *tool, const char *path)
{
	char *argv[] = { (char *)tool, "btf", "dump", "file", VMLINUX, "format", "c", NULL };
	struct proc_run r;

	run(argv, &r);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	write_file(path, r.out, strlen(r.out));
	proc_run_free(&r);
}

/* clang-16 -target bpf -O2 -g -c src -o obj with -I dir first; exit status. */
static int build_bpf(const char *dir, const char *src, const char *obj, struct proc_run *r)
{
	char inc[300];
	char *argv[] = { clang(), "-target", "bpf", "-O2", "-g", "-Wall", "-Werror", inc,
			 "-I/usr/include/x86_64-linux-gnu", "-c", (char *)src, "-o", (char *)obj,
			 NULL };

	snprintf(inc, sizeof(inc), "-I%s", dir);
	run(argv, r);
	return WEXITSTATUS(r->status);
}

static void test_vmlinux_h_compiles(void **state)
{
	char dir[128], hdr[192], src[192], obj[192];
	struct proc_run r;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/mine", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(hdr, sizeof(hdr), "%s/vmlinux.h", dir);
	snprintf(src, sizeof(src), "%s/only_header.bpf.c", dir);
	snprintf(obj, sizeof(obj), "%s/only_header.bpf.o", dir);
	make_header(BAREBPF, hdr);
	write_file(src, "#include \"vmlinux.h\"\nstruct task_struct t;\n", 43);
	if (build_bpf(dir, src, obj, &r))
		fail_msg("vmlinux.h does not compile:\n%s", r.err);
	proc_run_free(&r);
}

/* `bpftool btf dump file obj` of an object. */
static char *btf_of(const char *obj)
{
	char *argv[] = { (char *)bpftool(), "btf", "dump", "file", (char *)obj, NULL };
	struct proc_run r;
	char *out;

	run(argv, &r);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	out = r.out;
	r.out = NULL;
	proc_run_free(&r);
	return out;
}

/*
 * Objects built against barebpf's and bpftool's vmlinux.h carry the same
 * BTF. core_task.bpf.c includes "vmlinux_min.h" and <linux/bpf.h>: both
 * are shadowed by a directory holding vmlinux.h.
 */
static void test_rebuild_same_btf(void **state)
{
	static const char *const srcs[] = {
		BBPF_SRC_DIR "/tests/bpf/core_task.bpf.c",
		BBPF_SRC_DIR "/tests/diff/bpf/task_info.bpf.c",
	};
	static const char *const tools[2] = { NULL, BAREBPF };
	char dir[2][128], path[256], obj[2][256];
	char *btf[2];
	struct proc_run r;
	size_t s;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		snprintf(dir[k], sizeof(dir[k]), "%s/rebuild%d", tmpdir, k);
		assert_int_equal(mkdir(dir[k], 0700), 0);
		snprintf(path, sizeof(path), "%s/linux", dir[k]);
		assert_int_equal(mkdir(path, 0700), 0);
		snprintf(path, sizeof(path), "%s/linux/bpf.h", dir[k]);
		write_file(path, "", 0);
		snprintf(path, sizeof(path), "%s/vmlinux_min.h", dir[k]);
		write_file(path, "#include \"vmlinux.h\"\n#define TASK_COMM_LEN 16\n", 46);
		snprintf(path, sizeof(path), "%s/vmlinux.h", dir[k]);
		make_header(tools[k] ? tools[k] : bpftool(), path);
	}
	for (s = 0; s < sizeof(srcs) / sizeof(srcs[0]); s++) {
		for (k = 0; k < 2; k++) {
			snprintf(obj[k], sizeof(obj[k]), "%s/obj%zu.o", dir[k], s);
			if (build_bpf(dir[k], srcs[s], obj[k], &r))
				fail_msg("%s against %s's vmlinux.h:\n%s", srcs[s],
					 k ? "barebpf" : "bpftool", r.err);
			proc_run_free(&r);
			btf[k] = btf_of(obj[k]);
		}
		/* the kernel types really came from the header */
		assert_non_null(strstr(btf[1], "STRUCT 'task_struct' size="));
		same_text(btf[0], btf[1], srcs[s]);
		free(btf[0]);
		free(btf[1]);
	}
}

/* ---- skeleton declarations ---- */

/* "data_foo" for ".data.foo": bpftool's identifier for a section. */
static void sec_ident(const char *sec, char *out, size_t n)
{
	size_t i = 0;

	if (*sec == '.')
		sec++;
	for (; *sec && i + 1 < n; sec++)
		out[i++] = (*sec >= 'a' && *sec <= 'z') || (*sec >= 'A' && *sec <= 'Z') ||
			   (*sec >= '0' && *sec <= '9') ? *sec : '_';
	out[i] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split a block of "\t\t<decl>;\n" items (a decl may span lines) into items, padding dropped. */
static size_t split_items(char *block, char **items, size_t max)
{
	size_t n = 0;
	int depth = 0;
	char *p, *start = block;

	for (p = block; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		else if (*p == '\n' && depth == 0 && p > block && p[-1] == ';') {
			*p = '\0';
			if (strncmp(start, "\t\tchar __pad", 12)) {
				assert_true(n < max);
				items[n++] = start;
			}
			start = p + 1;
		}
	}
	qsort(items, n, sizeof(*items), cmp_str);
	return n;
}

struct sink {
	char buf[1 << 16];
	size_t len;
};

static void sink_write(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	assert_true(k->len + n < sizeof(k->buf));
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

/* Our declarations of the non-static variables of DATASEC sec, as skeleton items. */
static size_t our_items(struct bbpf_btf *btf, const struct btf_type *sec, bool strip,
			struct sink *k, char **items, size_t max)
{
	const struct btf_var_secinfo *vi = bbpf_btf_secinfos(sec);
	struct bbpf_dump_out w = { .write = sink_write, .ctx = k };
	struct bbpf_arena arena;
	struct bbpf_dump_c *d;
	size_t n = 0, i, start;
	char name[256];

	bbpf_arena_init(&arena, &bbpf_alloc_libc, 64u << 20);
	assert_int_equal(bbpf_dump_c_new(&d, btf, &w, &arena, NULL), 0);
	for (i = 0; i < bbpf_btf_vlen(sec); i++) {
		const struct btf_type *v = bbpf_btf_type(btf, vi[i].type);

		if (bbpf_btf_kind(v) != BTF_KIND_VAR || bbpf_btf_var(v)->linkage == BTF_VAR_STATIC)
			continue;
		sec_ident(bbpf_btf_str(btf, v->name_off), name, sizeof(name));
		start = k->len;
		sink_write(k, "\t\t", 2);
		assert_int_equal(bbpf_dump_c_decl(d, v->type, name, 2, strip), 0);
		assert_int_equal(bbpf_dump_c_flush(d), 0);
		sink_write(k, ";", 1);
		k->len++;	/* keep the NUL: items point into buf */
		assert_true(n < max);
		items[n++] = k->buf + start;
	}
	bbpf_arena_free(&arena);
	qsort(items, n, sizeof(*items), cmp_str);
	return n;
}

static void check_skeleton(struct bbpf_ctx *ctx, const char *obj, size_t *blocks)
{
	char *argv[] = { (char *)bpftool(), "gen", "skeleton", (char *)obj, NULL };
	static struct sink k;
	struct proc_run r;
	struct bbpf_btf *btf;
	char *p, *end, ident[128], want_hdr[160];
	char *theirs[256], *ours[256];
	size_t nt, no, i;
	uint32_t id;

	run(argv, &r);
	if (WEXITSTATUS(r.status)) {	/* a fixture bpftool cannot open */
		proc_run_free(&r);
		return;
	}
	assert_int_equal(bbpf_btf_read_untrusted(ctx, obj, BBPF_LOG_WARN, &btf), 0);
	for (id = 1; id < btf->type_cnt; id++) {
		const struct btf_type *t = bbpf_btf_type(btf, id);

		if (bbpf_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		sec_ident(bbpf_btf_str(btf, t->name_off), ident, sizeof(ident));
		snprintf(want_hdr, sizeof(want_hdr), "__%s {\n", ident);
		p = strstr(r.out, want_hdr);
		if (!p)
			continue;	/* no skeleton struct for it (.maps, .ksyms, ...) */
		p += strlen(want_hdr) - 1;	/* at the '\n', for an empty block */
		end = strstr(p, "\n\t} *");
		assert_non_null(end);
		end[1] = '\0';
		p++;
		nt = split_items(p, theirs, 256);
		k.len = 0;
		no = our_items(btf, t, strcmp(ident, "kconfig") != 0, &k, ours, 256);
		if (nt != no)
			fail_msg("%s %s: %zu variables in the skeleton, %zu here", obj, ident, nt, no);
		for (i = 0; i < nt; i++)
			same_text(theirs[i], ours[i], obj);
		end[1] = '\t';
		(*blocks)++;
	}
	proc_run_free(&r);
}

static void test_skeleton_decls(void **state)
{
	struct bbpf_ctx *ctx;
	size_t i, blocks = 0;
	glob_t g;

	(void)state;
	assert_int_equal(bbpf_ctx_new(&ctx, NULL), 0);
	assert_int_equal(glob(BBPF_FIXTURE_DIR "/*.bpf.o", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++)
		check_skeleton(ctx, g.gl_pathv[i], &blocks);
	print_message("%zu skeleton structs compared\n", blocks);
	assert_true(blocks >= 10);
	globfree(&g);
	bbpf_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmlinux),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_by_id),
		cmocka_unit_test(test_vmlinux_h_compiles),
		cmocka_unit_test(test_rebuild_same_btf),
		cmocka_unit_test(test_skeleton_decls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
