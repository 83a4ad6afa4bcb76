/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A streaming JSON writer with bpftool's exact layout rules, so that what
 * the dumpers print matches `bpftool map dump` byte for byte:
 *  - a comma goes before every item but the first of its container;
 *  - pretty mode breaks the line (and indents 4 spaces per level) before
 *    each member name and before a closing bracket of a non-empty
 *    container, never before array items, so arrays of scalars stay on
 *    one line: "[1,2,3\n    ]";
 *  - a name is followed by ": " in pretty mode, ":" otherwise;
 *  - strings are quoted as bpftool's writer quotes them: \t \n \r \f \b
 *    and \" are escaped, a backslash comes out as "\n" (sic), nothing
 *    else is touched.
 * Output is buffered; every public dumper flushes before it returns
 * (or, with direct set after init, every write goes straight to out).
 * The byte cap turns a runaway dump into a truncated one: once a write
 * would pass it, that write and all later ones are dropped and full is set.
 * Pure: base only.
 */
#ifndef BBPF_DUMP_JSON_H
#define BBPF_DUMP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dump.h"

#define BBPF_DUMP_JSON_BUF	512u

struct bbpf_dump_json {
	struct bbpf_dump_out out;
	uint32_t depth;		/* open containers */
	bool pretty;
	char sep;		/* ',' once the current container has an item, else 0 */
	bool full;		/* the cap was hit: nothing more is written */
	/* Set after init by a writer that needs them: */
	bool direct;		/* no buffering: each write is passed on at once; top-level
				   values are documents in a row, without commas */
	bool utf8;		/* names and strings quoted strictly (as string_strict),
				   but valid UTF-8 passes as it is */
	bool named;		/* a member name was written, its value not yet */
	uint64_t written;	/* bytes accepted so far (buffered or passed on) */
	uint64_t cap;		/* written never exceeds this */
	size_t buf_len;
	char buf[BBPF_DUMP_JSON_BUF];
};

/* cap 0: no cap. */
void bbpf_dump_json_init(struct bbpf_dump_json *j, const struct bbpf_dump_out *out, bool pretty,
			 uint64_t cap);
/* Pass the buffered bytes to out. */
void bbpf_dump_json_flush(struct bbpf_dump_json *j);

/* Bytes as they are, outside the JSON grammar (bpftool's printf next to its writer). */
void bbpf_dump_json_raw(struct bbpf_dump_json *j, const char *s, size_t len);
void bbpf_dump_json_raw_str(struct bbpf_dump_json *j, const char *s);

void bbpf_dump_json_start_object(struct bbpf_dump_json *j);
void bbpf_dump_json_end_object(struct bbpf_dump_json *j);
void bbpf_dump_json_start_array(struct bbpf_dump_json *j);
void bbpf_dump_json_end_array(struct bbpf_dump_json *j);
void bbpf_dump_json_name(struct bbpf_dump_json *j, const char *name);
/* A value printed as is (number, literal, pre-quoted text): jsonw_printf. */
void bbpf_dump_json_value(struct bbpf_dump_json *j, const char *s, size_t len);
/* A NUL-terminated string, quoted as above: jsonw_string. */
void bbpf_dump_json_string(struct bbpf_dump_json *j, const char *s);
/*
 * len bytes as a string with strict JSON escaping (\" \\ \b \f \n \r \t,
 * other bytes below 0x20 or from 0x7f up as \u00XX): for text that did not
 * come through bpftool's rules (partial records).
 */
void bbpf_dump_json_string_strict(struct bbpf_dump_json *j, const char *s, size_t len);
void bbpf_dump_json_u64(struct bbpf_dump_json *j, uint64_t v);
void bbpf_dump_json_i64(struct bbpf_dump_json *j, int64_t v);

/* Decimal/hex text of v into buf (at least 24 bytes); returns the length. No NUL. */
size_t bbpf_dump_json_fmt_u64(char *buf, uint64_t v);
size_t bbpf_dump_json_fmt_i64(char *buf, int64_t v);
/* Lower-case hex without leading zeros ("0" for 0); pad: minimum digits. */
size_t bbpf_dump_json_fmt_hex(char *buf, uint64_t v, unsigned int pad);

#endif
