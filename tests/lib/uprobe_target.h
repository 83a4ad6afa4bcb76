/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A uprobe/USDT target program for tests, compiled at test time (PIE and
 * non-PIE), driven over pipes, and an ELF reader of its own (symbols,
 * SystemTap notes, segments) written from the ELF and SDT specifications,
 * independent of src/parse, to know the offsets the loader must find.
 *
 * The program (ut_source) reads one command per line and answers one line:
 *   a    addresses: tgt_add tgt_nops tgt_multi_1 tgt_multi_2 tgt_multi_3 (hex)
 *   A    tgt_add(5, 7) = 22            N    tgt_nops(41) = 42 (4 nops, then the code)
 *   M    tgt_multi_1/2/3(10): 11 12 13 S    tgt_sess(21) = 42
 *   l    l64a(0x5eed) in libc          s    the semaphores: regs mem consts many
 *   r m c n   the USDT probes bbpf_t:regs, :mem, :consts, :many (UT_* values)
 *   L<ms>  every one of the above in a loop for ms milliseconds
 *   q    exit
 * Every USDT probe has a semaphore.
 */
#ifndef BBPF_TEST_UPROBE_TARGET_H
#define BBPF_TEST_UPROBE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* What the USDT probes pass (readelf -n of an -O2 build shows their locations). */
#define UT_REGS_ARGS	{ -100, 200, -30000, 60000, -2000000000, -9000000000000LL }
#define UT_MEM_ARGS	{ -123456789012LL, -77, -3000, -5, (long long)0xfedcba9876543210ULL, 250 }
#define UT_CONSTS_ARGS	{ 42, -1, -300, 200, 0x7fffffffffffffffLL }
#define UT_MANY_ARGS	{ 7, -8, 8, -9, 1, 2, 3, 4, 5, 6, 7, 248 }

struct ut_dir {
	char dir[96];
	char pie[160], nopie[160];	/* the two builds */
};

/* Make a private directory and compile the target there, both ways. 0 or -1 (message printed). */
int ut_build(struct ut_dir *d, const char *tag);
/* Remove the directory and what is in it. */
void ut_clean(struct ut_dir *d);
/* The source, for tests that build their own variant. */
extern const char ut_source[];

/* ---- the ELF reader ---- */

/* File offset of symbol name (.symtab, STT_FUNC or STT_OBJECT); -1 if absent. */
int64_t ut_sym_off(const char *path, const char *name);
/* Link-time address of symbol name; -1 if absent. */
int64_t ut_sym_addr(const char *path, const char *name);

struct ut_note {
	char provider[32], name[32], args[256];
	uint64_t pc, sema;		/* link-time addresses */
	uint64_t pc_off, sema_off;	/* file offsets (through PT_LOAD) */
};
/* The notes of provider:name (at most max), or -1. */
int ut_notes(const char *path, const char *provider, const char *name, struct ut_note *out,
	     int max);
/* True if the file is ET_DYN. */
bool ut_is_dyn(const char *path);

/* ---- the running target ---- */

struct ut_child {
	pid_t pid;
	FILE *to, *from;
};
int ut_start(struct ut_child *c, const char *path);
/* Send cmd ("A", "s", ...), return the answer line (static buffer, no newline) or NULL. */
const char *ut_cmd(struct ut_child *c, const char *cmd);
void ut_stop(struct ut_child *c);
/* The target's semaphores (regs, mem, consts, many); false if the answer is not four numbers. */
bool ut_semas(struct ut_child *c, unsigned int sema[4]);

#endif
