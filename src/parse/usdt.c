/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * USDT notes, probe sites and argument specifications; see usdt.h.
 * Note bytes are read through the cursor only; argument strings have been
 * proven NUL-terminated inside their note before they are parsed.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include "usdt.h"
#include "../base/cursor.h"

#define NOTE_HDR_SIZE	12u
#define STAPSDT_OWNER	"stapsdt"	/* n_namesz 8, with the NUL */

/* ---- notes ---- */

static uint64_t align_up(uint64_t v, unsigned int align)
{
	return (v + align - 1) & ~(uint64_t)(align - 1);
}

static int note_fail(struct bbpf_diag *d, enum bbpf_bad why, uint64_t off, uint32_t idx)
{
	return bbpf_diag_fail(d, why, BBPF_DIAG_NO_SEC, off, idx);
}

/* NUL inside [p, end): the string's end, else NULL. */
static const uint8_t *str_end(const uint8_t *p, const uint8_t *end)
{
	return p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
}

/*
 * One note at c's position. Fills *n when out is true (the counting pass
 * only validates). Leaves c after the note's padding (or at the end).
 */
static int note_one(struct cursor *c, uint64_t file_off, unsigned int addr_size,
		    unsigned int align, uint32_t idx, struct bbpf_usdt_note *n,
		    struct bbpf_diag *d)
{
	uint64_t at = c->off, name_at, desc_at;
	uint32_t namesz, descsz, type;
	const uint8_t *name, *desc, *end, *p, *q;
	uint64_t addr[3];
	unsigned int k;

	namesz = cur_u32(c);
	descsz = cur_u32(c);
	type = cur_u32(c);
	if (c->err)
		return note_fail(d, BBPF_BAD_USDT_NOTE_TRUNCATED, file_off + at, idx);
	name_at = c->off;
	name = cur_take(c, namesz);
	desc_at = align_up(name_at + namesz, align);
	if (!name || desc_at > c->len)
		return note_fail(d, BBPF_BAD_USDT_NOTE_TRUNCATED, file_off + at, idx);
	cur_seek(c, desc_at);
	desc = cur_take(c, descsz);
	if (!desc)
		return note_fail(d, BBPF_BAD_USDT_NOTE_TRUNCATED, file_off + at, idx);
	/* The last note's padding may be cut by the end of the section. */
	cur_seek(c, align_up(desc_at + descsz, align) < c->len ?
		 align_up(desc_at + descsz, align) : c->len);
	if (namesz != sizeof(STAPSDT_OWNER) || memcmp(name, STAPSDT_OWNER, namesz) != 0 ||
	    type != BBPF_USDT_NOTE_TYPE)
		return note_fail(d, BBPF_BAD_USDT_NOTE_OWNER, file_off + at, idx);
	/* Three addresses and at least three empty strings. */
	if (descsz < 3u * addr_size + 3)
		return note_fail(d, BBPF_BAD_USDT_NOTE_DESC, file_off + at, idx);
	end = desc + descsz;
	p = desc + 3 * addr_size;			/* provider */
	q = str_end(p, end);
	if (!q || q + 1 >= end || q[1] == '\0')		/* name missing or empty */
		return note_fail(d, BBPF_BAD_USDT_NOTE_STRING, file_off + desc_at, idx);
	q = str_end(q + 1, end);			/* end of name */
	if (!q || q + 1 >= end || !str_end(q + 1, end))	/* args missing or unterminated */
		return note_fail(d, BBPF_BAD_USDT_NOTE_STRING, file_off + desc_at, idx);
	if (!n)
		return 0;
	/* pc, base, sema: inside descsz (checked above) */
	for (k = 0; k < 3; k++)
		addr[k] = addr_size == 8 ? load_u64(desc + 8 * k, c->swap)
					 : load_u32(desc + 4 * k, c->swap);
	n->pc = addr[0];
	n->base = addr[1];
	n->sema = addr[2];
	n->provider = (const char *)p;
	n->name = n->provider + strlen(n->provider) + 1;
	n->args = n->name + strlen(n->name) + 1;
	n->off = file_off + at;
	n->args_off = file_off + desc_at + (uint64_t)((const uint8_t *)n->args - desc);
	if (n->args[0] == ':')	/* libbpf treats it as no arguments */
		n->args = n->args + strlen(n->args);
	return 0;
}

/* Count (notes NULL) or fill the notes of the section. */
static int notes_walk(const uint8_t *sec, uint64_t len, uint64_t file_off, unsigned int addr_size,
		      unsigned int align, bool swap, struct bbpf_usdt_note *notes, uint32_t *cnt,
		      struct bbpf_diag *d)
{
	struct cursor c = cur_make(sec, len, swap);
	uint32_t n = 0;
	int err;

	while (cur_left(&c) > 0) {
		if (n >= BBPF_USDT_MAX_NOTES)
			return note_fail(d, BBPF_BAD_USDT_LIMIT, file_off + c.off, n);
		err = note_one(&c, file_off, addr_size, align, n, notes ? &notes[n] : NULL, d);
		if (err)
			return err;
		n++;
	}
	*cnt = n;
	return 0;
}

int bbpf_usdt_notes_parse(const uint8_t *sec, uint64_t len, uint64_t file_off,
			  unsigned int addr_size, unsigned int align, bool swap,
			  struct bbpf_arena *arena, struct bbpf_usdt_note **notes, uint32_t *cnt,
			  struct bbpf_diag *diag)
{
	uint32_t n = 0;
	int err;

	if ((!sec && len) || !arena || !notes || !cnt || (addr_size != 4 && addr_size != 8) ||
	    (align != 4 && align != 8))
		return -EINVAL;
	err = notes_walk(sec, len, file_off, addr_size, align, swap, NULL, &n, diag);
	if (err)
		return err;
	*notes = bbpf_arena_calloc(arena, n, sizeof(**notes));
	if (!*notes)
		return -ENOMEM;
	*cnt = n;
	return notes_walk(sec, len, file_off, addr_size, align, swap, *notes, &n, diag);
}

int bbpf_usdt_notes(const struct bbpf_elf *elf, struct bbpf_arena *arena,
		    struct bbpf_usdt_note **notes, uint32_t *cnt, struct bbpf_diag *diag)
{
	const struct bbpf_elf_shdr *s;
	uint32_t idx;

	if (!elf)
		return -EINVAL;
	idx = bbpf_elf_find_sec(elf, BBPF_USDT_NOTE_SEC);
	if (!idx)
		return -ENOENT;
	s = bbpf_elf_shdr(elf, idx);
	if (s->type != SHT_NOTE)
		return -EINVAL;
	return bbpf_usdt_notes_parse(bbpf_elf_sec_data(elf, idx), s->size, s->off, 8,
				     s->addralign == 8 ? 8 : 4, elf->swap, arena, notes, cnt, diag);
}

int bbpf_usdt_base_addr(const struct bbpf_elf *elf, uint64_t *addr)
{
	uint32_t idx;

	if (!elf || !addr)
		return -EINVAL;
	idx = bbpf_elf_find_sec(elf, BBPF_USDT_BASE_SEC);
	if (!idx)
		return -ENOENT;
	*addr = elf->shdrs[idx].addr;
	return 0;
}

/* ---- probe sites ---- */

static bool note_wanted(const struct bbpf_usdt_note *n, const char *provider, const char *name)
{
	return (!provider || strcmp(n->provider, provider) == 0) &&
	       (!name || strcmp(n->name, name) == 0);
}

static int addr_fail(struct bbpf_diag *d, const struct bbpf_usdt_note *n, uint32_t idx)
{
	bbpf_diag_fail(d, BBPF_BAD_USDT_ADDR, BBPF_DIAG_NO_SEC, n->off, idx);
	return -ESRCH;
}

/* libbpf's per-note address translation; t->note is set by the caller. */
static int site(const struct bbpf_elf *elf, bool has_base, uint64_t base, uint32_t idx,
		struct bbpf_usdt_target *t, struct bbpf_diag *d)
{
	const struct bbpf_usdt_note *n = t->note;
	const struct bbpf_elf_phdr *seg;

	t->abs_ip = n->pc;
	if (has_base && base && n->base)
		t->abs_ip += base - n->base;
	if (bbpf_elf_vaddr_seg(elf, t->abs_ip, &seg) || !(seg->flags & PF_X))
		return addr_fail(d, n, idx);
	t->rel_ip = t->abs_ip - seg->vaddr + seg->off;
	t->sema_off = 0;
	if (n->sema) {
		if (bbpf_elf_vaddr_seg(elf, n->sema, &seg) || (seg->flags & PF_X))
			return addr_fail(d, n, idx);
		t->sema_off = n->sema - seg->vaddr + seg->off;
	}
	return 0;
}

static bool has_load(const struct bbpf_elf *elf)
{
	for (uint32_t i = 0; i < elf->phnum; i++) {
		if (elf->phdrs[i].type == PT_LOAD)
			return true;
	}
	return false;
}

int bbpf_usdt_collect(const struct bbpf_elf *elf, const char *provider, const char *name,
		      struct bbpf_arena *arena, struct bbpf_usdt_target **out, uint32_t *cnt,
		      struct bbpf_diag *diag)
{
	struct bbpf_usdt_note *notes;
	struct bbpf_usdt_target *t;
	uint32_t n = 0, want = 0, k = 0;
	uint64_t base = 0;
	bool has_base;
	int err;

	if (!elf || !arena || !out || !cnt)
		return -EINVAL;
	if (elf->type != ET_EXEC && elf->type != ET_DYN) {
		bbpf_diag_fail(diag, BBPF_BAD_ELF_TYPE, BBPF_DIAG_NO_SEC, 16, 0);
		return -EBADF;
	}
	if (!has_load(elf))
		return -ESRCH;
	err = bbpf_usdt_notes(elf, arena, &notes, &n, diag);
	if (err)
		return err;
	has_base = bbpf_usdt_base_addr(elf, &base) == 0;
	for (uint32_t i = 0; i < n; i++)
		want += note_wanted(&notes[i], provider, name);
	if (!want)
		return -ENOENT;
	t = bbpf_arena_calloc(arena, want, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (!note_wanted(&notes[i], provider, name))
			continue;
		t[k].note = &notes[i];
		err = site(elf, has_base, base, i, &t[k], diag);
		if (err)
			return err;
		k++;
	}
	*out = t;
	*cnt = want;
	return 0;
}

bool bbpf_usdt_nop_combo(const struct bbpf_elf *elf, uint64_t rel_ip, uint64_t page_size)
{
	static const uint8_t combo[11] = {
		0x90, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
	};

	if (!elf || elf->machine != EM_X86_64 || !page_size || rel_ip == UINT64_MAX)
		return false;
	/* The kernel cannot optimize a nop10 that crosses a page boundary. */
	if ((rel_ip + 1) % page_size + 10 > page_size)
		return false;
	return span_ok(rel_ip, sizeof(combo), elf->len) &&
	       memcmp(elf->buf + rel_ip, combo, sizeof(combo)) == 0;
}

int bbpf_usdt_vma_ip(uint64_t rel_ip, const struct bbpf_usdt_vma *vmas, size_t cnt,
		     uint64_t *abs_ip)
{
	if ((!vmas && cnt) || !abs_ip)
		return -EINVAL;
	for (size_t i = 0; i < cnt; i++) {
		const struct bbpf_usdt_vma *v = &vmas[i];

		if (v->end < v->start || v->off > rel_ip || rel_ip - v->off >= v->end - v->start)
			continue;
		*abs_ip = v->start - v->off + rel_ip;
		return 0;
	}
	return -ESRCH;
}

/* ---- argument strings: shared lexing ---- */

struct lex {
	const char *s;
	size_t pos;
};

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void skip_ws(struct lex *l)
{
	while (is_space(l->s[l->pos]))
		l->pos++;
}

/*
 * A decimal integer as sscanf's %d / %ld read it: white space, an optional
 * sign, digits. lo/hi bound it (int or long range).
 */
static bool lex_dec(struct lex *l, int64_t lo, int64_t hi, int64_t *out)
{
	uint64_t v = 0, lim;
	bool neg = false;
	size_t digits = 0;

	skip_ws(l);
	if (l->s[l->pos] == '+' || l->s[l->pos] == '-')
		neg = l->s[l->pos++] == '-';
	lim = neg ? (uint64_t)0 - (uint64_t)lo : (uint64_t)hi;
	for (; is_digit(l->s[l->pos]); l->pos++, digits++) {
		unsigned int d = (unsigned int)(l->s[l->pos] - '0');

		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (!digits)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool lex_char(struct lex *l, char c)
{
	skip_ws(l);
	if (l->s[l->pos] != c)
		return false;
	l->pos++;
	return true;
}

/* ---- per-architecture argument parsers ---- */

/*
 * Each parses one "SIZE@LOCATION" at l (white space around it consumed)
 * into arg (kind, val_off, register offsets) and *size; on failure *why
 * says what. Selected by e_machine in bbpf_usdt_spec_parse(). Offsets are
 * those of the target's struct pt_regs as BPF programs see it (the kprobe
 * context), independent of the host barebpf runs on.
 */
typedef int (*arg_parse_fn)(struct lex *l, struct bbpf_usdt_arg *arg, int64_t *size,
			    const char **why);

/*
 * x86-64 register name s[0..len) to its struct pt_regs offset
 * (arch/x86/include/asm/ptrace.h); -1 if unknown. The names: rip/eip;
 * rax/eax/ax/al .. rdx/edx/dx/dl; rsi/esi/si/sil .. rsp/esp/sp/spl;
 * r8/r8d/r8w/r8b .. r15/r15d/r15w/r15b.
 */
static int x86_reg_off(const char *s, size_t len)
{
	static const char base[] = "ipaxbxcxdxsidibpsp";
	static const uint8_t base_off[9] = { 128, 80, 40, 88, 96, 104, 112, 32, 152 };
	static const uint8_t num_off[8] = { 72, 64, 56, 48, 24, 16, 8, 0 };	/* r8 .. r15 */
	char b[5] = { 0 };
	unsigned int k, n, i = 2;

	if (len < 2 || len > 4)
		return -1;
	memcpy(b, s, len);
	if (b[0] == 'r' && b[1] >= '1' && b[1] <= '9') {
		n = (unsigned int)(b[1] - '0');
		if (n == 1 && b[2] >= '0' && b[2] <= '5')
			n = 10 + (unsigned int)(b[i++] - '0');
		if (b[i] == 'd' || b[i] == 'w' || b[i] == 'b')
			i++;
		return n >= 8 && i == len ? num_off[n - 8] : -1;
	}
	for (k = 0; k < 9; k++) {
		const char *x = base + 2 * k;

		if (len == 3 && (b[0] == 'r' || b[0] == 'e') && b[1] == x[0] && b[2] == x[1])
			return base_off[k];
		if (k && b[0] == x[0] && (len == 2 && b[1] == x[1] ? true :
		    /* 8-bit: al .. dl, then sil .. spl */
		    k < 5 ? len == 2 && b[1] == 'l' : len == 3 && b[1] == x[1] && b[2] == 'l'))
			return base_off[k];
	}
	return -1;
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "%name" inside parentheses: name must be followed directly by ',' or ')'. */
static int x86_paren_reg(struct lex *l, uint16_t *off, const char **why)
{
	size_t start;
	int r;

	if (!lex_char(l, '%')) {
		*why = BBPF_MSGZ_STR("expected '%' before a register");
		return -EINVAL;
	}
	start = l->pos;
	while (is_alnum(l->s[l->pos]))
		l->pos++;
	r = x86_reg_off(l->s + start, l->pos - start);
	if (r < 0) {
		l->pos = start;
		*why = BBPF_MSGZ_STR("unknown register");
		return -EINVAL;
	}
	if (l->s[l->pos] != ',' && l->s[l->pos] != ')') {
		*why = BBPF_MSGZ_STR("expected ',' or ')' right after the register");
		return -EINVAL;
	}
	*off = (uint16_t)r;
	return 0;
}

/* After "(%base": ",%index[,scale])" or ")". */
static int x86_mem(struct lex *l, struct bbpf_usdt_arg *arg, const char **why)
{
	int64_t scale = 1;
	int err;

	err = x86_paren_reg(l, &arg->reg_off, why);
	if (err)
		return err;
	if (l->s[l->pos] == ')') {
		l->pos++;
		arg->kind = BBPF_USDT_ARG_REG_DEREF;
		return 0;
	}
	l->pos++;	/* ',' */
	err = x86_paren_reg(l, &arg->idx_reg_off, why);
	if (err)
		return err;
	if (l->s[l->pos] == ',') {
		l->pos++;
		if (!lex_dec(l, INT32_MIN, INT32_MAX, &scale)) {
			*why = BBPF_MSGZ_STR("expected a scale");
			return -EINVAL;
		}
	}
	if (!lex_char(l, ')')) {
		*why = BBPF_MSGZ_STR("expected ')'");
		return -EINVAL;
	}
	switch (scale) {
	case 1: arg->scale_shift = 0; break;
	case 2: arg->scale_shift = 1; break;
	case 4: arg->scale_shift = 2; break;
	case 8: arg->scale_shift = 3; break;
	default:
		*why = BBPF_MSGZ_STR("SIB scale is not 1, 2, 4 or 8");
		return -EINVAL;
	}
	arg->kind = BBPF_USDT_ARG_SIB;
	return 0;
}

/*
 * AT&T syntax as GCC's "nor" operands print it (libbpf's x86 sscanf forms):
 *   SIZE@$IMM   SIZE@%REG   SIZE@[DISP](%REG)   SIZE@[DISP](%BASE,%INDEX[,SCALE])
 */
static int parse_arg_x86_64(struct lex *l, struct bbpf_usdt_arg *arg, int64_t *size,
			    const char **why)
{
	size_t start;
	int r;

	if (!lex_dec(l, INT32_MIN, INT32_MAX, size)) {
		*why = BBPF_MSGZ_STR("expected the argument size");
		return -EINVAL;
	}
	if (!lex_char(l, '@')) {
		*why = BBPF_MSGZ_STR("expected '@' after the size");
		return -EINVAL;
	}
	skip_ws(l);
	switch (l->s[l->pos]) {
	case '$':
		l->pos++;
		if (!lex_dec(l, INT64_MIN, INT64_MAX, &arg->val_off)) {
			*why = BBPF_MSGZ_STR("expected a decimal constant after '$'");
			return -EINVAL;
		}
		arg->kind = BBPF_USDT_ARG_CONST;
		break;
	case '%':
		/* sscanf's %15s: the register is everything up to white space. */
		start = ++l->pos;
		while (l->s[l->pos] && !is_space(l->s[l->pos]))
			l->pos++;
		r = x86_reg_off(l->s + start, l->pos - start);
		if (r < 0) {
			l->pos = start;
			*why = BBPF_MSGZ_STR("unknown register");
			return -EINVAL;
		}
		arg->kind = BBPF_USDT_ARG_REG;
		arg->reg_off = (uint16_t)r;
		break;
	case '(':
		l->pos++;
		r = x86_mem(l, arg, why);
		if (r)
			return r;
		break;
	default:
		if (!is_digit(l->s[l->pos]) && l->s[l->pos] != '-' && l->s[l->pos] != '+') {
			*why = l->s[l->pos] ? BBPF_MSGZ_STR("symbolic displacement (e.g. sym(%rip)): not supported, "
					      "as in libbpf 1.8") : BBPF_MSGZ_STR("missing location");
			return -EINVAL;
		}
		if (!lex_dec(l, INT64_MIN, INT64_MAX, &arg->val_off)) {
			*why = BBPF_MSGZ_STR("displacement is not a decimal long");
			return -EINVAL;
		}
		if (!lex_char(l, '(')) {
			*why = BBPF_MSGZ_STR("expected '(' after the displacement");
			return -EINVAL;
		}
		r = x86_mem(l, arg, why);
		if (r)
			return r;
		break;
	}
	skip_ws(l);
	return 0;
}

/*
 * Where the other architectures plug in: write parse_arg_<arch>() with the
 * target's register table (pt_regs offsets of that architecture's kernel),
 * and add its e_machine below. libbpf 1.8's forms, for reference:
 *  - EM_AARCH64: "-4@[sp, 96]", "-4@[sp]", "4@5" (constant, no '$'),
 *    "-8@x4"; registers x0..x30 and sp in struct user_pt_regs.
 *  - EM_S390 (s390x): "-2@-28(%r15)", "-8@%r0", "4@71"; %r0..%r15 are
 *    user_pt_regs.gprs[].
 *  - EM_RISCV: "-8@-88(s0)", "4@5", "-8@a1"; ra sp gp tp a0-a7 s0-s11
 *    t0-t6 in struct user_regs_struct.
 *  - EM_ARM: "-4@[fp, #96]", "-4@[sp]", "4@#5", "-8@r4"; r0-r10 fp ip sp
 *    lr pc as pt_regs.uregs[].
 */
static arg_parse_fn arg_parser(uint16_t e_machine, const char **why)
{
	switch (e_machine) {
	case EM_X86_64:
		return parse_arg_x86_64;
	case EM_AARCH64:
		*why = BBPF_MSGZ_STR("USDT arguments for aarch64 are not parsed yet");
		return NULL;
	case EM_S390:
		*why = BBPF_MSGZ_STR("USDT arguments for s390x are not parsed yet");
		return NULL;
	case EM_RISCV:
		*why = BBPF_MSGZ_STR("USDT arguments for riscv are not parsed yet");
		return NULL;
	case EM_ARM:
		*why = BBPF_MSGZ_STR("USDT arguments for arm are not parsed yet");
		return NULL;
	default:
		*why = BBPF_MSGZ_STR("USDT arguments for this architecture are not supported");
		return NULL;
	}
}

static int arg_fail(struct bbpf_usdt_arg_err *err, uint32_t arg, size_t pos, const char *why,
		    int ret)
{
	if (err) {
		err->arg = arg;
		err->pos = pos > UINT32_MAX ? UINT32_MAX : (uint32_t)pos;
		err->why = why;
	}
	return ret;
}

int bbpf_usdt_spec_parse(uint16_t e_machine, const char *args, uint64_t cookie,
			 struct bbpf_usdt_spec *spec, struct bbpf_usdt_arg_err *err)
{
	struct lex l = { .s = args, .pos = 0 };
	const char *why = NULL;
	arg_parse_fn parse;

	if (!args || !spec)
		return -EINVAL;
	memset(spec, 0, sizeof(*spec));
	spec->cookie = cookie;
	parse = arg_parser(e_machine, &why);
	if (!parse)
		return arg_fail(err, 0, 0, why, -EOPNOTSUPP);
	while (l.s[l.pos]) {
		struct bbpf_usdt_arg *arg;
		size_t start = l.pos;
		int64_t size;
		int r;

		if (spec->arg_cnt >= BBPF_USDT_MAX_ARGS)
			return arg_fail(err, spec->arg_cnt, start, "more than 12 arguments", -E2BIG);
		arg = &spec->args[spec->arg_cnt];
		r = parse(&l, arg, &size, &why);
		if (r)
			return arg_fail(err, spec->arg_cnt, l.pos, why, r);
		arg->is_signed = size < 0;
		if (size < 0)
			size = -size;
		if (size != 1 && size != 2 && size != 4 && size != 8)
			return arg_fail(err, spec->arg_cnt, start, "size is not 1, 2, 4 or 8", -EINVAL);
		arg->size = (uint8_t)size;
		arg->bitshift = (uint8_t)(64 - size * 8);
		spec->arg_cnt++;
	}
	return 0;
}

/* ---- the map value ---- */

int bbpf_usdt_layout_of(uint32_t value_size, enum bbpf_usdt_layout *layout)
{
	if (!layout)
		return -EINVAL;
	if (value_size == BBPF_USDT_SPEC_SIZE_V1)
		*layout = BBPF_USDT_LAYOUT_V1;
	else if (value_size == BBPF_USDT_SPEC_SIZE_V2)
		*layout = BBPF_USDT_LAYOUT_V2;
	else
		return -EINVAL;
	return 0;
}

static void put16(uint8_t *p, uint16_t v, bool be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v, bool be)
{
	for (int i = 0; i < 8; i++)
		p[be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Byte offsets of one layout. */
struct layout {
	uint16_t arg_size, cookie, arg_cnt, size, reg_off, sign, shift;
};

static const struct layout layouts[] = {
	[BBPF_USDT_LAYOUT_V1] = { 16, 192, 200, BBPF_USDT_SPEC_SIZE_V1, 12, 14, 15 },
	[BBPF_USDT_LAYOUT_V2] = { 24, 288, 296, BBPF_USDT_SPEC_SIZE_V2, 14, 16, 17 },
};

static void encode_arg(const struct bbpf_usdt_arg *a, enum bbpf_usdt_layout layout, bool be,
		       const struct layout *lo, uint8_t *p)
{
	put64(p, (uint64_t)a->val_off, be);
	if (layout == BBPF_USDT_LAYOUT_V1) {
		put32(p + 8, (uint32_t)a->kind, be);	/* a plain enum */
	} else if (!be) {
		/* arg_type:8 at byte 8; idx_reg_off:12 + scale_bitshift:4 in the u16 at 10 */
		p[8] = (uint8_t)a->kind;
		put16(p + 10, (uint16_t)(a->idx_reg_off | a->scale_shift << 12), be);
	} else {
		/* __reserved:8 at byte 8; idx_reg_off high in the u16 at 10; arg_type at 12 */
		put16(p + 10, (uint16_t)(a->idx_reg_off << 4 | a->scale_shift), be);
		p[12] = (uint8_t)a->kind;
	}
	put16(p + lo->reg_off, a->reg_off, be);
	p[lo->sign] = a->is_signed;
	p[lo->shift] = a->bitshift;
}

int bbpf_usdt_spec_encode(const struct bbpf_usdt_spec *spec, enum bbpf_usdt_layout layout,
			  bool big_endian, void *out, size_t out_size)
{
	const struct layout *lo;
	uint8_t *p = out;

	if (!spec || !out || (layout != BBPF_USDT_LAYOUT_V1 && layout != BBPF_USDT_LAYOUT_V2))
		return -EINVAL;
	lo = &layouts[layout];
	if (out_size < lo->size || spec->arg_cnt > BBPF_USDT_MAX_ARGS)
		return -EINVAL;
	for (uint16_t i = 0; i < spec->arg_cnt; i++) {
		const struct bbpf_usdt_arg *a = &spec->args[i];

		if (a->kind > BBPF_USDT_ARG_SIB || a->reg_off > INT16_MAX ||
		    a->idx_reg_off >= 4096 || a->scale_shift >= 16)
			return -EINVAL;
		if (a->kind == BBPF_USDT_ARG_SIB && layout == BBPF_USDT_LAYOUT_V1)
			return -EOPNOTSUPP;
	}
	memset(p, 0, lo->size);
	for (uint16_t i = 0; i < spec->arg_cnt; i++)
		encode_arg(&spec->args[i], layout, big_endian, lo, p + i * lo->arg_size);
	put64(p + lo->cookie, spec->cookie, big_endian);
	put16(p + lo->arg_cnt, spec->arg_cnt, big_endian);
	return 0;
}

/* ---- spec sharing and the IP-to-spec map: targets or entries in sorted order ---- */

/* <0, 0, >0 as entry a of base sorts before, with or after entry b. */
typedef int (*ix_cmp_fn)(const void *base, uint32_t a, uint32_t b);

static int args_cmp(const void *base, uint32_t a, uint32_t b)
{
	const struct bbpf_usdt_target *t = base;

	return strcmp(t[a].note->args, t[b].note->args);
}

static int ip_cmp(const void *base, uint32_t a, uint32_t b)
{
	const struct bbpf_usdt_ip_entry *e = base;

	return (e[a].ip > e[b].ip) - (e[a].ip < e[b].ip);
}

/*
 * The indices 0 .. n-1 of base's entries (from scratch) in cmp's order, a
 * shell sort; ties keep index order, so a run of equal entries starts with
 * its lowest index. NULL: no memory.
 */
static uint32_t *sorted_ix(struct bbpf_arena *scratch, uint32_t n, const void *base,
			   ix_cmp_fn cmp)
{
	uint32_t *ix = bbpf_arena_alloc_array(scratch, n ? n : 1, sizeof(*ix));

	if (!ix)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		ix[i] = i;
	for (uint32_t gap = n / 2; gap; gap /= 2) {
		for (uint32_t i = gap; i < n; i++) {
			uint32_t v = ix[i], j;

			for (j = i; j >= gap; j -= gap) {
				int c = cmp(base, ix[j - gap], v);

				if (c < 0 || (c == 0 && ix[j - gap] < v))
					break;
				ix[j] = ix[j - gap];
			}
			ix[j] = v;
		}
	}
	return ix;
}

int bbpf_usdt_spec_groups(const struct bbpf_usdt_target *t, uint32_t cnt,
			  struct bbpf_arena *scratch, uint32_t *group, uint32_t *groups)
{
	uint32_t *ix, *first, g = 0;

	if ((!t && cnt) || (!group && cnt) || !groups || !scratch)
		return -EINVAL;
	for (uint32_t i = 0; i < cnt; i++) {
		if (!t[i].note || !t[i].note->args)
			return -EINVAL;
	}
	ix = sorted_ix(scratch, cnt, t, args_cmp);
	first = ix ? bbpf_arena_alloc_array(scratch, cnt ? cnt : 1, sizeof(*first)) : NULL;
	if (!first)
		return -ENOMEM;
	/* first[i]: the lowest target index sharing i's string. */
	for (uint32_t k = 0; k < cnt; k++) {
		bool same = k && args_cmp(t, ix[k], ix[k - 1]) == 0;

		first[ix[k]] = same ? first[ix[k - 1]] : ix[k];
	}
	/* Number groups in order of first appearance. */
	for (uint32_t i = 0; i < cnt; i++)
		group[i] = first[i] == i ? g++ : group[first[i]];
	*groups = g;
	return 0;
}

int bbpf_usdt_ip_entries(const struct bbpf_usdt_target *t, const uint64_t *ips, uint32_t cnt,
			 const uint32_t *group, const uint32_t *spec_ids,
			 struct bbpf_arena *scratch, struct bbpf_usdt_ip_entry *out, uint32_t *dup)
{
	uint32_t *ix;

	if ((!t && cnt) || (!group && cnt) || (!spec_ids && cnt) || (!out && cnt) || !scratch)
		return -EINVAL;
	for (uint32_t i = 0; i < cnt; i++) {
		out[i].ip = ips ? ips[i] : t[i].abs_ip;
		out[i].spec_id = spec_ids[group[i]];
	}
	ix = sorted_ix(scratch, cnt, out, ip_cmp);
	if (!ix)
		return -ENOMEM;
	for (uint32_t k = 1; k < cnt; k++) {
		if (out[ix[k]].ip == out[ix[k - 1]].ip) {
			if (dup)
				*dup = ix[k];
			return -EEXIST;
		}
	}
	return 0;
}
