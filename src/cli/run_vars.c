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
	switch (n) {
	case 1: { uint8_t x = (uint8_t)u; memcpy(out, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)u; memcpy(out, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)u; memcpy(out, &x, 4); break; }
	default: memcpy(out, &u, 8); break;
	}
	return 0;
}

static bool int_sized(size_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

/*
 * One --set: an integer for a 1/2/4/8-byte variable, otherwise (or when
 * VALUE is in double quotes) a string, NUL-padded, that must fit.
 */
int bbpf_cli_run_set(struct bbpf_object *obj, const char *arg)
{
	const char *eq = strchr(arg, '='), *val = eq + 1;
	char name[256];
	struct bbpf_map *map;
	size_t off, size, vsz, len;
	uint8_t *data;
	int err;

	if ((size_t)(eq - arg) >= sizeof(name)) {
		bbpf_cli_err("--set %s: name too long", arg);
		return -EINVAL;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	err = bbpf_object_find_global(obj, name, &map, &off, &size);
	data = err ? NULL : bbpf_map_initial_value(map, &vsz);
	if (!data || off + size > vsz) {
		bbpf_cli_err("--set %s: no global variable '%s' in %s%s%s", arg, name,
			     bbpf_object_name(obj), err && err != -ENOENT ? ": " : "",
			     err && err != -ENOENT ? strerror(-err) : "");
		return -ENOENT;
	}
	len = strlen(val);
	if (len >= 2 && val[0] == '"' && val[len - 1] == '"') {
		val++;
		len -= 2;
	} else if (int_sized(size) && (!strcmp(val, "self") || val[0] == '-' ||
				       (val[0] >= '0' && val[0] <= '9'))) {
		err = parse_int(val, size, data + off);
		if (err)
			bbpf_cli_err("--set %s: '%s' is not a %zu-byte integer%s", arg, val, size,
				     err == -ERANGE ? " (out of range)" : "");
		return err;
	}
	if (len >= size) {
		bbpf_cli_err("--set %s: a %zu-byte variable holds at most %zu characters",
			     arg, size, size ? size - 1 : 0);
		return -E2BIG;
	}
	memset(data + off, 0, size);
	memcpy(data + off, val, len);
	return 0;
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
/* bbpf_snprintf into o (lines here are short). */
static void outf(struct bbpf_cli_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct bbpf_cli_out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bbpf_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		bbpf_cli_out_add(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void print_value(struct bbpf_cli_out *o, const char *name, const uint8_t *p, size_t n)
{
	unsigned long long u = 0;
	size_t i;

	if (int_sized(n)) {
		switch (n) {
		case 1: u = p[0]; break;
		case 2: { uint16_t x; memcpy(&x, p, 2); u = x; break; }
		case 4: { uint32_t x; memcpy(&x, p, 4); u = x; break; }
		default: memcpy(&u, p, 8); break;
		}
		outf(o, "%s = %llu (0x%llx)", name, u, u);
		if (n > 1 && strnlen((const char *)p, n) > 1 && is_text(p, n))
			outf(o, " \"%.*s\"", (int)n, (const char *)p);
		bbpf_cli_out_raw(o, "\n");
	} else if (is_text(p, n)) {
		bbpf_cli_out_raw(o, name);
		bbpf_cli_out_raw(o, " = \"");
		bbpf_cli_out_raw(o, (const char *)p);
		bbpf_cli_out_raw(o, "\"\n");
	} else {
		bbpf_cli_out_raw(o, name);
		bbpf_cli_out_raw(o, " =");
		for (i = 0; i < n; i++)
			outf(o, " %02x", p[i]);
		bbpf_cli_out_raw(o, "\n");
	}
}


/* As print_value, one JSON object: {"var":NAME,"value":N,"data":[bytes]} ("value" for ints only). */
static void print_json(struct bbpf_cli_out *o, const char *name, const uint8_t *p, size_t n)
{
	char buf[64];
	size_t i;

	bbpf_cli_out_raw(o, "{\"var\":");
	bbpf_cli_out_json_string(o, name, strlen(name));
	if (int_sized(n)) {
		unsigned long long u = 0;

		switch (n) {
		case 1: u = p[0]; break;
		case 2: { uint16_t x; memcpy(&x, p, 2); u = x; break; }
		case 4: { uint32_t x; memcpy(&x, p, 4); u = x; break; }
		default: memcpy(&u, p, 8); break;
		}
		bbpf_snprintf(buf, sizeof(buf), ",\"value\":%llu", u);
		bbpf_cli_out_raw(o, buf);
	} else if (is_text(p, n)) {
		bbpf_cli_out_raw(o, ",\"text\":");
		bbpf_cli_out_json_string(o, (const char *)p, strlen((const char *)p));
	}
	bbpf_cli_out_raw(o, ",\"data\":[");
	for (i = 0; i < n; i++) {
		bbpf_snprintf(buf, sizeof(buf), "%s\"0x%02x\"", i ? "," : "", p[i]);
		bbpf_cli_out_raw(o, buf);
	}
	bbpf_cli_out_raw(o, "]}\n");
}

void bbpf_cli_run_show(struct bbpf_cli_out *o, struct bbpf_object *obj, const char *const *names,
		       size_t cnt)
{
	size_t i, off, size, msz;
	struct bbpf_map *map;
	uint8_t *buf, *p;
	uint32_t key = 0;

	for (i = 0; i < cnt; i++) {
		if (bbpf_object_find_global(obj, names[i], &map, &off, &size))
			continue;	/* checked before load */
		p = bbpf_map_mmaped(map, &msz);
		buf = NULL;
		if (!p || off + size > msz) {
			buf = malloc(bbpf_map_value_size(map));
			if (!buf || bbpf_map_lookup_elem(map, &key, sizeof(key), buf,
							 bbpf_map_value_size(map), 0)) {
				bbpf_cli_err("cannot read '%s'", names[i]);
				free(buf);
				continue;
			}
			p = buf;
		}
		if (o->json)
			print_json(o, names[i], p + off, size);
		else
			print_value(o, names[i], p + off, size);
		free(buf);
	}
}
