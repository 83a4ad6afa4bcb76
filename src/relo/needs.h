/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What one program needs from a kernel, read from the object alone (the
 * data behind `barebpf inspect --requirements`): the helpers it calls, the
 * externs (kfuncs, ksyms, .kconfig values) it uses and its CO-RE records,
 * over the program and every subprogram it reaches. Reachability is the
 * relocation engine's own: the program is relocated with stand-in map fds
 * and extern values, and the functions of that image are walked.
 * Pure: no syscalls, no files.
 */
#ifndef BBPF_NEEDS_H
#define BBPF_NEEDS_H

#include <stdint.h>
#include "../base/arena.h"
#include "../base/diag.h"

struct bbpf_object;
struct bbpf_program;

struct bbpf_needs_core {
	uint32_t type_id;	/* root type in the object's BTF */
	uint32_t kind;		/* enum bpf_core_relo_kind */
};

struct bbpf_needs {
	uint32_t *helpers;	/* helper ids, ascending, each once */
	uint32_t helper_cnt;
	uint32_t *externs;	/* the object's extern indexes, ascending, each once */
	uint32_t extern_cnt;
	struct bbpf_needs_core *core;	/* one per distinct (type_id, kind), ascending */
	uint32_t core_cnt;
	uint32_t func_cnt;	/* the program and the subprograms it reaches */
	unsigned int attach;	/* enum bbpf_attach_kind of its section (sec_def.h) */
};

/*
 * Fill out for prog (a program, not a subprogram); arrays in arena. The
 * relocation engine's errors: -EBADMSG with diag for malformed code,
 * -ENOMEM.
 */
int bbpf_needs_program(const struct bbpf_object *obj, const struct bbpf_program *prog,
		       struct bbpf_arena *arena, struct bbpf_needs *out, struct bbpf_diag *diag);

#endif
