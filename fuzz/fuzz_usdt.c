/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * USDT (src/parse/usdt.c) on arbitrary bytes, three ways: as an ELF file
 * (notes, every probe site, every argument string parsed and encoded in
 * both map layouts, spec groups, the nop-combo check), as a raw
 * .note.stapsdt section (64- and 32-bit addresses, both byte orders), and as
 * one argument string. Crashes, sanitizer reports and broken invariants
 * (abort) are bugs.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "parse/elf.h"
#include "parse/usdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rc(int rc, const struct bbpf_diag *d)
{
	switch (rc) {
	case 0: case -ENOENT: case -EINVAL: case -ESRCH: case -EBADF: case -ENOMEM:
		return;
	case -EBADMSG: case -E2BIG:
		if (d->why == BBPF_BAD_NONE)
			abort();	/* every rejection names its reason */
		return;
	default:
		abort();
	}
}

static void spec_of(uint16_t machine, const char *args)
{
	struct bbpf_usdt_spec spec;
	struct bbpf_usdt_arg_err err = { 0 };
	uint8_t v1[BBPF_USDT_SPEC_SIZE_V1], v2[BBPF_USDT_SPEC_SIZE_V2];
	int rc = bbpf_usdt_spec_parse(machine, args, 1, &spec, &err);

	if (rc == 0) {
		if (spec.arg_cnt > BBPF_USDT_MAX_ARGS)
			abort();
		for (uint16_t i = 0; i < spec.arg_cnt; i++) {
			const struct bbpf_usdt_arg *a = &spec.args[i];

			if ((a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8) ||
			    a->bitshift != 64 - 8 * a->size || a->kind > BBPF_USDT_ARG_SIB ||
			    a->reg_off > 160 || a->idx_reg_off > 160 || a->scale_shift > 3)
				abort();
		}
		rc = bbpf_usdt_spec_encode(&spec, BBPF_USDT_LAYOUT_V1, false, v1, sizeof(v1));
		if (rc != 0 && rc != -EOPNOTSUPP)
			abort();
		if (bbpf_usdt_spec_encode(&spec, BBPF_USDT_LAYOUT_V2, true, v2, sizeof(v2)) != 0)
			abort();
	} else if (rc == -EINVAL || rc == -E2BIG || rc == -EOPNOTSUPP) {
		if (!err.why || err.pos > strlen(args))
			abort();
	} else {
		abort();
	}
}

static void as_elf(const uint8_t *data, size_t size)
{
	struct bbpf_arena a;
	struct bbpf_diag d = { 0 };
	struct bbpf_elf elf;
	struct bbpf_usdt_note *notes;
	struct bbpf_usdt_target *t;
	uint32_t cnt, tcnt, groups;
	int rc;

	bbpf_arena_init(&a, &bbpf_alloc_libc, BBPF_MEM_BUDGET_BASE + BBPF_MEM_BUDGET_FACTOR * size);
	if (bbpf_elf_parse(&elf, data, size, 0, &a, &d) != 0)
		goto out;
	rc = bbpf_usdt_notes(&elf, &a, &notes, &cnt, &d);
	check_rc(rc, &d);
	if (rc == 0) {
		for (uint32_t i = 0; i < cnt; i++) {
			/* strings lie in the file */
			if ((const uint8_t *)notes[i].args < data ||
			    (const uint8_t *)notes[i].args + strlen(notes[i].args) >= data + size ||
			    !notes[i].name[0])
				abort();
			spec_of(elf.machine, notes[i].args);
			spec_of(EM_X86_64, notes[i].args);
		}
	}
	rc = bbpf_usdt_collect(&elf, NULL, NULL, &a, &t, &tcnt, &d);
	check_rc(rc, &d);
	if (rc == 0) {
		uint32_t *group = bbpf_arena_calloc(&a, tcnt, sizeof(*group));

		for (uint32_t i = 0; i < tcnt; i++) {
			const struct bbpf_elf_phdr *seg;

			if (bbpf_elf_vaddr_seg(&elf, t[i].abs_ip, &seg) != 0 || !(seg->flags & PF_X) ||
			    t[i].rel_ip != t[i].abs_ip - seg->vaddr + seg->off)
				abort();
			(void)bbpf_usdt_nop_combo(&elf, t[i].rel_ip, 4096);
		}
		if (group && bbpf_usdt_spec_groups(t, tcnt, &a, group, &groups) == 0) {
			struct bbpf_usdt_ip_entry *ent = bbpf_arena_calloc(&a, tcnt, sizeof(*ent));
			uint32_t *ids = bbpf_arena_calloc(&a, groups, sizeof(*ids)), dup = 0;

			for (uint32_t i = 0; i < tcnt; i++) {
				if (group[i] >= groups || group[i] > i)
					abort();
			}
			for (uint32_t g = 0; ids && g < groups; g++)
				ids[g] = g;
			if (ent && ids) {
				rc = bbpf_usdt_ip_entries(t, NULL, tcnt, group, ids, &a, ent, &dup);
				if ((rc != 0 && rc != -EEXIST && rc != -ENOMEM) ||
				    (rc == -EEXIST && dup >= tcnt))
					abort();
			}
		}
	}
out:
	bbpf_arena_free(&a);
}

static void as_notes(const uint8_t *data, size_t size, unsigned int addr_size, bool swap)
{
	struct bbpf_arena a;
	struct bbpf_diag d = { 0 };
	struct bbpf_usdt_note *notes;
	uint32_t cnt;
	int rc;

	bbpf_arena_init(&a, &bbpf_alloc_libc, BBPF_MEM_BUDGET_BASE + BBPF_MEM_BUDGET_FACTOR * size);
	rc = bbpf_usdt_notes_parse(data, size, 0, addr_size, 4, swap, &a, &notes, &cnt, &d);
	check_rc(rc, &d);
	for (uint32_t i = 0; rc == 0 && i < cnt; i++) {
		if (notes[i].off >= size || notes[i].args_off >= size)
			abort();
		spec_of(EM_X86_64, notes[i].args);
	}
	bbpf_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	as_elf(data, size);
	as_notes(data, size, 8, false);
	as_notes(data, size, 4, true);
	/* the bytes as one argument string, cut at the first NUL */
	s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
		spec_of(EM_X86_64, s);
		free(s);
	}
	return 0;
}
