/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stddef.h>
#include "diag.h"

static const char *const bad_str[BBPF_BAD_MAX] = {
	[BBPF_BAD_NONE] = "no error",
	[BBPF_BAD_ELF_MAGIC] = "not an ELF file",
	[BBPF_BAD_ELF_CLASS] = "not a 64-bit ELF file",
	[BBPF_BAD_ELF_DATA] = "unknown ELF byte order",
	[BBPF_BAD_ELF_VERSION] = "unknown ELF version",
	[BBPF_BAD_ELF_TYPE] = "unexpected ELF file type",
	[BBPF_BAD_ELF_MACHINE] = "not a BPF object (e_machine)",
	[BBPF_BAD_ELF_TRUNCATED] = "ELF header truncated",
	[BBPF_BAD_ELF_EHSIZE] = "bad ELF header size",
	[BBPF_BAD_ELF_SHENTSIZE] = "bad section header entry size",
	[BBPF_BAD_ELF_SECTION_TABLE] = "section header table outside the file",
	[BBPF_BAD_ELF_EXTENDED] = "extended section numbering is not supported",
	[BBPF_BAD_ELF_SHSTRNDX] = "bad section name table index",
	[BBPF_BAD_ELF_SECTION_NAME] = "section name outside the name table",
	[BBPF_BAD_ELF_SECTION_RANGE] = "section data outside the file",
	[BBPF_BAD_ELF_SECTION_LINK] = "section link or info names no suitable section",
	[BBPF_BAD_ELF_STRTAB] = "string table not NUL-terminated",
	[BBPF_BAD_ELF_SYMTAB] = "malformed symbol table",
	[BBPF_BAD_ELF_SYM] = "symbol name or section index out of range",
	[BBPF_BAD_ELF_RELO] = "malformed relocation section",
	[BBPF_BAD_ELF_PHDR] = "program header table outside the file",
	[BBPF_BAD_ELF_LIMIT] = "too many sections or symbols",
	[BBPF_BAD_BTF_HEADER] = "malformed BTF header",
	[BBPF_BAD_BTF_STRINGS] = "malformed BTF string section",
	[BBPF_BAD_BTF_TYPE] = "malformed BTF type",
	[BBPF_BAD_BTF_KIND] = "unknown BTF kind",
	[BBPF_BAD_BTF_TYPE_ID] = "BTF type id out of range",
	[BBPF_BAD_BTF_NAME] = "BTF name offset out of range",
	[BBPF_BAD_BTF_LOOP] = "BTF type chain too deep or cyclic",
	[BBPF_BAD_BTF_LIMIT] = "too many BTF types or string bytes",
	[BBPF_BAD_BTF_EXT_HEADER] = "malformed BTF.ext header",
	[BBPF_BAD_BTF_EXT_SECTION] = "malformed BTF.ext section block",
	[BBPF_BAD_BTF_EXT_RECORD] = "malformed BTF.ext record",
	[BBPF_BAD_OBJ_NO_BTF] = "object needs BTF but has none",
	[BBPF_BAD_OBJ_PROG] = "malformed program",
	[BBPF_BAD_OBJ_INSN] = "malformed instruction",
	[BBPF_BAD_OBJ_RELO] = "bad relocation",
	[BBPF_BAD_OBJ_MAP] = "malformed map definition",
	[BBPF_BAD_OBJ_DATA] = "malformed global data section",
	[BBPF_BAD_OBJ_EXTERN] = "malformed extern",
	[BBPF_BAD_OBJ_LICENSE] = "malformed license or version section",
	[BBPF_BAD_OBJ_LIMIT] = "too many programs or maps",
	[BBPF_BAD_GZIP] = "malformed gzip data",
	[BBPF_BAD_KCONFIG] = "malformed kernel config",
};

const char *bbpf_bad_str(enum bbpf_bad why)
{
	if ((unsigned)why >= BBPF_BAD_MAX || !bad_str[why])
		return "unknown reason";
	return bad_str[why];
}

static int is_limit(enum bbpf_bad why)
{
	return why == BBPF_BAD_ELF_LIMIT || why == BBPF_BAD_BTF_LIMIT || why == BBPF_BAD_OBJ_LIMIT;
}

int bbpf_diag_fail(struct bbpf_diag *d, enum bbpf_bad why, uint32_t sec, uint64_t off,
		   uint32_t idx)
{
	if (d && d->why == BBPF_BAD_NONE)
		*d = (struct bbpf_diag){ .why = why, .off = off, .idx = idx, .sec = sec };
	return is_limit(why) ? -E2BIG : -EBADMSG;
}
