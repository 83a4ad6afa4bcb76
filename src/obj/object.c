/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The open phase: ELF → sections → BTF/BTF.ext → license/version → programs
 * → maps (BTF, legacy, global data, .kconfig) → externs → relocation records.
 * See object_int.h for the model. No syscalls, no files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"
#include "../base/cursor.h"
#include "../base/fmt.h"

const char *bbpf_obj_sec_name(const struct bbpf_object *obj, uint32_t idx)
{
	const struct bbpf_elf_shdr *sh = bbpf_elf_shdr(&obj->elf, idx);

	return sh ? sh->name : "?";
}

/* Where a failure is: "section 'NAME' (#N) +0xOFF", "section #N +0xOFF" (no such header), "offset 0xOFF". */
#define AT_MAX 320

static void where(const struct bbpf_object *obj, uint32_t sec, uint64_t off, char at[AT_MAX])
{
	if (sec == BBPF_DIAG_NO_SEC)
		bbpf_snprintf(at, AT_MAX, "offset 0x%llx", (unsigned long long)off);
	else if (obj->elf.shdrs && sec < obj->elf.shnum)
		bbpf_snprintf(at, AT_MAX, "section '%s' (#%u) +0x%llx", obj->elf.shdrs[sec].name, sec,
			      (unsigned long long)off);
	else
		bbpf_snprintf(at, AT_MAX, "section #%u +0x%llx", sec, (unsigned long long)off);
}

BBPF_NO_FP_VARARGS
void bbpf_obj_log(const struct bbpf_object *obj, enum bbpf_log_level level, const char *fmt, ...)
{
	char msg[1024];	/* bbpf_log()'s: the whole line is cut where it was */
	va_list ap;

	if (!obj->log.fn || (obj->log.warn_only && level != BBPF_LOG_WARN))
		return;	/* what bbpf_log() would drop is not formatted either */
	va_start(ap, fmt);
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bbpf_log(&obj->log, level, "%s: %s", obj->name, msg);
}

BBPF_NO_FP_VARARGS
int bbpf_obj_fail(struct bbpf_object *obj, struct bbpf_diag *diag, enum bbpf_bad why,
		  uint32_t sec, uint64_t off, uint32_t idx, const char *fmt, ...)
{
	char detail[512] = "", at[AT_MAX];
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		bbpf_vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	where(obj, sec, off, at);
	bbpf_obj_log(obj, BBPF_LOG_WARN, "%s: %s%s%s", at, bbpf_bad_str(why), *detail ? ": " : "",
		     detail);
	return bbpf_diag_fail(diag, why, sec, off, idx);
}

/* A parser failed and filled diag; say so through the log with its location. */
static int log_parse_failure(struct bbpf_object *obj, const struct bbpf_diag *d, int err,
			     const char *what)
{
	char at[AT_MAX];

	if (err == -ENOMEM) {
		bbpf_obj_log(obj, BBPF_LOG_WARN, "out of memory (budget) while reading %s", what);
		return err;
	}
	if (!d || d->why == BBPF_BAD_NONE) {
		bbpf_obj_log(obj, BBPF_LOG_WARN, "%s: error %d", what, err);
		return err;
	}
	where(obj, d->sec, d->off, at);
	bbpf_obj_log(obj, BBPF_LOG_WARN, "%s: %s: %s (index %u)", what, at, bbpf_bad_str(d->why),
		     d->idx);
	return err;
}

int bbpf_obj_find_sym(const struct bbpf_object *obj, uint32_t sec_idx, const char *name,
		      struct bbpf_elf_sym *out, uint32_t *sym_idx)
{
	uint32_t i;

	for (i = 1; i < obj->sym_cnt; i++) {
		const struct bbpf_elf_sym *s = &obj->syms[i];

		if (s->shndx != sec_idx || s->type == STT_SECTION || s->name[0] != name[0] ||
		    strcmp(s->name, name))
			continue;
		*out = *s;
		if (sym_idx)
			*sym_idx = i;
		return 0;
	}
	return -ENOENT;
}

uint32_t bbpf_obj_find_datasec(const struct bbpf_object *obj, const char *sec_name)
{
	if (!obj->btf)
		return 0;
	return bbpf_btf_find_by_name_kind(obj->btf, sec_name, BTF_KIND_DATASEC);
}

bool bbpf_obj_sec_is_exec(const struct bbpf_object *obj, uint32_t idx)
{
	const struct bbpf_elf_shdr *sh;

	if (idx >= obj->elf.shnum)
		return false;
	sh = &obj->elf.shdrs[idx];
	return sh->type == SHT_PROGBITS && (sh->flags & SHF_EXECINSTR) && sh->size > 0;
}

static bool map_before(const void *a, const void *b)
{
	const struct bbpf_map *x = *(struct bbpf_map *const *)a, *y = *(struct bbpf_map *const *)b;

	return x->sec_idx < y->sec_idx || (x->sec_idx == y->sec_idx && x->sec_off < y->sec_off);
}

int bbpf_obj_index_maps(struct bbpf_object *obj)
{
	uint32_t i, n = 0;

	/* no map is added after this: the pointers stay valid */
	obj->map_order = bbpf_arena_calloc(&obj->arena, obj->map_cnt, sizeof(*obj->map_order));
	if (!obj->map_order)
		return -ENOMEM;
	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_map *m = &obj->maps[i];

		if (m->kind == BBPF_MAP_BTF || m->kind == BBPF_MAP_LEGACY ||
		    m->kind == BBPF_MAP_STRUCT_OPS)
			obj->map_order[n++] = m;
	}
	/* maps are few, and already in order when legacy */
	bbpf_obj_sort(obj->map_order, n, sizeof(*obj->map_order), map_before);
	obj->map_order_cnt = n;
	return 0;
}

/* Last indexed map at or before (sec, off), or NULL. */
static struct bbpf_map *map_floor(const struct bbpf_object *obj, uint32_t sec, uint64_t off)
{
	uint32_t lo = 0, hi = obj->map_order_cnt;

	while (lo < hi) {	/* first entry > (sec, off) */
		uint32_t mid = lo + (hi - lo) / 2;
		const struct bbpf_map *m = obj->map_order[mid];

		if (m->sec_idx < sec || (m->sec_idx == sec && m->sec_off <= off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? obj->map_order[lo - 1] : NULL;
}

struct bbpf_map *bbpf_obj_map_at(const struct bbpf_object *obj, uint32_t sec_idx, uint64_t off)
{
	struct bbpf_map *m = map_floor(obj, sec_idx, off);

	return m && m->sec_idx == sec_idx && m->sec_off == off ? m : NULL;
}

struct bbpf_map *bbpf_obj_map_containing(const struct bbpf_object *obj, uint32_t sec_idx,
					 uint64_t off)
{
	struct bbpf_map *m = map_floor(obj, sec_idx, off);

	return m && m->sec_idx == sec_idx &&
	       (m->kind == BBPF_MAP_BTF || m->kind == BBPF_MAP_STRUCT_OPS) &&
	       off - m->sec_off < m->sec_len ? m : NULL;
}

struct bbpf_map *bbpf_obj_data_map(const struct bbpf_object *obj, uint32_t sec_idx)
{
	uint32_t i;

	for (i = 0; i < obj->map_cnt; i++) {
		enum bbpf_map_kind k = obj->maps[i].kind;

		if ((k == BBPF_MAP_DATA || k == BBPF_MAP_RODATA || k == BBPF_MAP_BSS) &&
		    obj->maps[i].sec_idx == sec_idx)
			return &obj->maps[i];
	}
	return NULL;
}

/* In progs[lo, hi), sorted by (sec_idx, sec_insn_off), the one containing insn_off. */
static struct bbpf_program *prog_in(const struct bbpf_object *obj, uint32_t lo, uint32_t hi,
				    uint32_t sec_idx, uint64_t insn_off)
{
	const uint32_t start = lo;
	struct bbpf_program *p;

	while (lo < hi) {	/* first program > (sec_idx, insn_off) */
		uint32_t mid = lo + (hi - lo) / 2;

		p = &obj->progs[mid];
		if (p->sec_idx < sec_idx || (p->sec_idx == sec_idx && p->sec_insn_off <= insn_off))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == start)
		return NULL;
	p = &obj->progs[lo - 1];
	return p->sec_idx == sec_idx && insn_off - p->sec_insn_off < p->insn_cnt ? p : NULL;
}

struct bbpf_program *bbpf_obj_prog_at(const struct bbpf_object *obj, uint32_t sec_idx,
				      uint64_t insn_off)
{
	/* Programs and subprograms are two separately sorted ranges. */
	return prog_in(obj, 0, obj->prog_cnt, sec_idx, insn_off)
		?: prog_in(obj, obj->prog_cnt, obj->prog_cnt + obj->subprog_cnt, sec_idx, insn_off);
}

/* ---- license, version ---- */

static int read_license_version(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t idx = bbpf_elf_find_sec(&obj->elf, "license");
	const struct bbpf_elf_shdr *sh;
	const uint8_t *p;
	size_t i;

	if (idx) {
		sh = bbpf_elf_shdr(&obj->elf, idx);
		p = bbpf_elf_sec_data(&obj->elf, idx);
		/* Like libbpf: up to the first NUL, at most 63 bytes (obj was cleared). */
		for (i = 0; p && i < sh->size && i + 1 < sizeof(obj->license) && p[i]; i++)
			obj->license[i] = (char)p[i];
	}
	idx = bbpf_elf_find_sec(&obj->elf, "version");
	if (idx) {
		sh = bbpf_elf_shdr(&obj->elf, idx);
		p = bbpf_elf_sec_data(&obj->elf, idx);
		if (!p || sh->size != sizeof(uint32_t))
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_LICENSE, idx, sh->off, 0,
					     "version section is %llu bytes, not 4",
					     (unsigned long long)sh->size);
		obj->kern_version = load_u32(p, obj->elf.swap);
	}
	return 0;
}

/* ---- BTF, BTF.ext ---- */

static int read_btf(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	static const char names[2][9] = { ".BTF", ".BTF.ext" };
	const struct bbpf_elf_shdr *sh;
	uint32_t k, idx;
	void *p;
	int err;

	/* .BTF, then .BTF.ext (only with .BTF): one path for both */
	for (k = 0; k < 2; k++) {
		idx = bbpf_elf_find_sec(&obj->elf, names[k]);
		if (!idx)
			return 0;
		sh = bbpf_elf_shdr(&obj->elf, idx);
		if (sh->type == SHT_NOBITS || sh->size > UINT32_MAX)
			return bbpf_obj_fail(obj, diag, k ? BBPF_BAD_BTF_EXT_HEADER : BBPF_BAD_BTF_HEADER,
					     idx, sh->off, 0, "bad %s section type or size", names[k]);
		p = bbpf_arena_zalloc(&obj->arena, k ? sizeof(*obj->btf_ext) : sizeof(*obj->btf));
		if (!p)
			return -ENOMEM;
		if (k) {
			obj->btf_ext = p;
			err = bbpf_btf_ext_parse(p, bbpf_elf_sec_data(&obj->elf, idx), (uint32_t)sh->size,
						 obj->elf.swap, obj->btf, &obj->arena, diag);
		} else {
			obj->btf = p;
			err = bbpf_btf_parse(p, bbpf_elf_sec_data(&obj->elf, idx), (uint32_t)sh->size,
					     obj->elf.swap, NULL, &obj->arena, diag);
		}
		if (err) {
			/* BTF diagnostics carry offsets within the section; make them file offsets. */
			if (diag && diag->sec == BBPF_DIAG_NO_SEC) {
				diag->sec = idx;
				diag->off += sh->off;
			}
			return log_parse_failure(obj, diag, err, names[k]);
		}
		/* Lookups by name must not mistake an allocation failure for "absent". */
		if (!k && bbpf_btf_index(obj->btf))
			return -ENOMEM;
	}
	return 0;
}

/* ---- programs ---- */

/* Copy instructions into host byte order. In a foreign-endian object the
 * register nibbles are in the other order too. */
static void copy_insns(struct bpf_insn *dst, const uint8_t *src, uint32_t cnt, bool swap)
{
	uint32_t i;

	memcpy(dst, src, (size_t)cnt * sizeof(*dst));
	if (!swap)
		return;
	for (i = 0; i < cnt; i++) {
		uint8_t regs;

		memcpy(&regs, (const uint8_t *)&dst[i] + 1, 1);
		regs = (uint8_t)((regs >> 4) | (regs << 4));
		memcpy((uint8_t *)&dst[i] + 1, &regs, 1);
		dst[i].off = (int16_t)__builtin_bswap16((uint16_t)dst[i].off);
		dst[i].imm = (int32_t)__builtin_bswap32((uint32_t)dst[i].imm);
	}
}

/* Count FUNC symbols per exec section into per_sec[]; sections without
 * any get one program named after the section (old samples/bpf objects). */
static int count_programs(struct bbpf_object *obj, uint32_t *per_sec, uint32_t *progs,
			  uint32_t *subprogs, struct bbpf_diag *diag)
{
	uint32_t sec, i;

	*progs = *subprogs = 0;
	for (i = 1; i < obj->sym_cnt; i++)
		if (obj->syms[i].type == STT_FUNC && bbpf_obj_sec_is_exec(obj, obj->syms[i].shndx))
			per_sec[obj->syms[i].shndx]++;
	for (sec = 1; sec < obj->elf.shnum; sec++) {
		if (!bbpf_obj_sec_is_exec(obj, sec))
			continue;
		if (sec == obj->text_shndx)
			*subprogs += per_sec[sec];
		else
			*progs += per_sec[sec] ? per_sec[sec] : 1;
		if (*progs + *subprogs > BBPF_MAX_PROGRAMS)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_LIMIT, sec, 0, 0,
					     "more than %u programs", BBPF_MAX_PROGRAMS);
	}
	return 0;
}

static void apply_sec_def(struct bbpf_program *p, const struct bbpf_program *same)
{
	const struct bbpf_sec_def *def;

	if (same) {
		/* a program of the same section (many share one): its answer */
		p->sec_def = same->sec_def;
		p->attach_target = same->attach_target;
		p->type = same->type;
		p->expected_attach_type = same->expected_attach_type;
		p->prog_flags = same->prog_flags;
		return;
	}
	def = bbpf_sec_def_find(p->sec_name);

	p->sec_def = def;
	p->attach_target = "";
	if (!def)
		return;	/* unknown section: type stays UNSPEC, like libbpf */
	p->type = def->prog_type;
	p->expected_attach_type = def->expected_attach_type;
	if (def->flags & BBPF_SEC_SLEEPABLE)
		p->prog_flags |= BPF_F_SLEEPABLE;
	if (def->flags & BBPF_SEC_XDP_FRAGS)
		p->prog_flags |= BPF_F_XDP_HAS_FRAGS;
	p->attach_target = bbpf_sec_def_target(def, p->sec_name);
}

static int add_program(struct bbpf_object *obj, struct bbpf_program *p, uint32_t sec,
		       const char *name, uint64_t value, uint64_t size,
		       const struct bbpf_program *prev, struct bbpf_diag *diag)
{
	const struct bbpf_elf_shdr *sh = bbpf_elf_shdr(&obj->elf, sec);
	const char *sec_name = sh->name;

	if (value % sizeof(struct bpf_insn) || size % sizeof(struct bpf_insn) || size == 0 ||
	    !span_ok(value, size, sh->size))
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_PROG, sec, sh->off + value, 0,
				     "function '%s' at 0x%llx size %llu outside the section or misaligned",
				     name, (unsigned long long)value, (unsigned long long)size);
	if (size / sizeof(struct bpf_insn) > UINT32_MAX)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_LIMIT, sec, sh->off, 0, "program too large");
	p->obj = obj;
	p->name = name;
	p->sec_idx = sec;
	p->autoload = true;
	if (sec_name[0] == '?') {
		p->autoload = false;
		sec_name++;
	}
	p->sec_name = sec_name;
	p->is_subprog = sec == obj->text_shndx;
	p->sec_insn_off = (uint32_t)(value / sizeof(struct bpf_insn));
	p->insn_cnt = (uint32_t)(size / sizeof(struct bpf_insn));
	/* every instruction is copied in */
	p->insns = bbpf_arena_alloc_array(&obj->arena, p->insn_cnt, sizeof(struct bpf_insn));
	if (!p->insns)
		return -ENOMEM;
	copy_insns(p->insns, bbpf_elf_sec_data(&obj->elf, sec) + value, p->insn_cnt, obj->elf.swap);
	if (!p->is_subprog)
		apply_sec_def(p, prev && prev->sec_idx == sec ? prev : NULL);
	return 0;
}

_Static_assert(sizeof(struct bbpf_program) <= BBPF_OBJ_SORT_MAX &&
	       sizeof(struct bbpf_map) <= BBPF_OBJ_SORT_MAX &&
	       sizeof(struct bbpf_extern) <= BBPF_OBJ_SORT_MAX, "bbpf_obj_sort() sorts them");

void bbpf_obj_sort(void *base, uint32_t n, size_t size,
		   bool (*before)(const void *a, const void *b))
{
	unsigned char tmp[BBPF_OBJ_SORT_MAX], *p = base;
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && before(p + i * size, p + (j - 1) * size); j--)
			;
		if (j == i)
			continue;	/* already in place: the usual case */
		memcpy(tmp, p + i * size, size);
		memmove(p + (j + 1) * size, p + j * size, (i - j) * size);
		memcpy(p + j * size, tmp, size);
	}
}

/* By (sec_idx, sec_insn_off). */
static bool prog_before(const void *a, const void *b)
{
	const struct bbpf_program *p = a, *q = b;

	return p->sec_idx < q->sec_idx || (p->sec_idx == q->sec_idx && p->sec_insn_off < q->sec_insn_off);
}

static int collect_programs(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t nprog, nsub, sec, i, pi = 0, si;
	const struct bbpf_program *prev = NULL;	/* the last program added (not a subprogram) */
	uint32_t *per_sec = bbpf_arena_calloc(&obj->arena, obj->elf.shnum, sizeof(*per_sec));
	int err;

	if (!per_sec)
		return -ENOMEM;
	err = count_programs(obj, per_sec, &nprog, &nsub, diag);
	if (err)
		return err;
	obj->progs = bbpf_arena_calloc(&obj->arena, (size_t)nprog + nsub, sizeof(*obj->progs));
	if (!obj->progs)
		return -ENOMEM;
	si = nprog;
	for (i = 1; i < obj->sym_cnt; i++) {
		const struct bbpf_elf_sym *s = &obj->syms[i];
		struct bbpf_program *p;

		sec = s->shndx;
		if (s->type != STT_FUNC || !bbpf_obj_sec_is_exec(obj, sec))
			continue;
		if (sec != obj->text_shndx && s->bind == STB_LOCAL)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_PROG, sec,
					     obj->elf.shdrs[sec].off + s->value, i,
					     "program '%s' is static; only .text functions may be",
					     s->name);
		p = sec == obj->text_shndx ? &obj->progs[si++] : &obj->progs[pi++];
		err = add_program(obj, p, sec, s->name, s->value, s->size, prev, diag);
		if (err)
			return err;
		if (!p->is_subprog)
			prev = p;
	}
	for (sec = 1; sec < obj->elf.shnum; sec++) {
		if (per_sec[sec] || sec == obj->text_shndx || !bbpf_obj_sec_is_exec(obj, sec))
			continue;
		err = add_program(obj, &obj->progs[pi++], sec, obj->elf.shdrs[sec].name, 0,
				  obj->elf.shdrs[sec].size, NULL, diag);
		if (err)
			return err;
	}
	obj->prog_cnt = nprog;
	obj->subprog_cnt = nsub;
	bbpf_obj_sort(obj->progs, nprog, sizeof(*obj->progs), prog_before);
	bbpf_obj_sort(obj->progs + nprog, nsub, sizeof(*obj->progs), prog_before);
	return 0;
}

static int decode_symbols(struct bbpf_object *obj)
{
	uint32_t i, n = bbpf_elf_sym_cnt(&obj->elf, obj->elf.symtab);

	obj->syms = bbpf_arena_calloc(&obj->arena, n, sizeof(*obj->syms));
	if (!obj->syms)
		return -ENOMEM;
	/* The ELF layer validated every entry; decoding cannot fail. */
	for (i = 0; i < n; i++)
		if (bbpf_elf_sym(&obj->elf, obj->elf.symtab, i, &obj->syms[i]))
			return -EBADMSG;
	obj->sym_cnt = n;
	return 0;
}

/* ---- open/close ---- */

static void find_special_sections(struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 1; i < obj->elf.shnum; i++) {
		const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[i];
		const char *n = sh->name;

		/* ".maps", "maps", ".text": most names fail at byte 0 or 1, so
		 * test those before a compare (each strcmp call was ~20). */
		if (n[0] == '.')
			n++;
		if (n[0] != 'm' && n[0] != 't')
			continue;
		if (!strcmp(sh->name, ".maps") && sh->type == SHT_PROGBITS)
			obj->maps_shndx = i;
		else if (!strcmp(sh->name, "maps") && sh->type == SHT_PROGBITS)
			obj->legacy_maps_shndx = i;
		else if (!strcmp(sh->name, ".text") && bbpf_obj_sec_is_exec(obj, i))
			obj->text_shndx = i;
	}
}

static int open_parsed(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	int err;

	err = bbpf_elf_parse(&obj->elf, obj->buf, obj->len, BBPF_ELF_BPF_OBJECT, &obj->arena, diag);
	if (err)
		return log_parse_failure(obj, diag, err, "ELF");
	if (!obj->elf.symtab)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_ELF_SYMTAB, BBPF_DIAG_NO_SEC, 0, 0,
				     "no symbol table");
	find_special_sections(obj);
	err = decode_symbols(obj);
	err = err ?: read_btf(obj, diag);
	err = err ?: read_license_version(obj, diag);
	err = err ?: collect_programs(obj, diag);
	err = err ?: bbpf_obj_collect_maps(obj, diag);
	err = err ?: bbpf_obj_collect_data(obj, diag);
	err = err ?: bbpf_obj_collect_externs(obj, diag);
	err = err ?: bbpf_obj_collect_struct_ops(obj, diag);
	err = err ?: bbpf_obj_index_maps(obj);
	err = err ?: bbpf_obj_collect_map_slots(obj, diag);
	err = err ?: bbpf_obj_collect_struct_ops_progs(obj, diag);
	err = err ?: bbpf_obj_collect_relos(obj, diag);
	if (err == -ENOMEM)
		bbpf_obj_log(obj, BBPF_LOG_WARN, "out of memory (budget %zu bytes)", obj->arena.budget);
	return err;
}

static struct bbpf_object *object_new(const struct bbpf_open_opts *opts, size_t len)
{
	const struct bbpf_alloc *alloc = opts && opts->alloc ? opts->alloc : &bbpf_alloc_libc;
	struct bbpf_object *obj = alloc->resize(alloc->ctx, NULL, 0, sizeof(*obj));
	size_t budget = opts && opts->mem_budget ? opts->mem_budget : 0;

	if (!obj)
		return NULL;
	memset(obj, 0, sizeof(*obj));
	if (!budget) {
		budget = len > (SIZE_MAX - BBPF_MEM_BUDGET_BASE) / BBPF_MEM_BUDGET_FACTOR
				 ? SIZE_MAX
				 : len * BBPF_MEM_BUDGET_FACTOR + BBPF_MEM_BUDGET_BASE;
	}
	bbpf_arena_init(&obj->arena, alloc, budget);
	if (opts) {
		obj->log.fn = opts->log;
		obj->log.ctx = opts->log_ctx;
		obj->log.warn_only = opts->log_warn_only;
	}
	obj->kconfig_map = UINT32_MAX;
	bbpf_snprintf(obj->name, sizeof(obj->name), "%s",
		 opts && opts->object_name && *opts->object_name ? opts->object_name : "obj");
	return obj;
}

/* Used by open_file too: it passes a buffer the object then owns. */
int bbpf_object_open_owned(struct bbpf_object **out, const void *buf, size_t len, void *owned,
			   const struct bbpf_open_opts *opts, struct bbpf_diag *diag);

int bbpf_object_open_owned(struct bbpf_object **out, const void *buf, size_t len, void *owned,
			   const struct bbpf_open_opts *opts, struct bbpf_diag *diag)
{
	struct bbpf_object *obj;
	int err;

	if (!out || (!buf && len))
		return -EINVAL;
	obj = object_new(opts, len);
	if (!obj)
		return -ENOMEM;
	obj->buf = buf;
	obj->len = len;
	obj->owned_buf = owned;
	obj->owned_len = owned ? len : 0;
	err = open_parsed(obj, diag);
	if (err) {
		obj->owned_buf = NULL;	/* the caller still owns it on failure */
		bbpf_obj_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

int bbpf_object_open_mem(struct bbpf_object **out, const void *buf, size_t len,
			 const struct bbpf_open_opts *opts, struct bbpf_diag *diag)
{
	return bbpf_object_open_owned(out, buf, len, NULL, opts, diag);
}

void bbpf_obj_free(struct bbpf_object *obj)
{
	struct bbpf_alloc alloc;

	if (!obj)
		return;
	alloc = obj->arena.alloc;
	bbpf_arena_free(&obj->arena);
	if (obj->owned_buf)
		alloc.resize(alloc.ctx, obj->owned_buf, obj->owned_len, 0);
	alloc.resize(alloc.ctx, obj, sizeof(*obj), 0);
}

int bbpf_object_free(struct bbpf_object *obj)
{
	if (obj && obj->inst)
		return -EBUSY;	/* loaded: bbpf_object_close() unloads it first */
	bbpf_obj_free(obj);
	return 0;
}
