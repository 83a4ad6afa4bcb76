/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpftool 7.1's skeleton header (see dump_skel.h). The fixed text is kept
 * as templates in which '\1' stands for the skeleton name and '\2' for it
 * in upper case; the parts that depend on the object (maps, programs,
 * global-data structs, bytes, asserts) are printed between them.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "dump_skel.h"
#include "dump_c.h"
#include "dump_c_int.h"
#include "dump_json.h"
#include "../base/fmt.h"
#include "../base/inflate.h"
#include "../relo/btf_fixup.h"
#include <barebpf/object.h>
#include "skel_tmpl.h"

#define SK_IDENT 256u
#define SK_FMT	320u

struct sk {
	struct bbpf_dump_json out;	/* buffered (no cap) */
	const char *name;
	const char *arg;		/* '~' in the template */
	struct bbpf_dump_c *d;		/* NULL: the object has no BTF */
	const struct bbpf_btf *btf;	/* fixed up, as libbpf has it after open */
	int err;
	char tpl[skel_tmpl_len + 1];	/* skel_tmpl.txt, inflated */
};

static void flush(struct sk *s)
{
	bbpf_dump_json_flush(&s->out);
}

static void put(struct sk *s, const char *p, size_t n)
{
	bbpf_dump_json_raw(&s->out, p, n);
}

static void lit(struct sk *s, const char *p)
{
	put(s, p, strlen(p));
}

/*
 * Part n of skel_tmpl.txt (the parts end with a line "%%"): '@' is the name,
 * '^' the name in upper case, '~' s->arg. Written out, or into dst (at most
 * SK_FMT bytes with the NUL) when dst is not NULL. The build keeps the file
 * deflated (the Makefile's $(GEN)/%.h rule): 1 KiB instead of 3.5.
 */
static void tmpl_to(struct sk *s, unsigned int n, char *dst)
{
	const char *t = s->tpl, *p;
	char one[2] = { 0, 0 }, c;
	size_t k = 0;
	bool up;

	for (; n; t = strchr(t, '\n') + 1)
		if (!strncmp(t, "%%\n", 3))
			n--;
	for (; strncmp(t, "%%\n", 3); t++) {
		up = *t == '^';
		one[0] = *t;
		p = *t == '@' || up ? s->name : *t == '~' ? s->arg : one;
		for (; *p; p++) {
			c = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
			if (!dst)
				put(s, &c, 1);
			else if (k < SK_FMT - 1)
				dst[k++] = c;
		}
	}
	if (dst)
		dst[k] = 0;
}

static void tmpl(struct sk *s, unsigned int n)
{
	tmpl_to(s, n, NULL);
}

/* Template part n (a printf format, see tmpl_to()) with the arguments. */
static void out(struct sk *s, unsigned int n, ...)
{
	char fmt[SK_FMT], tmp[1024];
	va_list ap;
	int len;

	tmpl_to(s, n, fmt);
	va_start(ap, n);
	len = bbpf_vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(tmp)) {
		s->err = s->err ? s->err : -E2BIG;
		return;
	}
	put(s, tmp, (size_t)len);
}

/* The template's printf parts (skel_tmpl.txt, after the six fixed ones). */
enum {
	T_ALLOC = 6,	/* "maps"/"programs", count; ~ map/prog */
	T_STRUCT,	/* "\tstruct NAME__%s {" */
	T_PAD,		/* pad index, bytes */
	T_STRUCT_END,	/* "\t} *%s;" */
	T_MEMBER,	/* "\t\tstruct bpf_~ *%s;" */
	T_SKEL,		/* index, name, index, ident; ~ map/prog */
	T_MMAPED,	/* index, ident */
	T_LINK,		/* index, name */
	T_BYTES,	/* size */
	T_ASSERT,	/* ident, var, size (long long), var */
};

static void sanitize(char *p)
{
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
}

/* src as an identifier: at most SK_IDENT - 1 bytes, sanitized. */
static void ident_of(char ident[SK_IDENT], const char *src)
{
	bbpf_snprintf(ident, SK_IDENT, "%s", src);
	sanitize(ident);
}

static bool has_prefix(const char *s, const char *pfx)
{
	return !strncmp(s, pfx, strlen(pfx));
}

void bbpf_dump_skel_name(const char *path, char *out_name)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strnlen(b, BBPF_DUMP_SKEL_NAME_MAX);
	memcpy(out_name, b, n);
	out_name[n] = '\0';
	if (n >= 2 && !strcmp(out_name + n - 2, ".o"))
		out_name[n - 2] = '\0';
	sanitize(out_name);
}

/*
 * A map's member name: its own, or for a global-data map what follows the
 * dot of the first of .data/.rodata/.bss/.kconfig in its name, sanitized
 * (bpftool's rule, so "minimal_.bss" -> "bss", ".data.foo" -> "data_foo").
 */
/* strstr() by plain comparison (musl's two-way strstr is 1.3 KiB of the static CLI). */
static const char *find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return NULL;
}

/* The global-data sections, in bpftool's order. */
static const char sfx[][9] = { ".data", ".rodata", ".bss", ".kconfig" };

static bool map_ident(const struct bbpf_map *m, char ident[SK_IDENT])
{
	const char *name = bbpf_map_name(m), *p;
	size_t i;

	if (!bbpf_map_is_internal(m)) {
		bbpf_snprintf(ident, SK_IDENT, "%s", name);
		return true;
	}
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		p = find(name, sfx[i]);
		if (p) {
			ident_of(ident, p + 1);
			return true;
		}
	}
	return false;
}

/* A DATASEC's struct name: its name without the dot, sanitized; false if not global data. */
static bool sec_ident(const char *sec, char ident[SK_IDENT])
{
	size_t i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (has_prefix(sec, sfx[i])) {
			ident_of(ident, sec + 1);
			return true;
		}
	}
	return false;
}

/* The first DATASEC whose struct name is ident, or 0. */
static uint32_t find_datasec(const struct sk *s, const char *ident)
{
	char si[SK_IDENT];
	uint32_t i, n = s->btf ? bbpf_btf_type_cnt(s->btf) : 0;
	const struct btf_type *t;

	for (i = 1; i < n; i++) {
		t = bbpf_btf_type(s->btf, i);
		if (t && bbpf_btf_kind(t) == BTF_KIND_DATASEC &&
		    sec_ident(bbpf_btf_str(s->btf, t->name_off), si) && !strcmp(si, ident))
			return i;
	}
	return 0;
}

/* Walk the exposed (non-static) variables of DATASEC id: fn per variable. */
static const struct btf_type *exposed_var(const struct sk *s, const struct btf_var_secinfo *vsi)
{
	const struct btf_type *v = bbpf_btf_type(s->btf, vsi->type);

	if (!v || bbpf_btf_kind(v) != BTF_KIND_VAR || bbpf_btf_var(v)->linkage == BTF_VAR_STATIC)
		return NULL;
	return v;
}

static void datasec_struct(struct sk *s, uint32_t id)
{
	const struct btf_type *ds = bbpf_btf_type(s->btf, id), *v;
	const struct btf_var_secinfo *vsi = bbpf_btf_secinfos(ds);
	const char *sec = bbpf_btf_str(s->btf, ds->name_off);
	char ident[SK_IDENT], var[SK_IDENT];
	uint32_t i, off = 0, pad = 0, align, aligned;
	int err;

	if (!sec_ident(sec, ident))
		return;
	out(s, T_STRUCT, ident);
	for (i = 0; i < bbpf_btf_vlen(ds) && !s->err; i++) {
		v = exposed_var(s, &vsi[i]);
		if (!v)
			continue;
		align = (uint32_t)bbpf_dump_c_layout_align(s->d, v->type);
		if (off > vsi[i].offset || !align) {
			s->err = -EINVAL;
			return;
		}
		/*
		 * As bpftool: alignment capped at 4 (a 32-bit host's), so the
		 * padding is explicit wherever some host would need it.
		 */
		if (align > 4)
			align = 4;
		aligned = (off + align - 1) / align * align;
		if (aligned != vsi[i].offset)
			out(s, T_PAD, pad++, vsi[i].offset - off);
		ident_of(var, bbpf_btf_str(s->btf, v->name_off));
		lit(s, "\t\t");
		flush(s);
		err = bbpf_dump_c_decl(s->d, v->type, var, 2, strcmp(sec, ".kconfig") != 0);
		if (!err)
			err = bbpf_dump_c_flush(s->d);
		if (err) {
			s->err = err;
			return;
		}
		lit(s, ";\n");
		off = vsi[i].offset + vsi[i].size;
	}
	out(s, T_STRUCT_END, ident);
}

static bool mmaped(const struct bbpf_map *m)
{
	/* libbpf 1.1 (bpftool 7.1's) maps every global-data map. */
	return bbpf_map_is_internal(m);
}

static void struct_def(struct sk *s, const struct bbpf_object *obj)
{
	size_t i, k, nm = bbpf_object_map_cnt(obj), np = bbpf_object_program_cnt(obj);
	char id[SK_IDENT];
	uint32_t ds;

	tmpl(s, 0);
	if (nm) {
		lit(s, "\tstruct {\n");
		s->arg = "map";
		for (i = 0; i < nm; i++)
			if (map_ident(bbpf_object_map(obj, i), id))
				out(s, T_MEMBER, id);
		lit(s, "\t} maps;\n");
	}
	for (k = 0; np && k < 2; k++) {
		lit(s, "\tstruct {\n");
		s->arg = k ? "link" : "program";
		for (i = 0; i < np; i++)
			out(s, T_MEMBER, bbpf_program_name(bbpf_object_program(obj, i)));
		lit(s, k ? "\t} links;\n" : "\t} progs;\n");
	}
	for (i = 0; s->btf && i < nm && !s->err; i++) {
		if (!mmaped(bbpf_object_map(obj, i)) || !map_ident(bbpf_object_map(obj, i), id))
			continue;
		ds = find_datasec(s, id);
		if (ds) {
			datasec_struct(s, ds);
		} else {	/* e.g. .rodata.str1.1: no DATASEC, an empty struct */
			out(s, T_STRUCT, id);
			out(s, T_STRUCT_END, id);
		}
	}
	tmpl(s, 1);
}

static void create_skeleton(struct sk *s, const struct bbpf_object *obj)
{
	size_t i, k, nm = bbpf_object_map_cnt(obj), np = bbpf_object_program_cnt(obj);
	const struct bbpf_map *m;
	const char *pn;
	char id[SK_IDENT];

	tmpl(s, 2);
	if (nm) {
		s->arg = "map";
		out(s, T_ALLOC, "maps", nm);
		for (i = 0, k = 0; i < nm; i++) {
			m = bbpf_object_map(obj, i);
			if (!map_ident(m, id))
				continue;
			out(s, T_SKEL, k, bbpf_map_name(m), k, id);
			if (mmaped(m))
				out(s, T_MMAPED, k, id);
			k++;
		}
	}
	if (np) {
		s->arg = "prog";
		out(s, T_ALLOC, "programs", np);
		for (i = 0; i < np; i++) {
			pn = bbpf_program_name(bbpf_object_program(obj, i));
			out(s, T_SKEL, i, pn, i, pn);
			out(s, T_LINK, i, pn);
		}
	}
	tmpl(s, 3);
}

/* The bytes as bpftool prints them: \xNN or \0, lines of at most 78 columns + '\'. */
static void elf_bytes(struct sk *s, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char e[5] = { '\\', 'x', 0, 0, 0 };
	size_t i, col = 0, w;

	out(s, T_BYTES, n);
	for (i = 0; i < n; i++) {
		w = p[i] ? 4 : 2;
		col += w;
		if (col > 78) {
			put(s, "\\\n", 2);
			col = w;
		}
		if (p[i]) {
			e[2] = hex[p[i] >> 4];
			e[3] = hex[p[i] & 15];
			put(s, e, 4);
		} else {
			put(s, "\\0", 2);
		}
	}
	/* the literal's end starts template part 4 */
}

static void asserts(struct sk *s, const struct bbpf_object *obj)
{
	size_t i, nm = bbpf_object_map_cnt(obj);
	const struct btf_type *ds, *v;
	const struct btf_var_secinfo *vsi;
	char id[SK_IDENT], var[SK_IDENT];
	uint32_t k, dsid;
	int64_t sz;

	tmpl(s, 4);
	for (i = 0; s->btf && i < nm; i++) {
		if (!mmaped(bbpf_object_map(obj, i)) || !map_ident(bbpf_object_map(obj, i), id))
			continue;
		dsid = find_datasec(s, id);
		if (!dsid)
			continue;
		ds = bbpf_btf_type(s->btf, dsid);
		vsi = bbpf_btf_secinfos(ds);
		for (k = 0; k < bbpf_btf_vlen(ds); k++) {
			v = exposed_var(s, &vsi[k]);
			sz = v ? bbpf_btf_resolve_size(s->btf, v->type) : -1;
			if (sz < 0)
				continue;
			ident_of(var, bbpf_btf_str(s->btf, v->name_off));
			out(s, T_ASSERT, id, var, (long long)sz, var);
		}
	}
	tmpl(s, 5);
}

__attribute__((noinline))
int bbpf_dump_skel_header(const struct bbpf_object *obj, const char *name, const void *elf,
			  size_t elf_len, const struct bbpf_dump_out *w, struct bbpf_arena *arena)
{
	struct bbpf_btf_blob blob;
	struct bbpf_btf *btf = NULL;
	size_t used, len;
	struct sk *s;
	int err;

	s = bbpf_arena_alloc(arena, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0, offsetof(struct sk, tpl));
	bbpf_dump_json_init(&s->out, w, false, 0);
	s->name = name;
	err = bbpf_inflate(skel_tmpl_z, sizeof(skel_tmpl_z), (uint8_t *)s->tpl, skel_tmpl_len,
			   &used, &len, NULL);
	if (err || len != skel_tmpl_len)
		return err ? err : -EBADMSG;
	if (bbpf_object_btf(obj)) {
		btf = bbpf_arena_alloc(arena, sizeof(*btf));
		if (!btf)
			return -ENOMEM;
		err = bbpf_btf_fixup(obj, &bbpf_btf_kinds_all, arena, &blob);
		if (!err)
			err = bbpf_btf_parse(btf, blob.data, blob.len, false, NULL, arena, NULL);
		if (!err)
			err = bbpf_dump_c_new(&s->d, btf, w, arena, NULL);
		if (err)
			return err;
		s->btf = btf;
	}
	struct_def(s, obj);
	if (!s->err) {
		create_skeleton(s, obj);
		elf_bytes(s, elf, elf_len);
		asserts(s, obj);
	}
	flush(s);
	return s->err;
}
