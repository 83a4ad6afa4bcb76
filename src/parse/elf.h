/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF64 reader: BPF relocatable objects (both byte orders) and host
 * executables/shared objects (for uprobe symbol lookups). The file is
 * validated once by bbpf_elf_parse(); afterwards accessors only check
 * indices. Section, symbol and relocation entries are decoded on access
 * (memcpy + byte swap), never cast from the input.
 */
#ifndef BBPF_ELF_H
#define BBPF_ELF_H

#include <stdbool.h>
#include <stdint.h>
#include "../base/arena.h"
#include "../base/diag.h"

/* Elf64_Shdr's fields in its order (copied as is), then the resolved name. */
struct bbpf_elf_shdr {
	uint32_t name_off;	/* sh_name */
	uint32_t type;		/* SHT_* */
	uint64_t flags;		/* SHF_* */
	uint64_t addr;
	uint64_t off;		/* checked: [off, off+size) inside the file unless NOBITS */
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
	const char *name;	/* validated: NUL-terminated, inside .shstrtab */
};

/* Elf64_Phdr as in the file (copied as is). */
struct bbpf_elf_phdr {
	uint32_t type;		/* PT_* */
	uint32_t flags;
	uint64_t off, vaddr, paddr, filesz, memsz, align;
};

struct bbpf_elf_sym {
	const char *name;	/* validated, "" for no name */
	uint64_t value;
	uint64_t size;
	uint16_t shndx;		/* SHN_UNDEF, SHN_ABS, SHN_COMMON or a valid index */
	uint8_t bind;		/* STB_* */
	uint8_t type;		/* STT_* */
	uint8_t visibility;	/* STV_* */
};

struct bbpf_elf_rel {
	uint64_t off;		/* r_offset */
	uint32_t sym;		/* validated index into the linked symbol table */
	uint32_t type;		/* R_BPF_* / R_X86_64_* */
	int64_t addend;		/* 0 for REL */
};

/* Flags for bbpf_elf_parse(). */
enum {
	/* Require ET_REL and EM_BPF (or EM_NONE, which old LLVM emitted). */
	BBPF_ELF_BPF_OBJECT = 1u << 0,
};

struct bbpf_elf {
	const uint8_t *buf;
	uint64_t len;
	bool swap;		/* file byte order differs from the host */
	bool big_endian;	/* EI_DATA == ELFDATA2MSB */
	uint16_t type;		/* e_type */
	uint16_t machine;	/* e_machine */
	uint64_t entry;
	uint32_t shnum;		/* sections, including the null section 0 */
	struct bbpf_elf_shdr *shdrs;
	uint32_t phnum;
	struct bbpf_elf_phdr *phdrs;
	uint32_t shstrndx;
	uint32_t symtab;	/* index of SHT_SYMTAB, 0 if none */
	uint32_t dynsym;	/* index of SHT_DYNSYM, 0 if none */
};

/*
 * Validate buf and decode the section (and program) header tables into the
 * arena. Checks, once: header fields; e_shentsize/e_phentsize before any
 * count * size; every section's range (SHT_NOBITS excepted); section names;
 * every string table linked from a symbol table ends in NUL; symbol tables'
 * entsize and size; every symbol's name offset and st_shndx; REL/RELA
 * entsize, size, sh_link (a symbol table) and, for REL/RELA, every entry's
 * symbol index. Limits: BBPF_MAX_SECTIONS, BBPF_MAX_SYMBOLS (-E2BIG).
 * Returns 0, -EBADMSG, -E2BIG or -ENOMEM; diag names section and offset.
 */
int bbpf_elf_parse(struct bbpf_elf *elf, const void *buf, uint64_t len, unsigned int flags,
		   struct bbpf_arena *arena, struct bbpf_diag *diag);

/* NULL for an out-of-range index. */
static inline const struct bbpf_elf_shdr *bbpf_elf_shdr(const struct bbpf_elf *elf, uint32_t idx)
{
	return elf && idx < elf->shnum ? &elf->shdrs[idx] : NULL;
}

/* Section bytes; NULL for SHT_NOBITS, empty sections or a bad index. */
const uint8_t *bbpf_elf_sec_data(const struct bbpf_elf *elf, uint32_t idx);
/* First section with this name, 0 if none. */
uint32_t bbpf_elf_find_sec(const struct bbpf_elf *elf, const char *name);

/* Number of entries of a symbol table section (0 if idx is not one). */
uint32_t bbpf_elf_sym_cnt(const struct bbpf_elf *elf, uint32_t symtab_idx);
/* Decode symbol i of a symbol table. -EINVAL for a bad index. */
int bbpf_elf_sym(const struct bbpf_elf *elf, uint32_t symtab_idx, uint32_t i,
		 struct bbpf_elf_sym *out);

/* Number of entries of a REL or RELA section (0 otherwise). */
uint32_t bbpf_elf_rel_cnt(const struct bbpf_elf *elf, uint32_t rel_idx);
/* Decode entry i of a REL or RELA section. -EINVAL for a bad index. */
int bbpf_elf_rel(const struct bbpf_elf *elf, uint32_t rel_idx, uint32_t i,
		 struct bbpf_elf_rel *out);

/*
 * Executables and shared objects: the PT_LOAD segment whose
 * [p_vaddr, p_vaddr + p_memsz) holds vaddr; with overlapping segments the
 * lowest p_vaddr wins (libbpf 1.8's usdt.c sorts segments by start and takes
 * the first match). -ESRCH if none does.
 */
int bbpf_elf_vaddr_seg(const struct bbpf_elf *elf, uint64_t vaddr, const struct bbpf_elf_phdr **seg);
/*
 * vaddr as a file offset through that segment (vaddr - p_vaddr + p_offset),
 * and the segment's PF_* flags if flags is not NULL. Symbol offsets for
 * uprobes go through the symbol's section instead: see usym.h.
 */
int bbpf_elf_vaddr_off(const struct bbpf_elf *elf, uint64_t vaddr, uint64_t *off, uint32_t *flags);

#endif
