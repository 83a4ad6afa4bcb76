/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The open phase on clang-built fixtures (facts taken from their sources)
 * and on crafted objects for the object-level rejections.
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
#include <barebpf/object.h>
#include "elf_builder.h"
#include "fail_alloc.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

struct logbuf {
	char text[8192];
	int lines;
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct logbuf *lb = ctx;
	size_t n = strlen(lb->text);

	(void)level;
	snprintf(lb->text + n, sizeof(lb->text) - n, "%s\n", msg);
	lb->lines++;
}

static struct bbpf_object *open_fix(const char *path)
{
	struct bbpf_object *obj = NULL;
	struct bbpf_diag d = { 0 };
	int err = bbpf_object_open_file(&obj, path, NULL, &d);

	if (err)
		fprintf(stderr, "open %s: %d (%s)\n", path, err, bbpf_bad_str(d.why));
	assert_int_equal(err, 0);
	return obj;
}

static void test_minimal(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("minimal.bpf.o"));
	struct bbpf_program *p;
	struct bbpf_relo_counts rc;
	struct bbpf_map *bss;

	(void)state;
	assert_string_equal(bbpf_object_name(obj), "minimal");
	assert_string_equal(bbpf_object_license(obj), "Dual BSD/GPL");
	assert_int_equal(bbpf_object_program_cnt(obj), 1);
	p = bbpf_object_program(obj, 0);
	assert_string_equal(bbpf_program_name(p), "handle_tp");
	assert_string_equal(bbpf_program_section(p), "tp/syscalls/sys_enter_write");
	assert_string_equal(bbpf_program_attach_target(p), "syscalls/sys_enter_write");
	assert_int_equal(bbpf_program_type(p), BPF_PROG_TYPE_TRACEPOINT);
	assert_true(bbpf_program_autoload(p));
	bbpf_program_relo_counts(p, &rc);
	/* my_pid, write_count (.bss) and the printk format (.rodata.str1.1) */
	assert_true(rc.cnt[BBPF_RELO_DATA] >= 3);
	/* libbpf's naming: up to 8 characters of the object name + section */
	bss = bbpf_object_find_map(obj, "minimal.bss");
	assert_non_null(bss);
	assert_ptr_equal(bbpf_object_find_map(obj, ".bss"), bss);
	assert_int_equal(bbpf_map_kind(bss), BBPF_MAP_BSS);
	assert_int_equal(bbpf_map_type(bss), BPF_MAP_TYPE_ARRAY);
	assert_int_equal(bbpf_map_value_size(bss), 16);	/* int + u64, aligned */
	assert_int_equal(bbpf_map_max_entries(bss), 1);
	assert_true(bbpf_map_flags(bss) & BPF_F_MMAPABLE);
	/* bpf_printk's format is a static const: read-only, and not mmapable
	 * because the DATASEC has no global variable (libbpf's rule). */
	assert_string_equal(bbpf_map_name(bbpf_object_find_map(obj, ".rodata")), "minimal.rodata");
	assert_int_equal(bbpf_map_flags(bbpf_object_find_map(obj, ".rodata")), BPF_F_RDONLY_PROG);
	bbpf_object_close(obj);
}

static void test_programs_and_subprograms(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("progs_loadable.bpf.o"));
	size_t i;

	(void)state;
	assert_int_equal(bbpf_object_program_cnt(obj), 11);
	assert_int_equal(bbpf_object_subprog_cnt(obj), 2);
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);

		assert_true(bbpf_program_insn_cnt(p) > 0);
		assert_int_not_equal(bbpf_program_type(p), BPF_PROG_TYPE_UNSPEC);
	}
	bbpf_object_close(obj);
}

static void test_autoload_off(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("autoload_off.bpf.o"));
	size_t i, off = 0;

	(void)state;
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);

		assert_true(bbpf_program_section(p)[0] != '?');
		if (!bbpf_program_autoload(p))
			off++;
	}
	assert_int_equal(off, 2);	/* ?tp/... and ?xdp */
	bbpf_object_close(obj);
}

static void test_btf_maps(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("maps_btf.bpf.o"));
	struct bbpf_map *m;
	const char *target;
	uint32_t slot;

	(void)state;
	m = bbpf_object_find_map(obj, "hash_full");
	assert_int_equal(bbpf_map_type(m), BPF_MAP_TYPE_HASH);
	assert_int_equal(bbpf_map_key_size(m), 4);
	assert_int_equal(bbpf_map_max_entries(m), 128);
	assert_int_equal(bbpf_map_flags(m), BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE);
	assert_int_not_equal(bbpf_map_btf_key_type_id(m), 0);
	assert_int_not_equal(bbpf_map_btf_value_type_id(m), 0);

	m = bbpf_object_find_map(obj, "array_sized");
	assert_int_equal(bbpf_map_value_size(m), 16);
	assert_int_equal(bbpf_map_btf_value_type_id(m), 0);

	assert_int_equal(bbpf_map_pinning(bbpf_object_find_map(obj, "pinned_hash")),
			 BBPF_PIN_BY_NAME);
	assert_int_equal(bbpf_map_extra(bbpf_object_find_map(obj, "bloom")), 3);
	assert_int_equal(bbpf_map_key_size(bbpf_object_find_map(obj, "queue")), 0);
	assert_int_equal(bbpf_map_max_entries(bbpf_object_find_map(obj, "events")), 0);
	assert_int_equal(bbpf_map_type(bbpf_object_find_map(obj, "rb")), BPF_MAP_TYPE_RINGBUF);

	m = bbpf_object_find_map(obj, "outer_arr");
	assert_non_null(bbpf_map_inner(m));
	assert_string_equal(bbpf_map_name(bbpf_map_inner(m)), "outer_arr.inner");
	assert_int_equal(bbpf_map_type(bbpf_map_inner(m)), BPF_MAP_TYPE_ARRAY);
	assert_int_equal(bbpf_map_max_entries(bbpf_map_inner(m)), 4);
	assert_int_equal(bbpf_map_value_size(m), 4);
	assert_int_equal(bbpf_map_init_slot_cnt(m), 2);
	assert_int_equal(bbpf_map_init_slot(m, 0, &slot, &target), 0);
	assert_int_equal(slot, 0);
	assert_string_equal(target, "inner_a");
	assert_int_equal(bbpf_map_init_slot(m, 1, &slot, &target), 0);
	assert_int_equal(slot, 2);
	assert_string_equal(target, "inner_b");
	assert_int_equal(bbpf_map_init_slot(m, 2, &slot, &target), -EINVAL);

	m = bbpf_object_find_map(obj, "outer_inline");
	assert_int_equal(bbpf_map_type(bbpf_map_inner(m)), BPF_MAP_TYPE_HASH);
	assert_int_equal(bbpf_map_init_slot_cnt(m), 0);

	m = bbpf_object_find_map(obj, "jmp_table");
	assert_null(bbpf_map_inner(m));
	assert_int_equal(bbpf_map_init_slot_cnt(m), 2);
	assert_int_equal(bbpf_map_init_slot(m, 1, &slot, &target), 0);
	assert_int_equal(slot, 3);
	assert_string_equal(target, "tail_b");
	bbpf_object_close(obj);
}

static void test_global_data(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("globals.bpf.o"));
	struct bbpf_map *m;
	size_t size;
	int32_t v = 0;
	uint8_t *data;

	(void)state;
	m = bbpf_object_find_map(obj, ".data");
	assert_string_equal(bbpf_map_name(m), "globals.data");
	assert_true(bbpf_map_flags(m) & BPF_F_MMAPABLE);
	data = bbpf_map_initial_value(m, &size);
	assert_non_null(data);
	assert_int_equal(size, bbpf_map_value_size(m));
	m = bbpf_object_find_map(obj, ".rodata");
	assert_string_equal(bbpf_map_name(m), "globals.rodata");
	assert_int_equal(bbpf_map_kind(m), BBPF_MAP_RODATA);
	assert_int_equal(bbpf_map_flags(m), BPF_F_RDONLY_PROG | BPF_F_MMAPABLE);
	m = bbpf_object_find_map(obj, ".data.foo");
	assert_non_null(m);
	assert_string_equal(bbpf_map_name(m), ".data.foo");
	data = bbpf_map_initial_value(m, &size);
	memcpy(&v, data, sizeof(v));	/* int foo_int = 42, first in the section */
	assert_int_equal(v, 42);
	/* Setters: same size only; internal map shape fixed. */
	assert_int_equal(bbpf_map_set_initial_value(m, data, size + 1), -EINVAL);
	v = 7;
	memcpy(data, &v, sizeof(v));
	assert_int_equal(bbpf_map_set_initial_value(m, data, size), 0);
	assert_int_equal(bbpf_map_set_value_size(m, 64), -EINVAL);
	assert_int_equal(bbpf_map_set_flags(m, 0), 0);
	assert_non_null(bbpf_object_find_map(obj, ".rodata.bar"));
	bbpf_object_close(obj);
}

static void test_externs(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("externs.bpf.o"));
	struct bbpf_extern *e;
	struct bbpf_map *kc;
	size_t i;
	uint32_t prev_align = UINT32_MAX;

	(void)state;
	e = bbpf_object_find_extern(obj, "CONFIG_HZ");
	assert_int_equal(bbpf_extern_kind(e), BBPF_EXTERN_KCONFIG);
	assert_int_equal(bbpf_extern_kcfg_type(e), BBPF_KCFG_INT);
	assert_int_equal(bbpf_extern_size(e), 4);
	assert_true(bbpf_extern_is_signed(e));
	assert_int_equal(bbpf_extern_kcfg_type(bbpf_object_find_extern(obj, "CONFIG_BPF_SYSCALL")),
			 BBPF_KCFG_BOOL);
	assert_int_equal(bbpf_extern_kcfg_type(bbpf_object_find_extern(obj, "CONFIG_BPF_LSM")),
			 BBPF_KCFG_TRISTATE);
	e = bbpf_object_find_extern(obj, "CONFIG_DEFAULT_HOSTNAME");
	assert_int_equal(bbpf_extern_kcfg_type(e), BBPF_KCFG_CHAR_ARR);
	assert_int_equal(bbpf_extern_size(e), 16);
	assert_true(bbpf_extern_is_weak(bbpf_object_find_extern(obj, "CONFIG_BAREBPF_NOT_A_REAL_OPTION")));
	e = bbpf_object_find_extern(obj, "bpf_fentry_test1");
	assert_int_equal(bbpf_extern_kind(e), BBPF_EXTERN_KSYM);
	assert_false(bbpf_extern_is_typed(e));
	assert_false(bbpf_extern_is_weak(e));
	e = bbpf_object_find_extern(obj, "bpf_task_acquire");
	assert_true(bbpf_extern_is_func(e));
	assert_true(bbpf_extern_is_typed(e));
	assert_true(bbpf_extern_is_weak(bbpf_object_find_extern(obj, "barebpf_no_such_kfunc")));
	/* kconfig first, by descending alignment, laid out without overlap */
	for (i = 0; i < bbpf_object_extern_cnt(obj); i++) {
		e = bbpf_object_extern(obj, i);
		if (bbpf_extern_kind(e) != BBPF_EXTERN_KCONFIG)
			break;
		/* alignment is the size for scalars, 1 for char arrays */
		{
			uint32_t al = bbpf_extern_kcfg_type(e) == BBPF_KCFG_CHAR_ARR ? 1 : bbpf_extern_size(e);

			assert_true(al <= prev_align);
			assert_int_equal(bbpf_extern_data_off(e) % al, 0);
			prev_align = al;
		}
	}
	for (; i < bbpf_object_extern_cnt(obj); i++)
		assert_int_equal(bbpf_extern_kind(bbpf_object_extern(obj, i)), BBPF_EXTERN_KSYM);
	kc = bbpf_object_find_map(obj, ".kconfig");
	assert_non_null(kc);
	assert_string_equal(bbpf_map_name(kc), "externs.kconfig");
	assert_int_equal(bbpf_map_flags(kc), BPF_F_RDONLY_PROG | BPF_F_MMAPABLE);
	e = bbpf_object_find_extern(obj, "CONFIG_DEFAULT_HOSTNAME");
	assert_true(bbpf_extern_data_off(e) + 16 <= bbpf_map_value_size(kc));
	bbpf_object_close(obj);
}

static void test_legacy_maps(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("legacy_maps.bpf.o"));
	struct bbpf_map *m;
	size_t i;

	(void)state;
	assert_int_equal(bbpf_object_map_cnt(obj), 4);
	assert_int_not_equal(bbpf_object_kern_version(obj), 0);
	/* samples/bpf's order: by offset in the section */
	for (i = 0; i < 4; i++)
		assert_int_equal(bbpf_map_kind(bbpf_object_map(obj, i)), BBPF_MAP_LEGACY);
	m = bbpf_object_find_map(obj, "outer_of_arrays");
	assert_int_equal(bbpf_map_type(m), BPF_MAP_TYPE_ARRAY_OF_MAPS);
	assert_non_null(bbpf_map_inner(m));
	/* samples/bpf program prefixes */
	assert_int_equal(bbpf_program_type(bbpf_object_program(obj, 0)), BPF_PROG_TYPE_TRACEPOINT);
	for (i = 0; i < bbpf_object_program_cnt(obj); i++)
		if (!strcmp(bbpf_program_section(bbpf_object_program(obj, i)), "socket1"))
			assert_int_equal(bbpf_program_type(bbpf_object_program(obj, i)),
					 BPF_PROG_TYPE_SOCKET_FILTER);
	bbpf_object_close(obj);
}

static void test_legacy_record_sizes(void **state)
{
	struct bbpf_object *small = open_fix(FIX("legacy_small_def.bpf.o"));
	struct bbpf_object *big = open_fix(FIX("legacy_big_def.bpf.o"));
	struct bbpf_object *obj = NULL;
	struct bbpf_diag d = { 0 };
	struct logbuf lb = { 0 };
	struct bbpf_open_opts o = { .log = log_cb, .log_ctx = &lb };

	(void)state;
	assert_int_equal(bbpf_object_map_cnt(small), 3);
	assert_int_equal(bbpf_map_numa_node(bbpf_object_map(small, 0)), 0);
	assert_int_equal(bbpf_object_map_cnt(big), 2);
	bbpf_object_close(small);
	bbpf_object_close(big);
	assert_int_equal(bbpf_object_open_file(&obj, FIX("legacy_big_nonzero.bpf.o"), &o, &d),
			 -EBADMSG);
	assert_null(obj);
	assert_int_equal(d.why, BBPF_BAD_OBJ_MAP);
	assert_non_null(strstr(lb.text, "legacy_big_nonzero: section 'maps'"));
}

static void test_nobtf(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("nobtf_stripped.bpf.o"));
	struct bbpf_btf_summary s;

	(void)state;
	assert_int_equal(bbpf_object_btf_summary(obj, &s), 0);
	assert_false(s.has_btf);
	assert_int_equal(bbpf_object_program_cnt(obj), 2);
	assert_int_equal(bbpf_object_map_cnt(obj), 1);
	bbpf_object_close(obj);
}

/* Host-order instructions are the same whichever byte order clang targeted. */
static void compare_endians(const char *el_path, const char *eb_path)
{
	struct bbpf_object *el = open_fix(el_path), *eb = open_fix(eb_path);
	size_t i;

	assert_false(bbpf_object_is_foreign_endian(el));
	assert_true(bbpf_object_is_foreign_endian(eb));
	assert_int_equal(bbpf_object_program_cnt(el), bbpf_object_program_cnt(eb));
	assert_int_equal(bbpf_object_map_cnt(el), bbpf_object_map_cnt(eb));
	assert_int_equal(bbpf_object_extern_cnt(el), bbpf_object_extern_cnt(eb));
	for (i = 0; i < bbpf_object_program_cnt(el); i++) {
		struct bbpf_program *a = bbpf_object_program(el, i), *b = bbpf_object_program(eb, i);

		assert_string_equal(bbpf_program_name(a), bbpf_program_name(b));
		assert_int_equal(bbpf_program_type(a), bbpf_program_type(b));
		/* Instruction counts may differ: clang's code is byte-order specific. */
	}
	for (i = 0; i < bbpf_object_map_cnt(el); i++) {
		struct bbpf_map *a = bbpf_object_map(el, i), *b = bbpf_object_map(eb, i);

		assert_string_equal(bbpf_map_name(a), bbpf_map_name(b));
		assert_int_equal(bbpf_map_type(a), bbpf_map_type(b));
		assert_int_equal(bbpf_map_key_size(a), bbpf_map_key_size(b));
		assert_int_equal(bbpf_map_value_size(a), bbpf_map_value_size(b));
		assert_int_equal(bbpf_map_max_entries(a), bbpf_map_max_entries(b));
		assert_int_equal(bbpf_map_flags(a), bbpf_map_flags(b));
	}
	bbpf_object_close(el);
	bbpf_object_close(eb);
}

static void test_big_endian_matches(void **state)
{
	static const char *const names[] = { "maps_btf", "globals", "externs", "legacy_maps",
					     "callbacks", "core", "progs_sections" };
	char el[256], eb[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(el, sizeof(el), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, names[i]);
		snprintf(eb, sizeof(eb), "%s/%s.bpfeb.o", BBPF_FIXTURE_DIR, names[i]);
		compare_endians(el, eb);
	}
}

/* The same instruction bits, decoded from a big-endian object. */
static void test_big_endian_insns(void **state)
{
	struct bbpf_object *el = open_fix(FIX("minimal.bpf.o"));
	struct bbpf_object *eb = open_fix(FIX("minimal.bpfeb.o"));	/* make fixtures */

	(void)state;
	assert_int_equal(bbpf_program_insn_cnt(bbpf_object_program(el, 0)),
			 bbpf_program_insn_cnt(bbpf_object_program(eb, 0)));
	assert_memory_equal(bbpf_program_insns(bbpf_object_program(el, 0)),
			    bbpf_program_insns(bbpf_object_program(eb, 0)),
			    bbpf_program_insn_cnt(bbpf_object_program(el, 0)) * sizeof(struct bpf_insn));
	bbpf_object_close(el);
	bbpf_object_close(eb);
}

static void test_setters(void **state)
{
	struct bbpf_object *obj = open_fix(FIX("maps_btf.bpf.o"));
	struct bbpf_map *m = bbpf_object_find_map(obj, "hash_full");
	struct bbpf_program *p = bbpf_object_program(obj, 0);

	(void)state;
	assert_int_equal(bbpf_map_set_max_entries(m, 4096), 0);
	assert_int_equal(bbpf_map_max_entries(m), 4096);
	assert_int_equal(bbpf_map_set_key_size(m, 8), 0);
	assert_int_equal(bbpf_map_btf_key_type_id(m), 0);	/* no longer matches */
	assert_int_equal(bbpf_map_set_autocreate(m, false), 0);
	assert_false(bbpf_map_autocreate(m));
	assert_int_equal(bbpf_map_set_pin_path(m, "/sys/fs/bpf/x"), 0);
	assert_string_equal(bbpf_map_pin_path(m), "/sys/fs/bpf/x");
	assert_int_equal(bbpf_map_set_pin_path(m, ""), -EINVAL);
	assert_int_equal(bbpf_map_reuse_fd(m, -1), -EINVAL);
	assert_int_equal(bbpf_map_reuse_fd(m, 7), 0);
	assert_int_equal(bbpf_map_reused_fd(m), 7);
	assert_int_equal(bbpf_map_set_inner_map_fd(m, 3), -EINVAL);	/* not a map-in-map */
	assert_int_equal(bbpf_map_set_inner_map_fd(bbpf_object_find_map(obj, "outer_arr"), 3), 0);
	assert_int_equal(bbpf_program_set_autoload(p, false), 0);
	assert_false(bbpf_program_autoload(p));
	assert_int_equal(bbpf_program_set_type(p, BPF_PROG_TYPE_SCHED_CLS), 0);
	assert_int_equal(bbpf_program_type(p), BPF_PROG_TYPE_SCHED_CLS);
	assert_int_equal(bbpf_program_set_expected_attach_type(p, BPF_XDP), 0);
	assert_int_equal(bbpf_program_expected_attach_type(p), BPF_XDP);
	bbpf_object_close(obj);
}

static void test_null_safety(void **state)
{
	struct bbpf_object *obj = (void *)1;
	struct bbpf_btf_summary s;

	(void)state;
	bbpf_object_close(NULL);
	assert_null(bbpf_object_name(NULL));
	assert_int_equal(bbpf_object_program_cnt(NULL), 0);
	assert_null(bbpf_object_program(NULL, 0));
	assert_null(bbpf_map_name(NULL));
	assert_null(bbpf_map_inner(NULL));
	assert_int_equal(bbpf_map_set_max_entries(NULL, 1), -EINVAL);
	assert_int_equal(bbpf_program_set_autoload(NULL, true), -EINVAL);
	assert_int_equal(bbpf_object_btf_summary(NULL, &s), -EINVAL);
	assert_int_equal(bbpf_object_open_mem(NULL, "x", 1, NULL, NULL), -EINVAL);
	assert_int_equal(bbpf_object_open_mem(&obj, NULL, 5, NULL, NULL), -EINVAL);
	assert_ptr_equal(obj, (void *)1);	/* untouched on failure */
	assert_int_equal(bbpf_object_open_file(&obj, "/nonexistent/x.o", NULL, NULL), -ENOENT);
	assert_int_equal(bbpf_object_open_file(&obj, "/", NULL, NULL), -EISDIR);
}

/* ---- crafted objects ---- */

static const uint8_t exit_insns[16] = { 0xb7, 0, 0, 0, 0, 0, 0, 0,	/* r0 = 0 */
					0x95, 0, 0, 0, 0, 0, 0, 0 };	/* exit */

static int open_built(struct eb *b, struct bbpf_diag *d, struct logbuf *lb)
{
	struct bbpf_open_opts o = { .object_name = "crafted", .log = log_cb, .log_ctx = lb };
	struct bbpf_object *obj = NULL;
	int err;

	eb_build(b, EB_SHDRS_LAST);
	err = bbpf_object_open_mem(&obj, eb_buf(b), eb_len(b), &o, d);
	bbpf_object_close(obj);
	return err;
}

static void test_crafted_static_program(void **state)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint32_t sec = eb_add_section(b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
				      exit_insns, sizeof(exit_insns), 0, 0, 0, 8);
	struct bbpf_diag d = { 0 };
	struct logbuf lb = { 0 };

	(void)state;
	eb_add_sym(b, "prog", 0, 16, (uint16_t)sec, STB_LOCAL, STT_FUNC);
	assert_int_equal(open_built(b, &d, &lb), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_OBJ_PROG);
	assert_int_equal(d.sec, sec);
	assert_non_null(strstr(lb.text, "crafted: section 'xdp'"));
	eb_free(b);
}

static void test_crafted_misaligned_program(void **state)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint32_t sec = eb_add_section(b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
				      exit_insns, sizeof(exit_insns), 0, 0, 0, 8);
	struct bbpf_diag d = { 0 };
	struct logbuf lb = { 0 };

	(void)state;
	eb_add_sym(b, "prog", 4, 16, (uint16_t)sec, STB_GLOBAL, STT_FUNC);
	assert_int_equal(open_built(b, &d, &lb), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_OBJ_PROG);
	eb_free(b);
}

static void test_crafted_relo_on_wrong_insn(void **state)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint32_t sec = eb_add_section(b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
				      exit_insns, sizeof(exit_insns), 0, 0, 0, 8);
	uint32_t data = eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
				       "abcd", 4, 0, 0, 0, 4);
	uint32_t prog, var;
	struct bbpf_diag d = { 0 };
	struct logbuf lb = { 0 };

	(void)state;
	prog = eb_add_sym(b, "prog", 0, 16, (uint16_t)sec, STB_GLOBAL, STT_FUNC);
	var = eb_add_sym(b, "var", 0, 4, (uint16_t)data, STB_GLOBAL, STT_OBJECT);
	(void)prog;
	eb_add_rel(b, sec, 0, var, 1);	/* against "r0 = 0": not an ld_imm64 */
	assert_int_equal(open_built(b, &d, &lb), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_OBJ_RELO);
	assert_int_equal(d.sec, sec);
	assert_non_null(strstr(lb.text, "neither ld_imm64 nor call"));
	eb_free(b);
}

static void test_crafted_legacy_maps_indivisible(void **state)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint8_t defs[40] = { 0 };
	uint32_t maps;
	struct bbpf_diag d = { 0 };
	struct logbuf lb = { 0 };

	(void)state;
	eb_add_section(b, "socket", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, exit_insns,
		       sizeof(exit_insns), 0, 0, 0, 8);
	maps = eb_add_section(b, "maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, defs, 40, 0, 0, 0, 4);
	eb_add_sym(b, "a", 0, 20, (uint16_t)maps, STB_GLOBAL, STT_OBJECT);
	eb_add_sym(b, "b", 20, 20, (uint16_t)maps, STB_GLOBAL, STT_OBJECT);
	eb_add_sym(b, "c", 36, 4, (uint16_t)maps, STB_GLOBAL, STT_OBJECT);	/* 40 / 3 */
	assert_int_equal(open_built(b, &d, &lb), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_OBJ_MAP);
	eb_free(b);
}

static void test_crafted_maps_without_btf(void **state)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint8_t def[32] = { 0 };
	uint32_t maps;
	struct bbpf_diag d = { 0 };
	struct logbuf lb = { 0 };

	(void)state;
	maps = eb_add_section(b, ".maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, def, 32, 0, 0, 0, 8);
	eb_add_sym(b, "m", 0, 32, (uint16_t)maps, STB_GLOBAL, STT_OBJECT);
	assert_int_equal(open_built(b, &d, &lb), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_OBJ_NO_BTF);
	eb_free(b);
}

static void test_crafted_program_without_symbol(void **state)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	struct bbpf_open_opts o = { .object_name = "crafted" };
	struct bbpf_object *obj = NULL;

	(void)state;
	/* Old samples/bpf objects: a program section without a FUNC symbol. */
	eb_add_section(b, "socket1", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, exit_insns,
		       sizeof(exit_insns), 0, 0, 0, 8);
	eb_add_sym(b, "unrelated", 0, 0, SHN_ABS, STB_LOCAL, STT_NOTYPE);
	eb_build(b, EB_SHDRS_LAST);
	assert_int_equal(bbpf_object_open_mem(&obj, eb_buf(b), eb_len(b), &o, NULL), 0);
	assert_int_equal(bbpf_object_program_cnt(obj), 1);
	assert_string_equal(bbpf_program_name(bbpf_object_program(obj, 0)), "socket1");
	assert_int_equal(bbpf_program_type(bbpf_object_program(obj, 0)), BPF_PROG_TYPE_SOCKET_FILTER);
	bbpf_object_close(obj);
	eb_free(b);
}

static void test_oom_every_allocation(void **state)
{
	struct bbpf_object *obj = NULL;
	struct fa fa;
	unsigned long n;
	FILE *f = fopen(FIX("maps_btf.bpf.o"), "rb");
	static uint8_t buf[1 << 20];
	size_t len;
	int err;

	(void)state;
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (n = 0;; n++) {
		struct bbpf_alloc a = fa_after(&fa, n);
		struct bbpf_open_opts o = { .alloc = &a };

		err = bbpf_object_open_mem(&obj, buf, len, &o, NULL);
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_int_equal(fa.live, 0);
	}
	bbpf_object_close(obj);
	assert_int_equal(fa.live, 0);
	assert_true(n >= 2);	/* the object, then arena chunks */
}

static void test_budget(void **state)
{
	struct bbpf_object *obj = NULL;
	struct bbpf_open_opts o = { .mem_budget = 4096 };
	FILE *f = fopen(FIX("maps_btf.bpf.o"), "rb");
	static uint8_t buf[1 << 20];
	size_t len;

	(void)state;
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(bbpf_object_open_mem(&obj, buf, len, &o, NULL), -ENOMEM);
	assert_null(obj);
	o.mem_budget = 0;	/* default: 16 x input + 1 MiB */
	assert_int_equal(bbpf_object_open_mem(&obj, buf, len, &o, NULL), 0);
	bbpf_object_close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_programs_and_subprograms),
		cmocka_unit_test(test_autoload_off),
		cmocka_unit_test(test_btf_maps),
		cmocka_unit_test(test_global_data),
		cmocka_unit_test(test_externs),
		cmocka_unit_test(test_legacy_maps),
		cmocka_unit_test(test_legacy_record_sizes),
		cmocka_unit_test(test_nobtf),
		cmocka_unit_test(test_big_endian_matches),
		cmocka_unit_test(test_big_endian_insns),
		cmocka_unit_test(test_setters),
		cmocka_unit_test(test_null_safety),
		cmocka_unit_test(test_crafted_static_program),
		cmocka_unit_test(test_crafted_misaligned_program),
		cmocka_unit_test(test_crafted_relo_on_wrong_insn),
		cmocka_unit_test(test_crafted_legacy_maps_indivisible),
		cmocka_unit_test(test_crafted_maps_without_btf),
		cmocka_unit_test(test_crafted_program_without_symbol),
		cmocka_unit_test(test_oom_every_allocation),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
