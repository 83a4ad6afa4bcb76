/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe and USDT attach against libbpf 1.1 itself (Debian's libbpf.so.1.1.2):
 * a helper linked with -lbpf interposes libc's syscall(), through which
 * libbpf makes perf_event_open, and prints every perf_event_attr it asks for
 * (type, config with the retprobe bit and the semaphore, config1 path,
 * config2 offset, pid, cpu, flags) instead of making it; bpf() goes to the
 * kernel. barebpf runs the same attaches through a syscall table that
 * records perf_event_open the same way. Compared, line for line:
 *  - bpf_program__attach_uprobe_opts() with function names, offsets,
 *    retprobes, semaphores, pids, a PIE, a bare library name;
 *  - auto-attach from u[ret]probe section names (bpf_program__attach());
 *  - bpf_program__attach_usdt(): every site's event, and the spec libbpf
 *    wrote into __bpf_usdt_specs (read back from the kernel after its attach
 *    failed) against the spec barebpf wrote, byte for byte. libbpf 1.1
 *    knows no uprobe-multi links, so barebpf is made to attach per site too.
 * Needs root and bpf() for the USDT loads (the one allowed skip). SHOW=1
 * prints what was compared.
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
#include <linux/perf_event.h>
#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "kernel_avail.h"
#include "proc_run.h"
#include "sweep_util.h"
#include "uprobe_target.h"

static struct ut_dir g_dir;
static char g_bpf[256];		/* the u[ret]probe object compiled here */

static const char helper_c[] =
	"#define _GNU_SOURCE\n"
	"#include <dlfcn.h>\n"
	"#include <errno.h>\n"
	"#include <stdarg.h>\n"
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"#include <sys/syscall.h>\n"
	"#include <linux/perf_event.h>\n"
	"#include <bpf/libbpf.h>\n"
	"#include <bpf/bpf.h>\n"
	"/* libbpf.so calls libc's syscall() for perf_event_open and bpf: this one wins. */\n"
	"long syscall(long n, ...) {\n"
	"  static long (*real)(long, ...);\n"
	"  long a[6]; va_list ap; va_start(ap, n);\n"
	"  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);\n"
	"  va_end(ap);\n"
	"  if (n == __NR_perf_event_open) {\n"
	"    struct perf_event_attr *at = (struct perf_event_attr *)a[0];\n"
	"    printf(\"PERF %u %llx %s %llx %d %d %lx\\n\", at->type, (unsigned long long)at->config,\n"
	"           at->type == PERF_TYPE_TRACEPOINT ? \"-\" : (const char *)(unsigned long)at->config1,\n"
	"           (unsigned long long)at->config2, (int)a[1], (int)a[2], (unsigned long)a[4]);\n"
	"    errno = ENOSYS; return -1;\n"
	"  }\n"
	"  if (!real) real = (long (*)(long, ...))dlsym(RTLD_NEXT, \"syscall\");\n"
	"  return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);\n"
	"}\n"
	"static int quiet(enum libbpf_print_level l, const char *f, va_list ap)\n"
	"{ (void)l; (void)f; (void)ap; return 0; }\n"
	"int main(int argc, char **argv) {\n"
	"  struct bpf_object *obj; struct bpf_program *p;\n"
	"  setvbuf(stdout, NULL, _IONBF, 0);\n"
	"  libbpf_set_print(quiet);\n"
	"  obj = bpf_object__open_file(argv[2], NULL);\n"
	"  if (!obj) return 1;\n"
	"  if (!strcmp(argv[1], \"uprobe\")) {\n"
	"    /* uprobe OBJ PROG PID PATH OFF FUNC RET REF */\n"
	"    LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = strcmp(argv[7], \"-\") ? argv[7] : NULL,\n"
	"                .retprobe = atoi(argv[8]), .ref_ctr_offset = strtoul(argv[9], NULL, 0));\n"
	"    p = bpf_object__find_program_by_name(obj, argv[3]);\n"
	"    bpf_program__attach_uprobe_opts(p, atoi(argv[4]), argv[5], strtoul(argv[6], NULL, 0), &o);\n"
	"  } else if (!strcmp(argv[1], \"auto\")) {\n"
	"    bpf_object__for_each_program(p, obj) {\n"
	"      printf(\"PROG %s\\n\", bpf_program__name(p));\n"
	"      bpf_program__attach(p);\n"
	"    }\n"
	"  } else {\n"
	"    /* usdt OBJ PROG PID PATH PROVIDER NAME COOKIE */\n"
	"    LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = strtoull(argv[8], NULL, 0));\n"
	"    struct bpf_map *m;\n"
	"    unsigned char v[512];\n"
	"    if (bpf_object__load(obj)) return 2;\n"
	"    p = bpf_object__find_program_by_name(obj, argv[3]);\n"
	"    bpf_program__attach_usdt(p, atoi(argv[4]), argv[5], argv[6], argv[7], &o);\n"
	"    m = bpf_object__find_map_by_name(obj, \"__bpf_usdt_specs\");\n"
	"    for (int k = 0; k < 4; k++) {\n"
	"      int nz = 0;\n"
	"      if (bpf_map_lookup_elem(bpf_map__fd(m), &k, v)) return 3;\n"
	"      for (unsigned int i = 0; i < bpf_map__value_size(m); i++) nz |= v[i];\n"
	"      if (!nz) continue;\n"
	"      printf(\"SPEC %d \", k);\n"
	"      for (unsigned int i = 0; i < bpf_map__value_size(m); i++) printf(\"%02x\", v[i]);\n"
	"      printf(\"\\n\");\n"
	"    }\n"
	"  }\n"
	"  return 0;\n"
	"}\n";

/* Section names libbpf 1.1 knows, naming the target built here. */
static const char auto_c[] =
	"#include <linux/bpf.h>\n"
	"#include <bpf/bpf_helpers.h>\n"
	"SEC(\"uprobe\") int p_bare(void *ctx) { return 0; }\n"
	"SEC(\"uprobe/%1$s:tgt_add\") int p_add(void *ctx) { return 0; }\n"
	"SEC(\"uretprobe/%1$s:tgt_sess\") int p_ret(void *ctx) { return 0; }\n"
	"SEC(\"uprobe/%1$s:tgt_nops+0x2\") int p_off(void *ctx) { return 0; }\n"
	"SEC(\"uprobe.s/%2$s:tgt_multi_1\") int p_sleep(void *ctx) { return 0; }\n"
	"SEC(\"uretprobe.s/%2$s:tgt_multi_3\") int p_ret_sleep(void *ctx) { return 0; }\n"
	"SEC(\"uprobe/libc.so.6:l64a\") int p_libc(void *ctx) { return 0; }\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

static int setup(void **state)
{
	static const char *const clangs[] = { "clang-16", "clang" };
	const char *clang = proc_find_tool(clangs, 2);
	char path[256], cmd[1024];
	FILE *f;

	(void)state;
	if (!clang || ut_build(&g_dir, "diff_uprobe_attach"))
		return -1;
	snprintf(path, sizeof(path), "%s/helper.c", g_dir.dir);
	if (su_write_file(path, helper_c, strlen(helper_c)))
		return -1;
	snprintf(path, sizeof(path), "%s/auto.bpf.c", g_dir.dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, auto_c, g_dir.nopie, g_dir.pie) < 0 || fclose(f))
		return -1;
	snprintf(g_bpf, sizeof(g_bpf), "%s/auto.bpf.o", g_dir.dir);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && cc -O1 -o helper helper.c -lbpf -ldl && %s -target bpf -O2 "
		 "-I/usr/include/x86_64-linux-gnu -c auto.bpf.c -o auto.bpf.o", g_dir.dir, clang);
	return system(cmd) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	ut_clean(&g_dir);
	return 0;
}

/* ---- barebpf's side: perf_event_open printed as the helper prints it, never made ---- */

struct rec {
	struct bbpf_sys real;
	char out[16384];
	size_t len;
	int specs_fd;
	uint32_t spec_size;
	uint8_t spec[512];
	bool spec_seen;
};

static long r_perf(void *ctx, struct perf_event_attr *at, pid_t pid, int cpu, int group,
		   unsigned long flags)
{
	struct rec *r = ctx;

	(void)group;
	r->len += (size_t)snprintf(r->out + r->len, sizeof(r->out) - r->len,
				   "PERF %u %llx %s %llx %d %d %lx\n", at->type,
				   (unsigned long long)at->config,
				   at->type == PERF_TYPE_TRACEPOINT ? "-" :
				   (const char *)(uintptr_t)at->config1,
				   (unsigned long long)at->config2, pid, cpu, flags);
	return -ENOSYS;
}

static long r_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct rec *r = ctx;

	if (cmd == BPF_MAP_UPDATE_ELEM && (int)attr->map_fd == r->specs_fd && !r->spec_seen) {
		memcpy(r->spec, (const void *)(uintptr_t)attr->value, r->spec_size);
		r->spec_seen = true;
	}
	return r->real.bpf(r->real.ctx, cmd, attr, size);
}

static struct bbpf_sys rec_table(struct rec *r)
{
	struct bbpf_sys s = bbpf_sys_linux;

	memset(r, 0, sizeof(*r));
	r->real = bbpf_sys_linux;
	r->specs_fd = -1;
	s.ctx = r;	/* bbpf_sys_linux's hooks ignore their context */
	s.perf_event_open = r_perf;
	s.bpf = r_bpf;
	return s;
}

struct rsys {
	struct rec r;
	struct bbpf_sys sys;
};

static struct bbpf_ctx *new_ctx(struct rsys *rs)
{
	struct bbpf_ctx_opts co = { .ld_library_path = getenv("LD_LIBRARY_PATH"),
				    .exec_path = getenv("PATH") };
	struct bbpf_ctx *ctx;

	rs->sys = rec_table(&rs->r);
	co.sys = &rs->sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	return ctx;
}

/* The helper's output for args (lines starting with keep, joined). */
static char *libbpf_says(const char *args, const char *keep)
{
	char cmd[2048], *out, *res, *line, *save = NULL;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "cd '%s' && ./helper %s", g_dir.dir, args);
	out = proc_capture(cmd);
	assert_non_null(out);
	res = calloc(1, strlen(out) + 1);
	assert_non_null(res);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, keep, strlen(keep)))
			n += (size_t)sprintf(res + n, "%s\n", line);
	free(out);
	return res;
}

static void same(const char *what, const char *libbpf, const char *ours)
{
	if (strcmp(libbpf, ours))
		fail_msg("%s:\nlibbpf 1.1:\n%sbarebpf:\n%s", what, libbpf, ours);
	if (!libbpf[0])
		fail_msg("%s: nothing to compare", what);
	if (getenv("SHOW"))
		print_message("%s\n%s", what, libbpf);
}

/* ---- uprobes through the API ---- */

struct ucase {
	int pid;
	int pie;
	const char *path;	/* NULL: the target */
	unsigned long off;
	const char *func;
	bool ret;
	unsigned long ref;
};

static void test_uprobe_opts(void **state)
{
	static const struct ucase cases[] = {
		{ -1, 0, NULL, 0, "tgt_add", false, 0 },
		{ -1, 0, NULL, 0, "tgt_add", true, 0 },
		{ 1234, 0, NULL, 0, "tgt_sess", false, 0x2c },
		{ 0, 0, NULL, 0x1234, NULL, false, 0 },
		{ 4242, 0, NULL, 4, "tgt_multi_2", false, 0 },
		{ -1, 1, NULL, 0, "tgt_add", true, 0x40 },
		{ 0, 1, NULL, 2, "tgt_nops", false, 0 },
		{ -1, 0, "libc.so.6", 0, "l64a", false, 0 },
		{ -1, 0, "libc.so.6", 0, "malloc", true, 0 },
	};
	struct bbpf_object *obj;
	struct bbpf_load_opts lo = { 0 };
	struct rsys *rs = calloc(1, sizeof(*rs));
	struct bbpf_ctx *ctx;
	size_t checked = 0;

	(void)state;
	TK_NEED_KERNEL();
	assert_non_null(rs);
	ctx = new_ctx(rs);
	assert_int_equal(bbpf_object_open_file(&obj, g_bpf, NULL, NULL), 0);
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ucase *c = &cases[i];
		const char *path = c->path ? c->path : c->pie ? g_dir.pie : g_dir.nopie;
		struct bbpf_uprobe_opts o = { .func_name = c->func, .retprobe = c->ret,
					      .ref_ctr_offset = c->ref };
		struct bbpf_link *link = NULL;
		char args[1024], what[1200], *theirs;

		snprintf(args, sizeof(args), "uprobe auto.bpf.o p_bare %d '%s' %lu %s %d %lu", c->pid,
			 path, c->off, c->func ? c->func : "-", c->ret, c->ref);
		theirs = libbpf_says(args, "PERF");
		rs->r.len = 0;
		rs->r.out[0] = '\0';
		assert_int_equal(bbpf_program_attach_uprobe(bbpf_object_find_program(obj, "p_bare"),
							    c->pid, path, c->off, &o, &link), -ENOSYS);
		snprintf(what, sizeof(what), "uprobe %s", args);
		same(what, theirs, rs->r.out);
		free(theirs);
		checked++;
	}
	assert_int_equal(checked, 9);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	free(rs);
}

/* Auto-attach: what each section makes, program by program. */
static void test_uprobe_sections(void **state)
{
	struct rsys *rs = calloc(1, sizeof(*rs));
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	char *theirs, args[512];
	size_t n;

	(void)state;
	TK_NEED_KERNEL();
	assert_non_null(rs);
	ctx = new_ctx(rs);
	assert_int_equal(bbpf_object_open_file(&obj, g_bpf, NULL, NULL), 0);
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	snprintf(args, sizeof(args), "auto auto.bpf.o");
	theirs = libbpf_says(args, "P");
	n = bbpf_object_program_cnt(obj);
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);
		struct bbpf_link *link = NULL;
		int err;

		rs->r.len += (size_t)snprintf(rs->r.out + rs->r.len, sizeof(rs->r.out) - rs->r.len,
					      "PROG %s\n", bbpf_program_name(p));
		err = bbpf_program_attach(p, &link);
		assert_int_equal(err, i == 0 ? -EOPNOTSUPP : -ENOSYS);	/* bare: not attached */
	}
	same("auto-attach", theirs, rs->r.out);
	free(theirs);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	free(rs);
}

/* ---- USDT: every site's event and the spec written ---- */

static void hex(char *out, const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", v[i]);
}

static void test_usdt(void **state)
{
	static const char *const probes[] = { "regs", "mem", "consts", "many" };
	size_t checked = 0;

	(void)state;
	TK_NEED_KERNEL();
	for (int pie = 0; pie < 2; pie++) {
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			const char *path = pie ? g_dir.pie : g_dir.nopie;
			struct rsys *rs = calloc(1, sizeof(*rs));
			struct bbpf_load_opts lo = { 0 };
			struct bbpf_usdt_opts o = { .usdt_cookie = 0xc0ffee + i };
			struct bbpf_object *obj;
			struct bbpf_map *specs;
			struct bbpf_link *link = NULL;
			struct bbpf_ctx *ctx;
			char args[1024], what[1200], *theirs, ours[20000], value[1100];
			int n;

			assert_non_null(rs);
			ctx = new_ctx(rs);
			/* per site, as libbpf 1.1 (it knows no uprobe-multi links) */
			assert_int_equal(bbpf_features_probe(ctx), 0);
			ctx->feat.uprobe_multi_probed = true;
			ctx->feat.uprobe_multi_link = false;
			assert_int_equal(bbpf_object_open_file(&obj, BBPF_FIXTURE_DIR "/usdt.bpf.o",
							       NULL, NULL), 0);
			lo.ctx = ctx;
			assert_int_equal(bbpf_object_load(obj, &lo), 0);
			specs = bbpf_object_find_map(obj, "__bpf_usdt_specs");
			rs->r.specs_fd = bbpf_map_fd(specs);
			rs->r.spec_size = bbpf_map_value_size(specs);
			snprintf(args, sizeof(args), "usdt %s/usdt.bpf.o usdt_a -1 '%s' bbpf_t %s %llu",
				 BBPF_SRC_DIR "/" BBPF_FIXTURE_DIR, path, probes[i],
				 (unsigned long long)o.usdt_cookie);
			theirs = libbpf_says(args, "");
			assert_int_equal(bbpf_program_attach_usdt(bbpf_object_find_program(obj, "usdt_a"),
								  -1, path, "bbpf_t", probes[i], &o,
								  &link), -ENOSYS);
			assert_true(rs->r.spec_seen);
			hex(value, rs->r.spec, rs->r.spec_size);
			n = snprintf(ours, sizeof(ours), "%sSPEC 0 %s\n", rs->r.out, value);
			assert_true(n > 0 && (size_t)n < sizeof(ours));
			snprintf(what, sizeof(what), "usdt %s", args);
			same(what, theirs, ours);
			free(theirs);
			bbpf_object_close(obj);
			bbpf_ctx_free(ctx);
			free(rs);
			checked++;
		}
	}
	assert_int_equal(checked, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uprobe_opts),
		cmocka_unit_test(test_uprobe_sections),
		cmocka_unit_test(test_usdt),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
