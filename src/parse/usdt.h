/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * USDT (SystemTap SDT) probes, as libbpf 1.8's usdt.c finds and describes
 * them, without the attach: the .note.stapsdt notes, each probe's uprobe
 * offset and semaphore offset, and the argument specifications in the
 * layout usdt.bpf.h's BPF-side code reads from the __bpf_usdt_specs map.
 *
 * A note (SDT spec, sourceware.org/systemtap/wiki/UserSpaceProbeImplementation):
 *
 *   u32 n_namesz = 8, u32 n_descsz, u32 n_type = 3, "stapsdt\0"  (padded)
 *   desc: addr pc, addr base, addr semaphore    (addr: 4 or 8 bytes, ELF class)
 *         "provider\0" "name\0" "args\0"         (padded)
 *
 * pc and semaphore are link-time addresses; base is the link-time address
 * of the .stapsdt.base section, so that a prelinked file (whose section
 * headers moved) is corrected by .stapsdt.base's sh_addr - base, applied
 * to pc only, exactly as libbpf does (libbpf leaves the semaphore alone).
 *
 * Argument strings are "SIZE@LOCATION ..." in the target's assembler
 * syntax: SIZE is 1, 2, 4 or 8, negative for signed. Only x86-64 is parsed
 * here; bbpf_usdt_spec_parse() dispatches on the target ELF's e_machine and
 * says where aarch64, s390x, riscv and arm would plug in (each is one
 * function with its register table, see usdt.c "Per-architecture argument
 * parsers").
 */
#ifndef BBPF_USDT_H
#define BBPF_USDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../base/arena.h"
#include "../base/diag.h"
#include "elf.h"

#define BBPF_USDT_NOTE_SEC	".note.stapsdt"
#define BBPF_USDT_BASE_SEC	".stapsdt.base"
#define BBPF_USDT_NOTE_TYPE	3
#define BBPF_USDT_MAX_ARGS	12		/* BPF_USDT_MAX_ARG_CNT */
#define BBPF_USDT_MAX_NOTES	(1u << 18)	/* per file; -E2BIG beyond */

/* One note; the strings point into the input buffer. */
struct bbpf_usdt_note {
	const char *provider;	/* may be "" (libbpf does not require one) */
	const char *name;	/* never "" */
	const char *args;	/* "" when none, or when it starts with ':' (libbpf) */
	uint64_t pc;		/* recorded probe address */
	uint64_t base;		/* recorded .stapsdt.base address, 0 if none */
	uint64_t sema;		/* recorded semaphore address, 0 if none */
	uint64_t off;		/* file offset of the note header (diagnostics) */
	uint64_t args_off;	/* file offset of the argument string */
};

/*
 * Walk the bytes of a note section: every note must be a complete,
 * well-formed stapsdt note (libbpf fails the attach on any malformed note of
 * the section, matching or not; a truncated last note, which libelf would
 * silently drop, is an error here). addr_size: 8 for ELF64, 4 for ELF32;
 * align: 4, or 8 for a section with sh_addralign 8 (as libelf's
 * ELF_T_NHDR8); swap: the file's byte order differs from the host's.
 * file_off (the section's offset) only makes diagnostics file offsets.
 * *notes is an arena array of *cnt entries. -EBADMSG / -E2BIG with diag
 * (idx = note number, off = file offset of the fault); -ENOMEM; -EINVAL.
 */
int bbpf_usdt_notes_parse(const uint8_t *sec, uint64_t len, uint64_t file_off,
			  unsigned int addr_size, unsigned int align, bool swap,
			  struct bbpf_arena *arena, struct bbpf_usdt_note **notes, uint32_t *cnt,
			  struct bbpf_diag *diag);

/*
 * The notes of a parsed ELF64: its first section named .note.stapsdt.
 * -ENOENT if there is none, -EINVAL if it is not SHT_NOTE (libbpf's codes),
 * else as bbpf_usdt_notes_parse().
 */
int bbpf_usdt_notes(const struct bbpf_elf *elf, struct bbpf_arena *arena,
		    struct bbpf_usdt_note **notes, uint32_t *cnt, struct bbpf_diag *diag);

/* sh_addr of the first .stapsdt.base section; -ENOENT if none. */
int bbpf_usdt_base_addr(const struct bbpf_elf *elf, uint64_t *addr);

/* A probe site: what one uprobe needs. */
struct bbpf_usdt_target {
	const struct bbpf_usdt_note *note;
	uint64_t abs_ip;	/* pc + (.stapsdt.base sh_addr - note base), when both nonzero */
	uint64_t rel_ip;	/* abs_ip as a file offset: the uprobe offset */
	uint64_t sema_off;	/* semaphore as a file offset (ref_ctr_offset), 0 if none */
};

/*
 * The probe sites of provider:name (NULL matches any), as libbpf's
 * collect_usdt_targets(): ET_EXEC or ET_DYN only (-EBADF otherwise, with
 * diag BBPF_BAD_ELF_TYPE), at least one PT_LOAD (-ESRCH); abs_ip must lie in
 * an executable PT_LOAD and the semaphore in a non-executable one (-ESRCH,
 * diag BBPF_BAD_USDT_ADDR with off = the note's offset). *out is an arena
 * array in note order; -ENOENT if no note matches.
 *
 * Not done here (attach-time decisions): the +1 for the x86-64 nop10 combo
 * (bbpf_usdt_nop_combo()), absolute addresses of shared-library sites for
 * kernels without BPF cookies (bbpf_usdt_vma_ip()).
 */
int bbpf_usdt_collect(const struct bbpf_elf *elf, const char *provider, const char *name,
		      struct bbpf_arena *arena, struct bbpf_usdt_target **out, uint32_t *cnt,
		      struct bbpf_diag *diag);

/*
 * libbpf 1.8 (x86-64, when the kernel has the uprobe syscall): the probe is
 * a 1-byte nop followed by a 10-byte nop (90 66 2e 0f 1f 84 00 00 00 00 00)
 * and the 10-byte one does not cross a page: then the uprobe goes at
 * rel_ip + 1 (and abs_ip + 1), where the kernel can optimize it.
 */
bool bbpf_usdt_nop_combo(const struct bbpf_elf *elf, uint64_t rel_ip, uint64_t page_size);

/* An executable mapping of the file in a process (from /proc/PID/maps). */
struct bbpf_usdt_vma {
	uint64_t start, end;	/* addresses */
	uint64_t off;		/* file offset of start */
};

/*
 * Absolute address of a shared-library site in a process, for the
 * IP-to-spec map of kernels without BPF cookies (libbpf's find_vma_seg):
 * the first mapping whose [off, off + end - start) holds rel_ip gives
 * start - off + rel_ip. -ESRCH if none.
 */
int bbpf_usdt_vma_ip(uint64_t rel_ip, const struct bbpf_usdt_vma *vmas, size_t cnt,
		     uint64_t *abs_ip);

/* ---- argument specifications ---- */

/* Values as enum __bpf_usdt_arg_type. */
enum bbpf_usdt_arg_kind {
	BBPF_USDT_ARG_CONST = 0,	/* "-4@$5": the value is val_off */
	BBPF_USDT_ARG_REG = 1,		/* "-4@%eax": the register at reg_off */
	BBPF_USDT_ARG_REG_DEREF = 2,	/* "8@-16(%rbp)": memory at reg + val_off */
	BBPF_USDT_ARG_SIB = 3,		/* "4@8(%rdx,%r9,4)": reg + (idx << scale) + val_off */
};

struct bbpf_usdt_arg {
	enum bbpf_usdt_arg_kind kind;
	int64_t val_off;	/* constant or displacement */
	uint16_t reg_off;	/* offset of the (base) register in the target's pt_regs */
	uint16_t idx_reg_off;	/* SIB: offset of the index register */
	uint8_t scale_shift;	/* SIB: log2 of the scale (0..3) */
	uint8_t size;		/* 1, 2, 4 or 8 bytes */
	bool is_signed;
	uint8_t bitshift;	/* 64 - 8 * size: usdt.bpf.h's arg_bitshift */
};

struct bbpf_usdt_spec {
	struct bbpf_usdt_arg args[BBPF_USDT_MAX_ARGS];
	uint64_t cookie;	/* usdt_cookie */
	uint16_t arg_cnt;
};

/* Why an argument string was rejected. */
struct bbpf_usdt_arg_err {
	uint32_t arg;		/* argument number (0-based) */
	uint32_t pos;		/* byte position in the argument string */
	const char *why;	/* static text */
};

/*
 * Parse a note's argument string for a target of e_machine (the ELF's).
 * 0; -EINVAL (err says which argument, where and why); -E2BIG for more
 * than 12 arguments; -EOPNOTSUPP for an architecture not parsed here
 * (err->why names it). err may be NULL.
 *
 * x86-64 accepts what libbpf 1.8 accepts: constants "$N", registers of
 * every width ("%rax" "%eax" "%ax" "%al", "%r8".."%r15" with d/w/b, "%rip"
 * and "%eip"), "N(%reg)" and "(%reg)", and SIB "N(%base,%index[,scale])".
 * Displacements are decimal as sscanf's %ld reads them, so "8@16(%rip)"
 * works, and a symbolic one as GCC writes for globals ("-4@counter(%rip)")
 * is rejected, as libbpf rejects it. Unlike libbpf's sscanf chain, a
 * missing ")" is an error (libbpf then reads an uninitialized length) and a
 * displacement that overflows a long is an error (sscanf saturates it).
 */
int bbpf_usdt_spec_parse(uint16_t e_machine, const char *args, uint64_t cookie,
			 struct bbpf_usdt_spec *spec, struct bbpf_usdt_arg_err *err);

/*
 * Layouts of struct __bpf_usdt_spec (the __bpf_usdt_specs map value):
 *  V1, libbpf 1.0-1.6: 16-byte args {u64 val_off; u32 arg_type; s16 reg_off;
 *      u8 arg_signed; s8 arg_bitshift}; cookie at 192, arg_cnt at 200; 208 bytes.
 *  V2, libbpf 1.7+ (SIB): arg_type shrank to an 8-bit bitfield followed by
 *      u16 idx_reg_off:12 and scale_bitshift:4 and u8 __reserved:8. The
 *      12-bit field cannot straddle its u16 unit, so compilers (gcc, clang
 *      for x86-64 and BPF) put it at byte 10: reg_off moved to 14, args are
 *      24 bytes, cookie at 288, arg_cnt at 296; 304 bytes. (The header's
 *      comment claims reg_off kept its offset; the compiled layout says
 *      otherwise.) Big-endian reverses the bitfield order.
 * A BPF object built against either header says which by the value size of
 * its __bpf_usdt_specs map.
 */
enum bbpf_usdt_layout {
	BBPF_USDT_LAYOUT_V1 = 1,
	BBPF_USDT_LAYOUT_V2 = 2,
};

#define BBPF_USDT_SPEC_SIZE_V1 208u
#define BBPF_USDT_SPEC_SIZE_V2 304u

/* The layout whose spec size is value_size; -EINVAL for any other size. */
int bbpf_usdt_layout_of(uint32_t value_size, enum bbpf_usdt_layout *layout);

/*
 * The map value for spec: out_size must be at least the layout's size;
 * padding is zeroed. big_endian: the byte order of the kernel that reads it
 * (the host's). -EOPNOTSUPP for a SIB argument in the V1 layout; -EINVAL
 * for values the fields cannot hold.
 */
int bbpf_usdt_spec_encode(const struct bbpf_usdt_spec *spec, enum bbpf_usdt_layout layout,
			  bool big_endian, void *out, size_t out_size);

/*
 * Spec sharing within one attach, as libbpf's allocate_spec_id(): targets
 * with the same argument string share one spec. group[i] (cnt entries) is
 * the group of target i, numbered in order of first appearance;
 * *groups is their number. scratch holds a sorted index for the call.
 * The __bpf_usdt_ip_to_spec_id map (kernels without BPF cookies) then maps
 * each target's abs_ip (a long key) to its group's spec id (a u32 value).
 */
int bbpf_usdt_spec_groups(const struct bbpf_usdt_target *t, uint32_t cnt,
			  struct bbpf_arena *scratch, uint32_t *group, uint32_t *groups);

/* One __bpf_usdt_ip_to_spec_id element: key is a long (the ip), value a u32. */
struct bbpf_usdt_ip_entry {
	uint64_t ip;
	uint32_t spec_id;
};

/*
 * The __bpf_usdt_ip_to_spec_id elements of an attach on a kernel without
 * BPF cookies: out[i] = { ips ? ips[i] : t[i].abs_ip, spec_ids[group[i]] }
 * (ips: absolute addresses from bbpf_usdt_vma_ip() for a shared library).
 * Two sites at one ip are refused with -EEXIST and *dup set to the second,
 * as libbpf's BPF_NOEXIST update reports an "IP collision". scratch holds a
 * sorted index for the call.
 */
int bbpf_usdt_ip_entries(const struct bbpf_usdt_target *t, const uint64_t *ips, uint32_t cnt,
			 const uint32_t *group, const uint32_t *spec_ids,
			 struct bbpf_arena *scratch, struct bbpf_usdt_ip_entry *out, uint32_t *dup);

#endif
