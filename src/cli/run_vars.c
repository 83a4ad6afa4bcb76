/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `run`'s global variables: --set NAME=VALUE before load (as a skeleton's
 * user writes skel->bss->x), --show NAME after the run, from the mapped
 * global data.
 */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../base/fmt.h"
#include "run_out.h"
#include "run_vars.h"
#include "textfile.h"
#include "../parse/btf.h"

/* Where the low n bytes of a uint64 sit in memory. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LOW_AT(n)	(8 - (n))
#else
#define LOW_AT(n)	0
#endif

/* Integer VALUE ("self": our pid) into n = 1, 2, 4 or 8 bytes, range-checked. */
static int parse_int(const char *s, size_t n, void *out)
{
	unsigned long long u;
	int err;

	if (!strcmp(s, "self")) {
		u = (unsigned long long)getpid();
	} else if (s[0] == '-') {
		/* as strtoll(): any error, LLONG_MIN's range included, is -EINVAL */
		if (bbpf_cli_parse_uint(s + 1, &u) || u > (unsigned long long)LLONG_MAX + 1)
			return -EINVAL;
		u = 0 - u;
		if (n < 8 && (long long)u < -(1LL << (n * 8 - 1)))
			return -ERANGE;
	} else {
		err = bbpf_cli_parse_uint(s, &u);
		if (err)
			return err;
		if (n < 8 && u >> (n * 8))
			return -ERANGE;
	}
	memcpy(out, (uint8_t *)&u + LOW_AT(n), n);
	return 0;
}

static bool int_sized(size_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}


/* What a --set/--show path names: where, how big, and (with BTF) how to read it. */
struct var_at {
	struct bbpf_map *map;
	size_t off, size;
	int kind;	/* 'i' integer (or enum, pointer), 't' char array, '?' other, 0 no BTF */
};

/*
 * NAME, NAME.member, NAME[i] and any chain of them (cfg.ids[2]), with the
 * object's BTF for anything past NAME. 0, or -1 with the reason printed.
 */
static int var_find(struct bbpf_object *obj, const char *opt, const char *path, size_t len,
		    struct var_at *v)
{
	struct bbpf_btf *btf = (struct bbpf_btf *)bbpf_object_btf(obj);
	const struct btf_type *t;
	size_t n = strcspn(path, ".["), i;
	const char *p = path + n, *end = path + len, *why = NULL;
	uint32_t id = 0;
	char name[256];
	int64_t sz;

	if (n > len)
		n = len;
	bbpf_snprintf(name, sizeof(name), "%.*s", (int)n, path);
	if (n >= sizeof(name) || bbpf_object_find_global(obj, name, &v->map, &v->off, &v->size)) {
		bbpf_cli_err("%s %s: no global variable '%s' in %s", opt, path, name,
			     bbpf_object_name(obj));
		return -1;
	}
	v->kind = 0;
	if (btf && (id = bbpf_btf_find_by_name_kind(btf, name, BTF_KIND_VAR)))
		id = bbpf_btf_type(btf, id)->type;
	while (id && p < end && !why) {
		t = bbpf_btf_type(btf, id = bbpf_btf_resolve(btf, id));
		if (!t)
			break;
		if (*p == '.') {
			const struct btf_member *m = bbpf_btf_members(t);

			n = strcspn(++p, ".[");
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			why = BBPF_MSGZ_STR("has no such member");
			for (i = 0; (bbpf_btf_kind(t) == BTF_KIND_STRUCT ||
				     bbpf_btf_kind(t) == BTF_KIND_UNION) && i < bbpf_btf_vlen(t); i++) {
				const char *mn = bbpf_btf_str(btf, m[i].name_off);

				if (!mn || strlen(mn) != n || strncmp(mn, p, n))
					continue;
				why = bbpf_btf_member_bitfield_size(t, &m[i]) ? BBPF_MSGZ_STR("is a bit field") : NULL;
				v->off += bbpf_btf_member_bit_off(t, &m[i]) / 8;
				id = m[i].type;
				break;
			}
			p += n;
		} else {
			unsigned long long idx;
			const char *cl = memchr(p, ']', (size_t)(end - p));

			bbpf_snprintf(name, sizeof(name), "%.*s", cl ? (int)(cl - p - 1) : 0, p + 1);
			if (bbpf_btf_kind(t) != BTF_KIND_ARRAY)
				why = BBPF_MSGZ_STR("is not an array");
			else if (!cl || bbpf_cli_parse_uint(name, &idx) ||
				 idx >= bbpf_btf_array(t)->nelems)
				why = BBPF_MSGZ_STR("has no such element");
			else if ((sz = bbpf_btf_resolve_size(btf, bbpf_btf_array(t)->type)) <= 0 ||
				 v->off + idx * (uint64_t)sz > UINT32_MAX)
				why = BBPF_MSGZ_STR("has elements of no size");	/* or absurd ones: hostile BTF */
			else {
				v->off += (size_t)(idx * (uint64_t)sz);
				id = bbpf_btf_array(t)->type;
				p = cl + 1;
			}
		}
	}
	if (p < end && !why)
		why = BBPF_MSGZ_STR("cannot be followed without the object's BTF");
	if (why) {
		bbpf_cli_err("%s %s: '%.*s' %s", opt, path, (int)(p - path), path, why);
		return -1;
	}
	if (!id)
		return 0;
	t = bbpf_btf_type(btf, id = bbpf_btf_resolve(btf, id));
	sz = bbpf_btf_resolve_size(btf, id);
	if (t && sz > 0) {
		v->size = (size_t)sz;
		v->kind = bbpf_btf_kind(t) == BTF_KIND_INT || bbpf_btf_kind(t) == BTF_KIND_ENUM ||
			  bbpf_btf_kind(t) == BTF_KIND_ENUM64 || bbpf_btf_kind(t) == BTF_KIND_PTR ? 'i' :
			  bbpf_btf_kind(t) == BTF_KIND_ARRAY &&
			  bbpf_btf_resolve_size(btf, bbpf_btf_array(t)->type) == 1 ? 't' : '?';
	}
	return 0;
}

/*
 * One --set: an integer for an integer (or, without BTF, a 1/2/4/8-byte
 * variable), text for a char array (or a quoted VALUE without BTF),
 * NUL-padded, that must fit.
 */
int bbpf_cli_run_set(struct bbpf_object *obj, const char *arg)
{
	const char *eq = strchr(arg, '='), *val = eq + 1;
	struct var_at v;
	size_t vsz, len = strlen(val);
	uint8_t *data;
	bool num = !strcmp(val, "self") || val[0] == '-' || (val[0] >= '0' && val[0] <= '9');
	int err;

	if (var_find(obj, "--set", arg, (size_t)(eq - arg), &v))
		return -ENOENT;
	data = bbpf_map_initial_value(v.map, &vsz);
	if (!data || v.off + v.size > vsz) {
		bbpf_cli_err("--set %s: '%.*s' is not in initialized global data", arg,
			     (int)(eq - arg), arg);
		return -ENOENT;
	}
	if (len >= 2 && val[0] == '"' && val[len - 1] == '"' && v.kind != 'i') {
		val++;
		len -= 2;
	} else if (v.kind == 'i' || (!v.kind && int_sized(v.size) && num)) {
		err = int_sized(v.size) ? parse_int(val, v.size, data + v.off) : -EINVAL;
		if (err)
			bbpf_cli_err("--set %s: '%s' is not a %zu-byte integer%s", arg, val, v.size,
				     err == -ERANGE ? " (out of range)" : "");
		return err;
	}
	if (v.kind == '?') {
		bbpf_cli_err("--set %s: '%.*s' is neither an integer nor a char array", arg,
			     (int)(eq - arg), arg);
		return -EINVAL;
	}
	if (len >= v.size) {
		bbpf_cli_err("--set %s: a %zu-byte variable holds at most %zu characters",
			     arg, v.size, v.size ? v.size - 1 : 0);
		return -E2BIG;
	}
	memset(data + v.off, 0, v.size);
	memcpy(data + v.off, val, len);
	return 0;
}

/* n = 1, 2, 4 or 8 bytes as an unsigned integer (the host's order); 0 for other sizes. */
static unsigned long long read_uint(const uint8_t *p, size_t n)
{
	unsigned long long u = 0;

	if (int_sized(n))
		memcpy((uint8_t *)&u + LOW_AT(n), p, n);
	return u;
}

/* A NUL-terminated printable string filling p[0..n) (zero padded)? */
static bool is_text(const uint8_t *p, size_t n)
{
	size_t i, len = strnlen((const char *)p, n);

	if (!len || len == n)
		return false;
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return false;
	for (; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Without the variable's type: 1/2/4/8 bytes as an unsigned integer (and as
 * text too when the bytes read as a string: a char[8]), text, or bytes.
 */
/* pre"TEXT" with '"' and '\\' escaped (is_text() let only printable bytes through). */
static void out_quoted(struct bbpf_cli_out *o, const char *pre, const uint8_t *p)
{
	bbpf_cli_out_fmt(o, "%s\"", pre);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			bbpf_cli_out_raw(o, "\\");
		bbpf_cli_out_add(o, (const char *)p, 1);
	}
	bbpf_cli_out_raw(o, "\"");
}

static void print_value(struct bbpf_cli_out *o, const char *name, const uint8_t *p, size_t n,
			int kind, bool text)
{
	unsigned long long u = read_uint(p, n);

	if (int_sized(n) && (kind != 't' || !text)) {
		bbpf_cli_out_fmt(o, "%s = %llu (0x%llx)", name, u, u);
		if (n > 1 && strnlen((const char *)p, n) > 1 && text)
			out_quoted(o, " ", p);
		bbpf_cli_out_raw(o, "\n");
	} else if (text) {
		bbpf_cli_out_raw(o, name);
		out_quoted(o, " = ", p);
		bbpf_cli_out_raw(o, "\n");
	} else {
		bbpf_cli_out_fmt(o, "%s =%s", name, n ? " " : "");
		bbpf_cli_out_bytes(o, p, n);
		bbpf_cli_out_raw(o, "\n");
	}
}


/* As print_value, one JSON object: {"var":NAME,"value":N,"data":[bytes]} ("value" for ints only). */
static void print_json(struct bbpf_cli_out *o, const char *name, const uint8_t *p, size_t n,
		       bool text)
{
	bbpf_cli_out_json_string(o, "{\"var\":", name, strlen(name));
	if (int_sized(n)) {
		bbpf_cli_out_fmt(o, ",\"value\":%llu", read_uint(p, n));
	} else if (text)
		bbpf_cli_out_json_string(o, ",\"text\":", (const char *)p, strlen((const char *)p));
	bbpf_cli_out_raw(o, ",\"data\":");
	bbpf_cli_out_bytes(o, p, n);
	bbpf_cli_out_raw(o, "}\n");
}

void bbpf_cli_run_show(struct bbpf_cli_out *o, struct bbpf_object *obj, const char *const *names,
		       size_t cnt)
{
	size_t i, off, size, msz;
	struct bbpf_map *map;
	struct var_at v;
	uint8_t *buf, *p;
	uint32_t key = 0;

	for (i = 0; i < cnt; i++) {
		if (var_find(obj, "--show", names[i], strlen(names[i]), &v))
			continue;	/* checked before load */
		map = v.map;
		off = v.off;
		size = v.size;
		p = bbpf_map_mmaped(map, &msz);
		buf = NULL;
		if (!p || off + size > msz) {
			buf = malloc(bbpf_map_value_size(map));
			if (!buf || off + size > bbpf_map_value_size(map) ||
			    bbpf_map_lookup_elem(map, &key, sizeof(key), buf,
						 bbpf_map_value_size(map), 0)) {
				bbpf_cli_err("cannot read '%s'", names[i]);
				free(buf);
				continue;
			}
			p = buf;
		}
		p += off;
		if (o->json)	/* is_text(): read once */
			print_json(o, names[i], p, size, is_text(p, size));
		else
			print_value(o, names[i], p, size, v.kind, is_text(p, size));
		free(buf);
	}
}

int bbpf_cli_run_var_check(struct bbpf_object *obj, const char *name)
{
	struct var_at v;

	return var_find(obj, "--show", name, strlen(name), &v);
}
