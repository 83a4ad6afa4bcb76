/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-memory ELF64 builder for tests: assemble sections, symbols and
 * relocations, serialize in either byte order, then corrupt the image with
 * eb_put*() to exercise parser rejections.
 *
 * Section indices are stable: the null section is 0, user sections are
 * numbered 1, 2, ... in the order eb_add_section() is called. eb_build()
 * appends generated sections after them, in this order:
 *
 *   .rel<target> / .rela<target>  for each target with relocations, by target
 *   .symtab                      if any symbol or relocation was added
 *   .strtab                      always; holds symbol AND section names
 *                                (e_shstrndx points at it, as with clang)
 *
 * Their indices are available after eb_build() through eb_symtab_idx(),
 * eb_strtab_idx(), eb_rel_idx() and eb_rela_idx().
 *
 * File layout (EB_SHDRS_LAST, like clang):
 *   ELF header | program headers | section data... | section header table
 * EB_SHDRS_FIRST puts the section header table right after the program
 * headers. Section data is aligned to its addralign (0 counts as 1).
 *
 * Out of memory or misuse (offset outside the image, bad index) aborts:
 * this is test code.
 */
#ifndef EB_ELF_BUILDER_H
#define EB_ELF_BUILDER_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct eb;

enum eb_layout {
	EB_SHDRS_LAST,
	EB_SHDRS_FIRST,
};

/* ei_data: ELFDATA2LSB or ELFDATA2MSB. e.g. eb_new(ELFDATA2LSB, ET_REL, EM_BPF). */
struct eb *eb_new(unsigned char ei_data, uint16_t e_type, uint16_t e_machine);
/* Frees the builder and its image. NULL is fine. */
void eb_free(struct eb *b);

/*
 * Add a section; returns its index. data may be NULL (zero-filled, or no
 * file bytes at all for SHT_NOBITS); len is sh_size. name NULL means "".
 */
uint32_t eb_add_section(struct eb *b, const char *name, uint32_t type, uint64_t flags,
			const void *data, size_t len, uint32_t link, uint32_t info,
			uint64_t entsize, uint64_t addralign);
/* sh_addr of a section (default 0). */
void eb_set_addr(struct eb *b, uint32_t sec, uint64_t addr);

/*
 * Add a .symtab entry; returns its symbol index (1, 2, ...; 0 is the null
 * symbol). name NULL means st_name 0. bind/type: STB_* / STT_*.
 * .symtab's sh_info is the index of the first non-local symbol.
 */
uint32_t eb_add_sym(struct eb *b, const char *name, uint64_t value, uint64_t size,
		    uint16_t shndx, unsigned char bind, unsigned char type);

/* Add an entry to .rel<name of target> (SHT_REL, linked to .symtab). */
void eb_add_rel(struct eb *b, uint32_t target, uint64_t offset, uint32_t sym, uint32_t type);
/* Same for .rela<name of target> (SHT_RELA). */
void eb_add_rela(struct eb *b, uint32_t target, uint64_t offset, uint32_t sym, uint32_t type,
		 int64_t addend);

/* Program header, written as given (phoff is 64, right after the ELF header). */
void eb_add_phdr(struct eb *b, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
		 uint64_t filesz, uint64_t memsz, uint64_t align);

/*
 * Serialize into a malloc'd image owned by b (replaced by the next
 * eb_build(), freed by eb_free()). The builder can be changed and rebuilt.
 */
void eb_build(struct eb *b, enum eb_layout layout);
uint8_t *eb_buf(const struct eb *b);
size_t eb_len(const struct eb *b);
/* Take the image: the caller free()s it; b no longer has one. */
uint8_t *eb_take(struct eb *b, size_t *len);

/* Indices of generated sections, valid after eb_build(); 0 if absent. */
uint32_t eb_symtab_idx(const struct eb *b);
uint32_t eb_strtab_idx(const struct eb *b);
uint32_t eb_rel_idx(const struct eb *b, uint32_t target);
uint32_t eb_rela_idx(const struct eb *b, uint32_t target);
/* Number of sections in the image, null section included. */
uint32_t eb_shnum(const struct eb *b);

/* File offsets in the built image. */
uint64_t eb_shdr_off(const struct eb *b, uint32_t sec);	/* section header */
uint64_t eb_sec_off(const struct eb *b, uint32_t sec);		/* section data (sh_offset) */
uint64_t eb_sym_off(const struct eb *b, uint32_t sym);		/* .symtab entry */
/* Offset of a string in .strtab (st_name / sh_name value); aborts if absent. */
uint32_t eb_str_off(const struct eb *b, const char *s);

/* Raw access to the image, in the file's byte order. width: 1, 2, 4 or 8. */
void eb_put(struct eb *b, uint64_t off, unsigned int width, uint64_t v);
uint64_t eb_get(const struct eb *b, uint64_t off, unsigned int width);
void eb_put_u16(struct eb *b, uint64_t off, uint16_t v);
void eb_put_u32(struct eb *b, uint64_t off, uint32_t v);
void eb_put_u64(struct eb *b, uint64_t off, uint64_t v);

/*
 * Field setters by name, e.g. EB_EHDR_SET(b, e_shentsize, 63),
 * EB_SHDR_SET(b, 2, sh_offset, UINT64_MAX), EB_SYM_SET(b, 1, st_shndx, 999).
 */
#define EB_FIELD_SIZE(type, field) sizeof(((type *)0)->field)
#define EB_EHDR_SET(b, field, v)						\
	eb_put((b), offsetof(Elf64_Ehdr, field), EB_FIELD_SIZE(Elf64_Ehdr, field), (v))
#define EB_SHDR_SET(b, sec, field, v)						\
	eb_put((b), eb_shdr_off((b), (sec)) + offsetof(Elf64_Shdr, field),	\
	       EB_FIELD_SIZE(Elf64_Shdr, field), (v))
#define EB_SYM_SET(b, sym, field, v)						\
	eb_put((b), eb_sym_off((b), (sym)) + offsetof(Elf64_Sym, field),	\
	       EB_FIELD_SIZE(Elf64_Sym, field), (v))

#endif
