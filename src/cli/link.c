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
	const char *s = bbpf_attach_type_str((enum bpf_attach_type)t);

	if (k->json && s)
		bbpf_cli_json_kv_str(&k->j, "attach_type", s);
	else if (k->json)
		bbpf_cli_json_kv_u64(&k->j, "attach_type", t);
	else if (s)
		bbpf_cli_kobj_printf(k, "attach_type %s  ", s);
	else
		bbpf_cli_kobj_printf(k, "attach_type %u  ", t);
}

static bool target_is(const char *t, const char *a, const char *b, const char *c)
{
	return !strcmp(t, a) || (b && !strcmp(t, b)) || (c && !strcmp(t, c));
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

	if (!t)
		t = "";
	if (k->json) {
		bbpf_cli_json_kv_str(&k->j, "target_name", t);
		if (target_is(t, "bpf_map_elem", "bpf_sk_storage_map", NULL)) {
			bbpf_cli_json_kv_u64(&k->j, "map_id", info->iter.map.map_id);
		} else if (target_is(t, "task", "task_file", "task_vma")) {
			if (info->iter.task.tid)
				bbpf_cli_json_kv_u64(&k->j, "tid", info->iter.task.tid);
			else if (info->iter.task.pid)
				bbpf_cli_json_kv_u64(&k->j, "pid", info->iter.task.pid);
		}
		if (!strcmp(t, "cgroup")) {
			bbpf_cli_json_kv_u64(&k->j, "cgroup_id", info->iter.cgroup.cgroup_id);
			bbpf_cli_json_kv_str(&k->j, "order", cgroup_order(info->iter.cgroup.order));
		}
		return;
	}
	bbpf_cli_kobj_printf(k, "target_name %s  ", t);
	if (target_is(t, "bpf_map_elem", "bpf_sk_storage_map", NULL)) {
		bbpf_cli_kobj_printf(k, "map_id %u  ", info->iter.map.map_id);
	} else if (target_is(t, "task", "task_file", "task_vma")) {
		if (info->iter.task.tid)
			bbpf_cli_kobj_printf(k, "tid %u ", info->iter.task.tid);
		else if (info->iter.task.pid)
			bbpf_cli_kobj_printf(k, "pid %u ", info->iter.task.pid);
	}
	if (!strcmp(t, "cgroup")) {
		bbpf_cli_kobj_printf(k, "cgroup_id %llu  ",
				     (unsigned long long)info->iter.cgroup.cgroup_id);
		bbpf_cli_kobj_printf(k, "order %s  ", cgroup_order(info->iter.cgroup.order));
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
		return bbpf_cli_kobj_err(k, "cannot get link info: %s", bbpf_cli_kobj_strerror(err));
	if (info.type == BPF_LINK_TYPE_TRACING) {
		int pfd = bbpf_cmd_prog_get_fd_by_id(k->sys, info.prog_id);

		err = pfd < 0 ? pfd : bbpf_cli_kobj_info(k, pfd, &pi, sizeof(pi));
		if (pfd >= 0)
			k->sys->close(k->sys->ctx, pfd);
		if (err)
			return bbpf_cli_kobj_err(k, "cannot get info of program id %u: %s",
						 info.prog_id, bbpf_cli_kobj_strerror(err));
	}
	if (k->json)
		bbpf_cli_json_obj_begin(&k->j);
	bbpf_cli_kobj_head(k, info.id, bbpf_cli_kobj_link_type_str(info.type), info.type, NULL);
	if (k->json)
		bbpf_cli_json_kv_u64(&k->j, "prog_id", info.prog_id);
	else
		bbpf_cli_kobj_printf(k, "prog %u  ", info.prog_id);
	switch (info.type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		if (k->json)
			bbpf_cli_json_kv_str(&k->j, "tp_name", name);
		else
			bbpf_cli_kobj_printf(k, "\n\ttp '%s'  ", name);
		break;
	case BPF_LINK_TYPE_TRACING: {
		const char *pt = bbpf_prog_type_str(pi.type);

		if (k->json && pt)
			bbpf_cli_json_kv_str(&k->j, "prog_type", pt);
		else if (k->json)
			bbpf_cli_json_kv_u64(&k->j, "prog_type", pi.type);
		else if (pt)
			bbpf_cli_kobj_printf(k, "\n\tprog_type %s  ", pt);
		else
			bbpf_cli_kobj_printf(k, "\n\tprog_type %u  ", pi.type);
		attach_type(k, info.tracing.attach_type);
		break;
	}
	case BPF_LINK_TYPE_CGROUP:
		if (k->json)
			bbpf_cli_json_kv_u64(&k->j, "cgroup_id", info.cgroup.cgroup_id);
		else
			bbpf_cli_kobj_printf(k, "\n\tcgroup_id %llu  ",
					     (unsigned long long)info.cgroup.cgroup_id);
		attach_type(k, info.cgroup.attach_type);
		break;
	case BPF_LINK_TYPE_ITER:
		iter_info(k, &info);
		break;
	case BPF_LINK_TYPE_NETNS:
		if (k->json)
			bbpf_cli_json_kv_u64(&k->j, "netns_ino", info.netns.netns_ino);
		else
			bbpf_cli_kobj_printf(k, "\n\tnetns_ino %u  ", info.netns.netns_ino);
		attach_type(k, info.netns.attach_type);
		break;
	default:
		break;
	}
	bbpf_cli_kobj_print_pinned(k, pins, info.id);
	if (k->json)
		bbpf_cli_json_obj_end(&k->j);
	else
		bbpf_cli_kobj_printf(k, "\n");
	return 0;
}

static int link_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_show_cmd(opts, BBPF_CLI_OBJ_LINK, "link show", argc, argv, show_link);
}

static int link_pin(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_pin_cmd(opts, BBPF_CLI_OBJ_LINK, argc, argv);
}

static int link_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_kobj k;
	int ret, fd, err;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "link detach", argc, argv);
	if (ret)
		return ret;
	if (a.c != 2)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_usage(&k, "expected LINK"));
	fd = bbpf_cli_kobj_link_fd(&k, &a);
	if (fd < 0)
		return bbpf_cli_kobj_close(&k, -fd);
	err = bbpf_cmd_link_detach(k.sys, fd);
	k.sys->close(k.sys->ctx, fd);
	if (err)
		ret = bbpf_cli_kobj_err(&k, "cannot detach: %s", bbpf_cli_kobj_strerror(err));
	else if (k.json)
		bbpf_cli_json_null(&k.j);
	return bbpf_cli_kobj_close(&k, ret);
}

static int link_help(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv)
{
	(void)cmd;
	(void)argc;
	(void)argv;
	return bbpf_cli_kobj_help(opts, bbpf_cli_link_usage);
}

static const struct bbpf_cli_cmd link_cmds[] = {
	{ "show", link_show, "link show", "" },
	{ "list", link_show, "link list", "" },
	{ "pin", link_pin, "link pin", "" },
	{ "detach", link_detach, "link detach", "" },
	{ "help", link_help, "link help", "" },
};

int bbpf_cli_link(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		  char **argv)
{
	return bbpf_cli_kobj_dispatch(link_cmds, sizeof(link_cmds) / sizeof(link_cmds[0]), cmd,
				      opts, argc, argv);
}
