/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BBPF_DIAG_INT_H
#define BBPF_DIAG_INT_H

#include <stdint.h>
#include <barebpf/diag.h>
#include "fmt.h"	/* BBPF_MSGZ_STR */

/*
 * Record the first failure and return its errno: -E2BIG for the *_LIMIT
 * reasons, -EBADMSG for everything else.
 */
int bbpf_diag_fail(struct bbpf_diag *d, enum bbpf_bad why, uint32_t sec, uint64_t off,
		   uint32_t idx);

#endif
