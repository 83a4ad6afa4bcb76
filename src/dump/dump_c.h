/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF as C: the header `bpftool btf dump file X format c` writes (Debian's
 * bpftool 7.1, libbpf 1.1's btf_dump with the 6.1-stable fixes), byte for
 * byte: types in libbpf's dependency order, forward declarations where a
 * pointer cycle needs them, anonymous types inlined, bitfields and padding
 * (`long: 64;`, `int: 0;`), `__attribute__((packed))` where the layout
 * cannot be natural, enums (signed, 64-bit), typedefs, function prototypes,
 * arrays, const/volatile/restrict, type tags, `___N` suffixes for names
 * that occur more than once in their C namespace.
 *
 * Algorithm (libbpf's, reimplemented):
 *  - Ordering: a depth-first walk from each type. A struct or union that
 *    is embedded (no pointer on the way, or anonymous and so printed
 *    inline) must be complete before its container: a "strong" link; behind
 *    a pointer a forward declaration is enough: "weak". Named structs,
 *    unions, enums, typedefs and unreferenced anonymous enums go to the
 *    emit queue after everything they strongly need.
 *  - Emission: each queued type is printed once; walking its members
 *    prints the forward declarations that weak links need, and typedefs
 *    used behind pointers are printed early.
 *  - Declarations: a type chain (pointers, arrays, function prototypes,
 *    modifiers) is collected down to its base type, then printed the way C
 *    nests declarators.
 *
 * Bounds (the BTF may be hostile): every walk is a loop over an explicit
 * stack, not recursion, and a cycle that would make libbpf recurse
 * forever is an error (-ELOOP, the id in bbpf_dump_c_err_id()); printing
 * nested anonymous types and function prototypes recurses at most
 * BBPF_DUMP_C_MAX_NEST levels (-ELOOP beyond); walk steps are bounded by a
 * multiple of the type graph's size (opts.max_work) and the output by a
 * byte budget (opts.max_out, default 64 x the BTF size + 1 MiB), both
 * -E2BIG. (A legitimate but odd BTF can exceed the default: a 1 MiB struct
 * without members is 1.4 MiB of "long: 64;" lines.) After
 * an error the dumper prints nothing more and returns that error.
 *
 * Pure: no allocation beyond the caller's arena, no I/O (output goes to a
 * struct bbpf_dump_out writer).
 */
#ifndef BBPF_DUMP_C_H
#define BBPF_DUMP_C_H

#include <stdbool.h>
#include <stdint.h>
#include "dump.h"
#include "../base/arena.h"
#include "../parse/btf.h"

/* Nesting of inlined anonymous types / prototypes / arrays in one declaration. */
#define BBPF_DUMP_C_MAX_NEST	64u

struct bbpf_dump_c;

struct bbpf_dump_c_opts {
	uint64_t max_out;	/* output budget in bytes; 0: 64 x BTF bytes + 1 MiB */
	uint64_t max_work;	/* walk steps; 0: 64 x (types + members + params) + 1 Mi */
	/*
	 * libbpf's btf_dump since 1.2 (the libbpf-compatible API's): 1-byte
	 * enums get __attribute__((mode(byte))), 8-byte ones whose values all
	 * fit 32 bits mode(word). bpftool 7.1 does not print them.
	 */
	bool enum_size_attr;
};

/*
 * A dumper over btf (with its base, for split BTF: ids count from 1 across
 * both, as in libbpf). Its state (what has been printed, which names are
 * taken) lives in arena, which must outlive it. 0, -ENOMEM, or -EBADMSG
 * when a type refers to an id past the end (possible only in BTF parsed
 * as trusted).
 */
int bbpf_dump_c_new(struct bbpf_dump_c **out, const struct bbpf_btf *btf,
		    const struct bbpf_dump_out *w, struct bbpf_arena *arena,
		    const struct bbpf_dump_c_opts *opts);

/*
 * Print type id with every type it needs that this dumper has not printed
 * yet, in libbpf's order (btf_dump__dump_type). Output may stay buffered
 * until bbpf_dump_c_flush(). 0 or a negative errno.
 */
int bbpf_dump_c_type(struct bbpf_dump_c *d, uint32_t id);

/*
 * A declaration of a variable or field called name (may be "") of type id,
 * as btf_dump__emit_type_decl prints it: "char comm[16]", "struct foo *p",
 * "int (*fn)(int)", anonymous struct/union/enum bodies inlined at
 * indentation indent (tabs). strip_mods drops const/volatile/restrict and
 * type tags (the skeleton generator's .rodata/.bss declarations). No ';'.
 */
int bbpf_dump_c_decl(struct bbpf_dump_c *d, uint32_t id, const char *name, uint32_t indent,
		     bool strip_mods);

/*
 * Typed data, as btf_dump__dump_type_data() prints it (libbpf 1.8's
 * format, quirks included, see dump_c_data.c): the value of type id at
 * data[0, data_len) as "(struct s){.a = (int)1,...}", one member per line
 * unless compact, zero members left out unless emit_zeroes. Reads never go
 * past data_len (a scalar that does not fit: -E2BIG). Returns the type's
 * size, or a negative errno: -ENOENT (no such type), -EINVAL, -E2BIG,
 * -ENOTSUP (a kind that has no value, printed as "<unsupported kind:N>"),
 * -ELOOP (nesting deeper than BBPF_DUMP_C_DATA_MAX_DEPTH). Flushed. An
 * error is the call's own: the dumper stays usable.
 */
#define BBPF_DUMP_C_DATA_MAX_DEPTH	64u

struct bbpf_dump_c_data_opts {
	const char *indent_str;	/* NULL: "\t"; at most 31 bytes are used */
	uint32_t indent_level;
	bool compact;
	bool skip_names;
	bool emit_zeroes;
	bool emit_strings;
};

int bbpf_dump_c_data(struct bbpf_dump_c *d, uint32_t id, const void *data, size_t data_len,
		     const struct bbpf_dump_c_data_opts *opts);

/* Hand buffered output to the writer; returns the dumper's error, if any. */
int bbpf_dump_c_flush(struct bbpf_dump_c *d);

/* The type at which the first error was found (0 if none or not type-specific). */
uint32_t bbpf_dump_c_err_id(const struct bbpf_dump_c *d);

/*
 * The whole header, as `bpftool btf dump file X format c`: the guard and
 * preserve_access_index pragma, every type (ids 1 .. end, base included
 * for split BTF), the closing lines. Flushed. On error the output stops
 * where it failed (bpftool also stops, without the closing lines);
 * *err_id (may be NULL) gets the failing type. opts may be NULL.
 */
int bbpf_dump_c_header(const struct bbpf_btf *btf, const struct bbpf_dump_out *w,
		       struct bbpf_arena *arena, const struct bbpf_dump_c_opts *opts,
		       uint32_t *err_id);

#endif
