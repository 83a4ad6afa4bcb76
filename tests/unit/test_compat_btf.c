// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf.h of the libbpf-compatible API (src/compat/btf.c, btf_dump.c,
 * src/dump/dump_c_data.c) on BTF built in the test: constructors (bytes,
 * split, empty, files and the kernel's through the fake table), queries
 * (void at id 0, names, strings, find, resolve_size/type, align_of with
 * packed structs, pointer size, endianness), raw data round trips, strings
 * added (offsets, dedup, split), loading into the (fake) kernel, the C
 * dumper and the typed-data dumper's exact output (libbpf 1.8's format and
 * quirks: zero members left out, the first-member zero test, the sticky
 * char-array mode, casts with anonymous tags, bitfields, enums, VAR and
 * DATASEC, compact, skip_names, indentation, short data), and the inline
 * btf_* helpers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf_builder.h"
#include "compat_sys.h"
#include "fake_sys.h"

/* A kind_flag member offset: bitfield size in the top 8 bits, bit offset below. */
#define BTF_MEMBER_OFFSET(bits, off) (((__u32)(bits) << 24) | (off))

struct env {
	struct fs_script s;
	struct bbpf_sys sys;
	struct bb_btf b;
	uint8_t *raw;
	uint32_t raw_len;
	/* type ids of the test BTF */
	uint32_t int_id, uint_id, char_id, u8_id, long_id, ptr_id, arr_id, inner_id, outer_id,
		 enum_id, enum64_id, td_id, anon_id, union_id, float_id, var_id, sec_id, proto_id,
		 packed_id, carr_id, iarr_id, const_id;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bb_btf *b;

	assert_non_null(e);
	e->sys = fs_script_init(&e->s);
	tc_compat_use(&e->sys);
	libbpf_set_print(NULL);
	b = &e->b;
	bb_btf_init(b);
	e->int_id = bb_btf_add_int(b, "int", 4, BTF_INT_SIGNED, 32);			/* 1 */
	e->uint_id = bb_btf_add_int(b, "unsigned int", 4, 0, 32);			/* 2 */
	e->char_id = bb_btf_add_int(b, "char", 1, BTF_INT_SIGNED, 8);			/* 3 */
	e->u8_id = bb_btf_add_int(b, "unsigned char", 1, 0, 8);			/* 4 */
	e->long_id = bb_btf_add_int(b, "long", 8, BTF_INT_SIGNED, 64);			/* 5 */
	e->ptr_id = bb_btf_add_ptr(b, e->int_id);					/* 6 */
	e->arr_id = bb_btf_add_array(b, e->char_id, e->int_id, 8);			/* 7 */
	/* struct inner { int a; unsigned int b: 3; unsigned int c: 5; } */
	e->inner_id = bb_btf_add_struct(b, "inner", 8, true);				/* 8 */
	bb_btf_add_member(b, "a", e->int_id, 0);
	bb_btf_add_member(b, "b", e->uint_id, BTF_MEMBER_OFFSET(3, 32));
	bb_btf_add_member(b, "c", e->uint_id, BTF_MEMBER_OFFSET(5, 35));
	e->enum_id = bb_btf_add_enum(b, "color", 4, false);				/* 9 */
	bb_btf_add_enum_val(b, "RED", 0);
	bb_btf_add_enum_val(b, "BLUE", 2);
	e->enum64_id = bb_btf_add_enum64(b, "big", 8, true);				/* 10 */
	bb_btf_add_enum64_val(b, "HUGE", 0x100000000ull);
	e->td_id = bb_btf_add_typedef(b, "color_t", e->enum_id);			/* 11 */
	/* anonymous struct { int x; } */
	e->anon_id = bb_btf_add_struct(b, NULL, 4, false);				/* 12 */
	bb_btf_add_member(b, "x", e->int_id, 0);
	e->union_id = bb_btf_add_union(b, "u", 4, false);				/* 13 */
	bb_btf_add_member(b, "i", e->int_id, 0);
	bb_btf_add_member(b, "f", e->uint_id, 0);
	e->float_id = bb_btf_add_float(b, "float", 4);					/* 14 */
	e->iarr_id = bb_btf_add_array(b, e->int_id, e->int_id, 4);			/* 15 */
	e->const_id = bb_btf_add_const(b, e->int_id);					/* 16 */
	/*
	 * struct outer { int id; char name[8]; struct inner in; color_t col;
	 *                int *p; struct { int x; } anon; int vals[4]; const int k; }
	 */
	e->outer_id = bb_btf_add_struct(b, "outer", 64, false);			/* 17 */
	bb_btf_add_member(b, "id", e->int_id, 0);
	bb_btf_add_member(b, "name", e->arr_id, 32);
	bb_btf_add_member(b, "in", e->inner_id, 96);
	bb_btf_add_member(b, "col", e->td_id, 160);
	bb_btf_add_member(b, "p", e->ptr_id, 192);
	bb_btf_add_member(b, "anon", e->anon_id, 256);
	bb_btf_add_member(b, "vals", e->iarr_id, 288);
	bb_btf_add_member(b, "k", e->const_id, 416);
	e->var_id = bb_btf_add_var(b, "counter", e->int_id, BTF_VAR_STATIC);		/* 18 */
	e->sec_id = bb_btf_add_datasec(b, ".data", 8);					/* 19 */
	bb_btf_add_secinfo(b, e->var_id, 4, 4);
	e->proto_id = bb_btf_add_func_proto(b, e->int_id);				/* 20 */
	bb_btf_add_param(b, "x", e->int_id);
	/* struct pk { char c; int i; } __attribute__((packed)): i at byte 1 */
	e->packed_id = bb_btf_add_struct(b, "pk", 5, false);				/* 21 */
	bb_btf_add_member(b, "c", e->char_id, 0);
	bb_btf_add_member(b, "i", e->int_id, 8);
	e->carr_id = bb_btf_add_array(b, e->u8_id, e->int_id, 4);			/* 22 */
	e->raw = bb_btf_raw(b, false, &e->raw_len);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	tc_compat_use(NULL);
	bb_btf_free(&e->b);
	free(e->raw);
	fs_script_fini(&e->s);
	free(e);
	return 0;
}

static struct btf *new_btf(struct env *e)
{
	struct btf *btf = btf__new(e->raw, e->raw_len);

	assert_non_null(btf);
	return btf;
}

/* ---- queries ---- */

static void test_queries(void **state)
{
	struct env *e = *state;
	struct btf *btf = new_btf(e);
	const struct btf_type *t;

	assert_int_equal(btf__type_cnt(btf), 23);
	assert_null(btf__base_btf(btf));
	/* void at 0; past the end: NULL and EINVAL */
	t = btf__type_by_id(btf, 0);
	assert_non_null(t);
	assert_true(btf_is_void(t));
	assert_int_equal(t->size, 0);
	errno = 0;
	assert_null(btf__type_by_id(btf, 23));
	assert_int_equal(errno, EINVAL);
	t = btf__type_by_id(btf, e->outer_id);
	assert_true(btf_is_struct(t));
	assert_true(btf_is_composite(t));
	assert_int_equal(btf_vlen(t), 8);
	assert_string_equal(btf__name_by_offset(btf, t->name_off), "outer");
	assert_string_equal(btf__str_by_offset(btf, btf_members(t)[1].name_off), "name");
	assert_int_equal(btf_member_bit_offset(t, 1), 32);
	errno = 0;
	assert_null(btf__str_by_offset(btf, 1000000));
	assert_int_equal(errno, EINVAL);
	/* find */
	assert_int_equal(btf__find_by_name(btf, "inner"), e->inner_id);
	assert_int_equal(btf__find_by_name_kind(btf, "color_t", BTF_KIND_TYPEDEF), e->td_id);
	errno = 0;
	assert_int_equal(btf__find_by_name_kind(btf, "color_t", BTF_KIND_STRUCT), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(btf__find_by_name(btf, "nope"), -ENOENT);
	assert_int_equal(btf__find_by_name(btf, "void"), 0);
	assert_int_equal(btf__find_by_name_kind(btf, "void", BTF_KIND_INT), 0);
	/* sizes, as libbpf resolves them */
	assert_int_equal(btf__resolve_size(btf, e->outer_id), 64);
	assert_int_equal(btf__resolve_size(btf, e->arr_id), 8);
	assert_int_equal(btf__resolve_size(btf, e->td_id), 4);
	assert_int_equal(btf__resolve_size(btf, e->ptr_id), 8);
	assert_int_equal(btf__resolve_size(btf, e->var_id), 4);
	assert_int_equal(btf__resolve_size(btf, e->sec_id), 8);
	assert_int_equal(btf__resolve_size(btf, e->proto_id), -EINVAL);
	assert_int_equal(btf__resolve_size(btf, 0), -EINVAL);
	assert_int_equal(btf__resolve_type(btf, e->td_id), e->enum_id);
	assert_int_equal(btf__resolve_type(btf, e->const_id), e->int_id);
	assert_int_equal(btf__resolve_type(btf, e->var_id), e->int_id);
	assert_int_equal(btf__resolve_type(btf, 0), -EINVAL);
	/* alignment; a member off its natural place means packed: 1 */
	assert_int_equal(btf__align_of(btf, e->outer_id), 8);
	assert_int_equal(btf__align_of(btf, e->inner_id), 4);
	assert_int_equal(btf__align_of(btf, e->arr_id), 1);
	assert_int_equal(btf__align_of(btf, e->packed_id), 1);
	errno = 0;
	assert_int_equal(btf__align_of(btf, e->proto_id), 0);
	assert_int_equal(errno, EINVAL);
	/* "long" is 8 bytes: the pointer size */
	assert_int_equal(btf__pointer_size(btf), 8);
	assert_int_equal(btf__set_pointer_size(btf, 4), 0);
	assert_int_equal(btf__pointer_size(btf), 4);
	assert_int_equal(btf__resolve_size(btf, e->ptr_id), 4);
	assert_int_equal(btf__set_pointer_size(btf, 3), -EINVAL);
	assert_int_equal(btf__endianness(btf), BTF_LITTLE_ENDIAN);
	assert_int_equal(btf__set_endianness(btf, BTF_LITTLE_ENDIAN), 0);
	assert_int_equal(btf__set_endianness(btf, BTF_BIG_ENDIAN), -EOPNOTSUPP);
	btf__free(btf);
	btf__free(NULL);
}

static void test_inline_helpers(void **state)
{
	struct env *e = *state;
	struct btf *btf = new_btf(e);
	const struct btf_type *t;

	t = btf__type_by_id(btf, e->int_id);
	assert_true(btf_is_int(t));
	assert_int_equal(btf_int_encoding(t), BTF_INT_SIGNED);
	assert_int_equal(btf_int_bits(t), 32);
	assert_int_equal(btf_int_offset(t), 0);
	assert_true(btf_is_ptr(btf__type_by_id(btf, e->ptr_id)));
	t = btf__type_by_id(btf, e->arr_id);
	assert_true(btf_is_array(t));
	assert_int_equal(btf_array(t)->nelems, 8);
	assert_int_equal(btf_array(t)->type, e->char_id);
	t = btf__type_by_id(btf, e->enum_id);
	assert_true(btf_is_enum(t));
	assert_true(btf_is_any_enum(t));
	assert_int_equal(btf_vlen(t), 2);
	assert_string_equal(btf__name_by_offset(btf, btf_enum(t)[1].name_off), "BLUE");
	assert_int_equal(btf_enum(t)[1].val, 2);
	t = btf__type_by_id(btf, e->enum64_id);
	assert_true(btf_is_enum64(t));
	assert_true(btf_kflag(t));
	assert_true(btf_enum64_value(btf_enum64(t)) == 0x100000000ull);
	assert_true(btf_kind_core_compat(t, btf__type_by_id(btf, e->enum_id)));
	t = btf__type_by_id(btf, e->inner_id);
	assert_int_equal(btf_member_bit_offset(t, 1), 32);
	assert_int_equal(btf_member_bitfield_size(t, 1), 3);
	assert_int_equal(btf_member_bit_offset(t, 2), 35);
	assert_int_equal(btf_member_bitfield_size(t, 2), 5);
	assert_int_equal(btf_member_bitfield_size(btf__type_by_id(btf, e->outer_id), 0), 0);
	t = btf__type_by_id(btf, e->proto_id);
	assert_true(btf_is_func_proto(t));
	assert_int_equal(btf_params(t)[0].type, e->int_id);
	assert_true(btf_is_typedef(btf__type_by_id(btf, e->td_id)));
	assert_true(btf_is_const(btf__type_by_id(btf, e->const_id)));
	assert_true(btf_is_mod(btf__type_by_id(btf, e->const_id)));
	assert_false(btf_is_mod(btf__type_by_id(btf, e->td_id)));
	assert_true(btf_is_union(btf__type_by_id(btf, e->union_id)));
	assert_true(btf_is_float(btf__type_by_id(btf, e->float_id)));
	t = btf__type_by_id(btf, e->var_id);
	assert_true(btf_is_var(t));
	assert_int_equal(btf_var(t)->linkage, BTF_VAR_STATIC);
	t = btf__type_by_id(btf, e->sec_id);
	assert_true(btf_is_datasec(t));
	assert_int_equal(btf_var_secinfos(t)[0].offset, 4);
	assert_false(btf_is_fwd(t));
	assert_false(btf_is_func(t));
	assert_false(btf_is_volatile(t));
	assert_false(btf_is_restrict(t));
	assert_false(btf_is_decl_tag(t));
	assert_false(btf_is_type_tag(t));
	btf__free(btf);
}

/* ---- raw data, strings, split ---- */

static void test_raw_strings_split(void **state)
{
	struct env *e = *state;
	struct btf *btf = new_btf(e), *copy, *split, *empty;
	const struct btf_type *t;
	const void *raw;
	__u32 len;
	int off, off2;

	raw = btf__raw_data(btf, &len);
	assert_non_null(raw);
	copy = btf__new(raw, len);
	assert_non_null(copy);
	assert_int_equal(btf__type_cnt(copy), btf__type_cnt(btf));
	assert_int_equal(btf__find_by_name(copy, "outer"), e->outer_id);
	btf__free(copy);

	/* strings: found, added once, then found */
	off = btf__find_str(btf, "inner");
	assert_true(off > 0);
	assert_string_equal(btf__str_by_offset(btf, (__u32)off), "inner");
	assert_int_equal(btf__add_str(btf, "inner"), off);
	assert_int_equal(btf__find_str(btf, "brand_new"), -ENOENT);
	off = btf__add_str(btf, "brand_new");
	assert_true(off > 0);
	assert_int_equal(btf__add_str(btf, "brand_new"), off);
	assert_int_equal(btf__find_str(btf, "brand_new"), off);
	off2 = btf__add_str(btf, "second");
	assert_int_equal(off2, off + (int)strlen("brand_new") + 1);
	/* the BTF is parsed again: types still there, the new strings readable */
	assert_int_equal(btf__type_cnt(btf), 23);
	assert_string_equal(btf__str_by_offset(btf, (__u32)off2), "second");
	raw = btf__raw_data(btf, &len);
	assert_int_equal(len, e->raw_len + strlen("brand_new") + 1 + strlen("second") + 1);
	assert_int_equal(btf__add_str(btf, ""), 0);

	/* split BTF: ids and strings continue the base's */
	empty = btf__new_empty_split(btf);
	assert_non_null(empty);
	assert_ptr_equal(btf__base_btf(empty), btf);
	assert_int_equal(btf__type_cnt(empty), 23);
	t = btf__type_by_id(empty, e->outer_id);
	assert_non_null(t);
	assert_int_equal(btf__find_by_name(empty, "inner"), e->inner_id);
	assert_int_equal(btf__find_str(empty, "inner"), btf__find_str(btf, "inner"));
	off = btf__add_str(empty, "only_in_split");
	/* base strings: the builder's, "brand_new", "second" */
	assert_int_equal(off, (int)(e->b.str_len + 10 + 7));
	btf__free(empty);
	{
		struct bb_btf sb;
		uint8_t *sraw;
		uint32_t slen;

		bb_btf_init_split(&sb, 23, (uint32_t)(e->b.str_len + 10 + 7));
		bb_btf_add_ptr(&sb, e->outer_id);
		sraw = bb_btf_raw(&sb, false, &slen);
		split = btf__new_split(sraw, slen, btf);
		assert_non_null(split);
		assert_int_equal(btf__type_cnt(split), 24);
		assert_true(btf_is_ptr(btf__type_by_id(split, 23)));
		assert_int_equal(btf__resolve_size(split, 23), 8);
		btf__free(split);
		free(sraw);
		bb_btf_free(&sb);
	}
	btf__free(btf);

	empty = btf__new_empty();
	assert_non_null(empty);
	assert_int_equal(btf__type_cnt(empty), 1);
	assert_int_equal(btf__add_str(empty, "a"), 1);
	assert_int_equal(btf__add_str(empty, "bc"), 3);
	assert_string_equal(btf__str_by_offset(empty, 3), "bc");
	btf__free(empty);

	errno = 0;
	assert_null(btf__new("junk", 4));
	assert_int_equal(errno, EBADMSG);
	assert_null(btf__new(NULL, 4));
}

/* ---- files, the kernel ---- */

static void test_files_and_kernel(void **state)
{
	struct env *e = *state;
	struct btf *btf, *mod;
	struct btf_ext *ext = (struct btf_ext *)1;
	const struct fs_call *c;
	struct bb_btf mb;
	uint8_t *mraw;
	uint32_t mlen;

	fs_script_add_file(&e->s, "/some/raw.btf", (const char *)e->raw, e->raw_len);
	btf = btf__parse("/some/raw.btf", &ext);
	assert_non_null(btf);
	assert_null(ext);	/* .BTF.ext is not read */
	assert_int_equal(btf__find_by_name(btf, "outer"), e->outer_id);
	btf__free(btf);
	errno = 0;
	assert_null(btf__parse_raw("/none"));
	assert_int_equal(errno, ENOENT);

	fs_script_add_file(&e->s, "/sys/kernel/btf/vmlinux", (const char *)e->raw, e->raw_len);
	btf = btf__load_vmlinux_btf();
	assert_non_null(btf);
	assert_int_equal(btf__find_by_name_kind(btf, "inner", BTF_KIND_STRUCT), e->inner_id);
	/* a module's BTF on top */
	bb_btf_init_split(&mb, 23, e->b.str_len);
	bb_btf_add_struct(&mb, "modtype", 4, false);
	bb_btf_add_member(&mb, "m", e->int_id, 0);
	mraw = bb_btf_raw(&mb, false, &mlen);
	fs_script_add_file(&e->s, "/sys/kernel/btf/mymod", (const char *)mraw, mlen);
	mod = btf__load_module_btf("mymod", btf);
	assert_non_null(mod);
	assert_int_equal(btf__find_by_name_kind(mod, "modtype", BTF_KIND_STRUCT), 23);
	assert_int_equal(btf__find_by_name(mod, "outer"), e->outer_id);
	assert_null(btf__load_module_btf("../etc", btf));
	assert_int_equal(errno, EINVAL);
	btf__free(mod);
	free(mraw);
	bb_btf_free(&mb);

	/* into the kernel: BPF_BTF_LOAD with the raw bytes; the fd goes with the BTF */
	assert_int_equal(btf__fd(btf), -1);
	assert_int_equal(btf__load_into_kernel(btf), 0);
	assert_true(btf__fd(btf) >= FS_FAKE_FD_BASE);
	c = fs_script_last(&e->s, BPF_BTF_LOAD);
	assert_non_null(c);
	assert_int_equal(c->attr.btf_size, e->raw_len);
	assert_int_equal(btf__load_into_kernel(btf), -EEXIST);
	btf__free(btf);
	assert_int_equal(fs_script_open_fds(&e->s), 0);
	btf = new_btf(e);
	fs_script_push(&e->s, BPF_BTF_LOAD, -EPERM);
	fs_script_push(&e->s, BPF_BTF_LOAD, -EPERM);
	errno = 0;
	assert_int_equal(btf__load_into_kernel(btf), -EPERM);
	assert_int_equal(errno, EPERM);
	btf__free(btf);
	/* by id: the fake has no BTF objects */
	errno = 0;
	fs_script_push(&e->s, BPF_BTF_GET_FD_BY_ID, -ENOENT);
	assert_null(btf__load_from_kernel_by_id(7));
	assert_int_equal(errno, ENOENT);
}

/* ---- the dumper ---- */

struct out {
	char buf[4096];
	size_t len;
};

static void out_printf(void *ctx, const char *fmt, va_list args)
{
	struct out *o = ctx;
	int n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, args);

	if (n > 0)
		o->len += (size_t)n;
}

/* The C layout of the BTF's struct outer (64 bytes). */
struct outer {
	int id;
	char name[8];
	int a;
	unsigned int bc;	/* b: bits 0-2, c: bits 3-7 */
	unsigned int col;
	int *p;
	int x;
	int vals[4];
	int k;
	int tail[2];
};

_Static_assert(sizeof(struct outer) == 64 && offsetof(struct outer, vals) == 36 &&
	       offsetof(struct outer, k) == 52, "struct outer as in the BTF");

static void test_dump_c(void **state)
{
	struct env *e = *state;
	struct btf *btf = new_btf(e);
	struct out o = { 0 };
	struct btf_dump *d = btf_dump__new(btf, out_printf, &o, NULL);
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, dopts, .field_name = "arr");

	assert_non_null(d);
	assert_int_equal(btf_dump__dump_type(d, e->inner_id), 0);
	assert_string_equal(o.buf, "struct inner {\n\tint a;\n\tunsigned int b: 3;\n"
				   "\tunsigned int c: 5;\n};\n\n");
	o.len = 0;
	memset(o.buf, 0, sizeof(o.buf));
	assert_int_equal(btf_dump__dump_type(d, e->inner_id), 0);	/* printed already */
	assert_string_equal(o.buf, "");
	assert_int_equal(btf_dump__emit_type_decl(d, e->arr_id, &dopts), 0);
	assert_string_equal(o.buf, "char arr[8]");
	assert_int_equal(btf_dump__dump_type(d, 999), -EINVAL);
	btf_dump__free(d);
	errno = 0;
	assert_null(btf_dump__new(btf, NULL, &o, NULL));
	assert_int_equal(errno, EINVAL);
	btf__free(btf);
}

static void dump_data(struct btf *btf, __u32 id, const void *data, size_t len,
		      const struct btf_dump_type_data_opts *opts, const char *want, int want_ret)
{
	struct out o = { 0 };
	struct btf_dump *d = btf_dump__new(btf, out_printf, &o, NULL);
	int ret;

	assert_non_null(d);
	ret = btf_dump__dump_type_data(d, id, data, len, opts);
	if (strcmp(o.buf, want))
		fail_msg("got:\n%s\nwant:\n%s", o.buf, want);
	assert_int_equal(ret, want_ret);
	btf_dump__free(d);
}

static void test_dump_data(void **state)
{
	struct env *e = *state;
	struct btf *btf = new_btf(e);
	struct outer v;
	LIBBPF_OPTS(btf_dump_type_data_opts, pretty);
	LIBBPF_OPTS(btf_dump_type_data_opts, compact, .compact = true);
	LIBBPF_OPTS(btf_dump_type_data_opts, zeroes, .compact = true, .emit_zeroes = true);
	LIBBPF_OPTS(btf_dump_type_data_opts, nonames, .compact = true, .skip_names = true);
	LIBBPF_OPTS(btf_dump_type_data_opts, strs, .compact = true, .emit_strings = true);
	LIBBPF_OPTS(btf_dump_type_data_opts, indent, .indent_str = "  ", .indent_level = 1);
	char carr[8] = "hey";
	unsigned char uarr[4] = { 0, 7, 0, 9 };

	memset(&v, 0, sizeof(v));
	v.id = -3;
	memcpy(v.name, "abc", 4);
	v.a = 0;		/* struct inner's first member zero: the whole struct is left out */
	v.bc = 5 | (9 << 3);
	v.col = 2;
	v.x = 0;
	v.vals[1] = 6;
	v.k = 0;
	/*
	 * compact, zeroes left out; after the char array, the int array's zero
	 * elements are left out too (see test_dump_data_char_quirk)
	 */
	dump_data(btf, e->outer_id, &v, sizeof(v), &compact,
		  "(struct outer){.id = (int)-3,.name = (char[8])['a','b','c',],"
		  ".col = (color_t)BLUE,.vals = (int[4])[6,],}", 64);
	/* pretty: one member per line, tab indentation */
	dump_data(btf, e->outer_id, &v, sizeof(v), &pretty,
		  "(struct outer){\n\t.id = (int)-3,\n\t.name = (char[8])[\n\t\t'a',\n\t\t'b',\n"
		  "\t\t'c',\n\t],\n\t.col = (color_t)BLUE,\n\t.vals = (int[4])[\n\t\t6,\n\t],\n}",
		  64);
	/* every member, casts of anonymous types as bare tags, bitfields in hex */
	v.a = 1;
	dump_data(btf, e->outer_id, &v, sizeof(v), &zeroes,
		  "(struct outer){.id = (int)-3,.name = (char[8])['a','b','c','\\0',],"
		  ".in = (struct inner){.a = (int)1,.b = (unsigned int)0x5,.c = (unsigned int)0x9,},"
		  ".col = (color_t)BLUE,.p = (int *)(nil),.anon = (struct){.x = (int)0,},"
		  ".vals = (int[4])[0,6,0,0,],.k = (int)0,}", 64);
	/* no names, no casts */
	dump_data(btf, e->inner_id, &v.a, 8, &nonames, "{1,0x5,0x9,}", 8);
	/* a string */
	dump_data(btf, e->arr_id, carr, sizeof(carr), &strs, "(char[8])\"hey\"", 8);
	dump_data(btf, e->arr_id, carr, sizeof(carr), &compact, "(char[8])['h','e','y',]", 8);
	/* a 1-byte array is a char array: zero elements left out, others as characters or numbers */
	dump_data(btf, e->carr_id, uarr, sizeof(uarr), &compact, "(unsigned char[4])[7,9,]", 4);
	/* indentation string and level */
	dump_data(btf, e->inner_id, &v.a, 8, &indent,
		  "  (struct inner){\n    .a = (int)1,\n    .b = (unsigned int)0x5,\n"
		  "    .c = (unsigned int)0x9,\n  }", 8);
	/* enums by name, else by number; enum64 with its suffix */
	{
		__u32 c = 7;
		__u64 h = 0x100000000ull, n = 5;

		dump_data(btf, e->enum_id, &c, 4, &compact, "(enum color)7", 4);
		dump_data(btf, e->enum64_id, &h, 8, &compact, "(enum big)HUGE", 8);
		dump_data(btf, e->enum64_id, &n, 8, &compact, "(enum big)5LL", 8);
	}
	/* a union shows every member; a float */
	{
		int i = 0x40490fdb;
		float f = 2.5f;

		dump_data(btf, e->union_id, &i, 4, &compact,
			  "(union u){.i = (int)1078530011,.f = (unsigned int)1078530011,}", 4);
		dump_data(btf, e->float_id, &f, 4, &compact, "(float)2.500000", 4);
	}
	/* VAR and DATASEC */
	{
		int sec[2] = { 0, 42 };

		dump_data(btf, e->var_id, &sec[1], 4, &compact, "static int counter = (int)42", 4);
		dump_data(btf, e->sec_id, sec, 8, &compact,
			  "SEC(\".data\") static int counter = (int)42;", 8);
	}
	/* too little data for a scalar: -E2BIG; a struct prints what it can */
	dump_data(btf, e->int_id, &v, 2, &compact, "", -E2BIG);
	dump_data(btf, e->inner_id, &v.a, 4, &compact, "(struct inner){.a = (int)1,", -E2BIG);
	/* no such type; a kind with no value */
	dump_data(btf, 999, &v, sizeof(v), &compact, "", -ENOENT);
	dump_data(btf, e->proto_id, &v, sizeof(v), &compact, "", -EINVAL);
	/* options checked */
	{
		struct { struct btf_dump_type_data_opts o; int x; } big;

		memset(&big, 0, sizeof(big));
		big.o.sz = sizeof(big);
		big.x = 1;
		dump_data(btf, e->int_id, &v, 4, &big.o, "", -EINVAL);
	}
	btf__free(btf);
}

/* The char-array mode stays on for the rest of the call, as libbpf's does. */
static void test_dump_data_char_quirk(void **state)
{
	struct env *e = *state;
	struct bb_btf b;
	uint8_t *raw;
	uint32_t len, s_id, int_id, ch_id, ca_id, ia_id;
	struct btf *btf;
	struct {
		char c[4];
		int n[3];
	} v = { "ab", { 0, 5, 0 } };
	LIBBPF_OPTS(btf_dump_type_data_opts, compact, .compact = true);

	(void)e;
	bb_btf_init(&b);
	int_id = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ch_id = bb_btf_add_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	ca_id = bb_btf_add_array(&b, ch_id, int_id, 4);
	ia_id = bb_btf_add_array(&b, int_id, int_id, 3);
	s_id = bb_btf_add_struct(&b, "s", 16, false);
	bb_btf_add_member(&b, "c", ca_id, 0);
	bb_btf_add_member(&b, "n", ia_id, 32);
	raw = bb_btf_raw(&b, false, &len);
	btf = btf__new(raw, len);
	/* after the char array, the int array's zero elements are left out too */
	dump_data(btf, s_id, &v, sizeof(v), &compact,
		  "(struct s){.c = (char[4])['a','b',],.n = (int[3])[5,],}", 16);
	/* alone, an int array shows its zeros */
	dump_data(btf, ia_id, v.n, sizeof(v.n), &compact, "(int[3])[0,5,0,]", 12);
	btf__free(btf);
	free(raw);
	bb_btf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inline_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_strings_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_and_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_data_char_quirk, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
