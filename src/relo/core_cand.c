// SPDX-License-Identifier: BSD-2-Clause
/*
 * CO-RE candidate cache (libbpf's bpf_core_find_cands/bpf_core_add_cands).
 *
 * A candidate for a local type is a target type of a compatible kind (the
 * same kind, or ENUM vs ENUM64) whose essential name equals the local
 * type's. vmlinux is searched first (from id 1); module BTFs (from their
 * first own id, in the order they were added) only if vmlinux has none.
 *
 * libbpf scans the whole target BTF once per local type. Here the names
 * not cached yet are gathered first and one pass per target BTF answers
 * all of them; the pass touches the name of a type only when its kind is
 * one that is asked for, and hashes it only when its first two bytes are
 * those of an asked name, so most of vmlinux (functions, pointers,
 * prototypes) costs a kind test. No name index of the target is built:
 * memory stays proportional to the names asked for. On the kernel's BTF
 * (parsed lazily) the first pass is also the one walk that builds its
 * sparse id index (bbpf_btf_visit), and a rider (the kernel layer's
 * attach-target lookups, struct bbpf_core_rider) can add its names to
 * the first pass over vmlinux, so that one walk answers both.
 */
#include <errno.h>
#include <string.h>
#include "core_int.h"

struct bbpf_core_cache_ent {
	char *name;			/* essential name, NUL-terminated copy */
	uint32_t len;
	uint32_t hash;
	uint32_t kclass;		/* kind; ENUM64 counts as ENUM */
	bool done;			/* candidates complete */
	bool queued;			/* on the pending list */
	struct bbpf_core_cand *cands;
	uint32_t cnt, cap;
	struct bbpf_core_cache_ent *next_pending;
};

static uint32_t kind_class(uint32_t kind)
{
	return kind == BTF_KIND_ENUM64 ? BTF_KIND_ENUM : kind;
}

static uint32_t hash_name(const char *s, uint32_t len, uint32_t kclass)
{
	uint32_t h = 2166136261u ^ kclass, i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

void bbpf_core_cache_init(struct bbpf_core_cache *c, const struct bbpf_btf *vmlinux,
			  bool search_modules, struct bbpf_arena *arena)
{
	*c = (struct bbpf_core_cache){ .arena = arena, .vmlinux = vmlinux,
				       .search_modules = search_modules };
}

int bbpf_core_cache_add_module(struct bbpf_core_cache *c, const struct bbpf_btf *mod,
			       const char *name)
{
	if (!c || !mod || mod->base != c->vmlinux)
		return -EINVAL;
	if (c->mod_cnt == c->mod_cap) {
		uint32_t cap = c->mod_cap ? c->mod_cap * 2 : 8;
		/* mods, then names, in one block */
		const struct bbpf_btf **mods = bbpf_arena_calloc(c->arena, cap, 2 * sizeof(void *));
		const char **names;

		if (!mods)
			return -ENOMEM;
		names = (const char **)(mods + cap);
		if (c->mod_cnt) {
			memcpy(mods, c->mods, c->mod_cnt * sizeof(*mods));
			memcpy(names, c->mod_names, c->mod_cnt * sizeof(*names));
		}
		c->mods = mods;
		c->mod_names = names;
		c->mod_cap = cap;
	}
	c->mods[c->mod_cnt] = mod;
	c->mod_names[c->mod_cnt++] = name ? name : "module";
	return 0;
}

static struct bbpf_core_cache_ent **find_slot(struct bbpf_core_cache_ent **slots, uint32_t cnt,
					      const char *name, uint32_t len, uint32_t hash,
					      uint32_t kclass)
{
	uint32_t mask = cnt - 1, h;

	for (h = hash & mask; slots[h]; h = (h + 1) & mask) {
		const struct bbpf_core_cache_ent *e = slots[h];

		if (e->hash == hash && e->len == len && e->kclass == kclass &&
		    memcmp(e->name, name, len) == 0)
			break;
	}
	return &slots[h];
}

/* Keep the table at most half full; old tables stay in the arena. */
static int grow(struct bbpf_core_cache *c)
{
	struct bbpf_core_cache_ent **slots;
	uint32_t cnt, i;

	if (c->slot_cnt && (c->ent_cnt + 1) * 2 <= c->slot_cnt)
		return 0;
	cnt = c->slot_cnt ? c->slot_cnt * 2 : 64;
	slots = bbpf_arena_calloc(c->arena, cnt, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < c->slot_cnt; i++) {
		struct bbpf_core_cache_ent *e = c->slots[i];

		if (e)
			*find_slot(slots, cnt, e->name, e->len, e->hash, e->kclass) = e;
	}
	c->slots = slots;
	c->slot_cnt = cnt;
	return 0;
}

/* The entry for a local type, created if new. NULL: anonymous (*err 0) or -ENOMEM. */
static struct bbpf_core_cache_ent *entry(struct bbpf_core_cache *c, const struct btf_type *t,
					 const char *name, int *err)
{
	uint32_t len = (uint32_t)bbpf_core_essential_name_len(name);
	uint32_t kclass = kind_class(bbpf_btf_kind(t));
	uint32_t hash = hash_name(name, len, kclass);
	struct bbpf_core_cache_ent **slot, *e;

	*err = 0;
	if (!len)
		return NULL;
	if ((*err = grow(c)))
		return NULL;
	slot = find_slot(c->slots, c->slot_cnt, name, len, hash, kclass);
	if (*slot)
		return *slot;
	e = bbpf_arena_zalloc(c->arena, sizeof(*e));
	if (!e || !(e->name = bbpf_arena_strndup(c->arena, name, len))) {
		*err = -ENOMEM;
		return NULL;
	}
	e->len = len;
	e->hash = hash;
	e->kclass = kclass;
	*slot = e;
	c->ent_cnt++;
	return e;
}

static int add_cand(struct bbpf_core_cache *c, struct bbpf_core_cache_ent *e,
		    const struct bbpf_btf *btf, uint32_t id)
{
	if (e->cnt == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 2;
		struct bbpf_core_cand *n = bbpf_arena_calloc(c->arena, cap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		if (e->cnt)
			memcpy(n, e->cands, e->cnt * sizeof(*n));
		e->cands = n;
		e->cap = cap;
	}
	e->cands[e->cnt++] = (struct bbpf_core_cand){ .btf = btf, .id = id };
	return 0;
}

struct scan {
	struct bbpf_core_cache *c;
	const struct bbpf_btf *btf;
	struct bbpf_core_cache_ent **tab;
	uint32_t cap;
	uint32_t kinds;			/* the candidates' own kinds (bit 1 << kind) */
	uint32_t rider_kinds;		/* the rider's while it rides, else 0 */
	const struct bbpf_core_rider *rider;
	struct bbpf_btf_filter *f;	/* the walk's, merged while the rider rides */
	struct bbpf_btf_filter own;	/* the candidates' alone */
};

/* A named target record that passed the kind and two-byte filters. */
static int scan_one(void *ctx, uint32_t id, const struct btf_type *t, const char *name)
{
	struct scan *s = ctx;
	uint32_t kind = bbpf_btf_kind(t), kclass = kind_class(kind), len;
	struct bbpf_core_cache_ent *e;
	int ret = 0, err;

	if ((s->rider_kinds >> kind) & 1) {
		err = s->rider->fn(s->rider->ctx, id, t, name);
		if (err == BBPF_CORE_RIDER_NARROWED) {
			/* the rest of the pass: the candidates' and what the rider still wants */
			*s->f = s->own;
			s->rider_kinds = s->rider->refilter(s->rider->ctx, s->f);
			ret = BBPF_BTF_VISIT_REFILTER;
		} else if (err) {
			return err;
		}
	}
	if (!((s->kinds >> kind) & 1))
		return ret;	/* a kind only the rider asked for */
	len = (uint32_t)bbpf_core_essential_name_len(name);
	e = *find_slot(s->tab, s->cap, name, len, hash_name(name, len, kclass), kclass);
	err = e ? add_cand(s->c, e, s->btf, id) : 0;
	return err ? err : ret;
}

/*
 * One pass over btf's ids [start, type_cnt) for the pending entries
 * (linked by next_pending; want_empty: only those still without
 * candidates). The pass is bbpf_btf_visit()'s: by offset, kinds and the
 * first two bytes of the names filtered in its loop; on the kernel's BTF
 * the first pass is also the walk that indexes it, and a pass over vmlinux
 * from id 1 carries the rider until its names are answered.
 */
static int scan(struct bbpf_core_cache *c, const struct bbpf_btf *btf, uint32_t start,
		struct bbpf_core_cache_ent *pending, bool want_empty)
{
	struct scan s = { .c = c, .btf = btf, .cap = 8 };
	struct bbpf_btf_filter f = { 0 };
	struct bbpf_core_cache_ent *e;
	bool riding = false;
	uint32_t n = 0;
	int err;

	for (e = pending; e; e = e->next_pending)
		if (!want_empty || !e->cnt)
			n++;
	if (!n)
		return 0;
	while (s.cap < 2 * n)
		s.cap *= 2;
	s.tab = bbpf_arena_calloc(c->arena, s.cap, sizeof(*s.tab));
	if (!s.tab)
		return -ENOMEM;
	for (e = pending; e; e = e->next_pending) {
		if (want_empty && e->cnt)
			continue;
		*find_slot(s.tab, s.cap, e->name, e->len, e->hash, e->kclass) = e;
		f.kinds |= 1u << (e->kclass & 31);
		if (e->kclass == BTF_KIND_ENUM)
			f.kinds |= 1u << BTF_KIND_ENUM64;
		bbpf_btf_filter_add_name(&f, e->name, e->len);
	}
	s.kinds = f.kinds;
	s.f = &f;
	if (c->rider && btf == c->vmlinux && start <= 1) {
		s.own = f;
		s.rider = c->rider;
		s.rider_kinds = s.rider->begin(s.rider->ctx, &f);
		riding = s.rider_kinds != 0;
	}
	c->scan_cnt++;
	err = bbpf_btf_visit(btf, start, &f, scan_one, &s);
	if (riding)
		s.rider->end(s.rider->ctx, err);
	return err;
}

static int search(struct bbpf_core_cache *c, struct bbpf_core_cache_ent *pending)
{
	struct bbpf_core_cache_ent *e;
	bool missing = false;
	uint32_t i;
	int err;

	err = scan(c, c->vmlinux, 1, pending, false);
	if (err)
		return err;
	for (e = pending; e; e = e->next_pending)
		missing |= e->cnt == 0;
	if (missing && c->search_modules) {
		if (!c->modules_loaded && c->load_modules) {
			/* Once, even if it fails, as libbpf's btf_modules_loaded. */
			c->modules_loaded = true;
			err = c->load_modules(c->load_modules_ctx, c);
			if (err)
				return err;
		}
		for (i = 0; i < c->mod_cnt; i++) {
			err = scan(c, c->mods[i], c->mods[i]->start_id, pending, true);
			if (err)
				return err;
		}
	}
	for (e = pending; e; e = e->next_pending)
		e->done = true;
	return 0;
}

int bbpf_core_cache_prefetch(struct bbpf_core_cache *c, const struct bbpf_btf *local_btf,
			     const uint32_t *ids, uint32_t cnt)
{
	struct bbpf_core_cache_ent *pending = NULL, *e, *next;
	uint32_t i;
	int err;

	if (!c || !c->vmlinux || !local_btf)
		return -EINVAL;
	for (i = 0; i < cnt; i++) {
		const struct btf_type *t = bbpf_btf_type(local_btf, ids[i]);

		if (!t)
			continue;
		e = entry(c, t, bbpf_core_str(local_btf, t->name_off), &err);
		if (err)
			goto out;
		if (!e || e->done || e->queued)
			continue;
		e->cnt = 0;	/* a search that failed half-way starts over */
		e->queued = true;
		e->next_pending = pending;
		pending = e;
	}
	err = pending ? search(c, pending) : 0;
out:
	for (e = pending; e; e = next) {
		next = e->next_pending;
		e->next_pending = NULL;
		e->queued = false;
	}
	return err;
}

int bbpf_core_find_cands(struct bbpf_core_cache *c, const struct bbpf_btf *local_btf,
			 uint32_t local_id, const struct bbpf_core_cand **cands, uint32_t *cnt)
{
	const struct btf_type *t = bbpf_btf_type(local_btf, local_id);
	struct bbpf_core_cache_ent *e;
	int err;

	if (!t || !c)
		return -EINVAL;
	e = entry(c, t, bbpf_core_str(local_btf, t->name_off), &err);
	if (err)
		return err;
	if (!e)
		return -EINVAL;	/* anonymous: libbpf refuses to search */
	if (!e->done) {
		e->cnt = 0;
		err = search(c, e);
		if (err)
			return err;
	}
	*cands = e->cands;
	*cnt = e->cnt;
	return 0;
}
