/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf net { show | list } [dev DEV]   (net_show.c)
 * barebpf net attach ATTACH_TYPE PROG dev DEV [overwrite]
 * barebpf net detach ATTACH_TYPE dev DEV
 *   ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv | xdpoffload | tcx_ingress | tcx_egress }
 *
 * As bpftool's: XDP through netlink (bbpf_xdp_attach; not replacing a
 * program unless overwrite; xdpgeneric/xdpdrv/xdpoffload pick the mode),
 * tcx through BPF_PROG_ATTACH on the device (bbpf_prog_attach). Neither
 * makes a BPF link, so the attachment stays after the command exits;
 * detach removes the XDP program of that mode, or the last tcx program.
 */
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>

#include "attach_args.h"
#include "../base/uapi_compat.h"

enum { XDP, TCX };

static const struct {
	const char *name;
	int kind;
	uint32_t arg;	/* XDP mode flag, or the tcx attach type */
} types[] = {
	{ "xdp", XDP, 0 },
	{ "xdpgeneric", XDP, XDP_FLAGS_SKB_MODE },
	{ "xdpdrv", XDP, XDP_FLAGS_DRV_MODE },
	{ "xdpoffload", XDP, XDP_FLAGS_HW_MODE },
	{ "tcx_ingress", TCX, BBPF_TCX_INGRESS },
	{ "tcx_egress", TCX, BBPF_TCX_EGRESS },
};

#define TYPE_CNT (sizeof(types) / sizeof(types[0]))

/* The attach type word (bpftool: the first its prefix matches), or -status. */
static int parse_type(struct bbpf_cli_att *a)
{
	const char *w = bbpf_cli_att_next(a);
	size_t i;

	for (i = 0; w && i < TYPE_CNT; i++)
		if (bbpf_cli_att_kw(w, types[i].name))
			return (int)i;
	return -bbpf_cli_att_usage(a, "invalid net attach/detach type: %s", w ? w : "");
}

/* "net attach" or "net detach": the row's name says which. */
static int net_cmd(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		   char **argv)
{
	bool attach = cmd->name[0] == 'a', overwrite = false;
	struct bbpf_cli_att a;
	const char *w;
	int ret, t = 0, fd = -1, ifindex = 0, err;
	uint32_t flags;

	ret = bbpf_cli_att_open(&a, opts, cmd, attach ? "net attach" : "net detach", argc - 1,
				argv + 1);
	if (ret)
		return bbpf_cli_att_close(&a, ret);
	ret = bbpf_cli_att_need(&a, attach ? 5 : 3);
	if (!ret && (t = parse_type(&a)) < 0)
		ret = -t;
	if (!ret && attach && (fd = bbpf_cli_att_prog(&a)) < 0)
		ret = -fd;
	if (!ret && (ifindex = bbpf_cli_att_dev(&a)) < 0)
		ret = -ifindex;
	if (!ret && attach && (w = bbpf_cli_att_next(&a))) {
		if (!bbpf_cli_att_kw(w, "overwrite"))
			ret = bbpf_cli_att_usage(&a, "expected 'overwrite', got: '%s'?", w);
		else if (types[t].kind != XDP)
			ret = bbpf_cli_att_usage(&a, "'overwrite' is only supported for xdp types");
		overwrite = true;
	}
	if (!ret)
		ret = bbpf_cli_att_end(&a);
	if (!ret) {
		/* bpftool's flags: its detach goes through the attach path */
		flags = types[t].arg | (overwrite ? 0 : XDP_FLAGS_UPDATE_IF_NOEXIST);
		if (types[t].kind == XDP)
			err = attach ? bbpf_xdp_attach(a.ctx, ifindex, fd, flags, NULL)
				     : bbpf_xdp_detach(a.ctx, ifindex, flags, NULL);
		else	/* detach: fd -1 */
			err = attach ? bbpf_prog_attach(a.ctx, fd, ifindex,
							(enum bpf_attach_type)types[t].arg, 0)
				     : bbpf_prog_detach(a.ctx, fd, ifindex,
							(enum bpf_attach_type)types[t].arg);
		if (err)
			ret = bbpf_cli_att_err(&a, "interface %s %s failed: %s", types[t].name,
					       cmd->name, bbpf_cli_att_strerror(err));
	}
	if (fd >= 0)
		close(fd);
	return bbpf_cli_att_close(&a, ret);
}

static int net_help(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	struct bbpf_cli_help_buf b;

	(void)cmd;
	(void)argc;
	(void)argv;
	if (opts->json) {	/* bpftool: null */
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "null\n");
		return BBPF_CLI_EXIT_OK;
	}
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s\n", bbpf_cli_help_text(BBPF_CLI_HELP("net.help"), &b));
	return BBPF_CLI_EXIT_OK;
}

static const struct bbpf_cli_cmd net_cmds[] = {
	{ "show", bbpf_cli_net_show, "" },
	{ "list", bbpf_cli_net_show, "" },
	{ "attach", net_cmd, "net attach ATTACH_TYPE PROG dev DEV [overwrite]" },
	{ "detach", net_cmd, "net detach ATTACH_TYPE dev DEV" },
	{ "help", net_help, "net help" },
};

int bbpf_cli_net(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		 char **argv)
{
	char show_word[] = "show", *show[] = { show_word, NULL };

	if (argc < 2)	/* bpftool's default: show */
		return bbpf_cli_net_show(cmd, opts, 1, show);
	return bbpf_cli_dispatch(net_cmds, sizeof(net_cmds) / sizeof(net_cmds[0]), opts, argc - 1,
				 argv + 1);
}

const char bbpf_cli_net_usage[] = BBPF_CLI_HELP("net");
