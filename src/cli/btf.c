/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf btf dump file FILE [format c|raw]
 * barebpf btf dump id ID [format c|raw]
 * barebpf btf help
 *
 * As bpftool's "btf dump": FILE is raw BTF (/sys/kernel/btf/vmlinux) or an
 * ELF file whose .BTF section is used; ID is one of the kernel's BTF
 * objects. "format raw" (the default) lists the records ("-j"/"-p": as
 * JSON), "format c" writes a header of C type definitions (vmlinux.h).
 * Split BTF: "-B FILE" / "--base-btf FILE" names the base; a module's
 * /sys/kernel/btf/<module> file or BTF object gets vmlinux's BTF as base
 * without it, as bpftool does. Raw output lists the split BTF's own types,
 * C output every type (base included), as bpftool 7.1 does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kobj.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../dump/dump_c.h"
#include "../dump/dump_raw.h"
#include "../kern/kern.h"

#define BTF_DUMP_USAGE	"btf dump {file FILE | id ID} [format {c|raw}] [-B BASE_FILE]"
#define SYSFS_BTF	"/sys/kernel/btf/"
#define SYSFS_VMLINUX	SYSFS_BTF "vmlinux"

struct dump_args {
	const char *file;	/* file FILE */
	uint32_t id;		/* id ID */
	bool by_id, format_c;
	const char *base;	/* -B FILE */
	struct bbpf_cli_opts opts;
};

/* The library's first warning, printed by the command as its one error line. */
struct first_msg {
	char text[512];
	bool debug;
};

static void keep_first(void *vctx, enum bbpf_log_level level, const char *msg)
{
	struct first_msg *m = vctx;

	if (m->debug)
		bbpf_cli_err("debug: %s", msg);
	if (level == BBPF_LOG_WARN && !m->text[0])
		bbpf_snprintf(m->text, sizeof(m->text), "%s", msg);
}

static int parse_id(const char *s, uint32_t *id)
{
	unsigned long long v;

	if (bbpf_cli_parse_uint(s, &v) || v > UINT32_MAX)
		return -EINVAL;
	*id = (uint32_t)v;
	return 0;
}

static int parse_dump(const struct bbpf_cli_cmd *cmd, struct dump_args *a, int argc, char **argv)
{
	int i;

	if (argc < 3)
		return bbpf_cli_usage_error(cmd, "expected 'file FILE' or 'id ID'");
	if (bbpf_cli_kobj_kw(argv[1], "file")) {
		a->file = argv[2];
	} else if (bbpf_cli_kobj_kw(argv[1], "id")) {
		if (parse_id(argv[2], &a->id))
			return bbpf_cli_usage_error(cmd, "can't parse '%s' as ID", argv[2]);
		a->by_id = true;
	} else {
		return bbpf_cli_usage_error(cmd, "unrecognized BTF source specifier: '%s'", argv[1]);
	}
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-B") || !strcmp(argv[i], "--base-btf")) {
			if (++i >= argc)
				return bbpf_cli_usage_error(cmd, "'%s' needs a file", argv[i - 1]);
			a->base = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			if (!bbpf_cli_common_opt(&a->opts, argv[i]))
				return bbpf_cli_usage_error(cmd, "unknown option '%s'", argv[i]);
		} else if (bbpf_cli_kobj_kw(argv[i], "format")) {
			if (++i >= argc)
				return bbpf_cli_usage_error(cmd, "expecting value for 'format' option");
			if (!strcmp(argv[i], "c"))
				a->format_c = true;
			else if (!strcmp(argv[i], "raw"))
				a->format_c = false;
			else
				return bbpf_cli_usage_error(cmd, "unrecognized format specifier: '%s', "
							    "possible values: raw, c", argv[i]);
		} else {
			return bbpf_cli_usage_error(cmd, "unrecognized option: '%s'", argv[i]);
		}
	}
	if (a->format_c && a->opts.json)
		return bbpf_cli_usage_error(cmd, "JSON output for C-syntax dump is not supported");
	return 0;
}

/*
 * One error line: for malformed input the library's message (it names the
 * file and says what is wrong), otherwise the file and the errno's text.
 */
static int fail(const struct first_msg *m, const char *what, int err)
{
	if (err == -EBADMSG && m->text[0])
		bbpf_cli_err("%s", m->text);
	else
		bbpf_cli_err("%s: %s", what, strerror(-err));
	return BBPF_CLI_EXIT_FAIL;
}

/* A module's BTF under /sys/kernel/btf/ sits on vmlinux's. */
static bool sysfs_module(const char *path)
{
	return !strncmp(path, SYSFS_BTF, strlen(SYSFS_BTF)) && strcmp(path, SYSFS_VMLINUX);
}

static int load(struct bbpf_ctx *ctx, const struct dump_args *a, struct first_msg *m,
		struct bbpf_btf **btf)
{
	struct bbpf_btf_id_info info;
	struct bbpf_btf *base = NULL;
	const char *base_path = a->base, *what = a->file;
	char id_what[32];
	int err = 0;

	if (a->by_id) {
		bbpf_snprintf(id_what, sizeof(id_what), "BTF object %u", a->id);
		what = id_what;
		err = bbpf_btf_id_load(ctx, a->id, NULL, BBPF_LOG_WARN, &info, NULL);
		if (!err && !base_path && info.kernel_btf && strcmp(info.name, "vmlinux"))
			base_path = SYSFS_VMLINUX;
	} else if (!base_path && sysfs_module(a->file)) {
		base_path = SYSFS_VMLINUX;
	}
	if (!err && base_path) {
		err = bbpf_btf_read_untrusted(ctx, base_path, BBPF_LOG_WARN, &base);
		if (err)
			return fail(m, base_path, err);
	}
	if (!err)
		err = a->by_id ? bbpf_btf_id_load(ctx, a->id, base, BBPF_LOG_WARN, &info, btf) :
				 bbpf_btf_read_split(ctx, a->file, base, BBPF_LOG_WARN, btf);
	return err ? fail(m, what, err) : 0;
}

int bbpf_cli_btf_dump(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	struct dump_args a = { .opts = *opts, .base = opts->base_btf };
	struct first_msg m = { .debug = opts->debug };
	struct bbpf_dump_out w = { .write = bbpf_cli_json_fwrite, .ctx = BBPF_CLI_STDOUT };
	struct bbpf_ctx_opts co = { .log = keep_first, .log_ctx = &m };
	struct bbpf_ctx *ctx = NULL;
	struct bbpf_btf *btf = NULL;
	struct bbpf_arena arena;
	const char *src;
	uint32_t err_id = 0;
	int err, ret;

	ret = parse_dump(cmd, &a, argc, argv);
	if (ret)
		return ret;
	src = a.by_id ? "BTF object" : a.file;
	err = bbpf_ctx_new(&ctx, &co);
	if (err) {
		bbpf_cli_err("cannot create a context: %s", strerror(-err));
		return BBPF_CLI_EXIT_FAIL;
	}
	m.debug = a.opts.debug;
	ret = load(ctx, &a, &m, &btf);
	if (ret)
		goto out;
	if (a.format_c) {
		bbpf_arena_init(&arena, &bbpf_alloc_libc, SIZE_MAX);
		err = bbpf_dump_c_header(btf, &w, &arena, NULL, &err_id);
		bbpf_arena_free(&arena);
	} else {
		err = bbpf_dump_raw(btf, &w, !a.opts.json ? BBPF_DUMP_RAW_TEXT :
					     a.opts.pretty ? BBPF_DUMP_RAW_PRETTY :
							     BBPF_DUMP_RAW_JSON, 0);
	}
	if (bbpf_cli_flush(BBPF_CLI_STDOUT)) {
		bbpf_cli_err("%s: cannot write the output: %s", a.by_id ? "stdout" : src,
			     strerror(errno));
		ret = BBPF_CLI_EXIT_FAIL;
	} else if (err == -ELOOP) {
		bbpf_cli_err("%s: cannot dump BTF as C: unsatisfiable type cycle at type [%u]",
			     src, err_id);
		ret = BBPF_CLI_EXIT_FAIL;
	} else if (err) {
		bbpf_cli_err("%s: cannot dump BTF%s: %s", src, a.format_c ? " as C" : "",
			     err == -E2BIG ? "output too large for the input (runaway type graph)" :
					     strerror(-err));
		ret = BBPF_CLI_EXIT_FAIL;
	}
out:
	bbpf_ctx_free(ctx);
	return ret;
}
