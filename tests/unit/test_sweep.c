// SPDX-License-Identifier: BSD-2-Clause
/*
 * Robustness sweeps over every fixture in BBPF_FIXTURE_DIR (run
 * `make fixtures` first): truncation, a section-table-first rewrite,
 * length-field corruption, seeded mutations, allocation failure, memory
 * budgets, and a replay of tests/data/bad/.
 *
 * Every open must either succeed or fail cleanly:
 *  - 0, -EBADMSG, -E2BIG or -ENOMEM. -EINVAL is misuse only (object.h), so
 *    bytes alone must never produce it.
 *  - -EBADMSG carries a diag reason that is not a limit; -E2BIG carries a
 *    *_LIMIT reason; success leaves diag.why at BBPF_BAD_NONE.
 *  - on failure *out is untouched and the log callback got at least one
 *    line naming the object; on success *out is set.
 *  - ASan/UBSan stay quiet and nothing leaks (fail_alloc's live count and
 *    LeakSanitizer at exit).
 * Under a failing allocator or a small mem_budget, any result other than
 * the one with default options must be -ENOMEM (the only open allowed to
 * fail without a log line is the one whose object allocation itself fails).
 *
 * Violations are counted, not fatal at once, so one run shows them all; the
 * first per fixture and test is saved as BBPF_BUILD_DIR/sweep-fail-*.o and
 * the test fails at its end. A sanitizer death dumps the input being opened
 * to BBPF_BUILD_DIR/sweep-crash.o first.
 *
 * BBPF_SWEEP_MUTANTS overrides the number of mutants per object (default 3000).
 *
 * Cost: the replay, the section-table-first verdicts, the length fields and
 * the allocation failures cover every fixture (cheap). Truncation (also of
 * the rewritten objects), mutation and the memory-budget sweep cover one
 * representative object per kind (swept(), below), which keeps the file
 * well under a minute on 2 cores; BBPF_SWEEP_ALL=1 sweeps every fixture.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sanitizer/common_interface_defs.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "fail_alloc.h"
#include "sweep_util.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Truncation: every prefix length in the first and last TRUNC_EDGE bytes,
 * where headers and the (clang: trailing) section table live, and every
 * TRUNC_STRIDE-th length in between. The stride is prime so the cut points
 * land at every alignment. With today's fixtures (<= 25 KiB) that is every
 * prefix of those up to 8 KiB and ~42% of the prefixes of the largest.
 */
#define TRUNC_EDGE	4096u
#define TRUNC_STRIDE	7u

/*
 * Mutants per object (each fixture and its section-table-first rewrite).
 * 3000 gives 210k opens over today's 35 fixtures, about 5 s under
 * ASan+UBSan on the 2-core build machine; the whole file takes ~20 s.
 */
#define MUTANTS_DEFAULT	3000ul

#define MAX_REPORTS	3	/* violations printed in full per fixture and test */

struct fixtures {
	struct su_file *f;
	size_t cnt;
};

/*
 * One object per kind for the expensive sweeps (names without ".o"): each
 * fixture's other byte order and the fixtures covering the same parts are
 * left to the cheap sweeps.
 */
static const char *const representatives[] = {
	"minimal.bpf",			/* the example: a program, .bss and .rodata */
	"progs_sections.bpfeb",		/* every section kind, subprograms; big-endian, largest */
	"maps_btf.bpf",			/* BTF maps, map-in-map, prog_array relocations in .maps */
	"globals.bpf",			/* .data/.rodata/.bss, custom .data.foo */
	"globals_bss_custom.bpfeb",	/* a custom NOBITS .bss.baz; big-endian */
	"externs.bpf",			/* .kconfig and .ksyms externs, kfuncs */
	"callbacks.bpf",		/* callbacks (BPF_PSEUDO_FUNC), subprogram chains */
	"core_tm.bpf",			/* CO-RE relocation records, ENUM64 */
	"legacy_maps.bpfeb",		/* SEC("maps") records, version; big-endian */
	"legacy_big_nonzero.bpf",	/* a negative fixture: rejected */
	"nobtf_stripped.bpf",		/* no .BTF and no .BTF.ext at all */
};
#define REPRESENTATIVES (sizeof(representatives) / sizeof(representatives[0]))

/* Whether the expensive sweeps take f (every fixture with BBPF_SWEEP_ALL=1). */
static bool swept(const struct su_file *f)
{
	const char *all = getenv("BBPF_SWEEP_ALL");
	size_t i;

	if (all && !strcmp(all, "1"))
		return true;
	for (i = 0; i < REPRESENTATIVES; i++)
		if (!strcmp(f->name, representatives[i]))
			return true;
	return false;
}

/* Each representative was there and swept (or every fixture, with BBPF_SWEEP_ALL=1). */
static void assert_swept(const struct fixtures *fx, size_t n)
{
	const char *all = getenv("BBPF_SWEEP_ALL");

	if (all && !strcmp(all, "1"))
		assert_int_equal(n, fx->cnt);
	else if (n != REPRESENTATIVES)
		fail_msg("%zu of the %zu representative fixtures swept: one is missing "
			 "(make fixtures) or was renamed", n, REPRESENTATIVES);
}

/* ---- sanitizer death: keep the input ---- */

static struct {
	const uint8_t *buf;
	size_t len;
	char what[512];
} cur;

static void on_death(void)
{
	const char *path = BBPF_BUILD_DIR "/sweep-crash.o";

	if (!cur.buf && cur.len)
		return;
	if (su_write_file(path, cur.buf, cur.len) == 0)
		fprintf(stderr, "test_sweep: died opening %s (%zu bytes); input saved to %s\n",
			cur.what, cur.len, path);
}

/* ---- one open and its contract ---- */

struct log_ctx {
	const char *name;
	unsigned int calls;
	bool named;
	char first[256];
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct log_ctx *l = ctx;

	(void)level;
	if (!l->calls)
		snprintf(l->first, sizeof(l->first), "%s", msg);
	l->calls++;
	if (strstr(msg, l->name))
		l->named = true;
}

struct outcome {
	int rc;
	struct bbpf_diag diag;
	struct log_ctx log;
	bool out_bad;		/* *out written on failure, or not on success */
	char *sig;		/* on success, if asked: describe() of the object */
};

/* Touch everything an open produced; the strings and arrays must be valid. */
static void exercise(struct bbpf_object *obj)
{
	struct bbpf_btf_summary bs;
	volatile uint64_t sink = 0;
	size_t i, j, n;

	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);
		const struct bpf_insn *insn = bbpf_program_insns(p);
		struct bbpf_relo_counts rc;

		sink += strlen(bbpf_program_name(p)) + strlen(bbpf_program_section(p)) +
			strlen(bbpf_program_attach_target(p));
		for (j = 0; j < bbpf_program_insn_cnt(p); j++)
			sink += (uint32_t)insn[j].imm + insn[j].code;
		bbpf_program_relo_counts(p, &rc);
	}
	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		struct bbpf_map *m = bbpf_object_map(obj, i);
		const unsigned char *v = bbpf_map_initial_value(m, &n);

		sink += strlen(bbpf_map_name(m)) + bbpf_map_key_size(m);
		for (j = 0; v && j < n; j++)
			sink += v[j];
		for (j = 0; j < bbpf_map_init_slot_cnt(m); j++) {
			const char *target;
			uint32_t slot;

			if (!bbpf_map_init_slot(m, j, &slot, &target))
				sink += strlen(target) + slot;
		}
	}
	for (i = 0; i < bbpf_object_extern_cnt(obj); i++)
		sink += strlen(bbpf_extern_name(bbpf_object_extern(obj, i)));
	sink += strlen(bbpf_object_license(obj));
	bbpf_object_btf_summary(obj, &bs);
	(void)sink;
}

/* A stable text form of what the object holds, to compare two opens. */
static char *describe(struct bbpf_object *obj)
{
	char *s = NULL;
	size_t len = 0, i, j;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	fprintf(f, "license=%s version=%u progs=%zu subprogs=%zu maps=%zu externs=%zu\n",
		bbpf_object_license(obj), bbpf_object_kern_version(obj),
		bbpf_object_program_cnt(obj), bbpf_object_subprog_cnt(obj),
		bbpf_object_map_cnt(obj), bbpf_object_extern_cnt(obj));
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);
		const struct bpf_insn *insn = bbpf_program_insns(p);
		uint64_t h = 0;

		for (j = 0; j < bbpf_program_insn_cnt(p); j++)
			h = h * 31 + (uint64_t)insn[j].imm * 7 + insn[j].code + insn[j].off;
		fprintf(f, "prog %s sec=%s type=%d insns=%zu hash=%" PRIx64 "\n",
			bbpf_program_name(p), bbpf_program_section(p), (int)bbpf_program_type(p),
			bbpf_program_insn_cnt(p), h);
	}
	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		struct bbpf_map *m = bbpf_object_map(obj, i);

		fprintf(f, "map %s kind=%d type=%d key=%u value=%u max=%u\n", bbpf_map_name(m),
			(int)bbpf_map_kind(m), (int)bbpf_map_type(m), bbpf_map_key_size(m),
			bbpf_map_value_size(m), bbpf_map_max_entries(m));
	}
	for (i = 0; i < bbpf_object_extern_cnt(obj); i++) {
		struct bbpf_extern *e = bbpf_object_extern(obj, i);

		fprintf(f, "extern %s kind=%d\n", bbpf_extern_name(e), (int)bbpf_extern_kind(e));
	}
	fclose(f);
	return s;
}

static void do_open(const uint8_t *buf, size_t len, const char *name,
		    const struct bbpf_alloc *alloc, size_t budget, bool want_sig,
		    struct outcome *o)
{
	static char sentinel;
	struct bbpf_object *obj = (struct bbpf_object *)&sentinel;
	struct bbpf_open_opts opts = {
		.object_name = name, .log = log_cb, .alloc = alloc, .mem_budget = budget,
	};

	memset(o, 0, sizeof(*o));
	o->log.name = name;
	opts.log_ctx = &o->log;
	cur.buf = buf;
	cur.len = len;
	o->rc = bbpf_object_open_mem(&obj, buf, len, &opts, &o->diag);
	if (o->rc) {
		o->out_bad = obj != (struct bbpf_object *)&sentinel;
		return;
	}
	if (!obj || obj == (struct bbpf_object *)&sentinel) {
		o->out_bad = true;
		return;
	}
	exercise(obj);
	if (want_sig)
		o->sig = describe(obj);
	bbpf_object_close(obj);
}

static bool is_limit(enum bbpf_bad why)
{
	return why == BBPF_BAD_ELF_LIMIT || why == BBPF_BAD_BTF_LIMIT || why == BBPF_BAD_OBJ_LIMIT;
}

/*
 * NULL if the outcome keeps the contract, else what is wrong (static text).
 * need_log is false only where the object itself could not be allocated.
 */
static const char *violation(const struct outcome *o, bool need_log)
{
	if (o->out_bad)
		return o->rc ? "*out written on failure" : "success without an object";
	if (o->rc == 0)
		return o->diag.why == BBPF_BAD_NONE ? NULL : "success with diag.why set";
	if (o->rc != -EBADMSG && o->rc != -E2BIG && o->rc != -ENOMEM)
		return "unexpected error code";
	if ((unsigned int)o->diag.why >= BBPF_BAD_MAX)
		return "diag.why out of range";
	if (o->rc == -EBADMSG && (o->diag.why == BBPF_BAD_NONE || is_limit(o->diag.why)))
		return "-EBADMSG without a (non-limit) reason";
	if (o->rc == -E2BIG && !is_limit(o->diag.why))
		return "-E2BIG without a limit reason";
	if (need_log && !o->log.calls)
		return "error without a log line";
	if (need_log && !o->log.named)
		return "no log line names the object";
	return NULL;
}

/*
 * Same result: the same programs, maps and externs (describe()) on success,
 * the same error, reason and section on failure.
 */
static bool same_verdict(const struct outcome *a, const struct outcome *b)
{
	if (a->rc != b->rc)
		return false;
	if (a->rc == 0)
		return a->sig && b->sig && !strcmp(a->sig, b->sig);
	return a->diag.why == b->diag.why && a->diag.sec == b->diag.sec;
}

/* ---- counts ---- */

struct stats {
	unsigned long opens, ok, enomem, e2big, bad;
	unsigned long why[BBPF_BAD_MAX];
	unsigned long violations;
};

static void count(struct stats *s, const struct outcome *o)
{
	s->opens++;
	if (o->rc == 0)
		s->ok++;
	else if (o->rc == -ENOMEM)
		s->enomem++;
	else if (o->rc == -E2BIG)
		s->e2big++;
	else
		s->bad++;
	if (o->rc && (unsigned int)o->diag.why < BBPF_BAD_MAX && o->diag.why != BBPF_BAD_NONE)
		s->why[o->diag.why]++;
}

static void add_stats(struct stats *to, const struct stats *s)
{
	size_t i;

	to->opens += s->opens;
	to->ok += s->ok;
	to->enomem += s->enomem;
	to->e2big += s->e2big;
	to->bad += s->bad;
	to->violations += s->violations;
	for (i = 0; i < BBPF_BAD_MAX; i++)
		to->why[i] += s->why[i];
}

static void print_stats(const char *label, const struct stats *s)
{
	size_t i;

	printf("  %-26s %7lu opens: ok %lu, -EBADMSG %lu, -E2BIG %lu, -ENOMEM %lu", label,
	       s->opens, s->ok, s->bad, s->e2big, s->enomem);
	if (s->violations)
		printf(", VIOLATIONS %lu", s->violations);
	printf("\n");
	for (i = 1; i < BBPF_BAD_MAX; i++)
		if (s->why[i])
			printf("  %-26s     %6lu  %s\n", "", s->why[i], bbpf_bad_str(i));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Record a violation in s (one fixture's counts): the first MAX_REPORTS are
 * printed, and the first input is saved.
 */
static void report(struct stats *s, const char *test, const char *fixture, const char *what,
		   const uint8_t *buf, size_t len, const struct outcome *o, const char *problem)
{
	char path[512];

	if (s->violations++ == 0) {
		snprintf(path, sizeof(path), "%s/sweep-fail-%s-%s.o", BBPF_BUILD_DIR, test,
			 fixture);
		if (su_write_file(path, buf, len) == 0)
			print_error("  saved %s\n", path);
	}
	if (s->violations > MAX_REPORTS)
		return;
	print_error("VIOLATION %s: %s %s (%zu bytes): %s: rc %d, why %d (%s) sec %u off 0x%" PRIx64
		    ", log lines %u, first: \"%s\"\n",
		    test, fixture, what, len, problem, o->rc, (int)o->diag.why,
		    bbpf_bad_str(o->diag.why), o->diag.sec, o->diag.off, o->log.calls,
		    o->log.first);
}

/*
 * Open a malloc'd copy of exactly len bytes (so ASan catches reads past the
 * end), count it, and check the contract.
 */
static const char *check_copy(const uint8_t *buf, size_t len, const char *name,
			      struct stats *s, struct outcome *o)
{
	uint8_t *copy = su_dup(buf, len);
	const char *bad;

	do_open(copy, len, name, NULL, 0, false, o);
	count(s, o);
	bad = violation(o, true);
	free(copy);
	return bad;
}

/* ---- fixtures ---- */

static int group_setup(void **state)
{
	struct fixtures *fx = calloc(1, sizeof(*fx));
	int err;

	if (!fx)
		return -1;
	err = su_load_dir(BBPF_FIXTURE_DIR, ".o", &fx->f, &fx->cnt);
	if (err || fx->cnt == 0) {
		print_error("no fixtures in %s (run `make fixtures`): %d\n", BBPF_FIXTURE_DIR, err);
		free(fx);
		return -1;
	}
	__sanitizer_set_death_callback(on_death);
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixtures *fx = *state;

	su_free_files(fx->f, fx->cnt);
	free(fx);
	return 0;
}

/* ---- 1, 2: truncation ---- */

static void truncation_sweep(const char *test, const char *name, const uint8_t *buf,
			     size_t len, struct stats *total)
{
	struct stats s = { 0 };
	struct outcome o;
	size_t p;

	for (p = 0; p <= len; p++) {
		const char *bad;
		char what[64];

		if (p > TRUNC_EDGE && p + TRUNC_EDGE < len && p % TRUNC_STRIDE)
			continue;
		snprintf(what, sizeof(what), "prefix %zu", p);
		snprintf(cur.what, sizeof(cur.what), "%s %s", name, what);
		bad = check_copy(buf, p, name, &s, &o);
		if (bad)
			report(&s, test, name, what, buf, p, &o, bad);
	}
	print_stats(name, &s);
	add_stats(total, &s);
}

static void test_truncation(void **state)
{
	struct fixtures *fx = *state;
	struct stats total = { 0 };
	double t0 = now();
	size_t i, n = 0;

	printf("truncation (all of the first/last %u bytes, every %u-th elsewhere):\n",
	       TRUNC_EDGE, TRUNC_STRIDE);
	for (i = 0; i < fx->cnt; i++) {
		if (!swept(&fx->f[i]))
			continue;
		truncation_sweep("trunc", fx->f[i].name, fx->f[i].buf, fx->f[i].len, &total);
		n++;
	}
	print_stats("all swept", &total);
	printf("  truncation: %zu objects in %.1f s\n", n, now() - t0);
	assert_swept(fx, n);
	assert_int_equal(total.violations, 0);
}

static void test_shdrs_first(void **state)
{
	struct fixtures *fx = *state;
	struct stats total = { 0 };
	double t0 = now();
	size_t i, n = 0;

	printf("section table first (rewritten objects, then their truncation):\n");
	for (i = 0; i < fx->cnt; i++) {
		const struct su_file *f = &fx->f[i];
		struct outcome a, b;
		struct su_elf e;
		char name[128];
		size_t len;
		uint8_t *re = su_shdrs_first(f->buf, f->len, &len);

		assert_non_null(re);
		assert_int_equal(su_elf_read(re, len, &e), 0);
		assert_int_equal(e.shoff, 64);
		do_open(f->buf, f->len, f->name, NULL, 0, true, &a);
		do_open(re, len, f->name, NULL, 0, true, &b);
		/* Negative fixtures must be rejected for the same reason. */
		if (violation(&b, true) || !same_verdict(&a, &b)) {
			print_error("%s: original rc %d (%s), rewritten rc %d (%s)\n%s---\n%s",
				    f->name, a.rc, bbpf_bad_str(a.diag.why), b.rc,
				    bbpf_bad_str(b.diag.why), a.sig ? a.sig : "", b.sig ? b.sig : "");
			total.violations++;
		} else if (a.rc) {
			printf("  %s: rejected as the original is: %s\n", f->name,
			       bbpf_bad_str(a.diag.why));
		}
		free(a.sig);
		free(b.sig);
		snprintf(name, sizeof(name), "%s+shfirst", f->name);
		if (swept(f)) {
			truncation_sweep("shfirst", name, re, len, &total);
			n++;
		}
		free(re);
	}
	print_stats("all fixtures", &total);
	printf("  section table first: %zu objects, %zu truncated, in %.1f s\n", fx->cnt, n,
	       now() - t0);
	assert_swept(fx, n);
	assert_int_equal(total.violations, 0);
}

/* ---- 3: length fields ---- */

struct field_ctx {
	const struct su_file *f;
	struct stats *s;
};

/* Patch one field of a copy of the fixture and open it. */
static void try_field(struct field_ctx *c, uint64_t off, unsigned int width, uint64_t v,
		      const char *what)
{
	uint8_t *copy = su_dup(c->f->buf, c->f->len);
	bool be = c->f->buf[EI_DATA] == ELFDATA2MSB;
	struct outcome o;
	const char *bad;

	su_put(copy, off, width, v, be);
	snprintf(cur.what, sizeof(cur.what), "%s %s", c->f->name, what);
	do_open(copy, c->f->len, c->f->name, NULL, 0, false, &o);
	count(c->s, &o);
	bad = violation(&o, true);
	if (bad)
		report(c->s, "field", c->f->name, what, copy, c->f->len, &o, bad);
	free(copy);
}

static void sweep_shdr_fields(struct field_ctx *c, const struct su_elf *e)
{
	const uint8_t *buf = c->f->buf;
	uint64_t len = c->f->len;
	uint32_t i;
	size_t k;

	for (i = 1; i < e->shnum; i++) {
		uint64_t base = su_shdr_off(e, i);
		const char *sname = su_sec_name(buf, len, e, i);
		struct su_shdr sh;
		char what[160];

		su_shdr_get(buf, e, i, &sh);
		{
			const uint64_t sizes[] = {
				0, 1, sh.size - 1, sh.size / 2, sh.size + 1, UINT64_MAX,
				sh.off < len ? len - sh.off + 1 : 1,	/* one byte past EOF */
				UINT32_MAX, (uint64_t)UINT32_MAX + 1,
			};
			const uint64_t offs[] = {
				0, len, len - (sh.size < len ? sh.size : len) + 1, UINT64_MAX,
				UINT64_MAX - sh.size + 1, sh.off + 1,
			};
			const uint64_t ents[] = { 0, 1, sh.entsize - 1, sh.entsize + 1, UINT64_MAX };
			const uint64_t links[] = { 0, i, e->shnum, e->shstrndx, UINT32_MAX };

			for (k = 0; k < ARRAY_LEN(sizes); k++) {
				snprintf(what, sizeof(what), "sec %u (%s) sh_size=0x%" PRIx64, i,
					 sname, sizes[k]);
				try_field(c, base + offsetof(Elf64_Shdr, sh_size), 8, sizes[k], what);
			}
			for (k = 0; k < ARRAY_LEN(offs); k++) {
				snprintf(what, sizeof(what), "sec %u (%s) sh_offset=0x%" PRIx64, i,
					 sname, offs[k]);
				try_field(c, base + offsetof(Elf64_Shdr, sh_offset), 8, offs[k], what);
			}
			for (k = 0; k < ARRAY_LEN(ents); k++) {
				snprintf(what, sizeof(what), "sec %u (%s) sh_entsize=0x%" PRIx64, i,
					 sname, ents[k]);
				try_field(c, base + offsetof(Elf64_Shdr, sh_entsize), 8, ents[k], what);
			}
			for (k = 0; k < ARRAY_LEN(links); k++) {
				snprintf(what, sizeof(what), "sec %u (%s) sh_link=0x%" PRIx64, i,
					 sname, links[k]);
				try_field(c, base + offsetof(Elf64_Shdr, sh_link), 4, links[k], what);
				snprintf(what, sizeof(what), "sec %u (%s) sh_info=0x%" PRIx64, i,
					 sname, links[k]);
				try_field(c, base + offsetof(Elf64_Shdr, sh_info), 4, links[k], what);
			}
			snprintf(what, sizeof(what), "sec %u (%s) sh_name=UINT32_MAX", i, sname);
			try_field(c, base + offsetof(Elf64_Shdr, sh_name), 4, UINT32_MAX, what);
		}
	}
}

static void sweep_ehdr_fields(struct field_ctx *c, const struct su_elf *e)
{
	uint64_t len = c->f->len, tab = (uint64_t)e->shnum * e->shentsize;
	const struct {
		const char *name;
		uint64_t off;
		unsigned int width;
		uint64_t vals[6];
	} fields[] = {
		{ "e_shoff", offsetof(Elf64_Ehdr, e_shoff), 8,
		  { 0, 1, len - tab + 1, len, UINT64_MAX, e->shoff - 1 } },
		{ "e_shnum", offsetof(Elf64_Ehdr, e_shnum), 2,
		  { 0, 1, e->shnum - 1, e->shnum + 1, 0xffff, 0xff00 } },
		{ "e_shstrndx", offsetof(Elf64_Ehdr, e_shstrndx), 2,
		  { 0, e->shnum, e->shnum - 1, SHN_XINDEX, SHN_LORESERVE, 1 } },
		{ "e_shentsize", offsetof(Elf64_Ehdr, e_shentsize), 2, { 0, 1, 63, 65, 128, 0xffff } },
		{ "e_ehsize", offsetof(Elf64_Ehdr, e_ehsize), 2, { 0, 63, 65, 0xffff, 1, 128 } },
		{ "e_phnum", offsetof(Elf64_Ehdr, e_phnum), 2, { 1, 2, 0xffff, 1, 1, 1 } },
	};
	size_t i, k;

	for (i = 0; i < ARRAY_LEN(fields); i++) {
		for (k = 0; k < ARRAY_LEN(fields[i].vals); k++) {
			char what[96];

			snprintf(what, sizeof(what), "%s=0x%" PRIx64, fields[i].name,
				 fields[i].vals[k]);
			try_field(c, fields[i].off, fields[i].width, fields[i].vals[k], what);
		}
	}
}

/* Each u32 at off gets -1, -4, +1, +4, 0 and 0xffffffff. */
static void sweep_u32(struct field_ctx *c, uint64_t off, const char *label)
{
	bool be = c->f->buf[EI_DATA] == ELFDATA2MSB;
	uint32_t v = (uint32_t)su_get(c->f->buf, off, 4, be);
	const uint32_t vals[] = { v - 1, v - 4, v + 1, v + 4, 0, 0xffffffffu };
	size_t k;

	for (k = 0; k < ARRAY_LEN(vals); k++) {
		char what[128];

		snprintf(what, sizeof(what), "%s 0x%x -> 0x%x (file off 0x%" PRIx64 ")", label, v,
			 vals[k], off);
		try_field(c, off, 4, vals[k], what);
	}
}

/*
 *   .BTF:      u16 magic, u8 version, u8 flags, u32 hdr_len,
 *              u32 type_off, type_len, str_off, str_len
 *   .BTF.ext:  u16 magic, u8 version, u8 flags, u32 hdr_len,
 *              u32 func_info_off, func_info_len, line_info_off, line_info_len,
 *              [u32 core_relo_off, core_relo_len  if hdr_len >= 32]
 *              each non-empty block at hdr_len + *_off starts with u32 rec_size
 */
static void sweep_btf_headers(struct field_ctx *c, const struct su_elf *e)
{
	static const char *const btf_fields[] = {
		"BTF hdr_len", "BTF type_off", "BTF type_len", "BTF str_off", "BTF str_len",
	};
	static const char *const ext_fields[] = {
		"BTF.ext hdr_len", "BTF.ext func_info_off", "BTF.ext func_info_len",
		"BTF.ext line_info_off", "BTF.ext line_info_len", "BTF.ext core_relo_off",
		"BTF.ext core_relo_len",
	};
	static const char *const rec_sizes[] = {
		"BTF.ext func_info rec_size", "BTF.ext line_info rec_size",
		"BTF.ext core_relo rec_size",
	};
	const uint8_t *buf = c->f->buf;
	size_t len = c->f->len;
	uint32_t idx = su_find_sec(buf, len, e, ".BTF");
	struct su_shdr sh;
	uint32_t hdr_len, k;

	if (idx) {
		su_shdr_get(buf, e, idx, &sh);
		assert_true(sh.size >= 24);
		for (k = 0; k < ARRAY_LEN(btf_fields); k++)
			sweep_u32(c, sh.off + 4 + 4 * k, btf_fields[k]);
	}
	idx = su_find_sec(buf, len, e, ".BTF.ext");
	if (!idx)
		return;
	su_shdr_get(buf, e, idx, &sh);
	assert_true(sh.size >= 24);
	hdr_len = (uint32_t)su_get(buf, sh.off + 4, 4, e->be);
	for (k = 0; k < ARRAY_LEN(ext_fields); k++)
		if (8 + 4 * k <= hdr_len)	/* the field ends inside the header */
			sweep_u32(c, sh.off + 4 + 4 * k, ext_fields[k]);
	for (k = 0; k < ARRAY_LEN(rec_sizes); k++) {
		uint64_t off_at = 8 + 8 * k;

		if (off_at + 8 > hdr_len)
			break;
		uint64_t blk = hdr_len + su_get(buf, sh.off + off_at, 4, e->be);

		if (su_get(buf, sh.off + off_at + 4, 4, e->be) == 0)
			continue;	/* empty block: no rec_size word */
		assert_true(blk + 4 <= sh.size);
		sweep_u32(c, sh.off + blk, rec_sizes[k]);
	}
}

static void test_length_fields(void **state)
{
	struct fixtures *fx = *state;
	struct stats total = { 0 };
	double t0 = now();
	size_t i;

	printf("length fields (section headers, ELF header, BTF and BTF.ext headers):\n");
	for (i = 0; i < fx->cnt; i++) {
		struct stats s = { 0 };
		struct field_ctx c = { .f = &fx->f[i], .s = &s };
		unsigned long before;
		struct su_elf e;
		char label[160];

		assert_int_equal(su_elf_read(fx->f[i].buf, fx->f[i].len, &e), 0);
		sweep_shdr_fields(&c, &e);
		sweep_ehdr_fields(&c, &e);
		before = s.opens;
		sweep_btf_headers(&c, &e);
		snprintf(label, sizeof(label), "%s (%u secs, %lu BTF)", fx->f[i].name, e.shnum,
			 (s.opens - before) / 6);
		print_stats(label, &s);
		add_stats(&total, &s);
	}
	print_stats("all fixtures", &total);
	printf("  length fields: %.1f s\n", now() - t0);
	assert_int_equal(total.violations, 0);
}

/* ---- 4: seeded mutations ---- */

static unsigned long mutant_cnt(void)
{
	const char *s = getenv("BBPF_SWEEP_MUTANTS");
	char *end;
	unsigned long n;

	if (!s || !*s)
		return MUTANTS_DEFAULT;
	n = strtoul(s, &end, 0);
	return *end ? MUTANTS_DEFAULT : n;
}

/* Regions where half of the mutation offsets land: headers and tables. */
static size_t hot_regions(const struct su_file *f, const struct su_elf *e, struct su_region *hot,
			  size_t max)
{
	size_t n = 0;
	uint32_t i;

	hot[n++] = (struct su_region){ 0, sizeof(Elf64_Ehdr) };
	hot[n++] = (struct su_region){ e->shoff, (uint64_t)e->shnum * e->shentsize };
	for (i = 1; i < e->shnum && n < max; i++) {
		const char *name = su_sec_name(f->buf, f->len, e, i);
		struct su_shdr sh;

		su_shdr_get(f->buf, e, i, &sh);
		if (sh.type == SHT_NOBITS || !sh.size)
			continue;
		if (sh.type == SHT_SYMTAB || sh.type == SHT_REL || sh.type == SHT_RELA ||
		    (name && (!strcmp(name, ".maps") || !strcmp(name, ".BTF.ext") ||
			      !strcmp(name, "maps"))))
			hot[n++] = (struct su_region){ sh.off, sh.size };
		else if (name && !strcmp(name, ".BTF"))	/* header and the first types */
			hot[n++] = (struct su_region){ sh.off, sh.size < 512 ? sh.size : 512 };
	}
	return n;
}

static void replay_muts(const struct su_file *f, const struct su_mut *muts, size_t cnt,
			const bool *keep, uint8_t **out, size_t *out_len)
{
	uint8_t *work = su_dup(f->buf, f->len);
	size_t len = f->len, i;

	for (i = 0; i < cnt; i++)
		if (keep[i])
			su_mut_apply(work, &len, f->buf[EI_DATA] == ELFDATA2MSB, &muts[i]);
	*out = su_dup(work, len);
	*out_len = len;
	free(work);
}

/*
 * Drop mutations one at a time while the contract is still broken, then
 * report the reduced mutant with its recipe.
 */
static void minimize_and_report(const struct su_file *f, unsigned long idx,
				const struct su_mut *muts, size_t cnt, struct stats *s)
{
	bool keep[SU_MUT_MAX];
	struct stats scratch = { 0 };
	struct outcome o;
	const char *bad = NULL;
	char what[1024], one[96];
	uint8_t *buf;
	size_t len, i, w;

	for (i = 0; i < cnt; i++)
		keep[i] = true;
	for (i = 0; i < cnt; i++) {
		keep[i] = false;
		replay_muts(f, muts, cnt, keep, &buf, &len);
		if (!check_copy(buf, len, f->name, &scratch, &o))
			keep[i] = true;
		free(buf);
	}
	replay_muts(f, muts, cnt, keep, &buf, &len);
	bad = check_copy(buf, len, f->name, &scratch, &o);
	w = (size_t)snprintf(what, sizeof(what), "mutant %lu:", idx);
	for (i = 0; i < cnt && w < sizeof(what); i++) {
		if (!keep[i])
			continue;
		su_mut_str(&muts[i], one, sizeof(one));
		w += (size_t)snprintf(what + w, sizeof(what) - w, " [%s]", one);
	}
	report(s, "mutant", f->name, what, buf, len, &o, bad ? bad : "(flaky)");
	free(buf);
}

static void mutate_fixture(const struct su_file *f, unsigned long n, struct stats *total)
{
	bool be = f->buf[EI_DATA] == ELFDATA2MSB;
	struct su_region hot[64];
	struct su_mut muts[SU_MUT_MAX];
	struct stats s = { 0 };
	struct su_rng rng;
	struct su_elf e;
	size_t hot_cnt;
	unsigned long m;

	assert_int_equal(su_elf_read(f->buf, f->len, &e), 0);
	hot_cnt = hot_regions(f, &e, hot, ARRAY_LEN(hot));
	su_rng_seed(&rng, su_hash_str(f->name));
	for (m = 0; m < n; m++) {
		uint8_t *work = su_dup(f->buf, f->len);
		size_t len = f->len, cnt, i, w;
		struct outcome o;

		cnt = su_mutate(&rng, work, &len, be, hot, hot_cnt, muts);
		/* The recipe, for a sanitizer death (see on_death()). */
		w = (size_t)snprintf(cur.what, sizeof(cur.what), "%s mutant %lu:", f->name, m);
		for (i = 0; i < cnt && w < sizeof(cur.what); i++) {
			char one[96];

			su_mut_str(&muts[i], one, sizeof(one));
			w += (size_t)snprintf(cur.what + w, sizeof(cur.what) - w, " [%s]", one);
		}
		if (check_copy(work, len, f->name, &s, &o))
			minimize_and_report(f, m, muts, cnt, &s);
		free(work);
	}
	print_stats(f->name, &s);
	add_stats(total, &s);
}

/*
 * Each fixture and its section-table-first rewrite (where a truncation
 * mutation cuts section data rather than the table).
 */
static void test_mutation(void **state)
{
	struct fixtures *fx = *state;
	struct stats total = { 0 };
	unsigned long n = mutant_cnt();
	double t0 = now();
	size_t i, objs = 0;

	printf("mutations (%lu per object, seed = FNV-1a of the object's name):\n", n);
	for (i = 0; i < fx->cnt; i++) {
		struct su_file re = { 0 };
		char name[128];

		if (!swept(&fx->f[i]))
			continue;
		objs++;
		mutate_fixture(&fx->f[i], n, &total);
		snprintf(name, sizeof(name), "%s+shfirst", fx->f[i].name);
		re.name = name;
		re.buf = su_shdrs_first(fx->f[i].buf, fx->f[i].len, &re.len);
		assert_non_null(re.buf);
		mutate_fixture(&re, n, &total);
		free(re.buf);
	}
	print_stats("all objects", &total);
	printf("  mutations: %lu mutants of %zu objects in %.1f s\n", n * 2 * objs, 2 * objs,
	       now() - t0);
	assert_swept(fx, objs);
	assert_int_equal(total.violations, 0);
}

/* ---- 5: out of memory ---- */

/*
 * Open f with a memory budget (0: the default) and an allocator that fails
 * from allocation n on (~0ul: never). Any result other than the reference
 * (f opened with default options) must be -ENOMEM, and nothing may stay
 * allocated. Returns true if the result is the reference one; *failed is
 * how many allocations were refused.
 */
static bool oom_try(const struct su_file *f, const struct outcome *ref, size_t budget,
		    unsigned long n, struct stats *s, int *rc, unsigned long *failed)
{
	struct fa fa;
	struct bbpf_alloc a = fa_after(&fa, n);
	struct outcome o;
	const char *bad;
	bool same;
	char what[96];

	if (n == ~0ul)
		snprintf(what, sizeof(what), "mem_budget %zu", budget);
	else
		snprintf(what, sizeof(what), "mem_budget %zu, allocation %lu fails", budget, n);
	snprintf(cur.what, sizeof(cur.what), "%s %s", f->name, what);
	do_open(f->buf, f->len, f->name, &a, budget, true, &o);
	count(s, &o);
	same = same_verdict(&o, ref);
	/* Allocation 0 is the object itself: there is nothing to log through yet. */
	bad = violation(&o, n > 0);
	if (!bad && fa.live)
		bad = "memory still allocated after the open failed or the object was closed";
	if (!bad && !same && o.rc != -ENOMEM)
		bad = fa.failed ? "allocation failure not reported as -ENOMEM"
				: budget ? "budget exhaustion not reported as -ENOMEM"
					 : "result differs from the reference open";
	if (bad)
		report(s, budget ? "budget" : "oom", f->name, what, f->buf, f->len, &o, bad);
	free(o.sig);
	*rc = o.rc;
	*failed = fa.failed;
	return same;
}

static struct outcome reference(const struct su_file *f)
{
	struct outcome ref;

	do_open(f->buf, f->len, f->name, NULL, 0, true, &ref);
	return ref;
}

/*
 * The smallest budget that gives the reference result, by bisection
 * between 0 and the default budget (which gives it by definition).
 */
static size_t budget_threshold(const struct su_file *f, const struct outcome *ref,
			       struct stats *s)
{
	size_t lo = 0, hi = BBPF_MEM_BUDGET_BASE + BBPF_MEM_BUDGET_FACTOR * f->len;
	unsigned long failed;
	int rc;

	/* Invariant: hi gives the reference result, lo does not (or is 0). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (oom_try(f, ref, mid, ~0ul, s, &rc, &failed))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Fail allocation n for n = 0, 1, ... until an open needs no more. */
static unsigned long fail_each_alloc(const struct su_file *f, const struct outcome *ref,
				     size_t budget, struct stats *s)
{
	unsigned long n, failed = 1;
	int rc;

	for (n = 0; failed && n < 100000; n++)
		oom_try(f, ref, budget, n, s, &rc, &failed);
	return n;
}

static void test_fail_alloc(void **state)
{
	struct fixtures *fx = *state;
	struct stats total = { 0 };
	double t0 = now();
	size_t i;

	/*
	 * With the default budget the arena takes one large chunk, so few
	 * allocations happen; at the smallest budget that opens, every chunk
	 * is sized to its request and every allocation site is reached.
	 */
	printf("allocation failure (allocation n fails, n = 0, 1, ...; default and tight budget):\n");
	for (i = 0; i < fx->cnt; i++) {
		const struct su_file *f = &fx->f[i];
		struct outcome ref = reference(f);
		struct stats s = { 0 }, scratch = { 0 };
		size_t tight = budget_threshold(f, &ref, &scratch);
		unsigned long n_def, n_tight;
		char label[160];

		n_def = fail_each_alloc(f, &ref, 0, &s);
		n_tight = fail_each_alloc(f, &ref, tight, &s);
		snprintf(label, sizeof(label), "%s (%lu, %lu allocs)", f->name, n_def - 1,
			 n_tight - 1);
		print_stats(label, &s);
		add_stats(&total, &s);
		free(ref.sig);
	}
	print_stats("all fixtures", &total);
	printf("  allocation failure: %.1f s\n", now() - t0);
	assert_int_equal(total.violations, 0);
}

static void test_mem_budget(void **state)
{
	struct fixtures *fx = *state;
	struct stats total = { 0 };
	double t0 = now();
	size_t i, objs = 0;

	/*
	 * Bisection finds a budget hi that gives the default result; then
	 * every budget in [1, hi) is tried. The arena sizes chunks from the
	 * budget, so success is not monotonic in it: a smaller budget that
	 * forces exact-size chunks can fit where a larger one's spare room
	 * does not. "needed" is therefore the smallest budget seen to work;
	 * every other budget must give -ENOMEM, cleanly.
	 */
	printf("memory budget (every budget below the bisection threshold):\n");
	for (i = 0; i < fx->cnt; i++) {
		const struct su_file *f = &fx->f[i];
		struct stats s = { 0 };
		size_t hi, b, needed, above = 0;
		unsigned long failed;
		struct outcome ref;
		char label[160];
		int rc;

		if (!swept(f))
			continue;
		objs++;
		ref = reference(f);
		hi = budget_threshold(f, &ref, &s);
		needed = hi;

		for (b = 1; b < hi; b++) {
			if (oom_try(f, &ref, b, ~0ul, &s, &rc, &failed)) {
				needed = b < needed ? b : needed;
				above++;
			}
		}
		if (above)
			printf("  %s: %zu budgets in [%zu, %zu) also give the default result\n",
			       f->name, above, needed, hi);
		snprintf(label, sizeof(label), "%s (needs %zu)", f->name, needed);
		print_stats(label, &s);
		add_stats(&total, &s);
		free(ref.sig);
	}
	print_stats("all swept", &total);
	printf("  memory budget: %zu objects in %.1f s\n", objs, now() - t0);
	assert_swept(fx, objs);
	assert_int_equal(total.violations, 0);
}

/* ---- 6: replay of minimized crashers ---- */

/* enum bbpf_bad without the BBPF_BAD_ prefix, as tests/data/bad/EXPECTED spells them. */
static const char *const why_names[] = {
	"NONE", "ELF_MAGIC", "ELF_CLASS", "ELF_DATA", "ELF_VERSION", "ELF_TYPE", "ELF_MACHINE",
	"ELF_TRUNCATED", "ELF_EHSIZE", "ELF_SHENTSIZE", "ELF_SECTION_TABLE", "ELF_EXTENDED",
	"ELF_SHSTRNDX", "ELF_SECTION_NAME", "ELF_SECTION_RANGE", "ELF_SECTION_LINK",
	"ELF_STRTAB", "ELF_SYMTAB", "ELF_SYM", "ELF_RELO", "ELF_PHDR", "ELF_LIMIT",
	"BTF_HEADER", "BTF_STRINGS", "BTF_TYPE", "BTF_KIND", "BTF_TYPE_ID", "BTF_NAME",
	"BTF_LOOP", "BTF_LIMIT", "BTF_EXT_HEADER", "BTF_EXT_SECTION", "BTF_EXT_RECORD",
	"OBJ_NO_BTF", "OBJ_PROG", "OBJ_INSN", "OBJ_RELO", "OBJ_MAP", "OBJ_DATA", "OBJ_EXTERN",
	"OBJ_LICENSE", "OBJ_LIMIT", "GZIP", "KCONFIG", "USDT_NOTE_TRUNCATED", "USDT_NOTE_OWNER",
	"USDT_NOTE_DESC", "USDT_NOTE_STRING", "USDT_ARG", "USDT_ADDR", "USDT_LIMIT", "LDCACHE",
	"LDCACHE_FORMAT",
};
_Static_assert(sizeof(why_names) / sizeof(why_names[0]) == BBPF_BAD_MAX,
	       "why_names must name every enum bbpf_bad value");

static const char *rc_name(int rc)
{
	switch (rc) {
	case 0: return "0";
	case -EBADMSG: return "EBADMSG";
	case -E2BIG: return "E2BIG";
	case -ENOMEM: return "ENOMEM";
	default: return "other";
	}
}

struct expect {
	char file[128], rc[16], why[32];
	bool seen;
};

/* The lines of tests/data/bad/EXPECTED: "file rc why", '#' comments. */
static size_t read_expected(const char *path, struct expect *ex, size_t max)
{
	char line[512];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[strspn(line, " \t\n")] == '\0')
			continue;
		assert_true(n < max);
		if (sscanf(line, "%127s %15s %31s", ex[n].file, ex[n].rc, ex[n].why) != 3)
			fail_msg("%s: malformed line: %s", path, line);
		ex[n].seen = false;
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Every object file in tests/data/bad (hostile inputs: test_bad_inputs.c
 * builds most of them, the rest are minimized fuzzer finds; X.fuzz_H are
 * inputs of harness H, which make fuzz replays) keeps the open
 * contract and gets exactly the answer EXPECTED lists for it; every line
 * of EXPECTED has its file. An empty directory fails.
 */
static void test_replay(void **state)
{
	static struct expect ex[256];
	struct stats s = { 0 };
	struct su_file *files;
	size_t cnt, i, j, nex, replayed = 0;

	(void)state;
	nex = read_expected(BBPF_SRC_DIR "/tests/data/bad/EXPECTED", ex, 256);
	assert_int_equal(su_load_dir(BBPF_SRC_DIR "/tests/data/bad", "", &files, &cnt), 0);
	for (i = 0; i < cnt; i++) {
		struct outcome o;
		const char *bad;
		struct expect *e = NULL;

		if (!strcmp(files[i].name, "README.md") || !strcmp(files[i].name, "EXPECTED"))
			continue;
		if (strstr(files[i].name, ".fuzz_")) {
			/* a harness input (X.fuzz_load: make fuzz replays it through that harness) */
			printf("  %-34s (replayed by make fuzz)\n", files[i].name);
			continue;
		}
		for (j = 0; j < nex; j++)
			if (!strcmp(ex[j].file, files[i].name) ||
			    (!strncmp(ex[j].file, files[i].name, strlen(files[i].name)) &&
			     !strcmp(ex[j].file + strlen(files[i].name), ".o")))
				e = &ex[j];
		if (!e)
			fail_msg("tests/data/bad/%s has no line in EXPECTED", files[i].name);
		e->seen = true;
		snprintf(cur.what, sizeof(cur.what), "tests/data/bad/%s", files[i].name);
		bad = check_copy(files[i].buf, files[i].len, "replay", &s, &o);
		printf("  %-34s rc %d (%s)\n", e->file, o.rc,
		       o.rc ? bbpf_bad_str(o.diag.why) : "opens");
		if (bad)
			report(&s, "replay", files[i].name, "as is", files[i].buf,
			       files[i].len, &o, bad);
		if (strcmp(rc_name(o.rc), e->rc) ||
		    strcmp(why_names[(unsigned int)o.diag.why < BBPF_BAD_MAX ? o.diag.why : 0],
			   e->why))
			fail_msg("tests/data/bad/%s: rc %d (%s), why %s; EXPECTED says %s %s", e->file,
				 o.rc, rc_name(o.rc), (unsigned int)o.diag.why < BBPF_BAD_MAX ?
				 why_names[o.diag.why] : "?", e->rc, e->why);
		replayed++;
	}
	for (j = 0; j < nex; j++)
		if (!ex[j].seen)
			fail_msg("EXPECTED names tests/data/bad/%s, which is not there", ex[j].file);
	print_stats("tests/data/bad", &s);
	su_free_files(files, cnt);
	assert_int_equal(s.violations, 0);
	assert_true(replayed > 0);
	assert_int_equal(replayed, nex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_shdrs_first),
		cmocka_unit_test(test_length_fields),
		cmocka_unit_test(test_mutation),
		cmocka_unit_test(test_fail_alloc),
		cmocka_unit_test(test_mem_budget),
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
