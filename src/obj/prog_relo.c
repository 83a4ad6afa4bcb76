/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Relocation records per program, classified but not applied: REL entries
 * of executable sections (maps, global data, calls, callbacks, externs) and
 * CO-RE records from .BTF.ext. Also the func_info/line_info slices of each
 * program. The relocation engine applies them at load.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"
#include "../base/cursor.h"

#define INSN_LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define INSN_CALL (BPF_JMP | BPF_CALL)

static uint32_t n_progs(const struct bbpf_object *obj)
{
	return obj->prog_cnt + obj->subprog_cnt;
}

/* bbpf_obj_sec_is_exec(), kept inline here: LTO makes that one a call. */
static inline __attribute__((always_inline)) bool exec_sec(const struct bbpf_object *obj,
							     uint32_t idx)
{
	const struct bbpf_elf_shdr *sh;

	if (idx >= obj->elf.shnum)
		return false;
	sh = &obj->elf.shdrs[idx];
	return sh->type == SHT_PROGBITS && (sh->flags & SHF_EXECINSTR) && sh->size > 0;
}

static bool is_prog_rel_sec(const struct bbpf_object *obj, uint32_t sec)
{
	const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[sec];

	return (sh->type == SHT_REL || sh->type == SHT_RELA) && exec_sec(obj, sh->info);
}

static struct bbpf_extern *extern_by_sym(const struct bbpf_object *obj, uint32_t sym_idx,
					 uint32_t *idx)
{
	if (!obj->sym_extern || sym_idx >= obj->sym_cnt || obj->sym_extern[sym_idx] == UINT32_MAX)
		return NULL;
	*idx = obj->sym_extern[sym_idx];
	return &obj->externs[*idx];
}

struct rel_ctx {
	struct bbpf_object *obj;
	struct bbpf_diag *diag;
	const uint8_t *ents;	/* the section's entries, ent bytes each */
	uint64_t ent;
	uint32_t rel_sec, i;	/* i: the entry at hand */
};

static int relo_fail(struct rel_ctx *c, const char *what, const char *sym)
{
	const struct bbpf_elf_shdr *rsh = &c->obj->elf.shdrs[c->rel_sec];
	/* the file offset of the relocated instruction: its section's + r_offset */
	uint64_t file_off = c->obj->elf.shdrs[rsh->info].off +
			    load_u64(c->ents + c->i * c->ent, c->obj->elf.swap);

	return bbpf_obj_fail(c->obj, c->diag, BBPF_BAD_OBJ_RELO, rsh->info, file_off, c->i,
			     "relocation #%u against '%s': %s", c->i, sym, what);
}

/* Classify one relocation of an instruction; fills *r (insn_idx set by caller). */
static int classify(struct rel_ctx *c, const struct bpf_insn *insn, const struct bbpf_elf_rel *rel,
		    struct bbpf_relo *r)
{
	struct bbpf_object *obj = c->obj;
	const struct bbpf_elf_sym *sp = bbpf_obj_sym(obj, rel->sym);
	bool is_call, is_ld;
	struct bbpf_map *m;

	if (!sp)
		return relo_fail(c, "bad symbol index", "?");
	is_call = insn->code == INSN_CALL;
	is_ld = insn->code == INSN_LD_IMM64;
	r->sym_idx = rel->sym;
	r->sec_idx = sp->shndx;
	r->sym_off = sp->value;
	if (!is_call && !is_ld)
		return relo_fail(c, "instruction is neither ld_imm64 nor call", sp->name);
	if (sp->shndx == SHN_UNDEF) {
		struct bbpf_extern *e = extern_by_sym(obj, rel->sym, &r->target);

		if (!e)
			return relo_fail(c, "undefined symbol is not an extern", sp->name);
		if (is_call && !e->is_func)
			return relo_fail(c, "call of an extern variable", sp->name);
		/* ld_imm64 of a kfunc is allowed: bpf_ksym_exists() tests it. */
		r->kind = is_call ? BBPF_RELO_EXTERN_FUNC : BBPF_RELO_EXTERN_VAR;
		return 0;
	}
	if (is_call) {
		if (insn->src_reg != BPF_PSEUDO_CALL)
			return relo_fail(c, "call is not a bpf-to-bpf call", sp->name);
		if (!exec_sec(obj, sp->shndx) || sp->value % sizeof(struct bpf_insn))
			return relo_fail(c, "call target is not code", sp->name);
		r->kind = BBPF_RELO_CALL;
		return 0;
	}
	if (exec_sec(obj, sp->shndx)) {
		if (sp->value % sizeof(struct bpf_insn) ||
		    (sp->type != STT_FUNC && sp->type != STT_SECTION))
			return relo_fail(c, "bad subprogram address", sp->name);
		r->kind = BBPF_RELO_CALLBACK;
		return 0;
	}
	if (sp->shndx == obj->maps_shndx || sp->shndx == obj->legacy_maps_shndx) {
		m = bbpf_obj_map_at(obj, sp->shndx, sp->value);
		if (!m || sp->shndx == 0)
			return relo_fail(c, "no map defined at the symbol", sp->name);
		r->kind = BBPF_RELO_MAP;
		r->target = (uint32_t)(m - obj->maps);
		return 0;
	}
	m = bbpf_obj_data_map(obj, sp->shndx);
	if (m) {
		r->kind = BBPF_RELO_DATA;
		r->target = (uint32_t)(m - obj->maps);
		return 0;
	}
	return relo_fail(c, "symbol is in a section barebpf cannot relocate against", sp->name);
}

/*
 * Pass 1 counts records per program (into relo_cnt); pass 2 fills them.
 * *first: the program of the section's first relocation, found by pass 1
 * and where pass 2 starts looking.
 */
static int walk_rel_sec(struct bbpf_object *obj, uint32_t rel_sec, bool fill,
			struct bbpf_program **first, struct bbpf_diag *diag)
{
	const struct bbpf_elf_shdr *rsh = &obj->elf.shdrs[rel_sec];
	const struct bbpf_elf_shdr *tsh = &obj->elf.shdrs[rsh->info];
	/* bbpf_elf_parse() checked sh_entsize, the size and the range: entries read in place */
	uint64_t ent = rsh->type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
	uint32_t i, n = (uint32_t)(rsh->size / ent);
	struct bbpf_program *last = fill ? *first : NULL;
	struct bbpf_elf_rel rel = { 0 };
	struct rel_ctx c = {
		.obj = obj, .diag = diag, .ents = obj->elf.buf + rsh->off, .ent = ent,
		.rel_sec = rel_sec,
	};
	uint64_t info;

	if (rsh->link != obj->elf.symtab)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_ELF_SECTION_LINK, rel_sec, rsh->off, 0,
				     "relocations use another symbol table");
	for (i = 0; i < n; i++) {
		struct bbpf_program *p;
		struct bbpf_relo *r;
		int err;

		/* as bbpf_elf_rel(); the addend is not used */
		rel.off = load_u64(c.ents + i * ent, obj->elf.swap);
		info = load_u64(c.ents + i * ent + 8, obj->elf.swap);
		rel.sym = (uint32_t)ELF64_R_SYM(info);
		rel.type = (uint32_t)ELF64_R_TYPE(info);
		if (rel.type == 0)	/* R_BPF_NONE */
			continue;
		c.i = i;
		if (rel.off % sizeof(struct bpf_insn) || rel.off >= tsh->size)
			return relo_fail(&c, "offset is not an instruction of the section", "?");
		/* clang emits relocations in offset order: mostly the previous one's function */
		p = last && rel.off / sizeof(struct bpf_insn) - last->sec_insn_off < last->insn_cnt
			? last : bbpf_obj_prog_at(obj, rsh->info, rel.off / sizeof(struct bpf_insn));
		if (!p)
			return relo_fail(&c, "offset is outside every function", "?");
		if (!last)
			*first = p;
		last = p;
		if (!fill) {
			p->relo_cnt++;
			continue;
		}
		r = &p->relos[p->relo_cnt];
		r->insn_idx = (uint32_t)(rel.off / sizeof(struct bpf_insn) - p->sec_insn_off);
		if (r->insn_idx + 1 >= p->insn_cnt && p->insns[r->insn_idx].code == INSN_LD_IMM64)
			return relo_fail(&c, "ld_imm64 truncated at the end of the function", "?");
		err = classify(&c, &p->insns[r->insn_idx], &rel, r);
		if (err)
			return err;
		p->relo_cnt++;
	}
	return 0;
}

/* Records of one program in its section's .BTF.ext block (sec), usually sorted by insn_off. */
static void ext_slice(const struct bbpf_btf_ext_sec *sec, const struct bbpf_program *p,
		      size_t rec_size, struct bbpf_ext_slice *out)
{
	uint64_t lo = (uint64_t)p->sec_insn_off * sizeof(struct bpf_insn);
	uint64_t hi = lo + (uint64_t)p->insn_cnt * sizeof(struct bpf_insn);
	uint32_t i;

	*out = (struct bbpf_ext_slice){ 0 };
	if (!sec)
		return;
	if (sec->sorted) {	/* clang's order: [first record at lo, first record at hi) */
		i = bbpf_btf_ext_lower_bound(sec, rec_size, lo);
		hi = bbpf_btf_ext_lower_bound(sec, rec_size, hi);
		if (hi > i)
			*out = (struct bbpf_ext_slice){ .sec = sec, .first = i, .cnt = (uint32_t)hi - i };
		return;
	}
	/* Not sorted: every record. */
	for (i = 0; i < sec->cnt; i++) {
		/* insn_off is the first u32 of every record kind. */
		uint32_t off = *(const uint32_t *)((const uint8_t *)sec->recs + (size_t)i * rec_size);

		if (off < lo || off >= hi)
			continue;
		if (!out->sec) {
			out->sec = sec;
			out->first = i;
		}
		out->cnt = i - out->first + 1;
	}
}

/*
 * A hash of a section name from its length and its first and last 8 bytes
 * (names of one kind share long prefixes: "tracepoint/syscalls/sys_enter_"),
 * instead of a multiply per byte.
 */
static uint32_t name_key(const char *s, size_t n)
{
	uint64_t a = 0, b = 0;

	if (n >= 8) {	/* fixed-size copies: plain loads, no memcpy call */
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else {
		for (; n > 0 && b < 256; s++, n--)	/* b counts, a collects */
			a = a << 8 | (uint8_t)*s, b++;
		n = b;
		b = 0;
	}
	a = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ n) * 0xff51afd7ed558ccdull;
	return (uint32_t)(a >> 32);
}

/* a and b both n bytes long: compared 8 bytes at a time (musl's memcmp takes one). */
static bool same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; n -= 8, a += 8, b += 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	for (; n; n--, a++, b++)
		if (*a != *b)
			return false;
	return true;
}

/* A bit for the first two bytes of a name: a filter, collisions only cost time. */
static uint64_t prefix_bit(const char *s)
{
	unsigned int c0 = (uint8_t)s[0], c1 = c0 ? (uint8_t)s[1] : 0;

	return (uint64_t)1 << ((c0 * 7 + c1) & 63);
}

/*
 * obj->sec_first and obj->ext_of_sec, in time linear in the sections and
 * blocks: one hash table of section names (first index of each name).
 * Only sections named as some block matter: sec_first is read for program
 * sections, and a program section not named as a block gets no block
 * whatever its sec_first. The others (relocations, debug info, maps, ...)
 * are told apart by their first two bytes and left out of the table (their
 * sec_first is themselves).
 */
static int index_ext(struct bbpf_object *obj)
{
	const struct bbpf_btf_ext_info *infos[3] = {
		&obj->btf_ext->func_info, &obj->btf_ext->line_info, &obj->btf_ext->core_relo,
	};
	uint32_t shnum = obj->elf.shnum, cap = 16, mask, h, i, j, k, *tab, *len, *found;
	uint64_t want = 0;
	const char *name;
	size_t n;

	while (cap < 2 * shnum)
		cap *= 2;
	mask = cap - 1;
	tab = bbpf_arena_calloc(&obj->arena, cap, sizeof(*tab));	/* section index; 0 empty */
	len = bbpf_arena_alloc_array(&obj->arena, shnum, sizeof(*len));
	/* the section of each func_info block, reused by blocks of the same name string */
	found = bbpf_arena_alloc_array(&obj->arena, infos[0]->sec_cnt, sizeof(*found));
	/* every entry is written below */
	obj->sec_first = bbpf_arena_alloc_array(&obj->arena, shnum, sizeof(*obj->sec_first));
	for (k = 0; k < 3; k++)
		obj->ext_of_sec[k] = bbpf_arena_calloc(&obj->arena, shnum, sizeof(*obj->ext_of_sec[k]));
	if (!tab || !len || !found || !obj->sec_first || !obj->ext_of_sec[0] ||
	    !obj->ext_of_sec[1] || !obj->ext_of_sec[2])
		return -ENOMEM;
	for (k = 0; k < 3; k++)
		for (j = 0; j < infos[k]->sec_cnt; j++)
			want |= prefix_bit(infos[k]->secs[j].sec_name);
	obj->sec_first[0] = 0;
	for (i = 1; i < shnum; i++) {
		name = obj->elf.shdrs[i].name;
		obj->sec_first[i] = i;
		if (!(want & prefix_bit(name)))
			continue;
		n = strlen(name);
		len[i] = (uint32_t)n;	/* names lie in a section of at most 4 GiB */
		for (h = name_key(name, n) & mask; tab[h]; h = (h + 1) & mask)
			if (len[tab[h]] == n && same_bytes(obj->elf.shdrs[tab[h]].name, name, n))
				break;
		if (!tab[h])
			tab[h] = i;
		obj->sec_first[i] = tab[h];
	}
	for (k = 0; k < 3; k++) {
		for (j = 0; j < infos[k]->sec_cnt; j++) {
			const struct bbpf_btf_ext_sec *e = &infos[k]->secs[j];

			if (k && j < infos[0]->sec_cnt && infos[0]->secs[j].sec_name == e->sec_name) {
				i = found[j];	/* the same string: the same answer */
			} else {
				n = strlen(e->sec_name);
				for (h = name_key(e->sec_name, n) & mask; (i = tab[h]); h = (h + 1) & mask)
					if (len[i] == n && same_bytes(obj->elf.shdrs[i].name, e->sec_name, n))
						break;
				if (!k)
					found[j] = i;
			}
			/* the first block of a name wins, as bbpf_btf_ext_find() */
			if (i && !obj->ext_of_sec[k][i])
				obj->ext_of_sec[k][i] = e;
		}
	}
	return 0;
}

static int collect_ext(struct bbpf_object *obj)
{
	static const size_t rec_size[3] = {
		sizeof(struct bpf_func_info), sizeof(struct bpf_line_info),
		sizeof(struct bpf_core_relo),
	};
	uint32_t i, k, first;
	int err;

	_Static_assert(offsetof(struct bbpf_program, core_relo) -
		       offsetof(struct bbpf_program, func_info) == 2 * sizeof(struct bbpf_ext_slice),
		       "the three slices follow each other");
	if (!obj->btf_ext)
		return 0;
	err = index_ext(obj);
	if (err)
		return err;
	for (i = 0; i < n_progs(obj); i++) {
		struct bbpf_program *p = &obj->progs[i];

		/* the block named as p's section (the first of that name) */
		first = obj->sec_first[p->sec_idx];
		for (k = 0; k < 3; k++)	/* func_info, line_info, core_relo: in this order */
			ext_slice(obj->ext_of_sec[k][first], p, rec_size[k], &p->func_info + k);
	}
	return 0;
}

int bbpf_obj_collect_relos(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	struct rel_sec {
		uint32_t sec;
		struct bbpf_program *first;	/* see walk_rel_sec() */
	} *rel_secs;
	uint32_t sec, i, j, k, rel_cnt = 0;
	int err;

	err = collect_ext(obj);
	if (err)
		return err;
	/* the program relocation sections, found once for both passes */
	rel_secs = bbpf_arena_alloc_array(&obj->arena, obj->elf.shnum, sizeof(*rel_secs));
	if (!rel_secs)
		return -ENOMEM;
	for (sec = 1; sec < obj->elf.shnum; sec++) {
		if (!is_prog_rel_sec(obj, sec))
			continue;
		rel_secs[rel_cnt] = (struct rel_sec){ .sec = sec };
		err = walk_rel_sec(obj, sec, false, &rel_secs[rel_cnt].first, diag);
		if (err)
			return err;
		rel_cnt++;
	}
	for (i = 0; i < n_progs(obj); i++) {
		struct bbpf_program *p = &obj->progs[i];
		size_t n = (size_t)p->relo_cnt + p->core_relo.cnt;

		p->relos = bbpf_arena_calloc(&obj->arena, n, sizeof(*p->relos));
		if (!p->relos)
			return -ENOMEM;
		p->relo_cnt = 0;
	}
	for (k = 0; k < rel_cnt; k++) {
		err = walk_rel_sec(obj, rel_secs[k].sec, true, &rel_secs[k].first, diag);
		if (err)
			return err;
	}
	for (i = 0; i < n_progs(obj); i++) {
		struct bbpf_program *p = &obj->progs[i];
		const struct bpf_core_relo *cr = p->core_relo.sec ? p->core_relo.sec->recs : NULL;

		for (j = 0; j < p->core_relo.cnt; j++) {
			const struct bpf_core_relo *rec = &cr[p->core_relo.first + j];
			uint32_t off = rec->insn_off / sizeof(struct bpf_insn);

			if (off < p->sec_insn_off || off - p->sec_insn_off >= p->insn_cnt)
				continue;	/* another program's record inside the slice */
			p->relos[p->relo_cnt++] = (struct bbpf_relo){
				.kind = BBPF_RELO_CORE,
				.insn_idx = off - p->sec_insn_off,
				.target = p->core_relo.first + j,
			};
		}
	}
	return 0;
}
