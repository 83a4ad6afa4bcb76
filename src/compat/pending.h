/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Native functions the compat layer wraps that are declared in
 * include/barebpf/attach.h but whose implementation is not in main yet
 * (other branches are writing them). Each line below makes a call to one
 * of them return -EOPNOTSUPP instead of referencing the missing symbol, so
 * the library links; the compat wrapper around it is complete and is
 * written against the declaration. When a native function is merged,
 * delete its line here: nothing else changes. tests/unit/test_compat_attach.c
 * checks each wrapper both ways (pending: -EOPNOTSUPP with errno; merged:
 * against the fake kernel).
 */
#ifndef BBPF_COMPAT_PENDING_H
#define BBPF_COMPAT_PENDING_H

#include <errno.h>

static inline int bbpf_compat_pending(int unused, ...)
{
	(void)unused;
	return -EOPNOTSUPP;
}


#endif
