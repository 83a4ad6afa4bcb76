/* SPDX-License-Identifier: BSD-2-Clause */
/* Text rendering of "barebpf inspect": aligned tables, one per topic. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inspect.h"
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

	if (!t->oom) {
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

/*
 * A row's cells, one per letter of spec: 's' a const char * (as cell()),
 * 'u' a uint64_t in decimal, 'x' a uint64_t as 0x%x (cast every number).
 */
BBPF_NO_FP_VARARGS
static void cells(struct table *t, const char *spec, ...)
{
	va_list ap;
	uint64_t v;

	va_start(ap, spec);
	for (; *spec; spec++) {
		if (*spec == 's') {
			cell(t, va_arg(ap, const char *));
			continue;
		}
		v = va_arg(ap, uint64_t);
		if (*spec == 'u')
			table_cell(t, "%" PRIu64, v);
		else
			table_cell(t, "0x%" PRIx64, v);
	}
	va_end(ap);
}

/* "map=2 data=1", or "-" when there are none. */
static void relo_summary(const struct bbpf_program *prog, char *buf, size_t size)
{
	struct bbpf_relo_counts rc = { { 0 } };
	size_t off = 0;
	int k, n;

	bbpf_program_relo_counts(prog, &rc);
	buf[0] = '\0';
	for (k = 0; k < BBPF_RELO_KIND_CNT; k++) {
		if (!rc.cnt[k])
			continue;
		n = bbpf_snprintf(buf + off, size - off, "%s%s=%" PRIu32, off ? " " : "",
			     bbpf_cli_relo_kind_name(k), rc.cnt[k]);
		if (n < 0 || (size_t)n >= size - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		bbpf_snprintf(buf, size, "-");
}

static int print_programs(const struct bbpf_object *obj)
{
	static const char head[] = "NAME\0SECTION\0TYPE\0ATTACH_TYPE\0INSNS\0AUTOLOAD\0RELOCATIONS";
	size_t i, n = bbpf_object_program_cnt(obj);
	char tb[BBPF_CLI_NAME_BUF], ab[BBPF_CLI_NAME_BUF], relos[160];
	struct table t;

	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nprograms: %zu\n", n);
	if (!n)
		return 0;
	table_init(&t, 7, head);
	for (i = 0; i < n; i++) {
		const struct bbpf_program *p = bbpf_object_program(obj, i);

		relo_summary(p, relos, sizeof(relos));
		cells(&t, "ssssuss", bbpf_program_name(p), bbpf_program_section(p),
		      bbpf_cli_prog_type_name(bbpf_program_type(p), tb, sizeof(tb)),
		      bbpf_cli_attach_type_name(p, ab, sizeof(ab)), (uint64_t)bbpf_program_insn_cnt(p),
		      bbpf_program_autoload(p) ? "yes" : "no", relos);
	}
	return table_flush(&t);
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

static int print_maps(const struct bbpf_object *obj)
{
	static const char head[] =
		"NAME\0TYPE\0KEY\0VALUE\0MAX_ENTRIES\0FLAGS\0PINNING\0INNER\0KIND\0INIT";
	size_t i, n = bbpf_object_map_cnt(obj);
	char tb[BBPF_CLI_NAME_BUF], pb[BBPF_CLI_NAME_BUF], slots[512];
	struct table t;

	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nmaps: %zu\n", n);
	if (!n)
		return 0;
	table_init(&t, 10, head);
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		init_slots(m, slots, sizeof(slots));
		cells(&t, "ssuuuxssss", bbpf_map_name(m),
		      bbpf_cli_map_type_name(bbpf_map_type(m), tb, sizeof(tb)),
		      (uint64_t)bbpf_map_key_size(m), (uint64_t)bbpf_map_value_size(m),
		      (uint64_t)bbpf_map_max_entries(m), (uint64_t)bbpf_map_flags(m),
		      bbpf_cli_pinning_name(bbpf_map_pinning(m), pb, sizeof(pb)),
		      bbpf_cli_inner_name(m), bbpf_cli_map_kind_name(bbpf_map_kind(m)), slots);
	}
	return table_flush(&t);
}

static int print_data_sections(const struct bbpf_object *obj)
{
	static const char head[] = "NAME\0KIND\0SIZE";
	size_t i, cnt = 0, n = bbpf_object_map_cnt(obj);
	struct table t;

	for (i = 0; i < n; i++)
		cnt += bbpf_cli_is_data_section(bbpf_object_map(obj, i));
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\ndata sections: %zu\n", cnt);
	if (!cnt)
		return 0;
	table_init(&t, 3, head);
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		if (!bbpf_cli_is_data_section(m))
			continue;
		cells(&t, "ssu", bbpf_map_name(m), bbpf_cli_map_kind_name(bbpf_map_kind(m)),
		      (uint64_t)bbpf_map_value_size(m));
	}
	return table_flush(&t);
}

static int print_externs(const struct bbpf_object *obj)
{
	static const char head[] = "NAME\0KIND\0WEAK\0TYPE\0KCFG_TYPE\0SIZE\0OFFSET";
	size_t i, n = bbpf_object_extern_cnt(obj);
	struct table t;

	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nexterns: %zu\n", n);
	if (!n)
		return 0;
	table_init(&t, 7, head);
	for (i = 0; i < n; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(obj, i);
		bool kcfg = bbpf_extern_kind(e) == BBPF_EXTERN_KCONFIG;

		cells(&t, "ssss", bbpf_extern_name(e), bbpf_cli_extern_kind_name(bbpf_extern_kind(e)),
		      bbpf_extern_is_weak(e) ? "yes" : "no", bbpf_cli_extern_type_name(e));
		if (kcfg) {
			table_cell(&t, "%s%s", bbpf_extern_is_signed(e) ? "signed " : "",
				   bbpf_cli_kcfg_type_name(bbpf_extern_kcfg_type(e)));
			cells(&t, "uu", (uint64_t)bbpf_extern_size(e), (uint64_t)bbpf_extern_data_off(e));
		} else {
			cells(&t, "sss", (const char *)NULL, (const char *)NULL, (const char *)NULL);
		}
	}
	return table_flush(&t);
}

static void print_btf(const struct bbpf_object *obj)
{
	struct bbpf_btf_summary s;
	char kb[BBPF_CLI_NAME_BUF];
	const char *name;
	unsigned int k;

	memset(&s, 0, sizeof(s));
	if (bbpf_object_btf_summary(obj, &s) || !s.has_btf) {
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nbtf: none\n");
		return;
	}
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nbtf: %" PRIu32 " types, %" PRIu32 " string bytes\n", s.type_cnt, s.str_len);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "  kinds:");
	for (k = 0; k < 32; k++) {
		if (!s.kind_cnt[k])
			continue;
		name = bbpf_cli_btf_kind_name(k, kb, sizeof(kb));
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, " %s=%" PRIu32, name, s.kind_cnt[k]);
	}
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\n");
	if (s.has_btf_ext)
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "  btf.ext: func_info %" PRIu32 ", line_info %" PRIu32 ", core_relo %" PRIu32 "\n",
		       s.func_info_cnt, s.line_info_cnt, s.core_relo_cnt);
	else
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "  btf.ext: none\n");
}

int bbpf_cli_inspect_text(struct bbpf_object *obj, const char *path)
{
	uint32_t kv = bbpf_object_kern_version(obj);
	int err = 0;

	print_field("file:", path);
	print_field("object:", bbpf_object_name(obj));
	print_field("license:", bbpf_object_license(obj));
	if (kv == 0xFFFFFFFEu)	/* samples/bpf's "the running kernel's" */
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "kern_version: 0xfffffffe (the running kernel's)\n");
	else if (kv)
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "kern_version: %" PRIu32 " (%u.%u.%u)\n", kv, kv >> 16, (kv >> 8) & 0xff,
		       kv & 0xff);
	else
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "kern_version: 0\n");
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "byte order:   %s-endian%s\n", bbpf_cli_endian_name(obj),
	       bbpf_object_is_foreign_endian(obj) ? " (foreign)" : "");

	err |= print_programs(obj);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "subprograms: %zu\n", bbpf_object_subprog_cnt(obj));
	err |= print_maps(obj);
	err |= print_data_sections(obj);
	err |= bbpf_cli_inspect_globals_text(obj);
	err |= print_externs(obj);
	print_btf(obj);
	return err ? -1 : 0;
}
