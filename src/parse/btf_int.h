/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by btf.c and btf_index.c. Not an API. */
#ifndef BBPF_BTF_INT_H
#define BBPF_BTF_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "btf.h"

#define BTF_MIN_REC_LEN	((uint32_t)sizeof(struct btf_type))

/*
 * Record length by kind (the 5 bits of BTF_INFO_KIND): the bytes of the
 * record without its vlen entries, and the bytes per vlen entry. An unknown
 * kind's base is UINT32_MAX, so that a record of it reaches past any type
 * section (walks test only that) and bbpf_btf_info_rec_len() says 0.
 * Tables rather than a switch: walks run this once per record, 126,000
 * times for vmlinux.
 */
#define REC_UNKNOWN	UINT32_MAX
_Static_assert(BTF_KIND_ENUM64 == 19, "update the tables for new kinds");
static const uint32_t bbpf_btf_rec_base[32] = {
	REC_UNKNOWN,
	[BTF_KIND_INT] = 12 + sizeof(uint32_t),
	[BTF_KIND_PTR] = 12,
	[BTF_KIND_ARRAY] = 12 + sizeof(struct btf_array),
	[BTF_KIND_STRUCT] = 12,
	[BTF_KIND_UNION] = 12,
	[BTF_KIND_ENUM] = 12,
	[BTF_KIND_FWD] = 12,
	[BTF_KIND_TYPEDEF] = 12,
	[BTF_KIND_VOLATILE] = 12,
	[BTF_KIND_CONST] = 12,
	[BTF_KIND_RESTRICT] = 12,
	[BTF_KIND_FUNC] = 12,
	[BTF_KIND_FUNC_PROTO] = 12,
	[BTF_KIND_VAR] = 12 + sizeof(struct btf_var),
	[BTF_KIND_DATASEC] = 12,
	[BTF_KIND_FLOAT] = 12,
	[BTF_KIND_DECL_TAG] = 12 + sizeof(struct btf_decl_tag),
	[BTF_KIND_TYPE_TAG] = 12,
	[BTF_KIND_ENUM64] = 12,
	/* Kinds 20 to 31 do not exist (yet). */
	[20] = REC_UNKNOWN, [21] = REC_UNKNOWN, [22] = REC_UNKNOWN, [23] = REC_UNKNOWN,
	[24] = REC_UNKNOWN, [25] = REC_UNKNOWN, [26] = REC_UNKNOWN, [27] = REC_UNKNOWN,
	[28] = REC_UNKNOWN, [29] = REC_UNKNOWN, [30] = REC_UNKNOWN, [31] = REC_UNKNOWN,
};

static const uint8_t bbpf_btf_rec_per_vlen[32] = {
	[BTF_KIND_STRUCT] = sizeof(struct btf_member),
	[BTF_KIND_UNION] = sizeof(struct btf_member),
	[BTF_KIND_ENUM] = sizeof(struct btf_enum),
	[BTF_KIND_FUNC_PROTO] = sizeof(struct btf_param),
	[BTF_KIND_DATASEC] = sizeof(struct btf_var_secinfo),
	[BTF_KIND_ENUM64] = sizeof(struct btf_enum64),
};

/* Bytes of the record with this info word; 0 for an unknown kind. < 1 MiB. */
static inline uint32_t bbpf_btf_info_rec_len(uint32_t info)
{
	uint32_t kind = BTF_INFO_KIND(info);

	if (bbpf_btf_rec_base[kind] == REC_UNKNOWN)
		return 0;
	return bbpf_btf_rec_base[kind] + BTF_INFO_VLEN(info) * bbpf_btf_rec_per_vlen[kind];
}

/*
 * The length of the record at off if it lies whole inside types, else 0.
 * off must be at most types_len. One comparison covers both an unknown
 * kind (length 0) and a record past the end.
 */
static inline uint32_t bbpf_btf_rec_at(const uint8_t *types, uint32_t types_len, uint32_t off)
{
	uint32_t len;

	if (types_len - off < BTF_MIN_REC_LEN)
		return 0;
	len = bbpf_btf_info_rec_len(((const struct btf_type *)(types + off))->info);
	return len - 1 < types_len - off ? len : 0;
}

/* State of the sparse index; reached through a const struct bbpf_btf. */
struct bbpf_btf_sparse {
	bool walked;		/* the walk ran (err says how it ended) */
	int err;		/* 0 or -EBADMSG */
	enum bbpf_bad why;	/* for err: what, where (input offset) and which id */
	uint64_t bad_off;
	uint32_t bad_id;
	uint64_t file_off;	/* of the type section in the input */
	uint32_t cnt;		/* own records, once walked without error */
	uint32_t max_cnt;	/* bound on cnt: BBPF_MAX_BTF_TYPES and types_len */
	uint32_t *ckpt;		/* [i]: offset of own index i * BBPF_BTF_CKPT */
};

/* A sparse, not yet walked index for b (types, types_len, start_id set). */
int bbpf_btf_sparse_init(struct bbpf_btf *b, uint64_t file_off);
/* The record of own index idx, NULL if invalid; walks first if needed. */
const struct btf_type *bbpf_btf_sparse_type(const struct bbpf_btf *b, uint32_t idx);
/* Walk if needed: 0 or -EBADMSG. */
int bbpf_btf_sparse_walk(const struct bbpf_btf *b);

#endif
