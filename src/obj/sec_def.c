// SPDX-License-Identifier: BSD-2-Clause
/*
 * Section name -> program type. Mostly data: the table is upstream libbpf's
 * section_defs[] (libbpf 1.7 / Linux 7.0) restated in our own terms, in the
 * same order, because the first match wins and order encodes specificity
 * ("xdp.frags/devmap" before "xdp.frags" before "xdp").
 *
 * Entries marked "not in 1.1.2" are unknown to the libbpf Debian 12 ships;
 * libbpf 1.1.2 gives every other name the same prog and attach type.
 */
#include <stddef.h>
#include <string.h>

#include "sec_def.h"

#define ATT_OPT		(BBPF_SEC_ATTACHABLE | BBPF_SEC_EXP_ATTACH_OPT)
#define ATT		BBPF_SEC_ATTACHABLE
#define BTF		BBPF_SEC_ATTACH_BTF
#define SLEEP		BBPF_SEC_SLEEPABLE
#define FRAGS		BBPF_SEC_XDP_FRAGS

_Static_assert(BBPF_PROG_TYPE_NETFILTER <= UINT8_MAX && BBPF_TRACE_FSESSION <= UINT8_MAX &&
	       BBPF_NETFILTER <= UINT8_MAX && BBPF_ATTACH_PERF_EVENT <= UINT8_MAX,
	       "sec_def fields are bytes");

/*
 * The names, one blob: a row holds its name's 2-byte offset, not an 8-byte
 * pointer (6 bytes a row instead of 12). A struct of char arrays gives every
 * name's offset at compile time.
 */
#define NAME(id, name) char n##id[sizeof(name)];
#define DEF(id, name, ...) NAME(id, name)
#define LEGACY(...)
struct sec_names {
#include "sec_def_tab.h"
};
#undef NAME
#define NAME(id, name) name,
static const struct sec_names sec_names = {
#include "sec_def_tab.h"
};
#undef NAME
#undef DEF
_Static_assert(sizeof(struct sec_names) <= UINT16_MAX, "sec_def names fit a 2-byte offset");

#define NAME(id, name)
#define DEF(id, name, ptype, atype, fl, kind) {				\
	.name_off = offsetof(struct sec_names, n##id),			\
	.prog_type = (uint8_t)(ptype),					\
	.expected_attach_type = (uint8_t)(atype),			\
	.flags = (uint8_t)(fl),						\
	.attach = BBPF_ATTACH_##kind },

static const struct bbpf_sec_def sec_defs[] = {
#include "sec_def_tab.h"
};

/*
 * samples/bpf/bpf_load.c, which predates libbpf's table, took a section by
 * strncmp() on these prefixes, in this order, and set no expected attach
 * type. Only reached when sec_defs[] has no match, so "kprobe/",
 * "kretprobe/", "tracepoint/" and "raw_tracepoint/" are always shadowed by
 * the "+" entries above; they are kept so the list reads as bpf_load.c's.
 */
#undef DEF
#undef LEGACY
#define DEF(...)
#define LEGACY(id, ptype, kind) {					\
	.name_off = offsetof(struct sec_names, n##id),			\
	.prog_type = (uint8_t)(ptype),					\
	.flags = BBPF_SEC_LEGACY,					\
	.attach = BBPF_ATTACH_##kind },

static const struct bbpf_sec_def legacy_defs[] = {
#include "sec_def_tab.h"
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Length of the prefix of sec_name that def matched, 0 if it does not
 * match (every def name is non-empty, so a match is never 0 long). One
 * pass over both names, no strlen/strncmp: musl's compare a byte a call.
 */
static size_t match_len(const struct bbpf_sec_def *def, const char *sec_name)
{
	const char *d = bbpf_sec_def_name(def);
	size_t i;

	/*
	 * Cheap filter: most entries differ in the first two bytes ('+' ends a
	 * prefix; sec_name[1] exists, sec_name[0] being def's non-NUL byte).
	 */
	if (d[0] != sec_name[0] || (d[1] != '+' && d[1] != sec_name[1]))
		return 0;
	for (i = 0; d[i] && d[i] == sec_name[i]; i++)
		;
	if (!d[i]) {
		/* all of def is a prefix of sec_name (i >= 1): a literal '+' never matches */
		if (d[i - 1] == '+')
			return 0;
		/* legacy and "name/" defs are prefixes; others match exactly */
		return (def->flags & BBPF_SEC_LEGACY) || d[i - 1] == '/' || !sec_name[i] ? i : 0;
	}
	/* "name+": name, alone or followed by '/' */
	if (d[i] == '+' && !d[i + 1] && !(def->flags & BBPF_SEC_LEGACY))
		return sec_name[i] == '\0' || sec_name[i] == '/' ? i : 0;
	return 0;
}

const struct bbpf_sec_def *bbpf_sec_def_find(const char *sec_name)
{
	size_t i;

	if (!sec_name)
		return NULL;
	for (i = 0; i < ARRAY_LEN(sec_defs); i++)
		if (bbpf_sec_def_name(&sec_defs[i])[0] == sec_name[0] && match_len(&sec_defs[i], sec_name))
			return &sec_defs[i];
	for (i = 0; i < ARRAY_LEN(legacy_defs); i++)
		if (match_len(&legacy_defs[i], sec_name))
			return &legacy_defs[i];
	return NULL;
}

/*
 * One '/' right after the matched prefix is a separator, not target:
 * "tp/a/b" -> "a/b", "socket/x" -> "x", "socket1" -> "1". A def that does
 * not match sec_name yields "".
 */
const char *bbpf_sec_def_target(const struct bbpf_sec_def *def, const char *sec_name)
{
	size_t len;

	if (!def || !sec_name)
		return "";
	len = match_len(def, sec_name);
	if (!len)
		return "";
	/* def ends in '/' only for a "name/" prefix match, whose length is def's */
	if (bbpf_sec_def_name(def)[len - 1] != '/' && sec_name[len] == '/')
		len++;
	return sec_name + len;
}

const char *bbpf_sec_def_name(const struct bbpf_sec_def *def)
{
	return (const char *)&sec_names + def->name_off;
}

const struct bbpf_sec_def *bbpf_sec_defs(uint32_t *cnt)
{
	if (cnt)
		*cnt = ARRAY_LEN(sec_defs);
	return sec_defs;
}
