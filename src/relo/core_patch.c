// SPDX-License-Identifier: BSD-2-Clause
/*
 * Applying one computed CO-RE relocation (core_calc.c) to its instruction:
 * immediates, load/store offsets and sizes, ld_imm64 values, validation of
 * the original value, and poisoning (libbpf's bpf_core_patch_insn).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "core_int.h"

static void poison(const char *prog_name, int relo_idx, uint32_t insn_idx, struct bpf_insn *insn,
		   const struct bbpf_log *log)
{
	bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx,
		      "substituting insn #%u w/ invalid insn", insn_idx);
	/* If reached, the verifier says "invalid func unknown#195896080". */
	insn->code = BPF_JMP | BPF_CALL;
	insn->dst_reg = 0;
	insn->src_reg = 0;
	insn->off = 0;
	insn->imm = BBPF_CORE_POISON_IMM;
}

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Bytes of a load/store by BPF_SIZE(code) >> 3: BPF_W, BPF_H, BPF_B, BPF_DW. */
static const uint8_t mem_bytes[4] = { 4, 2, 1, 8 };

/* BPF_SIZE code of a load/store of that many bytes, or -1. */
static int size_code(uint32_t bytes)
{
	int k;

	for (k = 0; k < 4; k++)
		if (mem_bytes[k] == bytes)
			return k << 3;
	return -1;
}

int bbpf_core_patch_insn(const char *prog_name, struct bpf_insn *insns, uint32_t insn_cnt,
			 uint32_t insn_idx, const struct bpf_core_relo *relo, int relo_idx,
			 const struct bbpf_core_res *res, const struct bbpf_log *log,
			 struct bbpf_diag *diag)
{
	struct bpf_insn *insn;
	uint64_t orig_val, new_val, imm;
	bool has_next;

	(void)relo;
	if (insn_idx >= insn_cnt)
		return bbpf_core_bad_relo(diag, relo_idx);
	insn = &insns[insn_idx];
	has_next = insn_idx + 1 < insn_cnt;
	orig_val = res->orig_val;
	new_val = res->new_val;

	if (res->poison) {
poison:
		/* Poison both halves of an ld_imm64, or the verifier reports opcode 00. */
		if (is_ldimm64(insn)) {
			if (!has_next)
				return bbpf_core_bad_relo(diag, relo_idx);
			poison(prog_name, relo_idx, insn_idx + 1, insn + 1, log);
		}
		poison(prog_name, relo_idx, insn_idx, insn, log);
		return 0;
	}

	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K)
			return bbpf_core_bad_relo(diag, relo_idx);
		/* fall through */
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX: {
		/* an ALU immediate is checked and patched as a load/store's offset is */
		bool alu = BPF_CLASS(insn->code) >= BPF_ALU;	/* ALU, ALU64 (no JMP here) */
		const char *cls = alu ? "ALU/ALU64" : "LDX/ST/STX";
		uint64_t cur = alu ? (uint64_t)(int64_t)insn->imm : (uint64_t)(int64_t)insn->off;

		if (res->validate && cur != orig_val) {
			bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
				      "unexpected insn #%u (%s) value: got %u, exp %llu -> %llu",
				      insn_idx, cls,
				      alu ? (uint32_t)insn->imm : (uint32_t)(uint16_t)insn->off,
				      (unsigned long long)orig_val, (unsigned long long)new_val);
			return bbpf_core_bad_relo(diag, relo_idx);
		}
		if (alu) {
			orig_val = (uint64_t)(uint32_t)insn->imm;
			insn->imm = (int32_t)(uint32_t)new_val;
		} else {
			if (new_val > SHRT_MAX) {
				bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
					      "insn #%u (LDX/ST/STX) value too big: %llu", insn_idx,
					      (unsigned long long)new_val);
				return -ERANGE;
			}
			if (res->fail_memsz_adjust) {
				bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
					      "insn #%u (LDX/ST/STX) accesses field incorrectly. " "Make sure you are accessing pointers, unsigned integers, or fields of matching type and size.",
					      insn_idx);
				goto poison;
			}
			orig_val = cur;
			insn->off = (int16_t)new_val;
		}
		bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx,
			      "patched insn #%u (%s) %s %llu -> %llu", insn_idx, cls,
			      alu ? "imm" : "off", (unsigned long long)orig_val,
			      (unsigned long long)new_val);
		if (!alu && res->new_sz != res->orig_sz) {
			int bytes = mem_bytes[BPF_SIZE(insn->code) >> 3], code = size_code(res->new_sz);

			if ((uint32_t)bytes != res->orig_sz) {
				bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
					      "insn #%u (LDX/ST/STX) unexpected mem size: got %d, exp %u",
					      insn_idx, bytes, res->orig_sz);
				return bbpf_core_bad_relo(diag, relo_idx);
			}
			if (code < 0) {
				bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
					      "insn #%u (LDX/ST/STX) invalid new mem size: %u",
					      insn_idx, res->new_sz);
				return bbpf_core_bad_relo(diag, relo_idx);
			}
			insn->code = (uint8_t)(BPF_MODE(insn->code) | code | BPF_CLASS(insn->code));
			bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx,
				      "patched insn #%u (LDX/ST/STX) mem_sz %u -> %u", insn_idx,
				      res->orig_sz, res->new_sz);
		}
		return 0;
	}
	case BPF_LD:
		if (!is_ldimm64(insn) || !has_next || insn[0].src_reg || insn[0].off ||
		    insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off) {
			bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
				      "insn #%u (LDIMM64) has unexpected form", insn_idx);
			return bbpf_core_bad_relo(diag, relo_idx);
		}
		imm = (uint64_t)(uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
		if (res->validate && imm != orig_val) {
			bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
				      "unexpected insn #%u (LDIMM64) value: got %llu, exp %llu -> %llu",
				      insn_idx, (unsigned long long)imm,
				      (unsigned long long)orig_val, (unsigned long long)new_val);
			return bbpf_core_bad_relo(diag, relo_idx);
		}
		insn[0].imm = (int32_t)(uint32_t)new_val;
		insn[1].imm = (int32_t)(uint32_t)(new_val >> 32);
		bbpf_core_log(log, BBPF_LOG_DEBUG, prog_name, relo_idx,
			      "patched insn #%u (LDIMM64) imm64 %llu -> %llu", insn_idx,
			      (unsigned long long)imm, (unsigned long long)new_val);
		return 0;
	default:
		bbpf_core_log(log, BBPF_LOG_WARN, prog_name, relo_idx,
			      "trying to relocate unrecognized insn #%u, code:0x%x, src:0x%x, dst:0x%x, off:0x%x, imm:0x%x",
			      insn_idx, insn->code, insn->src_reg, insn->dst_reg,
			      (uint16_t)insn->off, (uint32_t)insn->imm);
		return bbpf_core_bad_relo(diag, relo_idx);
	}
}
