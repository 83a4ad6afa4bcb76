/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals shared by the C dumper's files: dump_c.c (state, output, type
 * order, top-level emission), dump_c_decl.c (declarations: type chains,
 * struct/union and enum bodies, padding), dump_c_names.c (___N names),
 * dump_c_layout.c (sizes, alignment). See dump_c.h for what it produces.
 */
#ifndef BBPF_DUMP_C_INT_H
#define BBPF_DUMP_C_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "dump_c.h"
#include "dump_json.h"

/* Per-type state bits (st[]). */
#define ST_ORD_MASK	0x03u	/* ordering: ORD_* */
#define ST_EMIT_MASK	0x0cu	/* emission: EMIT_* << 2 */
#define ST_FWD_DONE	0x10u	/* forward declaration (or typedef) already printed */
#define ST_REFERENCED	0x20u	/* some type refers to this one */
#define ST_ALIGN_BUSY	0x80u	/* struct alignment being computed */

enum { ORD_NONE = 0, ORD_BUSY = 1, ORD_DONE = 2 };
enum { EMIT_NONE = 0, EMIT_BUSY = 1, EMIT_DONE = 2 };

/* Name -> occurrence count, open addressing, keys are BTF string pointers. */
struct bbpf_dump_c_names {
	const char **key;
	uint32_t *cnt;
	uint32_t cap;		/* a power of two, or 0 */
	uint32_t used;
};

/* One frame of the explicit walk stacks (ordering, emission, alignment). */
struct bbpf_dump_c_frame {
	uint32_t id;
	uint32_t cont;		/* emission: containing type; ordering: through a pointer */
	uint32_t i;		/* next member / parameter */
	int32_t acc;		/* ordering: strong link seen; alignment: max so far;
				   emission: a top-level definition */
	uint32_t saved_pos;	/* path_pos[id] before this frame */
	uint32_t nstate;	/* struct/union (/typedef) frames at or below this one */
	uint8_t phase;		/* 0: entering, 1: walking its children */
};

struct bbpf_dump_c {
	const struct bbpf_btf *btf;
	struct bbpf_arena *arena;
	uint32_t cnt;			/* ids [0, cnt); 0 is void */
	const struct btf_type **types;	/* [cnt]; types[0] == NULL */
	uint8_t *st;			/* [cnt] ST_* bits */
	uint32_t *dup;			/* [cnt] occurrence number of the name, 0: unresolved */
	uint8_t *align;			/* [cnt] struct alignment cache: 0 unknown, 0xff error */
	uint32_t *path_pos;		/* [cnt] stack index on the walk's path, or ~0 */
	uint32_t ptr_sz;		/* 4 or 8, guessed from "long" as libbpf does */
	struct bbpf_dump_c_names type_names;	/* struct/union/enum/fwd/int tags */
	struct bbpf_dump_c_names ident_names;	/* typedefs and enumerators */
	uint32_t *queue;		/* [cnt] types to emit, in order */
	uint32_t qcnt;
	struct bbpf_dump_c_frame *stk;	/* ordering and emission */
	uint32_t stk_cap;
	struct bbpf_dump_c_frame *astk;	/* alignment (runs while emission is on stk) */
	uint32_t astk_cap;
	uint32_t *decl;			/* declaration chains, one view per nesting level */
	uint32_t decl_cnt;
	uint32_t nest;			/* declaration nesting depth */
	bool strip_mods;		/* drop const/volatile/restrict/type tags in decls */
	bool skip_anon;			/* anonymous struct/union/enum as a bare tag (casts) */
	bool enum_size_attr;		/* opts.enum_size_attr */
	uint64_t work, work_max;	/* walk steps, against runaway shared subgraphs */
	int err;			/* sticky: first error */
	uint32_t err_id;
	/* buffered output, capped (out.cap) against runaway output */
	struct bbpf_dump_json out;
};

/* libbpf formats "name___N" into a buffer of this size. */
#define BBPF_DUMP_C_NAME_LEN	256u

/* Declaration chains longer than this (ids pushed by one level) fail with -ELOOP. */
#define BBPF_DUMP_C_MAX_CHAIN	4096u

/* ---- dump_c.c ---- */

/* Output: append bytes; they reach the writer in chunks (or at flush). */
void bbpf_dump_c_put(struct bbpf_dump_c *d, const char *s, size_t len);
void bbpf_dump_c_puts(struct bbpf_dump_c *d, const char *s);
void bbpf_dump_c_putc(struct bbpf_dump_c *d, char c);
void bbpf_dump_c_put_u64(struct bbpf_dump_c *d, uint64_t v);
void bbpf_dump_c_put_i64(struct bbpf_dump_c *d, int64_t v);
/* A new line indented by "\t" x lvl, at most 13 tabs (libbpf's indentation cap). */
void bbpf_dump_c_newline(struct bbpf_dump_c *d, uint32_t lvl);
/* First error wins; returns err. */
int bbpf_dump_c_fail(struct bbpf_dump_c *d, int err, uint32_t id);

/* Type record (NULL for void). */
static inline const struct btf_type *bbpf_dump_c_t(const struct bbpf_dump_c *d, uint32_t id)
{
	return id < d->cnt ? d->types[id] : NULL;
}

/* A BTF string ("" for none or out of range). */
const char *bbpf_dump_c_str(const struct bbpf_dump_c *d, uint32_t off);

/* Double a walk stack (in the arena); 0 or the dumper's error. */
int bbpf_dump_c_grow_stack(struct bbpf_dump_c *d, struct bbpf_dump_c_frame **stk, uint32_t *cap);

/* ---- dump_c_names.c ---- */

/* A name table for at most keys distinct names. */
int bbpf_dump_c_names_init(struct bbpf_dump_c *d, struct bbpf_dump_c_names *m, uint64_t keys);
/*
 * The name type id is printed with in namespace m: "" if anonymous, its
 * own, or "name___N" (in buf) for the Nth type to use the name there; the
 * first use fixes N. Forward declarations and empty enums keep their name.
 */
const char *bbpf_dump_c_names_resolve(struct bbpf_dump_c *d, uint32_t id,
				      struct bbpf_dump_c_names *m, char buf[BBPF_DUMP_C_NAME_LEN]);
void bbpf_dump_c_names_put_type(struct bbpf_dump_c *d, uint32_t id);	/* tags */
void bbpf_dump_c_names_put_ident(struct bbpf_dump_c *d, uint32_t id);	/* typedefs */
const char *bbpf_dump_c_names_ident(struct bbpf_dump_c *d, uint32_t id,
				    char buf[BBPF_DUMP_C_NAME_LEN]);
/* Count one more use of an enumerator name; its number (1: no suffix). */
uint32_t bbpf_dump_c_names_enumerator(struct bbpf_dump_c *d, const char *name);

/* ---- dump_c_layout.c ---- */

/* libbpf's btf__align_of (0: unknown) and btf__resolve_size (< 0: error). */
int bbpf_dump_c_layout_align(struct bbpf_dump_c *d, uint32_t id);
int64_t bbpf_dump_c_layout_size(const struct bbpf_dump_c *d, uint32_t id);

/* ---- dump_c_decl.c ---- */

/* "struct x {...}" / "union {...}" body at indentation lvl, no ";". */
void bbpf_dump_c_decl_struct(struct bbpf_dump_c *d, uint32_t id, uint32_t lvl);
/* "enum x {...}" (or "enum x" when it has no values), no ";". */
void bbpf_dump_c_decl_enum(struct bbpf_dump_c *d, uint32_t id, uint32_t lvl);
/* "typedef <decl>", no ";". */
void bbpf_dump_c_decl_typedef(struct bbpf_dump_c *d, uint32_t id, uint32_t lvl);
/* "struct x" / "union x" for a struct, union or fwd. */
void bbpf_dump_c_decl_tag(struct bbpf_dump_c *d, uint32_t id);
/* A declaration of name with type id (libbpf's emit_type_decl). */
void bbpf_dump_c_decl_of(struct bbpf_dump_c *d, uint32_t id, const char *name, uint32_t lvl);

#endif
