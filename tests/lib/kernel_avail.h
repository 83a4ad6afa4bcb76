/* SPDX-License-Identifier: BSD-2-Clause */
/* Whether real-kernel tests can run here; shared by the kernel test files. */
#ifndef TK_KERNEL_AVAIL_H
#define TK_KERNEL_AVAIL_H

/*
 * Why real-kernel tests cannot run (not root, bpf(2) missing or refused),
 * or NULL if they can. Probes with a trivial array map, closed at once.
 */
const char *tk_kernel_unavailable(void);

/*
 * Mount tracefs at /sys/kernel/tracing and bpffs at /sys/fs/bpf unless they
 * are there: NULL, or why not (a test failure, not a reason to skip).
 */
const char *tk_mount_fs(void);

/*
 * The one kernel gate for cmocka tests (include <cmocka.h> first): a test
 * that needs the real kernel starts with TK_NEED_KERNEL(); without root or
 * BPF it is skipped, printing why. Nothing else is a reason to skip: a
 * missing reference tool or file on this machine is a failure.
 */
#define TK_NEED_KERNEL()							\
	do {									\
		const char *tk_why_ = tk_kernel_unavailable();			\
		if (tk_why_) {							\
			print_message("[  SKIP    ] %s: %s\n", __func__, tk_why_);	\
			skip();							\
		}								\
	} while (0)

#endif
