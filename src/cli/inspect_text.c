/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * "barebpf inspect": aligned text tables, one per topic, or one JSON object
 * (fields as in README.md "CLI"); one walk over the records for both.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inspect.h"
#include "json.h"
#include "../base/fmt.h"

#define MAX_COLS 12

/* Names come from the file: keep terminal control bytes out of the output. */
void bbpf_cli_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void print_field(const char *label, const char *value)
{
	char buf[256];

	bbpf_snprintf(buf, sizeof(buf), "%s", value && *value ? value : "-");
	bbpf_cli_sanitize(buf);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%-14s%s\n", label, buf);
}

/* Rows of formatted cells; widths are known only once every row is in. */
struct table {
	size_t ncol;
	const char *head[MAX_COLS];
	char **cells;		/* row-major */
	size_t cnt, cap;	/* cells */
	bool oom;
};

/* head: the column titles, each ending in a NUL ("NAME\0KIND\0SIZE"). */
static void table_init(struct table *t, size_t ncol, const char *head)
{
	size_t c;

	memset(t, 0, sizeof(*t));
	t->ncol = ncol < MAX_COLS ? ncol : MAX_COLS;
	for (c = 0; c < t->ncol; c++, head += strlen(head) + 1)
		t->head[c] = head;
}

__attribute__((format(printf, 2, 3))) BBPF_NO_FP_VARARGS
static void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (t->oom)
		return;
	if (t->cnt == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **nc = realloc(t->cells, cap * sizeof(*nc));

		if (!nc) {
			t->oom = true;
			return;
		}
		t->cells = nc;
		t->cap = cap;
	}
	va_start(ap, fmt);
	n = bbpf_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!s) {
		t->oom = true;
		return;
	}
	va_start(ap, fmt);
	bbpf_vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bbpf_cli_sanitize(s);
	t->cells[t->cnt++] = s;
}

static void print_row(const struct table *t, const char *const *row, const size_t *w)
{
	size_t c;

	for (c = 0; c < t->ncol; c++)	/* the last column unpadded */
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "  %-*s", c + 1 < t->ncol ? (int)w[c] : 0, row[c]);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\n");
}

/* Prints and frees. Returns -1 if a cell could not be allocated. */
static int table_flush(struct table *t)
{
	size_t w[MAX_COLS], r, c, rows = t->cnt / t->ncol;
	int ret = t->oom ? -1 : 0;

	if (!t->oom && t->cnt) {
		for (c = 0; c < t->ncol; c++)
			w[c] = strlen(t->head[c]);
		for (r = 0; r < rows; r++)
			for (c = 0; c < t->ncol; c++) {
				size_t l = strlen(t->cells[r * t->ncol + c]);

				if (l > w[c])
					w[c] = l;
			}
		print_row(t, t->head, w);
		for (r = 0; r < rows; r++)
			print_row(t, (const char *const *)&t->cells[r * t->ncol], w);
	}
	for (r = 0; r < t->cnt; r++)
		free(t->cells[r]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
	return ret;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* A text cell: s, or "-" if it is NULL or empty. */
__attribute__((noinline))
static void cell(struct table *t, const char *s)
{
	table_cell(t, "%s", str_or(s, "-"));
}

/* Where the records go: a JSON writer, or (j NULL) a text table. */
struct sink {
	struct bbpf_cli_json *j;
	struct table t;
};

/* A 'b' field's null (rec()). */
#define B_NULL	UINT64_MAX

/*
 * One record, in both renderings: spec is bbpf_cli_json_kvs's ('s', 'u',
 * 'b' members with their keys; '{', '[', '}' JSON only) and each 's', 'u'
 * and 'b' is a cell of the table too ('s' as cell(), 'b' "yes" or "no");
 * 'x' is a 'u' the table shows as 0x%x, 'S', 'U', 'B' are JSON only, 't' (a
 * string, no key) the table's only. Unlike kvs, every number and bool is a
 * uint64_t (cast each; B_NULL a null bool): one va_arg type for all of them.
 */
BBPF_NO_FP_VARARGS
static void rec(struct sink *o, const char *spec, ...)
{
	va_list ap;
	const char *s = NULL;
	uint64_t v = 0;
	char c;

	va_start(ap, spec);
	for (; (c = *spec); spec += strlen(spec) + 1) {
		if (c == 's' || c == 'S' || c == 't')
			s = va_arg(ap, const char *);
		else if (c != '{' && c != '[' && c != '}')
			v = va_arg(ap, uint64_t);
		if (!o->j) {
			if (c == 's' || c == 't' || c == 'b')
				cell(&o->t, c == 'b' ? (v ? "yes" : "no") : s);
			else if (c == 'u' || c == 'x')
				table_cell(&o->t, c == 'u' ? "%" PRIu64 : "0x%" PRIx64, v);
			continue;
		}
		if (c == 't')
			continue;
		if (spec[1])
			bbpf_cli_json_key(o->j, spec + 1);
		if (c == '{')
			bbpf_cli_json_obj_begin(o->j);
		else if (c == '[')
			bbpf_cli_json_arr_begin(o->j);
		else if (c == '}')
			bbpf_cli_json_obj_end(o->j);
		else if (c == 's' || c == 'S')
			bbpf_cli_json_str(o->j, s);
		else if (c == 'b' || c == 'B')
			v == B_NULL ? bbpf_cli_json_null(o->j) : bbpf_cli_json_bool(o->j, v);
		else
			bbpf_cli_json_u64(o->j, v);
	}
	va_end(ap);
}

/*
 * A list of n records: JSON the array key, text "TITLE: n" (the key, '_' a
 * space) and a table of the ncol columns head names ("NAME\0KIND").
 */
static void list_begin(struct sink *o, const char *key, size_t n, size_t ncol, const char *head)
{
	char title[16];
	size_t i;

	if (o->j) {
		bbpf_cli_json_key(o->j, key);
		bbpf_cli_json_arr_begin(o->j);
		return;
	}
	for (i = 0; i < sizeof(title) - 1 && key[i]; i++)
		title[i] = key[i] == '_' ? ' ' : key[i];
	title[i] = '\0';
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\n%s: %zu\n", title, n);
	table_init(&o->t, ncol, head);
}

/* The list's end (the table printed if it has rows): 0, or -1 out of memory. */
static int list_end(struct sink *o)
{
	if (o->j) {
		bbpf_cli_json_arr_end(o->j);
		return 0;
	}
	return table_flush(&o->t);
}

/* "map=2 data=1", or "-" when there are none. */
static void relo_summary(const struct bbpf_relo_counts *rc, char *buf, size_t size)
{
	size_t off = 0;
	int k, n;

	buf[0] = '\0';
	for (k = 0; k < BBPF_RELO_KIND_CNT; k++) {
		if (!rc->cnt[k])
			continue;
		n = bbpf_snprintf(buf + off, size - off, "%s%s=%" PRIu32, off ? " " : "",
			     bbpf_cli_relo_kind_name(k), rc->cnt[k]);
		if (n < 0 || (size_t)n >= size - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		bbpf_snprintf(buf, size, "-");
}

static int print_programs(struct sink *o, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_program_cnt(obj);
	char tb[BBPF_CLI_NAME_BUF], ab[BBPF_CLI_NAME_BUF], relos[160];
	int k;

	list_begin(o, "programs", n, 7,
		   "NAME\0SECTION\0TYPE\0ATTACH_TYPE\0INSNS\0AUTOLOAD\0RELOCATIONS");
	for (i = 0; i < n; i++) {
		const struct bbpf_program *p = bbpf_object_program(obj, i);
		struct bbpf_relo_counts rc;

		memset(&rc, 0, sizeof(rc));
		bbpf_program_relo_counts(p, &rc);
		relo_summary(&rc, relos, sizeof(relos));
		rec(o, "{\0sname\0ssection\0stype\0sexpected_attach_type\0Sattach_target\0Uflags\0"
		       "uinsns\0Usection_insn_off\0bautoload\0{relocations\0t\0",
		    bbpf_program_name(p), bbpf_program_section(p),
		    bbpf_cli_prog_type_name(bbpf_program_type(p), tb, sizeof(tb)),
		    bbpf_cli_attach_type_name(p, ab, sizeof(ab)), bbpf_program_attach_target(p),
		    (uint64_t)bbpf_program_flags(p), (uint64_t)bbpf_program_insn_cnt(p),
		    (uint64_t)bbpf_program_section_insn_off(p), (uint64_t)bbpf_program_autoload(p), relos);
		if (!o->j)
			continue;
		for (k = 0; k < BBPF_RELO_KIND_CNT; k++)
			bbpf_cli_json_kv_u64(o->j, bbpf_cli_relo_kind_name(k), rc.cnt[k]);
		bbpf_cli_json_obj_end(o->j);
		bbpf_cli_json_obj_end(o->j);
	}
	return list_end(o);
}

/* "0→tail_a,3→tail_b", or "-". */
static void init_slots(const struct bbpf_map *m, char *buf, size_t size)
{
	size_t i, off = 0, n = bbpf_map_init_slot_cnt(m);
	const char *target;
	uint32_t slot;
	int w;

	bbpf_snprintf(buf, size, "-");
	for (i = 0; i < n; i++) {
		if (bbpf_map_init_slot(m, i, &slot, &target))
			continue;
		w = bbpf_snprintf(buf + off, size - off, "%s%" PRIu32 "\u2192%s", off ? "," : "",
			     slot, str_or(target, "?"));
		if (w < 0 || (size_t)w >= size - off) {
			bbpf_snprintf(buf + off, size - off, "...");
			break;
		}
		off += (size_t)w;
	}
}

static int print_maps(struct sink *o, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_map_cnt(obj);
	char tb[BBPF_CLI_NAME_BUF], pb[BBPF_CLI_NAME_BUF], slots[512];

	list_begin(o, "maps", n, 10,
		   "NAME\0TYPE\0KEY\0VALUE\0MAX_ENTRIES\0FLAGS\0PINNING\0INNER\0KIND\0INIT");
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);
		const char *kind = bbpf_cli_map_kind_name(bbpf_map_kind(m));

		init_slots(m, slots, sizeof(slots));
		rec(o, "{\0sname\0stype\0ukey_size\0uvalue_size\0umax_entries\0xflags\0spinning\0"
		       "Skind\0sinner_map\0t\0Unuma_node\0Umap_extra\0Ubtf_key_type_id\0"
		       "Ubtf_value_type_id\0[init_slots\0t\0",
		    bbpf_map_name(m), bbpf_cli_map_type_name(bbpf_map_type(m), tb, sizeof(tb)),
		    (uint64_t)bbpf_map_key_size(m), (uint64_t)bbpf_map_value_size(m),
		    (uint64_t)bbpf_map_max_entries(m), (uint64_t)bbpf_map_flags(m),
		    bbpf_cli_pinning_name(bbpf_map_pinning(m), pb, sizeof(pb)), kind,
		    bbpf_cli_inner_name(m), kind, (uint64_t)bbpf_map_numa_node(m),
		    (uint64_t)bbpf_map_extra(m), (uint64_t)bbpf_map_btf_key_type_id(m),
		    (uint64_t)bbpf_map_btf_value_type_id(m), slots);
		if (!o->j)
			continue;
		bbpf_cli_inspect_json_slots(o->j, m);
		bbpf_cli_json_obj_end(o->j);
	}
	return list_end(o);
}

static int print_data_sections(struct sink *o, const struct bbpf_object *obj)
{
	size_t i, cnt = 0, n = bbpf_object_map_cnt(obj);

	for (i = 0; i < n; i++)
		cnt += bbpf_cli_is_data_section(bbpf_object_map(obj, i));
	list_begin(o, "data_sections", cnt, 3, "NAME\0KIND\0SIZE");
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		if (bbpf_cli_is_data_section(m))
			rec(o, "{\0sname\0skind\0usize\0}\0", bbpf_map_name(m),
			    bbpf_cli_map_kind_name(bbpf_map_kind(m)), (uint64_t)bbpf_map_value_size(m));
	}
	return list_end(o);
}

static int print_externs(struct sink *o, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_extern_cnt(obj);

	list_begin(o, "externs", n, 7, "NAME\0KIND\0WEAK\0TYPE\0KCFG_TYPE\0SIZE\0OFFSET");
	for (i = 0; i < n; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(obj, i);
		bool kcfg = bbpf_extern_kind(e) == BBPF_EXTERN_KCONFIG;
		const char *kt = bbpf_cli_kcfg_type_name(bbpf_extern_kcfg_type(e));

		/* JSON: typed/func describe ksyms only (null for a kconfig) */
		rec(o, "{\0sname\0skind\0bweak\0t\0Btyped\0Bfunc\0Ubtf_id\0Skcfg_type\0Bsigned\0"
		       "Usize\0Uoffset\0}\0",
		    bbpf_extern_name(e), bbpf_cli_extern_kind_name(bbpf_extern_kind(e)),
		    (uint64_t)bbpf_extern_is_weak(e), bbpf_cli_extern_type_name(e),
		    kcfg ? B_NULL : (uint64_t)bbpf_extern_is_typed(e),
		    kcfg ? B_NULL : (uint64_t)bbpf_extern_is_func(e),
		    (uint64_t)bbpf_extern_btf_id(e), kcfg ? kt : NULL, (uint64_t)bbpf_extern_is_signed(e),
		    (uint64_t)bbpf_extern_size(e), (uint64_t)bbpf_extern_data_off(e));
		if (o->j)
			continue;
		if (kcfg) {
			table_cell(&o->t, "%s%s", bbpf_extern_is_signed(e) ? "signed " : "", kt);
			rec(o, "u\0u\0", (uint64_t)bbpf_extern_size(e), (uint64_t)bbpf_extern_data_off(e));
		} else {
			rec(o, "t\0t\0t\0", (const char *)NULL, (const char *)NULL, (const char *)NULL);
		}
	}
	return list_end(o);
}

/* The object's BTF: its size, the types of each kind, its .BTF.ext's records. */
static void print_btf(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	struct bbpf_btf_summary s;
	char kb[BBPF_CLI_NAME_BUF];
	const char *name;
	unsigned int k;

	memset(&s, 0, sizeof(s));
	if (bbpf_object_btf_summary(obj, &s))
		memset(&s, 0, sizeof(s));
	if (j) {
		bbpf_cli_json_kvs(j, "{btf\0bpresent\0bext_present\0utypes\0ustrings_bytes\0{kinds\0",
				  (int)s.has_btf, (int)s.has_btf_ext, (uint64_t)s.type_cnt,
				  (uint64_t)s.str_len);
	} else if (!s.has_btf) {
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nbtf: none\n");
		return;
	} else {
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nbtf: %" PRIu32 " types, %" PRIu32 " string bytes\n"
				 "  kinds:", s.type_cnt, s.str_len);
	}
	for (k = 0; k < 32; k++) {
		if (!s.kind_cnt[k])
			continue;
		name = bbpf_cli_btf_kind_name(k, kb, sizeof(kb));
		if (j)
			bbpf_cli_json_kv_u64(j, name, s.kind_cnt[k]);
		else
			bbpf_cli_fprintf(BBPF_CLI_STDOUT, " %s=%" PRIu32, name, s.kind_cnt[k]);
	}
	if (j)
		bbpf_cli_json_kvs(j, "}\0ufunc_info\0uline_info\0ucore_relo\0}\0",
				  (uint64_t)s.func_info_cnt, (uint64_t)s.line_info_cnt,
				  (uint64_t)s.core_relo_cnt);
	else if (s.has_btf_ext)
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\n  btf.ext: func_info %" PRIu32 ", line_info %" PRIu32
				 ", core_relo %" PRIu32 "\n", s.func_info_cnt, s.line_info_cnt,
				 s.core_relo_cnt);
	else
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\n  btf.ext: none\n");
}

int bbpf_cli_inspect_describe(struct bbpf_object *obj, const char *path, struct bbpf_cli_json *j)
{
	uint32_t kv = bbpf_object_kern_version(obj);
	struct sink o = { .j = j };
	int err = 0;

	if (j) {
		bbpf_cli_json_kvs(j, "{\0sname\0slicense\0ukern_version\0sendian\0", bbpf_object_name(obj),
				  bbpf_object_license(obj), (uint64_t)kv, bbpf_cli_endian_name(obj));
	} else {
		print_field("file:", path);
		print_field("object:", bbpf_object_name(obj));
		print_field("license:", bbpf_object_license(obj));
		if (kv == 0xFFFFFFFEu)	/* samples/bpf's "the running kernel's" */
			bbpf_cli_fprintf(BBPF_CLI_STDOUT, "kern_version: 0xfffffffe (the running kernel's)\n");
		else if (kv)
			bbpf_cli_fprintf(BBPF_CLI_STDOUT, "kern_version: %" PRIu32 " (%u.%u.%u)\n", kv,
					 kv >> 16, (kv >> 8) & 0xff, kv & 0xff);
		else
			bbpf_cli_fprintf(BBPF_CLI_STDOUT, "kern_version: 0\n");
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "byte order:   %s-endian%s\n", bbpf_cli_endian_name(obj),
				 bbpf_object_is_foreign_endian(obj) ? " (foreign)" : "");
	}
	err |= print_programs(&o, obj);
	if (j)
		bbpf_cli_json_kv_u64(j, "subprograms", bbpf_object_subprog_cnt(obj));
	else
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "subprograms: %zu\n", bbpf_object_subprog_cnt(obj));
	err |= print_maps(&o, obj);
	err |= print_data_sections(&o, obj);
	if (j)
		bbpf_cli_inspect_globals_json(j, obj);
	else
		err |= bbpf_cli_inspect_globals_text(obj);
	err |= print_externs(&o, obj);
	print_btf(j, obj);
	if (!j)
		return err ? -1 : 0;
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_finish(j);
	return bbpf_cli_flush(BBPF_CLI_STDOUT);
}
