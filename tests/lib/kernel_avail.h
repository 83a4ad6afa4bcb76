/* SPDX-License-Identifier: BSD-2-Clause */
/* Whether real-kernel tests can run here; shared by the kernel test files. */
#ifndef TK_KERNEL_AVAIL_H
#define TK_KERNEL_AVAIL_H

/*
 * Why real-kernel tests cannot run (not root, bpf(2) missing or refused),
 * or NULL if they can. Probes with a trivial array map, closed at once.
 */
const char *tk_kernel_unavailable(void);

#endif
