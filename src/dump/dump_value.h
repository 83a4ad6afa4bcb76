/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A value of a BTF type as text, the way bpftool 7.1 prints map contents
 * with BTF (its btf_dumper):
 *  - structs/unions as objects of their members (an anonymous member is
 *    named ""), arrays as arrays, a VAR as {"name": value}, a DATASEC as
 *    {"section": [{"var": value}, ...]};
 *  - integers in decimal by size and sign; bool as true/false (its first
 *    byte non-zero); a CHAR-encoded int as "c" when printable; bitfields,
 *    odd-sized ints and 128-bit ints in hex;
 *  - char arrays holding a NUL-terminated printable string as that string,
 *    other char arrays as arrays of numbers;
 *  - enums/enum64 by enumerator name, the number when no name matches (an
 *    ENUM is read as a signed integer of its size, as bpftool does);
 *  - typedefs and modifiers skipped; void as (unknown); a FWD as
 *    (fwd-kind-invalid); FLOAT, FUNC, FUNC_PROTO, TYPE_TAG, DECL_TAG as
 *    "(unsupported-kind" (bpftool 7.1 prints floats so, and stops the
 *    enclosing struct there);
 *  - BBPF_DUMP_VALUE_PLAIN (bpftool without -j): pretty layout, pointers
 *    as %p ("(nil)", 0x...), hex numbers bare, unprintable CHAR as 0xNN;
 *    BBPF_DUMP_VALUE_JSON / _JSON_PRETTY (bpftool -j / -p): pointers in
 *    decimal, hex numbers quoted, unprintable CHAR as "\u00NN".
 * Errors end the enclosing containers early, as bpftool's do (its output
 * is then not valid JSON either, e.g. after a float); brackets are closed.
 *
 * Data is read in the byte order the BTF was produced for (host order
 * unless btf->swap), and never past data_len.
 *
 * Bounds (any BTF, validated or trusted): containers nest at most
 * BBPF_DUMP_VALUE_MAX_DEPTH deep (-ELOOP past it), at most max_nodes values
 * are visited (-E2BIG: zero-sized elements or members sharing an offset can
 * make the output much larger than the data), at most max_out bytes are
 * written (-E2BIG, output truncated). Modifier chains follow libbpf's bound
 * (32 hops). Recursion depth is bounded by the nesting limit. The default
 * budgets grow with data_len (a fixed base plus so much per data byte), so
 * that real values, a multi-megabyte array included, print whole.
 *
 * Partial record mode (opts.partial, for event records that may be cut
 * short): only the first min(data_len, type size) bytes count; a struct
 * or union member, array element or section variable is printed only if it
 * lies entirely inside them (others are left out, name included), and a
 * char array is printed as the string before its first NUL (or its end),
 * escaped as strict JSON. A top-level scalar that does not fit gives
 * -EBADMSG and no output. Without partial, data_len shorter than the type's
 * size is -EBADMSG with no output.
 *
 * Pure: base and parse only.
 */
#ifndef BBPF_DUMP_VALUE_H
#define BBPF_DUMP_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dump.h"
#include "dump_json.h"
#include "../parse/btf.h"

#define BBPF_DUMP_VALUE_MAX_DEPTH	64u
#define BBPF_DUMP_VALUE_MAX_NODES	(1u << 20)	/* default node budget: this ... */
#define BBPF_DUMP_VALUE_NODES_PER_BYTE	4u		/* ... plus this per data byte */
#define BBPF_DUMP_VALUE_MAX_OUT		(64u << 20)	/* default output cap: this ... */
#define BBPF_DUMP_VALUE_OUT_PER_BYTE	64u		/* ... plus this per data byte */

enum bbpf_dump_value_fmt {
	BBPF_DUMP_VALUE_PLAIN,		/* bpftool map dump */
	BBPF_DUMP_VALUE_JSON,		/* bpftool -j map dump */
	BBPF_DUMP_VALUE_JSON_PRETTY,	/* bpftool -p map dump */
};

struct bbpf_dump_value_opts {
	enum bbpf_dump_value_fmt fmt;
	bool partial;
	uint64_t max_nodes;	/* 0: MAX_NODES + NODES_PER_BYTE * data_len */
	uint64_t max_out;	/* 0: MAX_OUT + OUT_PER_BYTE * data_len */
	/*
	 * bpftool struct_ops dump: a pointer to a FUNC_PROTO holds a program
	 * id and prints as the string "RET (ARGS) 0", or "RET (ARGS)
	 * NAME/prog_id:ID" with NAME from prog_name (its result < 0: the
	 * pointer prints as a number). NULL: pointers as numbers.
	 */
	int (*prog_name)(void *cb_ctx, uint32_t id, char *buf, size_t size);
	void *cb_ctx;
};

/*
 * Enumerator i of an ENUM or ENUM64 t (i below its vlen): the value, an
 * ENUM's sign-extended from its 32 bits, and the name's offset in
 * *name_off. The BTF printers' one reader of enumerators.
 */
uint64_t bbpf_dump_value_enumerator(const struct btf_type *t, uint32_t i, uint32_t *name_off);

/*
 * Print the value of type_id at data[0, data_len) to out, as a document of
 * its own (indentation from level 0, no trailing newline). opts NULL:
 * plain text, defaults. 0 or a negative errno (see above); -EINVAL for
 * misuse (NULL btf/out, data NULL with data_len > 0).
 */
int bbpf_dump_value(const struct bbpf_dump_out *out, const struct bbpf_btf *btf, uint32_t type_id,
		    const void *data, size_t data_len, const struct bbpf_dump_value_opts *opts);

/*
 * The same into a writer that is in the middle of a document (after a
 * name, or inside an array): plain selects bpftool's plain-text rules, the
 * writer's own pretty flag the layout. opts->fmt is ignored. Does not flush.
 */
int bbpf_dump_value_write(struct bbpf_dump_json *j, bool plain, const struct bbpf_btf *btf,
			  uint32_t type_id, const void *data, size_t data_len,
			  const struct bbpf_dump_value_opts *opts);

#endif
