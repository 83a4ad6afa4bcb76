/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "diag.h"
#include "fmt.h"

/*
 * A build without USDT attach or the ld.so.cache lookup (README "Static
 * builds") never reads USDT notes or ld.so.cache: one short text each.
 */
#ifdef BBPF_NO_USDT
#define USDT_TEXT(s) "bad USDT note"
#else
#define USDT_TEXT(s) s
#endif
#ifdef BBPF_NO_LDCACHE
#define LDCACHE_TEXT(s) "bad ld.so.cache"
#else
#define LDCACHE_TEXT(s) s
#endif

/*
 * The reasons in enum order as one string of NUL-terminated texts (no
 * pointer per reason); the enum below checks the order at compile time.
 */
#define BAD_STRS(X) \
	X(BBPF_BAD_NONE, "no error") \
	X(BBPF_BAD_ELF_MAGIC, "not an ELF file") \
	X(BBPF_BAD_ELF_CLASS, "not a 64-bit ELF file") \
	X(BBPF_BAD_ELF_DATA, "unknown ELF byte order") \
	X(BBPF_BAD_ELF_VERSION, "unknown ELF version") \
	X(BBPF_BAD_ELF_TYPE, "unexpected ELF file type") \
	X(BBPF_BAD_ELF_MACHINE, "not a BPF object (e_machine)") \
	X(BBPF_BAD_ELF_TRUNCATED, "ELF header truncated") \
	X(BBPF_BAD_ELF_EHSIZE, "bad ELF header size") \
	X(BBPF_BAD_ELF_SHENTSIZE, "bad section header entry size") \
	X(BBPF_BAD_ELF_SECTION_TABLE, "section header table outside the file") \
	X(BBPF_BAD_ELF_EXTENDED, "extended section numbering is not supported") \
	X(BBPF_BAD_ELF_SHSTRNDX, "bad section name table index") \
	X(BBPF_BAD_ELF_SECTION_NAME, "section name outside the name table") \
	X(BBPF_BAD_ELF_SECTION_RANGE, "section data outside the file") \
	X(BBPF_BAD_ELF_SECTION_LINK, "section link or info names no suitable section") \
	X(BBPF_BAD_ELF_STRTAB, "string table not NUL-terminated") \
	X(BBPF_BAD_ELF_SYMTAB, "malformed symbol table") \
	X(BBPF_BAD_ELF_SYM, "symbol name or section index out of range") \
	X(BBPF_BAD_ELF_RELO, "malformed relocation section") \
	X(BBPF_BAD_ELF_PHDR, "program header table outside the file") \
	X(BBPF_BAD_ELF_LIMIT, "too many sections or symbols") \
	X(BBPF_BAD_BTF_HEADER, "malformed BTF header") \
	X(BBPF_BAD_BTF_STRINGS, "malformed BTF string section") \
	X(BBPF_BAD_BTF_TYPE, "malformed BTF type") \
	X(BBPF_BAD_BTF_KIND, "unknown BTF kind") \
	X(BBPF_BAD_BTF_TYPE_ID, "BTF type id out of range") \
	X(BBPF_BAD_BTF_NAME, "BTF name offset out of range") \
	X(BBPF_BAD_BTF_LOOP, "BTF type chain too deep or cyclic") \
	X(BBPF_BAD_BTF_LIMIT, "too many BTF types or string bytes") \
	X(BBPF_BAD_BTF_EXT_HEADER, "malformed BTF.ext header") \
	X(BBPF_BAD_BTF_EXT_SECTION, "malformed BTF.ext section block") \
	X(BBPF_BAD_BTF_EXT_RECORD, "malformed BTF.ext record") \
	X(BBPF_BAD_OBJ_NO_BTF, "object needs BTF but has none") \
	X(BBPF_BAD_OBJ_PROG, "malformed program") \
	X(BBPF_BAD_OBJ_INSN, "malformed instruction") \
	X(BBPF_BAD_OBJ_RELO, "bad relocation") \
	X(BBPF_BAD_OBJ_MAP, "malformed map definition") \
	X(BBPF_BAD_OBJ_DATA, "malformed global data section") \
	X(BBPF_BAD_OBJ_EXTERN, "malformed extern") \
	X(BBPF_BAD_OBJ_LICENSE, "malformed license or version section") \
	X(BBPF_BAD_OBJ_LIMIT, "too many programs or maps") \
	X(BBPF_BAD_GZIP, "malformed gzip data") \
	X(BBPF_BAD_KCONFIG, "malformed kernel config") \
	X(BBPF_BAD_USDT_NOTE_TRUNCATED, USDT_TEXT("USDT note runs past its section")) \
	X(BBPF_BAD_USDT_NOTE_OWNER, USDT_TEXT("USDT note owner is not stapsdt or type is not 3")) \
	X(BBPF_BAD_USDT_NOTE_DESC, USDT_TEXT("USDT note descriptor too short")) \
	X(BBPF_BAD_USDT_NOTE_STRING, USDT_TEXT("USDT note string unterminated or empty")) \
	X(BBPF_BAD_USDT_ARG, USDT_TEXT("USDT argument not understood")) \
	X(BBPF_BAD_USDT_ADDR, USDT_TEXT("USDT address in no suitable segment")) \
	X(BBPF_BAD_USDT_LIMIT, USDT_TEXT("too many USDT notes or arguments")) \
	X(BBPF_BAD_LDCACHE, LDCACHE_TEXT("malformed ld.so.cache")) \
	X(BBPF_BAD_LDCACHE_FORMAT, LDCACHE_TEXT("ld.so.cache in an unsupported format"))

#define TEXT(e, s) s "\0"
#define POS(e, s) POS_##e,
#define CHECK(e, s) _Static_assert((int)POS_##e == (int)(e), #e " out of order");
static const char bad_str[] = BAD_STRS(TEXT);
enum { BAD_STRS(POS) BAD_STR_CNT };
BAD_STRS(CHECK)
_Static_assert((int)BAD_STR_CNT == (int)BBPF_BAD_MAX, "a reason without text");

const char *bbpf_bad_str(enum bbpf_bad why)
{
	return (unsigned)why < BBPF_BAD_MAX ? bbpf_fmt_nth(bad_str, (unsigned)why) : "unknown reason";
}

static int is_limit(enum bbpf_bad why)
{
	return why == BBPF_BAD_ELF_LIMIT || why == BBPF_BAD_BTF_LIMIT || why == BBPF_BAD_OBJ_LIMIT ||
	       why == BBPF_BAD_USDT_LIMIT;
}

int bbpf_diag_fail(struct bbpf_diag *d, enum bbpf_bad why, uint32_t sec, uint64_t off,
		   uint32_t idx)
{
	if (d && d->why == BBPF_BAD_NONE)
		*d = (struct bbpf_diag){ .why = why, .off = off, .idx = idx, .sec = sec };
	return is_limit(why) ? -E2BIG : -EBADMSG;
}

const char *bbpf_stage_str(enum bbpf_stage stage)
{
	/* in enum order (checked below), as bad_str */
	static const char names[] = "open\0prepare\0btf\0co-re\0extern\0map\0program\0slot\0"
				    "attach\0pin";
	_Static_assert(BBPF_STAGE_OPEN == 0 && BBPF_STAGE_PREPARE == 1 && BBPF_STAGE_BTF == 2 &&
		       BBPF_STAGE_CORE == 3 && BBPF_STAGE_EXTERN == 4 && BBPF_STAGE_MAP == 5 &&
		       BBPF_STAGE_PROG == 6 && BBPF_STAGE_SLOT == 7 && BBPF_STAGE_ATTACH == 8 &&
		       BBPF_STAGE_PIN == 9 && BBPF_STAGE_MAX == 10, "stage names out of order");

	return (unsigned int)stage < BBPF_STAGE_MAX ? bbpf_fmt_nth(names, (unsigned int)stage) : "?";
}
