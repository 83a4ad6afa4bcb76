/* SPDX-License-Identifier: BSD-2-Clause */
/* gzip/DEFLATE (the /proc/config.gz reader) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_arena a;
	struct bbpf_diag d = { 0 };
	uint8_t *out;
	size_t len;

	bbpf_arena_init(&a, &bbpf_alloc_libc, 64u << 20);
	(void)bbpf_gunzip(data, size, &a, 16u << 20, &out, &len, &d);
	bbpf_arena_free(&a);
	return 0;
}
