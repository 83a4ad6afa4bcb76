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

void bbpf_cli_inspect_json_btf(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	struct bbpf_btf_summary s;
	char kb[BBPF_CLI_NAME_BUF];
	const char *name;
	unsigned int k;

	memset(&s, 0, sizeof(s));
	if (bbpf_object_btf_summary(obj, &s))
		memset(&s, 0, sizeof(s));
	bbpf_cli_json_kvs(j, "{btf\0bpresent\0bext_present\0utypes\0ustrings_bytes\0{kinds\0",
			  (int)s.has_btf,
			  (int)s.has_btf_ext, (uint64_t)s.type_cnt, (uint64_t)s.str_len);
	for (k = 0; k < 32; k++) {
		if (!s.kind_cnt[k])
			continue;
		name = bbpf_cli_btf_kind_name(k, kb, sizeof(kb));
		bbpf_cli_json_kv_u64(j, name, s.kind_cnt[k]);
	}
	bbpf_cli_json_kvs(j, "}\0ufunc_info\0uline_info\0ucore_relo\0}\0", (uint64_t)s.func_info_cnt,
			  (uint64_t)s.line_info_cnt, (uint64_t)s.core_relo_cnt);
}
