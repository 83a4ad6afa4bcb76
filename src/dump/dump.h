/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Text output of the pure dumpers (BTF values, BTF as C): everything they
 * produce goes through a caller's writer, so they stay free of stdio and
 * of allocation policy. Pure: base and parse only.
 */
#ifndef BBPF_DUMP_H
#define BBPF_DUMP_H

#include <stddef.h>

struct bbpf_dump_out {
	/* Called with len > 0 bytes of output, not NUL-terminated. */
	void (*write)(void *ctx, const char *s, size_t len);
	void *ctx;
};

#endif
