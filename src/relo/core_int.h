/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the CO-RE files (core_*.c). Not an API. */
#ifndef BBPF_CORE_INT_H
#define BBPF_CORE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "core.h"

/*
 * libbpf's btf__type_by_id(btf, 0) is a kind-0 "void" record, not NULL, and
 * the matching rules depend on it (void * is compatible with void *).
 */
const struct btf_type *bbpf_core_type(const struct bbpf_btf *btf, uint32_t id);
/*
 * Skip modifiers and typedefs; *out_id (optional) receives the id reached.
 * NULL for an invalid id or a chain longer than BBPF_MAX_DEPTH.
 */
const struct btf_type *bbpf_core_skip(const struct bbpf_btf *btf, uint32_t id, uint32_t *out_id);
/* Name at off, "" if the offset is invalid (libbpf: NULL, then str_is_empty). */
const char *bbpf_core_str(const struct bbpf_btf *btf, uint32_t off);
const char *bbpf_core_kind_str(const struct btf_type *t);
/* libbpf's btf__resolve_size: -EINVAL, -E2BIG (above UINT32_MAX). */
int64_t bbpf_core_resolve_size(const struct bbpf_btf *btf, uint32_t id);

static inline bool core_is_composite(const struct btf_type *t)
{
	uint32_t k = bbpf_btf_kind(t);

	return k == BTF_KIND_STRUCT || k == BTF_KIND_UNION;
}

static inline bool core_is_any_enum(const struct btf_type *t)
{
	uint32_t k = bbpf_btf_kind(t);

	return k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64;
}

/* libbpf's btf_kind_core_compat(): same kind, or ENUM vs ENUM64. */
static inline bool core_kind_compat(const struct btf_type *a, const struct btf_type *b)
{
	return bbpf_btf_kind(a) == bbpf_btf_kind(b) || (core_is_any_enum(a) && core_is_any_enum(b));
}

static inline uint32_t core_int_data(const struct btf_type *t)
{
	return *(const uint32_t *)(t + 1);
}

static inline bool core_is_field_based(uint32_t kind)
{
	return kind <= BPF_CORE_FIELD_RSHIFT_U64;
}

static inline bool core_is_type_based(uint32_t kind)
{
	return kind == BPF_CORE_TYPE_ID_LOCAL || kind == BPF_CORE_TYPE_ID_TARGET ||
	       kind == BPF_CORE_TYPE_EXISTS || kind == BPF_CORE_TYPE_SIZE ||
	       kind == BPF_CORE_TYPE_MATCHES;
}

static inline bool core_is_enumval_based(uint32_t kind)
{
	return kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_ENUMVAL_VALUE;
}

/* Name of enumerator i of an ENUM or ENUM64. */
static inline uint32_t core_enum_name_off(const struct btf_type *t, uint32_t i)
{
	return bbpf_btf_kind(t) == BTF_KIND_ENUM ? bbpf_btf_enums(t)[i].name_off
						 : bbpf_btf_enums64(t)[i].name_off;
}

/* Value of enumerator i of an ENUM (sign-extended, as libbpf) or ENUM64. */
uint64_t bbpf_core_enum_val(const struct btf_type *t, uint32_t i);

/* bbpf_log(log, level, "prog '%s': relo #%d: " fmt, prog_name, relo_idx, ...): libbpf's prefix. */
void bbpf_core_log(const struct bbpf_log *log, enum bbpf_log_level level, const char *prog_name,
		   int relo_idx, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A relocation record (index relo_idx) that makes no sense: -EBADMSG, recorded in diag. */
static inline int bbpf_core_bad_relo(struct bbpf_diag *diag, int relo_idx)
{
	return bbpf_diag_fail(diag, BBPF_BAD_OBJ_RELO, 0, 0, (uint32_t)relo_idx);
}

#endif
