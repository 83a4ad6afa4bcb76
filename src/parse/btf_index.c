/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF indexes; see btf.h: the sparse id -> record index of trusted BTF, the
 * walk that builds it and can search at the same time (bbpf_btf_visit),
 * and the lazy name index (bbpf_btf_find_by_name_kind).
 *
 * The walk is the hot loop of a CO-RE load against the kernel's BTF: it
 * runs over every record of vmlinux (126,000 here) once per process. Per
 * record it reads the info word, looks the length up in two tables, checks
 * the record lies inside the type section (one comparison), and tests the
 * kind against the filter; only records of a wanted kind touch their name,
 * and only names passing a two-byte filter reach the callback.
 */
#include <errno.h>
#include <string.h>
#include <barebpf/object.h>
#include "btf_int.h"

#define CKPT_SHIFT	5u	/* log2(BBPF_BTF_CKPT) */
_Static_assert(BBPF_BTF_CKPT == 1u << CKPT_SHIFT, "BBPF_BTF_CKPT is 1 << CKPT_SHIFT");

int bbpf_btf_sparse_init(struct bbpf_btf *b, uint64_t file_off)
{
	uint32_t max_own = b->start_id < BBPF_MAX_BTF_TYPES ? BBPF_MAX_BTF_TYPES - b->start_id : 0;
	struct bbpf_btf_sparse *sp = bbpf_arena_zalloc(b->arena, sizeof(*sp));

	if (!sp)
		return -ENOMEM;
	sp->file_off = file_off;
	/* Every record takes at least 12 bytes. */
	sp->max_cnt = b->types_len / BTF_MIN_REC_LEN;
	if (sp->max_cnt > max_own)
		sp->max_cnt = max_own;
	/* Not cleared: the walk writes every checkpoint below cnt, nothing reads past. */
	sp->ckpt = bbpf_arena_alloc_array(b->arena, (sp->max_cnt >> CKPT_SHIFT) + 1,
					  sizeof(uint32_t));
	if (!sp->ckpt)
		return -ENOMEM;
	b->sparse = sp;
	b->type_cnt = b->start_id + sp->max_cnt;
	return 0;
}

/* Why the record at off (its header inside) does not fit: unknown kind, or too long. */
static enum bbpf_bad rec_why(const struct bbpf_btf *b, size_t off)
{
	return bbpf_btf_info_rec_len(((const struct btf_type *)(b->types + off))->info) ?
	       BBPF_BAD_BTF_TYPE : BBPF_BAD_BTF_KIND;
}

/* Bit of the first two bytes of a name (s[0] != 0, so s[1] is readable). */
static inline uint32_t pair_bit(const char *s)
{
	return ((uint32_t)(uint8_t)s[0] * 131u + (uint8_t)s[1]) & (BBPF_BTF_PAIR_BITS - 1);
}

void bbpf_btf_filter_add_name(struct bbpf_btf_filter *f, const char *name, uint32_t len)
{
	/*
	 * A one-byte (essential) name is the whole name, or the part before
	 * a "___" flavor: the second byte is NUL or '_'.
	 */
	char two[2] = { name[0], len >= 2 ? name[1] : '\0' };
	uint32_t h;

	for (;;) {
		h = pair_bit(two);
		f->pair[h / 32] |= 1u << (h % 32);
		if (len >= 2 || two[1])
			return;
		two[1] = '_';
	}
}

void bbpf_btf_filter_all(struct bbpf_btf_filter *f, uint32_t kinds)
{
	f->kinds = kinds;
	memset(f->pair, 0xff, sizeof(f->pair));
}

struct walk {
	const struct bbpf_btf *b;
	struct bbpf_btf_sparse *sp;	/* non-NULL: first walk, record checkpoints */
	uint32_t idx, off;		/* where to start: own index and its offset */
	uint32_t vis;			/* report own indexes >= vis */
	const struct bbpf_btf_filter *f;	/* NULL: report nothing */
	bbpf_btf_visit_fn fn;
	void *ctx;
	uint32_t stop;			/* own index of the next checkpoint or limit */
};

static int walk_fail(const struct walk *w, enum bbpf_bad why, size_t off, uint32_t idx)
{
	struct bbpf_btf_sparse *sp = w->sp;

	if (!sp)
		return -EBADMSG;	/* walked before: the bytes changed under us */
	sp->walked = true;
	sp->err = -EBADMSG;
	sp->why = why;
	sp->bad_off = sp->file_off + off;
	sp->bad_id = w->b->start_id + idx;
	sp->cnt = 0;
	return -EBADMSG;
}

/* Out of the hot loop: a checkpoint (first walk) or the type limit. */
static int at_stop(struct walk *w, size_t off, uint32_t idx)
{
	struct bbpf_btf_sparse *sp = w->sp;

	if (idx == sp->max_cnt)
		return walk_fail(w, BBPF_BAD_BTF_LIMIT, off, idx);
	sp->ckpt[idx >> CKPT_SHIFT] = (uint32_t)off;
	w->stop = idx + BBPF_BTF_CKPT < sp->max_cnt ? idx + BBPF_BTF_CKPT : sp->max_cnt;
	return 0;
}

/*
 * What a record of a wanted kind needs, copied out of the walk's structures
 * into locals of the walk, so that the loop keeps them in registers across
 * the callback (which may write any memory).
 */
struct hit {
	const char *strs;		/* b->strs, b->start_str_off, b->str_len */
	uint32_t str_base, str_span;
	const uint32_t *pair;		/* the filter's two-byte bits */
	uint32_t vis;
};

/* Out of the hot loop: a record of a wanted kind. */
static inline int at_kind(const struct walk *w, const struct hit *h, const struct btf_type *t,
		   uint32_t idx)
{
	const char *name;
	uint32_t bit, off = t->name_off;

	if (!off || idx < h->vis)
		return 0;
	if (off - h->str_base < h->str_span)
		name = h->strs + (off - h->str_base);
	else
		name = bbpf_btf_str(w->b, off);
	if (!name || !*name)
		return 0;
	bit = pair_bit(name);
	if (!((h->pair[bit / 32] >> (bit % 32)) & 1))
		return 0;
	return w->fn(w->ctx, w->b->start_id + idx, t, name);
}

/* Where the kind (bits 24-28) and vlen (bits 0-15) of a record's info word lie. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define INFO_KIND_BYTE	7u
#define INFO_VLEN_OFF	4u
#else
#define INFO_KIND_BYTE	4u
#define INFO_VLEN_OFF	6u
#endif

/*
 * The walk. Offsets are 64-bit, so off + len cannot wrap even for an
 * unknown kind (len UINT32_MAX): one comparison with last (the last offset
 * where a record header fits) keeps the hot loop in bounds, and the record
 * that crosses it, the final one of a well-formed section, is handled
 * after the loop. The loop runs from one stop (a checkpoint of the first
 * walk, or none) to the next counting down, so a record costs its length,
 * the bounds comparison, the kind test and the count (about 14
 * instructions; vmlinux has 126,000 records).
 */
/* fn changed the filter's kinds (its pair bits are read through h.pair). */
static void refilter(const struct walk *w, uint8_t want[32])
{
	uint32_t kind;

	for (kind = 0; kind < 32; kind++)
		want[kind] = (w->f->kinds >> kind) & 1;
}

static int run(struct walk *w)
{
	const uint8_t *types = w->b->types;
	const size_t types_len = w->b->types_len;
	const struct hit h = {
		.strs = w->b->strs, .str_base = w->b->start_str_off,
		.str_span = w->b->str_len - w->b->start_str_off,
		.pair = w->f ? w->f->pair : NULL, .vis = w->vis,
	};
	size_t off = w->off, next, last;
	uint32_t idx = w->idx, kind, len, n, end;
	uint8_t want[32];	/* kinds as bytes: one compare a record, also at -Oz */
	uint16_t vlen;
	int err = 0;

	if (w->f)
		refilter(w, want);
	else
		memset(want, 0, sizeof(want));
	w->stop = w->sp ? idx : UINT32_MAX;
	if (types_len < BTF_MIN_REC_LEN || off > types_len - BTF_MIN_REC_LEN) {
		if (off != types_len)
			return walk_fail(w, BBPF_BAD_BTF_TYPE, off, idx);
		goto out;
	}
	last = types_len - BTF_MIN_REC_LEN;
	for (;;) {
		if (idx == w->stop && (err = at_stop(w, off, idx)))
			return err;
		/* Records idx .. end - 1 have no stop; n counts them down. */
		end = w->stop;
		n = end - idx;
		do {
			/* The info word's kind byte and vlen half, loaded apart. */
			kind = types[off + INFO_KIND_BYTE] & 0x1f;
			memcpy(&vlen, types + off + INFO_VLEN_OFF, sizeof(vlen));
			len = bbpf_btf_rec_base[kind] + vlen * bbpf_btf_rec_per_vlen[kind];
			next = off + len;
			if (next > last)
				goto tail;
			if (want[kind] &&
			    (err = at_kind(w, &h, (const struct btf_type *)(types + off), end - n))) {
				if (err != BBPF_BTF_VISIT_REFILTER)
					return err;
				refilter(w, want);
			}
			off = next;
		} while (--n);
		idx = end;
	}
tail:
	idx = end - n;
	kind = BTF_INFO_KIND(((const struct btf_type *)(types + off))->info);
	/* The record at off ends past last: it must end exactly at the end. */
	if (next != types_len)
		return walk_fail(w, next > types_len ? rec_why(w->b, off) : BBPF_BAD_BTF_TYPE,
				 next > types_len ? off : next, next > types_len ? idx : idx + 1);
	if (want[kind] && (err = at_kind(w, &h, (const struct btf_type *)(types + off), idx)) &&
	    err != BBPF_BTF_VISIT_REFILTER)
		return err;
	idx++;
out:
	if (w->sp) {
		w->sp->walked = true;
		w->sp->cnt = idx;
	}
	return 0;
}

int bbpf_btf_sparse_walk(const struct bbpf_btf *b)
{
	struct walk w = { .b = b, .sp = b->sparse };

	if (w.sp->walked)
		return w.sp->err;
	return run(&w);
}

const struct btf_type *bbpf_btf_sparse_type(const struct bbpf_btf *b, uint32_t idx)
{
	const struct bbpf_btf_sparse *sp = b->sparse;
	uint32_t off, n, len;

	if (!sp->walked && bbpf_btf_sparse_walk(b))
		return NULL;
	if (sp->err || idx >= sp->cnt)
		return NULL;
	off = sp->ckpt[idx >> CKPT_SHIFT];
	/* Bounds-checked at every step, although the walk checked them once. */
	for (n = idx & (BBPF_BTF_CKPT - 1); n; n--) {
		len = bbpf_btf_rec_at(b->types, b->types_len, off);
		if (!len)
			return NULL;
		off += len;
	}
	if (!bbpf_btf_rec_at(b->types, b->types_len, off))
		return NULL;
	return (const struct btf_type *)(b->types + off);
}

int bbpf_btf_complete(struct bbpf_btf *btf, struct bbpf_diag *diag)
{
	const struct bbpf_btf_sparse *sp;

	if (!btf || !btf->sparse)
		return 0;
	sp = btf->sparse;
	if (bbpf_btf_sparse_walk(btf))
		return bbpf_diag_fail(diag, sp->why, BBPF_DIAG_NO_SEC, sp->bad_off, sp->bad_id);
	btf->type_cnt = btf->start_id + sp->cnt;
	return 0;
}

uint32_t bbpf_btf_type_cnt(const struct bbpf_btf *btf)
{
	if (!btf)
		return 0;
	if (!btf->sparse)
		return btf->type_cnt;
	if (bbpf_btf_sparse_walk(btf))
		return 0;
	return btf->start_id + btf->sparse->cnt;
}

int bbpf_btf_visit(const struct bbpf_btf *btf, uint32_t start, const struct bbpf_btf_filter *f,
		   bbpf_btf_visit_fn fn, void *ctx)
{
	struct walk w = { .b = btf, .f = f, .fn = fn, .ctx = ctx };
	uint32_t cnt;

	if (!btf || !f || !fn)
		return -EINVAL;
	if (start < btf->start_id)
		start = btf->start_id;
	w.vis = start - btf->start_id;
	if (btf->sparse && !btf->sparse->walked) {
		w.sp = btf->sparse;	/* the first walk: index and search at once */
		return run(&w);
	}
	cnt = bbpf_btf_type_cnt(btf);
	if (btf->sparse && btf->sparse->err)
		return btf->sparse->err;
	if (start >= cnt)
		return 0;
	/* Dense: straight to the offset; sparse: from the checkpoint at or before it. */
	if (btf->sparse) {
		w.idx = w.vis & ~(BBPF_BTF_CKPT - 1);
		w.off = btf->sparse->ckpt[w.idx >> CKPT_SHIFT];
	} else {
		w.idx = w.vis;
		w.off = btf->type_offs[w.vis];
	}
	return run(&w);
}

/* ---- name index ---- */

/* FNV-1a, 32-bit. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

struct index_fill {
	uint32_t *tab;		/* NULL: count only */
	uint32_t mask;
	uint32_t named;
};

static int index_one(void *ctx, uint32_t id, const struct btf_type *t, const char *name)
{
	struct index_fill *x = ctx;
	uint32_t h;

	(void)t;
	if (!x->tab) {
		x->named++;
		return 0;
	}
	for (h = name_hash(name) & x->mask; x->tab[h]; h = (h + 1) & x->mask)
		;
	x->tab[h] = id;
	return 0;
}

#define MAX_CHAIN 8	/* split BTF on split BTF ...: deeper than anything real */

/* Visit every named type of btf and its bases, lowest ids first. */
static int visit_chain(const struct bbpf_btf *btf, struct index_fill *x)
{
	const struct bbpf_btf *chain[MAX_CHAIN];
	struct bbpf_btf_filter all;
	int n = 0, err;

	for (; btf; btf = btf->base) {
		if (n == MAX_CHAIN)
			return -E2BIG;
		chain[n++] = btf;
	}
	bbpf_btf_filter_all(&all, UINT32_MAX);
	while (n--) {
		err = bbpf_btf_visit(chain[n], 0, &all, index_one, x);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A dense BTF of its own with few types (a small object's): lookups compare
 * every name instead, cheaper than the index's two walks and table for the
 * few lookups an open makes, and they allocate nothing (so cannot fail).
 */
#define SMALL_BTF	64

static bool small_btf(const struct bbpf_btf *btf)
{
	return !btf->base && !btf->sparse && btf->type_cnt <= SMALL_BTF;
}

/*
 * Open addressing with linear probing over every named id [1, type_cnt),
 * the base's included (the base is const and cannot hold its own index).
 * Ids are inserted in increasing order and never removed, so along a probe
 * sequence equal names appear in id order: the first match is the lowest id,
 * which makes "base first" hold. The table is at most half full. A dense
 * BTF without a base (an object's) is filled in one pass by id; otherwise
 * two walks by offset (count, then fill), never by id.
 */
int bbpf_btf_index(struct bbpf_btf *btf)
{
	struct index_fill x = { 0 };
	uint32_t cap = 16;
	int err;

	if (btf->name_hash || small_btf(btf))
		return 0;
	if (!btf->base && !btf->sparse) {
		/* Dense, no base: one pass by id, the table sized by the type count (>= named). */
		uint32_t id, h, off;

		while (cap / 2 < btf->type_cnt)
			cap *= 2;
		x.tab = bbpf_arena_calloc(btf->arena, cap, sizeof(*x.tab));
		if (!x.tab)
			return -ENOMEM;
		for (id = 1; id < btf->type_cnt; id++) {
			off = ((const struct btf_type *)(btf->types + btf->type_offs[id - 1]))->name_off;
			if (!off || off >= btf->str_len || !btf->strs[off])
				continue;	/* unnamed: the walk reports none of these */
			for (h = name_hash(btf->strs + off) & (cap - 1); x.tab[h]; h = (h + 1) & (cap - 1))
				;
			x.tab[h] = id;
		}
		btf->name_hash = x.tab;
		btf->name_hash_cnt = cap;
		return 0;
	}
	err = visit_chain(btf, &x);
	if (err)
		return err == -ENOMEM ? err : 0;	/* a broken walk: nothing to find */
	while (cap / 2 < x.named)
		cap *= 2;
	x.tab = bbpf_arena_calloc(btf->arena, cap, sizeof(*x.tab));
	if (!x.tab)
		return -ENOMEM;
	x.mask = cap - 1;
	if (visit_chain(btf, &x))
		memset(x.tab, 0, cap * sizeof(*x.tab));	/* changed under us: empty */
	btf->name_hash = x.tab;
	btf->name_hash_cnt = cap;
	return 0;
}

uint32_t bbpf_btf_find_by_name_kind(struct bbpf_btf *btf, const char *name, uint32_t kind)
{
	const struct btf_type *t;
	uint32_t mask, h, id;

	if (!btf || !name || !*name)
		return 0;
	/*
	 * A small BTF has no index: compare every name, lowest id first, as the
	 * index answers; DATASECs (clang puts them last) from the first one on.
	 */
	if (!btf->name_hash && small_btf(btf)) {
		/* Dense, no base (small_btf): ids from 1, records and strings are btf's own. */
		id = kind == BTF_KIND_DATASEC && btf->first_datasec ? btf->first_datasec : 1;
		for (; id < btf->type_cnt; id++) {
			t = (const struct btf_type *)(btf->types + btf->type_offs[id - 1]);
			if (kind && bbpf_btf_kind(t) != kind)
				continue;
			if (kind == BTF_KIND_DATASEC && !btf->first_datasec)
				btf->first_datasec = id;	/* the walk is in id order */
			if (!t->name_off || t->name_off >= btf->str_len)
				continue;
			if (btf->strs[t->name_off] == name[0] &&
			    strcmp(btf->strs + t->name_off, name) == 0)
				return id;
		}
		return 0;
	}
	if (bbpf_btf_index(btf) || !btf->name_hash)
		return 0;
	mask = btf->name_hash_cnt - 1;
	/* The table is never full, so an empty slot ends every probe. */
	for (h = name_hash(name) & mask; (id = btf->name_hash[h]); h = (h + 1) & mask) {
		t = bbpf_btf_type(btf, id);
		if (t && (!kind || bbpf_btf_kind(t) == kind) &&
		    strcmp(bbpf_btf_name(btf, id), name) == 0)
			return id;
	}
	return 0;
}

/* ---- batched lookups: many names, one walk, no index ---- */

struct batch {
	struct bbpf_btf_query *q;
	uint32_t *tab;		/* query index + 1; 0 empty */
	uint32_t mask;
	uint32_t left;		/* queries still unanswered */
	/*
	 * Bytes 4 and 5 of the names, when every name has 6 bytes or more: the
	 * walk's filter sees only the first two, and kernel names share long
	 * prefixes ("bpf_", "btf_"), so this rejects most before the hash.
	 */
	bool use_pair2;
	uint32_t pair2[BBPF_BTF_PAIR_BITS / 32];
	uint32_t n;		/* queries; a few are compared directly, not hashed */
	uint32_t built_left;	/* left when the filter was built */
	struct bbpf_btf_filter *f;	/* the walk's, narrowed as queries are answered */
};

#define BATCH_LINEAR	8	/* up to this many queries: strcmp each, no hash */

/* The walk's filter and bytes 4-5 from the queries not answered yet. */
static void batch_filter(struct batch *b)
{
	struct bbpf_btf_filter *f = b->f;
	uint32_t i, h;

	memset(f, 0, sizeof(*f));
	memset(b->pair2, 0, sizeof(b->pair2));
	b->use_pair2 = true;
	b->built_left = b->left;
	for (i = 0; i < b->n; i++) {
		const struct bbpf_btf_query *q = &b->q[i];

		if (q->id || !q->name || !q->name[0])
			continue;
		if (strnlen(q->name, 6) < 6) {
			b->use_pair2 = false;
		} else {
			h = pair_bit(q->name + 4);
			b->pair2[h / 32] |= 1u << (h % 32);
		}
		f->kinds |= q->kind ? 1u << (q->kind & 31) : UINT32_MAX;
		bbpf_btf_filter_add_name(f, q->name, (uint32_t)strlen(q->name));
	}
}

static int batch_one(void *ctx, uint32_t id, const struct btf_type *t, const char *name)
{
	struct batch *b = ctx;
	uint32_t h, i, kind = bbpf_btf_kind(t), left = b->left;

	if (b->use_pair2) {
		/*
		 * The walk's filter hashes the first two bytes, so a one-byte name
		 * can pass it: stop at the first NUL, never read past it.
		 */
		if (!name[1] || !name[2] || !name[3] || !name[4])
			return 0;
		h = pair_bit(name + 4);
		if (!((b->pair2[h / 32] >> (h % 32)) & 1))
			return 0;
	}
	if (b->n <= BATCH_LINEAR) {
		/* hashing a long name ("btf_trace_...") costs more than a few compares */
		for (i = 0; i < b->n; i++) {
			struct bbpf_btf_query *q = &b->q[i];

			if (q->id || !q->name || (q->kind && q->kind != kind) || strcmp(q->name, name))
				continue;
			q->id = id;
			b->left--;
		}
	} else {
		for (h = name_hash(name) & b->mask; (i = b->tab[h]); h = (h + 1) & b->mask) {
			struct bbpf_btf_query *q = &b->q[i - 1];

			if (q->id || (q->kind && q->kind != kind) || strcmp(q->name, name))
				continue;
			q->id = id;	/* records come in id order: the lowest id wins */
			b->left--;
		}
	}
	if (!b->left)
		return 1;	/* all answered: stop the walk */
	/*
	 * Fewer names: the rest of the walk filters on theirs only (a name
	 * found early no longer lets its kind and prefix through). Rebuilt on
	 * every answer for a few names, else each time half are answered.
	 */
	if (b->left < left && (b->n <= BATCH_LINEAR || 2 * b->left <= b->built_left)) {
		batch_filter(b);
		return BBPF_BTF_VISIT_REFILTER;
	}
	return 0;
}

int bbpf_btf_find_batch(const struct bbpf_btf *btf, uint32_t start, struct bbpf_btf_query *q,
			uint32_t n, struct bbpf_arena *scratch)
{
	struct bbpf_btf_filter f = { 0 };
	struct batch b = { .q = q, .n = n, .f = &f };
	uint32_t cap = 8, i, h;
	int err;

	for (i = 0; i < n; i++)
		if (!q[i].id && q[i].name && q[i].name[0])
			b.left++;
	if (!b.left)
		return 0;
	while (cap < 2 * b.left)
		cap *= 2;
	b.tab = bbpf_arena_calloc(scratch, cap, sizeof(*b.tab));
	if (!b.tab)
		return -ENOMEM;
	b.mask = cap - 1;
	for (i = 0; i < n; i++) {
		if (q[i].id || !q[i].name || !q[i].name[0])
			continue;
		for (h = name_hash(q[i].name) & b.mask; b.tab[h]; h = (h + 1) & b.mask)
			;
		b.tab[h] = i + 1;
	}
	batch_filter(&b);
	err = bbpf_btf_visit(btf, start, &f, batch_one, &b);
	return err == 1 ? 0 : err;
}
