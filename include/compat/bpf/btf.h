/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf's libbpf-compatible API: btf.h, BTF objects and the BTF dumper.
 * Written from libbpf's documented API; not libbpf's code.
 *
 * Conventions as libbpf 1.x: constructors return NULL with errno set;
 * int results are >= 0 or a negative errno with errno set. Type records
 * are returned in host byte order; a pointer from btf__type_by_id() or
 * btf__str_by_offset() stays valid until the BTF is changed (btf__add_*)
 * or freed.
 */
#ifndef __LIBBPF_BTF_H
#define __LIBBPF_BTF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/btf.h>
#include <linux/types.h>

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BTF_ELF_SEC ".BTF"
#define BTF_EXT_ELF_SEC ".BTF.ext"
#define BTF_BASE_ELF_SEC ".BTF.base"
#define MAPS_ELF_SEC ".maps"

struct btf;
struct btf_ext;
struct btf_type;
struct bpf_object;

enum btf_endianness {
	BTF_LITTLE_ENDIAN = 0,
	BTF_BIG_ENDIAN = 1,
};

/* NULL is fine. */
LIBBPF_API void btf__free(struct btf *btf);

/* Raw BTF bytes (as in /sys/kernel/btf/vmlinux), copied. */
LIBBPF_API struct btf *btf__new(const void *data, __u32 size);
LIBBPF_API struct btf *btf__new_split(const void *data, __u32 size, struct btf *base_btf);
/* An empty BTF to add to (only strings can be added: btf__add_str). */
LIBBPF_API struct btf *btf__new_empty(void);
LIBBPF_API struct btf *btf__new_empty_split(struct btf *base_btf);

/*
 * A file: raw BTF, or an ELF file's .BTF section. btf_ext, if given, is
 * set to NULL: .BTF.ext is not read (barebpf difference).
 */
LIBBPF_API struct btf *btf__parse(const char *path, struct btf_ext **btf_ext);
LIBBPF_API struct btf *btf__parse_split(const char *path, struct btf *base_btf);
LIBBPF_API struct btf *btf__parse_elf(const char *path, struct btf_ext **btf_ext);
LIBBPF_API struct btf *btf__parse_elf_split(const char *path, struct btf *base_btf);
LIBBPF_API struct btf *btf__parse_raw(const char *path);
LIBBPF_API struct btf *btf__parse_raw_split(const char *path, struct btf *base_btf);

/*
 * The running kernel's BTF: /sys/kernel/btf/vmlinux, else the on-disk
 * locations libbpf searches (/boot/vmlinux-<release>, ...).
 */
LIBBPF_API struct btf *btf__load_vmlinux_btf(void);
/* /sys/kernel/btf/<module_name>, split on vmlinux_btf. */
LIBBPF_API struct btf *btf__load_module_btf(const char *module_name, struct btf *vmlinux_btf);
/* A BTF object in the kernel, by its id. */
LIBBPF_API struct btf *btf__load_from_kernel_by_id(__u32 id);
LIBBPF_API struct btf *btf__load_from_kernel_by_id_split(__u32 id, struct btf *base_btf);

/* BPF_BTF_LOAD of this BTF; the fd is then btf__fd()'s and closed by btf__free(). */
LIBBPF_API int btf__load_into_kernel(struct btf *btf);

/* The id of the first type named so (any kind / this kind), or -ENOENT. */
LIBBPF_API __s32 btf__find_by_name(const struct btf *btf, const char *type_name);
LIBBPF_API __s32 btf__find_by_name_kind(const struct btf *btf, const char *type_name,
					__u32 kind);
/* Types + 1 (ids 1 .. btf__type_cnt() - 1 exist; 0 is void), base included. */
LIBBPF_API __u32 btf__type_cnt(const struct btf *btf);
LIBBPF_API const struct btf *btf__base_btf(const struct btf *btf);
/* Id 0 is a void record (kind 0, size 0); NULL with errno EINVAL past the end. */
LIBBPF_API const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id);
LIBBPF_API size_t btf__pointer_size(const struct btf *btf);
LIBBPF_API int btf__set_pointer_size(struct btf *btf, size_t ptr_sz);
LIBBPF_API enum btf_endianness btf__endianness(const struct btf *btf);
LIBBPF_API int btf__set_endianness(struct btf *btf, enum btf_endianness endian);
LIBBPF_API __s64 btf__resolve_size(const struct btf *btf, __u32 type_id);
/* The id behind typedefs and modifiers. */
LIBBPF_API int btf__resolve_type(const struct btf *btf, __u32 type_id);
LIBBPF_API int btf__align_of(const struct btf *btf, __u32 id);
LIBBPF_API int btf__fd(const struct btf *btf);
LIBBPF_API void btf__set_fd(struct btf *btf, int fd);
/* The BTF as raw bytes (header, types, strings), valid until the BTF changes or is freed. */
LIBBPF_API const void *btf__raw_data(const struct btf *btf, __u32 *size);
LIBBPF_API const char *btf__name_by_offset(const struct btf *btf, __u32 offset);
LIBBPF_API const char *btf__str_by_offset(const struct btf *btf, __u32 offset);

/* The offset of string s (-ENOENT if absent / added). Makes the BTF writable. */
LIBBPF_API int btf__find_str(struct btf *btf, const char *s);
LIBBPF_API int btf__add_str(struct btf *btf, const char *s);

/* ---- BTF dumper: C declarations and typed data ---- */

struct btf_dump;

struct btf_dump_opts {
	size_t sz;
};
#define btf_dump_opts__last_field sz

typedef void (*btf_dump_printf_fn_t)(void *ctx, const char *fmt, va_list args);

/* Output goes to printf_fn(ctx, ...), in pieces. */
LIBBPF_API struct btf_dump *btf_dump__new(const struct btf *btf, btf_dump_printf_fn_t printf_fn,
					  void *ctx, const struct btf_dump_opts *opts);
LIBBPF_API void btf_dump__free(struct btf_dump *d);

/* Type id as C, with every type it needs that this dumper has not printed yet. */
LIBBPF_API int btf_dump__dump_type(struct btf_dump *d, __u32 id);

struct btf_dump_emit_type_decl_opts {
	size_t sz;
	const char *field_name;	/* "x" in "int x[4]"; NULL: none */
	int indent_level;	/* tabs before the lines of inlined anonymous types */
	bool strip_mods;	/* drop const/volatile/restrict */
	size_t :0;
};
#define btf_dump_emit_type_decl_opts__last_field strip_mods

LIBBPF_API int btf_dump__emit_type_decl(struct btf_dump *d, __u32 id,
					const struct btf_dump_emit_type_decl_opts *opts);

struct btf_dump_type_data_opts {
	size_t sz;
	const char *indent_str;	/* NULL: a tab */
	int indent_level;
	bool compact;		/* one line, no indentation */
	bool skip_names;	/* no ".member = " and no "(type)" */
	bool emit_zeroes;	/* also members whose value is zero */
	bool emit_strings;	/* char arrays holding a string as "..." */
	size_t :0;
};
#define btf_dump_type_data_opts__last_field emit_strings

/*
 * The value at data (data_sz bytes) of type id, as
 * "(struct s){.a = (int)1,.b = ...}" (without compact: one member per
 * line). Returns the type's size, or a negative errno: -E2BIG when data_sz
 * is too short for a scalar it reaches.
 */
LIBBPF_API int btf_dump__dump_type_data(struct btf_dump *d, __u32 id, const void *data,
					size_t data_sz, const struct btf_dump_type_data_opts *opts);

/* ---- reading type records (inline, as libbpf's) ---- */

#ifndef BTF_KIND_FUNC
#define BTF_KIND_FUNC		12
#define BTF_KIND_FUNC_PROTO	13
#endif
#ifndef BTF_KIND_VAR
#define BTF_KIND_VAR		14
#define BTF_KIND_DATASEC	15
#endif
#ifndef BTF_KIND_FLOAT
#define BTF_KIND_FLOAT		16
#endif
#ifndef BTF_KIND_DECL_TAG
#define BTF_KIND_DECL_TAG	17
#endif
#ifndef BTF_KIND_TYPE_TAG
#define BTF_KIND_TYPE_TAG	18
#endif
#ifndef BTF_KIND_ENUM64
#define BTF_KIND_ENUM64		19
#endif

static inline __u16 btf_kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

static inline __u16 btf_vlen(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}

static inline bool btf_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info);
}

static inline bool btf_is_void(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_UNKN;
}

static inline bool btf_is_int(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_INT;
}

static inline bool btf_is_ptr(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_PTR;
}

static inline bool btf_is_array(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ARRAY;
}

static inline bool btf_is_struct(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_STRUCT;
}

static inline bool btf_is_union(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_UNION;
}

static inline bool btf_is_composite(const struct btf_type *t)
{
	return btf_is_struct(t) || btf_is_union(t);
}

static inline bool btf_is_enum(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM;
}

static inline bool btf_is_enum64(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM64;
}

static inline bool btf_is_fwd(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FWD;
}

static inline bool btf_is_typedef(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_TYPEDEF;
}

static inline bool btf_is_volatile(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VOLATILE;
}

static inline bool btf_is_const(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_CONST;
}

static inline bool btf_is_restrict(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_RESTRICT;
}

/* const, volatile, restrict or type tag */
static inline bool btf_is_mod(const struct btf_type *t)
{
	__u16 k = btf_kind(t);

	return k == BTF_KIND_VOLATILE || k == BTF_KIND_CONST || k == BTF_KIND_RESTRICT ||
	       k == BTF_KIND_TYPE_TAG;
}

static inline bool btf_is_func(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FUNC;
}

static inline bool btf_is_func_proto(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FUNC_PROTO;
}

static inline bool btf_is_var(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VAR;
}

static inline bool btf_is_datasec(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_DATASEC;
}

static inline bool btf_is_float(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FLOAT;
}

static inline bool btf_is_decl_tag(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_DECL_TAG;
}

static inline bool btf_is_type_tag(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_TYPE_TAG;
}

static inline bool btf_is_any_enum(const struct btf_type *t)
{
	return btf_is_enum(t) || btf_is_enum64(t);
}

/* Same kind, or both enums of either width (CO-RE treats them alike). */
static inline bool btf_kind_core_compat(const struct btf_type *t1, const struct btf_type *t2)
{
	return btf_kind(t1) == btf_kind(t2) || (btf_is_any_enum(t1) && btf_is_any_enum(t2));
}

/* INT: the encoding word after the record (BTF_INT_SIGNED, _CHAR, _BOOL). */
static inline __u8 btf_int_encoding(const struct btf_type *t)
{
	return BTF_INT_ENCODING(*(const __u32 *)(t + 1));
}

static inline __u8 btf_int_offset(const struct btf_type *t)
{
	return BTF_INT_OFFSET(*(const __u32 *)(t + 1));
}

static inline __u8 btf_int_bits(const struct btf_type *t)
{
	return BTF_INT_BITS(*(const __u32 *)(t + 1));
}

static inline struct btf_array *btf_array(const struct btf_type *t)
{
	return (struct btf_array *)(t + 1);
}

static inline struct btf_enum *btf_enum(const struct btf_type *t)
{
	return (struct btf_enum *)(t + 1);
}

static inline struct btf_enum64 *btf_enum64(const struct btf_type *t)
{
	return (struct btf_enum64 *)(t + 1);
}

/* The 64-bit value of an ENUM64 enumerator. */
static inline __u64 btf_enum64_value(const struct btf_enum64 *e)
{
	return ((__u64)e->val_hi32 << 32) | e->val_lo32;
}

static inline struct btf_member *btf_members(const struct btf_type *t)
{
	return (struct btf_member *)(t + 1);
}

/* Bit offset of member member_idx of a struct/union (kind_flag aware). */
static inline __u32 btf_member_bit_offset(const struct btf_type *t, __u32 member_idx)
{
	const struct btf_member *m = btf_members(t) + member_idx;

	return btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

/* Bitfield size of member member_idx; 0 if it is not a bitfield. */
static inline __u32 btf_member_bitfield_size(const struct btf_type *t, __u32 member_idx)
{
	const struct btf_member *m = btf_members(t) + member_idx;

	return btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

static inline struct btf_param *btf_params(const struct btf_type *t)
{
	return (struct btf_param *)(t + 1);
}

static inline struct btf_var *btf_var(const struct btf_type *t)
{
	return (struct btf_var *)(t + 1);
}

static inline struct btf_var_secinfo *btf_var_secinfos(const struct btf_type *t)
{
	return (struct btf_var_secinfo *)(t + 1);
}

static inline struct btf_decl_tag *btf_decl_tag(const struct btf_type *t)
{
	return (struct btf_decl_tag *)(t + 1);
}

#ifdef __cplusplus
}
#endif

#endif
