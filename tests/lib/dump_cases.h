/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synthetic BTF for the C and raw dumpers, one case per construct:
 * test_dump_c.c checks barebpf's text for each exactly, test_btf_dump_
 * bpftool.c runs bpftool 7.1 on the same bytes and compares.
 */
#ifndef BBPF_TEST_DUMP_CASES_H
#define BBPF_TEST_DUMP_CASES_H

#include "btf_builder.h"

struct dump_case {
	const char *name;
	void (*build)(struct bb_btf *b);
};

extern const struct dump_case dump_cases[];
extern const size_t dump_case_cnt;

/* The case called name, or NULL. */
const struct dump_case *dump_case_find(const char *name);

#endif
