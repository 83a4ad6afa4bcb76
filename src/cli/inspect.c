/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf inspect OBJ [--json|--pretty] [--debug]: open a BPF object file
 * with the library (no kernel involved) and describe what it found.
 * Warnings from the library are held back until the open succeeds, so a
 * rejected file gives exactly one line on stderr: the reason and where.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inspect.h"
#include "json.h"
#include "req.h"
#include "load_util.h"
#include "../base/fmt.h"
#include "../dump/dump_raw.h"

#define LOG_BUF_MAX (64u << 10)	/* held-back warnings beyond this are counted */

struct log_ctx {
	bool debug;
	char *buf;		/* NUL-separated messages, LOG_BUF_MAX bytes once one came */
	size_t len;
	size_t dropped;
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct log_ctx *lc = ctx;
	size_t n = strlen(msg) + 1;

	if (lc->debug) {
		bbpf_cli_log_debug(level, msg);
		return;
	}
	if (level != BBPF_LOG_WARN)
		return;
	if (!lc->buf)
		lc->buf = malloc(LOG_BUF_MAX);
	if (!lc->buf || lc->len + n > LOG_BUF_MAX) {
		lc->dropped++;
		return;
	}
	memcpy(lc->buf + lc->len, msg, n);
	lc->len += n;
}

/* Print held-back warnings, one line each ("msg is one line", but be sure). */
static void log_flush(struct log_ctx *lc)
{
	size_t off = 0;
	char *p;

	while (off < lc->len) {
		for (p = lc->buf + off; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		bbpf_cli_err("%s", lc->buf + off);
		off += strlen(lc->buf + off) + 1;
	}
	if (lc->dropped)
		bbpf_cli_err("(%zu more warnings not shown)", lc->dropped);
}

int bbpf_cli_inspect(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *gopts,
		     int argc, char **argv)
{
	struct bbpf_cli_opts opts = *gopts;
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE, .sec = BBPF_DIAG_NO_SEC };
	struct log_ctx lc = { 0 };
	struct bbpf_open_opts oo = { 0 };
	struct bbpf_object *obj = NULL;
	const struct bbpf_cli_opts *ej;
	struct bbpf_cli_req_args ra = { 0 };
	struct bbpf_cli_json j;
	const char *path = NULL;
	bool no_more_opts = false, req = false;
	int i, err;

	/* --requirements or --check anywhere: that command (req.h), JSON errors with -j */
	for (i = 1; i < argc; i++)
		req |= !strcmp(argv[i], "--requirements") || !strcmp(argv[i], "--check");
	ej = req ? &opts : NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!no_more_opts && !req && !strcmp(a, "--")) {
			no_more_opts = true;
		} else if (!strcmp(a, "--requirements")) {
			continue;
		} else if (!strcmp(a, "--check")) {
			ra.check = true;
		} else if (ra.check && (!strcmp(a, "btf") || !strcmp(a, "kconfig"))) {
			const char **slot = a[0] == 'b' ? &ra.btf_path : &ra.kconfig_path;

			if (i + 1 >= argc)
				return bbpf_cli_usage_error_j(ej, cmd, "%s needs a FILE", a);
			if (*slot)
				return bbpf_cli_usage_error_j(ej, cmd, "%s given twice", a);
			*slot = argv[++i];
		} else if (!no_more_opts && a[0] == '-' && a[1]) {
			if (!req && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
				bbpf_cli_help_usage(BBPF_CLI_STDOUT, cmd);
				return BBPF_CLI_EXIT_OK;
			}
			if (!bbpf_cli_common_opt(&opts, a))
				return bbpf_cli_usage_error_j(ej, cmd, "unknown option '%s'", a);
		} else if (!path) {
			path = a;
		} else {
			return bbpf_cli_usage_error_j(ej, cmd, "extra argument '%s'", a);
		}
	}
	if (!path)
		return bbpf_cli_usage_error_j(ej, cmd, "missing object file");
	if (req)
		return bbpf_cli_requirements(&opts, argv, path, &ra);

	lc.debug = opts.debug;
	oo.log = log_cb;
	oo.log_ctx = &lc;
	err = bbpf_object_open_file(&obj, path, &oo, &diag);
	if (err || !obj) {
		size_t m = lc.len ? lc.len - 1 : 0;

		while (m && lc.buf[m - 1])
			m--;
		if (lc.len)	/* the library's last word names what is wrong */
			bbpf_cli_err("%s", lc.buf + m);
		else
			bbpf_cli_open_error(path, err, &diag);
		free(lc.buf);
		return BBPF_CLI_EXIT_FAIL;
	}
	log_flush(&lc);
	free(lc.buf);

	errno = 0;
	if (opts.json)
		bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, opts.pretty);
	err = bbpf_cli_inspect_describe(obj, path, opts.json ? &j : NULL);
	bbpf_object_close(obj);
	if (bbpf_cli_flush(BBPF_CLI_STDOUT))
		err = -1;
	if (err) {
		bbpf_cli_err("%s: cannot write the description (%s)", path,
			     errno ? strerror(errno) : "out of memory");
		return BBPF_CLI_EXIT_FAIL;
	}
	return BBPF_CLI_EXIT_OK;
}

/* ---- names shared by the renderers ---- */

/* Not inlined: -Oz copied it into each of its callers. */
__attribute__((noinline))
static const char *unknown(unsigned int v, char *buf, size_t size)
{
	bbpf_snprintf(buf, size, "unknown(%u)", v);
	return buf;
}

const char *bbpf_cli_prog_type_name(enum bpf_prog_type t, char *buf, size_t size)
{
	const char *s = bbpf_prog_type_str(t);

	return s ? s : unknown((unsigned int)t, buf, size);
}

const char *bbpf_cli_map_type_name(enum bpf_map_type t, char *buf, size_t size)
{
	const char *s = bbpf_map_type_str(t);

	return s ? s : unknown((unsigned int)t, buf, size);
}

const char *bbpf_cli_attach_type_name(const struct bbpf_program *prog, char *buf, size_t size)
{
	enum bpf_attach_type t = bbpf_program_expected_attach_type(prog);
	const char *s;

	/*
	 * 0 is both "not set" and BPF_CGROUP_INET_INGRESS; only cgroup_skb
	 * programs mean the latter by it.
	 */
	if (t == 0 && bbpf_program_type(prog) != BPF_PROG_TYPE_CGROUP_SKB)
		return NULL;
	s = bbpf_attach_type_str(t);
	return s ? s : unknown((unsigned int)t, buf, size);
}

/* The idx-th of cnt NUL-separated words, or "unknown" past them. */
static const char *nth_word(const char *words, unsigned int idx, unsigned int cnt)
{
	if (idx >= cnt)
		return "unknown";
	while (idx--)
		words += strlen(words) + 1;
	return words;
}

const char *bbpf_cli_map_kind_name(enum bbpf_map_kind kind)
{
	/* in enum bbpf_map_kind's order */
	return nth_word("btf\0legacy\0data\0rodata\0bss\0kconfig\0inner\0struct_ops",
			(unsigned int)kind, 8);
}

const char *bbpf_cli_pinning_name(enum bbpf_pinning pin, char *buf, size_t size)
{
	switch (pin) {
	case BBPF_PIN_NONE:	return "none";
	case BBPF_PIN_BY_NAME:	return "by_name";
	}
	return unknown((unsigned int)pin, buf, size);
}

const char *bbpf_cli_extern_kind_name(enum bbpf_extern_kind kind)
{
	switch (kind) {
	case BBPF_EXTERN_KCONFIG:	return "kconfig";
	case BBPF_EXTERN_KSYM:		return "ksym";
	}
	return "unknown";
}

const char *bbpf_cli_extern_type_name(const struct bbpf_extern *ext)
{
	if (bbpf_extern_kind(ext) != BBPF_EXTERN_KSYM)
		return "-";
	if (bbpf_extern_is_func(ext))
		return "func";
	return bbpf_extern_is_typed(ext) ? "typed" : "untyped";
}

const char *bbpf_cli_kcfg_type_name(enum bbpf_kcfg_type t)
{
	/* in enum bbpf_kcfg_type's order */
	return nth_word("unknown\0bool\0tristate\0char\0int\0char_arr", (unsigned int)t, 6);
}

const char *bbpf_cli_relo_kind_name(enum bbpf_relo_kind kind)
{
	/* in enum bbpf_relo_kind's order */
	_Static_assert(BBPF_RELO_KIND_CNT == 7, "one word per relocation kind");
	return nth_word("map\0data\0call\0callback\0extern_var\0extern_func\0core",
			(unsigned int)kind, BBPF_RELO_KIND_CNT);
}

const char *bbpf_cli_btf_kind_name(unsigned int kind, char *buf, size_t size)
{
	const char *s = bbpf_dump_raw_kind_name(kind);

	return s ? s : unknown(kind, buf, size);
}

const char *bbpf_cli_endian_name(const struct bbpf_object *obj)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	bool host_le = false;
#else
	bool host_le = true;
#endif
	return host_le != bbpf_object_is_foreign_endian(obj) ? "little" : "big";
}

const char *bbpf_cli_inner_name(const struct bbpf_map *map)
{
	const struct bbpf_map *inner = bbpf_map_inner(map);

	return inner ? bbpf_map_name(inner) : NULL;
}

bool bbpf_cli_is_data_section(const struct bbpf_map *map)
{
	switch (bbpf_map_kind(map)) {
	case BBPF_MAP_DATA:
	case BBPF_MAP_RODATA:
	case BBPF_MAP_BSS:
	case BBPF_MAP_KCONFIG:
		return true;
	default:
		return false;
	}
}
