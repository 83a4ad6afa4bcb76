/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf link { show | list } [LINK]
 * barebpf link pin LINK FILE
 * barebpf link detach LINK
 *
 * Output as bpftool 7.1's: id, type, prog_id, then per link type what 7.1
 * prints (raw_tracepoint: tp_name; tracing: prog_type, attach_type;
 * cgroup: cgroup_id, attach_type; iter: target_name and map_id, tid/pid or
 * cgroup_id/order; netns: netns_ino, attach_type). bpftool 7.1 prints
 * nothing more for xdp, perf_event, kprobe_multi, struct_ops and the link
 * types newer than it; neither does this.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kobj.h"
#include "../base/fmt.h"

#define NAME_BUF 256

const char bbpf_cli_link_usage[] = BBPF_CLI_HELP("link");

static void attach_type(struct bbpf_cli_kobj *k, uint32_t t)
{
	bbpf_cli_kobj_named(k, "attach_type", bbpf_attach_type_str((enum bpf_attach_type)t), t,
			    "attach_type %s  ", "attach_type %llu  ");
}

/* The iterator targets bpftool 7.1 says more of: 0-1 a map's, 2-4 a task's, 5 cgroup; else 6. */
static unsigned int target_kind(const char *t)
{
	const char *s = "bpf_map_elem\0bpf_sk_storage_map\0task\0task_file\0task_vma\0cgroup\0";
	unsigned int i;

	for (i = 0; *s && strcmp(s, t); i++)
		s += strlen(s) + 1;
	return i;
}

static const char *cgroup_order(uint32_t order)
{
	static const char names[][17] = { "order_unspec", "self_only", "descendants_pre",
					  "descendants_post", "ancestors_up" };

	return order < sizeof(names) / sizeof(names[0]) ? names[order] : "";
}

static void iter_info(struct bbpf_cli_kobj *k, const struct bpf_link_info *info)
{
	const char *t = (const char *)(uintptr_t)info->iter.target_name;
	unsigned int kind;

	if (!t)
		t = "";
	kind = target_kind(t);
	bbpf_cli_kobj_s(k, "target_name", "target_name %s  ", t);
	if (kind < 2) {
		bbpf_cli_kobj_u(k, "map_id", "map_id %llu  ", info->iter.map.map_id);
	} else if (kind < 5) {
		if (info->iter.task.tid)
			bbpf_cli_kobj_u(k, "tid", "tid %llu ", info->iter.task.tid);
		else if (info->iter.task.pid)
			bbpf_cli_kobj_u(k, "pid", "pid %llu ", info->iter.task.pid);
	} else if (kind == 5) {
		bbpf_cli_kobj_u(k, "cgroup_id", "cgroup_id %llu  ", info->iter.cgroup.cgroup_id);
		bbpf_cli_kobj_s(k, "order", "order %s  ", cgroup_order(info->iter.cgroup.order));
	}
}

static int show_link(struct bbpf_cli_kobj *k, int fd, const void *pins)
{
	struct bpf_link_info info;
	struct bpf_prog_info pi;
	char name[NAME_BUF];
	uint32_t len;
	int err;

	err = bbpf_cli_kobj_info(k, fd, &info, sizeof(info));
	/* The name-carrying types: again, with a buffer for the name. */
	if (!err && (info.type == BPF_LINK_TYPE_RAW_TRACEPOINT || info.type == BPF_LINK_TYPE_ITER)) {
		memset(&info, 0, sizeof(info));
		memset(name, 0, sizeof(name));
		info.raw_tracepoint.tp_name = (uint64_t)(uintptr_t)name;	/* same slot as target_name */
		info.raw_tracepoint.tp_name_len = sizeof(name);
		len = sizeof(info);
		err = bbpf_cmd_obj_info(k->sys, fd, &info, &len);
		name[sizeof(name) - 1] = '\0';
	}
	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get link info");
	if (info.type == BPF_LINK_TYPE_TRACING) {
		err = bbpf_cli_kobj_prog_by_id(k, info.prog_id, &pi, NULL, 0);
		if (err)
			return bbpf_cli_kobj_errno(k, err, "cannot get info of program id %u",
						 info.prog_id);
	}
	bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
	bbpf_cli_kobj_head(k, info.id, bbpf_cli_kobj_link_type_str(info.type), info.type, NULL);
	bbpf_cli_kobj_u(k, "prog_id", "prog %llu  ", info.prog_id);
	switch (info.type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		bbpf_cli_kobj_s(k, "tp_name", "\n\ttp '%s'  ", name);
		break;
	case BPF_LINK_TYPE_TRACING:
		bbpf_cli_kobj_named(k, "prog_type", bbpf_prog_type_str(pi.type), pi.type,
				    "\n\tprog_type %s  ", "\n\tprog_type %llu  ");
		attach_type(k, info.tracing.attach_type);
		break;
	case BPF_LINK_TYPE_CGROUP:
		bbpf_cli_kobj_u(k, "cgroup_id", "\n\tcgroup_id %llu  ", info.cgroup.cgroup_id);
		attach_type(k, info.cgroup.attach_type);
		break;
	case BPF_LINK_TYPE_ITER:
		iter_info(k, &info);
		break;
	case BPF_LINK_TYPE_NETNS:
		bbpf_cli_kobj_u(k, "netns_ino", "\n\tnetns_ino %llu  ", info.netns.netns_ino);
		attach_type(k, info.netns.attach_type);
		break;
	default:
		break;
	}
	bbpf_cli_kobj_print_pinned(k, pins, info.id);
	bbpf_cli_kobj_j(k, BBPF_CLI_J_LINE_END);
	return 0;
}

static int link_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_show_cmd(opts, BBPF_CLI_OBJ_LINK, "link show", argc, argv, show_link);
}

static int link_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_fd_cmd(opts, BBPF_CLI_OBJ_LINK, "link detach", argc, argv,
				    bbpf_cmd_link_detach, "cannot detach");
}

static const struct bbpf_cli_cmd link_cmds[] = {
	{ "show", link_show, "link show" },
	{ "list", link_show, "" },
	{ "pin", bbpf_cli_kobj_pin_cmd, "link pin" },
	{ "detach", link_detach, "link detach" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_link_usage },
};

int bbpf_cli_link(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		  char **argv)
{
	return bbpf_cli_kobj_dispatch(link_cmds, sizeof(link_cmds) / sizeof(link_cmds[0]), cmd,
				      opts, argc, argv);
}
