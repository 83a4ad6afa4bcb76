/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-space CO-RE: relocate an object's .BTF.ext core_relo records against
 * a target BTF (vmlinux, plus split module BTFs), as libbpf 1.1 does in
 * bpf_object__relocate_core() and relo_core.c. Pure: no syscalls, no files.
 *
 * Three layers, each usable on its own:
 *   1. The candidate cache (struct bbpf_core_cache): per target BTF, keyed by
 *      a local type's essential name (flavor suffix stripped) and kind, the
 *      target types that are candidates for it, vmlinux first, modules only
 *      when vmlinux has none (libbpf's bpf_core_find_cands). Lookups are
 *      batched: one pass over a target BTF answers every name that is not
 *      cached yet, so several relocations and several objects share it.
 *   2. Per relocation: bbpf_core_calc_relo() turns one record and its
 *      candidates into a struct bbpf_core_res (libbpf's
 *      bpf_core_calc_relo_insn), bbpf_core_patch_insn() applies it
 *      (libbpf's bpf_core_patch_insn, poisoning included).
 *   3. Per object: bbpf_core_resolve() computes every record of every
 *      autoload program in libbpf's order (sections, then records), so that
 *      the per-object candidate lists are pruned exactly as libbpf prunes
 *      them; bbpf_core_apply() then patches a relocated program image.
 *
 * Recursion: bbpf_core_types_are_compat() and bbpf_core_types_match()
 * recurse into function prototype parameters and struct members with an
 * explicit level bound of 32 (BBPF_CORE_MAX_LEVEL), as libbpf and the kernel
 * do; every loop over type chains is bounded by 32 hops. Member search
 * through anonymous structs/unions uses an explicit stack bounded by the
 * spec length (64). Nothing else recurses.
 */
#ifndef BBPF_CORE_H
#define BBPF_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/log.h"
#include "../parse/btf.h"

struct bbpf_object;
struct bbpf_prog_image;

#define BBPF_CORE_SPEC_MAX_LEN	64	/* libbpf's BPF_CORE_SPEC_MAX_LEN */
#define BBPF_CORE_MAX_LEVEL	32	/* recursion bound of the compat checks */
#define BBPF_CORE_POISON_IMM	0xbad2310	/* "bad relo": helper id of a poisoned insn */

/* ---- specs and results (libbpf's bpf_core_spec / bpf_core_relo_res) ---- */

struct bbpf_core_acc {
	uint32_t type_id;	/* struct/union, array element or enum type */
	uint32_t idx;		/* member, array or enumerator index */
	const char *name;	/* member/enumerator name; NULL for an array index */
};

struct bbpf_core_spec {
	const struct bbpf_btf *btf;
	uint32_t root_type_id;
	uint32_t kind;				/* enum bpf_core_relo_kind */
	uint32_t len;				/* high-level accessors in acc[] */
	uint32_t raw_len;			/* entries in raw[] */
	uint32_t bit_off;			/* wraps modulo 2^32 as libbpf's __u32 */
	struct bbpf_core_acc acc[BBPF_CORE_SPEC_MAX_LEN];
	uint32_t raw[BBPF_CORE_SPEC_MAX_LEN];
};

struct bbpf_core_res {
	uint64_t orig_val;	/* expected in the instruction (when validate) */
	uint64_t new_val;
	uint32_t orig_sz, new_sz;	/* field sizes for LDX/ST/STX size fixups */
	uint32_t orig_type_id, new_type_id;
	bool poison;		/* replace the instruction by a call to helper 0xbad2310 */
	bool validate;		/* check orig_val against the instruction */
	bool fail_memsz_adjust;	/* a load/store of this field cannot be resized */
};

/* Scratch for one relocation (three specs, ~4.4 KiB); reusable. */
struct bbpf_core_scratch {
	struct bbpf_core_spec local, cand, targ;
};

/* One candidate target type. */
struct bbpf_core_cand {
	const struct bbpf_btf *btf;	/* vmlinux or a module's split BTF */
	uint32_t id;
};

/* ---- candidate cache ---- */

struct bbpf_core_cache_ent;
struct bbpf_core_cache;

/*
 * Called once, the first time a name has no candidate in vmlinux, to add
 * module BTFs with bbpf_core_cache_add_module() (the kernel layer reads
 * /sys/kernel/btf/<module> there). 0 or a negative errno, which fails the
 * relocation as libbpf's load_module_btfs() does.
 */
typedef int (*bbpf_core_load_modules_fn)(void *ctx, struct bbpf_core_cache *cache);

/*
 * Another name search of vmlinux that rides on the candidate search's pass
 * over it, so that one walk answers both (the kernel layer's attach-target
 * and typed-ksym lookups, kname.c). Before a pass over vmlinux from its
 * first id, begin adds the rider's kinds and names to the pass's filter and
 * returns its kinds (bit 1 << kind; 0: nothing to look for, no ride); fn
 * then sees, in id order, every record of those kinds that passes the
 * merged filter, and returns 0, BBPF_CORE_RIDER_NARROWED when it looks for
 * fewer names than its filter says (the pass's filter is rebuilt from the
 * candidates' and refilter's, which returns the rider's kinds, 0 once it
 * is done: the rest of the pass is the candidates' alone), or an error
 * (which stops the pass and fails it); end is told the pass's outcome (0,
 * or the error). Not used for module BTF.
 */
#define BBPF_CORE_RIDER_NARROWED	1
struct bbpf_core_rider {
	uint32_t (*begin)(void *ctx, struct bbpf_btf_filter *f);
	uint32_t (*refilter)(void *ctx, struct bbpf_btf_filter *f);
	bbpf_btf_visit_fn fn;
	void (*end)(void *ctx, int err);
	void *ctx;
};

struct bbpf_core_cache {
	struct bbpf_arena *arena;	/* entries; must live as long as the cache */
	const struct bbpf_btf *vmlinux;
	bool search_modules;		/* false when vmlinux is a caller-given override */
	bool modules_loaded;
	bbpf_core_load_modules_fn load_modules;
	void *load_modules_ctx;
	const struct bbpf_btf **mods;
	const char **mod_names;
	uint32_t mod_cnt, mod_cap;
	struct bbpf_core_cache_ent **slots;	/* open addressing, power of two */
	uint32_t slot_cnt, ent_cnt;
	uint32_t scan_cnt;		/* passes over a target BTF so far (tests, bench) */
	const struct bbpf_core_rider *rider;	/* NULL: none */
};

/*
 * A cache of candidates in vmlinux (not NULL), with memory from arena.
 * search_modules: look in module BTFs for names vmlinux lacks (libbpf does,
 * unless the target BTF was overridden by a file). The BTFs are borrowed
 * and must outlive the cache.
 */
void bbpf_core_cache_init(struct bbpf_core_cache *c, const struct bbpf_btf *vmlinux,
			  bool search_modules, struct bbpf_arena *arena);
/* Module split BTF on vmlinux; name for messages. 0, -EINVAL, -ENOMEM. */
int bbpf_core_cache_add_module(struct bbpf_core_cache *c, const struct bbpf_btf *mod,
			       const char *name);

/*
 * Candidates for local type id in local_btf: *cands points into the cache
 * (valid until the cache's arena is freed), *cnt may be 0. -EINVAL for an
 * anonymous or invalid type, -ENOMEM, or the load_modules hook's error.
 */
int bbpf_core_find_cands(struct bbpf_core_cache *c, const struct bbpf_btf *local_btf,
			 uint32_t local_id, const struct bbpf_core_cand **cands, uint32_t *cnt);
/*
 * Make sure every named type among ids[0..cnt) is cached, with one pass per
 * target BTF for all the missing names. Unnamed ids are ignored. 0 or as
 * above.
 */
int bbpf_core_cache_prefetch(struct bbpf_core_cache *c, const struct bbpf_btf *local_btf,
			     const uint32_t *ids, uint32_t cnt);

/* ---- one relocation ---- */

/* Length of name without its "___flavor" suffix (from the last "___"), as libbpf. */
size_t bbpf_core_essential_name_len(const char *name);
const char *bbpf_core_relo_kind_str(uint32_t kind);

/* 1 compatible, 0 not, -EINVAL on malformed BTF or past the level bound. */
int bbpf_core_types_are_compat(const struct bbpf_btf *local_btf, uint32_t local_id,
			       const struct bbpf_btf *targ_btf, uint32_t targ_id);
int bbpf_core_types_match(const struct bbpf_btf *local_btf, uint32_t local_id,
			  const struct bbpf_btf *targ_btf, uint32_t targ_id);

/* Parse relo's access string against local_btf. 0, -EINVAL, -E2BIG. */
int bbpf_core_parse_spec(const struct bbpf_btf *btf, const struct bpf_core_relo *relo,
			 struct bbpf_core_spec *spec);
/* Match a local spec against candidate targ_id: 1 match, 0 no match, < 0 error. */
int bbpf_core_spec_match(const struct bbpf_core_spec *local, const struct bbpf_btf *targ_btf,
			 uint32_t targ_id, struct bbpf_core_spec *targ);
/* "<byte_off> [3] struct foo.a[2].b (0:1:2:1 @ offset 12)" as libbpf prints specs. */
void bbpf_core_format_spec(char *buf, size_t len, const struct bbpf_core_spec *spec);

/*
 * Compute the relocation of relo (record #relo_idx of program prog_name)
 * over cands. Matching candidates must agree (else -EINVAL, "ambiguity");
 * cands[] is compacted to the matching ones when at least one matched, and
 * *cand_cnt updated, exactly as libbpf prunes its cached list. No match:
 * field relocations poison, exists-kinds evaluate to 0. Errors: -EBADMSG
 * (malformed record or local BTF; diag), -EINVAL, -E2BIG, -EOPNOTSUPP.
 */
int bbpf_core_calc_relo(const char *prog_name, const struct bpf_core_relo *relo, int relo_idx,
			const struct bbpf_btf *local_btf, struct bbpf_core_cand *cands,
			uint32_t *cand_cnt, struct bbpf_core_scratch *scratch,
			struct bbpf_core_res *res, const struct bbpf_log *log,
			struct bbpf_diag *diag);

/*
 * Patch insns[insn_idx] (of insn_cnt) with res. -EBADMSG (diag) if the
 * instruction does not have the form or value the relocation expects,
 * -ERANGE for an offset above 32767.
 */
int bbpf_core_patch_insn(const char *prog_name, struct bpf_insn *insns, uint32_t insn_cnt,
			 uint32_t insn_idx, const struct bpf_core_relo *relo, int relo_idx,
			 const struct bbpf_core_res *res, const struct bbpf_log *log,
			 struct bbpf_diag *diag);

/* ---- one object ---- */

/* Results of every record of an object, by .BTF.ext section and record index. */
struct bbpf_core_obj {
	const struct bbpf_object *obj;
	struct bbpf_core_res **res;	/* [section][record] */
	uint8_t **done;			/* [section][record]: res is valid */
	uint32_t sec_cnt;
	uint32_t relo_cnt;		/* records computed */
	uint32_t poison_cnt;		/* of which poisoned */
};

/*
 * Compute every CO-RE record of obj's autoload programs against the cache's
 * target, in libbpf's order, logging each at debug level through the
 * object's log. out and everything it points to live in arena (the
 * object's or a load-time scratch arena). An object without CO-RE records
 * yields an empty result. Errors as bbpf_core_calc_relo(), plus -ENOMEM.
 */
int bbpf_core_resolve(struct bbpf_core_obj *out, const struct bbpf_object *obj,
		      struct bbpf_core_cache *cache, struct bbpf_arena *arena,
		      struct bbpf_diag *diag);
/*
 * Patch img (built by bbpf_relo_program) with the results: every CO-RE
 * relocation of every function in img->funcs. -ENOENT if a function's
 * records were not resolved (its program was not autoload at resolve time),
 * else as bbpf_core_patch_insn().
 */
int bbpf_core_apply(const struct bbpf_core_obj *co, struct bbpf_prog_image *img,
		    struct bbpf_diag *diag);

#endif
