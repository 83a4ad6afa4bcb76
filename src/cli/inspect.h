/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the text and JSON renderers of "barebpf inspect". */
#ifndef BBPF_CLI_INSPECT_H
#define BBPF_CLI_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <barebpf/object.h>

#define BBPF_CLI_NAME_BUF 32	/* fits "unknown(4294967295)" */

/* bpftool's name, or "unknown(N)" written to buf. */
const char *bbpf_cli_prog_type_name(enum bpf_prog_type t, char *buf, size_t size);
const char *bbpf_cli_map_type_name(enum bpf_map_type t, char *buf, size_t size);
/* NULL when the program has no meaningful expected attach type. */
const char *bbpf_cli_attach_type_name(const struct bbpf_program *prog, char *buf, size_t size);
const char *bbpf_cli_map_kind_name(enum bbpf_map_kind kind);
const char *bbpf_cli_pinning_name(enum bbpf_pinning pin, char *buf, size_t size);
const char *bbpf_cli_extern_kind_name(enum bbpf_extern_kind kind);
/* "typed", "func" or "untyped" (ksym); "-" for kconfig. */
const char *bbpf_cli_extern_type_name(const struct bbpf_extern *ext);
const char *bbpf_cli_kcfg_type_name(enum bbpf_kcfg_type t);
const char *bbpf_cli_relo_kind_name(enum bbpf_relo_kind kind);
/* "INT", "STRUCT", ... as bpftool prints them; "unknown(N)" written to buf past the known kinds. */
const char *bbpf_cli_btf_kind_name(unsigned int kind, char *buf, size_t size);
/* "little" or "big": the object's byte order. */
const char *bbpf_cli_endian_name(const struct bbpf_object *obj);
/* The name of a map's inner-map template, NULL if none. */
const char *bbpf_cli_inner_name(const struct bbpf_map *map);
/* Internal map holding global data or .kconfig values ("data sections"). */
bool bbpf_cli_is_data_section(const struct bbpf_map *map);

/* Global variables (inspect_globals.c): a table, or the "globals" key. */
struct bbpf_cli_json;
int bbpf_cli_inspect_globals_text(const struct bbpf_object *obj);
/* Control bytes (names come from the file) as '?', in place (inspect_text.c). */
void bbpf_cli_sanitize(char *s);
void bbpf_cli_inspect_globals_json(struct bbpf_cli_json *j, const struct bbpf_object *obj);

/*
 * The description of obj from file path: text, or JSON to j (inspect_text.c).
 * 0, or -1 after a write error on stdout or out of memory.
 */
int bbpf_cli_inspect_describe(struct bbpf_object *obj, const char *path, struct bbpf_cli_json *j);
/* JSON only (inspect_json.c): the map's init slots (ending the array). */
void bbpf_cli_inspect_json_slots(struct bbpf_cli_json *j, const struct bbpf_map *m);

#endif
