// SPDX-License-Identifier: BSD-2-Clause
/*
 * One CO-RE relocation's value, computed over the candidates (libbpf's
 * bpf_core_calc_relo_insn and helpers): field kinds in calc_field(), type
 * kinds in calc_type(), enum value kinds in calc_enumval(); the choice among
 * candidates in bbpf_core_calc_relo(). Applying it is core_patch.c's job.
 * Values and validation follow libbpf 1.1, including its u32 arithmetic for
 * bit offsets and shifts.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "core_int.h"

#define SPEC_BUF_LEN 256

/*
 * The shifts extract a field from the u64 loaded at its byte offset: the
 * load (byte_sz) and the bits from there to the field's end (span) must fit
 * in it. libbpf computes them for any field and wraps around for one that
 * does not fit (a 16-byte member, a bitfield of a wider int): a shift of
 * about 2^32, which the verifier rejects in an immediate and a register
 * shift silently masks. Refused here instead, as libbpf refuses a bitfield
 * no single load covers.
 */
static bool fits_u64(const char *prog_name, const struct bpf_core_relo *relo, uint32_t byte_sz,
		     uint32_t span, const struct bbpf_log *log)
{
	if (byte_sz <= 8 && span <= 64)
		return true;
	bbpf_log(log, BBPF_LOG_WARN,
		 "prog '%s': relo %u at insn #%u can't be satisfied: a %u-byte field does not fit in the u64 it is shifted in",
		 prog_name, relo->kind, relo->insn_off / 8, byte_sz);
	return false;
}

/*
 * Field relocations. spec NULL: the field was not found. -EUCLEAN asks for
 * poisoning (libbpf's convention), -EOPNOTSUPP for a kind that is not a
 * field kind.
 */
static int calc_field(const char *prog_name, const struct bpf_core_relo *relo,
		      const struct bbpf_core_spec *spec, uint64_t *val, uint32_t *field_sz,
		      uint32_t *type_id, bool *validate, const struct bbpf_log *log)
{
	const struct bbpf_core_acc *acc;
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	uint32_t byte_off, byte_sz, bit_off, bit_sz, field_type_id;
	bool bitfield;
	int64_t sz;

	*field_sz = 0;
	if (relo->kind == BPF_CORE_FIELD_EXISTS) {
		*val = spec ? 1 : 0;
		return 0;
	}
	if (!spec)
		return -EUCLEAN;

	acc = &spec->acc[spec->len - 1];
	t = bbpf_core_type(spec->btf, acc->type_id);
	if (!t)
		return -EINVAL;

	/* The last step is an array index: a[n]. */
	if (!acc->name) {
		if (relo->kind == BPF_CORE_FIELD_BYTE_OFFSET) {
			*val = spec->bit_off / 8;
			sz = bbpf_core_resolve_size(spec->btf, acc->type_id);
			if (sz < 0)
				return -EINVAL;
			*field_sz = (uint32_t)sz;	/* for the load/store size fixup */
			*type_id = acc->type_id;
		} else if (relo->kind == BPF_CORE_FIELD_BYTE_SIZE) {
			sz = bbpf_core_resolve_size(spec->btf, acc->type_id);
			if (sz < 0)
				return -EINVAL;
			*val = (uint64_t)sz;
		} else {
			bbpf_log(log, BBPF_LOG_WARN,
				 "prog '%s': relo %u at insn #%u can't be applied to array access",
				 prog_name, relo->kind, relo->insn_off / 8);
			return -EINVAL;
		}
		if (validate)
			*validate = true;
		return 0;
	}

	m = bbpf_btf_members(t) + acc->idx;
	mt = bbpf_core_skip(spec->btf, m->type, &field_type_id);
	if (!mt)
		return -EINVAL;
	bit_off = spec->bit_off;
	bit_sz = bbpf_btf_member_bitfield_size(t, m);
	bitfield = bit_sz > 0;
	if (bitfield) {
		byte_sz = mt->size;
		if (!byte_sz)	/* libbpf would divide by zero */
			return -EINVAL;
		byte_off = bit_off / 8 / byte_sz * byte_sz;
		/* The smallest power-of-two load that covers the bitfield. */
		while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8) {
				bbpf_log(log, BBPF_LOG_WARN,
					 "prog '%s': relo %u at insn #%u can't be satisfied for bitfield",
					 prog_name, relo->kind, relo->insn_off / 8);
				return -E2BIG;
			}
			byte_sz *= 2;
			byte_off = bit_off / 8 / byte_sz * byte_sz;
		}
	} else {
		sz = bbpf_core_resolve_size(spec->btf, field_type_id);
		if (sz < 0)
			return -EINVAL;
		byte_sz = (uint32_t)sz;
		byte_off = spec->bit_off / 8;
		bit_sz = byte_sz * 8;
	}

	/* Bitfield values may legitimately differ from the compiler's guess. */
	if (validate)
		*validate = !bitfield;

	switch (relo->kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*field_sz = byte_sz;
			*type_id = field_type_id;
		}
		break;
	case BPF_CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case BPF_CORE_FIELD_SIGNED:
		*val = (core_is_any_enum(mt) && bbpf_btf_kflag(mt)) ||
		       (bbpf_btf_kind(mt) == BTF_KIND_INT &&
			(BTF_INT_ENCODING(core_int_data(mt)) & BTF_INT_SIGNED));
		if (validate)
			*validate = true;
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:
	case BPF_CORE_FIELD_RSHIFT_U64:
		if (!fits_u64(prog_name, relo, byte_sz, bit_off - byte_off * 8 + bit_sz, log))
			return -E2BIG;
		if (relo->kind == BPF_CORE_FIELD_RSHIFT_U64) {
			*val = (uint32_t)(64 - bit_sz);
			if (validate)
				*validate = true;
			break;
		}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		*val = (uint32_t)(64 - (bit_off + bit_sz - byte_off * 8));
#else
		*val = (uint32_t)((8 - byte_sz) * 8 + (bit_off - byte_off * 8));
#endif
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int calc_type(const struct bpf_core_relo *relo, const struct bbpf_core_spec *spec,
		     uint64_t *val, bool *validate)
{
	int64_t sz;

	if (validate)
		*validate = true;
	if (!spec) {	/* type-based kinds are 0 when the type is missing */
		*val = 0;
		return 0;
	}
	switch (relo->kind) {
	case BPF_CORE_TYPE_ID_TARGET:
		*val = spec->root_type_id;
		/* Linking may renumber the id in the instruction: do not check it. */
		if (validate)
			*validate = false;
		break;
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_MATCHES:
		*val = 1;
		break;
	case BPF_CORE_TYPE_SIZE:
		sz = bbpf_core_resolve_size(spec->btf, spec->root_type_id);
		if (sz < 0)
			return -EINVAL;
		*val = (uint64_t)sz;
		break;
	default:	/* TYPE_ID_LOCAL is handled before candidates */
		return -EOPNOTSUPP;
	}
	return 0;
}

static int calc_enumval(const struct bpf_core_relo *relo, const struct bbpf_core_spec *spec,
			uint64_t *val)
{
	const struct btf_type *t;
	uint32_t idx;

	switch (relo->kind) {
	case BPF_CORE_ENUMVAL_EXISTS:
		*val = spec ? 1 : 0;
		return 0;
	case BPF_CORE_ENUMVAL_VALUE:
		if (!spec)
			return -EUCLEAN;
		t = bbpf_core_type(spec->btf, spec->acc[0].type_id);
		idx = spec->acc[0].idx;
		if (!t || !core_is_any_enum(t) || idx >= bbpf_btf_vlen(t))
			return -EINVAL;
		*val = bbpf_core_enum_val(t, idx);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static bool is_unsigned_int(const struct btf_type *t)
{
	return t && bbpf_btf_kind(t) == BTF_KIND_INT &&
	       BTF_INT_ENCODING(core_int_data(t)) != BTF_INT_SIGNED;
}

static bool is_ptr(const struct btf_type *t)
{
	return t && bbpf_btf_kind(t) == BTF_KIND_PTR;
}

/* libbpf's bpf_core_calc_relo(): original and new values for one candidate (or none). */
static int calc_one(const char *prog_name, const struct bpf_core_relo *relo, int relo_idx,
		    const struct bbpf_core_spec *local, const struct bbpf_core_spec *targ,
		    struct bbpf_core_res *res, const struct bbpf_log *log)
{
	int err = -EOPNOTSUPP;

	*res = (struct bbpf_core_res){ .validate = true };
	if (core_is_field_based(relo->kind)) {
		err = calc_field(prog_name, relo, local, &res->orig_val, &res->orig_sz,
				 &res->orig_type_id, &res->validate, log);
		if (!err)
			err = calc_field(prog_name, relo, targ, &res->new_val, &res->new_sz,
					 &res->new_type_id, NULL, log);
		if (!err && res->orig_sz != res->new_sz) {
			const struct btf_type *ot = bbpf_core_type(local->btf, res->orig_type_id);
			const struct btf_type *nt = bbpf_core_type(targ->btf, res->new_type_id);

			/*
			 * A load/store may change size only for pointers (32-bit
			 * kernel pointers) and unsigned ints: zero extension keeps
			 * the value. Anything else is poisoned if it is a memory
			 * access (checked when patching).
			 */
			if (!(is_ptr(ot) && is_ptr(nt)) && !(is_unsigned_int(ot) && is_unsigned_int(nt)))
				res->fail_memsz_adjust = true;
		}
	} else if (core_is_type_based(relo->kind)) {
		err = calc_type(relo, local, &res->orig_val, &res->validate);
		if (!err)
			err = calc_type(relo, targ, &res->new_val, NULL);
	} else if (core_is_enumval_based(relo->kind)) {
		err = calc_enumval(relo, local, &res->orig_val);
		if (!err)
			err = calc_enumval(relo, targ, &res->new_val);
	}

	if (err == -EUCLEAN) {
		res->poison = true;
		err = 0;
	} else if (err == -EOPNOTSUPP) {
		bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
			      "unrecognized CO-RE relocation %s (%u) at insn #%u",
			      bbpf_core_relo_kind_str(relo->kind), relo->kind, relo->insn_off / 8);
	}
	return err;
}

static bool logging(const struct bbpf_log *log)
{
	return log && log->fn;
}

int bbpf_core_calc_relo(const char *prog_name, const struct bpf_core_relo *relo, int relo_idx,
			const struct bbpf_btf *local_btf, struct bbpf_core_cand *cands,
			uint32_t *cand_cnt, struct bbpf_core_scratch *scratch,
			struct bbpf_core_res *res, const struct bbpf_log *log,
			struct bbpf_diag *diag)
{
	struct bbpf_core_spec *local = &scratch->local, *cand = &scratch->cand;
	struct bbpf_core_spec *targ = &scratch->targ;
	const struct btf_type *local_t = bbpf_btf_type(local_btf, relo->type_id);
	struct bbpf_core_res cand_res;
	char buf[SPEC_BUF_LEN];
	const char *local_name;
	uint32_t i, j;
	int err;

	if (!local_t)
		return bbpf_core_bad_relo(diag, relo_idx);
	local_name = bbpf_core_str(local_btf, local_t->name_off);

	err = bbpf_core_parse_spec(local_btf, relo, local);
	if (err) {
		bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
			      "parsing [%u] %s %s + %s failed: %s", relo->type_id,
			      bbpf_core_kind_str(local_t), *local_name ? local_name : "<anon>",
			      bbpf_core_str(local_btf, relo->access_str_off), bbpf_err_name(err));
		return bbpf_core_bad_relo(diag, relo_idx);
	}
	if (logging(log)) {
		bbpf_core_format_spec(buf, sizeof(buf), local);
		bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx, "%s", buf);
	}

	if (relo->kind == BPF_CORE_TYPE_ID_LOCAL) {
		/* No candidates; the id in the insn may be stale after linking. */
		*res = (struct bbpf_core_res){ .orig_val = local->root_type_id,
					       .new_val = local->root_type_id };
		return 0;
	}
	if (!*local_name) {
		bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
			      "<%s> (%u) relocation doesn't support anonymous types",
			      bbpf_core_relo_kind_str(relo->kind), relo->kind);
		return -EOPNOTSUPP;
	}

	for (i = 0, j = 0; i < *cand_cnt; i++) {
		err = bbpf_core_spec_match(local, cands[i].btf, cands[i].id, cand);
		/* buf is read only when logging: bbpf_core_log() drops the rest unformatted */
		if (logging(log))
			bbpf_core_format_spec(buf, sizeof(buf), cand);
		if (err < 0) {
			bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
				      "error matching candidate #%u %s: %s", i, buf,
				      bbpf_err_name(err));
			return err;
		}
		bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx, "%s candidate #%u %s",
			      err ? "matching" : "non-matching", i, buf);
		if (!err)
			continue;

		err = calc_one(prog_name, relo, relo_idx, local, cand, &cand_res, log);
		if (err)
			return err;
		if (j == 0) {
			*res = cand_res;
			*targ = *cand;
		} else if (cand->bit_off != targ->bit_off) {
			bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
				      "field offset ambiguity: %u != %u", cand->bit_off,
				      targ->bit_off);
			return -EINVAL;
		} else if (cand_res.poison != res->poison || cand_res.new_val != res->new_val) {
			bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
				      "relocation decision ambiguity: %s %llu != %s %llu",
				      cand_res.poison ? "failure" : "success",
				      (unsigned long long)cand_res.new_val,
				      res->poison ? "failure" : "success",
				      (unsigned long long)res->new_val);
			return -EINVAL;
		}
		/* Keep only matching candidates for the next relocations of this type. */
		cands[j++] = cands[i];
	}
	if (j > 0) {
		*cand_cnt = j;
		return 0;
	}
	/* Nothing matched: field accesses poison, "exists" kinds read 0. */
	bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx, "no matching targets found");
	return calc_one(prog_name, relo, relo_idx, local, NULL, res, log);
}

