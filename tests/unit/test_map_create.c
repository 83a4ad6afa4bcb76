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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
