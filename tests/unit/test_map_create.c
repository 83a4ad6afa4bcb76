// SPDX-License-Identifier: BSD-2-Clause
/*
 * Map creation at load (src/load/map_create.c), against the fake syscall
 * table, on tests/bpf/maps_btf.bpf.c:
 *  - initial slots of map-in-map and prog-array maps are set with a key as
 *    long as the map's key, holding the slot index. A hash of maps may have
 *    a key wider than the 4-byte index: the kernel reads key_size bytes,
 *    which once came from past the index in the loader's own memory (found
 *    while building fuzz_load's fake kernel, which reads every buffer over
 *    the length it is given);
 *  - a slot whose target has no fd (a program with autoload off, a map with
 *    autocreate off) fails the load as libbpf's update with that fd does:
 *    -EBADF at stage SLOT on the map holding the slot, one log line naming
 *    map, slot and target, the slot's target never written, nothing left
 *    open;
 *  - libbpf's order: a map-in-map's slots are set when it is created, and
 *    not on a map reused (the caller's fd): that one is left as it is;
 *  - a failure to create a map-in-map's inner template fails the load with
 *    that error. -EPERM (-1) was once taken for "no inner map": the outer
 *    map was created without one and close(-1) called (found by fuzz_load,
 *    tests/data/bad/load-inner-template-eperm.fuzz_load).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <barebpf/loader.h>
#include "kern/kern.h"
#include "fake_sys.h"
#include "test_file.h"

#define MAX_UPDATES 64

struct update {
	uint32_t fd;
	uint8_t key[16];
	uint32_t value;
};

struct env {
	struct fs_script script;
	struct update up[MAX_UPDATES];
	size_t up_cnt;
	uint32_t key_len;	/* bytes of each key to copy */
};

/* Record every element update: the map fd, key_len bytes of the key, the value. */
static long record_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct env *e = s->cb_ctx;
	struct update *u;

	(void)size;
	if (cmd != BPF_MAP_UPDATE_ELEM || e->up_cnt == MAX_UPDATES)
		return FS_DEFAULT;
	u = &e->up[e->up_cnt++];
	u->fd = attr->map_fd;
	memcpy(u->key, (const void *)(uintptr_t)attr->key, e->key_len);
	memcpy(&u->value, (const void *)(uintptr_t)attr->value, sizeof(u->value));
	return 0;
}

/* Warnings on stderr: a failing load says why. */
static void print_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN)
		fprintf(stderr, "log: %s\n", msg);
}

static const struct update *update_of(const struct env *e, int fd, size_t nth)
{
	size_t i;

	for (i = 0; i < e->up_cnt; i++)
		if ((int)e->up[i].fd == fd && !nth--)
			return &e->up[i];
	return NULL;
}

/* Load maps_btf with outer_hash's key widened to key_size bytes; check its slot's key. */
static void load_with_key(uint32_t key_size)
{
	static const uint8_t slot1[16] = { 1 };
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { .log = print_log };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = NULL;
	const struct update *u;
	struct bbpf_sys sys;
	struct bbpf_map *outer;
	uint8_t *elf;
	uint32_t len;

	assert_non_null(e);
	elf = tf_read_file(BBPF_FIXTURE_DIR "/maps_btf.bpf.o", &len);
	assert_non_null(elf);
	sys = fs_script_init(&e->script);
	e->script.bpf_cb = record_cb;
	e->script.cb_ctx = e;
	e->key_len = key_size;
	fs_script_push(&e->script, BPF_OBJ_GET, -ENOENT);	/* pinned_hash: not pinned yet */
	fs_script_add_file(&e->script, "/sys/devices/system/cpu/possible", "0-1\n", 4);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	ctx->feat = (struct bbpf_features){ .probed = true, .memcg_account = true,
					    .prog_name = true, .global_data = true,
					    .array_mmap = true };
	assert_int_equal(bbpf_object_open_mem(&obj, elf, len, NULL, NULL), 0);
	outer = bbpf_object_find_map(obj, "outer_hash");
	assert_non_null(outer);
	assert_int_equal(bbpf_map_set_key_size(outer, key_size), 0);
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), 0);

	/* outer_hash has one slot, [1] = &inner_c: one update, key 1 over key_size bytes */
	u = update_of(e, bbpf_map_fd(outer), 0);
	assert_non_null(u);
	assert_null(update_of(e, bbpf_map_fd(outer), 1));
	assert_memory_equal(u->key, slot1, key_size);
	assert_int_equal((int)u->value, bbpf_map_fd(bbpf_object_find_map(obj, "inner_c")));

	bbpf_object_close(obj);
	assert_int_equal(fs_script_open_fds(&e->script), 0);
	bbpf_ctx_free(ctx);
	fs_script_fini(&e->script);
	free(elf);
	free(e);
}

/* MAP_CREATE of outer_arr's inner template fails with err; everything else succeeds. */
static long fail_inner_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)size;
	if (cmd == BPF_MAP_CREATE && !strcmp(attr->map_name, "outer_arr.inner"))
		return *(const int *)s->cb_ctx;
	return FS_DEFAULT;
}

static void inner_fails(int err)
{
	struct fs_script *s = calloc(1, sizeof(*s));
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = NULL;
	const struct bbpf_diag *d;
	struct bbpf_sys sys;
	uint8_t *elf;
	uint32_t len;

	assert_non_null(s);
	elf = tf_read_file(BBPF_FIXTURE_DIR "/maps_btf.bpf.o", &len);
	assert_non_null(elf);
	sys = fs_script_init(s);
	s->bpf_cb = fail_inner_cb;
	s->cb_ctx = &err;
	fs_script_push(s, BPF_OBJ_GET, -ENOENT);
	fs_script_add_file(s, "/sys/devices/system/cpu/possible", "0-1\n", 4);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	ctx->feat = (struct bbpf_features){ .probed = true, .memcg_account = true,
					    .prog_name = true, .global_data = true,
					    .array_mmap = true };
	assert_int_equal(bbpf_object_open_mem(&obj, elf, len, NULL, NULL), 0);
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), err);
	d = bbpf_object_error(obj);
	assert_non_null(d);
	assert_int_equal(d->stage, BBPF_STAGE_MAP);
	assert_int_equal(d->err, err);
	assert_string_equal(d->name, "outer_arr");
	/* nothing left open, and no close of an fd that is not open */
	assert_int_equal(fs_script_open_fds(s), 0);
	assert_int_equal(s->hook_calls[FS_HOOK_CLOSE],
			 s->bpf_calls[BPF_MAP_CREATE] - 1 + s->hook_calls[FS_HOOK_OPEN]);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	fs_script_fini(s);
	free(elf);
	free(s);
}

static void test_inner_template_fails(void **state)
{
	(void)state;
	inner_fails(-EPERM);	/* -1: once read as "no inner map" */
	inner_fails(-EINVAL);
	inner_fails(-ENOMEM);
}

/* The warnings of a load, one per line. */
struct warn_log {
	char text[4096];
	size_t len;
	unsigned int lines;
};

static void collect_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct warn_log *w = ctx;
	int n;

	if (level != BBPF_LOG_WARN || w->len >= sizeof(w->text) - 1)
		return;
	n = snprintf(w->text + w->len, sizeof(w->text) - w->len, "%s\n", msg);
	if (n > 0)
		w->len += (size_t)n < sizeof(w->text) - w->len ? (size_t)n :
			  sizeof(w->text) - w->len - 1;
	w->lines++;
}

/*
 * maps_btf with one slot's target turned off: tail_b (jmp_table[3], a prog
 * array set after the programs load) or inner_b (outer_arr[2], a map-in-map
 * set when outer_arr is created).
 */
static void slot_target_off(bool prog)
{
	const char *map = prog ? "jmp_table" : "outer_arr";
	const char *target = prog ? "tail_b" : "inner_b";
	struct env *e = calloc(1, sizeof(*e));
	struct warn_log *w = calloc(1, sizeof(*w));
	struct bbpf_ctx_opts co = { .log = collect_log };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = NULL;
	const struct bbpf_diag *d;
	const struct update *u;
	struct bbpf_map *outer;
	struct bbpf_sys sys;
	char want[160];
	uint8_t *elf;
	uint32_t len, slot = prog ? 3 : 2;
	size_t i, idx;

	assert_non_null(e);
	assert_non_null(w);
	elf = tf_read_file(BBPF_FIXTURE_DIR "/maps_btf.bpf.o", &len);
	assert_non_null(elf);
	sys = fs_script_init(&e->script);
	e->script.bpf_cb = record_cb;
	e->script.cb_ctx = e;
	e->key_len = 4;
	fs_script_push(&e->script, BPF_OBJ_GET, -ENOENT);	/* pinned_hash: not pinned yet */
	fs_script_add_file(&e->script, "/sys/devices/system/cpu/possible", "0-1\n", 4);
	co.sys = &sys;
	co.log_ctx = w;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	ctx->feat = (struct bbpf_features){ .probed = true, .memcg_account = true,
					    .prog_name = true, .global_data = true,
					    .array_mmap = true };
	assert_int_equal(bbpf_object_open_mem(&obj, elf, len, NULL, NULL), 0);
	if (prog)
		assert_int_equal(bbpf_program_set_autoload(bbpf_object_find_program(obj, target),
							   false), 0);
	else
		assert_int_equal(bbpf_map_set_autocreate(bbpf_object_find_map(obj, target), false),
				 0);
	outer = bbpf_object_find_map(obj, map);
	assert_non_null(outer);
	for (idx = 0; idx < bbpf_object_map_cnt(obj) && bbpf_object_map(obj, idx) != outer; idx++)
		;
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), -EBADF);

	d = bbpf_object_error(obj);
	assert_non_null(d);
	assert_int_equal(d->stage, BBPF_STAGE_SLOT);
	assert_int_equal(d->err, -EBADF);
	assert_non_null(d->name);
	assert_string_equal(d->name, map);
	assert_int_equal(d->idx, idx);
	/* one line, naming the map, the slot and its target */
	assert_int_equal(w->lines, 1);
	snprintf(want, sizeof(want), "map '%s': cannot set slot %u to %s '%s': not %s", map,
		 slot, prog ? "program" : "map", target, prog ? "loaded" : "created");
	if (!strstr(w->text, want))
		fail_msg("log \"%s\" lacks \"%s\"", w->text, want);
	/* the target's slot never written (no other map of maps_btf has that key) */
	for (i = 0; i < e->up_cnt; i++) {
		u = &e->up[i];
		if (!memcmp(u->key, &slot, sizeof(slot)))
			fail_msg("slot %u written (fd %d)", slot, (int)u->value);
	}
	assert_true(e->up_cnt > 0);
	if (prog) {
		/* tail_b never loaded; the failure comes after the programs load */
		for (i = 0; i < FS_HIST_MAX && i < e->script.hist_cnt; i++)
			if (e->script.hist[i].cmd == BPF_PROG_LOAD &&
			    !strcmp(e->script.hist[i].attr.prog_name, target))
				fail_msg("%s was loaded", target);
		assert_true(e->script.bpf_calls[BPF_PROG_LOAD] > 0);
	} else {
		/* outer_arr's slots are set at its creation: no program loaded yet */
		assert_int_equal(e->script.bpf_calls[BPF_PROG_LOAD], 0);
	}
	/* no fd and no mapping left by the failed load, none after close */
	assert_int_equal(fs_script_open_fds(&e->script), 0);
	assert_int_equal(fs_script_open_maps(&e->script), 0);
	assert_int_equal(bbpf_map_fd(outer), -1);
	bbpf_object_close(obj);
	assert_int_equal(fs_script_open_fds(&e->script), 0);
	assert_int_equal(fs_script_open_maps(&e->script), 0);
	bbpf_ctx_free(ctx);
	fs_script_fini(&e->script);
	free(elf);
	free(w);
	free(e);
}

static void test_slot_prog_not_loaded(void **state)
{
	(void)state;
	slot_target_off(true);
}

static void test_slot_map_not_created(void **state)
{
	(void)state;
	slot_target_off(false);
}

/* Updates recorded; the info of the reused map (outer_arr's definition) for BPF_OBJ_GET_INFO_BY_FD. */
static long reuse_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct bpf_map_info *info;

	if (cmd != BPF_OBJ_GET_INFO_BY_FD)
		return record_cb(s, cmd, attr, size);
	info = (struct bpf_map_info *)(uintptr_t)attr->info.info;
	memset(info, 0, attr->info.info_len);
	info->type = BPF_MAP_TYPE_ARRAY_OF_MAPS;
	info->key_size = 4;
	info->value_size = 4;
	info->max_entries = 4;
	return 0;
}

static void test_slot_reused_map_untouched(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { .log = print_log };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = NULL;
	struct bbpf_map *arr, *hash;
	struct bbpf_sys sys;
	uint8_t *elf;
	uint32_t len;
	int theirs;

	(void)state;
	assert_non_null(e);
	elf = tf_read_file(BBPF_FIXTURE_DIR "/maps_btf.bpf.o", &len);
	assert_non_null(elf);
	sys = fs_script_init(&e->script);
	e->script.bpf_cb = reuse_cb;
	e->script.cb_ctx = e;
	e->key_len = 4;
	fs_script_push(&e->script, BPF_OBJ_GET, -ENOENT);	/* pinned_hash: not pinned yet */
	fs_script_add_file(&e->script, "/sys/devices/system/cpu/possible", "0-1\n", 4);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	ctx->feat = (struct bbpf_features){ .probed = true, .memcg_account = true,
					    .prog_name = true, .global_data = true,
					    .array_mmap = true };
	theirs = (int)fs_script_new_fd(&e->script);
	assert_int_equal(bbpf_object_open_mem(&obj, elf, len, NULL, NULL), 0);
	arr = bbpf_object_find_map(obj, "outer_arr");
	hash = bbpf_object_find_map(obj, "outer_hash");
	assert_int_equal(bbpf_map_reuse_fd(arr, theirs), 0);
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	assert_int_equal(e->script.bpf_calls[BPF_OBJ_GET_INFO_BY_FD], 1);
	/* outer_arr (reused): no slot written; outer_hash (created): its one slot */
	assert_true(bbpf_map_fd(arr) >= 0);
	assert_null(update_of(e, bbpf_map_fd(arr), 0));
	assert_null(update_of(e, theirs, 0));
	assert_non_null(update_of(e, bbpf_map_fd(hash), 0));
	bbpf_object_close(obj);
	assert_int_equal(fs_script_open_fds(&e->script), 1);	/* the caller's */
	bbpf_ctx_free(ctx);
	fs_script_fini(&e->script);
	free(elf);
	free(e);
}

static void test_slot_key_4(void **state)
{
	(void)state;
	load_with_key(4);
}

/* Wider than the index: the bytes after it are zero, not whatever followed it in memory. */
static void test_slot_key_16(void **state)
{
	(void)state;
	load_with_key(16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_key_4),
		cmocka_unit_test(test_slot_key_16),
		cmocka_unit_test(test_inner_template_fails),
		cmocka_unit_test(test_slot_prog_not_loaded),
		cmocka_unit_test(test_slot_map_not_created),
		cmocka_unit_test(test_slot_reused_map_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
