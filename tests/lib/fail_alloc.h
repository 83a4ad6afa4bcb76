/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Failure-injecting allocator for tests (Lua's debug_realloc "countlimit"):
 * the first n allocations succeed, every later one returns NULL. Loop n over
 * 0, 1, 2, ... until the code under test succeeds to reach every -ENOMEM path.
 */
#ifndef FA_FAIL_ALLOC_H
#define FA_FAIL_ALLOC_H

#include <stddef.h>
#include <barebpf/alloc.h>

struct fa {
	unsigned long left;	/* allocations (and grows) that will still succeed */
	unsigned long failed;	/* requests refused so far */
	size_t live;		/* bytes allocated and not freed: 0 after a clean teardown */
};

/* Reset *fa and return an allocator that fails after n successes. */
struct bbpf_alloc fa_after(struct fa *fa, unsigned long n);

#endif
