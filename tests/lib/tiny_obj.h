/* SPDX-License-Identifier: BSD-2-Clause */
/* Small BPF objects built in the test, for loads against the fake syscall table. */
#ifndef TK_TINY_OBJ_H
#define TK_TINY_OBJ_H

#include <stddef.h>
#include <stdint.h>

/*
 * A little-endian BPF object with one "r0 = 0; exit" program in each of the
 * sections named, program i named "prog<i>", and a "GPL" license. The
 * image is malloc'ed: the caller frees it.
 */
uint8_t *tk_tiny_object(const char *const *secs, size_t cnt, size_t *len);

/*
 * Raw BTF with one FUNC per name in funcs (no parameters) and a typedef
 * "btf_trace_<name>" per name in raw_tps, as the kernel's BTF holds the
 * targets of fentry/lsm/iter and tp_btf programs. malloc'ed.
 */
uint8_t *tk_tiny_vmlinux(const char *const *funcs, size_t func_cnt, const char *const *raw_tps,
			 size_t raw_tp_cnt, uint32_t *len);

#endif
