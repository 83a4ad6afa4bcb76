/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user-space CO-RE engine (src/relo/core*.c): local and target BTFs
 * built with btf_builder, one relocation at a time on hand-written
 * instructions, every patched instruction checked field by field against
 * values worked out by hand from libbpf's rules (comments give the
 * arithmetic). The fixtures relocated against the running kernel's BTF and
 * compared with libbpf: tests/diff/test_core_libbpf.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "obj/object_int.h"
#include "relo/relo.h"
#include "relo/core.h"
#include "btf_builder.h"


/* ---- instructions ---- */

#define LDX(sz, dst, src, o) \
	((struct bpf_insn){ .code = BPF_LDX | BPF_MEM | (sz), .dst_reg = (dst), .src_reg = (src), .off = (o) })
#define ALU64_IMM(op, dst, v) \
	((struct bpf_insn){ .code = BPF_ALU64 | (op) | BPF_K, .dst_reg = (dst), .imm = (v) })
#define ALU32_IMM(op, dst, v) \
	((struct bpf_insn){ .code = BPF_ALU | (op) | BPF_K, .dst_reg = (dst), .imm = (v) })
#define LD64_LO(dst, v) \
	((struct bpf_insn){ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = (dst), \
			    .imm = (int32_t)(uint32_t)(uint64_t)(v) })
#define LD64_HI(v) ((struct bpf_insn){ .imm = (int32_t)(uint32_t)((uint64_t)(v) >> 32) })
#define EXIT ((struct bpf_insn){ .code = BPF_JMP | BPF_EXIT })
#define POISON_CODE (BPF_JMP | BPF_CALL)

/* ---- harness ---- */

struct logbuf {
	char text[1 << 16];
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct logbuf *lb = ctx;
	size_t n = strlen(lb->text);

	(void)level;
	snprintf(lb->text + n, sizeof(lb->text) - n, "%s\n", msg);
}

struct t {
	struct bbpf_arena arena;
	struct bb_btf lb, tb, mb;	/* local, target (vmlinux), module */
	struct bbpf_btf local, targ, mod;
	uint8_t *raw[3];
	struct bbpf_core_cache cache;
	struct bbpf_core_scratch scratch;
	struct bbpf_core_res res;
	struct bbpf_diag diag;
	struct logbuf lbuf;
	struct bbpf_log log;
	int hook_calls;
	/* common local/target types */
	uint32_t l_u32, l_int, t_u32, t_int, t_long, t_u64, t_u16;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	bbpf_arena_init(&t->arena, &bbpf_alloc_libc, (size_t)1 << 28);
	bb_btf_init(&t->lb);
	bb_btf_init(&t->tb);
	t->log = (struct bbpf_log){ .fn = log_cb, .ctx = &t->lbuf };
	t->l_u32 = bb_btf_add_int(&t->lb, "unsigned int", 4, 0, 32);
	t->l_int = bb_btf_add_int(&t->lb, "int", 4, BTF_INT_SIGNED, 32);
	t->t_u32 = bb_btf_add_int(&t->tb, "unsigned int", 4, 0, 32);
	t->t_int = bb_btf_add_int(&t->tb, "int", 4, BTF_INT_SIGNED, 32);
	t->t_long = bb_btf_add_int(&t->tb, "long", 8, BTF_INT_SIGNED, 64);
	t->t_u64 = bb_btf_add_int(&t->tb, "unsigned long", 8, 0, 64);
	t->t_u16 = bb_btf_add_int(&t->tb, "unsigned short", 2, 0, 16);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	int i;

	for (i = 0; i < 3; i++)
		free(t->raw[i]);
	bb_btf_free(&t->lb);
	bb_btf_free(&t->tb);
	bb_btf_free(&t->mb);
	bbpf_arena_free(&t->arena);
	free(t);
	return 0;
}

static void parse(struct t *t, int i, struct bb_btf *b, struct bbpf_btf *out,
		  const struct bbpf_btf *base)
{
	uint32_t len;
	struct bbpf_diag d = { 0 };

	t->raw[i] = bb_btf_raw(b, false, &len);
	assert_non_null(t->raw[i]);
	assert_int_equal(bbpf_btf_parse_raw(out, t->raw[i], len, base, &t->arena, &d), 0);
}

/* Parse local and target; the cache searches modules (added later, if any). */
static void finish(struct t *t)
{
	parse(t, 0, &t->lb, &t->local, NULL);
	parse(t, 1, &t->tb, &t->targ, NULL);
	bbpf_core_cache_init(&t->cache, &t->targ, true, &t->arena);
}

/* Relocate insns[idx] for (type_id, access, kind) of the local BTF. */
static int relo(struct t *t, uint32_t type_id, uint32_t acc_off, uint32_t kind,
		struct bpf_insn *insns, uint32_t cnt, uint32_t idx)
{
	struct bpf_core_relo r = { .insn_off = idx * 8, .type_id = type_id,
				   .access_str_off = acc_off, .kind = kind };
	struct bbpf_core_cand cands[16];
	const struct bbpf_core_cand *cc = NULL;
	uint32_t n = 0;
	int err;

	t->diag = (struct bbpf_diag){ 0 };
	if (kind != BPF_CORE_TYPE_ID_LOCAL) {
		err = bbpf_core_find_cands(&t->cache, &t->local, type_id, &cc, &n);
		if (err)
			return err;
		assert_true(n <= 16);
		if (n)
			memcpy(cands, cc, n * sizeof(*cc));
	}
	err = bbpf_core_calc_relo("p", &r, 0, &t->local, cands, &n, &t->scratch, &t->res, &t->log,
				  &t->diag);
	if (err)
		return err;
	return bbpf_core_patch_insn("p", insns, cnt, idx, &r, 0, &t->res, &t->log, &t->diag);
}

static void assert_insn(const struct bpf_insn *i, uint8_t code, uint8_t dst, uint8_t src,
			int16_t off, int32_t imm)
{
	assert_int_equal(i->code, code);
	assert_int_equal(i->dst_reg, dst);
	assert_int_equal(i->src_reg, src);
	assert_int_equal(i->off, off);
	assert_int_equal(i->imm, imm);
}

static void assert_poisoned(const struct bpf_insn *i)
{
	assert_insn(i, POISON_CODE, 0, 0, 0, 0xbad2310);
}

/* One-instruction relocation on an ALU64 MOV with imm v0; returns the new imm. */
static int64_t mov_relo(struct t *t, uint32_t type_id, uint32_t acc, uint32_t kind, int32_t v0)
{
	struct bpf_insn in[2] = { ALU64_IMM(BPF_MOV, 1, v0), EXIT };
	int err = relo(t, type_id, acc, kind, in, 2, 0);

	if (err)
		return err - 1000000;	/* distinct from any value under test */
	assert_int_equal(in[0].code, BPF_ALU64 | BPF_MOV | BPF_K);
	return in[0].imm;
}

/* ---- essential names ---- */

static void test_essential_name(void **state)
{
	(void)state;
	assert_int_equal(bbpf_core_essential_name_len("foo"), 3);
	assert_int_equal(bbpf_core_essential_name_len("foo___v2"), 3);
	/* From the LAST separator, as libbpf. */
	assert_int_equal(bbpf_core_essential_name_len("a___b___c"), 5);
	/* A separator needs a non-underscore on both sides. */
	assert_int_equal(bbpf_core_essential_name_len("foo___"), 6);
	assert_int_equal(bbpf_core_essential_name_len("foo____bar"), 10);
	assert_int_equal(bbpf_core_essential_name_len("___foo"), 6);
	assert_int_equal(bbpf_core_essential_name_len("_a___b"), 2);
	assert_int_equal(bbpf_core_essential_name_len("a___b"), 1);
	assert_int_equal(bbpf_core_essential_name_len("a__b"), 4);
	assert_int_equal(bbpf_core_essential_name_len(""), 0);
	assert_int_equal(bbpf_core_essential_name_len("task_struct___x___"), 11);
}

/* ---- fields ---- */

/*
 * local:  struct foo { u32 a; u32 b; }                  a@0 b@4
 * target: struct foo { long pad; u32 b; u32 a; }       b@8 a@12
 */
static void test_moved(void **state)
{
	struct t *t = *state;
	uint32_t lfoo, acc_a, acc_b;
	struct bpf_insn in[4] = { LDX(BPF_W, 1, 2, 4), LDX(BPF_W, 3, 2, 0),
				  ALU64_IMM(BPF_ADD, 2, 4), EXIT };

	lfoo = bb_btf_add_struct(&t->lb, "foo", 8, false);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 0);
	bb_btf_add_member(&t->lb, "b", t->l_u32, 32);
	acc_a = bb_btf_str(&t->lb, "0:0");
	acc_b = bb_btf_str(&t->lb, "0:1");
	bb_btf_add_struct(&t->tb, "foo", 16, false);
	bb_btf_add_member(&t->tb, "pad", t->t_long, 0);
	bb_btf_add_member(&t->tb, "b", t->t_u32, 64);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 96);
	finish(t);

	assert_int_equal(relo(t, lfoo, acc_b, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 0), 0);
	assert_insn(&in[0], BPF_LDX | BPF_MEM | BPF_W, 1, 2, 8, 0);
	assert_int_equal(relo(t, lfoo, acc_a, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 1), 0);
	assert_insn(&in[1], BPF_LDX | BPF_MEM | BPF_W, 3, 2, 12, 0);
	/* &p->b as an ALU add of the offset. */
	assert_int_equal(relo(t, lfoo, acc_b, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 2), 0);
	assert_insn(&in[2], BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, 8);
	assert_int_equal(mov_relo(t, lfoo, acc_b, BPF_CORE_FIELD_BYTE_SIZE, 4), 4);
	assert_int_equal(mov_relo(t, lfoo, acc_a, BPF_CORE_FIELD_EXISTS, 1), 1);
	assert_non_null(strstr(t->lbuf.text, "patched insn #0 (LDX/ST/STX) off 4 -> 8"));
	assert_non_null(strstr(t->lbuf.text, "<byte_off> [3] struct foo.b (0:1 @ offset 4)"));

	/* The instruction must hold the local value; anything else is malformed. */
	in[3] = LDX(BPF_W, 1, 2, 6);
	assert_int_equal(relo(t, lfoo, acc_b, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 3), -EBADMSG);
	assert_int_equal(t->diag.why, BBPF_BAD_OBJ_RELO);
}

/*
 * local:  struct foo { u32 a; u32 gone; }
 * target: struct foo { u32 a; u32 renamed; }
 * No target has "gone": offset relocations poison, exists reads 0.
 */
static void test_renamed_missing(void **state)
{
	struct t *t = *state;
	uint32_t lfoo, lnone, acc_a, acc_g, acc0;
	struct bpf_insn in[4] = { LDX(BPF_W, 1, 2, 4), LDX(BPF_W, 1, 2, 0), EXIT, EXIT };

	lfoo = bb_btf_add_struct(&t->lb, "foo", 8, false);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 0);
	bb_btf_add_member(&t->lb, "gone", t->l_u32, 32);
	lnone = bb_btf_add_struct(&t->lb, "no_such", 4, false);
	bb_btf_add_member(&t->lb, "x", t->l_u32, 0);
	acc_a = bb_btf_str(&t->lb, "0:0");
	acc_g = bb_btf_str(&t->lb, "0:1");
	acc0 = bb_btf_str(&t->lb, "0");
	bb_btf_add_struct(&t->tb, "foo", 8, false);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 0);
	bb_btf_add_member(&t->tb, "renamed", t->t_u32, 32);
	finish(t);

	assert_int_equal(relo(t, lfoo, acc_g, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 0), 0);
	assert_true(t->res.poison);
	assert_poisoned(&in[0]);
	assert_int_equal(relo(t, lfoo, acc_a, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 1), 0);
	assert_insn(&in[1], BPF_LDX | BPF_MEM | BPF_W, 1, 2, 0, 0);
	assert_int_equal(mov_relo(t, lfoo, acc_g, BPF_CORE_FIELD_EXISTS, 1), 0);
	assert_int_equal(mov_relo(t, lfoo, acc_a, BPF_CORE_FIELD_EXISTS, 1), 1);
	/* An ALU use of a missing field poisons too. */
	{
		struct bpf_insn m[1] = { ALU64_IMM(BPF_MOV, 1, 4) };

		assert_int_equal(relo(t, lfoo, acc_g, BPF_CORE_FIELD_BYTE_SIZE, m, 1, 0), 0);
		assert_poisoned(&m[0]);
	}
	/* A type with no candidate at all. */
	assert_int_equal(mov_relo(t, lnone, acc_a, BPF_CORE_FIELD_EXISTS, 1), 0);
	assert_int_equal(mov_relo(t, lnone, acc0, BPF_CORE_TYPE_EXISTS, 1), 0);
	/* Type-based kinds are 0, not poisoned, without a target. */
	assert_int_equal(mov_relo(t, lnone, acc0, BPF_CORE_TYPE_SIZE, 4), 0);
	assert_false(t->res.poison);
	{
		struct bpf_insn m[1] = { LDX(BPF_W, 1, 2, 0) };

		assert_int_equal(relo(t, lnone, acc_a, BPF_CORE_FIELD_BYTE_OFFSET, m, 1, 0), 0);
		assert_poisoned(&m[0]);
	}
	assert_non_null(strstr(t->lbuf.text, "no matching targets found"));
	assert_non_null(strstr(t->lbuf.text, "substituting insn #0 w/ invalid insn"));
}

/*
 * local:  struct r { u32 x; int s; }                x@0 s@4
 * target: struct r { long pad; u64 x; long s; }     x@8 s@16
 */
static void test_resized(void **state)
{
	struct t *t = *state;
	uint32_t lr, acc_x, acc_s;
	struct bpf_insn in[4] = { LDX(BPF_W, 1, 2, 0), LDX(BPF_W, 3, 2, 4),
				  ALU64_IMM(BPF_ADD, 2, 4), EXIT };

	lr = bb_btf_add_struct(&t->lb, "r", 8, false);
	bb_btf_add_member(&t->lb, "x", t->l_u32, 0);
	bb_btf_add_member(&t->lb, "s", t->l_int, 32);
	acc_x = bb_btf_str(&t->lb, "0:0");
	acc_s = bb_btf_str(&t->lb, "0:1");
	bb_btf_add_struct(&t->tb, "r", 24, false);
	bb_btf_add_member(&t->tb, "pad", t->t_long, 0);
	bb_btf_add_member(&t->tb, "x", t->t_u64, 64);
	bb_btf_add_member(&t->tb, "s", t->t_long, 128);
	finish(t);

	/* Unsigned to unsigned: the load widens from W to DW. */
	assert_int_equal(relo(t, lr, acc_x, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 0), 0);
	assert_int_equal(t->res.orig_sz, 4);
	assert_int_equal(t->res.new_sz, 8);
	assert_insn(&in[0], BPF_LDX | BPF_MEM | BPF_DW, 1, 2, 8, 0);
	/* Signed: a resized load would read a wrong value, so it is poisoned. */
	assert_int_equal(relo(t, lr, acc_s, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 1), 0);
	assert_true(t->res.fail_memsz_adjust);
	assert_poisoned(&in[1]);
	assert_non_null(strstr(t->lbuf.text, "accesses field incorrectly"));
	/* ...but an ALU use of the same offset is fine. */
	assert_int_equal(relo(t, lr, acc_s, BPF_CORE_FIELD_BYTE_OFFSET, in, 4, 2), 0);
	assert_insn(&in[2], BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, 16);
	assert_int_equal(mov_relo(t, lr, acc_s, BPF_CORE_FIELD_BYTE_SIZE, 4), 8);
	assert_int_equal(mov_relo(t, lr, acc_s, BPF_CORE_FIELD_SIGNED, 1), 1);
	assert_int_equal(mov_relo(t, lr, acc_x, BPF_CORE_FIELD_SIGNED, 0), 0);
	/* Signedness is always validated: a wrong local value is malformed. */
	assert_int_equal(mov_relo(t, lr, acc_x, BPF_CORE_FIELD_SIGNED, 1), -EBADMSG - 1000000);
}

/*
 * Flavors: local "foo___v2" matches target "foo" and "foo___old" (both
 * candidates). local foo { u32 a; u32 z; }
 * target: foo { u32 a; } and foo___old { u32 a; u32 z; }: "a" agrees (0) in
 * both; "z" only matches foo___old (4), which prunes the list to it.
 */
static void test_flavors(void **state)
{
	struct t *t = *state;
	uint32_t lfoo, acc_a, acc_z, tfoo, told;
	struct bbpf_core_cand cands[4];
	const struct bbpf_core_cand *cc;
	struct bpf_core_relo r;
	uint32_t n;

	lfoo = bb_btf_add_struct(&t->lb, "foo___v2", 8, false);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 0);
	bb_btf_add_member(&t->lb, "z", t->l_u32, 32);
	acc_a = bb_btf_str(&t->lb, "0:0");
	acc_z = bb_btf_str(&t->lb, "0:1");
	tfoo = bb_btf_add_struct(&t->tb, "foo", 4, false);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 0);
	told = bb_btf_add_struct(&t->tb, "foo___old", 8, false);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 0);
	bb_btf_add_member(&t->tb, "z", t->t_u32, 32);
	bb_btf_add_struct(&t->tb, "foobar", 8, false);	/* not a flavor of foo */
	bb_btf_add_union(&t->tb, "foo", 8, false);	/* wrong kind */
	finish(t);

	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, lfoo, &cc, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cc[0].id, tfoo);
	assert_int_equal(cc[1].id, told);
	memcpy(cands, cc, sizeof(*cc) * n);

	r = (struct bpf_core_relo){ .type_id = lfoo, .access_str_off = acc_a,
				    .kind = BPF_CORE_FIELD_BYTE_OFFSET };
	assert_int_equal(bbpf_core_calc_relo("p", &r, 0, &t->local, cands, &n, &t->scratch, &t->res,
					     &t->log, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(t->res.new_val, 0);
	r.access_str_off = acc_z;
	r.insn_off = 8;
	assert_int_equal(bbpf_core_calc_relo("p", &r, 1, &t->local, cands, &n, &t->scratch, &t->res,
					     &t->log, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cands[0].id, told);
	assert_int_equal(t->res.new_val, 4);
	/* Through the harness (fresh candidate list) as well. */
	{
		struct bpf_insn in[1] = { LDX(BPF_W, 1, 2, 4) };

		assert_int_equal(relo(t, lfoo, acc_z, BPF_CORE_FIELD_BYTE_OFFSET, in, 1, 0), 0);
		assert_insn(&in[0], BPF_LDX | BPF_MEM | BPF_W, 1, 2, 4, 0);
	}
}

/* Two candidates that disagree: libbpf refuses ("ambiguity"). */
static void test_ambiguous(void **state)
{
	struct t *t = *state;
	uint32_t lfoo, acc_a, acc0;
	struct bpf_insn in[1] = { LDX(BPF_W, 1, 2, 0) };

	lfoo = bb_btf_add_struct(&t->lb, "foo", 4, false);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 0);
	acc_a = bb_btf_str(&t->lb, "0:0");
	acc0 = bb_btf_str(&t->lb, "0");
	bb_btf_add_struct(&t->tb, "foo", 4, false);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 0);
	bb_btf_add_struct(&t->tb, "foo___2", 8, false);
	bb_btf_add_member(&t->tb, "b", t->t_u32, 0);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 32);
	finish(t);

	assert_int_equal(relo(t, lfoo, acc_a, BPF_CORE_FIELD_BYTE_OFFSET, in, 1, 0), -EINVAL);
	assert_non_null(strstr(t->lbuf.text, "field offset ambiguity: 32 != 0"));
	/* Type ids differ too: two distinct target ids are ambiguous. */
	{
		struct bpf_insn m[2] = { LD64_LO(1, 0), LD64_HI(0) };

		assert_int_equal(relo(t, lfoo, acc0, BPF_CORE_TYPE_ID_TARGET, m, 2, 0), -EINVAL);
		assert_non_null(strstr(t->lbuf.text, "relocation decision ambiguity"));
	}
	/* Sizes agree? No: 4 vs 8, also ambiguous. */
	assert_int_equal(mov_relo(t, lfoo, acc0, BPF_CORE_TYPE_SIZE, 4), -EINVAL - 1000000);
	/* Existence agrees: both exist. */
	assert_int_equal(mov_relo(t, lfoo, acc0, BPF_CORE_TYPE_EXISTS, 1), 1);
}

/*
 * Bitfields (kind_flag members: offset = bitfield_size << 24 | bit_offset).
 * target struct bf (24 bytes):
 *   c: u32:20 @40  byte_sz 4, byte_off 40/8/4*4 = 4; 40+20-32 = 28 <= 32
 *                  lshift 64-28 = 36, rshift 64-20 = 44
 *   d: u16:5  @30  2: off 2, 35-16 = 19 > 16; 4: off 0, 35 > 32; 8: off 0, 35 <= 64
 *                  lshift 64-35 = 29, rshift 59
 *   e: int:4  @70  4: off 8, 74-64 = 10: lshift 54, rshift 60, signed
 *   f: u32:20 @110 4: off 12, 130-96 = 34 > 32; 8: off 8, 130-64 = 66 > 64: -E2BIG
 * local struct bf (8 bytes): c:20@10 d:5@30 e:4@35 f:20@40 (orig values only
 * validated for rshift and signed: 44, 59, 60, 44 and 0/1).
 */
static void test_bitfields(void **state)
{
	struct t *t = *state;
	uint32_t lbf, lu16, tbf, ac, ad, ae, af;

	(void)tbf;
	lu16 = bb_btf_add_int(&t->lb, "unsigned short", 2, 0, 16);
	lbf = bb_btf_add_struct(&t->lb, "bf", 8, true);
	bb_btf_add_member(&t->lb, "c", t->l_u32, (20u << 24) | 10);
	bb_btf_add_member(&t->lb, "d", lu16, (5u << 24) | 30);
	bb_btf_add_member(&t->lb, "e", t->l_int, (4u << 24) | 35);
	bb_btf_add_member(&t->lb, "f", t->l_u32, (20u << 24) | 40);
	ac = bb_btf_str(&t->lb, "0:0");
	ad = bb_btf_str(&t->lb, "0:1");
	ae = bb_btf_str(&t->lb, "0:2");
	af = bb_btf_str(&t->lb, "0:3");
	tbf = bb_btf_add_struct(&t->tb, "bf", 24, true);
	bb_btf_add_member(&t->tb, "d", t->t_u16, (5u << 24) | 30);
	bb_btf_add_member(&t->tb, "c", t->t_u32, (20u << 24) | 40);
	bb_btf_add_member(&t->tb, "e", t->t_int, (4u << 24) | 70);
	bb_btf_add_member(&t->tb, "f", t->t_u32, (20u << 24) | 110);
	finish(t);

	assert_int_equal(mov_relo(t, lbf, ac, BPF_CORE_FIELD_BYTE_OFFSET, 0), 4);
	assert_int_equal(mov_relo(t, lbf, ac, BPF_CORE_FIELD_BYTE_SIZE, 4), 4);
	assert_int_equal(mov_relo(t, lbf, ac, BPF_CORE_FIELD_LSHIFT_U64, 34), 36);
	assert_int_equal(mov_relo(t, lbf, ac, BPF_CORE_FIELD_RSHIFT_U64, 44), 44);
	assert_int_equal(mov_relo(t, lbf, ac, BPF_CORE_FIELD_SIGNED, 0), 0);

	assert_int_equal(mov_relo(t, lbf, ad, BPF_CORE_FIELD_BYTE_OFFSET, 0), 0);
	assert_int_equal(mov_relo(t, lbf, ad, BPF_CORE_FIELD_BYTE_SIZE, 8), 8);
	assert_int_equal(mov_relo(t, lbf, ad, BPF_CORE_FIELD_LSHIFT_U64, 29), 29);
	assert_int_equal(mov_relo(t, lbf, ad, BPF_CORE_FIELD_RSHIFT_U64, 59), 59);

	assert_int_equal(mov_relo(t, lbf, ae, BPF_CORE_FIELD_BYTE_OFFSET, 4), 8);
	assert_int_equal(mov_relo(t, lbf, ae, BPF_CORE_FIELD_BYTE_SIZE, 4), 4);
	assert_int_equal(mov_relo(t, lbf, ae, BPF_CORE_FIELD_LSHIFT_U64, 0), 54);
	assert_int_equal(mov_relo(t, lbf, ae, BPF_CORE_FIELD_RSHIFT_U64, 60), 60);
	assert_int_equal(mov_relo(t, lbf, ae, BPF_CORE_FIELD_SIGNED, 1), 1);

	/* Bitfield values are not validated (except rshift/signed): any local imm goes. */
	assert_int_equal(mov_relo(t, lbf, ad, BPF_CORE_FIELD_BYTE_OFFSET, 1234), 0);
	/* f cannot be read with one 64-bit load. */
	assert_int_equal(mov_relo(t, lbf, af, BPF_CORE_FIELD_BYTE_OFFSET, 4), -E2BIG - 1000000);
	assert_non_null(strstr(t->lbuf.text, "can't be satisfied for bitfield"));
}

/*
 * Shifts of a field that does not fit in the u64 they extract it from (found
 * by fuzz_core: libbpf's arithmetic wraps to ~2^32): -E2BIG, as for a
 * bitfield no load covers. struct w { u64 q; __int128 big; __int128 bf:100 }:
 * q gives lshift 0, rshift 0 (libbpf's values); big and bf are refused for
 * the shifts and keep their offset and size relocations.
 */
static void test_shift_wide(void **state)
{
	struct t *t = *state;
	uint32_t lw, lu64, l128, tu128, aq, abig, abf;

	lu64 = bb_btf_add_int(&t->lb, "unsigned long", 8, 0, 64);
	l128 = bb_btf_add_int(&t->lb, "__int128 unsigned", 16, 0, 128);
	lw = bb_btf_add_struct(&t->lb, "w", 48, true);
	bb_btf_add_member(&t->lb, "q", lu64, 0);
	bb_btf_add_member(&t->lb, "big", l128, 128);
	bb_btf_add_member(&t->lb, "bf", l128, (100u << 24) | 256);
	aq = bb_btf_str(&t->lb, "0:0");
	abig = bb_btf_str(&t->lb, "0:1");
	abf = bb_btf_str(&t->lb, "0:2");
	tu128 = bb_btf_add_int(&t->tb, "__int128 unsigned", 16, 0, 128);
	bb_btf_add_struct(&t->tb, "w", 48, true);
	bb_btf_add_member(&t->tb, "q", t->t_u64, 0);
	bb_btf_add_member(&t->tb, "big", tu128, 128);
	bb_btf_add_member(&t->tb, "bf", tu128, (100u << 24) | 256);
	finish(t);

	assert_int_equal(mov_relo(t, lw, aq, BPF_CORE_FIELD_LSHIFT_U64, 0), 0);
	assert_int_equal(mov_relo(t, lw, aq, BPF_CORE_FIELD_RSHIFT_U64, 0), 0);
	assert_int_equal(mov_relo(t, lw, abig, BPF_CORE_FIELD_BYTE_OFFSET, 16), 16);
	assert_int_equal(mov_relo(t, lw, abig, BPF_CORE_FIELD_BYTE_SIZE, 16), 16);
	assert_int_equal(mov_relo(t, lw, abig, BPF_CORE_FIELD_LSHIFT_U64, 0), -E2BIG - 1000000);
	assert_int_equal(mov_relo(t, lw, abig, BPF_CORE_FIELD_RSHIFT_U64, 0), -E2BIG - 1000000);
	assert_int_equal(mov_relo(t, lw, abf, BPF_CORE_FIELD_LSHIFT_U64, 0), -E2BIG - 1000000);
	assert_int_equal(mov_relo(t, lw, abf, BPF_CORE_FIELD_RSHIFT_U64, 0), -E2BIG - 1000000);
	assert_non_null(strstr(t->lbuf.text, "does not fit in the u64 it is shifted in"));
}

/*
 * Enums. local enum e { A = 1, B = 2, C = 3 }; target enum e (signed)
 * { B = 5, X = 7, A = -9 }: values by name; A is sign-extended to 64 bits.
 * local enum e2___x { A___y = 1 } matches target enum e2 { A = 4 }.
 */
static void test_enums(void **state)
{
	struct t *t = *state;
	uint32_t le, le2, acc0, acc1, acc2;
	struct bpf_insn in[3] = { LD64_LO(1, 1), LD64_HI(1), EXIT };
	struct bpf_insn pc[2] = { LD64_LO(1, 3), LD64_HI(3) };

	le = bb_btf_add_enum(&t->lb, "e", 4, false);
	bb_btf_add_enum_val(&t->lb, "A", 1);
	bb_btf_add_enum_val(&t->lb, "B", 2);
	bb_btf_add_enum_val(&t->lb, "C", 3);
	le2 = bb_btf_add_enum(&t->lb, "e2___x", 4, false);
	bb_btf_add_enum_val(&t->lb, "A___y", 1);
	acc0 = bb_btf_str(&t->lb, "0");
	acc1 = bb_btf_str(&t->lb, "1");
	acc2 = bb_btf_str(&t->lb, "2");
	bb_btf_add_enum(&t->tb, "e", 4, true);
	bb_btf_add_enum_val(&t->tb, "B", 5);
	bb_btf_add_enum_val(&t->tb, "X", 7);
	bb_btf_add_enum_val(&t->tb, "A", -9);
	bb_btf_add_enum(&t->tb, "e2", 4, false);
	bb_btf_add_enum_val(&t->tb, "A", 4);
	finish(t);

	assert_int_equal(relo(t, le, acc0, BPF_CORE_ENUMVAL_VALUE, in, 3, 0), 0);
	assert_insn(&in[0], BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, -9);
	assert_insn(&in[1], 0, 0, 0, 0, -1);
	assert_int_equal(t->res.new_val, (uint64_t)-9);
	assert_int_equal(mov_relo(t, le, acc1, BPF_CORE_ENUMVAL_VALUE, 2), 5);
	assert_int_equal(mov_relo(t, le, acc1, BPF_CORE_ENUMVAL_EXISTS, 1), 1);
	assert_int_equal(mov_relo(t, le, acc2, BPF_CORE_ENUMVAL_EXISTS, 1), 0);
	/* The value of a missing enumerator poisons both halves of the ld_imm64. */
	assert_int_equal(relo(t, le, acc2, BPF_CORE_ENUMVAL_VALUE, pc, 2, 0), 0);
	assert_poisoned(&pc[0]);
	assert_poisoned(&pc[1]);
	assert_int_equal(mov_relo(t, le2, acc0, BPF_CORE_ENUMVAL_VALUE, 1), 4);
	assert_non_null(strstr(t->lbuf.text, "<enumval_value> [3] enum e::A = 1"));
	assert_non_null(strstr(t->lbuf.text, "enum e::A = -9"));
}

/*
 * ENUM64: local enum64 w { BIG = 0x123456789 } vs target enum64 w
 * { ZZ = 1, BIG = 0xfedcba9876543210 }; and a local 32-bit enum k { K1 = 1 }
 * against a target enum64 k { K1 = 1 << 32 } (ENUM and ENUM64 are
 * candidates for each other).
 */
static void test_enum64(void **state)
{
	struct t *t = *state;
	uint32_t lw, lk, acc0;
	struct bpf_insn in[2] = { LD64_LO(2, 0x123456789ull), LD64_HI(0x123456789ull) };
	struct bpf_insn ik[2] = { LD64_LO(2, 1), LD64_HI(1) };

	lw = bb_btf_add_enum64(&t->lb, "w", 8, false);
	bb_btf_add_enum64_val(&t->lb, "BIG", 0x123456789ull);
	lk = bb_btf_add_enum(&t->lb, "k", 4, false);
	bb_btf_add_enum_val(&t->lb, "K1", 1);
	acc0 = bb_btf_str(&t->lb, "0");
	bb_btf_add_enum64(&t->tb, "w", 8, false);
	bb_btf_add_enum64_val(&t->tb, "ZZ", 1);
	bb_btf_add_enum64_val(&t->tb, "BIG", 0xfedcba9876543210ull);
	bb_btf_add_enum64(&t->tb, "k", 8, false);
	bb_btf_add_enum64_val(&t->tb, "K1", 1ull << 32);
	finish(t);

	assert_int_equal(relo(t, lw, acc0, BPF_CORE_ENUMVAL_VALUE, in, 2, 0), 0);
	assert_insn(&in[0], BPF_LD | BPF_IMM | BPF_DW, 2, 0, 0, (int32_t)0x76543210);
	assert_insn(&in[1], 0, 0, 0, 0, (int32_t)0xfedcba98);
	assert_int_equal(mov_relo(t, lw, acc0, BPF_CORE_ENUMVAL_EXISTS, 1), 1);
	assert_int_equal(relo(t, lk, acc0, BPF_CORE_ENUMVAL_VALUE, ik, 2, 0), 0);
	assert_insn(&ik[0], BPF_LD | BPF_IMM | BPF_DW, 2, 0, 0, 0);
	assert_insn(&ik[1], 0, 0, 0, 0, 1);
	/* Type matches: enum sizes must agree (4 vs 8), enum64 vs enum64 does. */
	assert_int_equal(mov_relo(t, lk, acc0, BPF_CORE_TYPE_MATCHES, 1), 0);
	assert_int_equal(mov_relo(t, lw, acc0, BPF_CORE_TYPE_MATCHES, 1), 1);
}

/*
 * Arrays of structs, access "0:1:2:1" = s->arr[2].b.
 * local:  struct p { int a; int b; } (8); struct s { int x; struct p arr[4]; }
 *         offset 4 + 2*8 + 4 = 24
 * target: struct p { int z; int b; int a; } (12);
 *         struct s { long pad; int x; struct p arr[8]; }
 *         offset 12 + 2*12 + 4 = 40
 */
static void test_array_of_structs(void **state)
{
	struct t *t = *state;
	uint32_t lp, la, ls, tp, ta, tsmall, acc, acc_el, acc_oob;
	struct bpf_insn in[3] = { LDX(BPF_W, 1, 2, 24), ALU64_IMM(BPF_ADD, 2, 20), EXIT };

	lp = bb_btf_add_struct(&t->lb, "p", 8, false);
	bb_btf_add_member(&t->lb, "a", t->l_int, 0);
	bb_btf_add_member(&t->lb, "b", t->l_int, 32);
	la = bb_btf_add_array(&t->lb, lp, t->l_int, 4);
	ls = bb_btf_add_struct(&t->lb, "s", 36, false);
	bb_btf_add_member(&t->lb, "x", t->l_int, 0);
	bb_btf_add_member(&t->lb, "arr", la, 32);
	acc = bb_btf_str(&t->lb, "0:1:2:1");
	acc_el = bb_btf_str(&t->lb, "0:1:2");
	acc_oob = bb_btf_str(&t->lb, "0:1:5:1");
	tp = bb_btf_add_struct(&t->tb, "p", 12, false);
	bb_btf_add_member(&t->tb, "z", t->t_int, 0);
	bb_btf_add_member(&t->tb, "b", t->t_int, 32);
	bb_btf_add_member(&t->tb, "a", t->t_int, 64);
	ta = bb_btf_add_array(&t->tb, tp, t->t_int, 8);
	bb_btf_add_struct(&t->tb, "s", 112, false);
	bb_btf_add_member(&t->tb, "pad", t->t_long, 0);
	bb_btf_add_member(&t->tb, "x", t->t_int, 64);
	bb_btf_add_member(&t->tb, "arr", ta, 96);
	tsmall = bb_btf_add_array(&t->tb, tp, t->t_int, 2);
	(void)tsmall;
	finish(t);

	assert_int_equal(relo(t, ls, acc, BPF_CORE_FIELD_BYTE_OFFSET, in, 3, 0), 0);
	assert_insn(&in[0], BPF_LDX | BPF_MEM | BPF_W, 1, 2, 40, 0);
	assert_int_equal(t->scratch.targ.raw_len, 4);
	/* The element itself: offset 12 + 24 = 36, size 12. */
	assert_int_equal(relo(t, ls, acc_el, BPF_CORE_FIELD_BYTE_OFFSET, in, 3, 1), 0);
	assert_insn(&in[1], BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, 36);
	assert_int_equal(mov_relo(t, ls, acc_el, BPF_CORE_FIELD_BYTE_SIZE, 8), 12);
	/* An index outside the local array is a malformed record. */
	assert_int_equal(mov_relo(t, ls, acc_oob, BPF_CORE_FIELD_BYTE_OFFSET, 0),
			 -EBADMSG - 1000000);
	assert_non_null(strstr(t->lbuf.text, "[5] struct s.arr[2].b (0:1:2:1 @ offset 24)"));
	assert_non_null(strstr(t->lbuf.text, "[8] struct s.arr[2].b (0:2:2:1 @ offset 40)"));
}

/* Index 5 fits the local arr[8] but not the target's arr[2]: no match, poison. */
static void test_array_too_small(void **state)
{
	struct t *t = *state;
	uint32_t la, ls, ta, acc;
	struct bpf_insn in[1] = { LDX(BPF_W, 1, 2, 24) };

	la = bb_btf_add_array(&t->lb, t->l_int, t->l_int, 8);
	ls = bb_btf_add_struct(&t->lb, "s", 36, false);
	bb_btf_add_member(&t->lb, "x", t->l_int, 0);
	bb_btf_add_member(&t->lb, "arr", la, 32);
	acc = bb_btf_str(&t->lb, "0:1:5");
	ta = bb_btf_add_array(&t->tb, t->t_int, t->t_int, 2);
	bb_btf_add_struct(&t->tb, "s", 12, false);
	bb_btf_add_member(&t->tb, "x", t->t_int, 0);
	bb_btf_add_member(&t->tb, "arr", ta, 32);
	finish(t);

	assert_int_equal(relo(t, ls, acc, BPF_CORE_FIELD_BYTE_OFFSET, in, 1, 0), 0);
	assert_poisoned(&in[0]);
}

/*
 * Nested anonymous members.
 * target: struct t { int a; union { int x; struct { u16 lo; u16 hi; }; }; }
 *         hi: raw spec 0:1:1:1, 4 + 0 + 2 = 6, u16
 * local:  struct t { u32 hi; }: LDX W off 0 becomes LDX H off 6.
 */
static void test_anon_members(void **state)
{
	struct t *t = *state;
	uint32_t lt, acc, tin, tun;
	struct bpf_insn in[1] = { LDX(BPF_W, 1, 2, 0) };

	lt = bb_btf_add_struct(&t->lb, "t", 4, false);
	bb_btf_add_member(&t->lb, "hi", t->l_u32, 0);
	acc = bb_btf_str(&t->lb, "0:0");
	tin = bb_btf_add_struct(&t->tb, NULL, 4, false);
	bb_btf_add_member(&t->tb, "lo", t->t_u16, 0);
	bb_btf_add_member(&t->tb, "hi", t->t_u16, 16);
	tun = bb_btf_add_union(&t->tb, NULL, 4, false);
	bb_btf_add_member(&t->tb, "x", t->t_int, 0);
	bb_btf_add_member(&t->tb, NULL, tin, 0);
	bb_btf_add_struct(&t->tb, "t", 8, false);
	bb_btf_add_member(&t->tb, "a", t->t_int, 0);
	bb_btf_add_member(&t->tb, NULL, tun, 32);
	finish(t);

	assert_int_equal(relo(t, lt, acc, BPF_CORE_FIELD_BYTE_OFFSET, in, 1, 0), 0);
	assert_insn(&in[0], BPF_LDX | BPF_MEM | BPF_H, 1, 2, 6, 0);
	assert_int_equal(t->scratch.targ.raw_len, 4);
	assert_int_equal(t->scratch.targ.raw[1], 1);
	assert_int_equal(t->scratch.targ.raw[2], 1);
	assert_int_equal(t->scratch.targ.raw[3], 1);
	assert_int_equal(t->scratch.targ.len, 2);	/* root and "hi" */
	assert_non_null(strstr(t->lbuf.text, "patched insn #0 (LDX/ST/STX) mem_sz 4 -> 2"));
}

/* Type-based kinds: local/target id, exists, size, matches. */
static void test_type_kinds(void **state)
{
	struct t *t = *state;
	uint32_t lfoo, lm, ln, ltd, acc0, tfoo, ttd;
	struct bpf_insn in[2] = { LD64_LO(1, 0), LD64_HI(0) };
	struct bpf_insn il[2];

	lfoo = bb_btf_add_struct(&t->lb, "foo", 4, false);
	bb_btf_add_member(&t->lb, "b", t->l_u32, 0);
	lm = bb_btf_add_struct(&t->lb, "foo___m", 8, false);
	bb_btf_add_member(&t->lb, "b", t->l_u32, 0);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 32);
	ln = bb_btf_add_struct(&t->lb, "foo___n", 4, false);
	bb_btf_add_member(&t->lb, "b", t->l_int, 0);	/* signedness differs */
	ltd = bb_btf_add_typedef(&t->lb, "u32_t", t->l_u32);
	acc0 = bb_btf_str(&t->lb, "0");
	tfoo = bb_btf_add_struct(&t->tb, "foo", 16, false);
	bb_btf_add_member(&t->tb, "pad", t->t_long, 0);
	bb_btf_add_member(&t->tb, "b", t->t_u32, 64);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 96);
	ttd = bb_btf_add_typedef(&t->tb, "u32_t", t->t_u32);
	finish(t);

	assert_int_equal(relo(t, lfoo, acc0, BPF_CORE_TYPE_ID_TARGET, in, 2, 0), 0);
	assert_insn(&in[0], BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, (int32_t)tfoo);
	assert_insn(&in[1], 0, 0, 0, 0, 0);
	il[0] = LD64_LO(1, 77);	/* stale local id: not validated */
	il[1] = LD64_HI(77);
	assert_int_equal(relo(t, lm, acc0, BPF_CORE_TYPE_ID_LOCAL, il, 2, 0), 0);
	assert_int_equal(il[0].imm, (int32_t)lm);
	assert_int_equal(mov_relo(t, lfoo, acc0, BPF_CORE_TYPE_EXISTS, 1), 1);
	assert_int_equal(mov_relo(t, lfoo, acc0, BPF_CORE_TYPE_SIZE, 4), 16);
	/* type_matches: foo___m's members all exist with matching types. */
	assert_int_equal(mov_relo(t, lm, acc0, BPF_CORE_TYPE_MATCHES, 1), 1);
	assert_int_equal(mov_relo(t, ln, acc0, BPF_CORE_TYPE_MATCHES, 1), 0);
	/* type_exists is looser (compat): any struct named foo. */
	assert_int_equal(mov_relo(t, ln, acc0, BPF_CORE_TYPE_EXISTS, 1), 1);
	assert_int_equal(mov_relo(t, ltd, acc0, BPF_CORE_TYPE_SIZE, 4), 4);
	{
		struct bpf_insn m[2] = { LD64_LO(1, 0), LD64_HI(0) };

		assert_int_equal(relo(t, ltd, acc0, BPF_CORE_TYPE_ID_TARGET, m, 2, 0), 0);
		assert_int_equal(m[0].imm, (int32_t)ttd);
	}
}

/* The compatibility rules directly. */
static void test_compat_rules(void **state)
{
	struct t *t = *state;
	uint32_t lpv, lfp, lfn, lpi, tpv, tfp, tfn, tpi, larr, tarr, lfw, tst;

	lpv = bb_btf_add_ptr(&t->lb, 0);
	lfp = bb_btf_add_func_proto(&t->lb, t->l_int);
	bb_btf_add_param(&t->lb, "a", lpv);
	lfn = bb_btf_add_ptr(&t->lb, lfp);
	lpi = bb_btf_add_ptr(&t->lb, t->l_int);
	larr = bb_btf_add_array(&t->lb, t->l_u32, t->l_int, 3);
	lfw = bb_btf_add_fwd(&t->lb, "st", false);
	lfw = bb_btf_add_ptr(&t->lb, lfw);
	tpv = bb_btf_add_ptr(&t->tb, 0);
	tfp = bb_btf_add_func_proto(&t->tb, t->t_long);
	bb_btf_add_param(&t->tb, "b", tpv);
	tfn = bb_btf_add_ptr(&t->tb, tfp);
	tpi = bb_btf_add_ptr(&t->tb, t->t_long);
	tarr = bb_btf_add_array(&t->tb, t->t_u64, t->t_int, 9);
	tst = bb_btf_add_struct(&t->tb, "st", 4, false);
	bb_btf_add_member(&t->tb, "m", t->t_int, 0);
	tst = bb_btf_add_ptr(&t->tb, tst);
	finish(t);

	/* void * vs void *: void is kind 0 on both sides. */
	assert_int_equal(bbpf_core_types_are_compat(&t->local, lpv, &t->targ, tpv), 1);
	/* ints of any size and signedness are compatible, for prototypes too. */
	assert_int_equal(bbpf_core_types_are_compat(&t->local, lfn, &t->targ, tfn), 1);
	assert_int_equal(bbpf_core_types_are_compat(&t->local, lpi, &t->targ, tpi), 1);
	assert_int_equal(bbpf_core_types_are_compat(&t->local, larr, &t->targ, tarr), 1);
	assert_int_equal(bbpf_core_types_are_compat(&t->local, lpi, &t->targ, tfn), 0);
	/* match is stricter: int vs long differ in size. */
	assert_int_equal(bbpf_core_types_match(&t->local, lpi, &t->targ, tpi), 0);
	assert_int_equal(bbpf_core_types_match(&t->local, larr, &t->targ, tarr), 0);
	assert_int_equal(bbpf_core_types_match(&t->local, lpv, &t->targ, tpv), 1);
	/* Behind a pointer, a forward declaration matches the struct. */
	assert_int_equal(bbpf_core_types_match(&t->local, lfw, &t->targ, tst), 1);
}

/*
 * Split BTF: the base (vmlinux) lacks struct modfoo, a module has it.
 * Candidates come from the module, ids in the module's numbering; the
 * load_modules hook runs once, the first time vmlinux has no candidate.
 */
static int hook(void *ctx, struct bbpf_core_cache *c)
{
	struct t *t = ctx;

	t->hook_calls++;
	return bbpf_core_cache_add_module(c, &t->mod, "mod1");
}

static void test_split_module(void **state)
{
	struct t *t = *state;
	uint32_t lmf, lfoo, acc_q, acc0, tmf, tfoo;
	struct bpf_insn in[3] = { LDX(BPF_W, 1, 2, 0), LD64_LO(1, 0), LD64_HI(0) };
	const struct bbpf_core_cand *cc;
	uint32_t n, scans;

	lmf = bb_btf_add_struct(&t->lb, "modfoo", 4, false);
	bb_btf_add_member(&t->lb, "q", t->l_u32, 0);
	lfoo = bb_btf_add_struct(&t->lb, "foo", 4, false);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 0);
	acc_q = bb_btf_str(&t->lb, "0:0");
	acc0 = bb_btf_str(&t->lb, "0");
	tfoo = bb_btf_add_struct(&t->tb, "foo", 4, false);
	bb_btf_add_member(&t->tb, "a", t->t_u32, 0);
	finish(t);

	bb_btf_init_split(&t->mb, t->targ.type_cnt, t->targ.str_len);
	bb_btf_add_struct(&t->mb, "foo", 8, false);	/* vmlinux has foo: never used */
	bb_btf_add_member(&t->mb, "a", t->t_u32, 32);
	tmf = bb_btf_add_struct(&t->mb, "modfoo", 8, false);
	bb_btf_add_member(&t->mb, "a", t->t_u32, 0);
	bb_btf_add_member(&t->mb, "q", t->t_u32, 32);
	parse(t, 2, &t->mb, &t->mod, &t->targ);
	t->cache.load_modules = hook;
	t->cache.load_modules_ctx = t;

	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, lfoo, &cc, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(cc[0].btf, &t->targ);
	assert_int_equal(cc[0].id, tfoo);
	assert_int_equal(t->hook_calls, 0);

	assert_int_equal(relo(t, lmf, acc_q, BPF_CORE_FIELD_BYTE_OFFSET, in, 3, 0), 0);
	assert_insn(&in[0], BPF_LDX | BPF_MEM | BPF_W, 1, 2, 4, 0);
	assert_int_equal(t->hook_calls, 1);
	assert_int_equal(relo(t, lmf, acc0, BPF_CORE_TYPE_ID_TARGET, in, 3, 1), 0);
	assert_int_equal(in[1].imm, (int32_t)tmf);
	assert_true(tmf >= t->targ.type_cnt);
	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, lmf, &cc, &n), 0);
	assert_ptr_equal(cc[0].btf, &t->mod);
	/* Cached: no further passes, no further hook calls. */
	scans = t->cache.scan_cnt;
	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, lmf, &cc, &n), 0);
	assert_int_equal(t->cache.scan_cnt, scans);
	assert_int_equal(t->hook_calls, 1);
}

/* One pass over the target answers a batch of names; later lookups are free. */
static void test_cache_batch(void **state)
{
	struct t *t = *state;
	uint32_t ids[4], i;
	const struct bbpf_core_cand *cc;
	uint32_t n;

	ids[0] = bb_btf_add_struct(&t->lb, "a1", 4, false);
	ids[1] = bb_btf_add_struct(&t->lb, "b1___x", 4, false);
	ids[2] = bb_btf_add_enum(&t->lb, "e1", 4, false);
	ids[3] = bb_btf_add_struct(&t->lb, "absent", 4, false);
	bb_btf_add_struct(&t->tb, "a1", 4, false);
	bb_btf_add_struct(&t->tb, "b1", 4, false);
	bb_btf_add_enum64(&t->tb, "e1", 8, false);
	finish(t);

	assert_int_equal(bbpf_core_cache_prefetch(&t->cache, &t->local, ids, 4), 0);
	assert_int_equal(t->cache.scan_cnt, 1);
	for (i = 0; i < 4; i++) {
		assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, ids[i], &cc, &n), 0);
		assert_int_equal(n, i < 3 ? 1 : 0);
	}
	assert_int_equal(t->cache.scan_cnt, 1);
	/* Anonymous types cannot be searched (libbpf: -EINVAL). */
	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, t->l_u32 + 1000, &cc, &n),
			 -EINVAL);
}

/* A rider looking for a TYPEDEF and a FUNC by name (kern/kname.c's role). */
struct ride {
	uint32_t begin_calls, refilter_calls, end_calls, fn_calls;
	int end_err, fail;
	uint32_t max_seen;		/* highest id fn saw */
	uint32_t tp_id, func_id;	/* answers: first id of each */
};

/* The names not found yet: kinds and prefixes (both when none is found). */
static uint32_t ride_refilter(void *ctx, struct bbpf_btf_filter *f)
{
	struct ride *r = ctx;
	uint32_t kinds = 0;

	r->refilter_calls++;
	if (!r->tp_id) {
		bbpf_btf_filter_add_name(f, "btf_trace_x", 11);
		kinds |= 1u << BTF_KIND_TYPEDEF;
	}
	if (!r->func_id) {
		bbpf_btf_filter_add_name(f, "bpf_iter_x", 10);
		kinds |= 1u << BTF_KIND_FUNC;
	}
	f->kinds |= kinds;
	return kinds;
}

static uint32_t ride_begin(void *ctx, struct bbpf_btf_filter *f)
{
	struct ride *r = ctx;

	r->begin_calls++;
	r->refilter_calls--;
	return ride_refilter(ctx, f);
}

static int ride_fn(void *ctx, uint32_t id, const struct btf_type *t, const char *name)
{
	struct ride *r = ctx;
	uint32_t kind = bbpf_btf_kind(t);

	r->fn_calls++;
	assert_true(id > r->max_seen);	/* id order */
	r->max_seen = id;
	/* only the kinds still looked for */
	assert_true((kind == BTF_KIND_TYPEDEF && !r->tp_id) || (kind == BTF_KIND_FUNC && !r->func_id));
	if (r->fail)
		return r->fail;
	if (kind == BTF_KIND_TYPEDEF && !strcmp(name, "btf_trace_x")) {
		r->tp_id = id;
		return BBPF_CORE_RIDER_NARROWED;
	}
	if (kind == BTF_KIND_FUNC && !strcmp(name, "bpf_iter_x")) {
		r->func_id = id;
		return BBPF_CORE_RIDER_NARROWED;
	}
	return 0;
}

static void ride_end(void *ctx, int err)
{
	struct ride *r = ctx;

	r->end_calls++;
	r->end_err = err;
}

/*
 * One pass over vmlinux answers the candidates and the rider's names; a
 * kind the rider no longer looks for leaves the walk's filter (it never
 * sees another TYPEDEF once btf_trace_x is found, nor anything once both
 * are), and the candidates after those points are still found.
 */
static void test_cache_rider(void **state)
{
	struct t *t = *state;
	struct ride r = { 0 };
	const struct bbpf_core_rider rider = { .begin = ride_begin, .refilter = ride_refilter,
					       .fn = ride_fn, .end = ride_end, .ctx = &r };
	uint32_t ids[2], proto, tp, fn, a1, late;
	const struct bbpf_core_cand *cc;
	uint32_t n;

	ids[0] = bb_btf_add_struct(&t->lb, "a1", 4, false);
	ids[1] = bb_btf_add_struct(&t->lb, "late", 4, false);
	a1 = bb_btf_add_struct(&t->tb, "a1", 4, false);
	bb_btf_add_typedef(&t->tb, "bpf_other", t->t_int);	/* passes the two-byte filter */
	tp = bb_btf_add_typedef(&t->tb, "btf_trace_x", t->t_int);
	bb_btf_add_typedef(&t->tb, "bpf_iter_x", t->t_int);	/* a TYPEDEF no longer asked for */
	proto = bb_btf_add_func_proto(&t->tb, t->t_int);
	fn = bb_btf_add_func(&t->tb, "bpf_iter_x", proto, 0);
	bb_btf_add_func(&t->tb, "bpf_iter_x", proto, 0);	/* not the lowest id */
	bb_btf_add_typedef(&t->tb, "btf_trace_y", t->t_int);	/* after the rider is done */
	late = bb_btf_add_struct(&t->tb, "late", 4, false);
	finish(t);
	t->cache.rider = &rider;

	assert_int_equal(bbpf_core_cache_prefetch(&t->cache, &t->local, ids, 2), 0);
	assert_int_equal(t->cache.scan_cnt, 1);
	assert_int_equal(r.begin_calls, 1);
	assert_int_equal(r.refilter_calls, 2);
	assert_int_equal(r.end_calls, 1);
	assert_int_equal(r.end_err, 0);
	assert_int_equal(r.tp_id, tp);
	assert_int_equal(r.func_id, fn);
	assert_int_equal(r.max_seen, fn);	/* nothing after the answer that completed it */
	assert_int_equal(r.fn_calls, 3);	/* bpf_other, btf_trace_x, bpf_iter_x */
	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, ids[0], &cc, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cc[0].id, a1);
	assert_int_equal(bbpf_core_find_cands(&t->cache, &t->local, ids[1], &cc, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cc[0].id, late);
	assert_int_equal(t->cache.scan_cnt, 1);
}

/* A rider's error stops the pass and fails the search; end is told. */
static void test_cache_rider_error(void **state)
{
	struct t *t = *state;
	struct ride r = { .fail = -EIO };
	const struct bbpf_core_rider rider = { .begin = ride_begin, .refilter = ride_refilter,
					       .fn = ride_fn, .end = ride_end, .ctx = &r };
	uint32_t id;

	id = bb_btf_add_struct(&t->lb, "a1", 4, false);
	bb_btf_add_typedef(&t->tb, "btf_trace_x", t->t_int);
	bb_btf_add_struct(&t->tb, "a1", 4, false);
	finish(t);
	t->cache.rider = &rider;
	assert_int_equal(bbpf_core_cache_prefetch(&t->cache, &t->local, &id, 1), -EIO);
	assert_int_equal(r.fn_calls, 1);
	assert_int_equal(r.end_calls, 1);
	assert_int_equal(r.end_err, -EIO);
}

/* Instruction forms the patcher refuses, and offsets that do not fit. */
static void test_patch_errors(void **state)
{
	struct t *t = *state;
	uint32_t lb, acc;
	struct bpf_insn x[1] = { { .code = BPF_ALU64 | BPF_ADD | BPF_X, .dst_reg = 1, .src_reg = 2 } };
	struct bpf_insn j[1] = { { .code = BPF_JMP | BPF_JA } };
	struct bpf_insn ld[2] = { LD64_LO(1, 0), { .code = 1 } };
	struct bpf_insn big[1] = { LDX(BPF_W, 1, 2, 0) };

	lb = bb_btf_add_struct(&t->lb, "big", 4, false);
	bb_btf_add_member(&t->lb, "f", t->l_u32, 0);
	acc = bb_btf_str(&t->lb, "0:0");
	bb_btf_add_struct(&t->tb, "big", 40008, false);
	bb_btf_add_member(&t->tb, "f", t->t_u32, 40000 * 8);
	finish(t);

	assert_int_equal(relo(t, lb, acc, BPF_CORE_FIELD_BYTE_OFFSET, x, 1, 0), -EBADMSG);
	assert_int_equal(relo(t, lb, acc, BPF_CORE_FIELD_BYTE_OFFSET, j, 1, 0), -EBADMSG);
	assert_int_equal(relo(t, lb, acc, BPF_CORE_FIELD_EXISTS, ld, 2, 0), -EBADMSG);
	assert_int_equal(relo(t, lb, acc, BPF_CORE_FIELD_BYTE_OFFSET, big, 1, 0), -ERANGE);
	/* ALU: 40000 fits an imm. */
	assert_int_equal(mov_relo(t, lb, acc, BPF_CORE_FIELD_BYTE_OFFSET, 0), 40000);
	/* ld_imm64 needs its second half. */
	{
		struct bpf_insn h[1] = { LD64_LO(1, 1) };

		assert_int_equal(relo(t, lb, acc, BPF_CORE_FIELD_EXISTS, h, 1, 0), -EBADMSG);
	}
}

/* Malformed access strings (libbpf: sscanf("%d") per step). */
static void test_bad_specs(void **state)
{
	struct t *t = *state;
	static const char *const bad[] = { "", ":0", "0:", "0::0", "0:x", "-1", "0:9", "0:-1",
					   "99999999999", "0:0:0", "1x" };
	uint32_t lfoo, offs[16], ok_plus, ok_type;
	size_t i;
	struct bpf_core_relo r = { .kind = BPF_CORE_FIELD_BYTE_OFFSET };

	lfoo = bb_btf_add_struct(&t->lb, "foo", 4, false);
	bb_btf_add_member(&t->lb, "a", t->l_u32, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		offs[i] = bb_btf_str(&t->lb, bad[i]);
	ok_plus = bb_btf_str(&t->lb, " +0: 0");	/* sscanf skips blanks and takes '+' */
	ok_type = bb_btf_str(&t->lb, "0:0");
	finish(t);

	r.type_id = lfoo;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.access_str_off = offs[i];
		assert_true(bbpf_core_parse_spec(&t->local, &r, &t->scratch.local) < 0);
	}
	r.access_str_off = ok_plus;
	assert_int_equal(bbpf_core_parse_spec(&t->local, &r, &t->scratch.local), 0);
	assert_int_equal(t->scratch.local.raw_len, 2);
	/* Type-based kinds take exactly "0". */
	r.kind = BPF_CORE_TYPE_EXISTS;
	r.access_str_off = ok_type;
	assert_int_equal(bbpf_core_parse_spec(&t->local, &r, &t->scratch.local), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_essential_name),
		cmocka_unit_test_setup_teardown(test_moved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_rider, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_rider_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renamed_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flavors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bitfields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shift_wide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array_of_structs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array_too_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anon_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_type_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compat_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_module, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_patch_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_specs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
