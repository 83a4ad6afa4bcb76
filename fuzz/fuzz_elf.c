/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for src/parse/elf.c: parse as a BPF object and as a
 * generic ELF, then read every section, symbol and relocation through the
 * accessors, look symbols up for uprobes (one name, versioned names, a batch,
 * a pattern) and translate an address through the segments. Any crash, sanitizer report or
 * broken invariant (abort) is a bug.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "parse/elf.h"
#include "parse/usym.h"

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

/* Whatever the tables hold, lookups terminate and report found names consistently. */
static void uprobe_lookups(const struct bbpf_elf *e, struct bbpf_arena *arena)
{
	struct bbpf_usym one, many[3] = { { .name = "main" }, { .name = "f@@V1" }, { .name = "f@V2" } };
	struct bbpf_usym *hits = NULL;
	size_t cnt = 0, bad;
	int rc;

	rc = bbpf_usym_find(e, "main", BBPF_USYM_IFUNC | BBPF_USYM_OBJECT, &one);
	if (rc == 0 && (one.off == 0 || one.table == 0))
		abort();
	rc = bbpf_usym_resolve(e, many, 3, 0, arena, &bad);
	if ((rc == -ENOENT || rc == -ENOTUNIQ) && bad >= 3)
		abort();
	if (bbpf_usym_glob(e, "*a?n*", BBPF_USYM_OBJECT, arena, &hits, &cnt) == 0) {
		for (size_t i = 0; i < cnt; i++) {
			if (!bbpf_usym_glob_match(hits[i].name, "*a?n*"))
				abort();
		}
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
		uprobe_lookups(&elf, &arena);
		if (bbpf_elf_vaddr_off(&elf, elf.entry, &off, NULL) == 0 && off == UINT64_MAX)
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
