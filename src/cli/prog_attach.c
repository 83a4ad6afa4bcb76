/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf prog attach PROG ATTACH_TYPE [MAP]
 * barebpf prog detach PROG ATTACH_TYPE [MAP]
 *   ATTACH_TYPE := { sk_msg_verdict | sk_skb_verdict | sk_skb_stream_verdict |
 *                    sk_skb_stream_parser | flow_dissector }
 *
 * As bpftool's: BPF_PROG_ATTACH of a sockmap/sockhash program to MAP
 * (persistent: it lasts as long as the map), or of a flow dissector to the
 * current network namespace (no MAP); detach with BPF_PROG_DETACH. The
 * traditional words msg_verdict, skb_verdict, stream_verdict and
 * stream_parser are taken by prefix.
 */
#include <unistd.h>

#include "attach_args.h"

static int attach_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv, bool attach)
{
	struct bbpf_cli_att a;
	const char *tw;
	int ret, type, fd = -1, map = -1, err;

	ret = bbpf_cli_att_open(&a, opts, cmd, attach ? "prog attach" : "prog detach", argc - 1,
				argv + 1);
	if (ret)
		return bbpf_cli_att_close(&a, ret);
	ret = bbpf_cli_att_need(&a, 3);
	if (!ret && (fd = bbpf_cli_att_prog(&a)) < 0)
		ret = -fd;
	if (!ret) {
		tw = bbpf_cli_att_next(&a);
		type = tw ? bbpf_cli_att_prog_type(tw) : -1;
		if (type < 0)
			ret = bbpf_cli_att_usage(&a, "invalid attach/detach type");
		else if (type == BPF_FLOW_DISSECTOR)
			map = 0;	/* the current network namespace */
		else if (!(ret = bbpf_cli_att_need(&a, 2)) && (map = bbpf_cli_att_map(&a)) < 0)
			ret = -map;
	}
	if (!ret)
		ret = bbpf_cli_att_end(&a);
	if (!ret) {
		err = attach ? bbpf_prog_attach(a.ctx, fd, map, (enum bpf_attach_type)type, 0) :
			       bbpf_prog_detach(a.ctx, fd, map, (enum bpf_attach_type)type);
		if (err)
			ret = bbpf_cli_att_err(&a, attach ? "failed prog attach to map" :
							    "failed prog detach from map");
	}
	if (map > 0)
		close(map);
	if (fd >= 0)
		close(fd);
	return bbpf_cli_att_close(&a, ret);
}

int bbpf_cli_prog_attach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv)
{
	return attach_detach(cmd, opts, argc, argv, true);
}

int bbpf_cli_prog_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv)
{
	return attach_detach(cmd, opts, argc, argv, false);
}
