/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `run`'s global variables: --set NAME=VALUE before load (as a skeleton's
 * user writes skel->bss->x), --show NAME after the run, from the mapped
 * global data.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run_out.h"
#include "run_vars.h"

/*
 * All of s as strtoull(s, &end, 0) reads it, starting with a digit: 0x hex,
 * 0 octal or decimal. -ERANGE on overflow (as errno), -EINVAL if anything
 * is left. By hand: libc's number scanner is 2 KiB of the static binary.
 */
int bbpf_cli_parse_uint(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned int base = 10, d;
	bool overflow = false;

	if (!(*s >= '0' && *s <= '9'))
		return -EINVAL;
	if (s[0] == '0') {
		base = 8;
		if ((s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (isxdigit((unsigned char)*s))
			d = (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

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
static void print_value(FILE *f, const char *name, const uint8_t *p, size_t n)
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
		bbpf_cli_fprintf(f, "%s = %llu (0x%llx)", name, u, u);
		if (n > 1 && strnlen((const char *)p, n) > 1 && is_text(p, n))
			bbpf_cli_fprintf(f, " \"%s\"", (const char *)p);
		fputc('\n', f);
	} else if (is_text(p, n)) {
		bbpf_cli_fprintf(f, "%s = \"%s\"\n", name, (const char *)p);
	} else {
		bbpf_cli_fprintf(f, "%s =", name);
		for (i = 0; i < n; i++)
			bbpf_cli_fprintf(f, " %02x", p[i]);
		fputc('\n', f);
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
		snprintf(buf, sizeof(buf), ",\"value\":%llu", u);
		bbpf_cli_out_raw(o, buf);
	} else if (is_text(p, n)) {
		bbpf_cli_out_raw(o, ",\"text\":");
		bbpf_cli_out_json_string(o, (const char *)p, strlen((const char *)p));
	}
	bbpf_cli_out_raw(o, ",\"data\":[");
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s\"0x%02x\"", i ? "," : "", p[i]);
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
	char *text;
	size_t text_len;
	FILE *f;

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
		if (o->json) {
			print_json(o, names[i], p + off, size);
		} else {
			text = NULL;
			text_len = 0;
			f = open_memstream(&text, &text_len);
			if (f) {
				print_value(f, names[i], p + off, size);
				fclose(f);
				bbpf_cli_out_add(o, text, text_len);
			}
			free(text);
		}
		free(buf);
	}
}
