/* SPDX-License-Identifier: BSD-2-Clause */
/* see json.h */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "../base/fmt.h"

/* "\u00XX" for a byte JSON cannot carry as it is. */
static void put_u00(FILE *f, unsigned char c)
{
	char b[8];

	bbpf_snprintf(b, sizeof(b), "\\u%04x", c);
	fputs(b, f);
}

/*
 * Length of the valid UTF-8 sequence starting at s (RFC 3629, table 3-7 of
 * the Unicode standard: no overlongs, no surrogates, nothing past U+10FFFF),
 * or 0 if the bytes there are not one. s is NUL-terminated, so reading stops
 * at the NUL, which is never a continuation byte.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void bbpf_cli_json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				put_u00(f, *s);
			} else if (*s < 0x80) {
				fputc(*s, f);
			} else if ((n = utf8_len(s)) != 0) {
				fwrite(s, 1, n, f);
				s += n;
				continue;
			} else {
				put_u00(f, *s);	/* a stray byte as U+00XX */
			}
		}
		s++;
	}
	fputc('"', f);
}

/* Pretty mode: a new line indented four spaces per open level. */
static void newline(struct bbpf_cli_json *j)
{
	unsigned int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* The separator before a value or a key; a value right after its key has none. */
static void before_item(struct bbpf_cli_json *j)
{
	j->wrote = true;
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0 || j->depth > BBPF_CLI_JSON_MAX_DEPTH)
		return;
	if (j->has_items[j->depth - 1])
		fputc(',', j->f);
	j->has_items[j->depth - 1] = true;
}

void bbpf_cli_json_init(struct bbpf_cli_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void open_level(struct bbpf_cli_json *j, char c)
{
	before_item(j);
	fputc(c, j->f);
	/* Nesting past the limit is a caller bug: memory-safe, not well-formed. */
	if (j->depth < BBPF_CLI_JSON_MAX_DEPTH) {
		j->has_items[j->depth] = false;
		j->in_obj[j->depth] = c == '{';
	}
	j->depth++;
}

static void close_level(struct bbpf_cli_json *j, char c)
{
	bool had = j->depth <= BBPF_CLI_JSON_MAX_DEPTH && j->depth > 0 &&
		   j->has_items[j->depth - 1];

	if (j->depth > 0)
		j->depth--;
	if (had)
		newline(j);
	fputc(c, j->f);
}

void bbpf_cli_json_obj_begin(struct bbpf_cli_json *j)
{
	open_level(j, '{');
}

void bbpf_cli_json_obj_end(struct bbpf_cli_json *j)
{
	close_level(j, '}');
}

void bbpf_cli_json_arr_begin(struct bbpf_cli_json *j)
{
	open_level(j, '[');
}

void bbpf_cli_json_arr_end(struct bbpf_cli_json *j)
{
	close_level(j, ']');
}

void bbpf_cli_json_key(struct bbpf_cli_json *j, const char *key)
{
	before_item(j);
	newline(j);
	bbpf_cli_json_write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void bbpf_cli_json_str(struct bbpf_cli_json *j, const char *s)
{
	before_item(j);
	if (s)
		bbpf_cli_json_write_string(j->f, s);
	else
		fputs("null", j->f);
}

void bbpf_cli_json_u64(struct bbpf_cli_json *j, uint64_t v)
{
	char b[24];

	before_item(j);
	bbpf_snprintf(b, sizeof(b), "%" PRIu64, v);
	fputs(b, j->f);
}

void bbpf_cli_json_i64(struct bbpf_cli_json *j, int64_t v)
{
	char b[24];

	before_item(j);
	bbpf_snprintf(b, sizeof(b), "%" PRId64, v);
	fputs(b, j->f);
}

void bbpf_cli_json_bool(struct bbpf_cli_json *j, bool v)
{
	before_item(j);
	fputs(v ? "true" : "false", j->f);
}

void bbpf_cli_json_null(struct bbpf_cli_json *j)
{
	before_item(j);
	fputs("null", j->f);
}

void bbpf_cli_json_finish(struct bbpf_cli_json *j)
{
	fputc('\n', j->f);
}

void bbpf_cli_json_bytes(struct bbpf_cli_json *j, const void *p, size_t n, bool hex)
{
	const unsigned char *b = p;
	char s[8];
	size_t i;

	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		before_item(j);
		bbpf_snprintf(s, sizeof(s), hex ? "\"0x%02x\"" : "%u", b[i]);
		fputs(s, j->f);
	}
	bbpf_cli_json_arr_end(j);
}

void bbpf_cli_json_close_all(struct bbpf_cli_json *j)
{
	if (j->after_key)
		bbpf_cli_json_null(j);
	while (j->depth > 0) {
		if (j->depth <= BBPF_CLI_JSON_MAX_DEPTH && j->in_obj[j->depth - 1])
			bbpf_cli_json_obj_end(j);
		else
			bbpf_cli_json_arr_end(j);
	}
	if (j->wrote)
		bbpf_cli_json_finish(j);
	j->wrote = false;
}

void bbpf_cli_json_error(struct bbpf_cli_json *j, const char *msg)
{
	if (j->depth == 0 && j->wrote)
		bbpf_cli_json_finish(j);	/* a document was complete: the error on a line of its own */
	if (j->after_key)
		bbpf_cli_json_null(j);
	if (j->depth > 0 && j->depth <= BBPF_CLI_JSON_MAX_DEPTH && j->in_obj[j->depth - 1]) {
		bbpf_cli_json_kv_str(j, "error", msg);
	} else {
		bbpf_cli_json_obj_begin(j);
		bbpf_cli_json_kv_str(j, "error", msg);
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_close_all(j);
}

void bbpf_cli_json_kv_str(struct bbpf_cli_json *j, const char *key, const char *s)
{
	bbpf_cli_json_key(j, key);
	bbpf_cli_json_str(j, s);
}

void bbpf_cli_json_kv_u64(struct bbpf_cli_json *j, const char *key, uint64_t v)
{
	bbpf_cli_json_key(j, key);
	bbpf_cli_json_u64(j, v);
}

void bbpf_cli_json_kv_i64(struct bbpf_cli_json *j, const char *key, int64_t v)
{
	bbpf_cli_json_key(j, key);
	bbpf_cli_json_i64(j, v);
}

void bbpf_cli_json_kv_bool(struct bbpf_cli_json *j, const char *key, bool v)
{
	bbpf_cli_json_key(j, key);
	bbpf_cli_json_bool(j, v);
}

void bbpf_cli_json_kv_null(struct bbpf_cli_json *j, const char *key)
{
	bbpf_cli_json_key(j, key);
	bbpf_cli_json_null(j);
}
