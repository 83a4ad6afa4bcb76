// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe, uretprobe, uprobe.multi, uprobe.session and USDT attach on the
 * real kernel, against a target program compiled here (PIE and non-PIE,
 * tests/lib/uprobe_target.c) and driven over pipes, and against libc:
 *  - what the BPF programs record (arguments, return values, the probed
 *    address, BPF cookies) is checked exactly, for perf-link, ioctl and
 *    legacy tracefs uprobes, a pid filter, by offset without a symbol,
 *    func+off, a semaphore through ref_ctr_offset, uprobe.multi with a
 *    pattern and with offsets and cookies, uprobe.session;
 *  - USDT probes read back through libbpf's <bpf/usdt.bpf.h> (the installed
 *    1.1 header, 208-byte specs): constants, registers and memory of every
 *    width and sign, 12 arguments, usdt cookies, semaphores, two links of
 *    one object at once and spec ids reused, with one uprobe-multi link,
 *    with a uprobe per site, and without BPF cookies (the ip map);
 *  - auto-attach from section names (an object compiled here, naming the
 *    target's path) through bbpf_object_attach(), `barebpf run` and
 *    `barebpf prog loadall ... autoattach`;
 *  - after detach nothing of ours remains: no uprobe_events entry, no link
 *    (`bpftool link show`), the semaphores back at 0, the spec map zeroed;
 *  - a fault sweep: every system call of an attach failing in turn leaves
 *    no fd, no probe event, no link and no spec.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
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

#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "attach/attach.h"
#include "lk_util.h"
#include "fake_sys.h"
#include "proc_run.h"
#include "uprobe_target.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define MAGIC 0x5eed
#define UPROBE_EVENTS "/sys/kernel/tracing/uprobe_events"

static struct ut_dir g_dir;
static bool g_built;

static int group_setup(void **state)
{
	(void)state;
	if (tk_kernel_unavailable())
		return 0;	/* every test skips, saying why */
	if (ut_build(&g_dir, "uprobe_kern"))
		return -1;
	g_built = true;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (g_built)
		ut_clean(&g_dir);
	return 0;
}

static void print_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN)
		print_message("  log: %s\n", msg);
}

/* ---- objects ---- */

struct kobj {
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	uint8_t *bss;
};

enum {
	K_NO_MULTI = 1 << 0,	/* act as a kernel without uprobe-multi links */
	K_NO_COOKIE = 1 << 1,	/* ... without BPF cookies and perf links (before 5.15) */
	K_QUIET = 1 << 2,
};

static void kopen(struct kobj *k, const char *path, unsigned int flags,
		  const struct bbpf_sys *sys)
{
	struct bbpf_ctx_opts co = { .sys = sys, .log = flags & K_QUIET ? NULL : print_log };
	struct bbpf_open_opts oo = { .log = flags & K_QUIET ? NULL : print_log };
	struct bbpf_load_opts lo = { 0 };
	int err;

	memset(k, 0, sizeof(*k));
	assert_int_equal(bbpf_ctx_new(&k->ctx, &co), 0);
	/* the features as probed, then some taken away to act as an older kernel */
	assert_int_equal(bbpf_features_probe(k->ctx), 0);
	assert_true(bbpf_features_uprobe_multi(k->ctx) >= 0);
	if (flags & K_NO_MULTI)
		k->ctx->feat.uprobe_multi_link = false;
	if (flags & K_NO_COOKIE)
		k->ctx->feat.perf_link = false;
	err = bbpf_object_open_file(&k->obj, path, &oo, NULL);
	if (err)
		fail_msg("open %s: %d (run `make fixtures`)", path, err);
	lo.ctx = k->ctx;
	err = bbpf_object_load(k->obj, &lo);
	if (err)
		fail_msg("load %s: %d", path, err);
	k->bss = bbpf_map_mmaped(bbpf_object_find_map(k->obj, ".bss"), NULL);
	assert_non_null(k->bss);
}

static void kclose(struct kobj *k)
{
	bbpf_object_close(k->obj);
	bbpf_ctx_free(k->ctx);
}

static volatile uint64_t *var64(struct kobj *k, const char *name)
{
	struct bbpf_map *m;
	size_t off, size;

	if (bbpf_object_find_global(k->obj, name, &m, &off, &size))
		fail_msg("no global %s", name);
	return (volatile uint64_t *)(void *)(k->bss + off);
}

static void set_tgid(struct kobj *k, pid_t pid)
{
	struct bbpf_map *m;
	size_t off, size;

	assert_int_equal(bbpf_object_find_global(k->obj, "target_tgid", &m, &off, &size), 0);
	*(volatile int *)(void *)(k->bss + off) = pid;
}

static struct bbpf_program *prog(struct kobj *k, const char *name)
{
	struct bbpf_program *p = bbpf_object_find_program(k->obj, name);

	assert_non_null(p);
	return p;
}

/* ---- what must be gone ---- */

/* uprobe_events lines of this process (our names start with bbpf_<pid>_). */
static int our_events(void)
{
	char mark[32], line[1024];
	FILE *f = fopen(UPROBE_EVENTS, "r");
	int n = 0;

	assert_non_null(f);
	snprintf(mark, sizeof(mark), "/bbpf_%d_", (int)getpid());
	while (fgets(line, sizeof(line), f))
		n += strstr(line, mark) != NULL;
	fclose(f);
	return n;
}

/* Links of prog (by id) that `bpftool link show` lists. */
static int bpftool_links_of(struct bbpf_program *p)
{
	char *out = proc_capture("bpftool -j link show 2>/dev/null"), key[48], *s;
	size_t len;
	int n = 0;

	if (!out || out[0] != '[')
		fail_msg("bpftool -j link show failed");
	len = (size_t)snprintf(key, sizeof(key), "\"prog_id\":%u", lk_prog_id(bbpf_program_fd(p)));
	for (s = out; (s = strstr(s, key)); s++)
		n += s[len] == ',' || s[len] == '}';
	free(out);
	return n;
}

static void expect_semas(struct ut_child *c, unsigned int a, unsigned int b, unsigned int d,
			 unsigned int e)
{
	unsigned int s[4];

	assert_true(ut_semas(c, s));
	if (s[0] != a || s[1] != b || s[2] != d || s[3] != e)
		fail_msg("semaphores %u %u %u %u, expected %u %u %u %u", s[0], s[1], s[2], s[3], a, b,
			 d, e);
}

/* The target's function addresses: tgt_add tgt_nops tgt_multi_1/2/3. */
static void addrs(struct ut_child *c, uint64_t a[5])
{
	const char *l = ut_cmd(c, "a");

	assert_non_null(l);
	assert_int_equal(sscanf(l, "%lx %lx %lx %lx %lx", &a[0], &a[1], &a[2], &a[3], &a[4]), 5);
}

static void cmd_is(struct ut_child *c, const char *cmd, const char *want)
{
	const char *got = ut_cmd(c, cmd);

	assert_non_null(got);
	assert_string_equal(got, want);
}

/* ---- uprobes ---- */

static void uprobe_round(const char *path, enum bbpf_probe_attach_mode mode)
{
	struct ut_child c, other;
	struct bbpf_uprobe_opts o = { .func_name = "tgt_add", .attach_mode = mode };
	struct bbpf_link *l1, *l2;
	struct kobj k;
	uint64_t a[5];
	bool cookies = mode == BBPF_PROBE_ATTACH_DEFAULT || mode == BBPF_PROBE_ATTACH_LINK;

	kopen(&k, BBPF_FIXTURE_DIR "/uprobe.bpf.o", 0, NULL);
	assert_int_equal(ut_start(&c, path), 0);
	assert_int_equal(ut_start(&other, path), 0);
	addrs(&c, a);
	if (cookies)
		o.bpf_cookie = 0x1234567890ull;
	assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_entry"), c.pid, path, 0, &o, &l1),
			 0);
	o.retprobe = true;
	if (cookies)
		o.bpf_cookie = 99;
	assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_ret"), c.pid, path, 0, &o, &l2), 0);
	assert_int_equal(our_events(), mode == BBPF_PROBE_ATTACH_LEGACY ? 2 : 0);
	/* the pid filter: the other process's calls are not seen (no BPF-side filter) */
	cmd_is(&other, "A", "22");
	assert_int_equal(*var64(&k, "entry_cnt"), 0);
	cmd_is(&c, "A", "22");
	assert_int_equal(*var64(&k, "entry_cnt"), 1);
	assert_int_equal(*var64(&k, "entry_a"), 5);
	assert_int_equal(*var64(&k, "entry_b"), 7);
	assert_int_equal(*var64(&k, "entry_ip"), a[0]);
	assert_int_equal(*var64(&k, "entry_cookie"), cookies ? 0x1234567890ull : 0);
	assert_int_equal(*var64(&k, "ret_cnt"), 1);
	assert_int_equal(*var64(&k, "ret_val"), 22);
	assert_int_equal(*var64(&k, "ret_cookie"), cookies ? 99 : 0);
	assert_int_equal(bpftool_links_of(prog(&k, "up_entry")), cookies ? 1 : 0);
	bbpf_link_destroy(l1);
	bbpf_link_destroy(l2);
	cmd_is(&c, "A", "22");
	assert_int_equal(*var64(&k, "entry_cnt"), 1);
	assert_int_equal(*var64(&k, "ret_cnt"), 1);
	assert_int_equal(our_events(), 0);
	assert_int_equal(bpftool_links_of(prog(&k, "up_entry")), 0);
	assert_int_equal(bpftool_links_of(prog(&k, "up_ret")), 0);
	ut_stop(&other);
	ut_stop(&c);
	kclose(&k);
}

static void test_uprobe_modes(void **state)
{
	static const enum bbpf_probe_attach_mode modes[] = {
		BBPF_PROBE_ATTACH_DEFAULT, BBPF_PROBE_ATTACH_LINK, BBPF_PROBE_ATTACH_PERF,
		BBPF_PROBE_ATTACH_LEGACY,
	};

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		uprobe_round(g_dir.pie, modes[i]);
		uprobe_round(g_dir.nopie, modes[i]);
	}
}

/* By offset without a symbol, func+off, and a semaphore through ref_ctr_offset. */
static void test_uprobe_offsets(void **state)
{
	struct bbpf_uprobe_opts o = { 0 };
	struct bbpf_link *l;
	struct ut_child c;
	struct kobj k;
	uint64_t a[5];
	int64_t off, sema;

	(void)state;
	TK_NEED_KERNEL();
	for (int pie = 0; pie < 2; pie++) {
		const char *path = pie ? g_dir.pie : g_dir.nopie;

		kopen(&k, BBPF_FIXTURE_DIR "/uprobe.bpf.o", 0, NULL);
		assert_int_equal(ut_start(&c, path), 0);
		set_tgid(&k, c.pid);
		addrs(&c, a);
		off = ut_sym_off(path, "tgt_add");
		assert_true(off > 0);
		assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_at"), -1, path, (size_t)off,
							    NULL, &l), 0);
		cmd_is(&c, "A", "22");
		assert_int_equal(*var64(&k, "at_cnt"), 1);
		assert_int_equal(*var64(&k, "at_ip"), a[0]);
		bbpf_link_destroy(l);

		/* the third of four nops: the function still returns 42 */
		o.func_name = "tgt_nops+2";
		assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_at"), -1, path, 0, &o, &l), 0);
		cmd_is(&c, "N", "42");
		assert_int_equal(*var64(&k, "at_cnt"), 2);
		assert_int_equal(*var64(&k, "at_ip"), a[1] + 2);
		bbpf_link_destroy(l);

		/* a semaphore raised while the uprobe is there, whatever it probes */
		sema = ut_sym_off(path, "bbpf_t_mem_semaphore");
		assert_true(sema > 0);
		o = (struct bbpf_uprobe_opts){ .func_name = "tgt_add", .ref_ctr_offset = (size_t)sema };
		expect_semas(&c, 0, 0, 0, 0);
		assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_at"), c.pid, path, 0, &o, &l),
				 0);
		expect_semas(&c, 0, 1, 0, 0);
		cmd_is(&c, "A", "22");
		assert_int_equal(*var64(&k, "at_cnt"), 3);
		bbpf_link_destroy(l);
		expect_semas(&c, 0, 0, 0, 0);
		/* legacy probes cannot take one */
		o.attach_mode = BBPF_PROBE_ATTACH_LEGACY;
		assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_at"), c.pid, path, 0, &o, &l),
				 -EINVAL);
		o = (struct bbpf_uprobe_opts){ 0 };
		ut_stop(&c);
		kclose(&k);
	}
	assert_int_equal(our_events(), 0);
}

/* libc by its bare name, this process only; the same calls from a child do not count. */
static void test_uprobe_libc(void **state)
{
	struct bbpf_uprobe_opts o = { .func_name = "l64a" };
	struct bbpf_link *l;
	struct ut_child c;
	struct kobj k;

	(void)state;
	TK_NEED_KERNEL();
	char want[16];

	snprintf(want, sizeof(want), "%s", l64a(MAGIC));
	kopen(&k, BBPF_FIXTURE_DIR "/uprobe.bpf.o", 0, NULL);
	assert_int_equal(bbpf_program_attach_uprobe(prog(&k, "up_libc"), 0, "libc.so.6", 0, &o, &l),
			 0);
	assert_int_equal(ut_start(&c, g_dir.pie), 0);
	cmd_is(&c, "l", want);
	for (int i = 0; i < 5; i++)
		assert_non_null(l64a(MAGIC));
	assert_non_null(l64a(MAGIC + 1));
	assert_int_equal(*var64(&k, "libc_cnt"), 5);
	bbpf_link_destroy(l);
	assert_non_null(l64a(MAGIC));
	assert_int_equal(*var64(&k, "libc_cnt"), 5);
	ut_stop(&c);
	kclose(&k);
}

static void test_uprobe_multi(void **state)
{
	static const char *const syms[] = { "tgt_multi_1", "tgt_multi_2", "tgt_multi_3" };
	const uint64_t cookies[] = { 1, 10, 100 };
	struct bbpf_uprobe_multi_opts o = { 0 };
	struct bbpf_link *l, *lr, *ls;
	struct ut_child c;
	struct kobj k;
	uint64_t a[5];

	(void)state;
	TK_NEED_KERNEL();
	for (int pie = 0; pie < 2; pie++) {
		const char *path = pie ? g_dir.pie : g_dir.nopie;

		kopen(&k, BBPF_FIXTURE_DIR "/uprobe.bpf.o", 0, NULL);
		assert_int_equal(ut_start(&c, path), 0);
		addrs(&c, a);
		/* a pattern, with the kernel's pid filter only */
		assert_int_equal(bbpf_program_attach_uprobe_multi(prog(&k, "up_multi"), c.pid, path,
								  "tgt_multi_*", NULL, &l), 0);
		o = (struct bbpf_uprobe_multi_opts){ .retprobe = true };
		assert_int_equal(bbpf_program_attach_uprobe_multi(prog(&k, "up_multi_ret"), c.pid,
								  path, "tgt_multi_?", &o, &lr), 0);
		cmd_is(&c, "M", "11 12 13");
		assert_int_equal(*var64(&k, "multi_cnt"), 3);
		assert_int_equal(*var64(&k, "multi_ip_xor"), a[2] ^ a[3] ^ a[4]);
		assert_int_equal(*var64(&k, "multi_cookie_sum"), 0);
		assert_int_equal(*var64(&k, "multi_ret_cnt"), 3);
		assert_int_equal(*var64(&k, "multi_ret_sum"), 36);
		assert_int_equal(bpftool_links_of(prog(&k, "up_multi")), 1);
		bbpf_link_destroy(l);
		bbpf_link_destroy(lr);
		/* exact names with cookies */
		o = (struct bbpf_uprobe_multi_opts){ .syms = (const char **)syms, .cookies = cookies,
						     .cnt = 3 };
		assert_int_equal(bbpf_program_attach_uprobe_multi(prog(&k, "up_multi"), c.pid, path,
								  NULL, &o, &l), 0);
		cmd_is(&c, "M", "11 12 13");
		assert_int_equal(*var64(&k, "multi_cnt"), 6);
		assert_int_equal(*var64(&k, "multi_cookie_sum"), 111);
		bbpf_link_destroy(l);
		/* a session: entry and return in one program, the cookie kept between them */
		o = (struct bbpf_uprobe_multi_opts){ .session = true };
		assert_int_equal(bbpf_program_attach_uprobe_multi(prog(&k, "up_sess"), c.pid, path,
								  "tgt_sess", &o, &ls), 0);
		cmd_is(&c, "S", "42");
		assert_int_equal(*var64(&k, "sess_entry"), 1);
		assert_int_equal(*var64(&k, "sess_return"), 1);
		assert_int_equal(*var64(&k, "sess_ret_val"), 42);
		assert_int_equal(*var64(&k, "sess_cookie"), 1021);
		bbpf_link_destroy(ls);
		cmd_is(&c, "M", "11 12 13");
		cmd_is(&c, "S", "42");
		assert_int_equal(*var64(&k, "multi_cnt"), 6);
		assert_int_equal(*var64(&k, "sess_entry"), 1);
		assert_int_equal(bpftool_links_of(prog(&k, "up_multi")), 0);
		assert_int_equal(bpftool_links_of(prog(&k, "up_sess")), 0);
		ut_stop(&c);
		kclose(&k);
	}
}

/* ---- USDT ---- */

struct urec {
	int64_t cnt, arg_cnt, cookie, errs, args[12];
};

static volatile struct urec *urec(struct kobj *k, const char *name)
{
	return (volatile struct urec *)(void *)var64(k, name);
}

static void expect_urec(volatile struct urec *r, int64_t cnt, int64_t cookie, const int64_t *args,
			unsigned int n, const char *what)
{
	if (r->cnt != cnt || r->arg_cnt != n || r->cookie != cookie ||
	    r->errs != (int64_t)(0xfff & ~((1u << n) - 1)))
		fail_msg("%s: cnt %lld args %lld cookie %llx errs %llx, expected %lld %u %llx", what,
			 (long long)r->cnt, (long long)r->arg_cnt, (long long)r->cookie,
			 (long long)r->errs, (long long)cnt, n, (long long)cookie);
	for (unsigned int i = 0; i < 12; i++) {
		int64_t want = i < n ? args[i] : 0;

		if (r->args[i] != want)
			fail_msg("%s: argument %u is %lld, expected %lld", what, i,
				 (long long)r->args[i], (long long)want);
	}
}

/* Every spec of the object's map is zero. */
static void expect_specs_zero(struct kobj *k)
{
	struct bbpf_map *m = bbpf_object_find_map(k->obj, "__bpf_usdt_specs");
	uint8_t v[512];

	assert_true(bbpf_map_value_size(m) <= sizeof(v));
	for (uint32_t i = 0; i < bbpf_map_max_entries(m); i++) {
		assert_int_equal(bbpf_map_lookup_elem(m, &i, 4, v, bbpf_map_value_size(m), 0), 0);
		for (uint32_t j = 0; j < bbpf_map_value_size(m); j++)
			if (v[j])
				fail_msg("spec #%u still set", i);
	}
}

static void usdt_round(const char *path, unsigned int flags)
{
	static const int64_t regs[] = UT_REGS_ARGS, mem[] = UT_MEM_ARGS, consts[] = UT_CONSTS_ARGS,
			     many[] = UT_MANY_ARGS;
	struct bbpf_usdt_opts o = { .usdt_cookie = 0xc0ffee };
	struct bbpf_link *la, *lb, *lc;
	struct bbpf_program *pa, *pb;
	struct ut_child c;
	struct kobj k;
	char what[256];
	pid_t pid;

	kopen(&k, BBPF_FIXTURE_DIR "/usdt.bpf.o", flags, NULL);
	pa = prog(&k, "usdt_a");
	pb = prog(&k, "usdt_b");
	assert_int_equal(ut_start(&c, path), 0);
	set_tgid(&k, c.pid);
	/* without cookies a PIE's sites have their process's addresses: a pid is needed */
	pid = (flags & K_NO_COOKIE) && ut_is_dyn(path) ? c.pid : -1;
	snprintf(what, sizeof(what), "%s%s%s", path, flags & K_NO_MULTI ? " per site" : "",
		 flags & K_NO_COOKIE ? " no cookie" : "");
	expect_semas(&c, 0, 0, 0, 0);
	assert_int_equal(bbpf_program_attach_usdt(pa, pid, path, "bbpf_t", "regs", &o, &la), 0);
	o.usdt_cookie = -2;
	assert_int_equal(bbpf_program_attach_usdt(pb, pid, path, "bbpf_t", "mem", &o, &lb), 0);
	expect_semas(&c, 1, 1, 0, 0);
	cmd_is(&c, "r", "100");
	cmd_is(&c, "m", "0");
	expect_urec(urec(&k, "rec_a"), 1, 0xc0ffee, regs, 6, what);
	expect_urec(urec(&k, "rec_b"), 1, -2, mem, 6, what);
	assert_int_equal(bpftool_links_of(pa), (flags & K_NO_COOKIE) ? 0 : 1);

	/* a goes, c takes its spec id: 12 arguments, then the constants */
	bbpf_link_destroy(la);
	expect_semas(&c, 0, 1, 0, 0);
	o.usdt_cookie = 7;
	assert_int_equal(bbpf_program_attach_usdt(pa, pid, path, "bbpf_t", "many", &o, &lc), 0);
	assert_int_equal(bbpf_inst_of(k.obj)->usdt_ids->next, 2);
	cmd_is(&c, "n", "ok");
	cmd_is(&c, "r", "100");	/* not attached any more */
	expect_urec(urec(&k, "rec_a"), 2, 7, many, 12, what);
	bbpf_link_destroy(lc);
	assert_int_equal(bbpf_program_attach_usdt(pa, pid, path, "bbpf_t", "consts", &o, &lc), 0);
	expect_semas(&c, 0, 1, 1, 0);
	cmd_is(&c, "c", "ok");
	expect_urec(urec(&k, "rec_a"), 3, 7, consts, 5, what);
	bbpf_link_destroy(lc);
	bbpf_link_destroy(lb);
	cmd_is(&c, "m", "0");
	expect_urec(urec(&k, "rec_b"), 1, -2, mem, 6, what);
	expect_semas(&c, 0, 0, 0, 0);
	expect_specs_zero(&k);
	assert_int_equal(bpftool_links_of(pa), 0);
	assert_int_equal(bpftool_links_of(pb), 0);
	assert_int_equal(our_events(), 0);
	ut_stop(&c);
	kclose(&k);
}

static void test_usdt(void **state)
{
	static const unsigned int modes[] = { 0, K_NO_MULTI, K_NO_COOKIE | K_NO_MULTI };

	(void)state;
	TK_NEED_KERNEL();
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		usdt_round(g_dir.nopie, modes[i]);
		usdt_round(g_dir.pie, modes[i]);
	}
}

/* ---- auto-attach from section names: an object compiled here ---- */

static const char auto_src[] =
	"#define __TARGET_ARCH_x86\n"
	"#include <linux/bpf.h>\n"
	"#include <linux/ptrace.h>\n"
	"#include <stdbool.h>\n"
	"#include <bpf/bpf_helpers.h>\n"
	"#include <bpf/bpf_tracing.h>\n"
	"#include <bpf/usdt.bpf.h>\n"
	"int target_tgid;\n"
	"__u64 add_cnt, add_a, ret_val, nops_cnt, multi_cnt, sess_cnt, libc_cnt, usdt_cnt;\n"
	"__u64 sleep_cnt, usdt_s_cnt;\n"
	"long usdt_arg5, usdt_s_arg0;\n"
	"static bool mine(void) {\n"
	"  return (bpf_get_current_pid_tgid() >> 32) == (__u32)target_tgid; }\n"
	"SEC(\"uprobe/" "%1$s" ":tgt_add\") int a_add(struct pt_regs *ctx) {\n"
	"  if (mine()) { add_a = PT_REGS_PARM1(ctx); __sync_fetch_and_add(&add_cnt, 1); } return 0; }\n"
	"SEC(\"uretprobe/" "%1$s" ":tgt_add\") int a_ret(struct pt_regs *ctx) {\n"
	"  if (mine()) ret_val = PT_REGS_RC(ctx); return 0; }\n"
	"SEC(\"uprobe/" "%1$s" ":tgt_nops+0x3\") int a_nops(struct pt_regs *ctx) {\n"
	"  if (mine()) __sync_fetch_and_add(&nops_cnt, 1); return 0; }\n"
	"SEC(\"uprobe.multi/" "%1$s" ":tgt_multi_*\") int a_multi(struct pt_regs *ctx) {\n"
	"  if (mine()) __sync_fetch_and_add(&multi_cnt, 1); return 0; }\n"
	"SEC(\"uprobe.session/" "%1$s" ":tgt_sess\") int a_sess(struct pt_regs *ctx) {\n"
	"  if (mine()) __sync_fetch_and_add(&sess_cnt, 1); return 1; }\n"
	"SEC(\"uprobe/libc.so.6:l64a\") int a_libc(struct pt_regs *ctx) {\n"
	"  if (mine() && PT_REGS_PARM1(ctx) == 0x5eed) __sync_fetch_and_add(&libc_cnt, 1); return 0; }\n"
	"SEC(\"usdt/" "%1$s" ":bbpf_t:regs\") int a_usdt(struct pt_regs *ctx) {\n"
	"  if (mine()) { bpf_usdt_arg(ctx, 5, &usdt_arg5); __sync_fetch_and_add(&usdt_cnt, 1); }\n"
	"  return 0; }\n"
	"SEC(\"uprobe.s/" "%1$s" ":tgt_sess\") int a_sleep(struct pt_regs *ctx) {\n"
	"  if (mine()) __sync_fetch_and_add(&sleep_cnt, 1); return 0; }\n"
	"SEC(\"usdt.s/" "%1$s" ":bbpf_t:mem\") int a_usdt_s(struct pt_regs *ctx) {\n"
	"  if (mine()) { bpf_usdt_arg(ctx, 0, &usdt_s_arg0); __sync_fetch_and_add(&usdt_s_cnt, 1); }\n"
	"  return 0; }\n"
	"SEC(\"uprobe\") int a_bare(struct pt_regs *ctx) { return 0; }\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

static const char *const auto_vars[] = { "add_cnt", "add_a", "ret_val", "nops_cnt", "multi_cnt",
					 "sess_cnt", "libc_cnt", "usdt_cnt", "usdt_arg5",
					 "sleep_cnt", "usdt_s_cnt", "usdt_s_arg0" };
#define AUTO_VARS (sizeof(auto_vars) / sizeof(auto_vars[0]))
#define AUTO_LINKS 9

/* The object, its path in the test's directory ("auto.bpf.o"). */
static void build_auto(char *obj, size_t size)
{
	static const char *const clangs[] = { "clang-16", "clang" };
	const char *clang = proc_find_tool(clangs, 2);
	char src[256], cmd[1024];
	FILE *f;

	assert_non_null(clang);
	snprintf(src, sizeof(src), "%s/auto.bpf.c", g_dir.dir);
	snprintf(obj, size, "%s/auto.bpf.o", g_dir.dir);
	f = fopen(src, "w");
	assert_non_null(f);
	assert_true(fprintf(f, auto_src, g_dir.nopie) > 0);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd),
		 "%s -target bpf -O2 -g -Wall -Werror -I/usr/include/x86_64-linux-gnu -c '%s' -o '%s'",
		 clang, src, obj);
	if (system(cmd))
		fail_msg("cannot compile: %s", cmd);
}

/*
 * After n calls of each (A N M S l r m): every counter as expected; slack
 * allows counters of programs attached or detached while the target runs
 * to be that many calls apart.
 */
static void expect_auto_counts_near(const uint64_t *v, uint64_t n, uint64_t slack,
				    const char *what)
{
	static const int64_t regs[] = UT_REGS_ARGS, mem[] = UT_MEM_ARGS;
	const uint64_t want[AUTO_VARS] = { n, 5, 22, n, 3 * n, n, n, n, (uint64_t)regs[5], n, n,
					   (uint64_t)mem[0] };
	static const bool counter[AUTO_VARS] = { 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0 };

	for (size_t i = 0; i < AUTO_VARS; i++) {
		uint64_t lo = want[i], hi = want[i];

		if (counter[i]) {
			uint64_t d = (i == 4 ? 3 : 1) * slack;

			lo = lo > d ? lo - d : 0;
			hi += d;
		}
		if (v[i] < lo || v[i] > hi)
			fail_msg("%s: %s = %llu, expected %llu (+-%llu)", what, auto_vars[i],
				 (unsigned long long)v[i], (unsigned long long)want[i],
				 (unsigned long long)(hi - want[i]));
	}
}

/* After one call of each (A N M S l r m): every counter as expected. */
static void expect_auto_counts(const uint64_t *v, uint64_t n, const char *what)
{
	static const int64_t regs[] = UT_REGS_ARGS, mem[] = UT_MEM_ARGS;
	const uint64_t want[AUTO_VARS] = { n, 5, 22, n, 3 * n, n, n, n, (uint64_t)regs[5], n, n,
					   (uint64_t)mem[0] };

	for (size_t i = 0; i < AUTO_VARS; i++)
		if (v[i] != want[i])
			fail_msg("%s: %s = %llu, expected %llu", what, auto_vars[i],
				 (unsigned long long)v[i], (unsigned long long)want[i]);
}

static void run_all(struct ut_child *c)
{
	cmd_is(c, "A", "22");
	cmd_is(c, "N", "42");
	cmd_is(c, "M", "11 12 13");
	cmd_is(c, "S", "42");
	assert_non_null(ut_cmd(c, "l"));
	cmd_is(c, "r", "100");
	cmd_is(c, "m", "0");
}

static void test_auto_attach(void **state)
{
	char obj[256];
	struct ut_child c;
	struct kobj k;
	uint64_t v[AUTO_VARS];

	(void)state;
	TK_NEED_KERNEL();
	build_auto(obj, sizeof(obj));
	kopen(&k, obj, 0, NULL);
	assert_int_equal(ut_start(&c, g_dir.nopie), 0);
	set_tgid(&k, c.pid);
	assert_int_equal(bbpf_object_attach(k.obj), 0);
	assert_int_equal(bbpf_object_link_cnt(k.obj), AUTO_LINKS);
	assert_int_equal(bbpf_program_attach_status(prog(&k, "a_bare"), NULL, NULL),
			 BBPF_ATTACH_SKIPPED);
	expect_semas(&c, 1, 1, 0, 0);
	run_all(&c);
	for (size_t i = 0; i < AUTO_VARS; i++)
		v[i] = *var64(&k, auto_vars[i]);
	expect_auto_counts(v, 1, "bbpf_object_attach");
	bbpf_object_detach(k.obj);
	run_all(&c);
	for (size_t i = 0; i < AUTO_VARS; i++)
		assert_int_equal(*var64(&k, auto_vars[i]), v[i]);
	expect_semas(&c, 0, 0, 0, 0);
	expect_specs_zero(&k);
	assert_int_equal(bpftool_links_of(prog(&k, "a_usdt")), 0);
	ut_stop(&c);
	kclose(&k);
}

/* "name = N (0x...)" from --show output. */
static uint64_t shown(const char *out, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "%s = ", name);
	p = strstr(out, key);
	if (!p)
		fail_msg("no '%s' in: %s", key, out);
	return strtoull(p + strlen(key), NULL, 10);
}

/* `barebpf run`: attached while the target loops, counters shown at the end. */
static void test_cli_run(void **state)
{
	char obj[256], tgid[48], dur[] = "2.5";
	char *argv[48];
	struct proc_run r;
	struct ut_child c;
	const char *l;
	int n = 0;
	pid_t loop;

	(void)state;
	TK_NEED_KERNEL();
	build_auto(obj, sizeof(obj));
	assert_int_equal(ut_start(&c, g_dir.nopie), 0);
	snprintf(tgid, sizeof(tgid), "target_tgid=%d", (int)c.pid);
	argv[n++] = (char *)CLI;
	argv[n++] = (char *)"run";
	argv[n++] = obj;
	argv[n++] = (char *)"--duration";
	argv[n++] = dur;
	argv[n++] = (char *)"--set";
	argv[n++] = tgid;
	for (size_t i = 0; i < AUTO_VARS; i++) {
		argv[n++] = (char *)"--show";
		argv[n++] = (char *)auto_vars[i];
	}
	argv[n] = NULL;
	/* the target calls everything for 4 s, from 0.5 s after the run starts */
	loop = fork();
	assert_true(loop >= 0);
	if (!loop) {
		usleep(500000);
		l = ut_cmd(&c, "L4000");
		_exit(l && atol(l) > 10 ? 0 : 1);
	}
	assert_int_equal(proc_run(argv, &r), 0);
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status))
		fail_msg("barebpf run: status %d: %s", r.status, r.err);
	assert_non_null(strstr(r.err, "9 program(s) attached"));
	{
		uint64_t v[AUTO_VARS];

		for (size_t i = 0; i < AUTO_VARS; i++)
			v[i] = shown(r.out, auto_vars[i]);
		assert_true(v[0] > 10);
		expect_auto_counts_near(v, v[0], 2, "barebpf run");
	}
	proc_run_free(&r);
	waitpid(loop, NULL, 0);
	expect_semas(&c, 0, 0, 0, 0);
	ut_stop(&c);
	assert_int_equal(our_events(), 0);
}

static void pin_dirs(char *pindir, char *mapdir, size_t size)
{
	snprintf(pindir, size, "/sys/fs/bpf/bbpf_up_%d", (int)getpid());
	snprintf(mapdir, size, "/sys/fs/bpf/bbpf_upm_%d", (int)getpid());
}

/* Whatever happened, the pins go (they would keep probes attached). */
static int loadall_teardown(void **state)
{
	char pindir[128], mapdir[128], cmd[300];

	(void)state;
	pin_dirs(pindir, mapdir, sizeof(pindir));
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", pindir, mapdir);
	return system(cmd) ? -1 : 0;
}

/* `prog loadall ... autoattach`: links pinned, still attached after barebpf exits. */
static void test_cli_loadall(void **state)
{
	char obj[256], pindir[128], mapdir[128], cmd[1024], path[256];
	struct bbpf_object *parsed;
	struct ut_child c;
	uint8_t bss[256];
	uint64_t v[AUTO_VARS];
	struct bbpf_map *m;
	size_t off, size;
	int fd, err;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	build_auto(obj, sizeof(obj));
	pin_dirs(pindir, mapdir, sizeof(pindir));
	assert_int_equal(ut_start(&c, g_dir.nopie), 0);
	/* target_tgid is set through the pinned .bss after the load */
	snprintf(cmd, sizeof(cmd), "'%s' prog loadall '%s' %s pinmaps %s autoattach 2>&1", CLI, obj,
		 pindir, mapdir);
	{
		char *out = proc_capture(cmd);

		assert_non_null(out);
		assert_non_null(strstr(out, "a_bare"));	/* pinned as a program, with a note */
		free(out);
	}
	snprintf(path, sizeof(path), "%s/auto_bss", mapdir);
	fd = bbpf_cmd_obj_get(lk_sys, path, 0);
	assert_true(fd >= 0);
	assert_int_equal(bbpf_object_open_file(&parsed, obj, NULL, NULL), 0);
	assert_int_equal(bbpf_object_find_global(parsed, "target_tgid", &m, &off, &size), 0);
	assert_true(bbpf_map_value_size(m) <= sizeof(bss));
	{
		uint32_t key = 0;

		memset(bss, 0, sizeof(bss));
		memcpy(bss + off, &c.pid, 4);
		assert_int_equal(bbpf_cmd_map_update(lk_sys, fd, &key, bss, BPF_ANY), 0);
		expect_semas(&c, 1, 1, 0, 0);	/* the USDT links are there */
		run_all(&c);
		assert_int_equal(bbpf_cmd_map_lookup(lk_sys, fd, &key, bss, 0), 0);
	}
	for (size_t i = 0; i < AUTO_VARS; i++) {
		assert_int_equal(bbpf_object_find_global(parsed, auto_vars[i], &m, &off, &size), 0);
		memcpy(&v[i], bss + off, 8);
	}
	expect_auto_counts(v, 1, "prog loadall autoattach");
	/* removing the pins detaches */
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", pindir, mapdir);
	err = system(cmd);
	assert_int_equal(err, 0);
	lk_sys->close(lk_sys->ctx, fd);
	/* link teardown is asynchronous (RCU): wait for the semaphore to drop */
	for (int i = 0; i < 100; i++) {
		unsigned int s[4];

		assert_true(ut_semas(&c, s));
		if (!s[0] && !s[1])
			break;
		usleep(20000);
	}
	expect_semas(&c, 0, 0, 0, 0);
	bbpf_object_close(parsed);
	ut_stop(&c);
}

/* ---- every system call of an attach failing in turn ---- */

enum kscen { KS_LEGACY, KS_USDT_MULTI, KS_USDT_SITES, KS_CNT };

static int kscen_attach(struct kobj *k, enum kscen s, const char *path, pid_t pid,
			struct bbpf_link **l)
{
	struct bbpf_uprobe_opts o = { .func_name = "tgt_add",
				      .attach_mode = BBPF_PROBE_ATTACH_LEGACY };
	int err;

	l[0] = l[1] = NULL;
	if (s == KS_LEGACY) {
		err = bbpf_program_attach_uprobe(prog(k, "up_entry"), pid, path, 0, &o, &l[0]);
		o.retprobe = true;
		return err ?: bbpf_program_attach_uprobe(prog(k, "up_ret"), pid, path, 0, &o, &l[1]);
	}
	err = bbpf_program_attach_usdt(prog(k, "usdt_a"), pid, path, "bbpf_t", "regs", NULL, &l[0]);
	return err ?: bbpf_program_attach_usdt(prog(k, "usdt_b"), pid, path, "bbpf_t", "many", NULL,
					       &l[1]);
}

static void test_fault_sweep(void **state)
{
	static const int errs[] = { -EPERM, -ENOMEM, -EINTR };
	struct fs_wrap *w = calloc(1, sizeof(*w));
	struct bbpf_sys sys;

	(void)state;
	TK_NEED_KERNEL();
	assert_non_null(w);
	sys = fs_wrap_init(w, &bbpf_sys_linux);
	for (int s = 0; s < KS_CNT; s++) {
		struct bbpf_link *l[2];
		struct ut_child c;
		struct kobj k;
		unsigned long total, n, failed = 0;
		size_t base;

		kopen(&k, BBPF_FIXTURE_DIR "/" "uprobe.bpf.o", K_QUIET, &sys);
		if (s != KS_LEGACY) {
			kclose(&k);
			kopen(&k, BBPF_FIXTURE_DIR "/usdt.bpf.o",
			      K_QUIET | (s == KS_USDT_SITES ? K_NO_MULTI : 0), &sys);
		}
		assert_int_equal(ut_start(&c, g_dir.pie), 0);
		base = fs_wrap_open_fds(w);
		fs_wrap_reset_counts(w);
		assert_int_equal(kscen_attach(&k, (enum kscen)s, g_dir.pie, c.pid, l), 0);
		total = w->calls;
		bbpf_link_destroy(l[0]);
		bbpf_link_destroy(l[1]);
		for (n = 1; n <= total; n++) {
			for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
				int err;

				fs_wrap_reset_counts(w);
				fs_wrap_fail(w, n, errs[i]);
				err = kscen_attach(&k, (enum kscen)s, g_dir.pie, c.pid, l);
				fs_wrap_fail(w, 0, 0);
				if (err && err != errs[i] && w->injected_hook != FS_HOOK_GETPID)
					fail_msg("sweep %d: call %lu failing with %d: %d", s, n, errs[i],
						 err);
				failed += err != 0;
				bbpf_link_destroy(l[0]);
				bbpf_link_destroy(l[1]);
				if (fs_wrap_open_fds(w) != base) {
					fs_wrap_dump(w, stderr);
					fail_msg("sweep %d: call %lu: fds left", s, n);
				}
				assert_int_equal(our_events(), 0);
			}
		}
		assert_true(failed > total);
		expect_semas(&c, 0, 0, 0, 0);
		if (s != KS_LEGACY)
			expect_specs_zero(&k);
		assert_int_equal(bpftool_links_of(prog(&k, s == KS_LEGACY ? "up_entry" : "usdt_a")),
				 0);
		print_message("  sweep %d: %lu calls, each failed %zu ways\n", s, total,
			      sizeof(errs) / sizeof(errs[0]));
		ut_stop(&c);
		kclose(&k);
	}
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uprobe_modes),
		cmocka_unit_test(test_uprobe_offsets),
		cmocka_unit_test(test_uprobe_libc),
		cmocka_unit_test(test_uprobe_multi),
		cmocka_unit_test(test_usdt),
		cmocka_unit_test(test_auto_attach),
		cmocka_unit_test(test_cli_run),
		cmocka_unit_test_teardown(test_cli_loadall, loadall_teardown),
		cmocka_unit_test(test_fault_sweep),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
