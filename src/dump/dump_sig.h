/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A BTF type as bpftool's type-only text (its btf_dumper_type_only()), e.g.
 * a function's prototype "int foo(struct sock * sk, u32 n)" or a function
 * pointer's "u32 (struct sock *)". Pure: base and parse only.
 *
 * Two flavours, by how a text that cannot be printed ends:
 *  - strict (bpftool's prog dump prototypes): a text that does not fit,
 *    a type chain deeper than BBPF_DUMP_SIG_DEPTH or a kind that has no
 *    type-only form makes the whole text empty; FUNC, VAR and DATASEC are
 *    printed ("int name(...)", "static int name", "section (\"name\") ");
 *  - lenient (bpftool's function pointers in map values): the text is cut
 *    where it stops fitting, and what cannot be printed is left out.
 */
#ifndef BBPF_DUMP_SIG_H
#define BBPF_DUMP_SIG_H

#include <stdbool.h>
#include <stdint.h>
#include "../parse/btf.h"

#define BBPF_DUMP_SIG_DEPTH	32	/* type chains followed */

struct bbpf_dump_sig {
	const struct bbpf_btf *btf;
	char *b;		/* always NUL-terminated */
	int size;		/* of b, NUL included (> 0) */
	int pos;		/* bytes written; -1: failed (strict only) */
	bool strict;
};

/* Append a, then b (either NULL: nothing). */
void bbpf_dump_sig_put(struct bbpf_dump_sig *s, const char *a, const char *b);

/* Append type id as text; depth: how deep the caller already is. */
void bbpf_dump_sig_type(struct bbpf_dump_sig *s, uint32_t id, int depth);

#endif
