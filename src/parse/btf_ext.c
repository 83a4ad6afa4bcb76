/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * .BTF.ext reader; see btf_ext.h.
 *
 *   0        u16 magic 0xeB9F, u8 version 1, u8 flags 0, u32 hdr_len
 *   8        u32 func_info_off, func_info_len, line_info_off, line_info_len
 *   24       u32 core_relo_off, core_relo_len   (only if hdr_len >= 32)
 *   hdr_len  info blocks; offsets are relative to hdr_len
 *
 * Each non-empty info block:
 *
 *   u32 rec_size
 *   repeated: u32 sec_name_off, u32 num_info, num_info * rec_size bytes
 *
 * Section headers are validated and counted in one pass; a second checks
 * the records and, when they are not already in the kernel's layout (host
 * order, the in-memory record size, 4-byte aligned), decodes them into
 * arrays sized from the counts. A decoded record is never larger than the
 * minimum on-disk record, so memory is bounded by the input size.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "../base/cursor.h"
#include "btf_ext.h"

#define EXT_HDR_MIN_LEN		24u	/* func_info and line_info */
#define EXT_HDR_CORE_LEN	32u	/* plus core_relo */
#define CORE_RELO_KIND_MAX	12u	/* BPF_CORE_TYPE_MATCHES */

enum info_kind { INFO_FUNC, INFO_LINE, INFO_CORE, INFO_CNT };

struct info_desc {
	uint8_t min_rec_size;	/* the fields we decode */
	uint8_t out_size;
};

static const struct info_desc info_descs[INFO_CNT] = {
	[INFO_FUNC] = { sizeof(struct bpf_func_info), sizeof(struct bpf_func_info) },
	[INFO_LINE] = { sizeof(struct bpf_line_info), sizeof(struct bpf_line_info) },
	[INFO_CORE] = { 16, sizeof(struct bpf_core_relo) },
};

_Static_assert(sizeof(struct bpf_core_relo) <= 16, "decoded CO-RE record fits its on-disk size");

struct block {
	enum info_kind kind;
	const uint8_t *buf;
	uint32_t len;
	uint64_t file_off;	/* of buf in the input, for diagnostics */
	bool swap;
	const struct bbpf_btf *btf;
	struct bbpf_diag *d;
};

static int bad(struct bbpf_diag *d, enum bbpf_bad why, uint64_t off, uint32_t idx)
{
	return bbpf_diag_fail(d, why, BBPF_DIAG_NO_SEC, off, idx);
}

static uint32_t rd(const struct block *b, uint64_t off)
{
	return load_u32(b->buf + off, b->swap);
}

/* The record at off spans rec_size >= min_rec_size bytes of the block. */
static int check_rec(const struct block *b, uint64_t off, uint32_t idx)
{
	const struct bbpf_btf *btf = b->btf;
	const struct btf_type *t;
	uint32_t insn_off = rd(b, off), w1 = rd(b, off + 4);

	if (insn_off % sizeof(struct bpf_insn))
		return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off, idx);
	switch (b->kind) {
	case INFO_FUNC:
		t = bbpf_btf_type(btf, w1);
		if (!t || bbpf_btf_kind(t) != BTF_KIND_FUNC)
			return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off + 4, idx);
		return 0;
	case INFO_LINE:
		/* bbpf_btf_str() fails exactly when off >= str_len (base strings included) */
		if (w1 >= btf->str_len)
			return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off + 4, idx);
		if (rd(b, off + 8) >= btf->str_len)
			return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off + 8, idx);
		return 0;
	case INFO_CORE:
		if (!bbpf_btf_type(btf, w1))
			return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off + 4, idx);
		if (!bbpf_btf_str(btf, rd(b, off + 8)))
			return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off + 8, idx);
		if (rd(b, off + 12) > CORE_RELO_KIND_MAX)
			return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off + 12, idx);
		return 0;
	default:
		return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off + off, idx);
	}
}

/* Decode one record to host order; every kind is a run of u32 (the CO-RE kind an enum). */
static void decode_rec(const struct block *b, uint64_t off, uint8_t *out, uint32_t out_size)
{
	uint32_t i, v;

	for (i = 0; i < out_size; i += 4) {
		v = rd(b, off + i);
		memcpy(out + i, &v, sizeof(v));
	}
}

_Static_assert(sizeof(struct bpf_func_info) == 8 && sizeof(struct bpf_line_info) == 16 &&
		       sizeof(struct bpf_core_relo) == 16,
	       "records are runs of u32");

/*
 * Pass 1: the section headers only (names, counts, spans), counting sections
 * and records up to the first bad header, whose error is kept in *hdr_err.
 * The records are checked in pass 2, which stops before that section: the
 * first failure in input order wins, as in a single walk.
 */
static uint32_t count_secs(const struct block *b, uint32_t rec_size, uint32_t *rec_cnt,
			   int *hdr_err)
{
	uint64_t off = sizeof(uint32_t), recs_len;
	uint32_t secs = 0, cnt = 0, num;

	*hdr_err = 0;
	while (off < b->len) {
		if (!span_ok(off, 8, b->len)) {
			*hdr_err = bad(b->d, BBPF_BAD_BTF_EXT_SECTION, b->file_off + off, secs);
			break;
		}
		num = rd(b, off + 4);
		recs_len = (uint64_t)num * rec_size;
		if (rd(b, off) >= b->btf->str_len) {
			*hdr_err = bad(b->d, BBPF_BAD_BTF_EXT_SECTION, b->file_off + off, secs);
			break;
		}
		if (num == 0 || !span_ok(off + 8, recs_len, b->len)) {
			*hdr_err = bad(b->d, BBPF_BAD_BTF_EXT_SECTION, b->file_off + off + 4, secs);
			break;
		}
		off += 8 + recs_len;
		secs++;
		cnt += num;	/* cnt <= len / 8: no overflow */
	}
	*rec_cnt = cnt;
	return secs;
}

/*
 * Pass 2: check every record of the sec_cnt good sections and fill out. With
 * recs NULL the records are used in place: they already have the kernel's
 * layout (host order, the in-memory size, aligned).
 */
static int walk_recs(const struct block *b, uint32_t rec_size, struct bbpf_btf_ext_info *out,
		     uint8_t *recs)
{
	const struct info_desc *desc = &info_descs[b->kind];
	uint64_t off = sizeof(uint32_t);
	uint32_t s, cnt = 0, num, i, cur, prev;
	int err;

	for (s = 0; s < out->sec_cnt; s++) {
		struct bbpf_btf_ext_sec *sec = &out->secs[s];

		num = rd(b, off + 4);
		sec->sec_name = bbpf_btf_str(b->btf, rd(b, off));
		sec->cnt = num;
		sec->recs = recs ? recs + (uint64_t)cnt * desc->out_size : b->buf + off + 8;
		sec->sorted = true;
		off += 8;
		if (!recs && b->kind == INFO_LINE) {
			/* In place: the checks of check_rec() on the structs, which re-checks a failure */
			const struct bpf_line_info *li = sec->recs, *end = li + num;
			uint32_t str_len = b->btf->str_len;

			for (prev = 0; li < end; prev = li->insn_off, li++) {
				if (li->insn_off % sizeof(struct bpf_insn) ||
				    (li->file_name_off > li->line_off ? li->file_name_off
								      : li->line_off) >= str_len) {
					i = (uint32_t)(li - (const struct bpf_line_info *)sec->recs);
					return check_rec(b, off + (uint64_t)i * rec_size, cnt + i);
				}
				if (li->insn_off < prev)
					sec->sorted = false;
			}
			off += (uint64_t)num * rec_size;
			cnt += num;
			continue;
		}
		for (i = 0, prev = 0; i < num; i++, off += rec_size) {
			err = check_rec(b, off, cnt + i);
			if (err)
				return err;
			/* insn_off is the first u32 of every record kind */
			cur = rd(b, off);
			if (cur < prev)
				sec->sorted = false;
			prev = cur;
			if (recs)
				decode_rec(b, off, recs + (uint64_t)(cnt + i) * desc->out_size,
					   desc->out_size);
		}
		cnt += num;
	}
	return 0;
}

static int parse_block(const struct block *b, struct bbpf_arena *arena,
		       struct bbpf_btf_ext_info *out)
{
	const struct info_desc *desc = &info_descs[b->kind];
	struct bbpf_btf_ext_info info = { 0 };
	uint8_t *recs = NULL;
	bool in_place;
	int err, hdr_err;

	/* An empty block means no records of this kind. */
	if (b->len == 0) {
		*out = info;
		return 0;
	}
	if (b->len < sizeof(uint32_t))
		return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off, 0);
	info.rec_size = rd(b, 0);
	/* A larger record is a newer format; its tail is ignored. */
	if (info.rec_size < desc->min_rec_size || info.rec_size % 4)
		return bad(b->d, BBPF_BAD_BTF_EXT_RECORD, b->file_off, 0);
	info.sec_cnt = count_secs(b, info.rec_size, &info.rec_cnt, &hdr_err);
	info.secs = bbpf_arena_calloc(arena, info.sec_cnt, sizeof(*info.secs));
	/* Records stay in place when they already are what the kernel takes. */
	in_place = !b->swap && info.rec_size == desc->out_size && (uintptr_t)b->buf % 4 == 0;
	if (!in_place)
		recs = bbpf_arena_calloc(arena, info.rec_cnt, desc->out_size);
	if (!info.secs || (!in_place && !recs))
		return -ENOMEM;
	err = walk_recs(b, info.rec_size, &info, recs);
	if (err || hdr_err)
		return err ? err : hdr_err;
	*out = info;
	return 0;
}

int bbpf_btf_ext_parse(struct bbpf_btf_ext *ext, const void *data, uint32_t len, bool swap,
		       const struct bbpf_btf *btf, struct bbpf_arena *arena,
		       struct bbpf_diag *diag)
{
	const uint8_t *p = data;
	struct bbpf_btf_ext res = { 0 };
	struct bbpf_btf_ext_info *outs[INFO_CNT] = {
		&res.func_info, &res.line_info, &res.core_relo,
	};
	/* off and len of each block, as in the input */
	struct { uint32_t blk[INFO_CNT][2]; } h = { 0 };
	uint32_t hdr_len, i, nblk;
	int err;

	if (!ext || !btf || !arena || (!data && len))
		return -EINVAL;
	/* magic u16, version u8, flags u8, hdr_len u32: read in place once there */
	if (len < 8 || load_u16(p, swap) != BTF_MAGIC)
		return bad(diag, BBPF_BAD_BTF_EXT_HEADER, 0, 0);
	hdr_len = load_u32(p + 4, swap);
	if (p[2] != BTF_VERSION)
		return bad(diag, BBPF_BAD_BTF_EXT_HEADER, 2, 0);
	if (p[3])
		return bad(diag, BBPF_BAD_BTF_EXT_HEADER, 3, 0);
	if (hdr_len < EXT_HDR_MIN_LEN || hdr_len > len)
		return bad(diag, BBPF_BAD_BTF_EXT_HEADER, 4, 0);
	/* A header longer than 32 bytes is a newer format; the rest is ignored. */
	nblk = hdr_len >= EXT_HDR_CORE_LEN ? 3 : 2;
	memcpy(h.blk, p + 8, nblk * 8);	/* inside hdr_len <= len */
	if (swap)
		bbpf_cursor_swap(h.blk, &"444444"[6 - 2 * nblk]);
	for (i = 0; i < nblk; i++) {
		uint64_t field = 8 + i * 8;

		if (!h.blk[i][1])
			continue;
		if (h.blk[i][0] % 4)
			return bad(diag, BBPF_BAD_BTF_EXT_HEADER, field, 0);
		if (!span_ok(h.blk[i][0], h.blk[i][1], len - hdr_len))
			return bad(diag, BBPF_BAD_BTF_EXT_HEADER, field + 4, 0);
	}
	for (i = 0; i < nblk; i++) {
		struct block b = {
			.kind = (enum info_kind)i,
			/* Offsets of empty blocks are unchecked: do not form them. */
			.buf = h.blk[i][1] ? (const uint8_t *)data + hdr_len + h.blk[i][0] : data,
			.len = h.blk[i][1],
			.file_off = (uint64_t)hdr_len + h.blk[i][0],
			.swap = swap,
			.btf = btf,
			.d = diag,
		};

		err = parse_block(&b, arena, outs[i]);
		if (err)
			return err;
	}
	*ext = res;
	return 0;
}

const struct bbpf_btf_ext_sec *bbpf_btf_ext_find(const struct bbpf_btf_ext_info *info,
						 const char *sec_name)
{
	uint32_t i;

	if (!info || !sec_name)
		return NULL;
	for (i = 0; i < info->sec_cnt; i++) {
		if (strcmp(info->secs[i].sec_name, sec_name) == 0)
			return &info->secs[i];
	}
	return NULL;
}

uint32_t bbpf_btf_ext_lower_bound(const struct bbpf_btf_ext_sec *s, size_t rec_size, uint64_t off)
{
	uint32_t lo = 0, hi, mid, v;

	if (!s || !s->sorted || !s->cnt)
		return 0;
	hi = s->cnt;
	/* a block of one function (the usual one): at either end, no search */
	memcpy(&v, s->recs, sizeof(v));
	if (v >= off)
		return 0;
	memcpy(&v, (const uint8_t *)s->recs + (size_t)(hi - 1) * rec_size, sizeof(v));
	if (v < off)
		return hi;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		memcpy(&v, (const uint8_t *)s->recs + (size_t)mid * rec_size, sizeof(v));
		if (v < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
