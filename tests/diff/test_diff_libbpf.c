/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test against libbpf (Debian's bpftool 7.1 / libbpf 1.1.2):
 * for every fixture bpftool loads, the programs barebpf loads must hold the
 * same translated instructions in the kernel (BPF_OBJ_GET_INFO_BY_FD), after
 * map ids in ld_imm64 are replaced by map names, the same program type,
 * gpl_compatible, attach_btf_id and func/line info counts, and the same map
 * list (by name, type, key/value size, max_entries, flags: the maps the
 * kernel holds for the program, .rodata bound by BPF_PROG_BIND_MAP
 * included). Then one program at a time (test_diff_per_program): each
 * program of every fixture libbpf opens loaded alone, every other one's
 * autoload off, by libbpf 1.1.2 itself (libbpf.so.1 through dlopen) and by barebpf:
 * the same kernel view of the program, exactly one program loaded by each,
 * the same maps created; where libbpf fails, barebpf fails on the same
 * program or map with the same errno. Runs on the real kernel;
 * skips (saying why, TK_NEED_KERNEL) only when not root or without bpf();
 * a missing bpftool is a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "kernel_avail.h"
#include "libbpf_fail.h"

#define MAX_INSNS 100000
/* Objects with more programs are not compared one program at a time (progs_sections). */
#define PER_PROG_MAX 64

/*
 * Differences from the references (bpftool 7.1's libbpf, libbpf.so 1.1.2;
 * barebpf follows libbpf 1.8) that the comparisons meet, each checked
 * precisely where it is met, counted and printed; each is a line in README
 * ("Tests", "Differences from libbpf").
 */
enum known_diff {
	/*
	 * bpftool 7.1 carries kernel 6.1's libbpf ("v1.1"), which makes every
	 * internal map (.data, .bss, .rodata*, .kconfig) BPF_F_MMAPABLE;
	 * libbpf.so 1.1.2 and 1.8 only one whose DATASEC has a non-static
	 * variable (a skeleton would expose it), as barebpf: a .rodata of
	 * string literals or static consts, .rodata.cst16 (no DATASEC) are
	 * not. Met by the whole-object comparison (bpftool) only.
	 */
	KD_MMAPABLE,
	/*
	 * A section libbpf 1.1.2 does not know (tcx/ingress, tcx/egress,
	 * uprobe.multi/...: src/obj/sec_def.c): 1.1.2 leaves the program's
	 * type unspecified and the kernel refuses it (-EINVAL); barebpf loads it
	 * as 1.8 does. Met one program at a time (bpftool refuses the whole
	 * object).
	 */
	KD_SEC_NOT_IN_11,
	/*
	 * usdt programs: 1.8 (and barebpf) load them with expected attach type
	 * BPF_TRACE_UPROBE_MULTI where the kernel has uprobe-multi links, 1.1.2
	 * with 0; the kernel then picks another bpf_get_attach_cookie, so the
	 * translated helper call's imm differs (only that is let through).
	 */
	KD_USDT_MULTI,
	/*
	 * A .struct_ops.link map (BPF_F_LINK): libbpf 1.1.2 does not know the
	 * section and creates no map for it; 1.8 (and barebpf) create it. Met
	 * one program at a time (struct_ops.bpf.o): dropped from barebpf's list
	 * of the maps created before the comparison.
	 */
	KD_STRUCT_OPS_LINK,
	KD_N
};
static const char *const known_diff_what[KD_N] = {
	[KD_MMAPABLE] = "internal map without a global variable: BPF_F_MMAPABLE from bpftool "
			"7.1's libbpf only (libbpf.so 1.1.2 and 1.8: not mmapable)",
	[KD_SEC_NOT_IN_11] = "section unknown to libbpf 1.1.2 (tcx/, uprobe.multi/): it fails "
			     "(-EINVAL), barebpf loads it as 1.8",
	[KD_USDT_MULTI] = "usdt program with BPF_TRACE_UPROBE_MULTI (1.8): another "
			  "bpf_get_attach_cookie in the translated call",
	[KD_STRUCT_OPS_LINK] = ".struct_ops.link map: created by barebpf as 1.8, unknown to "
			       "libbpf 1.1.2",
};
static unsigned int known_hits[KD_N];

struct xlated {
	char name[64];
	uint32_t type, gpl, attach_btf_id, nr_func_info, nr_line_info;
	uint32_t cnt;
	struct bpf_insn *insns;
	uint32_t map_cnt;
	uint32_t map_ids[64];
};

/* A map as the kernel describes it: what the comparisons match. */
struct kmap {
	char name[64];
	uint32_t type, key, value, max, flags;
};

static const struct bbpf_sys *sys = &bbpf_sys_linux;
/* The pin directory of the running test, removed by teardown even after a failure. */
static char pin_dir[256];

static int kmap_by_fd(int fd, struct kmap *m)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int err;

	memset(&info, 0, sizeof(info));
	err = bbpf_cmd_obj_info(sys, fd, &info, &len);
	if (err)
		return err;
	snprintf(m->name, sizeof(m->name), "%s", info.name);
	m->type = info.type;
	m->key = info.key_size;
	m->value = info.value_size;
	m->max = info.max_entries;
	m->flags = info.map_flags;
	return 0;
}

static int kmap_by_id(uint32_t id, struct kmap *m)
{
	int fd = bbpf_cmd_map_get_fd_by_id(sys, id), err;

	if (fd < 0)
		return fd;
	err = kmap_by_fd(fd, m);
	sys->close(sys->ctx, fd);
	return err;
}

static int map_name_by_id(uint32_t id, char *name, size_t size)
{
	struct kmap m;
	int err = kmap_by_id(id, &m);

	if (!err)
		snprintf(name, size, "%s", m.name);
	return err;
}

/* Translated instructions and used maps of a loaded program. */
static int get_xlated(int fd, struct xlated *x)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), cnt;
	int err;

	memset(&info, 0, sizeof(info));
	err = bbpf_cmd_obj_info(sys, fd, &info, &len);
	if (err)
		return err;
	cnt = info.xlated_prog_len / sizeof(struct bpf_insn);
	if (!cnt || cnt > MAX_INSNS || info.nr_map_ids > 64)
		return -E2BIG;
	snprintf(x->name, sizeof(x->name), "%s", info.name);
	x->type = info.type;
	x->gpl = info.gpl_compatible;
	x->attach_btf_id = info.attach_btf_id;
	x->nr_func_info = info.nr_func_info;
	x->nr_line_info = info.nr_line_info;
	x->insns = calloc(cnt, sizeof(struct bpf_insn));
	x->cnt = cnt;
	x->map_cnt = info.nr_map_ids;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = cnt * sizeof(struct bpf_insn);
	info.xlated_prog_insns = (uint64_t)(uintptr_t)x->insns;
	info.nr_map_ids = x->map_cnt;
	info.map_ids = (uint64_t)(uintptr_t)x->map_ids;
	len = sizeof(info);
	return bbpf_cmd_obj_info(sys, fd, &info, &len);
}

static int cmp_kmap(const void *a, const void *b)
{
	const struct kmap *x = a, *y = b;

	return strcmp(x->name, y->name) ? strcmp(x->name, y->name) :
	       x->type != y->type ? (x->type < y->type ? -1 : 1) : 0;
}

/* A program's maps, sorted by name, into m[64]. */
static void prog_kmaps(const struct xlated *x, struct kmap *m)
{
	uint32_t i;

	for (i = 0; i < x->map_cnt; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		snprintf(m[i].name, sizeof(m[i].name), "?");
		kmap_by_id(x->map_ids[i], &m[i]);
	}
	qsort(m, x->map_cnt, sizeof(*m), cmp_kmap);
}

/*
 * Two map lists (sorted), equal by name, type, key and value size,
 * max_entries and flags; what says whose list it is ("program 'x'",
 * "the object").
 */
static void compare_kmaps(const char *fixture, const char *what, const struct kmap *a,
			  uint32_t na, const struct kmap *b, uint32_t nb)
{
	uint32_t i;

	for (i = 0; i < na && i < nb; i++) {
		if (strcmp(a[i].name, b[i].name))
			fail_msg("%s: %s: map lists differ: libbpf has '%s', barebpf '%s'", fixture,
				 what, a[i].name, b[i].name);
		if (strchr(a[i].name, '.') && a[i].flags == (b[i].flags | BPF_F_MMAPABLE) &&
		    !(b[i].flags & BPF_F_MMAPABLE)) {
			known_hits[KD_MMAPABLE]++;
			printf("  %s: %s: map '%s': BPF_F_MMAPABLE from bpftool 7.1's libbpf only "
			       "(known difference)\n", fixture, what, a[i].name);
		} else if (a[i].type != b[i].type || a[i].key != b[i].key ||
			   a[i].value != b[i].value || a[i].max != b[i].max ||
			   a[i].flags != b[i].flags)
			fail_msg("%s: %s: map '%s': libbpf's {type %u key %u value %u max_entries %u "
				 "flags %#x}, barebpf's {type %u key %u value %u max_entries %u flags %#x}",
				 fixture, what, a[i].name, a[i].type, a[i].key, a[i].value, a[i].max,
				 a[i].flags, b[i].type, b[i].key, b[i].value, b[i].max, b[i].flags);
	}
	if (na != nb)
		fail_msg("%s: %s: libbpf has %u maps, barebpf %u (first unmatched: '%s')", fixture,
			 what, na, nb, na > nb ? a[nb].name : b[na].name);
}

/* The kernel's map list of each program. */
static void compare_maps(const char *fixture, const char *prog, const struct xlated *ref,
			 const struct xlated *got)
{
	static struct kmap a[64], b[64];
	char what[128];

	prog_kmaps(ref, a);
	prog_kmaps(got, b);
	snprintf(what, sizeof(what), "program '%s'", prog);
	compare_kmaps(fixture, what, a, ref->map_cnt, b, got->map_cnt);
}

/* Compare two programs instruction by instruction, map ids compared by map name. */
static void compare(const char *fixture, const char *prog, const struct xlated *ref,
		    const struct xlated *got, bool usdt_multi)
{
	uint32_t i;

	if (ref->type != got->type)
		fail_msg("%s: %s: libbpf's program type %u, barebpf's %u", fixture, prog, ref->type,
			 got->type);
	if (ref->gpl != got->gpl)
		fail_msg("%s: %s: gpl_compatible: libbpf %u, barebpf %u", fixture, prog, ref->gpl,
			 got->gpl);
	if (ref->attach_btf_id != got->attach_btf_id)
		fail_msg("%s: %s: attach_btf_id: libbpf %u, barebpf %u", fixture, prog,
			 ref->attach_btf_id, got->attach_btf_id);
	if (ref->nr_func_info != got->nr_func_info || ref->nr_line_info != got->nr_line_info)
		fail_msg("%s: %s: func/line info records: libbpf %u/%u, barebpf %u/%u", fixture, prog,
			 ref->nr_func_info, ref->nr_line_info, got->nr_func_info, got->nr_line_info);
	if (ref->cnt != got->cnt)
		fail_msg("%s: %s: libbpf has %u translated instructions, barebpf %u", fixture, prog,
			 ref->cnt, got->cnt);
	for (i = 0; i < ref->cnt; i++) {
		struct bpf_insn a = ref->insns[i], b = got->insns[i];

		if (a.code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (a.src_reg == BPF_PSEUDO_MAP_FD || a.src_reg == BPF_PSEUDO_MAP_VALUE) &&
		    a.src_reg == b.src_reg) {
			char na[64] = "?", nb[64] = "?";

			map_name_by_id((uint32_t)a.imm, na, sizeof(na));
			map_name_by_id((uint32_t)b.imm, nb, sizeof(nb));
			if (strcmp(na, nb))
				fail_msg("%s: %s: insn %u: libbpf uses map '%s', barebpf '%s'", fixture,
					 prog, i, na, nb);
			a.imm = b.imm = 0;
		}
		if (usdt_multi && a.code == (BPF_JMP | BPF_CALL) && !a.src_reg &&
		    !memcmp(&a, &b, offsetof(struct bpf_insn, imm)) && a.imm != b.imm) {
			known_hits[KD_USDT_MULTI]++;
			printf("  %s: %s: insn %u: helper call imm %d (libbpf) vs %d (barebpf): "
			       "usdt with uprobe-multi attach type (known difference)\n", fixture,
			       prog, i, a.imm, b.imm);
			a.imm = b.imm;
		}
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("%s: %s: insn %u differs: libbpf {%02x %x %x %d %d} barebpf {%02x %x %x %d %d}",
				 fixture, prog, i, a.code, a.dst_reg, a.src_reg, a.off, a.imm, b.code,
				 b.dst_reg, b.src_reg, b.off, b.imm);
	}
}

/*
 * One program as libbpf loaded it (rfd) against barebpf's (bfd): the kernel's
 * view of each (type, translated instructions, maps) must be the same.
 */
static void compare_prog(const char *fixture, const char *prog, int rfd, int bfd,
			 const char *how, bool usdt_multi)
{
	struct xlated ref = { 0 }, got = { 0 };

	assert_int_equal(get_xlated(rfd, &ref), 0);
	assert_int_equal(get_xlated(bfd, &got), 0);
	compare(fixture, prog, &ref, &got, usdt_multi);
	compare_maps(fixture, prog, &ref, &got);
	printf("  %s: %s: %u translated instructions and %u maps equal (%s)\n", fixture, prog,
	       got.cnt, got.map_cnt, how);
	free(ref.insns);
	free(got.insns);
}

/* The reference must be there: a missing bpftool is a failure, not a skip. */
static void need_reference(void)
{
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	if (system("command -v bpftool >/dev/null") != 0)
		fail_msg("bpftool (the reference) is not installed");
}

static void run_rm(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: cannot remove %s\n", dir);
}

static void diff_fixture(const char *name, enum bbpf_core_mode mode)
{
	char path[256], dir[256], cmd[1024], pin[512];
	struct bbpf_object *obj = NULL;
	struct bbpf_diag d = { 0 };
	size_t i, compared = 0;
	int err;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, name);
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bbpf_diff_%d_%s", (int)getpid(), name);
	snprintf(pin_dir, sizeof(pin_dir), "%s", dir);
	snprintf(cmd, sizeof(cmd), "bpftool prog loadall %s %s >/dev/null 2>&1", path, dir);
	if (system(cmd) != 0) {
		run_rm(dir);
		fail_msg("%s: bpftool (libbpf) does not load it", name);
	}
	err = bbpf_object_open_file(&obj, path, NULL, &d);
	assert_int_equal(err, 0);
	{
		struct bbpf_load_opts lo = { .core_mode = mode };

		err = bbpf_object_load(obj, &lo);
	}
	if (err) {
		run_rm(dir);
		bbpf_object_close(obj);
		fail_msg("%s: barebpf load failed: %d", name, err);
	}
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);
		int rfd;

		if (bbpf_program_fd(p) < 0)	/* autoload off */
			continue;
		compared++;
		snprintf(pin, sizeof(pin), "%s/%s", dir, bbpf_program_name(p));
		rfd = bbpf_cmd_obj_get(sys, pin, 0);
		if (rfd < 0) {
			run_rm(dir);
			bbpf_object_close(obj);
			fail_msg("%s: bpftool pinned no program '%s'", name, bbpf_program_name(p));
		}
		compare_prog(name, bbpf_program_name(p), rfd, bbpf_program_fd(p),
			     mode == BBPF_CORE_USER ? "CO-RE in user space" : "CO-RE auto", false);
		sys->close(sys->ctx, rfd);
	}
	bbpf_object_close(obj);
	run_rm(dir);
	if (!compared)
		fail_msg("%s: barebpf loaded no program to compare", name);
	/* maps pinned by name (maps_btf's pinned_hash) land in the pin root */
	run_rm("/sys/fs/bpf/pinned_hash");
}

static int teardown(void **state)
{
	(void)state;
	if (pin_dir[0])
		run_rm(pin_dir);
	pin_dir[0] = '\0';
	run_rm("/sys/fs/bpf/pinned_hash");
	return 0;
}

#define DIFF_TEST(fixture)                                       \
	static void test_diff_##fixture(void **state)            \
	{                                                        \
		(void)state;                                     \
		need_reference();                                \
		diff_fixture(#fixture, BBPF_CORE_AUTO);          \
	}

/* The same fixture with CO-RE done by barebpf's engine instead of the kernel. */
#define DIFF_TEST_USER(fixture)                                  \
	static void test_diff_user_##fixture(void **state)       \
	{                                                        \
		(void)state;                                     \
		need_reference();                                \
		diff_fixture(#fixture, BBPF_CORE_USER);          \
	}

DIFF_TEST(minimal)
DIFF_TEST(progs_loadable)
DIFF_TEST(maps_btf)
DIFF_TEST(globals)
DIFF_TEST(externs)
DIFF_TEST(callbacks)
/* CO-RE: libbpf relocates in user space, barebpf has the kernel do it (core_relos). */
DIFF_TEST(core)
DIFF_TEST(core_tm)
DIFF_TEST(core_task)
DIFF_TEST_USER(core)
DIFF_TEST_USER(core_task)
DIFF_TEST_USER(core_tm)
DIFF_TEST_USER(externs)

/* ---- one program at a time: libbpf 1.1 itself (libbpf.so.1 through dlopen) ---- */

struct lb {
	void *h;
	void *(*open_file)(const char *path, const void *opts);
	int (*load)(void *obj);
	void (*close)(void *obj);
	void *(*next_program)(const void *obj, void *prev);
	const char *(*prog_name)(const void *prog);
	int (*set_autoload)(void *prog, bool autoload);
	bool (*autoload)(const void *prog);
	int (*prog_fd)(const void *prog);
	int (*prog_type)(const void *prog);
	int (*prog_eat)(const void *prog);
	void *(*next_map)(const void *obj, void *prev);
	int (*map_fd)(const void *map);
	const char *(*map_pin_path)(const void *map);
	void *(*set_print)(void *fn);
};

/* libbpf's log of the current load (its print callback takes no context). */
static char lb_log[1 << 16];
static size_t lb_log_len;

static int lb_print(int level, const char *fmt, va_list ap)
{
	int n;

	(void)level;
	if (lb_log_len >= sizeof(lb_log) - 1)
		return 0;
	n = vsnprintf(lb_log + lb_log_len, sizeof(lb_log) - lb_log_len, fmt, ap);
	if (n > 0)
		lb_log_len += (size_t)n < sizeof(lb_log) - lb_log_len ? (size_t)n :
			      sizeof(lb_log) - lb_log_len - 1;
	return 0;
}

static void lb_open_ref(struct lb *l)
{
	memset(l, 0, sizeof(*l));
	l->h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		fail_msg("libbpf.so.1 (the reference) not loadable: %s", dlerror());
	*(void **)&l->open_file = dlsym(l->h, "bpf_object__open_file");
	*(void **)&l->load = dlsym(l->h, "bpf_object__load");
	*(void **)&l->close = dlsym(l->h, "bpf_object__close");
	*(void **)&l->next_program = dlsym(l->h, "bpf_object__next_program");
	*(void **)&l->prog_name = dlsym(l->h, "bpf_program__name");
	*(void **)&l->set_autoload = dlsym(l->h, "bpf_program__set_autoload");
	*(void **)&l->autoload = dlsym(l->h, "bpf_program__autoload");
	*(void **)&l->prog_fd = dlsym(l->h, "bpf_program__fd");
	*(void **)&l->prog_type = dlsym(l->h, "bpf_program__type");
	*(void **)&l->prog_eat = dlsym(l->h, "bpf_program__expected_attach_type");
	*(void **)&l->next_map = dlsym(l->h, "bpf_object__next_map");
	*(void **)&l->map_fd = dlsym(l->h, "bpf_map__fd");
	*(void **)&l->map_pin_path = dlsym(l->h, "bpf_map__pin_path");
	*(void **)&l->set_print = dlsym(l->h, "libbpf_set_print");
	if (!l->open_file || !l->load || !l->close || !l->next_program || !l->prog_name ||
	    !l->set_autoload || !l->autoload || !l->prog_fd || !l->prog_type || !l->prog_eat ||
	    !l->next_map || !l->map_fd || !l->map_pin_path ||
	    !l->set_print)
		fail_msg("libbpf.so.1 lacks a function this test calls");
	l->set_print((void *)lb_print);
}

struct per_prog_stats {
	unsigned int fixtures, programs, failures, skipped;
	unsigned int slot_fails;	/* of failures: a prog array slot naming a program off */
};

/*
 * Remove the pins of the object's maps pinned by name (maps_btf's
 * pinned_hash): each load pins its own map, and barebpf must not reuse
 * libbpf's.
 */
static void lb_unpin_by_name(const struct lb *l, void *obj)
{
	void *map = NULL;

	while ((map = l->next_map(obj, map)))
		if (l->map_pin_path(map))
			unlink(l->map_pin_path(map));
}

/* The maps an object created, as the kernel describes them, sorted. */
static uint32_t lb_obj_kmaps(const struct lb *l, void *obj, struct kmap *m)
{
	void *map = NULL;
	uint32_t n = 0;

	while ((map = l->next_map(obj, map)) && n < 64) {
		int fd = l->map_fd(map);

		if (fd >= 0 && !kmap_by_fd(fd, &m[n]))
			n++;
	}
	qsort(m, n, sizeof(*m), cmp_kmap);
	return n;
}

static uint32_t bb_obj_kmaps(const struct bbpf_object *obj, struct kmap *m)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < bbpf_object_map_cnt(obj) && n < 64; i++) {
		int fd = bbpf_map_fd(bbpf_object_map(obj, i));

		if (fd >= 0 && !kmap_by_fd(fd, &m[n]))
			n++;
	}
	qsort(m, n, sizeof(*m), cmp_kmap);
	return n;
}

/* barebpf's warnings of the current load (the first one: where it failed). */
static char bb_warn[1024];

static void bb_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN && !bb_warn[0])
		snprintf(bb_warn, sizeof(bb_warn), "%s", msg);
}

/* The programs a per-program load turns on: the one compared, and slot targets (see below). */
struct prog_set {
	const char *prog;
	unsigned int n;
	char extra[8][128];
};

static bool in_set(const struct prog_set *ps, const char *name)
{
	unsigned int i;

	if (!strcmp(name, ps->prog))
		return true;
	for (i = 0; i < ps->n; i++)
		if (!strcmp(name, ps->extra[i]))
			return true;
	return false;
}

/*
 * One program of the fixture loaded alone by both (every other program's
 * autoload off): the same kernel view of that program and of the maps the
 * object created, or the same failure (program or map, errno). A prog
 * array's initial slot naming a program turned off fails both alike: libbpf
 * writes that program's fd (-2) into the slot and the kernel answers -EBADF
 * ("map 'x': failed to initialize slot [i] to prog 'y'"), barebpf fails at
 * stage SLOT on the same map with -EBADF. Returns true then: the slot's
 * program is added to the set and the caller loads again, so the program in
 * question is still compared.
 */
static bool per_program_one(const struct lb *l, const char *fixture, const char *path,
			    struct prog_set *ps, enum bbpf_core_mode mode,
			    struct per_prog_stats *st)
{
	static struct kmap ma[64], mb[64];
	struct bbpf_load_opts lo = { .core_mode = mode };
	struct bbpf_open_opts oo = { .log = bb_log, .log_warn_only = true };
	struct bbpf_object *obj = NULL;
	const char *prog = ps->prog;
	struct lf_expect e;
	const struct bbpf_diag *got;
	void *lobj, *lp = NULL, *ref = NULL;
	int lerr, err, lloaded = 0, bloaded = 0;
	bool again = false, usdt_multi;
	struct bbpf_program *bp;
	uint32_t na, nb;
	char what[160];
	size_t i;

	lobj = l->open_file(path, NULL);
	assert_non_null(lobj);
	while ((lp = l->next_program(lobj, lp))) {
		assert_int_equal(l->set_autoload(lp, in_set(ps, l->prog_name(lp))), 0);
		if (!strcmp(l->prog_name(lp), prog))
			ref = lp;
	}
	assert_non_null(ref);
	lb_log_len = 0;
	lb_log[0] = '\0';
	lerr = l->load(lobj);
	lb_unpin_by_name(l, lobj);

	assert_int_equal(bbpf_object_open_file(&obj, path, &oo, NULL), 0);
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);

		assert_int_equal(bbpf_program_set_autoload(p, in_set(ps, bbpf_program_name(p))), 0);
	}
	bb_warn[0] = '\0';
	err = bbpf_object_load(obj, &lo);
	got = bbpf_object_error(obj);
	lb_unpin_by_name(l, lobj);

	if (lerr) {
		char *line = lb_log, *nl;

		lf_reset(&e);
		while (line && *line) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			lf_parse_line(line, &e);
			line = nl ? nl + 1 : NULL;
		}
		if (e.stage == BBPF_STAGE_OPEN)
			fail_msg("%s: %s alone: libbpf fails with %d, and its log names no program "
				 "or map", fixture, prog, lerr);
		if (e.stage == BBPF_STAGE_SLOT && lerr == -EBADF &&
		    bbpf_object_find_program(obj, e.target) && !in_set(ps, e.target) &&
		    ps->n < sizeof(ps->extra) / sizeof(ps->extra[0])) {
			const struct bbpf_map *m = bbpf_object_find_map(obj, e.name);
			char want[320];
			size_t mi;

			for (mi = 0; mi < bbpf_object_map_cnt(obj) && bbpf_object_map(obj, mi) != m;
			     mi++)
				;
			if (!m || mi == bbpf_object_map_cnt(obj))
				fail_msg("%s: %s alone: libbpf fails on map '%s', which barebpf does "
					 "not have", fixture, prog, e.name);
			if (err != -EBADF || !got || got->stage != BBPF_STAGE_SLOT || !got->name ||
			    strcmp(got->name, e.name) || got->idx != mi || got->err != -EBADF)
				fail_msg("%s: %s alone: libbpf fails on map '%s' (slot %d to '%s', not "
					 "loaded) with %d, barebpf with %d (%s '%s' #%u)", fixture, prog,
					 e.name, e.slot, e.target, lerr, err,
					 got ? bbpf_stage_str(got->stage) : "?",
					 got && got->name ? got->name : "?", got ? got->idx : 0);
			/* its message names the same slot and program, on one line */
			snprintf(want, sizeof(want), "map '%s': cannot set slot %d to program '%s': "
				 "not loaded", e.name, e.slot, e.target);
			if (!strstr(bb_warn, want) || strchr(bb_warn, '\n'))
				fail_msg("%s: %s alone: barebpf says \"%s\", expected \"%s\"", fixture,
					 prog, bb_warn, want);
			printf("  %s: %s alone: both fail on map '%s' (slot %d to '%s', not loaded) "
			       "with %d: again with '%s' on\n", fixture, prog, e.name, e.slot,
			       e.target, lerr, e.target);
			st->failures++;
			st->slot_fails++;
			snprintf(ps->extra[ps->n++], sizeof(ps->extra[0]), "%s", e.target);
			again = true;
			goto out;
		}
		if (e.stage == BBPF_STAGE_PROG && !strcmp(e.name, prog) && lerr == -EINVAL && !err &&
		    l->prog_type(ref) == BPF_PROG_TYPE_UNSPEC &&
		    bbpf_program_type(bbpf_object_find_program(obj, prog)) != BPF_PROG_TYPE_UNSPEC &&
		    bbpf_program_fd(bbpf_object_find_program(obj, prog)) >= 0) {
			known_hits[KD_SEC_NOT_IN_11]++;
			printf("  %s: %s alone: libbpf 1.1.2 does not know its section and fails with "
			       "%d; barebpf loads it as 1.8 (known difference)\n", fixture, prog, lerr);
			st->failures++;
			goto out;
		}
		if (!err || !got)
			fail_msg("%s: %s alone: libbpf fails on %s '%s' with %d, barebpf loads it",
				 fixture, prog, bbpf_stage_str(e.stage), e.name, lerr);
		if (got->stage != e.stage || !got->name || strcmp(got->name, e.name) ||
		    err != lerr)
			fail_msg("%s: %s alone: libbpf fails on %s '%s' with %d, barebpf on %s '%s' "
				 "with %d", fixture, prog, bbpf_stage_str(e.stage), e.name, lerr,
				 bbpf_stage_str(got->stage), got->name ? got->name : "?", err);
		printf("  %s: %s alone: both fail on %s '%s' with %d\n", fixture, prog,
		       bbpf_stage_str(e.stage), e.name, lerr);
		st->failures++;
		goto out;
	}
	if (err)
		fail_msg("%s: %s alone: libbpf loads it, barebpf fails with %d (%s '%s')", fixture,
			 prog, err, got ? bbpf_stage_str(got->stage) : "?",
			 got && got->name ? got->name : "?");
	/* exactly the set in the kernel (the one program, unless slots needed more), from each */
	for (lp = NULL; (lp = l->next_program(lobj, lp));) {
		lloaded += l->prog_fd(lp) >= 0;
		if (l->prog_fd(lp) >= 0 && !in_set(ps, l->prog_name(lp)))
			fail_msg("%s: %s alone: libbpf also loaded '%s'", fixture, prog,
				 l->prog_name(lp));
	}
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);

		bloaded += bbpf_program_fd(p) >= 0;
		if (bbpf_program_fd(p) >= 0 && !in_set(ps, bbpf_program_name(p)))
			fail_msg("%s: %s alone: barebpf also loaded '%s'", fixture, prog,
				 bbpf_program_name(p));
	}
	if (bloaded != 1 + (int)ps->n || lloaded != bloaded || l->prog_fd(ref) < 0)
		fail_msg("%s: %s alone: barebpf loaded %d programs, libbpf %d (expected %u)",
			 fixture, prog, bloaded, lloaded, 1 + ps->n);
	bp = bbpf_object_find_program(obj, prog);
	/* barebpf picks the attach type at load (the kernel's uprobe-multi support) */
	usdt_multi = l->prog_eat(ref) == 0 && !strncmp(bbpf_program_section(bp), "usdt", 4);
	compare_prog(fixture, prog, l->prog_fd(ref), bbpf_program_fd(bp),
		     mode == BBPF_CORE_USER ? "alone, CO-RE in user space" :
		     ps->n ? "alone but for slot targets" : "alone", usdt_multi);
	na = lb_obj_kmaps(l, lobj, ma);
	nb = bb_obj_kmaps(obj, mb);
	for (i = 0; i < nb;) {
		if (mb[i].type == BPF_MAP_TYPE_STRUCT_OPS && (mb[i].flags & (1U << 13)) /* BPF_F_LINK */) {
			known_hits[KD_STRUCT_OPS_LINK]++;
			printf("  %s: %s alone: map '%s' (.struct_ops.link) not created by libbpf "
			       "1.1.2 (known difference)\n", fixture, prog, mb[i].name);
			memmove(&mb[i], &mb[i + 1], (nb - i - 1) * sizeof(mb[0]));
			nb--;
		} else {
			i++;
		}
	}
	snprintf(what, sizeof(what), "maps created with %s alone", prog);
	compare_kmaps(fixture, what, ma, na, mb, nb);
	st->programs++;
out:
	bbpf_object_close(obj);
	l->close(lobj);
	return again;
}

/* Every program libbpf would load in the fixture, one at a time. */
static void per_program_fixture(const struct lb *l, const char *fixture, enum bbpf_core_mode mode,
				struct per_prog_stats *st)
{
	static char names[PER_PROG_MAX][128];
	unsigned int n = 0, i, before = st->programs + st->failures;
	char path[256];
	void *lobj, *lp = NULL;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, fixture);
	lobj = l->open_file(path, NULL);
	if (!lobj)
		fail_msg("%s: libbpf cannot open it", fixture);
	while ((lp = l->next_program(lobj, lp))) {
		if (!l->autoload(lp))
			continue;	/* libbpf would not load it (struct_ops no map uses, "?" sections) */
		if (n == PER_PROG_MAX) {
			n++;
			break;
		}
		snprintf(names[n++], sizeof(names[0]), "%s", l->prog_name(lp));
	}
	l->close(lobj);
	if (n > PER_PROG_MAX) {
		printf("  %s: more than %d programs: not compared one at a time\n", fixture,
		       PER_PROG_MAX);
		st->skipped++;
		return;
	}
	for (i = 0; i < n; i++) {
		struct prog_set ps = { .prog = names[i] };

		while (per_program_one(l, fixture, path, &ps, mode, st))
			;	/* bounded: each round adds a program, at most 8 */
	}
	if (st->programs + st->failures == before)
		fail_msg("%s: no program compared alone", fixture);
	st->fixtures++;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Every fixture libbpf 1.1.2 opens (the whole-object comparison's among
 * them), each program loaded alone by libbpf and by barebpf, CO-RE by the
 * kernel; the CO-RE fixtures also with barebpf's engine. Not compared:
 * objects libbpf 1.1.2 refuses to open (legacy SEC("maps"), no BTF,
 * samples/bpf names: README "gen skeleton"), and struct_ops (below).
 */
static void test_diff_per_program(void **state)
{
	static const char *const core_user[] = { "core", "core_task", "core_tm", "externs" };
	static const char *const whole[] = { "minimal", "progs_loadable", "maps_btf", "globals",
					     "externs", "callbacks", "core", "core_tm",
					     "core_task" };
	static char names[128][128];
	struct per_prog_stats st = { 0 };
	unsigned int known = 0, n = 0, runs = 0, unopened = 0;
	struct timespec t0, t1;
	struct dirent *de;
	struct lb l;
	DIR *dir;
	size_t i, j;

	(void)state;
	TK_NEED_KERNEL();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lb_open_ref(&l);
	dir = opendir(BBPF_FIXTURE_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir)) && n < 128) {
		size_t len = strlen(de->d_name);

		if (len > 6 && !strcmp(de->d_name + len - 6, ".bpf.o"))
			snprintf(names[n++], sizeof(names[0]), "%.*s", (int)(len - 6), de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), cmp_name);
	for (i = 0; i < n; i++) {
		char path[512];
		void *o;

		snprintf(path, sizeof(path), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, names[i]);
		o = l.open_file(path, NULL);
		if (!o) {
			printf("  %s: libbpf 1.1.2 does not open it: not compared\n", names[i]);
			unopened++;
			continue;
		}
		l.close(o);
		per_program_fixture(&l, names[i], BBPF_CORE_AUTO, &st);
		runs++;
		for (j = 0; j < sizeof(core_user) / sizeof(core_user[0]); j++)
			if (!strcmp(names[i], core_user[j])) {
				per_program_fixture(&l, names[i], BBPF_CORE_USER, &st);
				runs++;
			}
	}
	for (i = 0; i < KD_N; i++) {
		known += known_hits[i];
		if (known_hits[i])
			printf("  known difference met %u times: %s\n", known_hits[i],
			       known_diff_what[i]);
	}
	printf("  per program: %u fixture runs, %u programs compared alone, %u failing alike "
	       "(%u on a prog array slot naming a program off) or known to differ, %u objects "
	       "skipped (> %d programs), %u not opened by libbpf 1.1.2; %u known differences "
	       "hit in this run\n", st.fixtures, st.programs, st.failures, st.slot_fails,
	       st.skipped, PER_PROG_MAX, unopened, known);
	dlclose(l.h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("  per program: %.1f s\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(st.fixtures + st.skipped, runs);
	assert_true(st.programs > 0 && st.failures > 0);
	/* maps_btf's and cli_inspect's jmp_table: tail_a/tail_b alone, the others off */
	assert_true(st.slot_fails > 0);
	/* the whole-object comparison's fixtures are all among them */
	for (i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		for (j = 0; j < n && strcmp(names[j], whole[i]); j++)
			;
		if (j == n)
			fail_msg("%s: fixture missing from %s", whole[i], BBPF_FIXTURE_DIR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_diff_minimal, teardown),
		cmocka_unit_test_teardown(test_diff_progs_loadable, teardown),
		cmocka_unit_test_teardown(test_diff_maps_btf, teardown),
		cmocka_unit_test_teardown(test_diff_globals, teardown),
		cmocka_unit_test_teardown(test_diff_externs, teardown),
		cmocka_unit_test_teardown(test_diff_callbacks, teardown),
		cmocka_unit_test_teardown(test_diff_core, teardown),
		cmocka_unit_test_teardown(test_diff_core_tm, teardown),
		cmocka_unit_test_teardown(test_diff_core_task, teardown),
		cmocka_unit_test_teardown(test_diff_user_core, teardown),
		cmocka_unit_test_teardown(test_diff_user_core_task, teardown),
		cmocka_unit_test_teardown(test_diff_user_core_tm, teardown),
		cmocka_unit_test_teardown(test_diff_user_externs, teardown),
		cmocka_unit_test_teardown(test_diff_per_program, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
