/* SPDX-License-Identifier: BSD-2-Clause */
/* One integer reader for kconfig values and uprobe "func+off" offsets. */
#ifndef BBPF_NUM_H
#define BBPF_NUM_H

#include <stddef.h>
#include <stdint.h>

enum {
	BBPF_NUM_BARE_0X = 1u << 0,	/* "0x" with no digit reads as 0 (scanf), not octal 0 then junk */
	BBPF_NUM_S64	 = 1u << 1,	/* in int64_t range (else uint64_t, '-' negating mod 2^64) */
};

/*
 * s[0..len) as strtoull/strtoll(s, &end, 0) read it (leading white space, a
 * sign, 0x/0 prefixes), with end at len: 0, -EINVAL (no digits, or bytes
 * left) or -ERANGE (out of range; -EINVAL wins if bytes are left).
 */
int bbpf_num_parse(const char *s, size_t len, unsigned int flags, uint64_t *out);

#endif
