/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF records as `bpftool btf dump file X` prints them (Debian's bpftool
 * 7.1), one type per line with its members/values/parameters/variables on
 * tab-indented lines below:
 *
 *   [1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
 *   [2] STRUCT 'foo' size=8 vlen=2
 *           'a' type_id=1 bits_offset=0
 *
 * or as bpftool -j / -p prints them: {"types":[{"id":1,"kind":"INT",...}]},
 * with bpftool's JSON writer's spacing and escapes. Pure: output goes to a
 * struct bbpf_dump_out writer, nothing is allocated.
 */
#ifndef BBPF_DUMP_RAW_H
#define BBPF_DUMP_RAW_H

#include <stdint.h>
#include "dump.h"
#include "../parse/btf.h"

enum bbpf_dump_raw_fmt {
	BBPF_DUMP_RAW_TEXT,
	BBPF_DUMP_RAW_JSON,	/* bpftool -j: one line */
	BBPF_DUMP_RAW_PRETTY,	/* bpftool -p: indented */
};

/* A BTF kind's upper-case name as in the spec ("UNKN", "INT", ...), NULL past the last. */
const char *bbpf_dump_raw_kind_name(uint32_t kind);

/*
 * Types [start, type count) of btf (start 0: btf's own types, i.e. after
 * its base for split BTF, as bpftool prints them). 0, or -EBADMSG for a
 * lazily parsed BTF whose walk fails (nothing printed then).
 */
int bbpf_dump_raw(const struct bbpf_btf *btf, const struct bbpf_dump_out *w,
		  enum bbpf_dump_raw_fmt fmt, uint32_t start);

#endif
