/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one policy for kernel commands that write a log (BPF_PROG_LOAD,
 * BPF_BTF_LOAD), as libbpf has it: run at the asked level (0: no log); if
 * that fails without a log, run again at level 1 to get one; while the
 * kernel says the buffer is too small (-ENOSPC), double it, from 64 KiB up
 * to 16 MiB.
 */
#include <errno.h>
#include "kern.h"

#define KLOG_MIN ((uint32_t)64 << 10)
#define KLOG_MAX ((uint32_t)16 << 20)

long bbpf_klog_run(struct bbpf_arena *scratch, uint32_t level, bbpf_klog_fn fn, void *arg,
		   struct bbpf_klog *log)
{
	uint32_t size = KLOG_MIN;
	long ret;

	log->buf = NULL;
	log->size = 0;
	for (;;) {
		char *buf = NULL;

		if (level) {
			buf = bbpf_arena_zalloc(scratch, size);
			if (!buf)
				return -ENOMEM;
		}
		ret = fn(arg, buf, buf ? size : 0, level);
		if (buf) {
			log->buf = buf;
			log->size = size;
		}
		if (ret >= 0)
			return ret;
		if (!level) {
			level = 1;
			continue;
		}
		if (ret != -ENOSPC || size >= KLOG_MAX)
			return ret;
		size *= 2;
	}
}
