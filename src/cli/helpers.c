/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of the BPF helper functions by id ("bpf_map_lookup_elem" is 1), as
 * the kernel's disassembler and bpftool's feature probe print them. The
 * list comes from the system's <linux/bpf.h> (its __BPF_FUNC_MAPPER), so a
 * newer header brings newer helpers; what Debian's 6.1 header lacks of the
 * running kernel's helpers (6.18: ids up to 211) is appended below. The
 * helper list is frozen upstream: new kernel functions are kfuncs.
 */
#include <stddef.h>
#include <string.h>
#include <linux/bpf.h>

#include "cli.h"

const char *bbpf_cli_helper_name(unsigned int id);
unsigned int bbpf_cli_helper_cnt(void);

/*
 * __BPF_FUNC_MAPPER(FN) is "FN(unspec), FN(map_lookup_elem), ...," in every
 * header version (a comma after each, the last too). Used as the
 * declarators of one member declaration it makes a struct of char arrays
 * sized exactly for "bpf_<name>" and its NUL: laid out back to back, they
 * are the names as one NUL-separated string, without a pointer per name
 * (1.7 KiB less in the static binary).
 */
#define HELPER_MEMBER(x) h_##x[sizeof("bpf_" #x)]
#define HELPER_NAME(x) "bpf_" #x

static const struct {
	char __BPF_FUNC_MAPPER(HELPER_MEMBER)
#if __BPF_FUNC_MAX_ID <= 210
	h_cgrp_storage_get[sizeof("bpf_cgrp_storage_get")],		/* 210, Linux 6.2 */
#endif
#if __BPF_FUNC_MAX_ID <= 211
	h_cgrp_storage_delete[sizeof("bpf_cgrp_storage_delete")],	/* 211, Linux 6.2 */
#endif
	end[1];
} helper_names = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
#if __BPF_FUNC_MAX_ID <= 210
	"bpf_cgrp_storage_get",
#endif
#if __BPF_FUNC_MAX_ID <= 211
	"bpf_cgrp_storage_delete",
#endif
	"",
};

#define HELPER_CNT ((__BPF_FUNC_MAX_ID > 212 ? __BPF_FUNC_MAX_ID : 212))
_Static_assert(sizeof(helper_names) == offsetof(__typeof__(helper_names), end) + 1,
	       "no padding between the names");

const char *bbpf_cli_helper_name(unsigned int id)
{
	const char *s = (const char *)&helper_names;

	if (id >= HELPER_CNT)
		return NULL;
	while (id--)
		s += strlen(s) + 1;
	return s;
}

unsigned int bbpf_cli_helper_cnt(void)
{
	return HELPER_CNT;
}
