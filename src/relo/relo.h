/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relocation engine: from an opened object, the kernel's answers (map
 * fds, extern values) and nothing else, build the final instruction stream
 * of one program, as libbpf 1.1 builds it:
 *   1. data references in every function (maps, global data, externs);
 *   2. bpf-to-bpf calls and callbacks: the subprograms a program uses are
 *      appended after it, transitively, in depth-first order of first use,
 *      and call/ld_imm64 offsets are fixed;
 *   3. func_info/line_info of the program and its appended subprograms,
 *      with instruction offsets in instructions, rebased.
 * Pure: no syscalls, no files. CO-RE records are applied separately.
 */
#ifndef BBPF_RELO_H
#define BBPF_RELO_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "../base/arena.h"
#include "../base/diag.h"

struct bbpf_object;
struct bbpf_program;

/* What the loader resolved for an extern (index = the object's extern index). */
struct bbpf_extern_val {
	bool resolved;		/* false: weak and missing (its value is 0) */
	uint64_t kcfg_unused;	/* reserved */
	uint64_t addr;		/* typeless ksym: kernel address */
	uint32_t btf_id;	/* typed ksym or kfunc: type id in the kernel's BTF */
	int32_t btf_obj_fd;	/* typed ksym in a module: its BTF fd; 0 for vmlinux */
	int16_t btf_fd_idx;	/* kfunc in a module: index in fd_array; 0 for vmlinux */
};

struct bbpf_relo_env {
	const int *map_fds;			/* per object map index; -1 = not created */
	const struct bbpf_extern_val *ext;	/* per object extern index */
	int kconfig_map_fd;			/* fd of the .kconfig map, -1 if none */
};

/* Where a function landed in the image; funcs[0] is the program at 0. */
struct bbpf_image_func {
	const struct bbpf_program *prog;
	uint32_t insn_off;
};

/* The final program, allocated in the caller's arena. */
struct bbpf_prog_image {
	struct bpf_insn *insns;
	uint32_t insn_cnt;
	struct bpf_func_info *func_info;	/* insn_off in instructions */
	uint32_t func_info_cnt;
	struct bpf_line_info *line_info;	/* insn_off in instructions */
	uint32_t line_info_cnt;
	struct bbpf_image_func *funcs;		/* layout, for CO-RE and diagnostics */
	uint32_t func_cnt;
};

/*
 * Relocate prog, one of obj's programs (not a subprogram). Errors: -EBADMSG with diag for
 * malformed code (a call into nothing, a relocation of the wrong
 * instruction), -ENOENT if a used map was not created (autocreate off),
 * -ENOMEM. Messages go to the object's log.
 */
int bbpf_relo_program(const struct bbpf_object *obj, const struct bbpf_program *prog,
		      const struct bbpf_relo_env *env, struct bbpf_arena *arena,
		      struct bbpf_prog_image *out, struct bbpf_diag *diag);

#endif
