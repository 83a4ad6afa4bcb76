/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test against libbpf (Debian's bpftool 7.1 / libbpf 1.1.2):
 * for every fixture bpftool loads, the programs barebpf loads must hold the
 * same translated instructions in the kernel (BPF_OBJ_GET_INFO_BY_FD), after
 * map ids in ld_imm64 are replaced by map names, and the same map list (by
 * name: the maps the kernel holds for the program, .rodata bound by
 * BPF_PROG_BIND_MAP included). Runs on the real kernel;
 * skips (saying why, TK_NEED_KERNEL) only when not root or without bpf();
 * a missing bpftool is a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "kernel_avail.h"

#define MAX_INSNS 100000

struct xlated {
	char name[64];
	uint32_t cnt;
	struct bpf_insn *insns;
	uint32_t map_cnt;
	uint32_t map_ids[64];
};

static const struct bbpf_sys *sys = &bbpf_sys_linux;
/* The pin directory of the running test, removed by teardown even after a failure. */
static char pin_dir[256];

static int map_name_by_id(uint32_t id, char *name, size_t size)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd = bbpf_cmd_map_get_fd_by_id(sys, id), err;

	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	err = bbpf_cmd_obj_info(sys, fd, &info, &len);
	sys->close(sys->ctx, fd);
	if (!err)
		snprintf(name, size, "%s", info.name);
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The names of a program's maps, sorted, into names[64][64]. */
static void map_names(const struct xlated *x, char names[64][64])
{
	uint32_t i;

	for (i = 0; i < x->map_cnt; i++) {
		snprintf(names[i], 64, "?");
		map_name_by_id(x->map_ids[i], names[i], 64);
	}
	qsort(names, x->map_cnt, 64, cmp_str);
}

/* The kernel's map list of each program: equal by name. */
static void compare_maps(const char *fixture, const char *prog, const struct xlated *ref,
			 const struct xlated *got)
{
	static char a[64][64], b[64][64];
	uint32_t i;

	map_names(ref, a);
	map_names(got, b);
	for (i = 0; i < ref->map_cnt && i < got->map_cnt; i++)
		if (strcmp(a[i], b[i]))
			fail_msg("%s: %s: map lists differ: libbpf has '%s', barebpf '%s'", fixture,
				 prog, a[i], b[i]);
	if (ref->map_cnt != got->map_cnt)
		fail_msg("%s: %s: libbpf's program holds %u maps, barebpf's %u", fixture, prog,
			 ref->map_cnt, got->map_cnt);
}

/* Compare two programs instruction by instruction, map ids compared by map name. */
static void compare(const char *fixture, const char *prog, const struct xlated *ref,
		    const struct xlated *got)
{
	uint32_t i;

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
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("%s: %s: insn %u differs: libbpf {%02x %x %x %d %d} barebpf {%02x %x %x %d %d}",
				 fixture, prog, i, a.code, a.dst_reg, a.src_reg, a.off, a.imm, b.code,
				 b.dst_reg, b.src_reg, b.off, b.imm);
	}
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
		struct xlated ref = { 0 }, got = { 0 };
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
		assert_int_equal(get_xlated(rfd, &ref), 0);
		assert_int_equal(get_xlated(bbpf_program_fd(p), &got), 0);
		sys->close(sys->ctx, rfd);
		compare(name, bbpf_program_name(p), &ref, &got);
		compare_maps(name, bbpf_program_name(p), &ref, &got);
		printf("  %s: %s: %u translated instructions and %u maps equal (CO-RE %s)\n", name,
		       bbpf_program_name(p), got.cnt, got.map_cnt,
		       mode == BBPF_CORE_USER ? "in user space" : "auto");
		free(ref.insns);
		free(got.insns);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
