/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test of the map dumper against bpftool 7.1: load
 * dump_types.bpf.o with barebpf, fill its maps (crafted and pseudo-random
 * entries, strings with every quoting case, per-CPU values that differ by
 * CPU, global data), then for every map compare byte for byte what
 * src/dump prints with what `bpftool map dump id N` prints, plain, -j and
 * -p; and a few single entries with `bpftool map lookup`. The BTF is read
 * back from the kernel by the map's btf_id, as bpftool does. Real kernel.
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

#include <barebpf/loader.h>
#include "base/arena.h"
#include "dump/dump_map.h"
#include "kern/kern.h"
#include "lk_util.h"
#include "proc_run.h"
#include "../bpf/dump_types.h"

static const struct bbpf_sys *const sys = &bbpf_sys_linux;

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_write(void *ctx, const char *s, size_t len)
{
	struct buf *b = ctx;

	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void rnd_fill(void *p, size_t n)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)rnd();
}

static bool is_per_cpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

struct loaded {
	struct bbpf_object *obj;
	int ncpus;
};

static struct loaded L;

static int setup(void **state)
{
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bbpf_object_close(L.obj);
	L.obj = NULL;
	return 0;
}

/* ---- our side: what a `map dump` command does with src/dump ---- */

struct map_btf {
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	void *raw;
	bool have;
};

/* The map's BTF from the kernel, by id; only when bpftool would load it. */
static void map_btf_get(const struct bpf_map_info *info, struct map_btf *mb)
{
	struct bpf_btf_info bi;
	uint32_t len = sizeof(bi);
	int fd, err;

	memset(mb, 0, sizeof(*mb));
	if (!info->btf_id || !info->btf_value_type_id)
		return;
	fd = bbpf_cmd_btf_get_fd_by_id(sys, info->btf_id);
	assert_true(fd >= 0);
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(bbpf_cmd_obj_info(sys, fd, &bi, &len), 0);
	mb->raw = malloc(bi.btf_size);
	assert_non_null(mb->raw);
	len = sizeof(bi);
	{
		uint32_t size = bi.btf_size;

		memset(&bi, 0, sizeof(bi));
		bi.btf = (uint64_t)(uintptr_t)mb->raw;
		bi.btf_size = size;
		assert_int_equal(bbpf_cmd_obj_info(sys, fd, &bi, &len), 0);
	}
	sys->close(sys->ctx, fd);
	bbpf_arena_init(&mb->arena, &bbpf_alloc_libc, 64u << 20);
	err = bbpf_btf_parse_raw(&mb->btf, mb->raw, bi.btf_size, NULL, &mb->arena, NULL);
	assert_int_equal(err, 0);
	mb->have = true;
}

static void map_btf_put(struct map_btf *mb)
{
	if (mb->have)
		bbpf_arena_free(&mb->arena);
	free(mb->raw);
}

static void dump_info(const struct bpf_map_info *info, const struct map_btf *mb, int ncpus,
		      struct bbpf_dump_map_info *di)
{
	memset(di, 0, sizeof(*di));
	di->key_size = info->key_size;
	di->value_size = info->value_size;
	di->btf_id = info->btf_id;
	di->btf = mb->have ? &mb->btf : NULL;
	di->key_type_id = info->btf_key_type_id;
	di->value_type_id = info->btf_vmlinux_value_type_id ? info->btf_vmlinux_value_type_id :
							      info->btf_value_type_id;
	di->n_cpus = is_per_cpu(info->type) ? (uint32_t)ncpus : 0;
}

/* The whole map, as `bpftool [-j|-p] map dump id N`. */
static char *our_dump(int fd, enum bbpf_dump_value_fmt fmt, int ncpus, uint32_t *entries)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	struct bbpf_dump_map_info di;
	struct bbpf_dump_map d;
	struct buf out = { 0 };
	struct bbpf_dump_out o = { buf_write, &out };
	struct map_btf mb;
	uint8_t *key, *prev = NULL, *value;
	size_t vlen;
	int err;

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(sys, fd, &info, &len), 0);
	map_btf_get(&info, &mb);
	dump_info(&info, &mb, ncpus, &di);
	vlen = di.n_cpus ? ((info.value_size + 7) & ~7u) * (size_t)ncpus : info.value_size;
	key = calloc(1, info.key_size + 1);
	value = calloc(1, vlen + 1);
	assert_non_null(key);
	assert_non_null(value);
	assert_int_equal(bbpf_dump_map_begin(&d, &o, fmt, &di), 0);
	*entries = 0;
	while (bbpf_cmd_map_next_key(sys, fd, prev, key) == 0) {
		err = bbpf_cmd_map_lookup(sys, fd, key, value, 0);
		if (err)
			assert_int_equal(bbpf_dump_map_entry_error(&d, key, "<no entry>"), 0);
		else
			(void)bbpf_dump_map_entry(&d, key, value, vlen);
		(*entries)++;
		prev = key;
		if (*entries > 100)
			fail_msg("map %u does not end", info.id);
	}
	assert_int_equal(bbpf_dump_map_end(&d), 0);
	free(key);
	free(value);
	map_btf_put(&mb);
	if (!out.p)
		buf_write(&out, "", 0);
	return out.p;
}

static char *our_lookup(int fd, enum bbpf_dump_value_fmt fmt, int ncpus, const void *key)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	struct bbpf_dump_map_info di;
	struct buf out = { 0 };
	struct bbpf_dump_out o = { buf_write, &out };
	struct map_btf mb;
	uint8_t *value;
	size_t vlen;

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(sys, fd, &info, &len), 0);
	map_btf_get(&info, &mb);
	dump_info(&info, &mb, ncpus, &di);
	vlen = di.n_cpus ? ((info.value_size + 7) & ~7u) * (size_t)ncpus : info.value_size;
	value = calloc(1, vlen + 1);
	assert_non_null(value);
	assert_int_equal(bbpf_cmd_map_lookup(sys, fd, key, value, 0), 0);
	(void)bbpf_dump_map_lookup(&o, fmt, &di, key, value, vlen);
	free(value);
	map_btf_put(&mb);
	return out.p;
}

/* ---- bpftool's side ---- */

static char *bpftool(const char *args)
{
	char cmd[1024];
	char *out;

	snprintf(cmd, sizeof(cmd), "bpftool %s 2>/dev/null", args);
	out = proc_capture(cmd);
	if (!out || !*out)
		fail_msg("`%s` printed nothing (bpftool missing?)", cmd);
	return out;
}

static void expect_same(const char *what, const char *ref, const char *got)
{
	size_t i, line = 1, ls = 0;

	if (getenv("BBPF_SHOW"))
		printf("---- %s\n%s", what, got);
	if (!strcmp(ref, got))
		return;
	for (i = 0; ref[i] && ref[i] == got[i]; i++)
		if (ref[i] == '\n') {
			line++;
			ls = i + 1;
		}
	fprintf(stderr, "---- bpftool (%s)\n%s\n---- barebpf\n%s\n----\n", what, ref, got);
	fail_msg("%s: differs from bpftool at line %zu, byte %zu: bpftool \"%.60s\" barebpf \"%.60s\"",
		 what, line, i, ref + ls, got + ls);
}

/* ---- filling the maps ---- */

static struct bbpf_map *map(const char *name)
{
	struct bbpf_map *m = bbpf_object_find_map(L.obj, name);

	if (!m)
		fail_msg("no map %s", name);
	return m;
}

static void update(const char *name, const void *key, const void *value)
{
	struct bbpf_map *m = map(name);
	size_t vs = bbpf_map_value_size(m);
	uint8_t *v = (uint8_t *)value;
	uint8_t *pc = NULL;
	int err;

	if (is_per_cpu(bbpf_map_type(m))) {
		/* Distinct values per CPU: the first CPU gets value, the others a mutation. */
		size_t step = (vs + 7) & ~(size_t)7, c;

		pc = calloc((size_t)L.ncpus, step);
		assert_non_null(pc);
		for (c = 0; c < (size_t)L.ncpus; c++) {
			memcpy(pc + c * step, value, vs);
			pc[c * step] ^= (uint8_t)(c * 0x35);
		}
		v = pc;
		vs = step * (size_t)L.ncpus;
	}
	err = bbpf_map_update_elem(m, key, bbpf_map_key_size(m), v, vs, 0);
	if (err)
		fail_msg("update %s: %d", name, err);
	free(pc);
}

static void fill(void)
{
	struct key k;
	struct value v;
	struct flags f;
	union both u;
	struct pcpu_val pv;
	struct fval fv;
	uint32_t i;
	uint64_t k64;
	int32_t ek;
	char s24[24];
	uint8_t rk[20], rv[40];
	static const char *const strs[] = {
		"plain", "back\\slash \"quoted\" it's", "\x01" "ctl",
	};
	static const int32_t ekeys[] = { RED, BLUE, NEG, 7 };

	/* A struct value with readable strings, enum names, bitfields. */
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.id = 5;
	strcpy(k.name, "alpha");
	v.u8v = 200;
	v.s8v = -5;
	v.u16v = 65000;
	v.s16v = -300;
	v.u32v = 4000000000u;
	v.s32v = -2000000000;
	v.u64v = UINT64_MAX;
	v.s64v = INT64_MIN;
	v.flag = 1;
	v.ch = 'A';
	v.nonprint = 7;
	strcpy(v.str, "hello \"w\\o'rld");
	memcpy(v.raw, "abcd", 4);
	memcpy(v.weird, "ab\x01" "cd", 5);
	v.typed = 77;
	*(__u32 *)&v.cv = 0xdeadbeef;
	v.arr[0] = 1;
	v.arr[1] = 2;
	v.arr[2] = 3;
	for (i = 0; i < 6; i++)
		v.grid[i / 3][i % 3] = (__u16)(10 + i);
	v.col = NEG;
	v.col_unknown = (enum color)42;
	v.small = S_B;
	v.wide = W_HI;
	v.wide_unknown = (enum wide)0x123456789ULL;
	v.bits.a = 1;
	v.bits.b = 5;
	v.bits.c = 100;
	v.bits.d = -7;
	v.bits.e = 0xabcdef1234ULL;
	v.bits.f = -100;
	v.in.s = -2;
	v.in.uc = 250;
	v.in.sc = -1;
	v.u.word = 0x04030201;
	v.x = 9;
	v.y = -9;
	v.ptr = (void *)(uintptr_t)0xffff888012345678ULL;
	v.iptr = NULL;
	v.big = ((unsigned __int128)0x99 << 64) | 0x1122334455667788ULL;
	v.sbig = -2;
	update("types_hash", &k, &v);

	/* All zero: empty strings, enum value 0 named, (nil) pointers. */
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.id = 6;
	k.name[0] = 1;
	k.name[1] = 2;
	update("types_hash", &k, &v);

	/* A bool whose neighbour is set; strings at their full length. */
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.id = 7;
	memcpy(k.name, "elevenchars", 12);
	v.ch = '"';
	memset(v.str, 'x', sizeof(v.str) - 1);
	v.raw[0] = 'q';
	v.small = S_A;
	v.wide = W_LO;
	v.col = GREEN;
	update("types_hash", &k, &v);

	/* Pseudo-random bytes everywhere. */
	for (i = 0; i < 4; i++) {
		rnd_fill(&k, sizeof(k));
		rnd_fill(&v, sizeof(v));
		k.id = 100 + i;
		update("types_hash", &k, &v);
	}

	for (i = 0; i < 2; i++) {
		rnd_fill(&f, sizeof(f));
		update("bits_array", &i, &f);
	}
	for (i = 0; i < 3; i++) {
		rnd_fill(&u, sizeof(u));
		update("union_array", &i, &u);
	}
	for (i = 0; i < 4; i++) {
		memset(s24, 0, sizeof(s24));
		if (i < 3)
			snprintf(s24, sizeof(s24), "%s", strs[i]);
		else
			memset(s24, 'z', sizeof(s24));	/* no NUL */
		ek = ekeys[i];
		update("enum_hash", &ek, s24);
	}
	for (i = 0; i < 2; i++) {
		rnd_fill(&pv, sizeof(pv));
		update("pcpu_array", &i, &pv);
	}
	for (i = 0; i < 3; i++) {
		uint32_t val = (uint32_t)rnd();

		k64 = rnd();
		update("pcpu_hash", &k64, &val);
	}
	{
		struct big *bg = malloc(sizeof(*bg));

		assert_non_null(bg);
		rnd_fill(bg, sizeof(*bg));
		i = 0;
		update("big_array", &i, bg);
		free(bg);
	}
	fv.before = 1;
	fv.f = 1.5f;
	fv.after = 2;
	i = 0;
	update("float_array", &i, &fv);
	for (i = 0; i < 2; i++) {
		rnd_fill(rk, sizeof(rk));
		rnd_fill(rv, 3);
		update("raw_hash", rk, rv);
	}
	for (i = 0; i < 2; i++) {
		rnd_fill(rv, sizeof(rv));
		update("raw_array", &i, rv);
	}
	rnd_fill(rv, 20);
	i = 0;
	update("raw_pcpu", &i, rv);

	/* Global data through the mapping, as a skeleton would. */
	{
		size_t bss_size = 0, data_size = 0;
		uint8_t *bss = bbpf_map_mmaped(map(".bss"), &bss_size);
		uint8_t *data = bbpf_map_mmaped(map(".data"), &data_size);

		assert_non_null(bss);
		assert_non_null(data);
		assert_true(bss_size >= 40 && data_size >= 16);
		rnd_fill(bss, 40);
		/* data_str (offset 4): a string with a quote; data_inner random */
		memcpy(data + 4, "q\"t", 4);
		rnd_fill(data + 12, 4);
	}
}

/* The test's struct layout must be the BTF's (checked on the loaded map's BTF). */
static void check_layout(void)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	struct map_btf mb;

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(sys, bbpf_map_fd(map("types_hash")), &info, &len), 0);
	map_btf_get(&info, &mb);
	assert_true(mb.have);
	assert_int_equal(bbpf_btf_resolve_size(&mb.btf, info.btf_value_type_id),
			 sizeof(struct value));
	assert_int_equal(bbpf_btf_resolve_size(&mb.btf, info.btf_key_type_id), sizeof(struct key));
	map_btf_put(&mb);
	assert_int_equal(offsetof(struct value, big), 176);
	assert_int_equal(offsetof(struct value, bits), 128);
}

static void load(void)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/dump_types.bpf.o", BBPF_FIXTURE_DIR);
	err = bbpf_object_open_file(&L.obj, path, NULL, NULL);
	if (err)
		fail_msg("open %s: %d (run `make fixtures`)", path, err);
	err = bbpf_object_load(L.obj, NULL);
	if (err)
		fail_msg("load dump_types: %d", err);
	L.ncpus = lk_possible_cpus();
}

static void test_dump_maps(void **state)
{
	static const struct {
		enum bbpf_dump_value_fmt fmt;
		const char *flag;
	} fmts[] = {
		{ BBPF_DUMP_VALUE_PLAIN, "" },
		{ BBPF_DUMP_VALUE_JSON, "-j " },
		{ BBPF_DUMP_VALUE_JSON_PRETTY, "-p " },
	};
	size_t i, f, compared = 0, with_btf = 0, without = 0;

	(void)state;
	TK_NEED_KERNEL();
	load();
	check_layout();
	fill();
	for (i = 0; i < bbpf_object_map_cnt(L.obj); i++) {
		struct bbpf_map *m = bbpf_object_map(L.obj, i);
		struct bpf_map_info info;
		uint32_t len = sizeof(info), entries = 0;
		char args[128], what[160];

		memset(&info, 0, sizeof(info));
		assert_int_equal(bbpf_cmd_obj_info(sys, bbpf_map_fd(m), &info, &len), 0);
		for (f = 0; f < 3; f++) {
			char *ref, *got;

			snprintf(args, sizeof(args), "%smap dump id %u", fmts[f].flag, info.id);
			snprintf(what, sizeof(what), "%s: bpftool %s", bbpf_map_name(m), args);
			ref = bpftool(args);
			got = our_dump(bbpf_map_fd(m), fmts[f].fmt, L.ncpus, &entries);
			expect_same(what, ref, got);
			free(ref);
			free(got);
			compared++;
		}
		if (info.btf_value_type_id)
			with_btf++;
		else
			without++;
		printf("  %-16s %u entries, %s: plain, -j, -p identical\n", bbpf_map_name(m),
		       entries, info.btf_value_type_id ? "BTF" : "no BTF");
		assert_true(entries > 0);
	}
	/* Every kind of map the fixture has was seen. */
	assert_true(with_btf >= 9);
	assert_true(without >= 3);
	assert_int_equal(compared, 3 * bbpf_object_map_cnt(L.obj));
}

/* Empty hash maps: "[]" and "Found 0 elements". */
static void test_empty_maps(void **state)
{
	static const char *const maps[] = { "types_hash", "enum_hash", "pcpu_hash", "raw_hash" };
	static const char *const flags[] = { "", "-j ", "-p " };
	static const enum bbpf_dump_value_fmt fmts[] = {
		BBPF_DUMP_VALUE_PLAIN, BBPF_DUMP_VALUE_JSON, BBPF_DUMP_VALUE_JSON_PRETTY,
	};
	size_t i, f;

	(void)state;
	TK_NEED_KERNEL();
	load();
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		struct bbpf_map *m = map(maps[i]);
		struct bpf_map_info info;
		uint32_t len = sizeof(info), entries = 1;
		char args[128], what[160];

		memset(&info, 0, sizeof(info));
		assert_int_equal(bbpf_cmd_obj_info(sys, bbpf_map_fd(m), &info, &len), 0);
		for (f = 0; f < 3; f++) {
			char *ref, *got;

			snprintf(args, sizeof(args), "%smap dump id %u", flags[f], info.id);
			snprintf(what, sizeof(what), "%s: bpftool %s", maps[i], args);
			ref = bpftool(args);
			got = our_dump(bbpf_map_fd(m), fmts[f], L.ncpus, &entries);
			assert_int_equal(entries, 0);
			expect_same(what, ref, got);
			free(ref);
			free(got);
		}
	}
}

/* Single entries, as `bpftool map lookup` prints them. */
static void test_lookup(void **state)
{
	static const char *const flags[] = { "", "-j ", "-p " };
	static const enum bbpf_dump_value_fmt fmts[] = {
		BBPF_DUMP_VALUE_PLAIN, BBPF_DUMP_VALUE_JSON, BBPF_DUMP_VALUE_JSON_PRETTY,
	};
	static const char *const maps[] = { "types_hash", "pcpu_array", "raw_hash", "raw_pcpu",
					    ".data" };
	size_t i, f, b, checked = 0;

	(void)state;
	TK_NEED_KERNEL();
	load();
	fill();
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		struct bbpf_map *m = map(maps[i]);
		int fd = bbpf_map_fd(m);
		uint32_t ks = bbpf_map_key_size(m), id;
		uint8_t key[64];
		char args[512], what[600];
		size_t n;
		struct bpf_map_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		assert_int_equal(bbpf_cmd_obj_info(sys, fd, &info, &len), 0);
		id = info.id;
		assert_int_equal(bbpf_cmd_map_next_key(sys, fd, NULL, key), 0);
		for (f = 0; f < 3; f++) {
			char *ref, *got;

			n = (size_t)snprintf(args, sizeof(args), "%smap lookup id %u key hex", flags[f],
					     id);
			for (b = 0; b < ks; b++)
				n += (size_t)snprintf(args + n, sizeof(args) - n, " %02x", key[b]);
			snprintf(what, sizeof(what), "%s: bpftool %s", maps[i], args);
			ref = bpftool(args);
			got = our_lookup(fd, fmts[f], L.ncpus, key);
			expect_same(what, ref, got);
			free(ref);
			free(got);
			checked++;
		}
	}
	assert_int_equal(checked, 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
