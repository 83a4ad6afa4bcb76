/* SPDX-License-Identifier: BSD-2-Clause */
/* The parts of "barebpf inspect" -j that have no text twin (inspect_text.c prints the rest). */
#include <stdio.h>
#include <string.h>

#include "inspect.h"
#include "json.h"
#include "../base/fmt.h"

void bbpf_cli_inspect_json_slots(struct bbpf_cli_json *j, const struct bbpf_map *m)
{
	size_t i, n = bbpf_map_init_slot_cnt(m);
	const char *target;
	uint32_t slot;

	/* in the array "init_slots" the caller opened */
	for (i = 0; i < n; i++) {
		if (bbpf_map_init_slot(m, i, &slot, &target))
			continue;
		bbpf_cli_json_kvs(j, "{\0uslot\0starget\0}\0", (uint64_t)slot, target);
	}
	bbpf_cli_json_arr_end(j);
}
