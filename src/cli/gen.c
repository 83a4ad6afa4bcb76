/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf gen skeleton OBJ [name NAME]
 *
 * bpftool's command and output (src/dump/dump_skel.h): a header for
 * <bpf/libbpf.h>'s skeleton API with the object embedded, on stdout. The
 * object is opened (parsed, never loaded) under the skeleton's name, so
 * its global-data maps get the names libbpf gives them at run time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "cli.h"
#include "json.h"
#include "textfile.h"
#include "../base/arena.h"
#include "../dump/dump_skel.h"

const char bbpf_cli_gen_usage[] = BBPF_CLI_HELP("gen");

static int skeleton(const struct bbpf_cli_cmd *cmd, int argc, char **argv)
{
	char name[BBPF_DUMP_SKEL_NAME_MAX + 1];
	struct bbpf_dump_out w = { .write = bbpf_cli_json_fwrite, .ctx = BBPF_CLI_STDOUT };
	struct bbpf_open_opts oo = { .object_name = name };
	struct bbpf_object *obj = NULL;
	struct bbpf_diag diag = { 0 };
	struct bbpf_arena arena;
	const char *path, *what;
	size_t len;
	char *buf;
	int err;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "name")))
		return bbpf_cli_usage_error(cmd, "expected: gen skeleton FILE [name OBJECT_NAME]");
	path = argv[1];
	if (argc == 4) {
		if (!argv[3][0] || strlen(argv[3]) > BBPF_DUMP_SKEL_NAME_MAX)
			return bbpf_cli_usage_error(cmd, "bad object name '%s'", argv[3]);
		memcpy(name, argv[3], strlen(argv[3]) + 1);
	} else {
		bbpf_dump_skel_name(path, name);
	}
	buf = bbpf_cli_slurp(path, (size_t)1 << 30, &len, &err);
	what = "";
	if (!buf)
		goto fail;
	err = bbpf_object_open_mem(&obj, buf, len, &oo, &diag);
	what = "cannot open the object: ";
	if (err) {
		free(buf);
		goto fail;
	}
	bbpf_arena_init(&arena, &bbpf_alloc_libc, SIZE_MAX);
	err = bbpf_dump_skel_header(obj, name, buf, len, &w, &arena);
	bbpf_arena_free(&arena);
	bbpf_object_close(obj);
	free(buf);
	if (bbpf_cli_flush(BBPF_CLI_STDOUT)) {
		bbpf_cli_err("cannot write the skeleton: %s", strerror(errno));
		return BBPF_CLI_EXIT_FAIL;
	}
	what = "cannot generate the skeleton: ";
	if (!err)
		return BBPF_CLI_EXIT_OK;
fail:	/* "FILE: [what failed: ]why" */
	bbpf_cli_err("%s: %s%s", path, what, strerror(-err));
	return BBPF_CLI_EXIT_FAIL;
}

int bbpf_cli_gen(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		 char **argv)
{
	(void)opts;
	if (argc >= 2 && argv[1][0] && !strncmp("skeleton", argv[1], strlen(argv[1])))
		return skeleton(cmd, argc - 1, argv + 1);
	if (argc == 2 && !strcmp(argv[1], "help")) {
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "Usage: %s %s\n", BBPF_CLI_NAME, "gen skeleton FILE [name OBJECT_NAME]");
		return BBPF_CLI_EXIT_OK;
	}
	return bbpf_cli_usage_error(cmd, "expected 'gen skeleton FILE [name OBJECT_NAME]'");
}
