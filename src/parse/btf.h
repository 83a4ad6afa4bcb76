/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF reader. bbpf_btf_parse() checks the header, the string section (last
 * byte NUL) and every type record structurally, then validates every type id
 * and name offset once. After that, accessors only compare ids with the
 * count. Type records are served in host byte order and 4-byte aligned: the
 * input is used in place when it already is, otherwise it is copied (and
 * swapped) into the arena.
 *
 * Split BTF (modules) sits on a base: ids below base->type_cnt and string
 * offsets below base->str_len refer to the base.
 *
 * Two id -> record indexes: dense (type_offs[], every id; object BTF and
 * untrusted files) and sparse (trusted kernel BTF: one checkpoint every
 * BBPF_BTF_CKPT ids, 16 KB for vmlinux instead of 500 KB; a lookup walks at
 * most BBPF_BTF_CKPT - 1 record lengths from its checkpoint, bounds-checked
 * at every step). The sparse index is built by the first walk over the
 * records, which bbpf_btf_visit() can share with a search.
 */
#ifndef BBPF_BTF_H
#define BBPF_BTF_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/btf.h>
#include "../base/arena.h"
#include "../base/diag.h"

/* Sparse index: one checkpoint every BBPF_BTF_CKPT ids (a power of two). */
#define BBPF_BTF_CKPT	32u

struct bbpf_btf_sparse;

struct bbpf_btf {
	const struct bbpf_btf *base;	/* NULL unless split BTF */
	bool swap;			/* input byte order differs from the host */
	uint32_t start_id;		/* first id of this BTF: 1, or base->type_cnt */
	uint32_t type_cnt;		/* ids [0, type_cnt) are valid; 0 is void */
	uint32_t start_str_off;		/* 0, or base->str_len */
	uint32_t str_len;		/* start_str_off + own string bytes */
	const char *strs;		/* own string section */
	const uint8_t *types;		/* own type section, host order, aligned */
	uint32_t types_len;
	uint32_t *type_offs;		/* dense: [id - start_id] -> offset in types */
	struct bbpf_btf_sparse *sparse;	/* sparse: checkpoints, walk state (btf_index.c) */
	/* Lazily built name index (see bbpf_btf_find_by_name_kind). */
	uint32_t *name_hash;
	uint32_t name_hash_cnt;
	uint32_t first_datasec;		/* lowest DATASEC id, once a lookup met it; else 0 */
	struct bbpf_arena *arena;
};

/*
 * Parse BTF from data (the .BTF section or /sys/kernel/btf/vmlinux).
 * swap: data is in the foreign byte order (from the ELF header; a raw BTF
 * file is detected by its magic instead, see bbpf_btf_parse_raw).
 * base: NULL, or the base BTF for split BTF.
 * Limits: BBPF_MAX_BTF_TYPES, BBPF_MAX_BTF_STR_LEN, BBPF_MAX_BTF_VLEN.
 */
int bbpf_btf_parse(struct bbpf_btf *btf, const void *data, uint32_t len, bool swap,
		   const struct bbpf_btf *base, struct bbpf_arena *arena,
		   struct bbpf_diag *diag);
/* As above, byte order from the magic (0xeB9F either way). */
int bbpf_btf_parse_raw(struct bbpf_btf *btf, const void *data, uint32_t len,
		       const struct bbpf_btf *base, struct bbpf_arena *arena,
		       struct bbpf_diag *diag);

/*
 * Trusted BTF: the running kernel's own (/sys/kernel/btf/vmlinux and its
 * modules), which the kernel checked when it was built. Byte order from the
 * magic, as bbpf_btf_parse_raw(). Only the structural pass runs:
 *   checked: the header and section spans, the string section ends in NUL
 *            (and a base's starts with it), every record's kind is known and
 *            the record with its trailing array (vlen entries) lies inside
 *            the type section, BBPF_MAX_BTF_TYPES and BBPF_MAX_BTF_STR_LEN;
 *   skipped: phase 2, i.e. the type ids and name offsets inside records and
 *            the per-kind rules (INT sizes, member offsets, FUNC ->
 *            FUNC_PROTO, DATASEC entries, reserved bits, ...).
 * What a caller can still rely on: bbpf_btf_type() is NULL or a whole
 * record (trailing array included) inside the buffer, bbpf_btf_str() is NULL
 * or a NUL-terminated string inside the string section. A garbled trusted
 * BTF therefore yields wrong answers or errors, never an out-of-bounds
 * read, as long as callers check those NULLs (the name index, the candidate
 * search and the CO-RE engine do). What it does not give: a member, array
 * element or pointee id that resolves, or a name that is set.
 */
int bbpf_btf_parse_trusted(struct bbpf_btf *btf, const void *data, uint32_t len,
			   const struct bbpf_btf *base, struct bbpf_arena *arena,
			   struct bbpf_diag *diag);
/*
 * As bbpf_btf_parse_trusted(), with the structural walk deferred: only the
 * header, the section spans and the string section are checked here. The
 * walk runs once, on first need (bbpf_btf_type(), bbpf_btf_visit(),
 * bbpf_btf_index(), bbpf_btf_complete(), a split BTF parsed on it), builds
 * the sparse index and stops at the first structural error, after which
 * the BTF has no types (bbpf_btf_type() NULL, walks -EBADMSG).
 * Until bbpf_btf_complete() has run, type_cnt is only an upper bound
 * (start_id + types_len / 12): ids below it may still be invalid.
 * Byte-swapped input is walked at once (its copy is swapped record by record).
 */
int bbpf_btf_parse_lazy(struct bbpf_btf *btf, const void *data, uint32_t len,
			const struct bbpf_btf *base, struct bbpf_arena *arena,
			struct bbpf_diag *diag);
/*
 * Run the deferred walk if it has not run, and set type_cnt exactly.
 * 0, or -EBADMSG with diag set (also when an earlier walk failed). A no-op
 * for BTF parsed otherwise.
 */
int bbpf_btf_complete(struct bbpf_btf *btf, struct bbpf_diag *diag);
/* Exact type count (walking a lazy BTF if needed); 0 if its walk failed. */
uint32_t bbpf_btf_type_cnt(const struct bbpf_btf *btf);

/*
 * Records a walk reports: kind in kinds (bit 1 << kind), named, and the
 * name's first two bytes in pair[] (see bbpf_btf_filter_add_name()).
 */
#define BBPF_BTF_PAIR_BITS	1024u
struct bbpf_btf_filter {
	uint32_t kinds;
	uint32_t pair[BBPF_BTF_PAIR_BITS / 32];
};

/* Let names starting with name[0..len) through (len >= 1; see btf_index.c). */
void bbpf_btf_filter_add_name(struct bbpf_btf_filter *f, const char *name, uint32_t len);
/* Every named record of these kinds. */
void bbpf_btf_filter_all(struct bbpf_btf_filter *f, uint32_t kinds);

/*
 * Called per reported record; a non-zero return stops the walk and is
 * returned, except BBPF_BTF_VISIT_REFILTER: fn changed the walk's filter
 * (the object f points to, which the caller owns), and the walk goes on
 * with it. During the first walk of a lazy BTF, a bbpf_btf_type() call from
 * fn runs a whole walk of its own first (correct, but the cost of the fusion).
 */
#define BBPF_BTF_VISIT_REFILTER	0x7ffffffe
typedef int (*bbpf_btf_visit_fn)(void *ctx, uint32_t id, const struct btf_type *t,
				 const char *name);
/*
 * Call fn for every record of btf's own ids [start, type_cnt) (start below
 * start_id means start_id) that passes f, in id order, walking by offset
 * rather than by id. On a lazy BTF whose walk has not run, this is that
 * walk (one pass both indexes and searches). 0, fn's value, or -EBADMSG.
 */
int bbpf_btf_visit(const struct bbpf_btf *btf, uint32_t start, const struct bbpf_btf_filter *f,
		   bbpf_btf_visit_fn fn, void *ctx);

/* NULL for id >= type_cnt or id 0 (void has no record). */
const struct btf_type *bbpf_btf_type(const struct bbpf_btf *btf, uint32_t id);
/* NULL for an offset outside the strings; "" for 0. */
const char *bbpf_btf_str(const struct bbpf_btf *btf, uint32_t off);
/* Name of a type ("" if anonymous or void). */
const char *bbpf_btf_name(const struct bbpf_btf *btf, uint32_t id);

static inline uint32_t bbpf_btf_kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

static inline uint32_t bbpf_btf_vlen(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}

static inline bool bbpf_btf_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info);
}

/* Member/param/enum arrays trailing a record (kind must match). */
static inline const struct btf_member *bbpf_btf_members(const struct btf_type *t)
{
	return (const struct btf_member *)(t + 1);
}

static inline const struct btf_param *bbpf_btf_params(const struct btf_type *t)
{
	return (const struct btf_param *)(t + 1);
}

static inline const struct btf_enum *bbpf_btf_enums(const struct btf_type *t)
{
	return (const struct btf_enum *)(t + 1);
}

static inline const struct btf_enum64 *bbpf_btf_enums64(const struct btf_type *t)
{
	return (const struct btf_enum64 *)(t + 1);
}

static inline const struct btf_var_secinfo *bbpf_btf_secinfos(const struct btf_type *t)
{
	return (const struct btf_var_secinfo *)(t + 1);
}

static inline const struct btf_array *bbpf_btf_array(const struct btf_type *t)
{
	return (const struct btf_array *)(t + 1);
}

static inline const struct btf_var *bbpf_btf_var(const struct btf_type *t)
{
	return (const struct btf_var *)(t + 1);
}

/* Member bit offset/bitfield size, honouring kind_flag. */
static inline uint32_t bbpf_btf_member_bit_off(const struct btf_type *t, const struct btf_member *m)
{
	return bbpf_btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

static inline uint32_t bbpf_btf_member_bitfield_size(const struct btf_type *t,
						     const struct btf_member *m)
{
	return bbpf_btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

/*
 * First type with this name and kind (kind 0: any kind), searching the base
 * first. Returns the id, or 0 if none. The first call builds a hash index of
 * named types in the arena; -ENOMEM is reported as "not found" plus a failed
 * index build that the next call retries.
 */
uint32_t bbpf_btf_find_by_name_kind(struct bbpf_btf *btf, const char *name, uint32_t kind);
/*
 * Build the name index now (no-op if built): 0 or -ENOMEM. Callers that must
 * tell "absent" from "out of memory" build it first, then look up.
 */
int bbpf_btf_index(struct bbpf_btf *btf);

/*
 * Many names looked up in one walk over btf's own ids [start, type_cnt)
 * (start below start_id means start_id), without a name index: for the
 * kernel's BTF, where an index would cost a hash of every name and 0.5 MB
 * for a handful of lookups. Each query with id 0 and a non-empty name gets
 * the lowest own id of that name and kind (kind 0: any kind), or stays 0;
 * queries with an id already set are left alone. The walk stops once every
 * query is answered. On a lazy BTF whose walk has not run, this is that walk.
 * scratch holds a small table (2 slots per query). 0, -ENOMEM, -EBADMSG.
 */
struct bbpf_btf_query {
	const char *name;
	uint32_t kind;
	uint32_t id;
};
int bbpf_btf_find_batch(const struct bbpf_btf *btf, uint32_t start, struct bbpf_btf_query *q,
			uint32_t n, struct bbpf_arena *scratch);

/* Follow TYPEDEF/VOLATILE/CONST/RESTRICT/TYPE_TAG; bounded by BBPF_MAX_DEPTH. 0 on loop. */
uint32_t bbpf_btf_skip_mods(const struct bbpf_btf *btf, uint32_t id);
/* Also skips TYPEDEF (same as skip_mods; kept for readability at call sites). */
uint32_t bbpf_btf_resolve(const struct bbpf_btf *btf, uint32_t id);

/*
 * Size in bytes of a type (INT, ENUM, STRUCT, ..., ARRAY: elem * nelems,
 * PTR: 8), following modifiers. -EINVAL for sizeless kinds, -E2BIG on
 * overflow, -ELOOP past the depth bound.
 */
int64_t bbpf_btf_resolve_size(const struct bbpf_btf *btf, uint32_t id);

/* Bytes taken by a type record of this kind/vlen, 0 for an unknown kind. */
uint32_t bbpf_btf_type_rec_len(const struct btf_type *t);

#endif
