/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The syscall table the libbpf-compatible API (src/compat) runs over in a
 * test: tests/lib/compat_sys.c defines bbpf_compat_sys(), overriding the
 * library's weak one (which gives the real kernel). A test binary that does
 * not link src/compat never calls it.
 */
#ifndef TC_COMPAT_SYS_H
#define TC_COMPAT_SYS_H

#include <barebpf/sys.h>

/* Use sys from now on (NULL: bbpf_sys_linux). The table must outlive its use. */
void tc_compat_use(const struct bbpf_sys *sys);

#endif
