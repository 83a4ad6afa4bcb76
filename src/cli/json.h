/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small streaming JSON writer. The caller emits keys and values in order;
 * the writer adds commas, quotes, escapes and (optionally) indentation.
 * Strings are bytes: valid UTF-8 passes through, control characters, '"'
 * and '\\' are escaped, and every byte that is not part of a valid UTF-8
 * sequence becomes \u00XX, so the output is always valid JSON.
 *
 * Pretty output is laid out as bpftool's writer does it, so that "-p"
 * output can be compared byte for byte: four spaces per level, a newline
 * before every key and before the bracket closing a non-empty container,
 * array elements side by side ("[1,2\n    ]").
 */
#ifndef BBPF_CLI_JSON_H
#define BBPF_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cli.h"
#include "../dump/dump_json.h"

/*
 * The dump layer's writer (same layout rules), unbuffered and with the
 * strict, UTF-8-keeping quoting; plus which open levels are objects, so
 * that an error can close the document.
 */
struct bbpf_cli_json {
	struct bbpf_dump_json d;
	uint64_t objs;		/* bit n: open level n is an object (n < 64) */
};

/* A bbpf_dump_out write callback writing to the bbpf_cli_file *ctx. */
void bbpf_cli_json_fwrite(void *f, const char *s, size_t len);
void bbpf_cli_json_init(struct bbpf_cli_json *j, bbpf_cli_file *f, bool pretty);
void bbpf_cli_json_obj_begin(struct bbpf_cli_json *j);
void bbpf_cli_json_obj_end(struct bbpf_cli_json *j);
void bbpf_cli_json_arr_begin(struct bbpf_cli_json *j);
void bbpf_cli_json_arr_end(struct bbpf_cli_json *j);
/* Inside an object: the key of the next value. */
void bbpf_cli_json_key(struct bbpf_cli_json *j, const char *key);
/* NULL writes null. */
void bbpf_cli_json_str(struct bbpf_cli_json *j, const char *s);
void bbpf_cli_json_u64(struct bbpf_cli_json *j, uint64_t v);
void bbpf_cli_json_i64(struct bbpf_cli_json *j, int64_t v);
void bbpf_cli_json_bool(struct bbpf_cli_json *j, bool v);
void bbpf_cli_json_null(struct bbpf_cli_json *j);
/* Ends the document with a newline (after the outermost value). */
void bbpf_cli_json_finish(struct bbpf_cli_json *j);

/* key + value shorthands */
void bbpf_cli_json_kv_str(struct bbpf_cli_json *j, const char *key, const char *s);
void bbpf_cli_json_kv_u64(struct bbpf_cli_json *j, const char *key, uint64_t v);
void bbpf_cli_json_kv_i64(struct bbpf_cli_json *j, const char *key, int64_t v);
void bbpf_cli_json_kv_bool(struct bbpf_cli_json *j, const char *key, bool v);

void bbpf_cli_json_kv_null(struct bbpf_cli_json *j, const char *key);
/*
 * Several members in one call: spec is their keys, each NUL-terminated and
 * after a letter naming its argument's type: 's' const char * (NULL: null),
 * 'u' uint64_t (cast every one: a size_t or uint32_t must be widened),
 * 'b' int (a bool, or -1 for null); '{' (no argument) opens an object
 * (a member if a key follows), '[' an array (likewise), '}' closes an object. The spec ends with an empty
 * entry: "{\0sname\0ukey_size\0}\0".
 */
void bbpf_cli_json_kvs(struct bbpf_cli_json *j, const char *spec, ...);
/* An array of bytes as bpftool prints them: ["0x01","0xff"] (hex) or [1,255]. */
void bbpf_cli_json_bytes(struct bbpf_cli_json *j, const void *p, size_t n, bool hex);

/*
 * An error where the document stands: {"error":msg} at the top or as an
 * array element, an "error" member inside an object. Then every open
 * container is closed and the document ended, so the output stays one
 * valid JSON value whatever failed.
 */
void bbpf_cli_json_error(struct bbpf_cli_json *j, const char *msg);
/* Close whatever is still open and end the document (if anything was written). */
void bbpf_cli_json_close_all(struct bbpf_cli_json *j);

/*
 * The items another writer (nested at j's current level, e.g. a map dump's
 * bbpf_dump_map_begin_in) wrote: j's next item gets its comma.
 */
void bbpf_cli_json_continue(struct bbpf_cli_json *j, const struct bbpf_dump_json *inner);

#endif
