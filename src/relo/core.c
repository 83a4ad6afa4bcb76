// SPDX-License-Identifier: BSD-2-Clause
/*
 * CO-RE for a whole object, in libbpf 1.1's order
 * (bpf_object__relocate_core): .BTF.ext sections in order, records in
 * order; records of programs that are not autoload are skipped, records
 * owned by no function (an eliminated weak subprogram) too. Candidate lists
 * are per object and per local type id, copied from the shared cache and
 * pruned by each relocation as libbpf prunes its per-object cache, so the
 * result of every record equals libbpf's. Patching is separate: each
 * relocated image (programs with appended subprograms) is patched from the
 * per-record results.
 */
#include <errno.h>
#include <string.h>
#include "core_int.h"
#include "relo.h"
#include "../obj/object_int.h"
#include "../base/fmt.h"

BBPF_NO_FP_VARARGS
void bbpf_core_log(const struct bbpf_log *log, enum bbpf_log_level level, const char *prog_name,
		   int relo_idx, const char *fmt, ...)
{
	char msg[1024];	/* bbpf_log()'s: the whole line is cut where it was */
	va_list ap;

	if (!log || !log->fn || (log->warn_only && level != BBPF_LOG_WARN))
		return;	/* what bbpf_log() would drop is not formatted either */
	va_start(ap, fmt);
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bbpf_log(log, level, "prog '%s': relo #%d: %s", prog_name, relo_idx, msg);
}

struct cand_list {
	struct bbpf_core_cand *c;
	uint32_t cnt;
	bool init;
};

static uint32_t n_funcs(const struct bbpf_object *obj)
{
	return obj->prog_cnt + obj->subprog_cnt;
}

static uint32_t sec_index(const struct bbpf_object *obj, const struct bbpf_btf_ext_sec *sec)
{
	return (uint32_t)(sec - obj->btf_ext->core_relo.secs);
}

/* owner[s][r]: the function whose instruction record r of section s relocates. */
static void map_owners(const struct bbpf_object *obj, const struct bbpf_program ***owner)
{
	const struct bbpf_btf_ext_info *info = &obj->btf_ext->core_relo;
	uint32_t s, i, j;

	for (i = 0; i < n_funcs(obj); i++) {
		const struct bbpf_program *p = &obj->progs[i];

		if (!p->core_relo.sec)
			continue;
		s = sec_index(obj, p->core_relo.sec);
		for (j = 0; j < p->relo_cnt; j++)
			if (p->relos[j].kind == BBPF_RELO_CORE &&
			    p->relos[j].target < info->secs[s].cnt)
				owner[s][p->relos[j].target] = p;
	}
}

/* One pass over the target for every root type this object asks about. */
static int prefetch(const struct bbpf_object *obj, const struct bbpf_program ***owner,
		    struct bbpf_core_cache *cache, struct bbpf_arena *arena)
{
	const struct bbpf_btf_ext_info *info = &obj->btf_ext->core_relo;
	uint32_t *ids, n = 0, s, i;

	ids = bbpf_arena_calloc(arena, info->rec_cnt, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (s = 0; s < info->sec_cnt; s++) {
		const struct bpf_core_relo *recs = info->secs[s].recs;

		for (i = 0; i < info->secs[s].cnt && n < info->rec_cnt; i++)
			if (owner[s][i] && owner[s][i]->autoload &&
			    recs[i].kind != BPF_CORE_TYPE_ID_LOCAL)
				ids[n++] = recs[i].type_id;
	}
	return bbpf_core_cache_prefetch(cache, obj->btf, ids, n);
}

static int resolve_one(const struct bbpf_object *obj, const struct bbpf_program *p,
		       const struct bpf_core_relo *rec, int relo_idx, struct bbpf_core_cache *cache,
		       struct cand_list *lists, struct bbpf_arena *arena,
		       struct bbpf_core_scratch *scratch, struct bbpf_core_res *res,
		       struct bbpf_diag *diag)
{
	const struct btf_type *local_t = bbpf_btf_type(obj->btf, rec->type_id);
	struct cand_list *cl;
	int err;

	if (!local_t)
		return bbpf_diag_fail(diag, BBPF_BAD_OBJ_RELO, 0, 0, (uint32_t)relo_idx);
	cl = &lists[rec->type_id];
	if (rec->kind != BPF_CORE_TYPE_ID_LOCAL && !cl->init) {
		const struct bbpf_core_cand *cands;
		uint32_t cnt;

		err = bbpf_core_find_cands(cache, obj->btf, rec->type_id, &cands, &cnt);
		if (err) {
			const char *name = bbpf_core_str(obj->btf, local_t->name_off);

			bbpf_core_log(&obj->log, BBPF_LOG_WARN, p->name, relo_idx,
				      "target candidate search failed for [%u] %s %s: %s",
				      rec->type_id, bbpf_core_kind_str(local_t),
				      *name ? name : "<anon>", bbpf_err_name(err));
			return err;
		}
		cl->c = bbpf_arena_calloc(arena, cnt, sizeof(*cl->c));
		if (!cl->c)
			return -ENOMEM;
		if (cnt)
			memcpy(cl->c, cands, cnt * sizeof(*cands));
		cl->cnt = cnt;
		cl->init = true;
	}
	return bbpf_core_calc_relo(p->name, rec, relo_idx, obj->btf, cl->c, &cl->cnt, scratch, res,
				   &obj->log, diag);
}

int bbpf_core_resolve(struct bbpf_core_obj *out, const struct bbpf_object *obj,
		      struct bbpf_core_cache *cache, struct bbpf_arena *arena,
		      struct bbpf_diag *diag)
{
	const struct bbpf_btf_ext_info *info;
	const struct bbpf_program ***owner;
	struct bbpf_core_scratch *scratch;
	struct cand_list *lists;
	uint32_t s, i;
	int err;

	if (!out || !obj || !arena)
		return -EINVAL;
	*out = (struct bbpf_core_obj){ .obj = obj };
	if (!obj->btf_ext || !obj->btf_ext->core_relo.rec_cnt)
		return 0;
	if (!cache || !cache->vmlinux || !obj->btf)
		return -EINVAL;
	info = &obj->btf_ext->core_relo;

	out->sec_cnt = info->sec_cnt;
	/* per section: res, done and owner, in one block (so per record too) */
	out->res = bbpf_arena_calloc(arena, info->sec_cnt, 3 * sizeof(void *));
	lists = bbpf_arena_calloc(arena, obj->btf->type_cnt, sizeof(*lists));
	scratch = bbpf_arena_zalloc(arena, sizeof(*scratch));
	if (!out->res || !lists || !scratch)
		return -ENOMEM;
	out->done = (uint8_t **)(out->res + info->sec_cnt);
	owner = (const struct bbpf_program ***)(out->done + info->sec_cnt);
	for (s = 0; s < info->sec_cnt; s++) {
		uint32_t cnt = info->secs[s].cnt;

		out->res[s] = bbpf_arena_calloc(arena, cnt, sizeof(**out->res) +
							    sizeof(**owner) + 1);
		if (!out->res[s])
			return -ENOMEM;
		owner[s] = (const struct bbpf_program **)(out->res[s] + cnt);
		out->done[s] = (uint8_t *)(owner[s] + cnt);
	}
	map_owners(obj, owner);
	/* Warm the cache: one pass over the target for all of this object's names. */
	err = prefetch(obj, owner, cache, arena);
	if (err) {
		bbpf_log(&obj->log, BBPF_LOG_WARN, "CO-RE candidate search failed: %s",
			 bbpf_err_name(err));
		return err;
	}

	for (s = 0; s < info->sec_cnt; s++) {
		const struct bpf_core_relo *recs = info->secs[s].recs;

		bbpf_log(&obj->log, BBPF_LOG_DEBUG, "sec '%s': found %u CO-RE relocations",
			 info->secs[s].sec_name, info->secs[s].cnt);
		for (i = 0; i < info->secs[s].cnt; i++) {
			const struct bbpf_program *p = owner[s][i];

			if (!p) {
				bbpf_log(&obj->log, BBPF_LOG_DEBUG,
					 "sec '%s': skipping CO-RE relocation #%u for insn #%u belonging to eliminated weak subprogram",
					 info->secs[s].sec_name, i, recs[i].insn_off / 8);
				continue;
			}
			if (!p->autoload)
				continue;
			err = resolve_one(obj, p, &recs[i], (int)i, cache, lists, arena, scratch,
					  &out->res[s][i], diag);
			if (err) {
				bbpf_log(&obj->log, BBPF_LOG_WARN,
					 "prog '%s': relo #%u: failed to relocate: %s", p->name, i,
					 bbpf_err_name(err));
				return err;
			}
			out->done[s][i] = 1;
			out->relo_cnt++;
			out->poison_cnt += out->res[s][i].poison;
		}
	}
	return 0;
}

int bbpf_core_apply(const struct bbpf_core_obj *co, struct bbpf_prog_image *img,
		    struct bbpf_diag *diag)
{
	const struct bbpf_object *obj;
	uint32_t f, j;
	int err;

	if (!co || !co->obj || !img)
		return -EINVAL;
	obj = co->obj;
	for (f = 0; f < img->func_cnt; f++) {
		const struct bbpf_program *p = img->funcs[f].prog;
		const struct bpf_core_relo *recs;
		uint32_t s, off = img->funcs[f].insn_off;

		if (!p->core_relo.sec)
			continue;
		if (off > img->insn_cnt || p->insn_cnt > img->insn_cnt - off)
			return -EINVAL;
		s = sec_index(obj, p->core_relo.sec);
		if (s >= co->sec_cnt)
			return -ENOENT;
		recs = p->core_relo.sec->recs;
		for (j = 0; j < p->relo_cnt; j++) {
			const struct bbpf_relo *r = &p->relos[j];

			if (r->kind != BBPF_RELO_CORE)
				continue;
			if (!co->done[s][r->target]) {
				bbpf_log(&obj->log, BBPF_LOG_WARN,
					 "prog '%s': relo #%u: CO-RE relocation was not resolved",
					 p->name, r->target);
				return -ENOENT;
			}
			err = bbpf_core_patch_insn(p->name, img->insns + off, p->insn_cnt,
						   r->insn_idx, &recs[r->target], (int)r->target,
						   &co->res[s][r->target], &obj->log, diag);
			if (err) {
				bbpf_log(&obj->log, BBPF_LOG_WARN,
					 "prog '%s': relo #%u: failed to patch insn #%u: %s", p->name,
					 r->target, r->insn_idx, bbpf_err_name(err));
				return err;
			}
		}
	}
	return 0;
}
