/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * .BTF.ext reader: func_info, line_info and CO-RE relocation records grouped
 * by ELF section name. Records are arrays of fixed structs in host byte
 * order: the input's own bytes when they already are (host order, the
 * struct's size, aligned), else decoded copies; a larger on-disk record size
 * (a newer format) is accepted, its tail ignored, as the kernel and libbpf do.
 */
#ifndef BBPF_BTF_EXT_H
#define BBPF_BTF_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "btf.h"

/* One section's records: recs points to cnt structs of the block's kind. */
struct bbpf_btf_ext_sec {
	const char *sec_name;	/* from the BTF string section */
	uint32_t cnt;
	/*
	 * struct bpf_func_info / bpf_line_info / bpf_core_relo: in the input
	 * itself when its records already have that layout, else decoded.
	 */
	const void *recs;
	bool sorted;		/* insn_off never decreases (clang's order): binary-searchable */
};

/*
 * Index of the first record of s whose insn_off (bytes) is >= off: a binary
 * search when s is sorted, else 0 (the caller scans from the start).
 * rec_size is the in-memory size of the block's records.
 */
uint32_t bbpf_btf_ext_lower_bound(const struct bbpf_btf_ext_sec *s, size_t rec_size, uint64_t off);

struct bbpf_btf_ext_info {
	uint32_t rec_size;	/* on-disk record size */
	uint32_t sec_cnt;
	struct bbpf_btf_ext_sec *secs;
	uint32_t rec_cnt;	/* all sections */
};

struct bbpf_btf_ext {
	struct bbpf_btf_ext_info func_info;
	struct bbpf_btf_ext_info line_info;
	struct bbpf_btf_ext_info core_relo;
};

/*
 * Parse .BTF.ext. String offsets (section names, line_info file/line
 * strings, CO-RE access strings) and type ids (func_info, CO-RE) are checked
 * against btf. Offsets of instructions are in bytes, as on disk, and must be
 * multiples of 8. swap as for bbpf_btf_parse().
 */
int bbpf_btf_ext_parse(struct bbpf_btf_ext *ext, const void *data, uint32_t len, bool swap,
		       const struct bbpf_btf *btf, struct bbpf_arena *arena,
		       struct bbpf_diag *diag);

/* The block for a section name, NULL if none. */
const struct bbpf_btf_ext_sec *bbpf_btf_ext_find(const struct bbpf_btf_ext_info *info,
						 const char *sec_name);

#endif
