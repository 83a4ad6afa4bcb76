/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_DIAG_H
#define BAREBPF_DIAG_H

#include <stdint.h>

/*
 * Why an input was rejected. Returned alongside -EBADMSG (malformed) or
 * -E2BIG (a published limit exceeded; see README "Limits"). Tests and
 * fuzzers assert on these instead of scraping log text.
 */
enum bbpf_bad {
	BBPF_BAD_NONE = 0,
	/* ELF */
	BBPF_BAD_ELF_MAGIC,
	BBPF_BAD_ELF_CLASS,		/* not ELFCLASS64 */
	BBPF_BAD_ELF_DATA,		/* EI_DATA neither LSB nor MSB */
	BBPF_BAD_ELF_VERSION,
	BBPF_BAD_ELF_TYPE,		/* e_type not accepted here */
	BBPF_BAD_ELF_MACHINE,		/* not EM_BPF/EM_NONE for a BPF object */
	BBPF_BAD_ELF_TRUNCATED,		/* file shorter than its header */
	BBPF_BAD_ELF_EHSIZE,
	BBPF_BAD_ELF_SHENTSIZE,
	BBPF_BAD_ELF_SECTION_TABLE,	/* section header table out of the file */
	BBPF_BAD_ELF_EXTENDED,		/* extended section numbering: unsupported */
	BBPF_BAD_ELF_SHSTRNDX,
	BBPF_BAD_ELF_SECTION_NAME,	/* sh_name out of .shstrtab */
	BBPF_BAD_ELF_SECTION_RANGE,	/* sh_offset/sh_size out of the file */
	BBPF_BAD_ELF_SECTION_LINK,	/* sh_link/sh_info names no suitable section */
	BBPF_BAD_ELF_STRTAB,		/* string table not NUL-terminated */
	BBPF_BAD_ELF_SYMTAB,		/* bad sh_entsize or size for a symbol table */
	BBPF_BAD_ELF_SYM,		/* symbol name or section index out of range */
	BBPF_BAD_ELF_RELO,		/* bad sh_entsize/size of REL/RELA, or symbol index */
	BBPF_BAD_ELF_PHDR,		/* program header table out of range */
	BBPF_BAD_ELF_LIMIT,		/* too many sections/symbols (-E2BIG) */
	/* BTF */
	BBPF_BAD_BTF_HEADER,
	BBPF_BAD_BTF_STRINGS,
	BBPF_BAD_BTF_TYPE,		/* truncated or malformed type record */
	BBPF_BAD_BTF_KIND,		/* unknown kind */
	BBPF_BAD_BTF_TYPE_ID,		/* reference to a type id that does not exist */
	BBPF_BAD_BTF_NAME,		/* name offset out of the string section */
	BBPF_BAD_BTF_LOOP,		/* reference chain deeper than the limit */
	BBPF_BAD_BTF_LIMIT,		/* too many types / string bytes (-E2BIG) */
	/* BTF.ext */
	BBPF_BAD_BTF_EXT_HEADER,
	BBPF_BAD_BTF_EXT_SECTION,	/* per-section info block malformed */
	BBPF_BAD_BTF_EXT_RECORD,	/* record size or count malformed */
	/* Object model */
	BBPF_BAD_OBJ_NO_BTF,		/* a feature needs .BTF and there is none */
	BBPF_BAD_OBJ_PROG,		/* program section/symbol inconsistent */
	BBPF_BAD_OBJ_INSN,		/* relocated instruction malformed */
	BBPF_BAD_OBJ_RELO,		/* relocation does not make sense */
	BBPF_BAD_OBJ_MAP,		/* map definition malformed */
	BBPF_BAD_OBJ_DATA,		/* global data section malformed */
	BBPF_BAD_OBJ_EXTERN,		/* extern declaration malformed */
	BBPF_BAD_OBJ_LICENSE,		/* license/version section malformed */
	BBPF_BAD_OBJ_LIMIT,		/* too many programs/maps (-E2BIG) */
	/* Other inputs read at load */
	BBPF_BAD_GZIP,			/* malformed gzip/DEFLATE (/proc/config.gz) */
	BBPF_BAD_KCONFIG,		/* malformed kernel .config text or value */
	/* Host binaries: USDT notes, ld.so.cache */
	BBPF_BAD_USDT_NOTE_TRUNCATED,	/* a .note.stapsdt note runs past its section */
	BBPF_BAD_USDT_NOTE_OWNER,	/* note owner is not "stapsdt" or type is not 3 */
	BBPF_BAD_USDT_NOTE_DESC,	/* note descriptor shorter than 3 addresses + 3 strings */
	BBPF_BAD_USDT_NOTE_STRING,	/* provider/name/arguments unterminated, or name empty */
	BBPF_BAD_USDT_ARG,		/* argument specification not understood */
	BBPF_BAD_USDT_ADDR,		/* probe or semaphore address in no suitable segment */
	BBPF_BAD_USDT_LIMIT,		/* too many notes or arguments (-E2BIG) */
	BBPF_BAD_LDCACHE,		/* malformed /etc/ld.so.cache */
	BBPF_BAD_LDCACHE_FORMAT,	/* ld.so.cache in the old (libc5 "ld.so-1.7.0") format */
	BBPF_BAD_MAX
};

#define BBPF_DIAG_NO_SEC UINT32_MAX

/*
 * The step of the kernel-facing work that failed (load, attach, pin), so a
 * caller can tell "map #3 was refused with -EPERM" from "program 'x' was
 * refused by the verifier" without reading messages.
 */
enum bbpf_stage {
	BBPF_STAGE_OPEN = 0,	/* the open phase: why/off/idx/sec say where */
	BBPF_STAGE_PREPARE,	/* context: feature probes, RLIMIT_MEMLOCK */
	BBPF_STAGE_BTF,		/* the object's BTF into the kernel */
	BBPF_STAGE_CORE,	/* CO-RE relocation (user space) or its setup */
	BBPF_STAGE_EXTERN,	/* idx/name: the extern */
	BBPF_STAGE_MAP,		/* idx/name: the map (creation, reuse, initial data) */
	BBPF_STAGE_PROG,	/* idx/name: the program (relocation, attach target, verifier) */
	BBPF_STAGE_SLOT,	/* idx/name: the map whose initial slot could not be set */
	BBPF_STAGE_ATTACH,	/* idx/name: the program */
	BBPF_STAGE_PIN,		/* idx/name: the map or program being pinned */
	BBPF_STAGE_MAX
};

/* Where and why; the first failure wins. */
struct bbpf_diag {
	enum bbpf_bad why;
	uint64_t off;		/* byte offset in the input file, when meaningful */
	uint32_t idx;		/* open: type, symbol, record or insn index; later stages:
				 * the index of the map, program or extern named below */
	uint32_t sec;		/* ELF section index, or BBPF_DIAG_NO_SEC */
	/* Kernel-facing calls (BBPF_STAGE_PREPARE and later): */
	enum bbpf_stage stage;
	int err;		/* the negative errno the call returned */
	const char *name;	/* map, program or extern name, owned by the object; or NULL */
};

/* Short static text for a reason code ("ELF section out of file", ...). */
const char *bbpf_bad_str(enum bbpf_bad why);
/* "open", "btf", "map", "program", ... */
const char *bbpf_stage_str(enum bbpf_stage stage);

#endif
