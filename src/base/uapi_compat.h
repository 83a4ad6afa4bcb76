/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel UAPI values newer than the system's <linux/bpf.h> (Debian 12 ships
 * 6.1 headers). Written from the kernel's documented ABI; each value is
 * guarded so newer headers win.
 */
#ifndef BBPF_UAPI_COMPAT_H
#define BBPF_UAPI_COMPAT_H

#include <linux/bpf.h>

#endif
