/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf iter pin OBJ PATH [map MAP]
 * barebpf iter help
 *
 * As bpftool's: load OBJ, attach its first program as an iterator (over the
 * elements of MAP for map element iterators) and pin the link at PATH;
 * reading PATH runs the iterator. Nothing is printed (-j: an empty line, as bpftool).
 */
#include <errno.h>
#include <string.h>

#include <barebpf/attach.h>

#include "cli.h"
#include "kobj.h"
#include "load_util.h"

const char bbpf_cli_iter_usage[] = BBPF_CLI_HELP("iter");

static int iter_pin(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_obj o = { .debug = opts->debug };
	union bpf_iter_link_info li;
	struct bbpf_iter_attach_opts io = { 0 };
	struct bbpf_program *p;
	struct bbpf_link *link = NULL;
	struct bbpf_cli_kobj k;
	const char *obj, *path;
	int ret, mfd = -1, err;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "iter pin", argc, argv);
	if (ret)
		return ret;
	obj = bbpf_cli_argv_next(&a);
	path = bbpf_cli_argv_next(&a);
	if (!path || (a.c && (!bbpf_cli_kobj_kw(a.v[0], "map") || a.c < 2)))
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_usage(&k, "expected OBJ PATH [map MAP]"));
	if (a.c) {
		bbpf_cli_argv_next(&a);
		mfd = bbpf_cli_kobj_map_fd(&k, &a);
		if (mfd < 0)
			return bbpf_cli_kobj_close(&k, -mfd);
		if (a.c) {
			ret = bbpf_cli_kobj_usage(&k, "extra argument '%s'", a.v[0]);
			goto out;
		}
		memset(&li, 0, sizeof(li));
		li.map.map_fd = (uint32_t)mfd;
		io.link_info = &li;
		io.link_info_len = sizeof(li);
	}
	ret = BBPF_CLI_EXIT_FAIL;
	if (bbpf_cli_obj_open(&o, obj, NULL, NULL) || bbpf_cli_obj_load(&o, obj))
		goto out;
	p = bbpf_object_program_cnt(o.obj) ? bbpf_object_program(o.obj, 0) : NULL;
	err = p ? bbpf_program_attach_iter(p, &io, &link) : -ENOENT;
	if (err) {
		if (o.held[0])	/* the library's reason, on the one line */
			bbpf_cli_kobj_err(&k, "%s", o.held);
		else
			bbpf_cli_kobj_errno(&k, err, "%s: %s%s", obj, p ? "program " : "no program",
					  p ? bbpf_program_name(p) : "");
		o.held[0] = '\0';
		goto out;
	}
	if (!bbpf_cli_kobj_pin(&k, bbpf_link_fd(link), path)) {
		ret = BBPF_CLI_EXIT_OK;
		if (k.json)	/* bpftool's empty JSON document: a newline */
			bbpf_cli_kobj_printf(&k, "\n");
	}
out:
	bbpf_link_destroy(link);
	bbpf_cli_obj_close(&o);
	if (mfd >= 0)
		bbpf_cli_kobj_fdclose(&k, mfd);
	return bbpf_cli_kobj_close(&k, ret);
}

static const struct bbpf_cli_cmd iter_cmds[] = {
	{ "pin", iter_pin, "iter pin OBJ PATH [map MAP]" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_iter_usage },
};

int bbpf_cli_iter(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		  char **argv)
{
	if (argc < 2)	/* bpftool's iter has no "show": no subcommand is its help */
		return bbpf_cli_kobj_help(opts, bbpf_cli_iter_usage);
	return bbpf_cli_kobj_dispatch(iter_cmds, sizeof(iter_cmds) / sizeof(iter_cmds[0]), cmd,
				      opts, argc, argv);
}
