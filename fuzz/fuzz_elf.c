/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for src/parse/elf.c: parse as a BPF object and as a
 * generic ELF, then read every section, symbol and relocation through the
 * accessors, and look a symbol up for uprobes. Any crash, sanitizer report or
 * broken invariant (abort) is a bug.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "parse/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct bbpf_elf *e)
{
	for (uint32_t i = 0; i < e->shnum; i++) {
		const struct bbpf_elf_shdr *s = bbpf_elf_shdr(e, i);
		const uint8_t *p = bbpf_elf_sec_data(e, i);
		uint32_t n = bbpf_elf_sym_cnt(e, i);
		volatile uint8_t sink;

		if (!s || strlen(s->name) >= e->len)
			abort();
		/* find_sec skips the null section 0 and returns the first match. */
		if (i > 0 && (bbpf_elf_find_sec(e, s->name) - 1u) >= i)
			abort();
		if (p)
			sink = p[0] ^ p[s->size - 1];	/* the validated range, both ends */
		for (uint32_t k = 0; k < n; k++) {
			struct bbpf_elf_sym sym;

			if (bbpf_elf_sym(e, i, k, &sym) != 0 || strlen(sym.name) >= e->len)
				abort();
			sink = (uint8_t)sym.name[0];
		}
		n = bbpf_elf_rel_cnt(e, i);
		for (uint32_t k = 0; k < n; k++) {
			struct bbpf_elf_rel r;

			if (bbpf_elf_rel(e, i, k, &r) != 0)
				abort();
			if (s->link ? r.sym >= bbpf_elf_sym_cnt(e, s->link) : r.sym != 0)
				abort();
		}
		(void)sink;
	}
}

static void run(const uint8_t *data, size_t size, unsigned int flags)
{
	struct bbpf_arena arena;
	struct bbpf_diag diag = { 0 };
	struct bbpf_elf elf;
	uint64_t off;
	int rc;

	bbpf_arena_init(&arena, &bbpf_alloc_libc, BBPF_MEM_BUDGET_BASE + BBPF_MEM_BUDGET_FACTOR * size);
	rc = bbpf_elf_parse(&elf, data, size, flags, &arena, &diag);
	if (rc == 0) {
		walk(&elf);
		rc = bbpf_elf_sym_file_off(&elf, "main", &off);
		if (rc == 0 && off >= size)
			abort();
	} else if (rc != -ENOMEM && diag.why == BBPF_BAD_NONE) {
		abort();	/* every rejection names its reason */
	}
	bbpf_arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, BBPF_ELF_BPF_OBJECT);
	run(data, size, 0);
	return 0;
}
