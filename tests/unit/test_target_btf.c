/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Target BTF on the fake kernel: libbpf's on-disk fallbacks (raw or ELF,
 * untrusted), the caller's file, module BTF as split BTF found through the
 * CO-RE cache's hook, and trusted parsing of garbled input (no crash under
 * ASan). The running kernel's BTF (mapped, trusted, no name index unless
 * asked): tests/diff/test_target_btf_bpftool.c (its type count against
 * bpftool's) and tests/kernel/test_target_btf_kernel.c (a CO-RE load).
 */
#include <errno.h>
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <barebpf/loader.h>
#include <barebpf/object.h>
#include "btf_builder.h"
#include "elf_builder.h"
#include "fake_sys.h"
#include "tb_env.h"
#include "kern/kern.h"
#include "relo/core.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name
#define REL TB_REL
#define INFO(kind, kflag, vlen) ((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (uint32_t)(vlen))

/* A small "kernel": int, struct foo { int a; int b; }, struct bar, enum. */
static void base_types(struct bb_btf *b)
{
	uint32_t i32, foo, e;

	bb_btf_init(b);
	i32 = bb_btf_add_int(b, "int", 4, BTF_INT_SIGNED, 32);
	foo = bb_btf_add_struct(b, "foo", 8, false);
	bb_btf_add_member(b, "a", i32, 0);
	bb_btf_add_member(b, "b", i32, 32);
	bb_btf_add_ptr(b, foo);
	bb_btf_add_struct(b, "bar", 4, false);
	bb_btf_add_member(b, "x", i32, 0);
	e = bb_btf_add_enum(b, "color", 4, false);
	(void)e;
	bb_btf_add_enum_val(b, "RED", 1);
	bb_btf_add_typedef(b, "foo_t", foo);
	bb_btf_add_array(b, i32, i32, 4);
}

static const uint8_t *keep(struct tb_env *e, uint8_t *blob)
{
	assert_true(e->nblobs < 8);
	e->blobs[e->nblobs++] = blob;
	return blob;
}

static void add_file(struct tb_env *e, const char *path, const uint8_t *data, size_t len)
{
	fs_script_add_file(&e->s, path, (const char *)data, len);
}

/* Raw BTF of b, kept by e. */
static const uint8_t *raw_of(struct tb_env *e, struct bb_btf *b, bool swap, uint32_t *len)
{
	return keep(e, bb_btf_raw(b, swap, len));
}

/* An executable vmlinux with a .text and a .BTF section. */
static const uint8_t *elf_of(struct tb_env *e, const uint8_t *btf, uint32_t btf_len, bool be,
			     size_t *len)
{
	static const uint8_t text[16] = { 0x90 };
	struct eb *b = eb_new(be ? ELFDATA2MSB : ELFDATA2LSB, ET_EXEC, be ? EM_S390 : EM_X86_64);
	uint8_t *img;

	eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text, sizeof(text),
		       0, 0, 0, 16);
	eb_add_section(b, ".BTF", SHT_PROGBITS, 0, btf, btf_len, 0, 0, 0, 1);
	eb_build(b, EB_SHDRS_LAST);
	img = eb_take(b, len);
	eb_free(b);
	return keep(e, img);
}

/* ---- fallbacks, with the scripted fake ---- */

static void test_fallback_elf(void **state)
{
	struct tb_env *e = tb_env_new(false, NULL);
	struct bb_btf b, other;
	struct bbpf_btf *btf;
	const uint8_t *raw, *img, *raw2;
	uint32_t len, len2;
	size_t img_len;

	(void)state;
	base_types(&b);
	bb_btf_init(&other);
	bb_btf_add_int(&other, "long", 8, BTF_INT_SIGNED, 64);
	raw = raw_of(e, &b, false, &len);
	img = elf_of(e, raw, len, false, &img_len);
	raw2 = raw_of(e, &other, false, &len2);
	/* A later location must not win over /boot/vmlinux-<release>. */
	add_file(e, "/usr/lib/debug/boot/vmlinux-" REL, raw2, len2);
	add_file(e, "/boot/vmlinux-" REL, img, img_len);
	assert_int_equal(bbpf_kernel_btf(e->ctx, &btf), 0);
	assert_int_equal(btf->type_cnt, b.next_id);
	assert_int_equal(bbpf_btf_find_by_name_kind(btf, "foo", BTF_KIND_STRUCT), 2);
	assert_int_equal(e->w.hook_calls[FS_HOOK_UNAME], 1);
	assert_int_equal(fs_wrap_open_maps(&e->w), 0);	/* untrusted files are read */
	bb_btf_free(&b);
	bb_btf_free(&other);
	tb_env_free(e);
}

/* Malformed and missing files are skipped in libbpf's order; a big-endian ELF is fine. */
static void test_fallback_order(void **state)
{
	struct tb_env *e = tb_env_new(false, NULL);
	struct bb_btf b;
	struct bbpf_btf *btf;
	const uint8_t *raw, *raw_be, *img;
	uint8_t *bad;
	uint32_t len;
	size_t img_len;

	(void)state;
	base_types(&b);
	raw = raw_of(e, &b, false, &len);
	raw_be = raw_of(e, &b, true, &len);
	img = elf_of(e, raw_be, len, true, &img_len);
	bad = (uint8_t *)keep(e, malloc(len));
	memcpy(bad, raw, len);
	bad[len - 1] = 'x';	/* strings not NUL-terminated */
	add_file(e, "/boot/vmlinux-" REL, bad, len);
	add_file(e, "/lib/modules/" REL "/build/vmlinux", (const uint8_t *)"junk", 4);
	add_file(e, "/usr/lib/modules/" REL "/kernel/vmlinux", img, img_len);
	add_file(e, "/usr/lib/debug/lib/modules/" REL "/vmlinux", raw, len);
	assert_int_equal(bbpf_kernel_btf(e->ctx, &btf), 0);
	assert_true(btf->swap);
	assert_int_equal(btf->type_cnt, b.next_id);
	assert_non_null(strstr(e->log.text, "kernel BTF from /usr/lib/modules/" REL "/kernel/vmlinux"));
	bb_btf_free(&b);
	tb_env_free(e);
}

static void test_fallback_none(void **state)
{
	struct tb_env *e = tb_env_new(false, NULL);
	struct bbpf_btf *btf;

	(void)state;
	add_file(e, "/boot/vmlinux-" REL, (const uint8_t *)"\x7f" "ELF", 4);
	assert_int_equal(bbpf_kernel_btf(e->ctx, &btf), -ENOENT);
	assert_non_null(strstr(e->log.text, "no kernel BTF"));
	tb_env_free(e);
}

/* ---- the caller's file ---- */

static void caller_file(bool elf)
{
	struct tb_env *e = tb_env_new(false, "/tmp/my.btf");
	struct bbpf_core_cache *cache;
	struct bb_btf b;
	const uint8_t *raw, *data;
	uint32_t len;
	size_t dlen;

	base_types(&b);
	raw = raw_of(e, &b, false, &len);
	data = raw;
	dlen = len;
	if (elf)
		data = elf_of(e, raw, len, false, &dlen);
	add_file(e, "/tmp/my.btf", data, dlen);
	/* Present but ignored: the caller's file overrides the kernel's. */
	add_file(e, "/sys/kernel/btf/vmlinux", (const uint8_t *)"junk", 4);
	assert_int_equal(bbpf_ctx_core_cache(e->ctx, &cache), 0);
	assert_ptr_equal(cache->vmlinux, e->ctx->core_target);
	assert_null(e->ctx->vmlinux);
	assert_int_equal(e->ctx->core_target->type_cnt, b.next_id);
	assert_false(cache->search_modules);
	assert_null(cache->load_modules);
	assert_null(e->ctx->core_target->name_hash);
	bb_btf_free(&b);
	tb_env_free(e);
}

static void test_caller_raw(void **state)
{
	(void)state;
	caller_file(false);
}

static void test_caller_elf(void **state)
{
	(void)state;
	caller_file(true);
}

/* A member whose type id is out of range: only phase 2 sees it. */
static const uint8_t *phase2_bad(struct tb_env *e, struct bb_btf *b, uint32_t *len)
{
	base_types(b);
	/* struct foo's second member: type word = 3rd word of member 2. */
	*bb_btf_word(b, bb_btf_type_word(b, 2) + 3 + 3 + 1) = 999;
	return raw_of(e, b, false, len);
}

static void test_caller_malformed(void **state)
{
	struct tb_env *e = tb_env_new(false, "/tmp/bad.btf");
	struct bbpf_core_cache *cache;
	struct bbpf_btf trusted;
	struct bbpf_arena arena;
	struct bbpf_diag d = { 0 };
	struct bb_btf b;
	const uint8_t *raw;
	uint32_t len;

	(void)state;
	raw = phase2_bad(e, &b, &len);
	add_file(e, "/tmp/bad.btf", raw, len);
	assert_int_equal(bbpf_ctx_core_cache(e->ctx, &cache), -EBADMSG);
	assert_non_null(strstr(e->log.text, "/tmp/bad.btf: not valid BTF at offset"));
	/* The same bytes pass the trusted (structural) parse: phase 2 is skipped. */
	bbpf_arena_init(&arena, &bbpf_alloc_libc, 1u << 20);
	assert_int_equal(bbpf_btf_parse_trusted(&trusted, raw, len, NULL, &arena, &d), 0);
	assert_null(bbpf_btf_type(&trusted, 999));
	bbpf_arena_free(&arena);
	bb_btf_free(&b);
	tb_env_free(e);
}

/* ---- trusted parsing of garbled input ---- */

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* Everything a CO-RE load does with a target BTF, on whatever parsed. */
static void exercise(struct bbpf_btf *targ, struct bbpf_btf *local, struct bbpf_arena *arena)
{
	struct bpf_core_relo r = { .type_id = 2, .access_str_off = 0, .kind = 0 };
	struct bbpf_core_scratch *scratch = bbpf_arena_zalloc(arena, sizeof(*scratch));
	const struct bbpf_core_cand *cc;
	struct bbpf_core_cand cands[16];
	struct bbpf_core_cache cache;
	struct bbpf_core_res res;
	struct bbpf_diag d = { 0 };
	struct bbpf_log log = { 0 };
	uint32_t id, n;

	assert_non_null(scratch);
	for (id = 0; id < targ->type_cnt + 2; id++) {
		(void)bbpf_btf_resolve_size(targ, id);
		(void)bbpf_btf_skip_mods(targ, id);
		(void)strlen(bbpf_btf_name(targ, id));
	}
	bbpf_core_cache_init(&cache, targ, false, arena);
	r.access_str_off = 5;	/* "0:1", see local_btf() */
	for (r.kind = 0; r.kind <= BPF_CORE_TYPE_MATCHES; r.kind++) {
		if (r.kind == BPF_CORE_TYPE_ID_LOCAL)
			continue;
		if (bbpf_core_find_cands(&cache, local, 2, &cc, &n) || n > 16)
			continue;
		if (n)
			memcpy(cands, cc, n * sizeof(*cc));
		(void)bbpf_core_calc_relo("p", &r, 0, local, cands, &n, scratch, &res, &log, &d);
	}
	if (!bbpf_btf_index(targ))
		(void)bbpf_btf_find_by_name_kind(targ, "foo", BTF_KIND_STRUCT);
}

/* Local BTF: int, struct foo { int a; int b; }, access string "0:1" at offset 4. */
static void local_btf(struct bb_btf *b)
{
	uint32_t i32, foo;

	bb_btf_init(b);
	assert_int_equal(bb_btf_str(b, "foo"), 1);
	assert_int_equal(bb_btf_str(b, "0:1"), 5);
	i32 = bb_btf_add_int(b, "int", 4, BTF_INT_SIGNED, 32);
	foo = bb_btf_add_struct(b, "foo", 8, false);
	assert_int_equal(foo, 2);
	bb_btf_add_member(b, "a", i32, 0);
	bb_btf_add_member(b, "b", i32, 32);
}

static void test_trusted_garbled(void **state)
{
	struct bb_btf b, lb;
	struct bbpf_btf local;
	struct bbpf_arena la;
	struct bbpf_diag d = { 0 };
	uint8_t *raw, *lraw, *copy;
	uint32_t len, llen, i, parsed = 0, rejected = 0;
	uint64_t seed = 1;

	(void)state;
	base_types(&b);
	raw = bb_btf_raw(&b, false, &len);
	local_btf(&lb);
	lraw = bb_btf_raw(&lb, false, &llen);
	bbpf_arena_init(&la, &bbpf_alloc_libc, 1u << 20);
	assert_int_equal(bbpf_btf_parse_raw(&local, lraw, llen, NULL, &la, &d), 0);

	for (i = 0; i < 4000; i++) {
		struct bbpf_arena arena;
		struct bbpf_btf t;
		uint32_t n = 1 + rnd(&seed) % 4, k, clen = len;

		/* A fresh heap copy of the exact length: ASan sees any overrun. */
		if (i % 7 == 6)
			clen = rnd(&seed) % len;
		copy = malloc(clen ? clen : 1);
		assert_non_null(copy);
		memcpy(copy, raw, clen);
		for (k = 0; k < n && clen > 24; k++) {
			uint32_t off = 24 + rnd(&seed) % (clen - 24);
			uint32_t v = rnd(&seed);

			if (i % 3 == 0 && off + 4 <= clen)
				memcpy(copy + off, &v, 4);	/* a whole word */
			else
				copy[off] = (uint8_t)v;
		}
		bbpf_arena_init(&arena, &bbpf_alloc_libc, 1u << 20);
		d = (struct bbpf_diag){ 0 };
		if (bbpf_btf_parse_trusted(&t, copy, clen, NULL, &arena, &d) == 0) {
			parsed++;
			exercise(&t, &local, &arena);
		} else {
			rejected++;
		}
		bbpf_arena_free(&arena);
		free(copy);
	}
	/* Both outcomes happen: structure errors are noticed, the rest parses. */
	assert_true(parsed > 100);
	assert_true(rejected > 100);
	bbpf_arena_free(&la);
	free(raw);
	free(lraw);
	bb_btf_free(&b);
	bb_btf_free(&lb);
}

/* Structural damage the trusted pass reports, through the context's sysfs path. */
static void test_trusted_structural_errors(void **state)
{
	static const struct {
		const char *what;
		int kind;	/* 0: truncate, 1: unknown kind, 2: vlen past the end */
	} cases[] = { { "truncated", 0 }, { "unknown kind", 1 }, { "vlen", 2 } };
	size_t c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct tb_env *e = tb_env_new(false, NULL);
		struct bbpf_btf *btf;
		struct bb_btf b;
		const uint8_t *raw;
		uint32_t len, *w;

		base_types(&b);
		w = bb_btf_word(&b, bb_btf_type_word(&b, 2) + 1);	/* struct foo's info */
		if (cases[c].kind == 1)
			*w = INFO(31, 0, 0);
		else if (cases[c].kind == 2)
			*w = INFO(BTF_KIND_STRUCT, 0, 0xffff);
		raw = raw_of(e, &b, false, &len);
		add_file(e, "/sys/kernel/btf/vmlinux", raw, cases[c].kind == 0 ? len - 9 : len);
		/*
		 * sysfs refuses a mapping longer than the file (the fake would
		 * zero-fill it), so a truncated file is read.
		 */
		if (cases[c].kind == 0)
			fs_wrap_fail_hook(&e->w, FS_HOOK_MMAP, -1, 1, -EINVAL, true);
		assert_int_equal(bbpf_kernel_btf(e->ctx, &btf), -EBADMSG);
		if (!strstr(e->log.text, "/sys/kernel/btf/vmlinux: "))
			fail_msg("%s: no message: %s", cases[c].what, e->log.text);
		assert_null(e->ctx->vmlinux);
		bb_btf_free(&b);
		tb_env_free(e);
	}
}

/* ---- modules ---- */

static void test_modules(void **state)
{
	struct tb_env *e = tb_env_new(false, NULL);
	struct bbpf_core_cache *cache;
	const struct bbpf_core_cand *cc;
	struct bb_btf vb, mb, bad, lb;
	struct bbpf_btf local, *vml;
	struct bbpf_arena la;
	struct bbpf_diag d = { 0 };
	const uint8_t *vraw, *mraw, *badraw;
	uint8_t *lraw;
	uint32_t vlen, mlen, badlen, llen, l_i32, lmod, lfoo, tmod, n;
	static const char modules[] =
		"modA 16384 0 - Live 0x0000000000000000\n"
		"nobtf 8192 1 modA, Live 0x0000000000000000\n"
		"../../etc/passwd 1 0 - Live 0x0\n"
		"garbled 4096 0 - Live 0x0\n"
		"noeol";

	(void)state;
	base_types(&vb);
	vraw = raw_of(e, &vb, false, &vlen);
	/* Split BTF: struct modfoo { int a; int q; } on top of vmlinux's int (id 1). */
	bb_btf_init_split(&mb, vb.next_id, (uint32_t)vb.str_len);
	tmod = bb_btf_add_struct(&mb, "modfoo", 8, false);
	bb_btf_add_member(&mb, "a", 1, 0);
	bb_btf_add_member(&mb, "q", 1, 32);
	mraw = raw_of(e, &mb, false, &mlen);
	bb_btf_init_split(&bad, vb.next_id, (uint32_t)vb.str_len);
	bb_btf_add_struct(&bad, "modfoo", 8, false);
	*bb_btf_word(&bad, 1) = INFO(30, 0, 0);	/* unknown kind */
	badraw = raw_of(e, &bad, false, &badlen);
	add_file(e, "/sys/kernel/btf/vmlinux", vraw, vlen);
	add_file(e, "/proc/modules", (const uint8_t *)modules, sizeof(modules) - 1);
	add_file(e, "/sys/kernel/btf/modA", mraw, mlen);
	add_file(e, "/sys/kernel/btf/garbled", badraw, badlen);

	bb_btf_init(&lb);
	l_i32 = bb_btf_add_int(&lb, "int", 4, BTF_INT_SIGNED, 32);
	lmod = bb_btf_add_struct(&lb, "modfoo", 8, false);
	bb_btf_add_member(&lb, "q", l_i32, 0);
	lfoo = bb_btf_add_struct(&lb, "foo___v2", 8, false);
	bb_btf_add_member(&lb, "b", l_i32, 0);
	lraw = bb_btf_raw(&lb, false, &llen);
	bbpf_arena_init(&la, &bbpf_alloc_libc, 1u << 20);
	assert_int_equal(bbpf_btf_parse_raw(&local, lraw, llen, NULL, &la, &d), 0);

	assert_int_equal(bbpf_ctx_core_cache(e->ctx, &cache), 0);
	vml = e->ctx->vmlinux;
	assert_ptr_equal(cache->vmlinux, vml);
	assert_true(cache->search_modules);
	/* Mapped through the fake's mmap, which serves the file's bytes. */
	assert_int_equal(e->w.hook_calls[FS_HOOK_MMAP], 1);

	/* In vmlinux: modules are not read. */
	assert_int_equal(bbpf_core_find_cands(cache, &local, lfoo, &cc, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(cc[0].btf, vml);
	assert_int_equal(cc[0].id, 2);
	assert_false(cache->modules_loaded);

	/* Only in modA: found there, ids in the split numbering. */
	assert_int_equal(bbpf_core_find_cands(cache, &local, lmod, &cc, &n), 0);
	assert_true(cache->modules_loaded);
	assert_int_equal(cache->mod_cnt, 1);
	assert_string_equal(cache->mod_names[0], "modA");
	assert_int_equal(n, 1);
	assert_ptr_equal(cc[0].btf->base, vml);
	assert_int_equal(cc[0].id, tmod);
	assert_string_equal(bbpf_btf_name(cc[0].btf, cc[0].id), "modfoo");
	assert_non_null(strstr(e->log.text, "/sys/kernel/btf/garbled: malformed module BTF"));
	/* No name index anywhere. */
	assert_null(vml->name_hash);
	assert_null(cc[0].btf->name_hash);

	bbpf_arena_free(&la);
	free(lraw);
	bb_btf_free(&vb);
	bb_btf_free(&mb);
	bb_btf_free(&bad);
	bb_btf_free(&lb);
	tb_env_free(e);	/* the fake mapping is released too */
}

/* No /proc/modules (CONFIG_MODULES=n): nothing found, no error. */
static void test_modules_none(void **state)
{
	struct tb_env *e = tb_env_new(false, NULL);
	struct bbpf_core_cache *cache;
	const struct bbpf_core_cand *cc;
	struct bb_btf vb, lb;
	struct bbpf_btf local;
	struct bbpf_arena la;
	struct bbpf_diag d = { 0 };
	const uint8_t *vraw;
	uint8_t *lraw;
	uint32_t vlen, llen, lid, n;

	(void)state;
	base_types(&vb);
	vraw = raw_of(e, &vb, false, &vlen);
	add_file(e, "/sys/kernel/btf/vmlinux", vraw, vlen);
	bb_btf_init(&lb);
	lid = bb_btf_add_struct(&lb, "nowhere", 4, false);
	lraw = bb_btf_raw(&lb, false, &llen);
	bbpf_arena_init(&la, &bbpf_alloc_libc, 1u << 20);
	assert_int_equal(bbpf_btf_parse_raw(&local, lraw, llen, NULL, &la, &d), 0);
	assert_int_equal(bbpf_ctx_core_cache(e->ctx, &cache), 0);
	assert_int_equal(bbpf_core_find_cands(cache, &local, lid, &cc, &n), 0);
	assert_int_equal(n, 0);
	assert_true(cache->modules_loaded);
	assert_int_equal(cache->mod_cnt, 0);
	bbpf_arena_free(&la);
	free(lraw);
	bb_btf_free(&vb);
	bb_btf_free(&lb);
	tb_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fallback_elf),
		cmocka_unit_test(test_fallback_order),
		cmocka_unit_test(test_fallback_none),
		cmocka_unit_test(test_caller_raw),
		cmocka_unit_test(test_caller_elf),
		cmocka_unit_test(test_caller_malformed),
		cmocka_unit_test(test_trusted_garbled),
		cmocka_unit_test(test_trusted_structural_errors),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_modules_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
