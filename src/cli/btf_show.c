/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf btf { show | list } [id BTF_ID]
 *
 * The BTF objects the kernel holds, as bpftool 7.1 lists them: id, size,
 * name (kernel and module BTF are "[vmlinux]"-style), and the programs and
 * maps using each, in bpftool's order (see bbpf_cli_idmap).
 *
 * This file also holds the "btf" sub-command table. "btf dump" is another
 * piece of work (src/cli/btf.c); when it lands, its line joins btf_cmds[]
 * below (or the table moves there), so that "btf" keeps one dispatcher.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kobj.h"
#include "../base/fmt.h"

const char bbpf_cli_btf_usage[] = BBPF_CLI_HELP("btf");

/* btf id -> ids of the programs (or maps) using it, in id order of those. */
static int users(struct bbpf_cli_kobj *k, bool prog, struct bbpf_cli_idmap *m)
{
	union {
		struct bpf_prog_info p;
		struct bpf_map_info m;
	} u;
	uint32_t id = 0, btf_id;
	int fd, err, more;

	while ((more = bbpf_cli_kobj_next(k, prog ? BBPF_CLI_OBJ_PROG : BBPF_CLI_OBJ_MAP, &id,
					  &fd)) > 0) {
		err = bbpf_cli_kobj_info(k, fd, &u, prog ? sizeof(u.p) : sizeof(u.m));
		bbpf_cli_kobj_fdclose(k, fd);
		if (err)
			return bbpf_cli_kobj_errno(k, err, "cannot get info of %s id %u",
						   prog ? "prog" : "map", id);
		btf_id = prog ? u.p.btf_id : u.m.btf_id;
		if (btf_id && bbpf_cli_idmap_add(m, btf_id, id, NULL))
			return bbpf_cli_kobj_err(k, "out of memory");
	}
	return more < 0 ? BBPF_CLI_EXIT_FAIL : 0;
}

struct users {
	struct bbpf_cli_idmap progs, maps;
	size_t *idx;	/* room for the larger map's entries */
	uint32_t *ids;	/* as many */
};

static void print_ids(struct bbpf_cli_kobj *k, const struct bbpf_cli_idmap *m, uint32_t id,
		      const char *what, const struct users *u)
{
	size_t n = bbpf_cli_idmap_get(m, id, u->idx), i;

	for (i = 0; i < n; i++)
		u->ids[i] = m->e[u->idx[i]].num;
	bbpf_cli_kobj_ids(k, what, u->ids, n);
}

static int show_btf(struct bbpf_cli_kobj *k, int fd, const void *arg)
{
	const struct users *u = arg;
	struct bpf_btf_info info;
	char name[64] = "";
	uint32_t len = sizeof(info);
	int err;

	err = bbpf_cli_kobj_info(k, fd, &info, sizeof(info));
	if (!err && info.name_len) {	/* the kernel names BTF objects (5.11): ask again */
		memset(&info, 0, sizeof(info));
		info.name = (uint64_t)(uintptr_t)name;
		info.name_len = sizeof(name);
		err = bbpf_cmd_obj_info(k->sys, fd, &info, &len);
		name[sizeof(name) - 1] = '\0';
	}
	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get BTF object info");
	/* text: "name [vmlinux]", "name NAME" or "name <anon>" */
	if (k->json)
		bbpf_cli_json_kvs(&k->j, "{\0uid\0usize\0", (uint64_t)info.id, (uint64_t)info.btf_size);
	else
		bbpf_cli_kobj_printf(k, "%u: name %s%s%s  size %uB", info.id,
				     info.kernel_btf ? "[" : "",
				     info.kernel_btf || name[0] ? name : "<anon>",
				     info.kernel_btf ? "]" : "", info.btf_size);
	print_ids(k, &u->progs, info.id, "prog_ids", u);
	print_ids(k, &u->maps, info.id, "map_ids", u);
	if (k->json) {
		bbpf_cli_json_kv_bool(&k->j, "kernel", info.kernel_btf);
		if (name[0])
			bbpf_cli_json_kv_str(&k->j, "name", name);
	}
	bbpf_cli_kobj_j(k, BBPF_CLI_J_LINE_END);
	return 0;
}

static int btf_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct users u = { 0 };
	struct bbpf_cli_kobj k;
	uint32_t id = 0;
	const char *w;
	int ret, fd = -1;
	size_t n;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "btf show", argc, argv);
	if (ret)
		return ret;
	if (a.c != 0 && a.c != 2) {
		ret = bbpf_cli_kobj_usage(&k, "expected 'id BTF_ID' or nothing, got %d word(s)", a.c);
		goto out;
	}
	if (a.c == 2) {
		w = bbpf_cli_argv_next(&a);
		if (!bbpf_cli_kobj_kw(w, "id")) {
			ret = bbpf_cli_kobj_usage(&k, "expected 'id', got '%s'", w);
			goto out;
		}
		w = bbpf_cli_argv_next(&a);
		if (bbpf_cli_kobj_u32(w, &id)) {
			ret = bbpf_cli_kobj_usage(&k, "cannot parse '%s' as an id", w);
			goto out;
		}
		fd = bbpf_cmd_btf_get_fd_by_id(k.sys, id);
		if (fd < 0) {
			ret = bbpf_cli_kobj_errno(&k, fd, "cannot get BTF id %u", id);
			fd = -1;
			goto out;
		}
	}
	ret = users(&k, true, &u.progs);
	if (!ret)
		ret = users(&k, false, &u.maps);
	if (ret)
		goto out;
	n = (u.progs.cnt > u.maps.cnt ? u.progs.cnt : u.maps.cnt) + 1;
	u.idx = malloc(n * (sizeof(*u.idx) + sizeof(*u.ids)));
	u.ids = u.idx ? (uint32_t *)(u.idx + n) : NULL;
	if (!u.idx)
		ret = bbpf_cli_kobj_err(&k, "out of memory");
	else if (fd >= 0)
		ret = show_btf(&k, fd, &u);
	else
		ret = bbpf_cli_kobj_show_all(&k, BBPF_CLI_OBJ_BTF, show_btf, &u);
out:
	if (fd >= 0)
		bbpf_cli_kobj_fdclose(&k, fd);
	free(u.idx);
	bbpf_cli_idmap_free(&u.progs);
	bbpf_cli_idmap_free(&u.maps);
	return bbpf_cli_kobj_close(&k, ret);
}

static const struct bbpf_cli_cmd btf_cmds[] = {
	{ "show", btf_show, "btf show" },
	{ "list", btf_show, "" },
	{ "dump", bbpf_cli_btf_dump, "btf dump {file FILE | id ID} [format {c|raw}] [-B BASE_FILE]" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_btf_usage },
};

int bbpf_cli_btf(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		 char **argv)
{
	return bbpf_cli_kobj_dispatch(btf_cmds, sizeof(btf_cmds) / sizeof(btf_cmds[0]), cmd, opts,
				      argc, argv);
}
