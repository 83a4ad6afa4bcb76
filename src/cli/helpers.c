/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of the BPF helper functions by id ("bpf_map_lookup_elem" is 1), as
 * the kernel's disassembler and bpftool's feature probe print them. The
 * list comes from the system's <linux/bpf.h> (its __BPF_FUNC_MAPPER), so a
 * newer header brings newer helpers; what Debian's 6.1 header lacks of the
 * running kernel's helpers (6.18: ids up to 211) is appended below. The
 * helper list is frozen upstream: new kernel functions are kfuncs.
 */
#include <linux/bpf.h>

#include "cli.h"

const char *bbpf_cli_helper_name(unsigned int id);
unsigned int bbpf_cli_helper_cnt(void);

/* __BPF_FUNC_MAPPER(FN) is "FN(unspec), FN(map_lookup_elem), ..." in every header version. */
#define HELPER_NAME(x) "bpf_" #x

static const char *const helper_names[] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
#if __BPF_FUNC_MAX_ID <= 210
	"bpf_cgrp_storage_get",		/* 210, Linux 6.2 */
#endif
#if __BPF_FUNC_MAX_ID <= 211
	"bpf_cgrp_storage_delete",	/* 211, Linux 6.2 */
#endif
};

#define HELPER_CNT (sizeof(helper_names) / sizeof(helper_names[0]))
_Static_assert(HELPER_CNT >= 212, "helper ids 0..211 (Linux 6.18)");

const char *bbpf_cli_helper_name(unsigned int id)
{
	return id < HELPER_CNT ? helper_names[id] : NULL;
}

unsigned int bbpf_cli_helper_cnt(void)
{
	return HELPER_CNT;
}
