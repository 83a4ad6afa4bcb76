/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /etc/ld.so.cache reader (src/parse/ldcache.c) on arbitrary bytes: parse,
 * then every entry and a lookup. Strings must lie in the input; every
 * rejection must name its reason.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "parse/ldcache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(const char *s, const uint8_t *data, size_t size)
{
	return (const uint8_t *)s >= data && (const uint8_t *)s + strlen(s) < data + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_ldcache c;
	struct bbpf_diag d = { 0 };
	const char *path;
	int rc = bbpf_ldcache_parse(&c, data, size, &d);

	if (rc == -EBADMSG) {
		if (d.why != BBPF_BAD_LDCACHE && d.why != BBPF_BAD_LDCACHE_FORMAT)
			abort();
		return 0;
	}
	if (rc != 0 && !(rc == -EINVAL && !data))
		abort();
	if (rc)
		return 0;
	for (uint32_t i = 0; i < c.nlibs; i++) {
		struct bbpf_ldcache_entry e;

		if (bbpf_ldcache_entry(&c, i, &e) != 0 || !inside(e.key, data, size) ||
		    !inside(e.value, data, size))
			abort();
	}
	rc = bbpf_ldcache_lookup(&c, "libc.so.6", bbpf_ldcache_host_flags(), &path);
	if (rc == 0 && !inside(path, data, size))
		abort();
	if (rc != 0 && rc != -ENOENT)
		abort();
	return 0;
}
