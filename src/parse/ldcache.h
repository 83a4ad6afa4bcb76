/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /etc/ld.so.cache in glibc's "new" format (glibc-ld.so.cache1.1, the only
 * one ldconfig writes since glibc 2.32), as a bounds-checked, read-only
 * view: bbpf_ldcache_parse() validates the header and every entry once;
 * the accessors then only check indices.
 *
 *   header (48 bytes): char magic[17] "glibc-ld.so.cache", char version[3]
 *     "1.1", u32 nlibs, u32 len_strings, u8 flags (byte order: 0 unset,
 *     2 little, 3 big), u8 pad[3], u32 extension_offset, u32 unused[3]
 *   nlibs entries (24 bytes): s32 flags, u32 key, u32 value, u32 osversion,
 *     u64 hwcap
 *   strings: key (soname) and value (path) are offsets from the start of
 *     the header.
 *
 * The libc5-era format ("ld.so-1.7.0", alone or in front of the new one)
 * is rejected (BBPF_BAD_LDCACHE_FORMAT).
 */
#ifndef BBPF_LDCACHE_H
#define BBPF_LDCACHE_H

#include <stdbool.h>
#include <stdint.h>
#include "../base/diag.h"

#define BBPF_LDCACHE_PATH "/etc/ld.so.cache"

/* Entry flags (glibc sysdeps/generic/ldconfig.h): type | architecture. */
#define BBPF_LDCACHE_ELF_LIBC6		0x0003
#define BBPF_LDCACHE_TYPE_MASK		0x00ff
#define BBPF_LDCACHE_ARCH_MASK		0xff00
#define BBPF_LDCACHE_SPARC_LIB64	0x0100
#define BBPF_LDCACHE_X8664_LIB64	0x0300
#define BBPF_LDCACHE_S390_LIB64		0x0400
#define BBPF_LDCACHE_POWERPC_LIB64	0x0500
#define BBPF_LDCACHE_MIPS64_LIBN64	0x0700
#define BBPF_LDCACHE_X8664_LIBX32	0x0800
#define BBPF_LDCACHE_ARM_LIBHF		0x0900
#define BBPF_LDCACHE_AARCH64_LIB64	0x0a00
#define BBPF_LDCACHE_ARM_LIBSF		0x0b00
#define BBPF_LDCACHE_RISCV_DOUBLE	0x1000
#define BBPF_LDCACHE_LARCH_DOUBLE	0x1200

struct bbpf_ldcache {
	const uint8_t *buf;
	uint64_t len;
	bool swap;		/* cache byte order differs from the host's */
	uint32_t nlibs;
};

struct bbpf_ldcache_entry {
	int32_t flags;
	const char *key;	/* soname, e.g. "libc.so.6" */
	const char *value;	/* path, e.g. "/lib/x86_64-linux-gnu/libc.so.6" */
	uint32_t osversion;
	uint64_t hwcap;		/* 0 for the baseline entry */
};

/*
 * Check buf (len bytes, not copied: it must outlive the view): magic and
 * version, byte order, entries and string table (len_strings bytes after
 * the entries, last byte NUL) inside the file, every key and value inside
 * the string table (so each ends inside it). -EBADMSG with diag
 * (BBPF_BAD_LDCACHE or BBPF_BAD_LDCACHE_FORMAT; off = the field, idx =
 * the entry); -EINVAL.
 */
int bbpf_ldcache_parse(struct bbpf_ldcache *c, const void *buf, uint64_t len,
		       struct bbpf_diag *diag);

/* Entry i; -EINVAL for a bad index. */
int bbpf_ldcache_entry(const struct bbpf_ldcache *c, uint32_t i, struct bbpf_ldcache_entry *e);

/*
 * The path of soname for entries with exactly these flags (see
 * bbpf_ldcache_host_flags()): the first baseline (hwcap 0) entry, else the
 * first one at all (glibc-hwcaps subdirectories). -ENOENT if none.
 */
int bbpf_ldcache_lookup(const struct bbpf_ldcache *c, const char *soname, int32_t flags,
			const char **path);

/* The flags ldconfig gives libraries of the architecture barebpf was built for; -1 if unknown. */
int32_t bbpf_ldcache_host_flags(void);

#endif
