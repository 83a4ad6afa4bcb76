/* SPDX-License-Identifier: BSD-2-Clause */
/* see json.h: a thin layer over src/dump/dump_json.c */
#include <stdarg.h>
#include <string.h>

#include "json.h"
#include "../base/fmt.h"

void bbpf_cli_json_fwrite(void *f, const char *s, size_t len)
{
	bbpf_cli_write(f, s, len);
}

void bbpf_cli_json_init(struct bbpf_cli_json *j, bbpf_cli_file *f, bool pretty)
{
	struct bbpf_dump_out out = { bbpf_cli_json_fwrite, f };

	bbpf_dump_json_init(&j->d, &out, pretty, 0);
	j->d.direct = true;
	j->d.utf8 = true;
	j->objs = 0;
}

/* The bit of the level about to be opened. */
static uint64_t level_bit(const struct bbpf_cli_json *j)
{
	return j->d.depth < 64 ? (uint64_t)1 << j->d.depth : 0;
}

/* The innermost open level is an object. */
static bool in_obj(const struct bbpf_cli_json *j)
{
	uint32_t n = j->d.depth - 1;	/* depth 0: never below 64 */

	return n < 64 && (j->objs >> n & 1);
}

void bbpf_cli_json_obj_begin(struct bbpf_cli_json *j)
{
	j->objs |= level_bit(j);
	bbpf_dump_json_start_object(&j->d);
}

void bbpf_cli_json_obj_end(struct bbpf_cli_json *j)
{
	bbpf_dump_json_end_object(&j->d);
}

void bbpf_cli_json_arr_begin(struct bbpf_cli_json *j)
{
	j->objs &= ~level_bit(j);
	bbpf_dump_json_start_array(&j->d);
}

void bbpf_cli_json_arr_end(struct bbpf_cli_json *j)
{
	bbpf_dump_json_end_array(&j->d);
}

void bbpf_cli_json_key(struct bbpf_cli_json *j, const char *key)
{
	bbpf_dump_json_name(&j->d, key);
}

void bbpf_cli_json_str(struct bbpf_cli_json *j, const char *s)
{
	if (s)
		bbpf_dump_json_string(&j->d, s);
	else
		bbpf_cli_json_null(j);
}

void bbpf_cli_json_u64(struct bbpf_cli_json *j, uint64_t v)
{
	bbpf_dump_json_u64(&j->d, v);
}

void bbpf_cli_json_i64(struct bbpf_cli_json *j, int64_t v)
{
	bbpf_dump_json_i64(&j->d, v);
}

void bbpf_cli_json_bool(struct bbpf_cli_json *j, bool v)
{
	bbpf_dump_json_value(&j->d, v ? "true" : "false", v ? 4 : 5);
}

void bbpf_cli_json_null(struct bbpf_cli_json *j)
{
	bbpf_dump_json_value(&j->d, "null", 4);
}

void bbpf_cli_json_finish(struct bbpf_cli_json *j)
{
	bbpf_dump_json_raw(&j->d, "\n", 1);
}

BBPF_NO_FP_VARARGS
void bbpf_cli_json_kvs(struct bbpf_cli_json *j, const char *spec, ...)
{
	va_list ap;
	int b;

	va_start(ap, spec);
	for (; *spec; spec += strlen(spec) + 1) {
		if (spec[1])
			bbpf_cli_json_key(j, spec + 1);
		if (*spec == '{')
			bbpf_cli_json_obj_begin(j);
		else if (*spec == '[')
			bbpf_cli_json_arr_begin(j);
		else if (*spec == '}')
			bbpf_cli_json_obj_end(j);
		else if (*spec == 's')
			bbpf_cli_json_str(j, va_arg(ap, const char *));
		else if (*spec == 'u')
			bbpf_cli_json_u64(j, va_arg(ap, uint64_t));
		else if ((b = va_arg(ap, int)) < 0)
			bbpf_cli_json_null(j);
		else
			bbpf_cli_json_bool(j, b);
	}
	va_end(ap);
}

void bbpf_cli_json_bytes(struct bbpf_cli_json *j, const void *p, size_t n, bool hex)
{
	const unsigned char *b = p;
	char s[8] = "\"0x";	/* a byte: 2 digits */
	size_t i, len;

	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		if (hex) {	/* "0x%02x" */
			len = 3 + bbpf_dump_json_fmt_hex(s + 3, b[i], 2);
			s[len++] = '"';
			bbpf_dump_json_value(&j->d, s, len);
		} else {
			bbpf_dump_json_u64(&j->d, b[i]);
		}
	}
	bbpf_cli_json_arr_end(j);
}

void bbpf_cli_json_continue(struct bbpf_cli_json *j, const struct bbpf_dump_json *inner)
{
	j->d.sep |= inner->sep;
}

void bbpf_cli_json_close_all(struct bbpf_cli_json *j)
{
	if (j->d.named)
		bbpf_cli_json_null(j);
	while (j->d.depth > 0) {
		if (in_obj(j))
			bbpf_cli_json_obj_end(j);
		else
			bbpf_cli_json_arr_end(j);
	}
	if (j->d.written)
		bbpf_cli_json_finish(j);
	j->d.written = 0;	/* a new document may follow */
}

void bbpf_cli_json_error(struct bbpf_cli_json *j, const char *msg)
{
	if (in_obj(j)) {	/* an "error" member */
		if (j->d.named)
			bbpf_cli_json_null(j);
	} else {	/* {"error": msg}, closed by close_all */
		if (j->d.depth == 0 && j->d.written)
			bbpf_cli_json_finish(j);	/* a document was complete: the error on a line of its own */
		bbpf_cli_json_obj_begin(j);
	}
	bbpf_cli_json_kv_str(j, "error", msg);
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
