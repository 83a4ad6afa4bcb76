/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BTF an object hands to BPF_BTF_LOAD, built from its parsed .BTF as
 * libbpf 1.1 builds it (open-time edits, then load-time sanitization of a
 * copy):
 *   1. .ksyms: a VAR "dummy_ksym" (int) is appended when the DATASEC holds
 *      a kfunc; kfunc FUNCs become global (the kernel refuses extern
 *      linkage), their unnamed parameters take the name "dummy_ksym", and
 *      their DATASEC entries point at that VAR; extern VARs become allocated
 *      ints. Entries are 4 bytes each, at 0, 4, 8, ...
 *   2. .kconfig: VARs allocated, at their offsets in the .kconfig map.
 *   3. Every other DATASEC with size 0 gets its ELF section's size, and its
 *      global VARs their symbol's value; global VARs with hidden or internal
 *      visibility become static. Every DATASEC's entries are sorted by
 *      offset.
 *   4. Global subprograms with hidden or internal visibility: FUNC static.
 *   5. Kinds the kernel lacks are replaced (see struct bbpf_btf_kinds).
 * Type ids are kept: an id in the object's BTF means the same type in the
 * blob. Appended types (dummy_ksym, enum64_placeholder) come after them.
 * Pure: no syscalls.
 */
#ifndef BBPF_BTF_FIXUP_H
#define BBPF_BTF_FIXUP_H

#include <stdbool.h>
#include <stdint.h>
#include "../base/arena.h"

struct bbpf_object;

/* BTF kinds the target kernel accepts; false = replace them (libbpf's rules). */
struct bbpf_btf_kinds {
	bool func;		/* FUNC -> TYPEDEF, FUNC_PROTO -> ENUM (4 bytes) */
	bool global_func;	/* global FUNC -> static FUNC */
	bool datasec;		/* VAR -> INT (1 byte), DATASEC -> STRUCT, '.' -> '_' in its name */
	bool float_kind;	/* FLOAT -> anonymous STRUCT of the same size */
	bool decl_tag;		/* DECL_TAG -> INT (1 byte) */
	bool type_tag;		/* TYPE_TAG -> anonymous CONST */
	bool enum64;		/* ENUM64 -> UNION of 1-byte INT members; ENUM loses its kflag */
};

/* Everything accepted: no replacement. */
extern const struct bbpf_btf_kinds bbpf_btf_kinds_all;

struct bbpf_btf_blob {
	void *data;		/* btf_header (24 bytes), types, strings; host byte order */
	uint32_t len;
	uint32_t type_cnt;	/* ids [0, type_cnt) */
	uint32_t added;		/* of which appended: the last `added` ids */
};

/* True if some kind would be replaced. */
bool bbpf_btf_kinds_lacking(const struct bbpf_btf_kinds *kinds);

/*
 * Build the blob in arena. The object must have BTF. Errors, as libbpf's:
 * -ENOENT (a DATASEC whose section is missing or empty, a global VAR
 * without symbol), -EINVAL (a non-VAR in a DATASEC), -ESRCH (a .ksyms or
 * .kconfig entry that is not an extern), -ENOMEM. Reasons go to the
 * object's log.
 */
int bbpf_btf_fixup(const struct bbpf_object *obj, const struct bbpf_btf_kinds *kinds,
		   struct bbpf_arena *arena, struct bbpf_btf_blob *out);

#endif
