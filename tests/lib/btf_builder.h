/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test helper: builds raw BTF and .BTF.ext blobs, well-formed or not.
 * Records are kept as host-order u32 words; bb_btf_raw() emits them in
 * either byte order. Allocation failures abort (tests only).
 *
 * Trailing arrays (members, enum values, params, secinfos) are appended to
 * the most recently added type, and its vlen is bumped.
 */
#ifndef BB_BTF_BUILDER_H
#define BB_BTF_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

struct bb_btf {
	uint32_t *words;	/* type section, host order */
	size_t word_cnt, word_cap;
	char *strs;
	size_t str_len, str_cap;
	uint32_t str_base;	/* split BTF: base->str_len */
	uint32_t first_id;	/* 1, or the base's type count */
	uint32_t next_id;	/* id of the next type added */
	size_t last;		/* word index of the last type, for trailing arrays */
};

/* Base BTF: ids from 1, strings start with "". */
void bb_btf_init(struct bb_btf *b);
/* Split BTF on a base with base_type_cnt ids and base_str_len string bytes. */
void bb_btf_init_split(struct bb_btf *b, uint32_t base_type_cnt, uint32_t base_str_len);
void bb_btf_free(struct bb_btf *b);

/* Appends s (NULL or "": returns 0) and returns its offset. */
uint32_t bb_btf_str(struct bb_btf *b, const char *s);

/* Each add returns the new type's id. name may be NULL for anonymous. */
uint32_t bb_btf_add_raw(struct bb_btf *b, uint32_t name_off, uint32_t info, uint32_t size_type,
			const uint32_t *extra, size_t extra_cnt);
uint32_t bb_btf_add_int(struct bb_btf *b, const char *name, uint32_t size, uint32_t encoding,
			uint32_t bits);
uint32_t bb_btf_add_ptr(struct bb_btf *b, uint32_t type);
uint32_t bb_btf_add_array(struct bb_btf *b, uint32_t elem, uint32_t index, uint32_t nelems);
uint32_t bb_btf_add_struct(struct bb_btf *b, const char *name, uint32_t size, bool kflag);
uint32_t bb_btf_add_union(struct bb_btf *b, const char *name, uint32_t size, bool kflag);
/* offset is the raw btf_member offset: a bit offset, or with kflag BTF_MEMBER_OFFSET-style. */
void bb_btf_add_member(struct bb_btf *b, const char *name, uint32_t type, uint32_t offset);
uint32_t bb_btf_add_enum(struct bb_btf *b, const char *name, uint32_t size, bool is_signed);
void bb_btf_add_enum_val(struct bb_btf *b, const char *name, int32_t val);
uint32_t bb_btf_add_enum64(struct bb_btf *b, const char *name, uint32_t size, bool is_signed);
void bb_btf_add_enum64_val(struct bb_btf *b, const char *name, uint64_t val);
uint32_t bb_btf_add_fwd(struct bb_btf *b, const char *name, bool is_union);
uint32_t bb_btf_add_typedef(struct bb_btf *b, const char *name, uint32_t type);
uint32_t bb_btf_add_volatile(struct bb_btf *b, uint32_t type);
uint32_t bb_btf_add_const(struct bb_btf *b, uint32_t type);
uint32_t bb_btf_add_restrict(struct bb_btf *b, uint32_t type);
uint32_t bb_btf_add_type_tag(struct bb_btf *b, const char *name, uint32_t type);
uint32_t bb_btf_add_func(struct bb_btf *b, const char *name, uint32_t proto, uint32_t linkage);
uint32_t bb_btf_add_func_proto(struct bb_btf *b, uint32_t ret);
void bb_btf_add_param(struct bb_btf *b, const char *name, uint32_t type);
uint32_t bb_btf_add_var(struct bb_btf *b, const char *name, uint32_t type, uint32_t linkage);
uint32_t bb_btf_add_datasec(struct bb_btf *b, const char *name, uint32_t size);
void bb_btf_add_secinfo(struct bb_btf *b, uint32_t type, uint32_t off, uint32_t size);
uint32_t bb_btf_add_float(struct bb_btf *b, const char *name, uint32_t size);
uint32_t bb_btf_add_decl_tag(struct bb_btf *b, const char *name, uint32_t type,
			     int32_t component_idx);

/* Word i of the type section (host order), to corrupt a record in place. */
uint32_t *bb_btf_word(struct bb_btf *b, size_t i);
/* Word index where type id starts. */
size_t bb_btf_type_word(const struct bb_btf *b, uint32_t id);

/*
 * Raw BTF: 24-byte header, types, strings; in the foreign byte order if
 * swap. malloc'd; *len receives the size.
 */
uint8_t *bb_btf_raw(const struct bb_btf *b, bool swap, uint32_t *len);

/* Read/write a u32 in a blob in its byte order (for corrupting headers). */
void bb_put_u32(uint8_t *p, uint32_t v, bool swap);
uint32_t bb_get_u32(const uint8_t *p, bool swap);

/* ---- .BTF.ext ---- */

enum bb_ext_kind { BB_EXT_FUNC, BB_EXT_LINE, BB_EXT_CORE, BB_EXT_KIND_CNT };

struct bb_ext_block {
	uint32_t *words;	/* rec_size, then {sec_name_off, num_info, recs} */
	size_t word_cnt, word_cap;
	size_t num_word;	/* word index of the current section's num_info */
};

struct bb_btf_ext {
	struct bb_ext_block blk[BB_EXT_KIND_CNT];
	uint32_t hdr_len;	/* 32 by default; 24 drops core_relo */
};

/* rec_size 0: the minimum (8/16/16); larger sizes pad records with zeros. */
void bb_ext_init(struct bb_btf_ext *e, uint32_t func_rec, uint32_t line_rec, uint32_t core_rec);
void bb_ext_free(struct bb_btf_ext *e);
/* Starts a section block in kind's info. */
void bb_ext_sec(struct bb_btf_ext *e, enum bb_ext_kind kind, uint32_t sec_name_off);
void bb_ext_func(struct bb_btf_ext *e, uint32_t insn_off, uint32_t type_id);
void bb_ext_line(struct bb_btf_ext *e, uint32_t insn_off, uint32_t file_off, uint32_t line_off,
		 uint32_t line_col);
void bb_ext_core(struct bb_btf_ext *e, uint32_t insn_off, uint32_t type_id,
		 uint32_t access_str_off, uint32_t kind);
/* Header, then func, line, core blocks back to back. malloc'd. */
uint8_t *bb_ext_raw(const struct bb_btf_ext *e, bool swap, uint32_t *len);

#endif
