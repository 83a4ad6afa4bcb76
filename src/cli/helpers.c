/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of the BPF helper functions by id ("bpf_map_lookup_elem" is 1), as
 * the kernel's disassembler and bpftool's feature probe print them. The
 * list (helper_names.txt, one name a line, in id order) is frozen upstream
 * (new kernel functions are kfuncs) and ends with the running kernel's last
 * helper (6.18: id 211). The build keeps it deflated (the Makefile's
 * $(GEN)/%.h rule): 1.3 KiB instead of 4.2 in the static binary; a lookup
 * inflates it into the caller's buffer.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/bpf.h>

#include "cli.h"
#include "req.h"
#include "../base/inflate.h"
#include "helper_names.h"

_Static_assert(helper_names_len < BBPF_CLI_HELPERS_CAP, "BBPF_CLI_HELPERS_CAP fits the names");

int bbpf_cli_helpers_load(struct bbpf_cli_helpers *h)
{
	size_t used, len = 0;
	unsigned int i;

	h->cnt = 0;
	if (bbpf_inflate(helper_names_z, sizeof(helper_names_z), (uint8_t *)h->names,
			 sizeof(h->names) - 1, &used, &len, NULL) || len != helper_names_len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (h->names[i] == '\n') {
			h->names[i] = 0;
			h->cnt++;
		}
	}
	return 0;
}

const char *bbpf_cli_helper_name(const struct bbpf_cli_helpers *h, unsigned int id)
{
	const char *s = h->names;

	if (id >= h->cnt)
		return NULL;
	while (id--)
		s += strlen(s) + 1;
	return s;
}
