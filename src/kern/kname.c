/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names looked up in the kernel's BTF (attach targets, typed ksyms,
 * libbpf_find_vmlinux_btf_id), answered once per context and shared by
 * every object loaded with it; see kern.h.
 *
 * Callers announce the names they will need (bbpf_kname_want); the first
 * lookup answers every announced name with one walk over vmlinux's records
 * (bbpf_btf_find_batch: kinds and the first two bytes of the names filtered
 * in the walk's loop), so a tool with many tp_btf/fentry/lsm programs pays
 * one pass, and no name index (a hash of all 126,000 names and 0.5 MB) is
 * built. When the kernel's BTF has not been walked yet, that pass is also
 * the walk that builds its sparse id index.
 *
 * With CO-RE done in user space against the same vmlinux, the CO-RE
 * candidate search walks it too; the names announced before that search
 * ride on its pass (bbpf_kname_rider: their kinds and names are added to
 * its filter, its records answer them, and the filter narrows as they are
 * answered), so a load that needs both walks vmlinux once. The loader
 * announces every name before the CO-RE step.
 */
#include <errno.h>
#include <string.h>
#include "kern.h"
#include "../relo/core.h"

struct bbpf_kname {
	char *name;
	uint32_t kind;		/* 0: any */
	uint32_t hash;
	uint32_t id;		/* answer: 0 not in vmlinux */
	bool done;
};

#define RIDE_FEW	8	/* up to this many names: strcmp each, no hash */

struct bbpf_kname_cache {
	struct bbpf_kname **slots;
	uint32_t slot_cnt, cnt;
	uint32_t pending;	/* entries not done */
	uint32_t walk_cnt;	/* walks of its own (bbpf_btf_find_batch) */
	uint32_t ride_cnt;	/* passes of the CO-RE candidate search ridden on */
	/*
	 * while riding: names not answered yet, those the filter was built
	 * from (and how many were left then), any of kind 0, the first few
	 */
	uint32_t ride_left, ride_n, ride_built;
	bool ride_any;
	struct bbpf_kname *ride_few[RIDE_FEW];
	/*
	 * and bytes 4-5 of their names when all have 6 or more: the pass's
	 * filter sees the first two only, and kernel names share prefixes
	 * ("bpf_", "btf_"), so this turns most records away before a hash.
	 */
	bool ride_pair2;
	uint32_t pair2[BBPF_BTF_PAIR_BITS / 32];
};

static uint32_t hash_of(const char *s, uint32_t kind)
{
	uint32_t h = 2166136261u ^ kind;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static struct bbpf_kname **slot_of(struct bbpf_kname **slots, uint32_t cnt, const char *name,
				   uint32_t kind, uint32_t hash)
{
	uint32_t mask = cnt - 1, h;

	for (h = hash & mask; slots[h]; h = (h + 1) & mask)
		if (slots[h]->hash == hash && slots[h]->kind == kind && !strcmp(slots[h]->name, name))
			break;
	return &slots[h];
}

/* At most half full; old tables stay in the arena. */
static int grow(struct bbpf_ctx *ctx, struct bbpf_kname_cache *c)
{
	struct bbpf_kname **slots;
	uint32_t cnt, i;

	if (c->slot_cnt && (c->cnt + 1) * 2 <= c->slot_cnt)
		return 0;
	cnt = c->slot_cnt ? c->slot_cnt * 2 : 16;
	slots = bbpf_arena_calloc(&ctx->arena, cnt, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < c->slot_cnt; i++)
		if (c->slots[i])
			*slot_of(slots, cnt, c->slots[i]->name, c->slots[i]->kind,
				 c->slots[i]->hash) = c->slots[i];
	c->slots = slots;
	c->slot_cnt = cnt;
	return 0;
}

static int entry(struct bbpf_ctx *ctx, const char *name, uint32_t kind, struct bbpf_kname **out)
{
	struct bbpf_kname_cache *c = ctx->knames;
	uint32_t hash = hash_of(name, kind);
	struct bbpf_kname **slot, *e;

	if (!name[0])
		return -EINVAL;
	if (!c) {
		c = ctx->knames = bbpf_arena_zalloc(&ctx->arena, sizeof(*c));
		if (!c)
			return -ENOMEM;
	}
	if (grow(ctx, c))
		return -ENOMEM;
	slot = slot_of(c->slots, c->slot_cnt, name, kind, hash);
	if (!*slot) {
		e = bbpf_arena_zalloc(&ctx->arena, sizeof(*e));
		if (!e || !(e->name = bbpf_arena_strdup(&ctx->arena, name)))
			return -ENOMEM;
		e->kind = kind;
		e->hash = hash;
		*slot = e;
		c->cnt++;
		c->pending++;
	}
	*out = *slot;
	return 0;
}

int bbpf_kname_want(struct bbpf_ctx *ctx, const char *name, uint32_t kind)
{
	struct bbpf_kname *e;

	return entry(ctx, name, kind, &e);
}

int bbpf_kname_resolve(struct bbpf_ctx *ctx)
{
	struct bbpf_kname_cache *c = ctx->knames;
	struct bbpf_btf_query *q;
	struct bbpf_arena scratch;
	struct bbpf_btf *vmlinux;
	uint32_t i, n = 0;
	int err;

	if (!c || !c->pending)
		return 0;
	err = bbpf_kernel_btf_lazy(ctx, &vmlinux);
	if (err)
		return err;
	bbpf_arena_init(&scratch, &ctx->alloc, (size_t)64 << 20);
	q = bbpf_arena_calloc(&scratch, c->pending, sizeof(*q));
	err = q ? 0 : -ENOMEM;
	for (i = 0; !err && i < c->slot_cnt; i++) {
		const struct bbpf_kname *e = c->slots[i];

		if (e && !e->done && n < c->pending)
			q[n++] = (struct bbpf_btf_query){ .name = e->name, .kind = e->kind };
	}
	if (!err)
		c->walk_cnt++;
	err = err ?: bbpf_btf_find_batch(vmlinux, 1, q, n, &scratch);
	if (err == -EBADMSG)
		bbpf_kernel_btf(ctx, &vmlinux);	/* logs why, and where */
	for (i = 0, n = 0; !err && i < c->slot_cnt; i++) {
		struct bbpf_kname *e = c->slots[i];

		if (e && !e->done && n < c->pending) {
			e->id = q[n++].id;
			e->done = true;
		}
	}
	if (!err)
		c->pending = 0;
	bbpf_arena_free(&scratch);
	return err;
}

int bbpf_kname_find(struct bbpf_ctx *ctx, const char *name, uint32_t kind, uint32_t *id)
{
	struct bbpf_kname *e;
	int err;

	*id = 0;
	err = entry(ctx, name, kind, &e);
	if (!err && !e->done)
		err = bbpf_kname_resolve(ctx);
	if (err)
		return err;
	*id = e->id;
	return 0;
}

/* ---- riding on the CO-RE candidate search's pass over vmlinux ---- */

/* Bit of bytes 4-5 of a name (s[0..4] not NUL, so s[5] is readable). */
static uint32_t pair2_bit(const char *s)
{
	return ((uint32_t)(uint8_t)s[4] * 131u + (uint8_t)s[5]) & (BBPF_BTF_PAIR_BITS - 1);
}

/*
 * Kinds, two-byte and bytes 4-5 filters and the few-names list from the
 * names still looked for (pending, not answered in this pass); their kinds.
 */
static uint32_t ride_filter(void *vctx, struct bbpf_btf_filter *f)
{
	struct bbpf_kname_cache *c = ((struct bbpf_ctx *)vctx)->knames;
	uint32_t i, len, h, kinds = 0;

	c->ride_any = false;
	c->ride_pair2 = true;
	c->ride_n = 0;
	memset(c->pair2, 0, sizeof(c->pair2));
	for (i = 0; i < c->slot_cnt && c->ride_n < c->ride_left; i++) {
		struct bbpf_kname *e = c->slots[i];

		if (!e || e->done || e->id)
			continue;
		if (e->kind)
			kinds |= 1u << (e->kind & 31);
		else
			c->ride_any = true;
		len = (uint32_t)strlen(e->name);
		if (len < 6) {
			c->ride_pair2 = false;
		} else {
			h = pair2_bit(e->name);
			c->pair2[h / 32] |= 1u << (h % 32);
		}
		if (c->ride_n < RIDE_FEW)
			c->ride_few[c->ride_n] = e;
		c->ride_n++;
		bbpf_btf_filter_add_name(f, e->name, len);
	}
	c->ride_built = c->ride_left;
	if (c->ride_any)
		kinds = UINT32_MAX;
	f->kinds |= kinds;
	return kinds;
}

static uint32_t ride_begin(void *vctx, struct bbpf_btf_filter *f)
{
	struct bbpf_kname_cache *c = ((struct bbpf_ctx *)vctx)->knames;
	uint32_t i;

	if (!c || !c->pending)
		return 0;
	c->ride_left = 0;
	for (i = 0; i < c->slot_cnt; i++) {
		struct bbpf_kname *e = c->slots[i];

		if (e && !e->done) {
			e->id = 0;
			c->ride_left++;
		}
	}
	c->ride_cnt++;
	return ride_filter(vctx, f);
}

static void ride_answer(struct bbpf_kname_cache *c, struct bbpf_kname *e, uint32_t id)
{
	if (e && !e->done && !e->id) {
		e->id = id;	/* the pass goes in id order: the lowest id */
		c->ride_left--;
	}
}

/* A record of our kinds the merged filter let through. */
static int ride_one(void *vctx, uint32_t id, const struct btf_type *t, const char *name)
{
	struct bbpf_kname_cache *c = ((struct bbpf_ctx *)vctx)->knames;
	uint32_t kind = bbpf_btf_kind(t), h, i, left = c->ride_left;

	if (c->ride_pair2) {
		/* the filter let the first two bytes through: stop at a NUL */
		if (!name[1] || !name[2] || !name[3] || !name[4])
			return 0;
		h = pair2_bit(name);
		if (!((c->pair2[h / 32] >> (h % 32)) & 1))
			return 0;
	}
	if (c->ride_n <= RIDE_FEW) {
		/* a few names: compared, no hash of a long "btf_trace_..." */
		for (i = 0; i < c->ride_n; i++) {
			struct bbpf_kname *e = c->ride_few[i];

			if ((!e->kind || e->kind == kind) && !e->id && !strcmp(e->name, name))
				ride_answer(c, e, id);
		}
	} else {
		ride_answer(c, *slot_of(c->slots, c->slot_cnt, name, kind, hash_of(name, kind)), id);
		if (c->ride_any)	/* names asked for with any kind */
			ride_answer(c, *slot_of(c->slots, c->slot_cnt, name, 0, hash_of(name, 0)),
				    id);
	}
	/*
	 * Fewer names: the pass filters on the rest only (a target found early
	 * no longer lets its kind and prefix through). Every answer for a few
	 * names, else each time half are answered.
	 */
	if (c->ride_left < left &&
	    (!c->ride_left || c->ride_n <= RIDE_FEW || 2 * c->ride_left <= c->ride_built))
		return BBPF_CORE_RIDER_NARROWED;
	return 0;
}

/* A whole pass answers every pending name (0: not in vmlinux); a failed one none. */
static void ride_end(void *vctx, int err)
{
	struct bbpf_kname_cache *c = ((struct bbpf_ctx *)vctx)->knames;
	uint32_t i;

	for (i = 0; i < c->slot_cnt; i++) {
		struct bbpf_kname *e = c->slots[i];

		if (!e || e->done)
			continue;
		if (err)
			e->id = 0;
		else
			e->done = true;
	}
	if (!err)
		c->pending = 0;
}

const struct bbpf_core_rider *bbpf_kname_rider(struct bbpf_ctx *ctx)
{
	struct bbpf_core_rider *r = bbpf_arena_zalloc(&ctx->arena, sizeof(*r));

	if (r)
		*r = (struct bbpf_core_rider){ .begin = ride_begin, .refilter = ride_filter,
					       .fn = ride_one, .end = ride_end, .ctx = ctx };
	return r;
}

void bbpf_kname_walks(const struct bbpf_ctx *ctx, uint32_t *own, uint32_t *ridden)
{
	*own = ctx->knames ? ctx->knames->walk_cnt : 0;
	*ridden = ctx->knames ? ctx->knames->ride_cnt : 0;
}
