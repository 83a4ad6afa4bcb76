/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CO-RE engine (src/relo/core*.c) against an adversarial target BTF.
 *
 * Input: u8 mode, u32 target_len (LE), target_len bytes of raw BTF (the
 * target), [with mode bit 4: u32 mod_len (LE), mod_len bytes of a module's
 * BTF, split on the target, searched when a name is missing from the
 * target], then an object file (optional). mode % 3 says how the target is
 * parsed: 0 untrusted (bbpf_btf_parse_raw: a caller's --btf file), 1 trusted
 * (bbpf_btf_parse_trusted: a module's sysfs BTF), 2 lazy
 * (bbpf_btf_parse_lazy: /sys/kernel/btf/vmlinux, walked by the candidate
 * search). Trusted BTF is checked for structure only, and the engine
 * promises wrong answers or errors on garbage there, never a bad access.
 *
 * With an object that has CO-RE records: every record of every autoload
 * program is resolved against the target (candidate search, spec parsing,
 * matching, relocation values: bbpf_core_resolve), every program is
 * relocated and patched (bbpf_core_apply), and the results are checked:
 *  - the call returns 0 or one of the documented errors;
 *  - each value is in its kind's range (booleans 0/1, shifts <= 64, a
 *    target type id valid in the target, ...);
 *  - an instruction relocated by one record holds the new value, or the
 *    poison call where the record is poisoned;
 *  - the object against its own BTF: every field, type and enum value
 *    resolves to what the object already has (the object's own type is a
 *    candidate), never poisoned, where that is the only possible answer
 *    (its spec matches itself, names on the access path are unique; see
 *    identity_expected()).
 * Without records: every type of the target (up to 256) is taken as the
 * local type of a relocation of each kind, with its name as the access
 * string, and matched against its candidates in the target itself.
 * Bounded time comes from the engine's own limits (libFuzzer's -timeout
 * catches a hang).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "obj/object_int.h"
#include "relo/core.h"
#include "relo/relo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#include <stdarg.h>
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz finding: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static bool documented(int err)
{
	switch (err) {
	case 0:
	case -EBADMSG:
	case -EINVAL:
	case -E2BIG:
	case -EOPNOTSUPP:
	case -ENOMEM:
	case -ERANGE:
	case -ENOENT:
		return true;
	default:
		return false;
	}
}

static bool is_bool_kind(uint32_t kind)
{
	return kind == BPF_CORE_FIELD_EXISTS || kind == BPF_CORE_FIELD_SIGNED ||
	       kind == BPF_CORE_TYPE_EXISTS || kind == BPF_CORE_TYPE_MATCHES ||
	       kind == BPF_CORE_ENUMVAL_EXISTS;
}

/* Value ranges per kind, for a result the engine computed. */
static void check_res(const struct bpf_core_relo *rec, const struct bbpf_core_res *res,
		      const struct bbpf_btf *target, const struct bbpf_btf *mod, const char *what)
{
	if (res->poison)
		return;
	if (is_bool_kind(rec->kind) && res->new_val > 1)
		die("%s: %s relocation gives %llu", what, bbpf_core_relo_kind_str(rec->kind),
		    (unsigned long long)res->new_val);
	if ((rec->kind == BPF_CORE_FIELD_LSHIFT_U64 || rec->kind == BPF_CORE_FIELD_RSHIFT_U64) &&
	    res->new_val > 64)
		die("%s: shift %llu", what, (unsigned long long)res->new_val);
	if ((rec->kind == BPF_CORE_FIELD_BYTE_SIZE || rec->kind == BPF_CORE_TYPE_SIZE ||
	     rec->kind == BPF_CORE_FIELD_BYTE_OFFSET) && res->new_val > UINT32_MAX)
		die("%s: size/offset %llu", what, (unsigned long long)res->new_val);
	if (rec->kind == BPF_CORE_TYPE_ID_TARGET && res->new_val &&
	    (res->new_val > UINT32_MAX || (!bbpf_btf_type(target, (uint32_t)res->new_val) &&
					   !(mod && bbpf_btf_type(mod, (uint32_t)res->new_val)))))
		die("%s: target type id %llu is not a type of the target or its module", what,
		    (unsigned long long)res->new_val);
}

/*
 * How many members of struct/union id (through anonymous members, as the
 * matcher looks) or enumerators of enum id are called name; essential
 * names for enumerators, as the matcher compares them.
 */
static uint32_t name_count(const struct bbpf_btf *btf, uint32_t id, const char *name, int depth)
{
	const struct btf_type *t;
	uint32_t i, n = 0, vlen;
	size_t len = bbpf_core_essential_name_len(name);

	id = bbpf_btf_skip_mods(btf, id);
	t = bbpf_btf_type(btf, id);
	if (!t || depth > 8)
		return 2;	/* cannot tell: treat as ambiguous */
	vlen = bbpf_btf_vlen(t);
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++) {
			const struct btf_member *m = &bbpf_btf_members(t)[i];
			const char *mn = bbpf_btf_str(btf, m->name_off);

			if (!mn || !*mn)
				n += name_count(btf, m->type, name, depth + 1);
			else
				n += !strcmp(mn, name);
		}
		return n;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		for (i = 0; i < vlen; i++) {
			const char *en = bbpf_btf_str(btf, bbpf_btf_kind(t) == BTF_KIND_ENUM ?
							       bbpf_btf_enums(t)[i].name_off :
							       bbpf_btf_enums64(t)[i].name_off);

			n += en && bbpf_core_essential_name_len(en) == len && !strncmp(en, name, len);
		}
		return n;
	default:
		return 1;
	}
}

/*
 * Whether the raw access path steps through an anonymous member that no
 * named member lookup follows (it ends there, or an array index follows).
 * The spec keeps only named accessors, as libbpf's does, so the matched
 * spec stops short of such a member and its offset is not carried over:
 * libbpf relocates that path to the last named accessor's offset too.
 */
static bool anon_tail(const struct bbpf_btf *btf, const struct bbpf_core_spec *spec)
{
	uint32_t id = spec->root_type_id, i;
	bool anon = false;

	for (i = 1; i < spec->raw_len; i++) {
		const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, id));

		if (!t)
			return true;
		if (bbpf_btf_kind(t) == BTF_KIND_STRUCT || bbpf_btf_kind(t) == BTF_KIND_UNION) {
			const struct btf_member *m;

			if (spec->raw[i] >= bbpf_btf_vlen(t))
				return true;
			m = &bbpf_btf_members(t)[spec->raw[i]];
			anon = !m->name_off;
			id = m->type;
		} else if (anon || bbpf_btf_kind(t) != BTF_KIND_ARRAY) {
			return true;
		} else {
			id = bbpf_btf_array(t)->type;
		}
	}
	return anon;
}

/*
 * Self-relocation is the identity only where the object's own type is the
 * one answer: its spec matches itself (the BTF validator accepts shapes the
 * matcher refuses, as libbpf's does: a member of kind VAR or FUNC, an int
 * with a bit offset), the path does not end in an anonymous member
 * (anon_tail), every name on the access path is unique where it is
 * looked up (the matcher takes the first member or enumerator of that
 * name), and the kind is not TYPE_MATCHES (whose rules refuse some kinds
 * anywhere in a type) or TYPE_ID_TARGET (any equal type will do).
 */
static bool identity_expected(const struct bbpf_btf *btf, const struct bpf_core_relo *rec,
			      struct bbpf_core_spec *spec, struct bbpf_core_spec *self)
{
	uint32_t i;

	if (rec->kind == BPF_CORE_TYPE_ID_TARGET || rec->kind == BPF_CORE_TYPE_MATCHES ||
	    bbpf_core_parse_spec(btf, rec, spec) ||
	    bbpf_core_spec_match(spec, btf, spec->root_type_id, self) != 1 ||
	    (rec->kind <= BPF_CORE_FIELD_RSHIFT_U64 && anon_tail(btf, spec)))
		return false;
	for (i = 0; i < spec->len; i++)
		if (spec->acc[i].name && name_count(btf, spec->acc[i].type_id, spec->acc[i].name, 0) != 1)
			return false;
	return true;
}

/* The object against its own BTF: everything resolves to itself. */
static void check_identity(const struct bbpf_object *obj, const struct bbpf_core_obj *co)
{
	const struct bbpf_btf_ext_info *info = &obj->btf_ext->core_relo;
	struct bbpf_core_scratch *sc = malloc(sizeof(*sc));
	uint32_t s, i;

	if (!sc)
		return;
	for (s = 0; s < co->sec_cnt; s++) {
		const struct bpf_core_relo *recs = info->secs[s].recs;

		for (i = 0; i < info->secs[s].cnt; i++) {
			const struct bbpf_core_res *r = &co->res[s][i];

			if (!co->done[s][i] || !identity_expected(obj->btf, &recs[i], &sc->local, &sc->cand))
				continue;
			if (r->poison || r->new_val != r->orig_val || r->new_sz != r->orig_sz)
				die("self-relocation of record %u/%u (%s, type %u): %s %llu -> %llu, size %u -> %u",
				    s, i, bbpf_core_relo_kind_str(recs[i].kind), recs[i].type_id,
				    r->poison ? "poisoned" : "value", (unsigned long long)r->orig_val,
				    (unsigned long long)r->new_val, r->orig_sz, r->new_sz);
		}
	}
	free(sc);
}

static uint32_t sec_of(const struct bbpf_object *obj, const struct bbpf_program *p)
{
	return (uint32_t)(p->core_relo.sec - obj->btf_ext->core_relo.secs);
}

/* After bbpf_core_apply: instructions relocated by exactly one record hold its result. */
static void check_patched(const struct bbpf_object *obj, const struct bbpf_core_obj *co,
			  const struct bbpf_prog_image *img, const struct bpf_insn *before)
{
	uint8_t *hits = calloc(img->insn_cnt ? img->insn_cnt : 1, 1);
	uint32_t f, j, pass;

	if (!hits)
		return;
	for (pass = 0; pass < 2; pass++) {
		for (f = 0; f < img->func_cnt; f++) {
			const struct bbpf_program *p = img->funcs[f].prog;
			const struct bpf_core_relo *recs;

			if (!p->core_relo.sec)
				continue;
			recs = p->core_relo.sec->recs;
			for (j = 0; j < p->relo_cnt; j++) {
				const struct bbpf_relo *r = &p->relos[j];
				const struct bbpf_core_res *res;
				const struct bpf_insn *a, *b;
				uint32_t at = img->funcs[f].insn_off + r->insn_idx;

				if (r->kind != BBPF_RELO_CORE || at >= img->insn_cnt)
					continue;
				if (!pass) {
					hits[at] += hits[at] < 2;
					if (at + 1 < img->insn_cnt)
						hits[at + 1] += hits[at + 1] < 2;	/* ld_imm64 halves */
					continue;
				}
				if (hits[at] != 1 || (at + 1 < img->insn_cnt && hits[at + 1] != 1))
					continue;
				res = &co->res[sec_of(obj, p)][r->target];
				a = &before[at];
				b = &img->insns[at];
				(void)recs;
				if (res->poison) {
					if (b->code != (BPF_JMP | BPF_CALL) || b->imm != BBPF_CORE_POISON_IMM)
						die("insn %u: poisoned relocation left code 0x%x imm %d", at,
						    b->code, b->imm);
					continue;
				}
				switch (BPF_CLASS(a->code)) {
				case BPF_ALU:
				case BPF_ALU64:
					if (b->imm != (int32_t)(uint32_t)res->new_val)
						die("insn %u: ALU imm %d, relocation says %llu", at, b->imm,
						    (unsigned long long)res->new_val);
					break;
				case BPF_LDX:
				case BPF_ST:
				case BPF_STX:
					if (b->code == (BPF_JMP | BPF_CALL) && b->imm == BBPF_CORE_POISON_IMM &&
					    res->fail_memsz_adjust)
						break;
					if (b->off != (int16_t)res->new_val)
						die("insn %u: off %d, relocation says %llu", at, b->off,
						    (unsigned long long)res->new_val);
					break;
				case BPF_LD:
					if ((uint32_t)b[0].imm != (uint32_t)res->new_val ||
					    (uint32_t)b[1].imm != (uint32_t)(res->new_val >> 32))
						die("insn %u: imm64 differs from the relocation's %llu", at,
						    (unsigned long long)res->new_val);
					break;
				default:
					die("insn %u: class 0x%x relocated", at, BPF_CLASS(a->code));
				}
			}
		}
	}
	free(hits);
}

static void relocate_programs(const struct bbpf_object *obj, const struct bbpf_core_obj *co,
			      struct bbpf_arena *arena)
{
	int *fds = calloc(obj->map_cnt ? obj->map_cnt : 1, sizeof(int));
	struct bbpf_extern_val *ext = calloc(obj->extern_cnt ? obj->extern_cnt : 1, sizeof(*ext));
	struct bbpf_relo_env env = { .map_fds = fds, .ext = ext, .kconfig_map_fd = -1 };
	uint32_t i;

	if (!fds || !ext)
		goto out;
	for (i = 0; i < obj->map_cnt; i++)
		fds[i] = 1000 + (int)i;
	if (obj->kconfig_map < obj->map_cnt)
		env.kconfig_map_fd = fds[obj->kconfig_map];
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct bbpf_program *p = &obj->progs[i];
		struct bbpf_diag diag = { 0 };
		struct bbpf_prog_image img;
		struct bpf_insn *before;
		int err;

		if (!p->autoload || bbpf_relo_program(obj, p, &env, arena, &img, &diag))
			continue;
		before = malloc((img.insn_cnt ? img.insn_cnt : 1) * sizeof(*before));
		if (!before)
			continue;
		memcpy(before, img.insns, img.insn_cnt * sizeof(*before));
		err = bbpf_core_apply(co, &img, &diag);
		if (!documented(err))
			die("bbpf_core_apply: %d", err);
		if (!err)
			check_patched(obj, co, &img, before);
		free(before);
	}
out:
	free(fds);
	free(ext);
}

/* The cache's module hook: the input's module BTF, split on the target. */
static int add_module(void *ctx, struct bbpf_core_cache *cache)
{
	const struct bbpf_btf *mod = ctx;

	return mod ? bbpf_core_cache_add_module(cache, mod, "fuzz_mod") : 0;
}

static void with_object(const struct bbpf_object *obj, const struct bbpf_btf *target,
			const struct bbpf_btf *mod, struct bbpf_arena *arena)
{
	const struct bbpf_btf_ext_info *info;
	struct bbpf_core_cache cache;
	struct bbpf_core_obj co;
	struct bbpf_diag diag = { 0 };
	uint32_t s, i;
	int err;

	if (!obj->btf || !obj->btf_ext || !obj->btf_ext->core_relo.rec_cnt)
		return;
	info = &obj->btf_ext->core_relo;
	bbpf_core_cache_init(&cache, target, mod != NULL, arena);
	cache.load_modules = add_module;
	cache.load_modules_ctx = (void *)mod;
	err = bbpf_core_resolve(&co, obj, &cache, arena, &diag);
	if (!documented(err))
		die("bbpf_core_resolve: %d", err);
	if (getenv("FZ_VERBOSE"))
		fprintf(stderr, "target: %d, %u of %u resolved, %u poisoned\n", err, co.relo_cnt,
			info->rec_cnt, co.poison_cnt);
	if (!err) {
		if (co.relo_cnt > info->rec_cnt || co.poison_cnt > co.relo_cnt)
			die("%u records, %u resolved, %u poisoned", info->rec_cnt, co.relo_cnt,
			    co.poison_cnt);
		for (s = 0; s < co.sec_cnt; s++)
			for (i = 0; i < info->secs[s].cnt; i++)
				if (co.done[s][i])
					check_res((const struct bpf_core_relo *)info->secs[s].recs + i,
						  &co.res[s][i], target, mod, "target");
		relocate_programs(obj, &co, arena);
	}

	/* The object's own BTF as the target. */
	bbpf_core_cache_init(&cache, obj->btf, false, arena);
	memset(&diag, 0, sizeof(diag));
	err = bbpf_core_resolve(&co, obj, &cache, arena, &diag);
	if (!documented(err))
		die("bbpf_core_resolve on its own BTF: %d", err);
	if (getenv("FZ_VERBOSE"))
		fprintf(stderr, "self: %d, %u of %u resolved, %u poisoned\n", err, co.relo_cnt,
			info->rec_cnt, co.poison_cnt);
	if (!err)
		check_identity(obj, &co);
}

/* No object: the target's own types as local types, against the target. */
static void target_only(struct bbpf_btf *target, struct bbpf_arena *arena)
{
	struct bbpf_core_scratch *scratch = malloc(sizeof(*scratch));
	uint32_t cnt = bbpf_btf_type_cnt(target), id, i;
	struct bbpf_core_cache cache;

	if (!scratch)
		return;
	bbpf_core_cache_init(&cache, target, false, arena);
	for (id = 1; id < cnt && id <= 256; id++) {
		const struct btf_type *t = bbpf_btf_type(target, id);
		const struct bbpf_core_cand *cands;
		struct bbpf_core_cand *copy;
		struct bbpf_core_res res;
		struct bpf_core_relo relo;
		struct bbpf_diag diag = { 0 };
		uint32_t n;
		int err;

		if (!t)
			continue;
		err = bbpf_core_find_cands(&cache, target, id, &cands, &n);
		if (err)
			continue;
		for (i = 0; i < n; i++) {
			int c = bbpf_core_types_are_compat(target, id, cands[i].btf, cands[i].id);
			int m = bbpf_core_types_match(target, id, cands[i].btf, cands[i].id);

			if ((c < 0 && c != -EINVAL) || c > 1 || (m < 0 && m != -EINVAL) || m > 1)
				die("compat/match of %u and %u: %d, %d", id, cands[i].id, c, m);
		}
		copy = calloc(n ? n : 1, sizeof(*copy));
		if (!copy)
			continue;
		memcpy(copy, cands, n * sizeof(*copy));
		relo = (struct bpf_core_relo){ .insn_off = 0, .type_id = id,
					       .access_str_off = t->name_off,
					       .kind = id % (BPF_CORE_TYPE_MATCHES + 1) };
		err = bbpf_core_calc_relo("fuzz", &relo, 0, target, copy, &n, scratch, &res, NULL,
					  &diag);
		if (!documented(err))
			die("bbpf_core_calc_relo: %d", err);
		if (!err)
			check_res(&relo, &res, target, NULL, "self");
		free(copy);
	}
	free(scratch);
}

static uint32_t take_len(const uint8_t **p, size_t *left)
{
	uint32_t n = 0;
	int i;

	for (i = 0; i < 4 && *left; i++, (*p)++, (*left)--)
		n |= (uint32_t)**p << (8 * i);
	return n > *left ? (uint32_t)*left : n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbpf_open_opts opts = { .object_name = "fuzz" };
	struct bbpf_object *obj = NULL;
	struct bbpf_diag diag = { 0 };
	struct bbpf_arena arena;
	struct bbpf_btf target, mod;
	const uint8_t *p = data + 1, *tp, *mp = NULL;
	size_t left;
	uint32_t tlen, mlen = 0;
	uint8_t mode;
	int err;

	if (size < 5)
		return 0;
	mode = data[0];
	left = size - 1;
	tlen = take_len(&p, &left);
	tp = p;
	p += tlen;
	left -= tlen;
	if (mode & 0x10) {	/* a module's BTF, split on the target */
		mlen = take_len(&p, &left);
		mp = p;
		p += mlen;
		left -= mlen;
	}
	bbpf_arena_init(&arena, &bbpf_alloc_libc,
			BBPF_MEM_BUDGET_FACTOR * size + BBPF_MEM_BUDGET_BASE * 4);
	err = mode % 3 == 0 ? bbpf_btf_parse_raw(&target, tp, tlen, NULL, &arena, &diag) :
	      mode % 3 == 1 ? bbpf_btf_parse_trusted(&target, tp, tlen, NULL, &arena, &diag) :
			      bbpf_btf_parse_lazy(&target, tp, tlen, NULL, &arena, &diag);
	if (err)
		goto out;
	/* Module BTF is the kernel's: trusted, as target_btf.c parses it. */
	if (mp && bbpf_btf_parse_trusted(&mod, mp, mlen, &target, &arena, &diag))
		mp = NULL;
	if (left && !bbpf_object_open_mem(&obj, p, left, &opts, NULL)) {
		with_object(obj, &target, mp ? &mod : NULL, &arena);
		bbpf_object_free(obj);
	} else {
		target_only(&target, &arena);
	}
out:
	bbpf_arena_free(&arena);
	return 0;
}
