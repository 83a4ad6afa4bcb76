/* SPDX-License-Identifier: BSD-2-Clause */
/* see json_mini.h */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_mini.h"

#define JM_MAX_DEPTH 64

struct jm_parser {
	const char *p;
	int depth;
};

static void ws(struct jm_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static void put_utf8(char *out, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | cp >> 6);
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | cp >> 12);
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | cp >> 18);
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hex4(const char *s, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* At the opening quote. Output is never longer than the input. */
static char *string(struct jm_parser *ps, size_t *len)
{
	const char *s = ++ps->p;
	char *out = malloc(strlen(s) + 1);
	size_t n = 0;
	uint32_t cp, lo;

	if (!out)
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			break;
		if (c < 0x20)	/* includes the terminating NUL */
			goto bad;
		if (c != '\\') {
			out[n++] = (char)c;
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': out[n++] = *s; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			if (hex4(s + 1, &cp))
				goto bad;
			s += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && s[1] == '\\' && s[2] == 'u' &&
			    !hex4(s + 3, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			}
			put_utf8(out, &n, cp);
			break;
		default:
			goto bad;
		}
		s++;
	}
	out[n] = '\0';
	*len = n;
	ps->p = s + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static int value(struct jm_parser *ps, struct jm_value *v);

static int grow(struct jm_value *v, size_t *cap, bool keys)
{
	if (v->len < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 8;
	v->items = realloc(v->items, *cap * sizeof(*v->items));
	if (keys)
		v->keys = realloc(v->keys, *cap * sizeof(*v->keys));
	return v->items && (!keys || v->keys) ? 0 : -1;
}

static int container(struct jm_parser *ps, struct jm_value *v, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0, klen;

	v->type = obj ? JM_OBJECT : JM_ARRAY;
	if (++ps->depth > JM_MAX_DEPTH)
		return -1;
	ps->p++;
	ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		if (grow(v, &cap, obj))
			return -1;
		memset(&v->items[v->len], 0, sizeof(v->items[0]));
		if (obj) {
			ws(ps);
			if (*ps->p != '"' || !(v->keys[v->len] = string(ps, &klen)))
				return -1;
			ws(ps);
			if (*ps->p++ != ':') {
				v->len++;	/* so the key is freed */
				return -1;
			}
		}
		v->len++;
		if (value(ps, &v->items[v->len - 1]))
			return -1;
		ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p++ != close)
			return -1;
		ps->depth--;
		return 0;
	}
}

static int number(struct jm_parser *ps, struct jm_value *v)
{
	const char *s = ps->p;
	bool integer = true, neg = *s == '-';

	v->type = JM_NUMBER;
	if (neg)
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return -1;
	if (*s == '.') {
		integer = false;
		if (*++s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		integer = false;
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (integer)
		v->num = strtoull(neg ? ps->p + 1 : ps->p, NULL, 10);
	v->neg = neg;
	ps->p = s;
	return 0;
}

static int literal(struct jm_parser *ps, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(ps->p, word, n))
		return -1;
	ps->p += n;
	return 0;
}

static int value(struct jm_parser *ps, struct jm_value *v)
{
	ws(ps);
	switch (*ps->p) {
	case '{': return container(ps, v, true);
	case '[': return container(ps, v, false);
	case '"':
		v->type = JM_STRING;
		v->str = string(ps, &v->str_len);
		return v->str ? 0 : -1;
	case 't': v->type = JM_BOOL; v->boolean = true; return literal(ps, "true");
	case 'f': v->type = JM_BOOL; return literal(ps, "false");
	case 'n': v->type = JM_NULL; return literal(ps, "null");
	default: return number(ps, v);
	}
}

static void release(struct jm_value *v)
{
	size_t i;

	free(v->str);
	for (i = 0; i < v->len; i++) {
		if (v->items)
			release(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
}

void jm_free(struct jm_value *v)
{
	if (!v)
		return;
	release(v);
	free(v);
}

struct jm_value *jm_parse(const char *text)
{
	struct jm_parser ps = { text, 0 };
	struct jm_value *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	if (value(&ps, v) == 0) {
		ws(&ps);
		if (*ps.p == '\0')
			return v;
	}
	jm_free(v);
	return NULL;
}

const struct jm_value *jm_get(const struct jm_value *v, const char *key)
{
	size_t i;

	if (!v || v->type != JM_OBJECT)
		return NULL;
	for (i = 0; i < v->len; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}
