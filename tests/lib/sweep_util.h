/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers for the robustness sweeps in tests/unit/test_sweep.c: load the
 * fixture files, read and patch ELF64 fields in the file's byte order,
 * rewrite an object with its section header table first, and a seeded,
 * replayable mutator.
 *
 * The ELF helpers are meant for well-formed inputs (the clang fixtures):
 * su_elf_read() checks the header and the table bounds once and the other
 * helpers trust that. They never touch bytes outside [0, len).
 *
 * Out of memory aborts: this is test code.
 */
#ifndef SU_SWEEP_UTIL_H
#define SU_SWEEP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- files ---- */

struct su_file {
	char *name;	/* file name without directories and without ".o" */
	char *path;
	uint8_t *buf;	/* malloc'd, exactly len bytes (NULL if len is 0) */
	size_t len;
};

/*
 * Read every regular file in dir whose name ends in suffix ("" for all;
 * names starting with '.' are skipped) into *files, sorted by name.
 * A missing directory gives 0 files. Returns 0 or -errno.
 */
int su_load_dir(const char *dir, const char *suffix, struct su_file **files, size_t *cnt);
void su_free_files(struct su_file *files, size_t cnt);
/* Whole file into a malloc'd buffer of exactly *len bytes; -errno on failure. */
int su_read_file(const char *path, uint8_t **buf, size_t *len);
int su_write_file(const char *path, const void *buf, size_t len);

/* A malloc'd copy of exactly len bytes, so ASan sees any read past the end. */
uint8_t *su_dup(const void *buf, size_t len);

/* ---- ELF64 fields in the file's byte order ---- */

uint64_t su_get(const uint8_t *buf, uint64_t off, unsigned int width, bool be);
void su_put(uint8_t *buf, uint64_t off, unsigned int width, uint64_t v, bool be);

struct su_elf {
	bool be;		/* EI_DATA == ELFDATA2MSB */
	uint64_t shoff;
	uint32_t shnum;
	uint32_t shentsize;
	uint32_t shstrndx;
	uint32_t phnum;
};

struct su_shdr {
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t off;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

/*
 * Decode the ELF64 header; require the section header table (entries of
 * sizeof(Elf64_Shdr)) and every non-NOBITS section to lie within the file.
 * Returns 0 or -EBADMSG.
 */
int su_elf_read(const uint8_t *buf, size_t len, struct su_elf *e);
/* File offset of section header idx (idx < e->shnum). */
uint64_t su_shdr_off(const struct su_elf *e, uint32_t idx);
void su_shdr_get(const uint8_t *buf, const struct su_elf *e, uint32_t idx, struct su_shdr *sh);
/* Section name, NULL if it is not a NUL-terminated string inside .shstrtab. */
const char *su_sec_name(const uint8_t *buf, size_t len, const struct su_elf *e, uint32_t idx);
/* First section with this name, 0 if none. */
uint32_t su_find_sec(const uint8_t *buf, size_t len, const struct su_elf *e, const char *name);

/*
 * Rewrite a relocatable ELF64 object so the section header table follows
 * the ELF header and the section contents follow the table, in section
 * index order, each at a multiple of its sh_addralign (0 and 1: no
 * alignment). Section indices, links and contents are unchanged; only
 * e_shoff and the sh_offset fields move. Returns a malloc'd image of
 * *out_len bytes, or NULL if in is not such an object (program headers,
 * sections out of the file, an sh_addralign that is not a power of two).
 */
uint8_t *su_shdrs_first(const uint8_t *in, size_t len, size_t *out_len);

/* ---- deterministic PRNG (xorshift64*) ---- */

struct su_rng {
	uint64_t s;
};

void su_rng_seed(struct su_rng *r, uint64_t seed);
uint64_t su_rng_next(struct su_rng *r);
/* Uniform in [0, n); n must be > 0. */
uint64_t su_rng_below(struct su_rng *r, uint64_t n);
/* FNV-1a of s: a stable per-fixture seed. */
uint64_t su_hash_str(const char *s);

/* ---- replayable mutations ---- */

enum su_mut_kind {
	SU_MUT_FLIP,	/* buf[off] ^= val (val != 0) */
	SU_MUT_U32,	/* u32 at off (4-aligned) = val, in the file's byte order */
	SU_MUT_COPY,	/* memmove(buf + off, buf + src, n) */
	SU_MUT_TRUNC,	/* length = off */
};

struct su_mut {
	enum su_mut_kind kind;
	uint64_t off;
	uint64_t src;
	uint64_t n;
	uint32_t val;
};

#define SU_MUT_MAX 8

struct su_region {
	uint64_t off;
	uint64_t len;
};

/*
 * Draw 1..SU_MUT_MAX mutations and apply them to buf (*len bytes; TRUNC
 * lowers *len). Half of the offsets are drawn from the hot regions (if any),
 * the rest from the whole buffer. Mutations are stored in muts[] for
 * reporting and replay; returns how many.
 */
size_t su_mutate(struct su_rng *r, uint8_t *buf, size_t *len, bool be,
		 const struct su_region *hot, size_t hot_cnt, struct su_mut *muts);
/* Apply one mutation (a no-op if it no longer fits in *len bytes). */
void su_mut_apply(uint8_t *buf, size_t *len, bool be, const struct su_mut *m);
/* "flip 0x1a3 ^0x10", "u32 0x40 = 0xffffffff", "copy 0x10 <- 0x200 (16)", "trunc 0x3f0". */
void su_mut_str(const struct su_mut *m, char *out, size_t size);

#endif
