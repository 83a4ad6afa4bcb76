/* SPDX-License-Identifier: BSD-2-Clause */
/* ld.so.cache reader; see ldcache.h. */
#include <errno.h>
#include <string.h>
#include "ldcache.h"
#include "../base/cursor.h"

#define MAGIC		"glibc-ld.so.cache"
#define MAGIC_LEN	17
#define VERSION		"1.1"
#define VERSION_LEN	3
#define OLD_MAGIC	"ld.so-1.7.0"
#define OLD_MAGIC_LEN	11
#define HDR_SIZE	48u
#define ENTRY_SIZE	24u
#define OFF_NLIBS	20
#define OFF_LEN_STRINGS	24
#define OFF_FLAGS	28

#define ORDER_UNSET	0
#define ORDER_LITTLE	2
#define ORDER_BIG	3

static int fail(struct bbpf_diag *d, enum bbpf_bad why, uint64_t off, uint32_t idx)
{
	return bbpf_diag_fail(d, why, BBPF_DIAG_NO_SEC, off, idx);
}

/*
 * Keys and values lie in the string table that follows the entries, whose
 * last byte is a NUL: then every one of them ends inside it, and checking
 * an entry costs O(1) however the strings overlap.
 */
static bool str_ok(uint64_t lo, uint64_t hi, uint32_t off)
{
	return off >= lo && off < hi;
}

/* An entry as in the file: flags, key, value, osversion, hwcap. */
struct ent {
	int32_t flags;
	uint32_t key, value, osv;
	uint64_t hwcap;
};
_Static_assert(sizeof(struct ent) == ENTRY_SIZE, "an entry as in the file");

static void read_entry(const struct bbpf_ldcache *c, uint32_t i, struct ent *e)
{
	/* inside: parse */
	memcpy(e, c->buf + HDR_SIZE + (uint64_t)i * ENTRY_SIZE, sizeof(*e));
	if (c->swap)
		bbpf_cursor_swap(e, "44448");
}

int bbpf_ldcache_parse(struct bbpf_ldcache *c, const void *buf, uint64_t len,
		       struct bbpf_diag *diag)
{
	struct bbpf_ldcache v = { .buf = buf, .len = len };
	uint64_t str_lo;
	uint32_t len_strings;
	uint8_t order;

	if (!c || (!buf && len))
		return -EINVAL;
	if (len >= OLD_MAGIC_LEN && memcmp(buf, OLD_MAGIC, OLD_MAGIC_LEN) == 0)
		return fail(diag, BBPF_BAD_LDCACHE_FORMAT, 0, 0);
	if (len < HDR_SIZE || memcmp(buf, MAGIC, MAGIC_LEN) != 0)
		return fail(diag, BBPF_BAD_LDCACHE, 0, 0);
	if (memcmp((const uint8_t *)buf + MAGIC_LEN, VERSION, VERSION_LEN) != 0)
		return fail(diag, BBPF_BAD_LDCACHE_FORMAT, MAGIC_LEN, 0);
	order = v.buf[OFF_FLAGS];
	if (order != ORDER_UNSET && order != ORDER_LITTLE && order != ORDER_BIG)
		return fail(diag, BBPF_BAD_LDCACHE, OFF_FLAGS, 0);
	v.swap = order != ORDER_UNSET && (order == ORDER_LITTLE) != host_is_le();
	/* inside the header (len >= HDR_SIZE) */
	v.nlibs = load_u32(v.buf + OFF_NLIBS, v.swap);
	len_strings = load_u32(v.buf + OFF_LEN_STRINGS, v.swap);
	/* nlibs is at most 2^32 - 1, so the product fits in 64 bits. */
	if (!span_ok(HDR_SIZE, (uint64_t)v.nlibs * ENTRY_SIZE, len))
		return fail(diag, BBPF_BAD_LDCACHE, OFF_NLIBS, v.nlibs);
	str_lo = HDR_SIZE + (uint64_t)v.nlibs * ENTRY_SIZE;
	if (!span_ok(str_lo, len_strings, len) ||
	    (len_strings && v.buf[str_lo + len_strings - 1] != '\0'))
		return fail(diag, BBPF_BAD_LDCACHE, OFF_LEN_STRINGS, 0);
	for (uint32_t i = 0; i < v.nlibs; i++) {
		struct ent e;

		read_entry(&v, i, &e);
		if (!str_ok(str_lo, str_lo + len_strings, e.key) ||
		    !str_ok(str_lo, str_lo + len_strings, e.value))
			return fail(diag, BBPF_BAD_LDCACHE, HDR_SIZE + (uint64_t)i * ENTRY_SIZE, i);
	}
	*c = v;
	return 0;
}

int bbpf_ldcache_entry(const struct bbpf_ldcache *c, uint32_t i, struct bbpf_ldcache_entry *e)
{
	struct ent r;

	if (!c || !e || i >= c->nlibs)
		return -EINVAL;
	read_entry(c, i, &r);
	e->flags = r.flags;
	e->osversion = r.osv;
	e->hwcap = r.hwcap;
	e->key = (const char *)c->buf + r.key;
	e->value = (const char *)c->buf + r.value;
	return 0;
}

int bbpf_ldcache_lookup(const struct bbpf_ldcache *c, const char *soname, int32_t flags,
			const char **path)
{
	const char *any = NULL;

	if (!c || !soname || !path)
		return -EINVAL;
	for (uint32_t i = 0; i < c->nlibs; i++) {
		struct bbpf_ldcache_entry e;

		bbpf_ldcache_entry(c, i, &e);
		if (e.flags != flags || strcmp(e.key, soname) != 0)
			continue;
		if (!e.hwcap) {
			*path = e.value;
			return 0;
		}
		if (!any)
			any = e.value;
	}
	if (!any)
		return -ENOENT;
	*path = any;
	return 0;
}

int32_t bbpf_ldcache_host_flags(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_X8664_LIBX32;
#elif defined(__x86_64__)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_X8664_LIB64;
#elif defined(__i386__)
	return BBPF_LDCACHE_ELF_LIBC6;
#elif defined(__aarch64__)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_AARCH64_LIB64;
#elif defined(__arm__) && defined(__ARM_PCS_VFP)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_ARM_LIBHF;
#elif defined(__arm__)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_ARM_LIBSF;
#elif defined(__s390x__)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_S390_LIB64;
#elif defined(__powerpc64__)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_POWERPC_LIB64;
#elif defined(__riscv) && __riscv_xlen == 64 && defined(__riscv_float_abi_double)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_RISCV_DOUBLE;
#elif defined(__loongarch64) && defined(__loongarch_double_float)
	return BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_LARCH_DOUBLE;
#else
	return -1;
#endif
}
