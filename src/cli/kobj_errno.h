/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BBPF_CLI_KOBJ_ERRNO_H
#define BBPF_CLI_KOBJ_ERRNO_H

#include "kobj.h"

/*
 * bbpf_cli_kobj_err() with ": " and bbpf_cli_kobj_strerror(err) after the
 * message (err nonzero, negative or positive); returns BBPF_CLI_EXIT_FAIL.
 */
int bbpf_cli_kobj_errno(struct bbpf_cli_kobj *k, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
