/* SPDX-License-Identifier: BSD-2-Clause */
/* see btf_builder.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "btf_builder.h"

#define INFO(kind, kflag, vlen) (((uint32_t)(kflag) << 31) | ((uint32_t)(kind) << 24) | (vlen))

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (!p) {
		fprintf(stderr, "btf_builder: out of memory\n");
		abort();
	}
	*cap = n;
	return p;
}

static void put_words(uint32_t **w, size_t *cnt, size_t *cap, const uint32_t *src, size_t n)
{
	*w = grow(*w, cap, *cnt + n, sizeof(**w));
	memcpy(*w + *cnt, src, n * sizeof(*src));
	*cnt += n;
}

void bb_btf_init(struct bb_btf *b)
{
	*b = (struct bb_btf){ .next_id = 1, .first_id = 1 };
	b->strs = grow(NULL, &b->str_cap, 1, 1);
	b->strs[0] = '\0';
	b->str_len = 1;
}

void bb_btf_init_split(struct bb_btf *b, uint32_t base_type_cnt, uint32_t base_str_len)
{
	*b = (struct bb_btf){
		.next_id = base_type_cnt, .first_id = base_type_cnt, .str_base = base_str_len,
	};
}

void bb_btf_free(struct bb_btf *b)
{
	free(b->words);
	free(b->strs);
	*b = (struct bb_btf){ 0 };
}

uint32_t bb_btf_str(struct bb_btf *b, const char *s)
{
	size_t n;
	uint32_t off;

	if (!s || !*s)
		return 0;
	n = strlen(s) + 1;
	b->strs = grow(b->strs, &b->str_cap, b->str_len + n, 1);
	memcpy(b->strs + b->str_len, s, n);
	off = b->str_base + (uint32_t)b->str_len;
	b->str_len += n;
	return off;
}

uint32_t bb_btf_add_raw(struct bb_btf *b, uint32_t name_off, uint32_t info, uint32_t size_type,
			const uint32_t *extra, size_t extra_cnt)
{
	uint32_t hdr[3] = { name_off, info, size_type };

	b->last = b->word_cnt;
	put_words(&b->words, &b->word_cnt, &b->word_cap, hdr, 3);
	if (extra_cnt)
		put_words(&b->words, &b->word_cnt, &b->word_cap, extra, extra_cnt);
	return b->next_id++;
}

static uint32_t add(struct bb_btf *b, const char *name, uint32_t kind, bool kflag, uint32_t vlen,
		    uint32_t size_type)
{
	return bb_btf_add_raw(b, bb_btf_str(b, name), INFO(kind, kflag, vlen), size_type, NULL, 0);
}

/* Appends n words to the last type and bumps its vlen. */
static void add_trailing(struct bb_btf *b, const uint32_t *w, size_t n)
{
	put_words(&b->words, &b->word_cnt, &b->word_cap, w, n);
	b->words[b->last + 1]++;
}

uint32_t bb_btf_add_int(struct bb_btf *b, const char *name, uint32_t size, uint32_t encoding,
			uint32_t bits)
{
	uint32_t data = (encoding << 24) | bits;

	return bb_btf_add_raw(b, bb_btf_str(b, name), INFO(BTF_KIND_INT, 0, 0), size, &data, 1);
}

uint32_t bb_btf_add_ptr(struct bb_btf *b, uint32_t type)
{
	return add(b, NULL, BTF_KIND_PTR, false, 0, type);
}

uint32_t bb_btf_add_array(struct bb_btf *b, uint32_t elem, uint32_t index, uint32_t nelems)
{
	uint32_t a[3] = { elem, index, nelems };

	return bb_btf_add_raw(b, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, a, 3);
}

uint32_t bb_btf_add_struct(struct bb_btf *b, const char *name, uint32_t size, bool kflag)
{
	return add(b, name, BTF_KIND_STRUCT, kflag, 0, size);
}

uint32_t bb_btf_add_union(struct bb_btf *b, const char *name, uint32_t size, bool kflag)
{
	return add(b, name, BTF_KIND_UNION, kflag, 0, size);
}

void bb_btf_add_member(struct bb_btf *b, const char *name, uint32_t type, uint32_t offset)
{
	uint32_t m[3] = { bb_btf_str(b, name), type, offset };

	add_trailing(b, m, 3);
}

uint32_t bb_btf_add_enum(struct bb_btf *b, const char *name, uint32_t size, bool is_signed)
{
	return add(b, name, BTF_KIND_ENUM, is_signed, 0, size);
}

void bb_btf_add_enum_val(struct bb_btf *b, const char *name, int32_t val)
{
	uint32_t e[2] = { bb_btf_str(b, name), (uint32_t)val };

	add_trailing(b, e, 2);
}

uint32_t bb_btf_add_enum64(struct bb_btf *b, const char *name, uint32_t size, bool is_signed)
{
	return add(b, name, BTF_KIND_ENUM64, is_signed, 0, size);
}

void bb_btf_add_enum64_val(struct bb_btf *b, const char *name, uint64_t val)
{
	uint32_t e[3] = { bb_btf_str(b, name), (uint32_t)val, (uint32_t)(val >> 32) };

	add_trailing(b, e, 3);
}

uint32_t bb_btf_add_fwd(struct bb_btf *b, const char *name, bool is_union)
{
	return add(b, name, BTF_KIND_FWD, is_union, 0, 0);
}

uint32_t bb_btf_add_typedef(struct bb_btf *b, const char *name, uint32_t type)
{
	return add(b, name, BTF_KIND_TYPEDEF, false, 0, type);
}

uint32_t bb_btf_add_volatile(struct bb_btf *b, uint32_t type)
{
	return add(b, NULL, BTF_KIND_VOLATILE, false, 0, type);
}

uint32_t bb_btf_add_const(struct bb_btf *b, uint32_t type)
{
	return add(b, NULL, BTF_KIND_CONST, false, 0, type);
}

uint32_t bb_btf_add_restrict(struct bb_btf *b, uint32_t type)
{
	return add(b, NULL, BTF_KIND_RESTRICT, false, 0, type);
}

uint32_t bb_btf_add_type_tag(struct bb_btf *b, const char *name, uint32_t type)
{
	return add(b, name, BTF_KIND_TYPE_TAG, false, 0, type);
}

uint32_t bb_btf_add_func(struct bb_btf *b, const char *name, uint32_t proto, uint32_t linkage)
{
	return add(b, name, BTF_KIND_FUNC, false, linkage, proto);
}

uint32_t bb_btf_add_func_proto(struct bb_btf *b, uint32_t ret)
{
	return add(b, NULL, BTF_KIND_FUNC_PROTO, false, 0, ret);
}

void bb_btf_add_param(struct bb_btf *b, const char *name, uint32_t type)
{
	uint32_t p[2] = { bb_btf_str(b, name), type };

	add_trailing(b, p, 2);
}

uint32_t bb_btf_add_var(struct bb_btf *b, const char *name, uint32_t type, uint32_t linkage)
{
	return bb_btf_add_raw(b, bb_btf_str(b, name), INFO(BTF_KIND_VAR, 0, 0), type, &linkage, 1);
}

uint32_t bb_btf_add_datasec(struct bb_btf *b, const char *name, uint32_t size)
{
	return add(b, name, BTF_KIND_DATASEC, false, 0, size);
}

void bb_btf_add_secinfo(struct bb_btf *b, uint32_t type, uint32_t off, uint32_t size)
{
	uint32_t s[3] = { type, off, size };

	add_trailing(b, s, 3);
}

uint32_t bb_btf_add_float(struct bb_btf *b, const char *name, uint32_t size)
{
	return add(b, name, BTF_KIND_FLOAT, false, 0, size);
}

uint32_t bb_btf_add_decl_tag(struct bb_btf *b, const char *name, uint32_t type,
			     int32_t component_idx)
{
	uint32_t idx = (uint32_t)component_idx;

	return bb_btf_add_raw(b, bb_btf_str(b, name), INFO(BTF_KIND_DECL_TAG, 0, 0), type, &idx,
			      1);
}

uint32_t *bb_btf_word(struct bb_btf *b, size_t i)
{
	if (i >= b->word_cnt)
		abort();
	return &b->words[i];
}

/* Record length from kind/vlen, mirroring the format (not the parser). */
static size_t rec_words(const uint32_t *w)
{
	uint32_t kind = (w[1] >> 24) & 0x1f, vlen = w[1] & 0xffff;
	static const uint8_t fixed[NR_BTF_KINDS] = {
		[BTF_KIND_INT] = 1, [BTF_KIND_ARRAY] = 3, [BTF_KIND_VAR] = 1,
		[BTF_KIND_DECL_TAG] = 1,
	};
	static const uint8_t per_vlen[NR_BTF_KINDS] = {
		[BTF_KIND_STRUCT] = 3, [BTF_KIND_UNION] = 3, [BTF_KIND_ENUM] = 2,
		[BTF_KIND_FUNC_PROTO] = 2, [BTF_KIND_DATASEC] = 3, [BTF_KIND_ENUM64] = 3,
	};

	if (kind >= NR_BTF_KINDS)
		abort();
	return 3 + fixed[kind] + (size_t)per_vlen[kind] * vlen;
}

size_t bb_btf_type_word(const struct bb_btf *b, uint32_t id)
{
	uint32_t cur = b->first_id;
	size_t i;

	for (i = 0; i < b->word_cnt; i += rec_words(b->words + i)) {
		if (cur++ == id)
			return i;
	}
	abort();
}

void bb_put_u32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

uint32_t bb_get_u32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static void put_hdr_start(uint8_t *p, uint32_t hdr_len, bool swap)
{
	uint16_t magic = BTF_MAGIC;

	if (swap)
		magic = __builtin_bswap16(magic);
	memcpy(p, &magic, 2);
	p[2] = BTF_VERSION;
	p[3] = 0;
	bb_put_u32(p + 4, hdr_len, swap);
}

uint8_t *bb_btf_raw(const struct bb_btf *b, bool swap, uint32_t *len)
{
	uint32_t types_len = (uint32_t)(b->word_cnt * 4), str_len = (uint32_t)b->str_len;
	uint8_t *p = calloc(1, 24 + types_len + str_len + 1);
	size_t i;

	if (!p)
		abort();
	put_hdr_start(p, 24, swap);
	bb_put_u32(p + 8, 0, swap);
	bb_put_u32(p + 12, types_len, swap);
	bb_put_u32(p + 16, types_len, swap);
	bb_put_u32(p + 20, str_len, swap);
	for (i = 0; i < b->word_cnt; i++)
		bb_put_u32(p + 24 + i * 4, b->words[i], swap);
	if (str_len)
		memcpy(p + 24 + types_len, b->strs, str_len);
	*len = 24 + types_len + str_len;
	return p;
}

/* ---- .BTF.ext ---- */

static const uint32_t ext_min_rec[BB_EXT_KIND_CNT] = { 8, 16, 16 };

void bb_ext_init(struct bb_btf_ext *e, uint32_t func_rec, uint32_t line_rec, uint32_t core_rec)
{
	const uint32_t recs[BB_EXT_KIND_CNT] = { func_rec, line_rec, core_rec };
	int k;

	*e = (struct bb_btf_ext){ .hdr_len = 32 };
	for (k = 0; k < BB_EXT_KIND_CNT; k++) {
		uint32_t rs = recs[k] ? recs[k] : ext_min_rec[k];

		put_words(&e->blk[k].words, &e->blk[k].word_cnt, &e->blk[k].word_cap, &rs, 1);
	}
}

void bb_ext_free(struct bb_btf_ext *e)
{
	int k;

	for (k = 0; k < BB_EXT_KIND_CNT; k++)
		free(e->blk[k].words);
	*e = (struct bb_btf_ext){ 0 };
}

void bb_ext_sec(struct bb_btf_ext *e, enum bb_ext_kind kind, uint32_t sec_name_off)
{
	struct bb_ext_block *k = &e->blk[kind];
	uint32_t w[2] = { sec_name_off, 0 };

	k->num_word = k->word_cnt + 1;
	put_words(&k->words, &k->word_cnt, &k->word_cap, w, 2);
}

/* A record of n fields, zero-padded to the block's rec_size. */
static void ext_rec(struct bb_btf_ext *e, enum bb_ext_kind kind, const uint32_t *f, size_t n)
{
	struct bb_ext_block *k = &e->blk[kind];
	size_t words = k->words[0] / 4, i;
	const uint32_t zero = 0;

	if (!k->num_word)
		abort();	/* bb_ext_sec() first */
	for (i = 0; i < words; i++)
		put_words(&k->words, &k->word_cnt, &k->word_cap, i < n ? &f[i] : &zero, 1);
	k->words[k->num_word]++;
}

void bb_ext_func(struct bb_btf_ext *e, uint32_t insn_off, uint32_t type_id)
{
	uint32_t f[2] = { insn_off, type_id };

	ext_rec(e, BB_EXT_FUNC, f, 2);
}

void bb_ext_line(struct bb_btf_ext *e, uint32_t insn_off, uint32_t file_off, uint32_t line_off,
		 uint32_t line_col)
{
	uint32_t f[4] = { insn_off, file_off, line_off, line_col };

	ext_rec(e, BB_EXT_LINE, f, 4);
}

void bb_ext_core(struct bb_btf_ext *e, uint32_t insn_off, uint32_t type_id,
		 uint32_t access_str_off, uint32_t kind)
{
	uint32_t f[4] = { insn_off, type_id, access_str_off, kind };

	ext_rec(e, BB_EXT_CORE, f, 4);
}

/* A block with only its rec_size word has no sections: emitted as empty. */
static size_t blk_bytes(const struct bb_ext_block *k)
{
	return k->word_cnt > 1 ? k->word_cnt * 4 : 0;
}

uint8_t *bb_ext_raw(const struct bb_btf_ext *e, bool swap, uint32_t *len)
{
	size_t total = e->hdr_len, off = 0, i;
	int k, nblk = e->hdr_len >= 32 ? 3 : 2;
	uint8_t *p;

	for (k = 0; k < nblk; k++)
		total += blk_bytes(&e->blk[k]);
	p = calloc(1, total + 1);
	if (!p)
		abort();
	put_hdr_start(p, e->hdr_len, swap);
	for (k = 0; k < nblk; k++) {
		const struct bb_ext_block *blk = &e->blk[k];
		size_t n = blk_bytes(blk);

		bb_put_u32(p + 8 + k * 8, n ? (uint32_t)off : 0, swap);
		bb_put_u32(p + 12 + k * 8, (uint32_t)n, swap);
		for (i = 0; i < n / 4; i++)
			bb_put_u32(p + e->hdr_len + off + i * 4, blk->words[i], swap);
		off += n;
	}
	*len = (uint32_t)total;
	return p;
}
