/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read-only internal maps are bound to every program, as libbpf 1.8 does
 * (BPF_PROG_BIND_MAP): after loading globals.bpf.o, the kernel's map list
 * of each program holds every .rodata / .rodata.* map, whether its code
 * uses it or not, and no writable data map that its code does not use.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <barebpf/loader.h>
#include <barebpf/object.h>
#include "kernel_avail.h"
#include "tb_env.h"
#include "kern/kern.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, fd, &info, &len), 0);
	return info.id;
}

/* The program's map ids (at most 64). */
static uint32_t prog_map_ids(int fd, uint32_t ids[64])
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 64;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, fd, &info, &len), 0);
	assert_true(info.nr_map_ids <= 64);
	return info.nr_map_ids;
}

static bool has(const uint32_t *ids, uint32_t n, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void test_rodata_bound_to_every_program(void **state)
{
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj;
	struct bbpf_program *touch_std;
	struct tb_env *e;
	uint32_t ids[64], n, rodata = 0, checked = 0, data, data_bound;
	size_t p, m;
	int err;

	(void)state;
	TK_NEED_KERNEL();
	e = tb_env_new(true, NULL);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_open_file(&obj, FIX("globals.bpf.o"), NULL, NULL), 0);
	err = bbpf_object_load(obj, &lo);
	if (err)
		fail_msg("load: %d\n%s", err, e->log.text);
	assert_true(e->ctx->feat.bind_map_probed && e->ctx->feat.bind_map);
	for (p = 0; p < bbpf_object_program_cnt(obj); p++) {
		struct bbpf_program *prog = bbpf_object_program(obj, p);

		n = prog_map_ids(bbpf_program_fd(prog), ids);
		for (m = 0; m < bbpf_object_map_cnt(obj); m++) {
			struct bbpf_map *map = bbpf_object_map(obj, m);

			if (bbpf_map_kind(map) != BBPF_MAP_RODATA || bbpf_map_fd(map) < 0)
				continue;
			if (!has(ids, n, map_id(bbpf_map_fd(map))))
				fail_msg("program %s: map %s not in its map list",
					 bbpf_program_name(prog), bbpf_map_name(map));
			checked++;
		}
	}
	for (m = 0; m < bbpf_object_map_cnt(obj); m++)
		rodata += bbpf_map_kind(bbpf_object_map(obj, m)) == BBPF_MAP_RODATA;
	assert_true(rodata >= 2);	/* .rodata and .rodata.bar at least */
	assert_int_equal(checked, rodata * bbpf_object_program_cnt(obj));
	/* touch_std does not use .data.foo: not every writable data map is in its list */
	touch_std = bbpf_object_find_program(obj, "touch_std");
	assert_non_null(touch_std);
	n = prog_map_ids(bbpf_program_fd(touch_std), ids);
	for (m = 0, data = 0, data_bound = 0; m < bbpf_object_map_cnt(obj); m++) {
		struct bbpf_map *map = bbpf_object_map(obj, m);

		if (bbpf_map_kind(map) != BBPF_MAP_DATA)
			continue;
		data++;
		data_bound += has(ids, n, map_id(bbpf_map_fd(map)));
	}
	assert_true(data >= 2);	/* .data and .data.foo */
	assert_true(data_bound < data);
	bbpf_object_close(obj);
	tb_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rodata_bound_to_every_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
