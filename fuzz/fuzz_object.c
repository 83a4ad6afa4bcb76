/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole open phase on arbitrary bytes, then every getter, so that the
 * views the object hands out are exercised too. No global setup needed.
 */
#include <stddef.h>
#include <stdint.h>
#include <barebpf/object.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(struct bbpf_object *obj)
{
	struct bbpf_btf_summary s;
	struct bbpf_relo_counts rc;
	size_t i, j;
	uint32_t slot;
	const char *target;

	(void)bbpf_object_btf_summary(obj, &s);
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);
		const struct bpf_insn *insn = bbpf_program_insns(p);
		volatile uint8_t sink = 0;

		bbpf_program_relo_counts(p, &rc);
		for (j = 0; j < bbpf_program_insn_cnt(p); j++)
			sink ^= insn[j].code;
		sink ^= (uint8_t)bbpf_program_section(p)[0] ^ (uint8_t)bbpf_program_name(p)[0] ^
			(uint8_t)bbpf_program_attach_target(p)[0];
		(void)sink;
	}
	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		struct bbpf_map *m = bbpf_object_map(obj, i);
		size_t sz = 0;
		uint8_t *v = bbpf_map_initial_value(m, &sz);

		if (v && sz)
			v[sz - 1] ^= 1;	/* writable, value_size bytes */
		(void)bbpf_map_inner(m);
		for (j = 0; j < bbpf_map_init_slot_cnt(m); j++)
			(void)bbpf_map_init_slot(m, j, &slot, &target);
	}
	for (i = 0; i < bbpf_object_extern_cnt(obj); i++)
		(void)bbpf_extern_name(bbpf_object_extern(obj, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_open_opts opts = { .object_name = "fuzz" };
	struct bbpf_object *obj = NULL;
	struct bbpf_diag diag = { 0 };

	if (bbpf_object_open_mem(&obj, data, size, &opts, &diag) == 0) {
		walk(obj);
		bbpf_object_free(obj);
	}
	return 0;
}
