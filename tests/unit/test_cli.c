// SPDX-License-Identifier: BSD-2-Clause
/*
 * The barebpf CLI, run as a program. For every fixture object in build/bpf the
 * facts printed by "barebpf inspect --json" are compared with what the
 * reference tools say about the same file:
 *   llvm-objdump -t / -h   programs (FUNC symbols in executable non-.text
 *                          sections: name, section, size/8, offset/8),
 *                          subprograms (FUNC in .text), legacy "maps"
 *                          symbols, global data section sizes
 *   bpftool btf dump file  the VARs of DATASEC '.maps' = BTF-defined maps
 * plus types, maps and externs known from the fixture sources (both byte
 * orders). Also: usage errors, bad and damaged inputs (one "barebpf: "
 * line on stderr, never a signal), and the JSON writer (compiled in).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/json.c"	/* the writer itself is unit-tested below */
#include "json_mini.h"
#include "proc_run.h"
#include "ref_tools.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int exit_code(const struct proc_run *r)
{
	if (WIFSIGNALED(r->status))
		fail_msg("barebpf died by signal %d; stderr: %s", WTERMSIG(r->status), r->err);
	return WEXITSTATUS(r->status);
}

static void run_cli(struct proc_run *r, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { (char *)CLI, (char *)a1, (char *)a2, (char *)a3, NULL };

	if (proc_run(argv, r))
		fail_msg("cannot run %s (make build/barebpf)", CLI);
}

/* A rejected file: non-zero exit, no signal, nothing on stdout, one stderr line. */
static void expect_one_line_failure(const char *path)
{
	struct proc_run r;

	run_cli(&r, "inspect", path, "--json");
	if (exit_code(&r) == 0)
		fail_msg("%s: expected failure, got exit 0", path);
	if (proc_line_count(r.err) != 1 || strncmp(r.err, "barebpf: ", 9))
		fail_msg("%s: stderr is not one 'barebpf: ' line: [%s]", path, r.err);
	assert_string_equal(r.out, "");
	proc_run_free(&r);
}

/* ---- reference tools ---- */

/* Sorted, newline-joined lines: order-independent comparison with a readable diff. */
struct lines {
	char *v[1024];
	size_t n;
};

__attribute__((format(printf, 2, 3)))
static void lines_add(struct lines *l, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	assert_true(l->n < ARRAY_LEN(l->v));
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	l->v[l->n] = strdup(buf);
	assert_non_null(l->v[l->n]);
	l->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *lines_join(struct lines *l)
{
	size_t i, len = 1;
	char *s;

	qsort(l->v, l->n, sizeof(l->v[0]), cmp_str);
	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (i = 0; i < l->n; i++) {
		strcat(s, l->v[i]);
		strcat(s, "\n");
		free(l->v[i]);
	}
	l->n = 0;
	return s;
}

static void expect_same_lines(const char *what, const char *file, struct lines *ref,
			      struct lines *got)
{
	char *a = lines_join(ref), *b = lines_join(got);

	if (strcmp(a, b))
		fail_msg("%s: %s differ\nreference:\n%sbarebpf:\n%s", file, what, a, b);
	free(a);
	free(b);
}

struct prog_ctx {
	const struct ref_elf *ef;
	struct lines *l;
	size_t subprogs;
};

static void prog_sym(void *ctx, const char *sec, unsigned long addr, unsigned long size,
		     char kind, const char *name)
{
	struct prog_ctx *pc = ctx;
	const struct ref_section *s = ref_elf_section(pc->ef, sec);

	if (kind != 'F' || !s || !s->text)
		return;
	if (!strcmp(sec, ".text")) {
		pc->subprogs++;
		return;
	}
	lines_add(pc->l, "%s %s insns=%lu off=%lu autoload=%d", name,
		  sec[0] == '?' ? sec + 1 : sec, size / 8, addr / 8, sec[0] != '?');
}

static void legacy_map_sym(void *ctx, const char *sec, unsigned long addr, unsigned long size,
			   char kind, const char *name)
{
	(void)addr;
	(void)size;
	if (kind == 'O' && !strcmp(sec, "maps"))
		lines_add(ctx, "%s", name);
}

static void add_name(void *ctx, const char *name)
{
	lines_add(ctx, "%s", name);
}

/* ---- per-fixture comparison ---- */

static bool is_negative_fixture(const char *base)
{
	/* tests/bpf/README.md: "must be rejected" */
	return !strncmp(base, "legacy_big_nonzero.", 19);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static bool is_global_data(const char *sec)
{
	static const char *const pfx[] = { ".data", ".rodata", ".bss" };
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(pfx); i++) {
		n = strlen(pfx[i]);
		if (!strncmp(sec, pfx[i], n) && (sec[n] == '\0' || sec[n] == '.'))
			return true;
	}
	return false;
}

/* ".rodata.str1.1" -> "rodata" */
static const char *data_kind(const char *sec)
{
	return !strncmp(sec, ".data", 5) ? "data" : !strncmp(sec, ".rodata", 7) ? "rodata" : "bss";
}

static const char *jstr(const struct jm_value *v, const char *key)
{
	const struct jm_value *f = jm_get(v, key);

	if (!f || f->type != JM_STRING)
		fail_msg("JSON field '%s' missing or not a string", key);
	return f->str;
}

static const char *jstr_or_null(const struct jm_value *v, const char *key)
{
	const struct jm_value *f = jm_get(v, key);

	if (!f || (f->type != JM_STRING && f->type != JM_NULL))
		fail_msg("JSON field '%s' missing or neither string nor null", key);
	return f->type == JM_STRING ? f->str : NULL;
}

static unsigned long long jnum(const struct jm_value *v, const char *key)
{
	const struct jm_value *f = jm_get(v, key);

	if (!f || f->type != JM_NUMBER)
		fail_msg("JSON field '%s' missing or not a number", key);
	return f->num;
}

static bool jbool(const struct jm_value *v, const char *key)
{
	const struct jm_value *f = jm_get(v, key);

	if (!f || f->type != JM_BOOL)
		fail_msg("JSON field '%s' missing or not a bool", key);
	return f->boolean;
}

static const struct jm_value *jarr(const struct jm_value *v, const char *key)
{
	const struct jm_value *f = jm_get(v, key);

	if (!f || f->type != JM_ARRAY)
		fail_msg("JSON field '%s' missing or not an array", key);
	return f;
}

/* ---- facts from the fixture sources (tests/bpf/X.bpf.c) ---- */

static const struct {
	const char *prefix;	/* of the section name */
	bool exact;
	const char *type;	/* bpftool's name */
} prog_types[] = {
	{ "tp/", false, "tracepoint" },
	{ "tracepoint/", false, "tracepoint" },
	{ "xdp", true, "xdp" },
	{ "xdp_prog", true, "xdp" },		/* legacy prefix match */
	{ "socket", true, "socket_filter" },
	{ "socket1", true, "socket_filter" },	/* legacy prefix match */
	{ "kprobe/", false, "kprobe" },
	{ "kretprobe/", false, "kprobe" },
	{ "raw_tp/", false, "raw_tracepoint" },
	{ "cgroup_skb/", false, "cgroup_skb" },
	{ "syscall", true, "syscall" },
	{ "tc", true, "sched_cls" },
	{ "tp_btf/", false, "tracing" },
	{ "lsm/", false, "lsm" },
	{ "perf_event", true, "perf_event" },
};

static void check_prog_type(const char *file, const char *sec, const char *type)
{
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(prog_types); i++) {
		n = strlen(prog_types[i].prefix);
		if (prog_types[i].exact ? strcmp(sec, prog_types[i].prefix) :
					  strncmp(sec, prog_types[i].prefix, n))
			continue;
		if (strcmp(type, prog_types[i].type))
			fail_msg("%s: section '%s' has type '%s', expected '%s'", file, sec, type,
				 prog_types[i].type);
		return;
	}
}

struct map_fact {
	const char *fixture;	/* file name prefix, up to the first '.' */
	const char *line;	/* as map_line() prints it */
};

/* name type key value max_entries flags pinning extra inner? init */
static const struct map_fact map_facts[] = {
	{ "maps_btf", "hash_full hash 4 16 128 0x5 none 0 - -" },
	{ "maps_btf", "array_sized array 4 16 8 0x0 none 0 - -" },
	{ "maps_btf", "pinned_hash hash 8 8 16 0x0 by_name 0 - -" },
	{ "maps_btf", "lru lru_hash 4 8 64 0x0 none 0 - -" },
	{ "maps_btf", "pcpu_array percpu_array 4 16 4 0x0 none 0 - -" },
	{ "maps_btf", "lpm lpm_trie 8 4 32 0x1 none 0 - -" },
	{ "maps_btf", "rb ringbuf 0 0 4096 0x0 none 0 - -" },
	{ "maps_btf", "events perf_event_array 4 4 0 0x0 none 0 - -" },
	{ "maps_btf", "bloom bloom_filter 0 8 64 0x0 none 3 - -" },
	{ "maps_btf", "queue queue 0 4 16 0x0 none 0 - -" },
	{ "maps_btf", "stack stack 0 8 16 0x0 none 0 - -" },
	{ "maps_btf", "inner_a array 4 8 4 0x0 none 0 - -" },
	{ "maps_btf", "outer_arr array_of_maps 4 4 4 0x0 none 0 inner 0:inner_a,2:inner_b" },
	{ "maps_btf", "outer_hash hash_of_maps 4 4 8 0x0 none 0 inner 1:inner_c" },
	{ "maps_btf", "outer_inline hash_of_maps 4 4 8 0x0 none 0 inner -" },
	{ "maps_btf", "jmp_table prog_array 4 4 4 0x0 none 0 - 0:tail_a,3:tail_b" },
	{ "legacy_maps", "write_counts array 4 8 4 0x0 none 0 - -" },
	{ "legacy_maps", "pid_hash hash 4 8 1024 0x5 none 0 - -" },
	{ "legacy_maps", "pkt_stats percpu_array 4 8 2 0x0 none 0 - -" },
	{ "legacy_maps", "outer_of_arrays array_of_maps 4 4 2 0x0 none 0 write_counts -" },
	{ "legacy_small_def", "small_array array 4 8 8 0x0 none 0 - -" },
	{ "legacy_small_def", "small_hash hash 8 4 64 0x1 none 0 - -" },
	{ "legacy_small_def", "small_prog_array prog_array 4 4 2 0x0 none 0 - -" },
	{ "legacy_big_def", "big_array array 4 8 16 0x0 none 0 - -" },
	{ "legacy_big_def", "big_lru lru_hash 4 8 128 0x0 none 0 - -" },
	{ "nobtf", "proto_count array 4 8 256 0x0 none 0 - -" },
	{ "callbacks", "arr array 4 8 8 0x0 none 0 - -" },
	{ "callbacks", "hmap hash 4 8 8 0x0 none 0 - -" },
};

static bool same_fixture(const char *base, const char *fixture)
{
	size_t n = strlen(fixture);

	return !strncmp(base, fixture, n) && (base[n] == '.' || base[n] == '_' ||
					       base[n] == '\0');
}

/* An anonymous inner template's name is the library's choice: print "inner". */
static void map_line(const struct jm_value *m, char *buf, size_t size)
{
	const struct jm_value *slots = jarr(m, "init_slots");
	const char *inner = jstr_or_null(m, "inner_map");
	char init[256] = "";
	size_t i, off = 0;

	for (i = 0; i < slots->len && off < sizeof(init); i++)
		off += (size_t)snprintf(init + off, sizeof(init) - off, "%s%llu:%s",
					i ? "," : "", jnum(&slots->items[i], "slot"),
					jstr(&slots->items[i], "target"));
	if (inner && strchr(inner, '.'))
		inner = "inner";
	snprintf(buf, size, "%s %s %llu %llu %llu 0x%llx %s %llu %s %s", jstr(m, "name"),
		 jstr(m, "type"), jnum(m, "key_size"), jnum(m, "value_size"),
		 jnum(m, "max_entries"), jnum(m, "flags"), jstr(m, "pinning"),
		 jnum(m, "map_extra"), inner ? inner : "-", off ? init : "-");
}

static void check_known_maps(const char *file, const char *base, const struct jm_value *maps)
{
	char line[512], name[128];
	size_t i, j;

	for (i = 0; i < ARRAY_LEN(map_facts); i++) {
		if (!same_fixture(base, map_facts[i].fixture))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(map_facts[i].line, " "),
			 map_facts[i].line);
		for (j = 0; j < maps->len; j++)
			if (!strcmp(jstr(&maps->items[j], "name"), name))
				break;
		if (j == maps->len)
			fail_msg("%s: map '%s' missing", file, name);
		map_line(&maps->items[j], line, sizeof(line));
		if (strcmp(line, map_facts[i].line))
			fail_msg("%s: map differs\n  expected: %s\n  barebpf:  %s", file,
				 map_facts[i].line, line);
	}
}

/* name kind weak typed func kcfg_type size (size only for kconfig) */
static const struct map_fact extern_facts[] = {
	{ "externs", "CONFIG_BAREBPF_NOT_A_REAL_OPTION kconfig 1 0 0 int 4" },
	{ "externs", "CONFIG_BPF_LSM kconfig 0 0 0 tristate 4" },
	{ "externs", "CONFIG_BPF_SYSCALL kconfig 0 0 0 bool 1" },
	{ "externs", "CONFIG_DEFAULT_HOSTNAME kconfig 0 0 0 char_arr 16" },
	{ "externs", "CONFIG_HZ kconfig 0 0 0 int 4" },
	{ "externs", "LINUX_HAS_SYSCALL_WRAPPER kconfig 0 0 0 bool 1" },
	{ "externs", "LINUX_KERNEL_VERSION kconfig 0 0 0 int 4" },
	{ "externs", "barebpf_no_such_kfunc ksym 1 1 1 - -" },
	{ "externs", "barebpf_no_such_symbol ksym 1 0 0 - -" },
	{ "externs", "bpf_fentry_test1 ksym 0 0 0 - -" },
	{ "externs", "bpf_task_acquire ksym 0 1 1 - -" },
	{ "externs", "bpf_task_from_pid ksym 0 1 1 - -" },
	{ "externs", "bpf_task_release ksym 0 1 1 - -" },
	{ "ksym_typed", "barebpf_no_such_var ksym 1 1 0 - -" },
	{ "ksym_typed", "runqueues ksym 0 1 0 - -" },
};

static void check_known_externs(const char *file, const char *base, const struct jm_value *ext,
				const struct jm_value *maps)
{
	struct lines ref = { .n = 0 }, got = { .n = 0 };
	unsigned long long kcfg_size = 0, end;
	bool known = false;
	size_t i;

	for (i = 0; i < maps->len; i++)
		if (!strcmp(jstr(&maps->items[i], "kind"), "kconfig"))
			kcfg_size = jnum(&maps->items[i], "value_size");
	for (i = 0; i < ARRAY_LEN(extern_facts); i++) {
		if (same_fixture(base, extern_facts[i].fixture)) {
			lines_add(&ref, "%s", extern_facts[i].line);
			known = true;
		}
	}
	for (i = 0; i < ext->len; i++) {
		const struct jm_value *e = &ext->items[i];
		bool kcfg = !strcmp(jstr(e, "kind"), "kconfig");
		char size[24] = "-";

		if (kcfg) {
			snprintf(size, sizeof(size), "%llu", jnum(e, "size"));
			end = jnum(e, "offset") + jnum(e, "size");
			if (end > kcfg_size)
				fail_msg("%s: kconfig extern '%s' ends at %llu, past the %llu-byte map",
					 file, jstr(e, "name"), end, kcfg_size);
		}
		if (kcfg && (jm_get(e, "typed")->type != JM_NULL ||
			     jm_get(e, "func")->type != JM_NULL))
			fail_msg("%s: kconfig extern '%s' has typed/func", file, jstr(e, "name"));
		lines_add(&got, "%s %s %d %d %d %s %s", jstr(e, "name"), jstr(e, "kind"),
			  jbool(e, "weak"), !kcfg && jbool(e, "typed"), !kcfg && jbool(e, "func"),
			  kcfg ? jstr(e, "kcfg_type") : "-", size);
	}
	if (known) {
		expect_same_lines("externs", file, &ref, &got);
	} else {
		while (got.n)
			free(got.v[--got.n]);
	}
}

static void check_fixture(const char *objdump, const char *bpftool, const char *file,
			  const char *base)
{
	struct lines ref = { .n = 0 }, got = { .n = 0 };
	struct ref_elf *ef = calloc(1, sizeof(*ef));
	struct prog_ctx pc = { ef, &ref, 0 };
	const struct jm_value *progs, *maps, *ds;
	struct jm_value *doc;
	unsigned char ident[6] = { 0 };
	size_t i, j;
	struct proc_run r;
	FILE *f;

	assert_non_null(ef);
	f = fopen(file, "rb");
	assert_non_null(f);
	assert_int_equal(fread(ident, 1, sizeof(ident), f), sizeof(ident));
	fclose(f);

	/* text output: exit 0, no stray lines */
	run_cli(&r, "inspect", file, NULL);
	if (exit_code(&r) != 0)
		fail_msg("%s: inspect failed: %s", file, r.err);
	assert_true(strncmp(r.out, "file:", 5) == 0);
	proc_run_free(&r);

	run_cli(&r, "inspect", file, "--json");
	if (exit_code(&r) != 0)
		fail_msg("%s: inspect --json failed: %s", file, r.err);
	doc = jm_parse(r.out);
	if (!doc || doc->type != JM_OBJECT || proc_line_count(r.out) != 1)
		fail_msg("%s: output is not one JSON object line: %s", file, r.out);

	assert_string_equal(jstr(doc, "endian"), ident[5] == 2 ? "big" : "little");
	assert_string_equal(jstr(doc, "license"), strstr(base, "minimal") ? "Dual BSD/GPL" : "GPL");
	(void)jnum(doc, "kern_version");
	(void)jstr(doc, "name");

	if (ref_elf_read(objdump, file, ef))
		fail_msg("%s: %s failed", file, objdump);

	/* (a) programs and subprograms */
	ref_elf_for_each_sym(ef, prog_sym, &pc);
	progs = jarr(doc, "programs");
	for (i = 0; i < progs->len; i++) {
		const struct jm_value *p = &progs->items[i];

		lines_add(&got, "%s %s insns=%llu off=%llu autoload=%d", jstr(p, "name"),
			  jstr(p, "section"), jnum(p, "insns"), jnum(p, "section_insn_off"),
			  jbool(p, "autoload"));
		check_prog_type(file, jstr(p, "section"), jstr(p, "type"));
		(void)jstr_or_null(p, "expected_attach_type");
		if (!jm_get(p, "relocations") || jm_get(p, "relocations")->type != JM_OBJECT)
			fail_msg("%s: program without relocations object", file);
	}
	expect_same_lines("programs (name section insns offset autoload)", file, &ref, &got);
	if (jnum(doc, "subprograms") != pc.subprogs)
		fail_msg("%s: subprograms %llu, reference (.text FUNC symbols) %zu", file,
			 jnum(doc, "subprograms"), pc.subprogs);

	/* (b) maps by kind, against bpftool's .maps DATASEC and the "maps" symbols */
	maps = jarr(doc, "maps");
	if (ref_btf_datasec_vars(bpftool, file, ".maps", add_name, &ref))
		fail_msg("%s: %s failed", file, bpftool);
	for (i = 0; i < maps->len; i++)
		if (!strcmp(jstr(&maps->items[i], "kind"), "btf"))
			lines_add(&got, "%s", jstr(&maps->items[i], "name"));
	expect_same_lines("BTF-defined maps", file, &ref, &got);

	ref_elf_for_each_sym(ef, legacy_map_sym, &ref);
	for (i = 0; i < maps->len; i++)
		if (!strcmp(jstr(&maps->items[i], "kind"), "legacy"))
			lines_add(&got, "%s", jstr(&maps->items[i], "name"));
	expect_same_lines("legacy maps", file, &ref, &got);

	/* internal maps: "<obj prefix><section name>", value size = section size */
	ds = jarr(doc, "data_sections");
	for (i = 0; i < ef->nsec; i++)
		if (is_global_data(ef->sec[i].name) && ef->sec[i].size)
			lines_add(&ref, "%s kind=%s size=%lu", ef->sec[i].name,
				  data_kind(ef->sec[i].name), ef->sec[i].size);
	for (i = 0; i < ds->len; i++) {
		const struct jm_value *d = &ds->items[i];
		const char *name = jstr(d, "name"), *match = NULL;

		if (!strcmp(jstr(d, "kind"), "kconfig"))
			continue;
		for (j = 0; j < ef->nsec; j++)
			if (is_global_data(ef->sec[j].name) && ends_with(name, ef->sec[j].name) &&
			    (!match || strlen(ef->sec[j].name) > strlen(match)))
				match = ef->sec[j].name;
		lines_add(&got, "%s kind=%s size=%llu", match ? match : name, jstr(d, "kind"),
			  jnum(d, "size"));
	}
	expect_same_lines("global data sections", file, &ref, &got);

	/* (c) facts from the fixture sources */
	check_known_maps(file, base, maps);
	check_known_externs(file, base, jarr(doc, "externs"), maps);

	jm_free(doc);
	proc_run_free(&r);
	ref_elf_free(ef);
	free(ef);
}

static void test_fixtures(void **state)
{
	const char *objdump = ref_objdump(), *bpftool = ref_bpftool();
	char path[1024];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	(void)state;
	if (!objdump || !bpftool) {
		printf("skipped: %s not found\n", !objdump ? "llvm-objdump" : "bpftool");
		skip();
	}
	d = opendir(BBPF_FIXTURE_DIR);
	if (!d)
		fail_msg("no fixtures in %s: run 'make fixtures'", BBPF_FIXTURE_DIR);
	while ((de = readdir(d))) {
		if (!ends_with(de->d_name, ".o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, de->d_name);
		if (is_negative_fixture(de->d_name))
			expect_one_line_failure(path);
		else
			check_fixture(objdump, bpftool, path, de->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 2);
	printf("checked %zu fixtures\n", n);
}

/* ---- usage, bad inputs, JSON writer ---- */

static void expect_exit(int code, const char *a1, const char *a2, const char *a3,
			bool out_empty)
{
	struct proc_run r;
	int got;

	run_cli(&r, a1, a2, a3);
	got = exit_code(&r);
	if (got != code)
		fail_msg("barebpf %s %s %s: exit %d, expected %d; stderr: %s", a1 ? a1 : "",
			 a2 ? a2 : "", a3 ? a3 : "", got, code, r.err);
	if (code == 2 && (strncmp(r.err, "barebpf: ", 9) || !strstr(r.err, "Usage:")))
		fail_msg("usage error without message and usage text: [%s]", r.err);
	if (out_empty)
		assert_string_equal(r.out, "");
	else if (!strstr(r.out, "barebpf"))
		fail_msg("barebpf %s: unexpected stdout [%s]", a1, r.out);
	proc_run_free(&r);
}

static void test_usage(void **state)
{
	(void)state;
	expect_exit(2, NULL, NULL, NULL, true);
	expect_exit(2, "bogus", NULL, NULL, true);
	expect_exit(2, "--bogus", "inspect", NULL, true);
	expect_exit(2, "inspect", NULL, NULL, true);
	expect_exit(2, "inspect", "a.o", "b.o", true);
	expect_exit(2, "inspect", "--bogus", "a.o", true);
	expect_exit(2, "help", "extra", NULL, true);
	expect_exit(2, "version", "extra", NULL, true);
	expect_exit(0, "--help", NULL, NULL, false);
	expect_exit(0, "-h", NULL, NULL, false);
	expect_exit(0, "help", NULL, NULL, false);
	expect_exit(0, "inspect", "--help", NULL, false);
	expect_exit(0, "version", NULL, NULL, false);
	expect_exit(0, "--version", NULL, NULL, false);
	expect_exit(0, "ver", NULL, NULL, false);	/* unique prefix */
}

static char *write_tmp(const void *data, size_t len)
{
	char *name = strdup("/tmp/bbpf_cli_in_XXXXXX");
	int fd;

	assert_non_null(name);
	fd = mkstemp(name);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return name;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static void expect_tmp_failure(const void *data, size_t len)
{
	char *name = write_tmp(data, len);

	expect_one_line_failure(name);
	unlink(name);
	free(name);
}

static void test_bad_inputs(void **state)
{
	static const char elf_start[] = "\177ELF\2\1\1";
	unsigned char buf[4096], *fix;
	uint32_t seed = 12345;
	size_t i, k, len;

	(void)state;
	expect_one_line_failure("/nonexistent/barebpf/x.o");
	expect_one_line_failure(BBPF_FIXTURE_DIR);
	expect_tmp_failure("", 0);
	for (k = 0; k < 6; k++) {
		for (i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
		}
		if (k & 1)	/* get past the magic check */
			memcpy(buf, elf_start, sizeof(elf_start) - 1);
		expect_tmp_failure(buf, k < 2 ? 64 : sizeof(buf));
	}

	fix = read_file(BBPF_FIXTURE_DIR "/globals.bpf.o", &len);
	if (!fix)
		fail_msg("no %s/globals.bpf.o: run 'make fixtures'", BBPF_FIXTURE_DIR);
	assert_true(len > 100);
	expect_tmp_failure(fix, 100);
	/* Damaged fixtures may open or not; they must never crash the CLI. */
	for (k = 0; k < 48; k++) {
		unsigned char *m = malloc(len);
		struct proc_run r;
		char *name;

		assert_non_null(m);
		memcpy(m, fix, len);
		for (i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % len] ^= (unsigned char)(1u << (seed & 7));
		}
		name = write_tmp(m, len);
		run_cli(&r, "inspect", name, "--json");
		if (exit_code(&r) != 0 &&
		    (proc_line_count(r.err) != 1 || strncmp(r.err, "barebpf: ", 9)))
			fail_msg("damaged fixture %s: stderr is not one line: [%s]", name, r.err);
		proc_run_free(&r);
		unlink(name);
		free(name);
		free(m);
	}
	free(fix);
}

/* A license with a control byte, a quote and a stray byte, through the whole CLI. */
static void test_license_escaping(void **state)
{
	size_t len, i, hits = 0, at = 0;
	struct jm_value *doc;
	struct proc_run r;
	unsigned char *fix;
	char *name;

	(void)state;
	fix = read_file(BBPF_FIXTURE_DIR "/globals.bpf.o", &len);
	if (!fix)
		fail_msg("no %s/globals.bpf.o: run 'make fixtures'", BBPF_FIXTURE_DIR);
	for (i = 0; i + 4 <= len; i++)
		if (!memcmp(fix + i, "GPL", 4)) {
			hits++;
			at = i;
		}
	assert_int_equal(hits, 1);	/* only SEC("license") holds "GPL\0" */
	memcpy(fix + at, "\001\"\377", 3);
	name = write_tmp(fix, len);

	run_cli(&r, "inspect", name, "--json");
	assert_int_equal(exit_code(&r), 0);
	assert_non_null(strstr(r.out, "\"license\":\"\\u0001\\\"\\u00ff\""));
	doc = jm_parse(r.out);
	assert_non_null(doc);
	assert_string_equal(jstr(doc, "license"), "\001\"\303\277");
	jm_free(doc);
	proc_run_free(&r);

	run_cli(&r, "inspect", name, NULL);	/* text: no raw control bytes */
	assert_int_equal(exit_code(&r), 0);
	assert_null(strchr(r.out, '\001'));
	proc_run_free(&r);
	unlink(name);
	free(name);
	free(fix);
}

static char *json_of(void (*emit)(struct bbpf_cli_json *j, const char *arg), const char *arg,
		     bool pretty)
{
	struct bbpf_cli_json j;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	bbpf_cli_json_init(&j, f, pretty);
	emit(&j, arg);
	fclose(f);
	return buf;
}

static void emit_string(struct bbpf_cli_json *j, const char *s)
{
	bbpf_cli_json_str(j, s);
}

static void expect_json_string(const char *in, const char *want)
{
	char *got = json_of(emit_string, in, false);

	assert_string_equal(got, want);
	free(got);
}

static void test_json_escaping(void **state)
{
	(void)state;
	expect_json_string("plain", "\"plain\"");
	expect_json_string("q\"b\\s/", "\"q\\\"b\\\\s/\"");
	expect_json_string("\b\f\n\r\t\001\037\177", "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"");
	expect_json_string("\303\251\342\202\254\360\237\230\200", /* é € U+1F600 */
			   "\"\303\251\342\202\254\360\237\230\200\"");
	expect_json_string("\377", "\"\\u00ff\"");			/* never valid */
	expect_json_string("\300\200", "\"\\u00c0\\u0080\"");		/* overlong NUL */
	expect_json_string("\355\240\200", "\"\\u00ed\\u00a0\\u0080\"");	/* surrogate */
	expect_json_string("\364\220\200\200", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* > U+10FFFF */
	expect_json_string("\342\202", "\"\\u00e2\\u0082\"");		/* truncated */
	expect_json_string("a\303", "\"a\\u00c3\"");
	expect_json_string(NULL, "null");
}

static void emit_doc(struct bbpf_cli_json *j, const char *arg)
{
	(void)arg;
	bbpf_cli_json_obj_begin(j);
	bbpf_cli_json_kv_str(j, "a", "x");
	bbpf_cli_json_key(j, "list");
	bbpf_cli_json_arr_begin(j);
	bbpf_cli_json_u64(j, 18446744073709551615ull);
	bbpf_cli_json_bool(j, false);
	bbpf_cli_json_null(j);
	bbpf_cli_json_obj_begin(j);
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_arr_begin(j);
	bbpf_cli_json_arr_end(j);
	bbpf_cli_json_arr_end(j);
	bbpf_cli_json_kv_bool(j, "t", true);
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_finish(j);
}

static void test_json_structure(void **state)
{
	char *compact = json_of(emit_doc, NULL, false), *pretty = json_of(emit_doc, NULL, true);
	struct jm_value *v;

	(void)state;
	assert_string_equal(compact,
			    "{\"a\":\"x\",\"list\":[18446744073709551615,false,null,{},[]],\"t\":true}\n");
	v = jm_parse(pretty);
	assert_non_null(v);
	assert_true(proc_line_count(pretty) > 5);
	assert_int_equal(jm_get(v, "list")->len, 5);
	jm_free(v);
	free(compact);
	free(pretty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_structure),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_license_escaping),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
