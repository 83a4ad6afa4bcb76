/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf cgroup attach CGROUP ATTACH_TYPE PROG [ATTACH_FLAGS]
 * barebpf cgroup detach CGROUP ATTACH_TYPE PROG
 *   ATTACH_FLAGS := { multi | override }
 *
 * As bpftool's: BPF_PROG_ATTACH of PROG to the cgroup directory (flags 0,
 * BPF_F_ALLOW_MULTI, BPF_F_ALLOW_OVERRIDE), which stays after the command
 * exits, and BPF_PROG_DETACH of that program. ATTACH_TYPE is an attach
 * type's name (cgroup_inet_ingress, ...) or, by prefix, bpftool's
 * traditional word for it (ingress, connect4, ...). Rows of the "cgroup"
 * table in cgroup.c.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "attach_args.h"
#include "textfile.h"

/* CGROUP ATTACH_TYPE PROG: the cgroup fd, the type, the program fd; -status on failure. */
static int parse_common(struct bbpf_cli_att *a, const char *verb, int *cg, int *type, int *fd)
{
	const char *path, *tw;

	*cg = *fd = -1;
	if (a->argc < 3)
		return -bbpf_cli_att_usage(a, "too few parameters for cgroup %s", verb);
	path = bbpf_cli_att_next(a);
	*cg = bbpf_cli_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (*cg < 0)
		return -bbpf_cli_att_err(a, "can't open cgroup %s", path);
	tw = bbpf_cli_att_next(a);
	*type = bbpf_cli_att_cgroup_type(tw);
	if (*type < 0)
		return -bbpf_cli_att_usage(a, "invalid attach type");
	*fd = bbpf_cli_att_prog(a);
	return *fd < 0 ? *fd : 0;
}

/* "cgroup attach" (with its flags) or "cgroup detach": the row's name says which. */
static int attach_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv, bool attach)
{
	const char *verb = cmd->name, *w;
	struct bbpf_cli_att a;
	uint32_t flags = 0;
	int ret, cg, type = 0, fd;

	ret = bbpf_cli_att_open(&a, opts, cmd, cmd->usage, argc - 1, argv + 1);
	if (ret)
		return bbpf_cli_att_close(&a, ret);
	ret = -parse_common(&a, verb, &cg, &type, &fd);
	while (!ret && attach && (w = bbpf_cli_att_next(&a))) {
		if (bbpf_cli_att_kw(w, "multi"))
			flags |= BPF_F_ALLOW_MULTI;
		else if (bbpf_cli_att_kw(w, "override"))
			flags |= BPF_F_ALLOW_OVERRIDE;
		else
			ret = bbpf_cli_att_usage(&a, "unknown option: %s", w);
	}
	if (!ret)
		ret = bbpf_cli_att_end(&a);
	if (!ret && (attach ? bbpf_prog_attach(a.ctx, fd, cg, (enum bpf_attach_type)type, flags)
			    : bbpf_prog_detach(a.ctx, fd, cg, (enum bpf_attach_type)type)))
		ret = bbpf_cli_att_err(&a, "failed to %s program", verb);
	if (fd >= 0)
		close(fd);
	if (cg >= 0)
		close(cg);
	return bbpf_cli_att_close(&a, ret);
}

int bbpf_cli_cgroup_attach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv)
{
	return attach_detach(cmd, opts, argc, argv, cmd->name[0] == 'a');
}

/* Until the merge with "cgroup show|tree": a table of its own. */
