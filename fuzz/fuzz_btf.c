/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the BTF reader: parse raw BTF, then walk every id
 * through the accessors and trap if a validated invariant does not hold.
 * The same bytes are then parsed again as split BTF on top of themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <barebpf/object.h>
#include "parse/btf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ids(struct bbpf_btf *btf)
{
	const struct btf_member *m;
	const struct btf_type *t;
	uint32_t id, i, probes = 0;

	for (id = 1; id < btf->type_cnt; id++) {
		t = bbpf_btf_type(btf, id);
		if (!t || !bbpf_btf_type_rec_len(t) || !bbpf_btf_str(btf, t->name_off))
			__builtin_trap();
		(void)bbpf_btf_name(btf, id);
		(void)bbpf_btf_resolve_size(btf, id);
		(void)bbpf_btf_skip_mods(btf, id);
		if (bbpf_btf_kind(t) == BTF_KIND_STRUCT || bbpf_btf_kind(t) == BTF_KIND_UNION) {
			m = bbpf_btf_members(t);
			for (i = 0; i < bbpf_btf_vlen(t); i++) {
				if (!bbpf_btf_type(btf, m[i].type) || !bbpf_btf_str(btf, m[i].name_off))
					__builtin_trap();
			}
		}
		/* The lookup must find the first id of each probed name and kind. */
		if (*bbpf_btf_name(btf, id) && probes++ < 16) {
			uint32_t found = bbpf_btf_find_by_name_kind(btf, bbpf_btf_name(btf, id),
								    bbpf_btf_kind(t));

			if (!found || found > id)
				__builtin_trap();
		}
	}
	(void)bbpf_btf_find_by_name_kind(btf, "int", BTF_KIND_INT);
	(void)bbpf_btf_find_by_name_kind(btf, "task_struct", 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_arena arena;
	struct bbpf_btf base, split;

	if (size > UINT32_MAX)
		return 0;
	bbpf_arena_init(&arena, &bbpf_alloc_libc,
			BBPF_MEM_BUDGET_FACTOR * size + BBPF_MEM_BUDGET_BASE);
	if (bbpf_btf_parse_raw(&base, data, (uint32_t)size, NULL, &arena, NULL) == 0) {
		check_ids(&base);
		if (bbpf_btf_parse_raw(&split, data, (uint32_t)size, &base, &arena, NULL) == 0)
			check_ids(&split);
	}
	bbpf_arena_free(&arena);
	return 0;
}
