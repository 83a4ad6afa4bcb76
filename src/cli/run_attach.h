/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * run's network and cgroup targets: --xdp DEV, --tc DEV:ingress|egress and
 * --cgroup PATH (each may repeat) attach the object's programs of that kind
 * for the run, as links the run destroys at its end:
 *  --xdp: every XDP program (a BPF link; netlink before 5.9);
 *  --tc: every sched_cls program: tcx/ingress and tcx/egress ones by a tcx
 *    link when the direction is theirs, tc/classifier ones as a cls_bpf
 *    filter on clsact (made for the run if the device has none);
 *  --cgroup: every cgroup program (cgroup_skb, cgroup/sock*, connect4, ...,
 *    sockops, cgroup/dev, sysctl, sockopt) at its expected attach type.
 * An option that finds no program of its kind is an error.
 */
#ifndef BBPF_CLI_RUN_ATTACH_H
#define BBPF_CLI_RUN_ATTACH_H

#include <stddef.h>
#include <barebpf/attach.h>

#include "cli.h"

#define BBPF_CLI_RUN_ATT_USAGE "[--xdp DEV] [--tc DEV:ingress|egress] [--cgroup PATH]"

struct bbpf_cli_run_att {
	const char **vals[3];	/* the --xdp, --tc and --cgroup values, each in order */
	size_t cnt[3];
	struct bbpf_link **links;
	size_t link_cnt;
};

/*
 * argv[*i] if it is one of these options: its value taken (*i moved to it)
 * and 1 returned; 0 if it is not; a usage error reported and -1.
 */
int bbpf_cli_run_att_opt(struct bbpf_cli_run_att *r, const struct bbpf_cli_cmd *cmd, int argc,
			 char **argv, int *i);
/* Attach as the options say; 0, or -1 with the reason printed (what was attached stays). */
int bbpf_cli_run_att_attach(struct bbpf_cli_run_att *r, struct bbpf_object *obj,
			    const char *obj_path);
/* Destroy the links (the run's end); the option lists too. */
void bbpf_cli_run_att_free(struct bbpf_cli_run_att *r);

#endif
