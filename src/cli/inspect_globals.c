/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The global variables of "barebpf inspect": every VAR of the .data,
 * .rodata and .bss sections' BTF (their ".name" variants too), with its
 * section, offset, size and C type, so that `run --set`/`--show` targets
 * can be found. Offset and size are bbpf_object_find_global()'s (the ELF
 * symbol's value when there is one), else the DATASEC entry's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>

#include "inspect.h"
#include "json.h"
#include "cli.h"
#include "../base/fmt.h"
#include "../dump/dump_c.h"

struct cbuf {
	char s[256];
	size_t len;
};

static void cbuf_write(void *ctx, const char *s, size_t len)
{
	struct cbuf *b = ctx;
	size_t room = sizeof(b->s) - 1 - b->len;

	if (len > room)
		len = room;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

struct global {
	const char *name, *section;
	uint64_t off, size;
	const char *type;	/* the walk's buffer */
};

typedef void (*global_fn)(void *arg, const struct global *g);

/* Call fn for each global; -1 if the C types could not be made (out of memory). */
static int walk(const struct bbpf_object *obj, global_fn fn, void *arg)
{
	const struct bbpf_btf *btf = bbpf_object_btf(obj);
	struct bbpf_arena arena;
	struct bbpf_dump_c *d = NULL;
	struct cbuf b;
	struct bbpf_dump_out w = { .write = cbuf_write, .ctx = &b };
	size_t i, n = bbpf_object_map_cnt(obj);

	if (!btf)
		return 0;
	bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
	if (bbpf_dump_c_new(&d, btf, &w, &arena, NULL)) {
		bbpf_arena_free(&arena);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);
		uint32_t ds_id = bbpf_map_btf_value_type_id(m), k;
		const struct btf_type *ds = bbpf_btf_type(btf, ds_id);
		const struct btf_var_secinfo *vsi;

		if (bbpf_map_kind(m) == BBPF_MAP_KCONFIG || !bbpf_cli_is_data_section(m) || !ds ||
		    bbpf_btf_kind(ds) != BTF_KIND_DATASEC)
			continue;
		vsi = bbpf_btf_secinfos(ds);
		for (k = 0; k < bbpf_btf_vlen(ds); k++) {
			const struct btf_type *v = bbpf_btf_type(btf, vsi[k].type);
			struct bbpf_map *gm;
			struct global g;
			size_t off, size;

			if (!v || bbpf_btf_kind(v) != BTF_KIND_VAR)
				continue;
			g.name = bbpf_btf_name(btf, vsi[k].type);
			g.section = bbpf_btf_name(btf, ds_id);
			g.off = vsi[k].offset;
			g.size = vsi[k].size;
			if (!bbpf_object_find_global(obj, g.name, &gm, &off, &size) && gm == m) {
				g.off = off;
				g.size = size;
			}
			b.len = 0;
			b.s[0] = '\0';
			if (bbpf_dump_c_decl(d, v->type, "", 0, false) || bbpf_dump_c_flush(d))
				bbpf_snprintf(b.s, sizeof(b.s), "?");
			g.type = b.s;
			fn(arg, &g);
		}
	}
	bbpf_arena_free(&arena);
	return 0;
}

static void count_one(void *arg, const struct global *g)
{
	(void)g;
	(*(size_t *)arg)++;
}

static void print_one(void *arg, const struct global *g)
{
	char line[512];

	(void)arg;
	/* name and section cut at 63 bytes, the line without control bytes */
	bbpf_snprintf(line, sizeof(line), "  %-24.63s  %-16.63s  %6" PRIu64 "  %6" PRIu64 "  %s",
		      g->name, g->section, g->off, g->size, g->type);
	bbpf_cli_sanitize(line);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s\n", line);
}

int bbpf_cli_inspect_globals_text(const struct bbpf_object *obj)
{
	size_t n = 0;

	if (walk(obj, count_one, &n))
		return -1;
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\nglobals: %zu\n", n);
	if (!n)
		return 0;
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "  %-24s  %-16s  %6s  %6s  %s\n", "NAME", "SECTION", "OFFSET", "SIZE",
			 "TYPE");
	return walk(obj, print_one, NULL);
}

static void json_one(void *arg, const struct global *g)
{
	struct bbpf_cli_json *j = arg;

	bbpf_cli_json_kvs(j, "{\0sname\0ssection\0uoffset\0usize\0stype\0}\0", g->name, g->section,
			  g->off, g->size, g->type);
}

void bbpf_cli_inspect_globals_json(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	bbpf_cli_json_kvs(j, "[globals\0");
	walk(obj, json_one, j);
	bbpf_cli_json_arr_end(j);
}
