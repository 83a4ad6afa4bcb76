/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Uprobe targets in executables and shared objects: symbol name -> file
 * offset, as libbpf 1.8's elf.c resolves them (elf_find_func_offset,
 * elf_resolve_syms_offsets, elf_resolve_pattern_offsets), over an ELF parsed
 * by bbpf_elf_parse(elf, ..., 0, ...).
 *
 * Named usym ("user symbol") rather than elf_sym so that the module prefix
 * (bbpf_usym_) does not collide with elf.c's bbpf_elf_sym()/bbpf_elf_sym_cnt().
 *
 * What libbpf 1.8 does, and so what this does:
 *  - offset = st_value - sh_addr + sh_offset of the symbol's section (not
 *    the segment: upstream kept the section rule, see the 2025-03 "Fix uprobe
 *    offset calculation" thread); ET_EXEC and ET_DYN alike;
 *  - a single name is looked up in .dynsym first, then .symtab only if
 *    .dynsym had no match with a non-zero offset;
 *  - only STT_FUNC symbols match: STT_GNU_IFUNC ones are skipped, so plain
 *    "memcpy" in glibc resolves to the STT_FUNC compat symbol
 *    memcpy@GLIBC_2.2.5, and "memcpy@@GLIBC_2.14" (an IFUNC) is not found;
 *    BBPF_USYM_IFUNC widens that;
 *  - "name" matches every version of name ("name", "name@V", "name@@V" in
 *    .symtab; any versym in .dynsym, hidden ones included); "name@V" and
 *    "name@@V" both match the .dynsym symbol whose version (via .gnu.version
 *    and .gnu.version_d) is V, and the .symtab symbol named exactly so;
 *  - several matches: the same offset is fine; a STB_WEAK one loses to a
 *    non-weak one; two non-weak ones at different offsets are ambiguous
 *    (libbpf: -LIBBPF_ERRNO__FORMAT for one name, -ESRCH for a batch; here
 *    -ENOTUNIQ for both). So plain "pthread_cond_wait" in glibc, which has
 *    @@GLIBC_2.3.2 and @GLIBC_2.2.5 at different addresses, is ambiguous, as
 *    in libbpf; BBPF_USYM_DEFAULT_VER makes a plain name pick the default
 *    version instead;
 *  - a symbol .dynsym lists without a .gnu.version entry is skipped.
 * Deliberate differences: undefined symbols (SHN_UNDEF) never match (libbpf
 * lets them through with offset 0: the single lookup then fails the same
 * way, but a batch or a pattern would report offset 0); an ambiguity is
 * reported with -ENOTUNIQ.
 *
 * Cost: one pass over each table for any number of names (sorted once) and
 * no allocation for a single name; nothing is copied from the file.
 */
#ifndef BBPF_USYM_H
#define BBPF_USYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "elf.h"

/* Flags for the lookups. 0 is libbpf 1.8's behaviour. */
enum {
	BBPF_USYM_IFUNC = 1u << 0,	/* STT_GNU_IFUNC symbols match too */
	BBPF_USYM_OBJECT = 1u << 1,	/* STT_OBJECT symbols match too (variables) */
	BBPF_USYM_NO_FUNC = 1u << 2,	/* STT_FUNC symbols do not match */
	/*
	 * Batch only: libbpf's elf_resolve_syms_offsets() rule (uprobe.multi
	 * with a symbol list): names compare exactly, no version parsing, and
	 * both tables are searched (weak/non-weak rule across them).
	 */
	BBPF_USYM_EXACT = 1u << 3,
	/*
	 * A plain name prefers the default version: non-default ones (.dynsym
	 * hidden, .symtab "name@V") are skipped, unless nothing else matches,
	 * then libbpf's rule applies (compat-only symbols stay reachable).
	 */
	BBPF_USYM_DEFAULT_VER = 1u << 4,
};

/* One name to resolve, and what was found. */
struct bbpf_usym {
	const char *name;	/* in: "func", "func@VER" or "func@@VER" */
	uint64_t off;		/* out: file offset; 0 when not found */
	uint64_t addr;		/* st_value */
	uint64_t size;		/* st_size */
	uint32_t table;		/* section index of the symbol table it came from */
	uint32_t sym;		/* symbol index in that table */
	uint8_t bind;		/* STB_* */
	uint8_t type;		/* STT_* */
	bool undef_seen;	/* not found, but an undefined reference to it exists */
};

/*
 * One name. 0 and *out filled; -ENOENT (out->undef_seen tells "only an
 * undefined reference: try the shared library that defines it", libbpf's
 * hint); -ENOTUNIQ; -EINVAL.
 */
int bbpf_usym_find(const struct bbpf_elf *elf, const char *name, unsigned int flags,
		   struct bbpf_usym *out);

/*
 * Many names in one pass over each table. q[i].name in, the rest out.
 * scratch holds a sorted index (cnt pointers) for the call; it may be NULL
 * when cnt is 1. 0 if all were found; -ENOENT if some were not (*bad = the
 * first such index; the others are filled); -ENOTUNIQ (*bad = that name);
 * -ENOMEM; -EINVAL. bad may be NULL.
 */
int bbpf_usym_resolve(const struct bbpf_elf *elf, struct bbpf_usym *q, size_t cnt,
		      unsigned int flags, struct bbpf_arena *scratch, size_t *bad);

/*
 * uprobe.multi patterns (libbpf's elf_resolve_pattern_offsets): every
 * matching symbol of .symtab, or of .dynsym if .symtab has none, in table
 * order, duplicates included (aliases give the same offset twice, as in
 * libbpf). Names are the table's own ("func@@VER" possible in .symtab).
 * *out is an arena array of *cnt entries. -ENOENT if nothing matches.
 */
int bbpf_usym_glob(const struct bbpf_elf *elf, const char *pattern, unsigned int flags,
		   struct bbpf_arena *arena, struct bbpf_usym **out, size_t *cnt);

/* libbpf's glob_match(): '*' any run, '?' one character, nothing else special. */
bool bbpf_usym_glob_match(const char *str, const char *pat);

/*
 * "func+off" as libbpf 1.8's SEC("uprobe/PATH:FUNC+OFF") parsing reads it:
 * the text after the LAST '+' is a number as glibc's sscanf("%li") reads it
 * (leading white space, sign, 0x.. hex, 0.. octal, a bare "0x" is 0) running
 * to the end; then
 * *name_len stops before that '+'. Otherwise the whole string is the name
 * and *off is 0 (also when the number overflows a long: libbpf's sscanf
 * would saturate it).
 */
void bbpf_usym_split_off(const char *spec, size_t *name_len, int64_t *off);

#endif
