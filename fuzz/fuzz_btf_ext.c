/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for .BTF.ext. Input: u32 (little-endian) BTF length,
 * the raw BTF, then the .BTF.ext bytes in the BTF's byte order. Decoded
 * records are checked against the invariants the parser promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <barebpf/object.h>
#include "parse/btf_ext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_info(const struct bbpf_btf *btf, const struct bbpf_btf_ext_info *info, int kind)
{
	uint32_t i, j, total = 0;

	for (i = 0; i < info->sec_cnt; i++) {
		const struct bbpf_btf_ext_sec *s = &info->secs[i];

		if (!s->sec_name || !s->cnt || bbpf_btf_ext_find(info, s->sec_name) == NULL)
			__builtin_trap();
		for (j = 0; j < s->cnt; j++) {
			const struct bpf_func_info *fi = (const struct bpf_func_info *)s->recs + j;
			const struct bpf_line_info *li = (const struct bpf_line_info *)s->recs + j;
			const struct bpf_core_relo *cr = (const struct bpf_core_relo *)s->recs + j;

			if (kind == 0 && (fi->insn_off % 8 || !bbpf_btf_type(btf, fi->type_id)))
				__builtin_trap();
			if (kind == 1 && (li->insn_off % 8 || !bbpf_btf_str(btf, li->line_off)))
				__builtin_trap();
			if (kind == 2 && (cr->insn_off % 8 || !bbpf_btf_str(btf, cr->access_str_off)))
				__builtin_trap();
		}
		total += s->cnt;
	}
	if (total != info->rec_cnt)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	struct bbpf_btf_ext ext;
	uint32_t btf_len;

	if (size < 4 || size > UINT32_MAX)
		return 0;
	btf_len = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
		  (uint32_t)data[3] << 24;
	if (btf_len > size - 4)
		return 0;
	bbpf_arena_init(&arena, &bbpf_alloc_libc,
			BBPF_MEM_BUDGET_FACTOR * size + BBPF_MEM_BUDGET_BASE);
	if (bbpf_btf_parse_raw(&btf, data + 4, btf_len, NULL, &arena, NULL) == 0 &&
	    bbpf_btf_ext_parse(&ext, data + 4 + btf_len, (uint32_t)(size - 4 - btf_len), btf.swap,
			       &btf, &arena, NULL) == 0) {
		check_info(&btf, &ext.func_info, 0);
		check_info(&btf, &ext.line_info, 1);
		check_info(&btf, &ext.core_relo, 2);
	}
	bbpf_arena_free(&arena);
	return 0;
}
