// SPDX-License-Identifier: BSD-2-Clause
/*
 * The loader against the real kernel, part 1: maps. Every map kind of
 * maps_btf.bpf.o as the kernel sees it after load (definition, libbpf's
 * creation fixups, initial slots of map-in-map and prog arrays, pinning by
 * name), map operations through the public API (element, per-CPU layout,
 * batch), and pinning: reuse, incompatible reuse (definition and BTF), and a
 * map name that would make the pin path leave the pin root.
 *
 * Needs root and a working bpf(2); each test skips, saying why, otherwise.
 * Every test gets its own pin root, /sys/fs/bpf/bbpf_lk_<pid>, removed at
 * teardown even when the test fails. `make fixtures` first.
 * Part 2 (global data, callbacks, externs, legacy format, byte order) is
 * test_load_kernel2.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lk_util.h"

/* ---- 1. every map kind ---- */

struct map_want {
	const char *name;
	enum bpf_map_type type;
	uint32_t key, value, max, flags;
	uint64_t extra;
};

#define MAX_CPUS_SENTINEL UINT32_MAX	/* perf event array: the possible CPUs */

static const struct map_want maps_btf_want[] = {
	{ "hash_full", BPF_MAP_TYPE_HASH, 4, 16, 128, BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE, 0 },
	{ "array_sized", BPF_MAP_TYPE_ARRAY, 4, 16, 8, 0, 0 },
	{ "pinned_hash", BPF_MAP_TYPE_HASH, 8, 8, 16, 0, 0 },
	{ "lru", BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, 0, 0 },
	{ "pcpu_array", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 4, 0, 0 },
	{ "lpm", BPF_MAP_TYPE_LPM_TRIE, 8, 4, 32, BPF_F_NO_PREALLOC, 0 },
	{ "rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, 0 },
	{ "events", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, MAX_CPUS_SENTINEL, 0, 0 },
	{ "bloom", BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 64, 0, 3 },
	{ "queue", BPF_MAP_TYPE_QUEUE, 0, 4, 16, 0, 0 },
	{ "stack", BPF_MAP_TYPE_STACK, 0, 8, 16, 0, 0 },
	{ "inner_a", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 0 },
	{ "inner_b", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 0 },
	{ "inner_c", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 0 },
	{ "outer_arr", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, 0 },
	{ "outer_hash", BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 8, 0, 0 },
	{ "outer_inline", BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 8, 0, 0 },
	{ "jmp_table", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, 0 },
};

static const struct map_want *want_of(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(maps_btf_want); i++)
		if (!strcmp(maps_btf_want[i].name, name))
			return &maps_btf_want[i];
	return NULL;
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* Slot of an outer map (map-in-map: inner map id; prog array: prog id), or -errno. */
static int slot_id(const struct bbpf_map *m, uint32_t slot, uint32_t *id)
{
	return bbpf_map_lookup_elem(m, &slot, sizeof(slot), id, sizeof(*id), 0);
}

static void expect_slot(const struct bbpf_map *outer, uint32_t slot, uint32_t want_id)
{
	uint32_t id = 0;
	int err = slot_id(outer, slot, &id);

	if (!want_id) {
		if (err != -ENOENT)
			fail_msg("%s[%u]: %d (id %u), expected empty", bbpf_map_name(outer), slot,
				 err, id);
		return;
	}
	if (err)
		fail_msg("%s[%u]: lookup %d", bbpf_map_name(outer), slot, err);
	if (id != want_id)
		fail_msg("%s[%u]: holds id %u, expected %u", bbpf_map_name(outer), slot, id, want_id);
}

static void test_map_kinds(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bpf_map_info info;
	char pin[256];
	size_t i, seen = 0, pg;
	uint32_t cpus, ringbuf_want;
	int fd;

	TK_NEED_KERNEL();
	obj = lk_open(st, 0, "maps_btf.bpf.o");
	lk_load_ok(st, obj);
	cpus = (uint32_t)lk_possible_cpus();
	assert_int_equal(bbpf_ctx_possible_cpus(st->ctx), cpus);
	pg = page_size();
	ringbuf_want = 4096 < pg ? (uint32_t)pg : 4096;

	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);
		const struct map_want *w = want_of(bbpf_map_name(m));
		char kname[BPF_OBJ_NAME_LEN];

		fd = bbpf_map_fd(m);
		if (bbpf_map_kind(m) == BBPF_MAP_INNER) {
			/* a template: created only for the outer map's creation */
			assert_int_equal(fd, -1);
			continue;
		}
		if (!w)
			fail_msg("unexpected map '%s'", bbpf_map_name(m));
		if (fd < 0)
			fail_msg("map '%s' has no fd after load", w->name);
		seen++;
		lk_map_info(fd, &info);
		snprintf(kname, sizeof(kname), "%s", w->name);
		assert_string_equal(info.name, kname);
		if (info.type != w->type || info.key_size != w->key ||
		    info.value_size != w->value || info.map_flags != w->flags ||
		    info.map_extra != w->extra)
			fail_msg("map '%s': kernel has type %u key %u value %u flags 0x%x extra %llu",
				 w->name, info.type, info.key_size, info.value_size, info.map_flags,
				 (unsigned long long)info.map_extra);
		/* the object's definition says the same */
		assert_int_equal(bbpf_map_type(m), w->type);
		assert_int_equal(bbpf_map_key_size(m), w->key);
		assert_int_equal(bbpf_map_value_size(m), w->value);
		assert_int_equal(bbpf_map_flags(m), w->flags);
		if (w->max == MAX_CPUS_SENTINEL) {
			/* libbpf's fixup: max_entries 0 becomes the possible CPUs */
			assert_int_equal(bbpf_map_max_entries(m), 0);
			assert_int_equal(info.max_entries, cpus);
		} else if (w->type == BPF_MAP_TYPE_RINGBUF) {
			assert_int_equal(info.max_entries % pg, 0);
			assert_int_equal(info.max_entries, ringbuf_want);
		} else {
			assert_int_equal(info.max_entries, w->max);
		}
		/* maps with BTF key/value types are created with them (not queue/stack/...) */
		if (!strcmp(w->name, "hash_full") || !strcmp(w->name, "pinned_hash") ||
		    !strcmp(w->name, "lpm") || !strcmp(w->name, "bloom")) {
			assert_int_not_equal(info.btf_id, 0);
			assert_int_equal(info.btf_key_type_id, bbpf_map_btf_key_type_id(m));
			assert_int_equal(info.btf_value_type_id, bbpf_map_btf_value_type_id(m));
			assert_int_not_equal(info.btf_value_type_id, 0);
		}
	}
	assert_int_equal(seen, ARRAY_LEN(maps_btf_want));

	/* map-in-map initial slots hold the right inner maps */
	expect_slot(lk_map(obj, "outer_arr"), 0, lk_map_id(bbpf_map_fd(lk_map(obj, "inner_a"))));
	expect_slot(lk_map(obj, "outer_arr"), 1, 0);
	expect_slot(lk_map(obj, "outer_arr"), 2, lk_map_id(bbpf_map_fd(lk_map(obj, "inner_b"))));
	expect_slot(lk_map(obj, "outer_arr"), 3, 0);
	expect_slot(lk_map(obj, "outer_hash"), 1, lk_map_id(bbpf_map_fd(lk_map(obj, "inner_c"))));
	expect_slot(lk_map(obj, "outer_hash"), 0, 0);
	{
		uint32_t k;

		assert_int_equal(bbpf_map_get_next_key(lk_map(obj, "outer_inline"), NULL, &k,
						       sizeof(k)), -ENOENT);
	}
	/* prog array slots hold tail_a and tail_b */
	expect_slot(lk_map(obj, "jmp_table"), 0,
		    lk_prog_id(bbpf_program_fd(bbpf_object_find_program(obj, "tail_a"))));
	expect_slot(lk_map(obj, "jmp_table"), 1, 0);
	expect_slot(lk_map(obj, "jmp_table"), 2, 0);
	expect_slot(lk_map(obj, "jmp_table"), 3,
		    lk_prog_id(bbpf_program_fd(bbpf_object_find_program(obj, "tail_b"))));

	/* pinned_hash pinned by name under the pin root, and nothing else pinned */
	snprintf(pin, sizeof(pin), "%s/pinned_hash", st->root);
	assert_non_null(bbpf_map_pin_path(lk_map(obj, "pinned_hash")));
	assert_string_equal(bbpf_map_pin_path(lk_map(obj, "pinned_hash")), pin);
	fd = bbpf_cmd_obj_get(lk_sys, pin, 0);
	assert_true(fd >= 0);
	assert_int_equal(lk_map_id(fd), lk_map_id(bbpf_map_fd(lk_map(obj, "pinned_hash"))));
	lk_sys->close(lk_sys->ctx, fd);
	lk_close(st, 0);
	/* pinned on purpose: the pin outlives the object */
	fd = bbpf_cmd_obj_get(lk_sys, pin, 0);
	assert_true(fd >= 0);
	lk_sys->close(lk_sys->ctx, fd);
}

/* ---- 2. map operations ---- */

struct val {
	uint64_t packets, bytes;
};

#define N_BATCH 50u
#define BATCH_ROOM 8u

/* Run one batch command to the end; keys/vals get every element. Returns the total. */
static uint32_t batch_all(const struct bbpf_map *m, bool and_delete, uint32_t *keys,
			  struct val *vals)
{
	uint64_t in = 0, out = 0;
	uint32_t total = 0, count;
	bool first = true;
	int err, rounds = 0;

	for (;;) {
		count = BATCH_ROOM;
		if (and_delete)
			err = bbpf_map_lookup_and_delete_batch(m, first ? NULL : &in, &out,
							       keys + total, vals + total, &count, 0);
		else
			err = bbpf_map_lookup_batch(m, first ? NULL : &in, &out, keys + total,
						    vals + total, &count, 0);
		if (err && err != -ENOENT)
			fail_msg("%s batch: %d after %u elements", and_delete ? "lookup_and_delete" :
				 "lookup", err, total);
		assert_true(count <= BATCH_ROOM);
		total += count;
		assert_true(total <= N_BATCH);
		if (err == -ENOENT)
			return total;
		in = out;
		first = false;
		assert_true(++rounds < 1000);
	}
}

static void fill_hash(const struct bbpf_map *m)
{
	uint32_t k;

	for (k = 100; k < 100 + N_BATCH; k++) {
		struct val v = { k, 2ull * k };

		assert_int_equal(bbpf_map_update_elem(m, &k, sizeof(k), &v, sizeof(v), BPF_NOEXIST),
				 0);
	}
}

static void check_batch_result(const uint32_t *keys, const struct val *vals, uint32_t n)
{
	bool seen[N_BATCH] = { false };
	uint32_t i;

	assert_int_equal(n, N_BATCH);
	for (i = 0; i < n; i++) {
		assert_true(keys[i] >= 100 && keys[i] < 100 + N_BATCH);
		assert_false(seen[keys[i] - 100]);
		seen[keys[i] - 100] = true;
		assert_int_equal(vals[i].packets, keys[i]);
		assert_int_equal(vals[i].bytes, 2ull * keys[i]);
	}
}

static void test_map_ops(void **state)
{
	struct lk *st = *state;
	uint32_t k = 1, k2, keys[N_BATCH + BATCH_ROOM], count;
	struct val v = { 11, 22 }, got, vals[N_BATCH + BATCH_ROOM];
	const struct bbpf_map *h, *pc;
	struct bbpf_object *obj;
	uint64_t k64 = 1, v64 = 0;
	uint8_t *pcv, *pcgot;
	size_t stride = 16, pcsize;
	int cpus, c, j;

	TK_NEED_KERNEL();
	obj = lk_open(st, 0, "maps_btf.bpf.o");
	/*
	 * A per-CPU value whose size is not a multiple of 8 shows the padding:
	 * pcpu_array's value becomes 12 bytes (xdp_entry, its only user, reads
	 * 16 bytes of it, so it is not loaded).
	 */
	assert_int_equal(bbpf_map_set_value_size(lk_map(obj, "pcpu_array"), 12), 0);
	assert_int_equal(bbpf_program_set_autoload(bbpf_object_find_program(obj, "xdp_entry"),
						   false), 0);
	lk_load_ok(st, obj);
	h = lk_map(obj, "hash_full");

	/* element operations */
	assert_int_equal(bbpf_map_lookup_elem(h, &k, sizeof(k), &got, sizeof(got), 0), -ENOENT);
	assert_int_equal(bbpf_map_get_next_key(h, NULL, &k2, sizeof(k2)), -ENOENT);
	assert_int_equal(bbpf_map_update_elem(h, &k, sizeof(k), &v, sizeof(v), BPF_ANY), 0);
	assert_int_equal(bbpf_map_update_elem(h, &k, sizeof(k), &v, sizeof(v), BPF_NOEXIST),
			 -EEXIST);
	memset(&got, 0, sizeof(got));
	assert_int_equal(bbpf_map_lookup_elem(h, &k, sizeof(k), &got, sizeof(got), 0), 0);
	assert_memory_equal(&got, &v, sizeof(v));
	assert_int_equal(bbpf_map_get_next_key(h, NULL, &k2, sizeof(k2)), 0);
	assert_int_equal(k2, 1);
	assert_int_equal(bbpf_map_get_next_key(h, &k, &k2, sizeof(k2)), -ENOENT);

	/* sizes are checked against the map before the kernel sees anything */
	assert_int_equal(bbpf_map_lookup_elem(h, &k64, sizeof(k64), &got, sizeof(got), 0), -EINVAL);
	assert_int_equal(bbpf_map_lookup_elem(h, &k, sizeof(k), &v64, sizeof(v64), 0), -EINVAL);
	assert_int_equal(bbpf_map_update_elem(h, &k64, sizeof(k64), &v, sizeof(v), 0), -EINVAL);
	assert_int_equal(bbpf_map_update_elem(h, &k, sizeof(k), &v64, sizeof(v64), 0), -EINVAL);
	assert_int_equal(bbpf_map_delete_elem(h, &k64, sizeof(k64), 0), -EINVAL);
	assert_int_equal(bbpf_map_get_next_key(h, NULL, &k64, sizeof(k64)), -EINVAL);
	assert_int_equal(bbpf_map_update_elem(lk_map(obj, "pinned_hash"), &k, sizeof(k), &v64,
					      sizeof(v64), 0), -EINVAL);

	assert_int_equal(bbpf_map_delete_elem(h, &k, sizeof(k), 0), 0);
	assert_int_equal(bbpf_map_delete_elem(h, &k, sizeof(k), 0), -ENOENT);

	/* per-CPU layout: possible CPUs x round_up(12, 8) */
	pc = lk_map(obj, "pcpu_array");
	cpus = bbpf_ctx_possible_cpus(st->ctx);
	assert_int_equal(cpus, lk_possible_cpus());
	pcsize = stride * (size_t)cpus;
	pcv = calloc(1, pcsize);
	pcgot = malloc(pcsize);
	assert_non_null(pcv);
	assert_non_null(pcgot);
	for (c = 0; c < cpus; c++)
		for (j = 0; j < 12; j++)
			pcv[(size_t)c * stride + (size_t)j] = (uint8_t)(c * 16 + j + 1);
	k = 2;
	assert_int_equal(bbpf_map_update_elem(pc, &k, sizeof(k), pcv, 12 * (size_t)cpus, 0),
			 -EINVAL);
	assert_int_equal(bbpf_map_update_elem(pc, &k, sizeof(k), pcv, pcsize + 8, 0), -EINVAL);
	assert_int_equal(bbpf_map_update_elem(pc, &k, sizeof(k), pcv, pcsize, 0), 0);
	memset(pcgot, 0xee, pcsize);
	assert_int_equal(bbpf_map_lookup_elem(pc, &k, sizeof(k), pcgot, pcsize, 0), 0);
	for (c = 0; c < cpus; c++)
		assert_memory_equal(pcgot + (size_t)c * stride, pcv + (size_t)c * stride, 12);
	assert_int_equal(bbpf_map_lookup_elem(pc, &k, sizeof(k), pcgot, 12, 0), -EINVAL);
	free(pcv);
	free(pcgot);

	/* batch lookup returns all N, lookup_and_delete empties, delete_batch */
	fill_hash(h);
	memset(keys, 0, sizeof(keys));
	check_batch_result(keys, vals, batch_all(h, false, keys, vals));
	assert_int_equal(bbpf_map_get_next_key(h, NULL, &k2, sizeof(k2)), 0);
	memset(keys, 0, sizeof(keys));
	check_batch_result(keys, vals, batch_all(h, true, keys, vals));
	assert_int_equal(bbpf_map_get_next_key(h, NULL, &k2, sizeof(k2)), -ENOENT);

	fill_hash(h);
	for (k = 0; k < N_BATCH; k++)
		keys[k] = 100 + k;
	count = N_BATCH;
	assert_int_equal(bbpf_map_delete_batch(h, keys, &count, 0), 0);
	assert_int_equal(count, N_BATCH);
	assert_int_equal(bbpf_map_get_next_key(h, NULL, &k2, sizeof(k2)), -ENOENT);
	/* deleting keys that are gone stops at the first: -ENOENT, none processed */
	count = N_BATCH;
	assert_int_equal(bbpf_map_delete_batch(h, keys, &count, 0), -ENOENT);
	assert_int_equal(count, 0);
}

/* ---- 3. pinning ---- */

static void pin_info(const char *path, struct bpf_map_info *info)
{
	int fd = bbpf_cmd_obj_get(lk_sys, path, 0);

	if (fd < 0)
		fail_msg("pin %s: %d", path, fd);
	lk_map_info(fd, info);
	lk_sys->close(lk_sys->ctx, fd);
}

static void expect_log(struct lk *st, const char *a, const char *b, const char *c)
{
	if (!strstr(st->log, a) || !strstr(st->log, b) || (c && !strstr(st->log, c)))
		fail_msg("log lacks '%s' / '%s' / '%s':\n%s", a, b, c ? c : "", st->log);
}

/* A failed load with an incompatible pin: -EINVAL, a message, no new objects, pin intact. */
static void expect_rejected(struct lk *st, struct bbpf_object *obj, const char *pin, uint32_t id,
			    const char *what, const char *what2)
{
	struct bpf_map_info info;

	lk_snapshot(st);
	lk_log_clear(st);
	assert_int_equal(lk_load(st, obj), -EINVAL);
	expect_log(st, "pinned_hash", what, what2);
	lk_expect_no_new_ids(st->before);
	pin_info(pin, &info);
	assert_int_equal(info.id, id);
	assert_int_equal(info.max_entries, 16);
	/* a failed object cannot be loaded again */
	assert_int_equal(lk_load(st, obj), -EINVAL);
}

static void test_pin_reuse(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *o1, *o2;
	struct bpf_map_info info;
	uint64_t k = 7, v = 70, got = 0;
	uint32_t id;
	char pin[256];
	size_t n;

	TK_NEED_KERNEL();
	snprintf(pin, sizeof(pin), "%s/pinned_hash", st->root);
	o1 = lk_open(st, 0, "maps_btf.bpf.o");
	lk_load_ok(st, o1);
	id = lk_map_id(bbpf_map_fd(lk_map(o1, "pinned_hash")));
	assert_int_equal(bbpf_map_update_elem(lk_map(o1, "pinned_hash"), &k, sizeof(k), &v,
					      sizeof(v), 0), 0);

	/* a second load (same pin root) reuses the pinned map */
	o2 = lk_open(st, 1, "maps_btf.bpf.o");
	lk_load_ok(st, o2);
	assert_int_equal(lk_map_id(bbpf_map_fd(lk_map(o2, "pinned_hash"))), id);
	assert_int_equal(bbpf_map_lookup_elem(lk_map(o2, "pinned_hash"), &k, sizeof(k), &got,
					      sizeof(got), 0), 0);
	assert_int_equal(got, 70);
	/* the other maps are the object's own */
	assert_int_not_equal(lk_map_id(bbpf_map_fd(lk_map(o2, "hash_full"))),
			     lk_map_id(bbpf_map_fd(lk_map(o1, "hash_full"))));
	lk_close(st, 1);
	lk_close(st, 0);
	pin_info(pin, &info);
	assert_int_equal(info.id, id);

	/* incompatible definition: max_entries differs */
	o1 = lk_open(st, 0, "maps_btf.bpf.o");
	assert_int_equal(bbpf_map_set_max_entries(lk_map(o1, "pinned_hash"), 32), 0);
	expect_rejected(st, o1, pin, id, "max_entries", "32");
	lk_close(st, 0);

	/*
	 * Incompatible BTF, same sizes (beyond libbpf): __u64 is a typedef of
	 * "unsigned long long"; renaming that INT in a copy of the object makes
	 * pinned_hash's key and value types differ from the pinned map's.
	 */
	o1 = lk_open_patched(st, 0, "maps_btf.bpf.o", "unsigned long long", "renamed_u64_type_x",
			     &n);
	assert_int_equal(n, 1);
	expect_rejected(st, o1, pin, id, "BTF", "type");
	lk_close(st, 0);

	/* still reusable by a compatible object afterwards */
	o1 = lk_open(st, 0, "maps_btf.bpf.o");
	lk_load_ok(st, o1);
	assert_int_equal(lk_map_id(bbpf_map_fd(lk_map(o1, "pinned_hash"))), id);
}

/* The directory holds nothing. */
static void expect_dir_empty(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			fail_msg("%s/%s exists", dir, de->d_name);
	closedir(d);
}

static void test_pin_escape(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct stat sb;
	size_t n;

	TK_NEED_KERNEL();
	/* "../pinned_h" under the pin root would be /sys/fs/bpf/pinned_h */
	if (stat("/sys/fs/bpf/pinned_h", &sb) == 0)
		fail_msg("/sys/fs/bpf/pinned_h exists before the test; remove it");
	snprintf(st->outside, sizeof(st->outside), "/sys/fs/bpf/pinned_h");

	obj = lk_open_patched(st, 0, "maps_btf.bpf.o", "pinned_hash", "../pinned_h", &n);
	assert_true(n >= 2);	/* the BTF string and the ELF symbol name */
	assert_non_null(bbpf_object_find_map(obj, "../pinned_h"));
	assert_int_equal(bbpf_map_pinning(lk_map(obj, "../pinned_h")), BBPF_PIN_BY_NAME);

	lk_snapshot(st);
	lk_log_clear(st);
	assert_int_equal(lk_load(st, obj), -EINVAL);
	expect_log(st, "../pinned_h", "leave the pin root", NULL);
	lk_expect_no_new_ids(st->before);
	expect_dir_empty(st->root);
	assert_int_not_equal(stat("/sys/fs/bpf/pinned_h", &sb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_kinds, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_map_ops, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_pin_reuse, lk_setup, lk_teardown),
		cmocka_unit_test_setup_teardown(test_pin_escape, lk_setup, lk_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
