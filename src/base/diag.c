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
#define USDT_TEXT(s) BBPF_MSGZ_STR("bad USDT note")
#else
#define USDT_TEXT(s) s
#endif
#ifdef BBPF_NO_LDCACHE
#define LDCACHE_TEXT(s) BBPF_MSGZ_STR("bad ld.so.cache")
#else
#define LDCACHE_TEXT(s) s
#endif

/*
 * The reasons in enum order as one string of NUL-terminated texts (no
 * pointer per reason); the enum below checks the order at compile time.
 * In the static builds (src/base/msgz.h) each text is a token of the
 * deflated message catalog (BBPF_MSGZ_STR, src/base/diag.h): bbpf_bad_str
 * returns the token, which only the %s of bbpf_vsnprintf decodes. Every
 * caller in src/ prints it that way; the static CLIs' library is no library
 * (nothing else calls it there).
 */
#define BAD_STRS(X) \
	X(BBPF_BAD_NONE, BBPF_MSGZ_STR("no error")) \
	X(BBPF_BAD_ELF_MAGIC, BBPF_MSGZ_STR("not an ELF file")) \
	X(BBPF_BAD_ELF_CLASS, BBPF_MSGZ_STR("not a 64-bit ELF file")) \
	X(BBPF_BAD_ELF_DATA, BBPF_MSGZ_STR("unknown ELF byte order")) \
	X(BBPF_BAD_ELF_VERSION, BBPF_MSGZ_STR("unknown ELF version")) \
	X(BBPF_BAD_ELF_TYPE, BBPF_MSGZ_STR("unexpected ELF file type")) \
	X(BBPF_BAD_ELF_MACHINE, BBPF_MSGZ_STR("not a BPF object (e_machine)")) \
	X(BBPF_BAD_ELF_TRUNCATED, BBPF_MSGZ_STR("ELF header truncated")) \
	X(BBPF_BAD_ELF_EHSIZE, BBPF_MSGZ_STR("bad ELF header size")) \
	X(BBPF_BAD_ELF_SHENTSIZE, BBPF_MSGZ_STR("bad section header entry size")) \
	X(BBPF_BAD_ELF_SECTION_TABLE, BBPF_MSGZ_STR("section header table outside the file")) \
	X(BBPF_BAD_ELF_EXTENDED, BBPF_MSGZ_STR("extended section numbering is not supported")) \
	X(BBPF_BAD_ELF_SHSTRNDX, BBPF_MSGZ_STR("bad section name table index")) \
	X(BBPF_BAD_ELF_SECTION_NAME, BBPF_MSGZ_STR("section name outside the name table")) \
	X(BBPF_BAD_ELF_SECTION_RANGE, BBPF_MSGZ_STR("section data outside the file")) \
	X(BBPF_BAD_ELF_SECTION_LINK, BBPF_MSGZ_STR("section link or info names no suitable section")) \
	X(BBPF_BAD_ELF_STRTAB, BBPF_MSGZ_STR("string table not NUL-terminated")) \
	X(BBPF_BAD_ELF_SYMTAB, BBPF_MSGZ_STR("malformed symbol table")) \
	X(BBPF_BAD_ELF_SYM, BBPF_MSGZ_STR("symbol name or section index out of range")) \
	X(BBPF_BAD_ELF_RELO, BBPF_MSGZ_STR("malformed relocation section")) \
	X(BBPF_BAD_ELF_PHDR, BBPF_MSGZ_STR("program header table outside the file")) \
	X(BBPF_BAD_ELF_LIMIT, BBPF_MSGZ_STR("too many sections or symbols")) \
	X(BBPF_BAD_BTF_HEADER, BBPF_MSGZ_STR("malformed BTF header")) \
	X(BBPF_BAD_BTF_STRINGS, BBPF_MSGZ_STR("malformed BTF string section")) \
	X(BBPF_BAD_BTF_TYPE, BBPF_MSGZ_STR("malformed BTF type")) \
	X(BBPF_BAD_BTF_KIND, BBPF_MSGZ_STR("unknown BTF kind")) \
	X(BBPF_BAD_BTF_TYPE_ID, BBPF_MSGZ_STR("BTF type id out of range")) \
	X(BBPF_BAD_BTF_NAME, BBPF_MSGZ_STR("BTF name offset out of range")) \
	X(BBPF_BAD_BTF_LOOP, BBPF_MSGZ_STR("BTF type chain too deep or cyclic")) \
	X(BBPF_BAD_BTF_LIMIT, BBPF_MSGZ_STR("too many BTF types or string bytes")) \
	X(BBPF_BAD_BTF_EXT_HEADER, BBPF_MSGZ_STR("malformed BTF.ext header")) \
	X(BBPF_BAD_BTF_EXT_SECTION, BBPF_MSGZ_STR("malformed BTF.ext section block")) \
	X(BBPF_BAD_BTF_EXT_RECORD, BBPF_MSGZ_STR("malformed BTF.ext record")) \
	X(BBPF_BAD_OBJ_NO_BTF, BBPF_MSGZ_STR("object needs BTF but has none")) \
	X(BBPF_BAD_OBJ_PROG, BBPF_MSGZ_STR("malformed program")) \
	X(BBPF_BAD_OBJ_INSN, BBPF_MSGZ_STR("malformed instruction")) \
	X(BBPF_BAD_OBJ_RELO, BBPF_MSGZ_STR("bad relocation")) \
	X(BBPF_BAD_OBJ_MAP, BBPF_MSGZ_STR("malformed map definition")) \
	X(BBPF_BAD_OBJ_DATA, BBPF_MSGZ_STR("malformed global data section")) \
	X(BBPF_BAD_OBJ_EXTERN, BBPF_MSGZ_STR("malformed extern")) \
	X(BBPF_BAD_OBJ_LICENSE, BBPF_MSGZ_STR("malformed license or version section")) \
	X(BBPF_BAD_OBJ_LIMIT, BBPF_MSGZ_STR("too many programs or maps")) \
	X(BBPF_BAD_GZIP, BBPF_MSGZ_STR("malformed gzip data")) \
	X(BBPF_BAD_KCONFIG, BBPF_MSGZ_STR("malformed kernel config")) \
	X(BBPF_BAD_USDT_NOTE_TRUNCATED, USDT_TEXT(BBPF_MSGZ_STR("USDT note runs past its section"))) \
	X(BBPF_BAD_USDT_NOTE_OWNER, USDT_TEXT(BBPF_MSGZ_STR("USDT note owner is not stapsdt or type is not 3"))) \
	X(BBPF_BAD_USDT_NOTE_DESC, USDT_TEXT(BBPF_MSGZ_STR("USDT note descriptor too short"))) \
	X(BBPF_BAD_USDT_NOTE_STRING, USDT_TEXT(BBPF_MSGZ_STR("USDT note string unterminated or empty"))) \
	X(BBPF_BAD_USDT_ARG, USDT_TEXT(BBPF_MSGZ_STR("USDT argument not understood"))) \
	X(BBPF_BAD_USDT_ADDR, USDT_TEXT(BBPF_MSGZ_STR("USDT address in no suitable segment"))) \
	X(BBPF_BAD_USDT_LIMIT, USDT_TEXT(BBPF_MSGZ_STR("too many USDT notes or arguments"))) \
	X(BBPF_BAD_LDCACHE, LDCACHE_TEXT(BBPF_MSGZ_STR("malformed ld.so.cache"))) \
	X(BBPF_BAD_LDCACHE_FORMAT, LDCACHE_TEXT(BBPF_MSGZ_STR("ld.so.cache in an unsupported format")))

#define POS(e, s) POS_##e,
#define CHECK(e, s) _Static_assert((int)POS_##e == (int)(e), #e " out of order");
enum { BAD_STRS(POS) BAD_STR_CNT };
BAD_STRS(CHECK)
_Static_assert((int)BAD_STR_CNT == (int)BBPF_BAD_MAX, "a reason without text");

#if defined(BBPF_MSGZ) && !defined(BBPF_MSGZ_PASS1)
/* the tokens (index + 1 < BBPF_MSGZ_LIMIT: 16 bits) */
#define TOK(e, s) (unsigned short)(__UINTPTR_TYPE__)(s),
static const unsigned short bad_tok[] = { BAD_STRS(TOK) };
#define BAD_TEXT(i) ((const char *)(__UINTPTR_TYPE__)bad_tok[i])
#elif defined(BBPF_MSGZ)
/* pass 1: the markers, kept as long as bbpf_bad_str is */
#define TOK(e, s) s,
static const char *const bad_tok[] = { BAD_STRS(TOK) };
#define BAD_TEXT(i) (bad_tok[i])
#else
#define TEXT(e, s) s "\0"
static const char bad_str[] = BAD_STRS(TEXT);
#define BAD_TEXT(i) bbpf_fmt_nth(bad_str, (i))
#endif

const char *bbpf_bad_str(enum bbpf_bad why)
{
	return (unsigned)why < BBPF_BAD_MAX ? BAD_TEXT((unsigned)why) : "unknown reason";
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
