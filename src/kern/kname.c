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
 */
#include <errno.h>
#include <string.h>
#include "kern.h"

struct bbpf_kname {
	char *name;
	uint32_t kind;		/* 0: any */
	uint32_t hash;
	uint32_t id;		/* answer: 0 not in vmlinux */
	bool done;
};

struct bbpf_kname_cache {
	struct bbpf_kname **slots;
	uint32_t slot_cnt, cnt;
	uint32_t pending;	/* entries not done */
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
