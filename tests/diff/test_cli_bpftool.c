// SPDX-License-Identifier: BSD-2-Clause
/*
 * "barebpf inspect" against the reference tools. For every fixture object
 * in build/bpf the facts printed by "barebpf inspect --json" are compared
 * with what the reference tools say about the same file:
 *   llvm-objdump -t / -h   programs (FUNC symbols in executable non-.text
 *                          sections: name, section, size/8, offset/8),
 *                          subprograms (FUNC in .text), legacy "maps"
 *                          symbols, global data section sizes
 *   bpftool btf dump file  the VARs of DATASEC '.maps' = BTF-defined maps
 * plus types, maps and externs known from the fixture sources (both byte
 * orders). A missing llvm-objdump or bpftool is a failure.
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

#include "cli_util.h"
#include "ref_tools.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

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

static char *lines_join(struct lines *l)
{
	size_t i, len = 1;
	char *s;

	qsort(l->v, l->n, sizeof(l->v[0]), cu_cmp_str);
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
	/*
	 * libbpf 1.8 (and barebpf) turn autoload off at open for a struct_ops
	 * program no struct_ops map refers to: struct_ops.bpf.c's bb_unused.
	 */
	lines_add(pc->l, "%s %s insns=%lu off=%lu autoload=%d", name,
		  sec[0] == '?' ? sec + 1 : sec, size / 8, addr / 8,
		  sec[0] != '?' && strcmp(name, "bb_unused"));
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
	{ "freplace/", false, "ext" },
	{ "iter/", false, "tracing" },
	{ "fentry/", false, "tracing" },
	{ "uprobe", false, "kprobe" },
	{ "usdt", false, "kprobe" },
	{ "ksyscall/", false, "kprobe" },
	{ "kprobe.multi/", false, "kprobe" },
	{ "tcx/", false, "sched_cls" },
	{ "sk_lookup", true, "sk_lookup" },
	{ "sk_msg", true, "sk_msg" },
	{ "sockops", true, "sock_ops" },
	{ "netfilter", true, "netfilter" },
	{ "flow_dissector", true, "flow_dissector" },
	{ "struct_ops/", false, "struct_ops" },
};

/* The type of a program in a section the table knows; false for other sections. */
static bool check_prog_type(const char *file, const char *sec, const char *type)
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
		return true;
	}
	return false;
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
					cu_jstr(&slots->items[i], "target"));
	if (inner && strchr(inner, '.'))
		inner = "inner";
	snprintf(buf, size, "%s %s %llu %llu %llu 0x%llx %s %llu %s %s", cu_jstr(m, "name"),
		 cu_jstr(m, "type"), jnum(m, "key_size"), jnum(m, "value_size"),
		 jnum(m, "max_entries"), jnum(m, "flags"), cu_jstr(m, "pinning"),
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
			if (!strcmp(cu_jstr(&maps->items[j], "name"), name))
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
		if (!strcmp(cu_jstr(&maps->items[i], "kind"), "kconfig"))
			kcfg_size = jnum(&maps->items[i], "value_size");
	for (i = 0; i < ARRAY_LEN(extern_facts); i++) {
		if (same_fixture(base, extern_facts[i].fixture)) {
			lines_add(&ref, "%s", extern_facts[i].line);
			known = true;
		}
	}
	for (i = 0; i < ext->len; i++) {
		const struct jm_value *e = &ext->items[i];
		bool kcfg = !strcmp(cu_jstr(e, "kind"), "kconfig");
		char size[24] = "-";

		if (kcfg) {
			snprintf(size, sizeof(size), "%llu", jnum(e, "size"));
			end = jnum(e, "offset") + jnum(e, "size");
			if (end > kcfg_size)
				fail_msg("%s: kconfig extern '%s' ends at %llu, past the %llu-byte map",
					 file, cu_jstr(e, "name"), end, kcfg_size);
		}
		if (kcfg && (jm_get(e, "typed")->type != JM_NULL ||
			     jm_get(e, "func")->type != JM_NULL))
			fail_msg("%s: kconfig extern '%s' has typed/func", file, cu_jstr(e, "name"));
		lines_add(&got, "%s %s %d %d %d %s %s", cu_jstr(e, "name"), cu_jstr(e, "kind"),
			  jbool(e, "weak"), !kcfg && jbool(e, "typed"), !kcfg && jbool(e, "func"),
			  kcfg ? cu_jstr(e, "kcfg_type") : "-", size);
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
	size_t i, j, typed = 0;
	struct proc_run r;
	FILE *f;

	assert_non_null(ef);
	f = fopen(file, "rb");
	assert_non_null(f);
	assert_int_equal(fread(ident, 1, sizeof(ident), f), sizeof(ident));
	fclose(f);

	/* text output: exit 0, no stray lines */
	cu_run3(&r, "inspect", file, NULL);
	if (cu_exit_code(&r) != 0)
		fail_msg("%s: inspect failed: %s", file, r.err);
	assert_true(strncmp(r.out, "file:", 5) == 0);
	proc_run_free(&r);

	cu_run3(&r, "inspect", file, "--json");
	if (cu_exit_code(&r) != 0)
		fail_msg("%s: inspect --json failed: %s", file, r.err);
	doc = jm_parse(r.out);
	if (!doc || doc->type != JM_OBJECT || proc_line_count(r.out) != 1)
		fail_msg("%s: output is not one JSON object line: %s", file, r.out);

	assert_string_equal(cu_jstr(doc, "endian"), ident[5] == 2 ? "big" : "little");
	assert_string_equal(cu_jstr(doc, "license"), strstr(base, "minimal") ? "Dual BSD/GPL" : "GPL");
	(void)jnum(doc, "kern_version");
	(void)cu_jstr(doc, "name");

	if (ref_elf_read(objdump, file, ef))
		fail_msg("%s: %s failed", file, objdump);

	/* (a) programs and subprograms */
	ref_elf_for_each_sym(ef, prog_sym, &pc);
	progs = jarr(doc, "programs");
	for (i = 0; i < progs->len; i++) {
		const struct jm_value *p = &progs->items[i];

		lines_add(&got, "%s %s insns=%llu off=%llu autoload=%d", cu_jstr(p, "name"),
			  cu_jstr(p, "section"), jnum(p, "insns"), jnum(p, "section_insn_off"),
			  jbool(p, "autoload"));
		typed += check_prog_type(file, cu_jstr(p, "section"), cu_jstr(p, "type"));
		(void)jstr_or_null(p, "expected_attach_type");
		if (!jm_get(p, "relocations") || jm_get(p, "relocations")->type != JM_OBJECT)
			fail_msg("%s: program without relocations object", file);
	}
	/* the table is a spot check (every name: test_sec_def), but it checks every fixture */
	if (progs->len && !typed)
		fail_msg("%s: no program in a section whose type the table knows", file);
	expect_same_lines("programs (name section insns offset autoload)", file, &ref, &got);
	if (jnum(doc, "subprograms") != pc.subprogs)
		fail_msg("%s: subprograms %llu, reference (.text FUNC symbols) %zu", file,
			 jnum(doc, "subprograms"), pc.subprogs);

	/* (b) maps by kind, against bpftool's .maps DATASEC and the "maps" symbols */
	maps = jarr(doc, "maps");
	if (ref_btf_datasec_vars(bpftool, file, ".maps", add_name, &ref))
		fail_msg("%s: %s failed", file, bpftool);
	for (i = 0; i < maps->len; i++)
		if (!strcmp(cu_jstr(&maps->items[i], "kind"), "btf"))
			lines_add(&got, "%s", cu_jstr(&maps->items[i], "name"));
	expect_same_lines("BTF-defined maps", file, &ref, &got);

	ref_elf_for_each_sym(ef, legacy_map_sym, &ref);
	for (i = 0; i < maps->len; i++)
		if (!strcmp(cu_jstr(&maps->items[i], "kind"), "legacy"))
			lines_add(&got, "%s", cu_jstr(&maps->items[i], "name"));
	expect_same_lines("legacy maps", file, &ref, &got);

	/* internal maps: "<obj prefix><section name>", value size = section size */
	ds = jarr(doc, "data_sections");
	for (i = 0; i < ef->nsec; i++)
		if (is_global_data(ef->sec[i].name) && ef->sec[i].size)
			lines_add(&ref, "%s kind=%s size=%lu", ef->sec[i].name,
				  data_kind(ef->sec[i].name), ef->sec[i].size);
	for (i = 0; i < ds->len; i++) {
		const struct jm_value *d = &ds->items[i];
		const char *name = cu_jstr(d, "name"), *match = NULL;

		if (!strcmp(cu_jstr(d, "kind"), "kconfig"))
			continue;
		for (j = 0; j < ef->nsec; j++)
			if (is_global_data(ef->sec[j].name) && ends_with(name, ef->sec[j].name) &&
			    (!match || strlen(ef->sec[j].name) > strlen(match)))
				match = ef->sec[j].name;
		lines_add(&got, "%s kind=%s size=%llu", match ? match : name, cu_jstr(d, "kind"),
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
	if (!objdump || !bpftool)
		fail_msg("%s (a reference) not found", !objdump ? "llvm-objdump" : "bpftool");
	d = opendir(BBPF_FIXTURE_DIR);
	if (!d)
		fail_msg("no fixtures in %s: run 'make fixtures'", BBPF_FIXTURE_DIR);
	while ((de = readdir(d))) {
		if (!ends_with(de->d_name, ".o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, de->d_name);
		if (is_negative_fixture(de->d_name))
			cu_expect_one_line_failure(path);
		else
			check_fixture(objdump, bpftool, path, de->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 2);
	printf("checked %zu fixtures\n", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
