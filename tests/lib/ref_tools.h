/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Facts about an object file from the reference tools, for comparison with
 * what barebpf finds: llvm-objdump -h/-t (sections, symbols) and
 * bpftool btf dump file (DATASEC members).
 */
#ifndef BBPF_TEST_REF_TOOLS_H
#define BBPF_TEST_REF_TOOLS_H

#include <stdbool.h>
#include <stddef.h>

struct ref_section {
	char name[256];
	unsigned long size;
	bool text, data, bss;	/* llvm-objdump's Type column */
};

struct ref_elf {
	struct ref_section sec[256];
	size_t nsec;
	char *syms;		/* llvm-objdump -t output */
};

/* "llvm-objdump" or "llvm-objdump-16"; "bpftool" (also in /usr/sbin); NULL if missing. */
const char *ref_objdump(void);
const char *ref_bpftool(void);

/* 0, or -1 if the tool could not be run. */
int ref_elf_read(const char *objdump, const char *file, struct ref_elf *ef);
void ref_elf_free(struct ref_elf *ef);
const struct ref_section *ref_elf_section(const struct ref_elf *ef, const char *name);

/* kind: 'F' function, 'O' object, ' ' other (llvm-objdump -t flag column 7). */
typedef void (*ref_sym_fn)(void *ctx, const char *sec, unsigned long addr, unsigned long size,
			   char kind, const char *name);
void ref_elf_for_each_sym(const struct ref_elf *ef, ref_sym_fn fn, void *ctx);

/* VAR names in DATASEC datasec (e.g. ".maps"); nothing if the file has no BTF. */
int ref_btf_datasec_vars(const char *bpftool, const char *file, const char *datasec,
			 void (*fn)(void *ctx, const char *name), void *ctx);

#endif
