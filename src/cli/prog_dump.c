/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf prog dump xlated PROG [opcodes] [linum] [file FILE]
 * barebpf prog dump jited PROG [file FILE]
 *
 * The kernel's translated instructions, printed as bpftool 7.1 prints them
 * (text and JSON): the function prototype from the program's BTF before
 * each function, its source line ("; ...", from the line info) when it
 * changes, and each instruction in the kernel disassembler's syntax as of
 * Linux 6.1 (the disassembler bpftool 7.1 carries). Call targets are named
 * as bpftool names them: helpers by the kernel symbol at __bpf_call_base +
 * imm (/proc/kallsyms), calls to subprograms by the symbol of their JITed
 * image ("pc+1#bpf_prog_<tag>_<name>"); maps by id ("map[id:5]").
 * Instructions newer than that disassembler (cpu v4 sign-extending loads
 * and moves, sdiv/smod, bswap, gotol, may_goto) print as bpftool 7.1 prints
 * them, not decoded. "dump jited": no disassembler of the host ISA here
 * (Debian's bpftool 7.1 has none either: "No libbfd support"), so the JIT
 * image's bytes per function under its kallsyms name, or raw into FILE.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kobj.h"
#include "../base/fmt.h"
#include "../parse/btf.h"
#include "../dump/dump_sig.h"

#define SIG_MAX		1024	/* bpftool's func_sig[] */

void bbpf_cli_prog_header(struct bbpf_cli_kobj *k, const struct bpf_prog_info *info, int fd);
int bbpf_cli_prog_write(const char *path, const void *d, uint32_t size, int mode, char *err,
			size_t err_size);

struct dump {
	struct bbpf_cli_kobj *k;
	const struct bpf_insn *insn;
	uint32_t cnt;
	const uint64_t *ksyms;		/* JITed image of each function */
	uint32_t nr_ksyms;
	uint64_t call_base;		/* __bpf_call_base, 0 if unknown */
	const char **call_name;		/* per instruction: the call target's symbol */
	uint64_t *call_addr;		/* per instruction: the call target's address */
	struct bbpf_btf *btf;
	const uint8_t *finfo, *linfo;
	uint32_t nr_finfo, finfo_size, nr_linfo, linfo_size;
	bool opcodes, linum;
	char scratch[256];
	struct bbpf_cli_helpers helpers;
};

/* ---- disassembler (the kernel's print_bpf_insn() syntax, Linux 6.1) ---- */

static const char alu_ops[][7] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=",
	"endian", "", ""
};
static const char jmp_ops[][6] = {
	"jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<=",
	"", ""
};
static const char size_names[][4] = { "u32", "u16", "u8", "u64" };
/* BPF_ATOMIC's operations by imm >> 4 (BPF_ADD, BPF_OR, BPF_AND, BPF_XOR). */
static const char atomic_ops[][4] = { "add", "", "", "", "or", "and", "", "", "", "", "xor" };

/* The text of a call's target (bpftool's print_call callback). */
static const char *call_target(struct dump *d, uint32_t i)
{
	const struct bpf_insn *in = &d->insn[i];
	const char *name = d->call_name[i];
	uint64_t addr = d->call_addr[i];

	/*
	 * A JITed program's subprogram calls carry the subprogram's index in
	 * imm and the original pc-relative offset in off: bpftool prints off.
	 */
	if (in->src_reg == BPF_PSEUDO_CALL) {
		if (!d->nr_ksyms)	/* not JITed: no address to show */
			bbpf_snprintf(d->scratch, sizeof(d->scratch), "%+d", in->off);
		else if (name)
			bbpf_snprintf(d->scratch, sizeof(d->scratch), "%+d#%s", in->off, name);
		else
			bbpf_snprintf(d->scratch, sizeof(d->scratch), "%+d#0x%llx", in->off,
				      (unsigned long long)addr);
	} else if (name) {
		bbpf_snprintf(d->scratch, sizeof(d->scratch), "%s", name);
	} else {
		bbpf_snprintf(d->scratch, sizeof(d->scratch), "%#llx", (unsigned long long)addr);
	}
	return d->scratch;
}

/*
 * A helper call the kernel left unpatched (imm still the helper id) is
 * named from the helper table, as the disassembler does before asking
 * bpftool; the table has every helper this kernel has (up to 211, where
 * bpftool 7.1's stops at 209).
 */
static const char *table_name(const struct dump *d, const struct bpf_insn *in)
{
	if (in->src_reg || in->imm < 0)
		return NULL;
	return bbpf_cli_helper_name(&d->helpers, (unsigned int)in->imm);
}

/* Every decoded line starts "(code) " (5 bytes); an unknown one is "BUG_<class>code". */
__attribute__((noinline))
static void disasm(struct dump *d, uint32_t i, char *out, size_t size)
{
	const struct bpf_insn *in = &d->insn[i];
	uint8_t code = in->code, cls = BPF_CLASS(code), op = BPF_OP(code) >> 4, mode = BPF_MODE(code);
	const char *sz = size_names[BPF_SIZE(code) >> 3], *bug = NULL;
	char r = cls == BPF_ALU || cls == BPF_JMP32 ? 'w' : 'r', *o = out + 5, m[32], x[16];
	int dst = in->dst_reg, src = in->src_reg, off = in->off, imm = in->imm;
	size_t n = size - 5;

	bbpf_snprintf(out, size, "(%02x) ", code);
	/* The memory operand of the loads and stores: "(u32 *)(r1 +8)". */
	bbpf_snprintf(m, sizeof(m), "(%s *)(r%d %+d)", sz, cls == BPF_LDX ? src : dst, off);
	/* The source operand of the ALU and conditional jump forms: "w2", "r2", "5" or "0x5". */
	if (BPF_SRC(code) == BPF_X)
		bbpf_snprintf(x, sizeof(x), "%c%d", r, src);
	else
		bbpf_snprintf(x, sizeof(x), cls == BPF_JMP || cls == BPF_JMP32 ? "0x%x" : "%d", imm);
	if (cls == BPF_ALU || cls == BPF_ALU64) {
		if (BPF_OP(code) == BPF_END) {
			if (cls == BPF_ALU64)
				bug = "alu64_";
			else
				bbpf_snprintf(o, n, "r%d = %s%d r%d", dst,
					      BPF_SRC(code) == BPF_TO_BE ? "be" : "le", imm, dst);
		} else if (BPF_OP(code) == BPF_NEG) {
			bbpf_snprintf(o, n, "%c%d = -%c%d", r, dst, r, dst);
		} else {
			bbpf_snprintf(o, n, "%c%d %s %s", r, dst, alu_ops[op], x);
		}
	} else if (cls == BPF_STX) {
		const char *bits = BPF_SIZE(code) == BPF_DW ? "64" : "";
		uint32_t a = (uint32_t)imm >> 4;

		if (mode == BPF_MEM)
			bbpf_snprintf(o, n, "*%s = r%d", m, src);
		else if (mode != BPF_ATOMIC || ((uint32_t)imm & ~0xf1u))
			bug = "";
		else if (imm == BPF_CMPXCHG)
			bbpf_snprintf(o, n, "r0 = atomic%s_cmpxchg(%s, r0, r%d)", bits, m, src);
		else if (imm == BPF_XCHG || (a <= 10 && atomic_ops[a][0] && (imm & BPF_FETCH)))
			bbpf_snprintf(o, n, "r%d = atomic%s_%s%s(%s, r%d)", src, bits,
				      imm == BPF_XCHG ? "xchg" : "fetch_",
				      imm == BPF_XCHG ? "" : atomic_ops[a], m, src);
		else if (a <= 10 && atomic_ops[a][0])
			bbpf_snprintf(o, n, "lock *%s %s r%d", m, alu_ops[a], src);
		else
			bug = "";
	} else if (cls == BPF_ST) {
		if (mode == BPF_MEM)
			bbpf_snprintf(o, n, "*%s = %d", m, imm);
		else if (mode == 0xc0)	/* BPF_NOSPEC */
			bbpf_snprintf(o, n, "nospec");
		else
			bug = "st_";
	} else if (cls == BPF_LDX) {
		if (mode != BPF_MEM)
			bug = "ldx_";
		else
			bbpf_snprintf(o, n, "r%d = *%s", dst, m);
	} else if (cls == BPF_LD) {
		if (mode == BPF_ABS) {
			bbpf_snprintf(o, n, "r0 = *(%s *)skb[%d]", sz, imm);
		} else if (mode == BPF_IND) {
			bbpf_snprintf(o, n, "r0 = *(%s *)skb[r%d + %d]", sz, src, imm);
		} else if (mode == BPF_IMM && BPF_SIZE(code) == BPF_DW) {
			int32_t hi = i + 1 < d->cnt ? d->insn[i + 1].imm : 0;
			uint64_t full = (uint64_t)(uint32_t)hi << 32 | (uint32_t)imm;
			const char *f = src == BPF_PSEUDO_MAP_FD ? "r%d = map[id:%u]" :
					src == BPF_PSEUDO_MAP_VALUE ? "r%d = map[id:%u][0]+%u" :
					src == BPF_PSEUDO_MAP_IDX_VALUE ? "r%d = map[idx:%u]+%u" :
					src == BPF_PSEUDO_FUNC ? "r%d = subprog[%+d]" : NULL;

			if (f)
				bbpf_snprintf(o, n, f, dst, imm, (uint32_t)hi);
			else
				bbpf_snprintf(o, n, "r%d = 0x%llx", dst, (unsigned long long)full);
		} else {
			bug = "ld_";
		}
	} else {	/* BPF_JMP, BPF_JMP32 */
		if (BPF_OP(code) == BPF_CALL) {
			const char *t = src == BPF_PSEUDO_CALL ? NULL : table_name(d, in);

			if (src == BPF_PSEUDO_CALL)
				bbpf_snprintf(o, n, "call pc%s", call_target(d, i));
			else
				bbpf_snprintf(o, n, "call %s#%d", t ? t : call_target(d, i), imm);
		} else if (code == (BPF_JMP | BPF_JA)) {
			bbpf_snprintf(o, n, "goto pc%+d", off);
		} else if (code == (BPF_JMP | BPF_EXIT)) {
			bbpf_snprintf(o, n, "exit");
		} else {
			bbpf_snprintf(o, n, "if %c%d %s %s goto pc%+d", r, dst, jmp_ops[op], x, off);
		}
	}
	if (bug)
		bbpf_snprintf(out, size, "BUG_%s%02x", bug, code);
}

/* ---- line info (libbpf's bpf_prog_linfo__lfind()) ---- */

static const struct bpf_line_info *linfo_at(const struct dump *d, uint32_t i)
{
	return (const struct bpf_line_info *)(d->linfo + (size_t)i * d->linfo_size);
}

/* The last record from nr_skip on that starts at or before insn, if it starts exactly there. */
static const struct bpf_line_info *linfo_find(const struct dump *d, uint32_t insn, uint32_t skip)
{
	const struct bpf_line_info *l;
	uint32_t i;

	if (skip >= d->nr_linfo || insn < linfo_at(d, skip)->insn_off)
		return NULL;
	for (i = skip; i < d->nr_linfo && linfo_at(d, i)->insn_off <= insn; i++)
		;
	l = linfo_at(d, i - 1);
	return l->insn_off == insn ? l : NULL;
}

static const char *ltrim(const char *s)
{
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	return s;
}

static void print_linfo(struct dump *d, const struct bpf_line_info *l)
{
	struct bbpf_cli_kobj *k = d->k;
	const char *line = bbpf_btf_str(d->btf, l->line_off);
	const char *file = bbpf_btf_str(d->btf, l->file_name_off);
	uint32_t num = BPF_LINE_INFO_LINE_NUM(l->line_col), col = BPF_LINE_INFO_LINE_COL(l->line_col);

	if (k->json) {	/* each member only when known, as bpftool */
		if (line)
			bbpf_cli_json_kv_str(&k->j, "src", ltrim(line));
		if (!d->linum)
			return;
		if (file)
			bbpf_cli_json_kv_str(&k->j, "file", file);
		if (num)
			bbpf_cli_json_kv_u64(&k->j, "line_num", num);
		if (col)
			bbpf_cli_json_kv_u64(&k->j, "line_col", col);
		return;
	}
	if (!line)
		return;
	if (d->linum)
		bbpf_cli_kobj_printf(k, "; %s [file:%s line_num:%u line_col:%u]\n", ltrim(line),
				     file ? file : "", num, col);
	else
		bbpf_cli_kobj_printf(k, "; %s\n", ltrim(line));
}

/* ---- the dump ---- */

static bool is_call(const struct bpf_insn *in)
{
	return BPF_OP(in->code) == BPF_CALL &&
	       (BPF_CLASS(in->code) == BPF_JMP || BPF_CLASS(in->code) == BPF_JMP32);
}

/*
 * Name every call target that the table does not name through
 * /proc/kallsyms: __bpf_call_base first (only when a helper call needs it),
 * then the names of all target addresses in one more pass.
 */
__attribute__((noinline))
static int resolve_calls(struct dump *d, struct bbpf_arena *arena)
{
	static const char *const base_name[] = { "__bpf_call_base" };
	const struct bpf_insn *in;
	const char **names;
	uint64_t *want;
	uint32_t i, n = 0;
	bool need_base = false, found = false, no_syms = false;

	d->call_name = bbpf_arena_calloc(arena, d->cnt, sizeof(*d->call_name));
	d->call_addr = bbpf_arena_calloc(arena, d->cnt, sizeof(*d->call_addr));
	want = bbpf_arena_calloc(arena, d->cnt, sizeof(*want));
	names = bbpf_arena_calloc(arena, d->cnt, sizeof(*names));
	if (!d->call_name || !d->call_addr || !want || !names)
		return -ENOMEM;
	for (i = 0; i < d->cnt; i++) {
		in = &d->insn[i];
		if (is_call(in) && !table_name(d, in) &&
		    !(in->src_reg == BPF_PSEUDO_CALL && (uint32_t)in->imm < d->nr_ksyms))
			need_base = true;
	}
	/* As bpftool: no symbol at all when __bpf_call_base is hidden (kptr_restrict). */
	if (need_base && (bbpf_kallsyms_resolve(d->k->ctx, base_name, 1, &d->call_base, &found) ||
			  !found || !d->call_base)) {
		d->call_base = 0;
		no_syms = true;
	}
	for (i = 0; i < d->cnt; i++) {
		in = &d->insn[i];
		if (!is_call(in) || table_name(d, in))
			continue;
		if (in->src_reg == BPF_PSEUDO_CALL && (uint32_t)in->imm < d->nr_ksyms)
			d->call_addr[i] = d->ksyms[in->imm];
		else
			d->call_addr[i] = d->call_base + (uint64_t)(int64_t)in->imm;
		want[n++] = d->call_addr[i];
	}
	if (no_syms || !n || bbpf_kallsyms_names(d->k->ctx, want, n, arena, names))
		return 0;	/* no names: addresses are printed, as bpftool does */
	for (i = 0, n = 0; i < d->cnt; i++) {
		in = &d->insn[i];
		if (is_call(in) && !table_name(d, in))
			d->call_name[i] = names[n++];
	}
	return 0;
}

static void print_opcodes_text(struct dump *d, uint32_t i, bool dbl)
{
	bbpf_cli_kobj_printf(d->k, "       ");
	bbpf_cli_kobj_hex(d->k->out, &d->insn[i], 8);
	if (dbl && i + 1 < d->cnt) {
		bbpf_cli_kobj_printf(d->k, " ");
		bbpf_cli_kobj_hex(d->k->out, &d->insn[i + 1], 8);
	}
	bbpf_cli_kobj_printf(d->k, "\n");
}

static void print_opcodes_json(struct dump *d, uint32_t i, bool dbl)
{
	static const char keys[][8] = { "code", "src_reg", "dst_reg" };
	struct bbpf_cli_json *j = &d->k->j;
	const struct bpf_insn *in = &d->insn[i];
	unsigned int v[] = { in->code, in->src_reg, in->dst_reg }, f;
	char s[8];

	bbpf_cli_json_key(j, "opcodes");
	bbpf_cli_json_obj_begin(j);
	for (f = 0; f < 3; f++) {
		bbpf_snprintf(s, sizeof(s), f ? "0x%x" : "0x%02x", v[f]);
		bbpf_cli_json_kv_str(j, keys[f], s);
	}
	bbpf_cli_json_key(j, "off");
	bbpf_cli_json_bytes(j, &in->off, 2, true);
	bbpf_cli_json_key(j, "imm");
	bbpf_cli_json_bytes(j, &in->imm, dbl && i + 1 < d->cnt ? 12 : 4, true);
	bbpf_cli_json_obj_end(j);
}

__attribute__((noinline))
static void dump_insns(struct dump *d)
{
	struct bbpf_cli_kobj *k = d->k;
	const struct bpf_line_info *l;
	uint32_t i, rec = 0, skip = 0;
	char sig[SIG_MAX];
	char text[256];
	bool dbl = false;

	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR);
	for (i = 0; i < d->cnt; i++) {
		if (dbl) {	/* the second half of a 16-byte load */
			dbl = false;
			continue;
		}
		dbl = d->insn[i].code == (BPF_LD | BPF_IMM | BPF_DW);
		bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
		if (d->btf && rec < d->nr_finfo) {
			const struct bpf_func_info *f = (const void *)(d->finfo + (size_t)rec * d->finfo_size);

			if (f->insn_off == i) {
				struct bbpf_dump_sig s = { d->btf, sig, SIG_MAX, 0, true };

				/* "" when it cannot be printed: then no prototype line */
				sig[0] = '\0';
				bbpf_dump_sig_type(&s, f->type_id, 0);
				if (sig[0])
					bbpf_cli_kobj_s(k, "proto", "%s:\n", sig);
				rec++;
			}
		}
		if (d->btf && d->nr_linfo && (l = linfo_find(d, i, skip))) {
			print_linfo(d, l);
			skip++;
		}
		disasm(d, i, text, sizeof(text));
		if (k->json) {
			bbpf_cli_json_kv_str(&k->j, "disasm", text);
			if (d->opcodes)
				print_opcodes_json(d, i, dbl);
			bbpf_cli_json_obj_end(&k->j);
		} else {
			bbpf_cli_kobj_printf(k, "% 4d: %s\n", (int)i, text);
			if (d->opcodes)
				print_opcodes_text(d, i, dbl);
		}
	}
	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR_END);
}

/* One program: fetch its instructions, function and line records, then print. */
/*
 * jited, no disassembler: each function's JITed bytes under its kallsyms
 * name (bpftool's headers), 16 a line as bbpf_cli_kobj_hex; JSON
 * [{"name","insns":["0x..",...]}].
 */
__attribute__((noinline))
static void dump_jited(struct bbpf_cli_kobj *k, const struct bpf_prog_info *h,
		       struct bbpf_arena *arena)
{
	const uint8_t *img = (const uint8_t *)(uintptr_t)h->jited_prog_insns;
	const uint32_t *lens = (const uint32_t *)(uintptr_t)h->jited_func_lens;
	const uint64_t *ksyms = (const uint64_t *)(uintptr_t)h->jited_ksyms;
	uint32_t i, n = h->nr_jited_func_lens, off = 0, len;
	const char **names = NULL;
	char addr[24];

	if (n && n == h->nr_jited_ksyms && (names = bbpf_arena_calloc(arena, n, sizeof(*names))))
		bbpf_kallsyms_names(k->ctx, ksyms, n, arena, names);
	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR);
	for (i = 0; i < (n ? n : 1) && off < h->jited_prog_len; i++) {
		len = n ? lens[i] : h->jited_prog_len;
		if (len > h->jited_prog_len - off)
			len = h->jited_prog_len - off;
		bbpf_snprintf(addr, sizeof(addr), "0x%llx", names ? (unsigned long long)ksyms[i] : 0ull);
		bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
		bbpf_cli_kobj_s(k, "name", "%s:\n", names && names[i] ? names[i] : addr);
		if (k->json) {
			bbpf_cli_json_key(&k->j, "insns");
			bbpf_cli_json_bytes(&k->j, img + off, len, true);
		} else {
			bbpf_cli_kobj_hex(k->out, img + off, len);
			bbpf_cli_kobj_printf(k, "\n\n");
		}
		bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ_END);
		off += len;
	}
	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR_END);
}

/* The arrays of bpf_prog_info fetched besides the image: count, pointer, record size or unit. */
#define PI(f)		offsetof(struct bpf_prog_info, f)
#define PI_U32(pi, off)	(*(uint32_t *)((char *)(pi) + (off)))
static const struct {
	uint8_t cnt, ptr, rec, unit;
} arrays[] = {
	{ PI(nr_jited_ksyms), PI(jited_ksyms), 0, 8 },
	{ PI(nr_jited_func_lens), PI(jited_func_lens), 0, 4 },
	{ PI(nr_func_info), PI(func_info), PI(func_info_rec_size), 0 },
	{ PI(nr_line_info), PI(line_info), PI(line_info_rec_size), 0 },
	{ PI(nr_jited_line_info), PI(jited_line_info), PI(jited_line_info_rec_size), 0 },
};
#define ARRAY_CNT	(sizeof(arrays) / sizeof(arrays[0]))
_Static_assert(PI(jited_line_info_rec_size) < 256 && PI(jited_line_info) < 256,
	       "bpf_prog_info offsets fit a byte");

__attribute__((noinline))
static int dump_prog(struct bbpf_cli_kobj *k, int fd, bool header, const char *file,
		     bool opcodes, bool linum, bool jited)
{
	struct bpf_prog_info info, h;
	struct bbpf_arena arena;
	struct dump d = { .k = k, .opcodes = opcodes, .linum = linum };
	uint8_t *buf, *p;
	uint64_t need;
	uint32_t img_len, i;
	bool changed;
	int err, ret = 0;

	bbpf_cli_helpers_load(&d.helpers);
	err = bbpf_cli_kobj_info(k, fd, &info, sizeof(info));
	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get program info");
	if (jited)	/* the image in the xlated slot; no line info needed */
		info.xlated_prog_len = info.jited_prog_len;
	need = info.xlated_prog_len;
	for (i = 0; i < ARRAY_CNT; i++)
		need += (uint64_t)PI_U32(&info, arrays[i].cnt) *
			(arrays[i].rec ? PI_U32(&info, arrays[i].rec) : arrays[i].unit);
	if (need > (1ull << 30))
		return bbpf_cli_kobj_err(k, "program info too large (%llu bytes)",
					 (unsigned long long)need);
	bbpf_arena_init(&arena, &k->ctx->alloc, (size_t)need + ((size_t)256 << 20));
	p = buf = bbpf_arena_zalloc(&arena, (size_t)need + 8);
	if (!buf)
		goto oom;
	memset(&h, 0, sizeof(h));
	*(jited ? &h.jited_prog_len : &h.xlated_prog_len) = info.xlated_prog_len;
	*(jited ? &h.jited_prog_insns : &h.xlated_prog_insns) = (uint64_t)(uintptr_t)p;
	p += info.xlated_prog_len;
	for (i = 0; i < ARRAY_CNT; i++) {
		uint32_t cnt = PI_U32(&info, arrays[i].cnt);
		uint32_t unit = arrays[i].rec ? PI_U32(&info, arrays[i].rec) : arrays[i].unit;

		PI_U32(&h, arrays[i].cnt) = cnt;
		if (arrays[i].rec)
			PI_U32(&h, arrays[i].rec) = unit;
		memcpy((char *)&h + arrays[i].ptr, &(uint64_t){ (uintptr_t)p }, 8);
		p += (size_t)cnt * unit;
	}
	err = bbpf_cmd_obj_info(k->sys, fd, &h, &(uint32_t){ sizeof(h) });
	if (err) {
		ret = bbpf_cli_kobj_errno(k, err, "cannot get program info");
		goto out;
	}
	/* The kernel says what it filled; never read past what was asked for. */
	img_len = jited ? h.jited_prog_len : h.xlated_prog_len;
	changed = img_len > info.xlated_prog_len;
	for (i = 0; i < ARRAY_CNT; i++)
		changed |= PI_U32(&h, arrays[i].cnt) > PI_U32(&info, arrays[i].cnt) ||
			   (arrays[i].rec && PI_U32(&h, arrays[i].rec) != PI_U32(&info, arrays[i].rec));
	if (changed) {
		ret = bbpf_cli_kobj_err(k, "the program changed while it was read");
		goto out;
	}
	if (!img_len) {
		ret = bbpf_cli_kobj_err(k, "no instructions returned (kernel.kptr_restrict?)");
		goto out;
	}
	if (header) {
		bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
		bbpf_cli_prog_header(k, &h, fd);
		if (k->json)
			bbpf_cli_json_key(&k->j, "insns");
	}
	if (file) {
		char why[1024];

		if (bbpf_cli_prog_write(file, buf, img_len, 0600, why, sizeof(why))) {
			ret = bbpf_cli_kobj_err(k, "%s", why);
			goto out;
		}
		bbpf_cli_kobj_j(k, BBPF_CLI_J_NULL);
		goto done;
	}
	if (jited) {
		dump_jited(k, &h, &arena);
		goto done;
	}
	if (h.btf_id) {
		err = bbpf_cli_kobj_btf(k, h.btf_id, &arena, &d.btf);
		if (err) {
			ret = bbpf_cli_kobj_errno(k, err, "cannot read the program's BTF (id %u)",
						  h.btf_id);
			goto out;
		}
	}
	d.insn = (const struct bpf_insn *)buf;
	d.cnt = h.xlated_prog_len / sizeof(struct bpf_insn);
	d.ksyms = (const uint64_t *)(uintptr_t)h.jited_ksyms;
	d.nr_ksyms = h.nr_jited_ksyms;
	d.finfo = (const uint8_t *)(uintptr_t)h.func_info;
	d.nr_finfo = h.func_info_rec_size >= sizeof(struct bpf_func_info) ? h.nr_func_info : 0;
	d.finfo_size = h.func_info_rec_size;
	d.linfo = (const uint8_t *)(uintptr_t)h.line_info;
	d.nr_linfo = h.line_info_rec_size >= sizeof(struct bpf_line_info) ? h.nr_line_info : 0;
	d.linfo_size = h.line_info_rec_size;
	if (resolve_calls(&d, &arena)) {
oom:
		ret = bbpf_cli_kobj_err(k, "out of memory");
		goto out;
	}
	dump_insns(&d);
done:
	if (header)
		bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ_END);
out:
	bbpf_arena_free(&arena);
	return ret;
}

int bbpf_cli_prog_dump(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 }, handle;
	struct bbpf_cli_kobj k;
	bool opcodes = false, linum = false, jited;
	const char *mode, *w, *file = NULL;
	int ret, *fds = NULL, n = 0, i;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "prog dump", argc, argv);
	if (ret)
		return ret;
	mode = bbpf_cli_argv_next(&a);
	jited = bbpf_cli_kobj_kw(mode, "jited");
	if (!jited && !bbpf_cli_kobj_kw(mode, "xlated")) {
		ret = bbpf_cli_kobj_usage(&k, "expected 'xlated' or 'jited', got '%s'",
					  mode ? mode : "nothing");
		goto out;
	}
	if (a.c < 2) {
		ret = bbpf_cli_kobj_usage(&k, "expected PROG after '%s'", mode);
		goto out;
	}
	/* The options first (PROG is two words): a bad line touches no program. */
	handle = (struct bbpf_cli_argv){ a.v, 2 };
	a.v += 2;
	a.c -= 2;
	while ((w = bbpf_cli_argv_next(&a))) {
		if (bbpf_cli_kobj_kw(w, "file")) {
			file = bbpf_cli_argv_next(&a);
			if (!file) {
				ret = bbpf_cli_kobj_usage(&k, "'file' needs a path");
				goto out;
			}
		} else if (bbpf_cli_kobj_kw(w, "opcodes")) {
			opcodes = true;
		} else if (bbpf_cli_kobj_kw(w, "linum")) {
			linum = true;
		} else if (bbpf_cli_kobj_kw(w, "visual")) {
			ret = bbpf_cli_kobj_err(&k, "'visual' (a DOT graph) is not supported");
			goto out;
		} else {
			ret = bbpf_cli_kobj_usage(&k, "expected file, opcodes or linum, got '%s'", w);
			goto out;
		}
	}
	if (file && (opcodes || linum)) {
		ret = bbpf_cli_kobj_usage(&k, "'file' cannot be combined with 'opcodes' or 'linum'");
		goto out;
	}
	n = bbpf_cli_kobj_prog_fds(&k, &handle, &fds);
	if (n < 0) {
		ret = -n;
		n = 0;
		goto out;
	}
	if (file && n > 1) {
		ret = bbpf_cli_kobj_err(&k, "%d programs match, 'file' takes one", n);
		goto out;
	}
	if (n > 1)
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_ARR);
	for (i = 0; i < n && !ret; i++) {
		ret = dump_prog(&k, fds[i], n > 1, file, opcodes, linum, jited);
		if (!ret && !k.json && n > 1 && i + 1 < n)
			bbpf_cli_kobj_printf(&k, "\n");
	}
	if (n > 1 && !ret)
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_ARR_END);
out:
	bbpf_cli_kobj_close_fds(&k, fds, n);
	free(fds);
	return bbpf_cli_kobj_close(&k, ret);
}
