/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf struct_ops { show | list } [id ID | name NAME]
 * barebpf struct_ops dump [id ID | name NAME]
 * barebpf struct_ops register OBJ [LINK_DIR]
 * barebpf struct_ops unregister { id ID | name NAME }
 *
 * The struct_ops maps in the kernel (registered TCP congestion controls,
 * sched_ext schedulers, ...), as bpftool 7.1 lists them: id, map name, and
 * the kernel struct they implement (the vmlinux BTF type of the map's
 * value, less its "bpf_struct_ops_" prefix). register loads OBJ and
 * registers each of its struct_ops maps, pinning the link of a
 * .struct_ops.link map at LINK_DIR/<map name> (bpftool 7.2's grammar; without
 * LINK_DIR that registration ends with the command, as bpftool's does);
 * unregister deletes the map's element 0. Both say what they did on stderr
 * as bpftool does ("Registered tcp_congestion_ops NAME id N"), nothing with -j
 * (the document is null).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/attach.h>

#include "kobj.h"
#include "load_util.h"
#include "../base/fmt.h"
#include "../parse/btf.h"
#include "../dump/dump_value.h"

#define VALUE_PREFIX "bpf_struct_ops_"

const char bbpf_cli_struct_ops_usage[] = BBPF_CLI_HELP("struct_ops");

static const char *kernel_struct(struct bbpf_cli_kobj *k, const struct bpf_map_info *info)
{
	struct bbpf_btf *btf;
	const struct btf_type *t;
	const char *name;

	if (bbpf_kernel_btf(k->ctx, &btf))
		return "<btf_vmlinux_not_found>";
	t = bbpf_btf_type(btf, info->btf_vmlinux_value_type_id);
	name = t ? bbpf_btf_str(btf, t->name_off) : NULL;
	if (!name)
		return "";
	return !strncmp(name, VALUE_PREFIX, strlen(VALUE_PREFIX)) ? name + strlen(VALUE_PREFIX)
								  : name;
}

static void show(struct bbpf_cli_kobj *k, const struct bpf_map_info *info)
{
	const char *ks = kernel_struct(k, info);

	if (k->json) {
		bbpf_cli_json_kvs(&k->j, "{\0uid\0sname\0skernel_struct_ops\0}\0", (uint64_t)info->id,
				  (const char *)info->name, ks);
	} else {
		bbpf_cli_kobj_printf(k, "%u: %-15s %-32s\n", info->id, info->name, ks);
	}
}

/* "id ID", "name NAME" or nothing: *id (0: none), *name (NULL: none); or the usage error. */
static int parse_sel(struct bbpf_cli_kobj *k, int argc, char **argv, uint32_t *id,
		     const char **name)
{
	*id = 0;
	*name = NULL;
	if (argc == 3 && bbpf_cli_kobj_kw(argv[1], "id")) {
		if (bbpf_cli_kobj_u32(argv[2], id) || !*id)
			return bbpf_cli_kobj_usage(k, "invalid id '%s'", argv[2]);
	} else if (argc == 3 && bbpf_cli_kobj_kw(argv[1], "name")) {
		*name = argv[2];
	} else if (argc != 1) {
		return bbpf_cli_kobj_usage(k, "expected 'id ID', 'name NAME' or nothing");
	}
	return 0;
}

struct want {
	const char *name;	/* NULL: every struct_ops map */
	uint32_t found;
	struct bpf_map_info info;	/* the last map's */
};

static int show_one(struct bbpf_cli_kobj *k, int fd, const void *arg)
{
	struct want *w = (struct want *)arg;
	int err = bbpf_cli_kobj_info(k, fd, &w->info, sizeof(w->info));

	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get map info");
	if (w->info.type == BPF_MAP_TYPE_STRUCT_OPS && (!w->name || !strcmp(w->name, w->info.name))) {
		show(k, &w->info);
		w->found++;
	}
	return 0;
}

/* The map of id (bpftool: one object, no array), else every one or those named name. */
static int show_sel(struct bbpf_cli_kobj *k, uint32_t id, const char *name)
{
	struct want w;
	int ret, fd;

	w.name = name;
	w.found = 0;
	if (id) {
		fd = bbpf_cmd_map_get_fd_by_id(k->sys, id);
		if (fd < 0)
			return bbpf_cli_kobj_errno(k, fd, "cannot get map id %u", id);
		ret = show_one(k, fd, &w);
		bbpf_cli_kobj_fdclose(k, fd);
		if (!ret && !w.found)
			return bbpf_cli_kobj_err(k, "map '%s' (id %u) is not a struct_ops map",
						 w.info.name, w.info.id);
		return ret;
	}
	ret = bbpf_cli_kobj_show_all(k, BBPF_CLI_OBJ_MAP, show_one, &w);
	if (ret)
		return ret;
	if (k->json)
		bbpf_cli_json_arr_end(&k->j);
	else if (name && !w.found)
		return bbpf_cli_kobj_err(k, "no struct_ops map is named '%s'", name);
	return 0;
}

static int struct_ops_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv)
{
	struct bbpf_cli_kobj k;
	const char *name;
	uint32_t id;
	int ret;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "struct_ops show", argc, argv);
	if (ret)
		return ret;
	ret = parse_sel(&k, argc, argv, &id, &name);
	if (!ret)
		ret = show_sel(&k, id, name);
	return bbpf_cli_kobj_close(&k, ret);
}

/* One map: its kernel struct and info (0), or an error reported. */
static int map_of(struct bbpf_cli_kobj *k, int fd, struct bpf_map_info *info, const char **ks)
{
	int err = bbpf_cli_kobj_info(k, fd, info, sizeof(*info));

	if (err)	/* kobj_err: gcc -O2 then sees ks set on success */
		return bbpf_cli_kobj_err(k, "cannot get map info: %s", bbpf_cli_kobj_strerror(err));
	*ks = kernel_struct(k, info);
	return 0;
}

/* bpftool's "Registered ..." / "Unregistered ..." on stderr, nothing with -j. */
static void said(struct bbpf_cli_kobj *k, const char *verb, const char *ks,
		 const struct bpf_map_info *info)
{
	if (!k->json)
		bbpf_cli_fprintf(BBPF_CLI_STDERR, "%s %s %s id %u\n", verb, ks, info->name, info->id);
}

static int do_register(struct bbpf_cli_kobj *k, const char *path, const char *link_dir)
{
	struct bbpf_cli_obj o = { .debug = k->opts->debug };
	struct bpf_map_info info;
	struct bbpf_link *link;
	char pin[4096];
	const char *ks;
	size_t i;
	int ret, err, fails = 0;

	ret = bbpf_cli_obj_open(&o, path, NULL, NULL);
	ret = ret ?: bbpf_cli_obj_load(&o, path);
	for (i = 0; !ret && i < bbpf_object_map_cnt(o.obj); i++) {
		struct bbpf_map *m = bbpf_object_map(o.obj, i);

		if (bbpf_map_type(m) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		err = bbpf_map_attach_struct_ops(m, &link);
		if (err) {
			fails += bbpf_cli_kobj_errno(k, err, "can't register struct_ops %s",
						   bbpf_map_name(m)) != 0;
			continue;
		}
		if (link_dir && bbpf_link_fd(link) >= 0) {
			bbpf_snprintf(pin, sizeof(pin), "%s/%s", link_dir, bbpf_map_name(m));
			err = bbpf_link_pin(link, pin);
			if (err)
				fails += bbpf_cli_kobj_errno(k, err, "can't pin link for %s at %s",
							   bbpf_map_name(m), pin) != 0;
		}
		bbpf_link_disconnect(link);	/* the registration outlives the command */
		bbpf_link_destroy(link);
		if (!map_of(k, bbpf_map_fd(m), &info, &ks))
			said(k, "Registered", ks, &info);
	}
	bbpf_cli_obj_close(&o);
	return ret ?: fails ? BBPF_CLI_EXIT_FAIL : 0;
}

/* The struct_ops map of id want (name NULL) or named name. */
static int do_unregister(struct bbpf_cli_kobj *k, uint32_t want, const char *name, const char *arg)
{
	struct bpf_map_info info;
	uint32_t id = 0, found = 0;
	const uint32_t zero = 0;
	const char *ks;
	int fd, err, more, ret = 0;

	while (!ret && (more = bbpf_cli_kobj_next(k, BBPF_CLI_OBJ_MAP, &id, &fd)) > 0) {
		ret = map_of(k, fd, &info, &ks);
		if (!ret && info.type == BPF_MAP_TYPE_STRUCT_OPS &&
		    (!name ? info.id == want : !strcmp(info.name, name))) {
			found++;
			err = bbpf_cmd_map_delete(k->sys, fd, &zero, 0);
			if (err)
				ret = bbpf_cli_kobj_errno(k, err, "can't unload %s %s id %u", ks,
							info.name, info.id);
			else
				said(k, "Unregistered", ks, &info);
		}
		bbpf_cli_kobj_fdclose(k, fd);
	}
	if (!ret && more < 0)
		return BBPF_CLI_EXIT_FAIL;
	if (!ret && !found)
		return bbpf_cli_kobj_err(k, "no struct_ops found for %s", arg);
	return ret;
}

static int struct_ops_register(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			       int argc, char **argv)
{
	struct bbpf_cli_kobj k;
	const char *name;
	uint32_t id;
	int ret;

	ret = bbpf_cli_kobj_open(&k, opts, cmd->usage, argc, argv);
	if (ret)
		return ret;
	if (argv[0][0] == 'r')
		ret = argc == 2 || argc == 3 ? do_register(&k, argv[1], argc == 3 ? argv[2] : NULL)
					     : bbpf_cli_kobj_usage(&k, "expected OBJ [LINK_DIR]");
	else if (argc == 3 && (bbpf_cli_kobj_kw(argv[1], "id") || bbpf_cli_kobj_kw(argv[1], "name")))
		ret = parse_sel(&k, argc, argv, &id, &name) ?: do_unregister(&k, id, name, argv[2]);
	else
		ret = bbpf_cli_kobj_usage(&k, "expected 'id ID' or 'name NAME'");
	if (!ret && k.json)
		bbpf_cli_json_null(&k.j);
	return bbpf_cli_kobj_close(&k, ret);
}

/* ---- dump: the map's info and value through vmlinux BTF, as bpftool 7.1 ---- */

/* A struct_ops function pointer's program: its (BTF) name. */
static int dump_prog_name(void *ctx, uint32_t id, char *buf, size_t size)
{
	struct bpf_prog_info info;

	return bbpf_cli_kobj_prog_by_id(ctx, id, &info, buf, size);
}

/* {"bpf_map_info": {...}},{"bpf_struct_ops_X": {...}}; 0 or an errno. */
static int dump_one(struct bbpf_cli_kobj *k, struct bbpf_dump_json *j, int fd,
		    const struct bpf_map_info *info)
{
	struct bbpf_dump_value_opts o = { .prog_name = dump_prog_name, .cb_ctx = k };
	const struct btf_type *t;
	struct bbpf_btf *btf;
	uint8_t *val;
	uint32_t zero = 0, id, i;
	int64_t isz;
	int err;

	err = bbpf_kernel_btf(k->ctx, &btf);
	if (err)
		return err;
	id = bbpf_btf_find_by_name_kind(btf, "bpf_map_info", BTF_KIND_STRUCT);
	t = bbpf_btf_type(btf, info->btf_vmlinux_value_type_id);
	if (!id || !t)
		return -ENOENT;
	/* the kernel's bpf_map_info may be larger than ours: zeros past it, as bpftool's */
	isz = bbpf_btf_resolve_size(btf, id);
	if (isz < (int64_t)sizeof(*info))
		isz = sizeof(*info);
	val = calloc(1, (size_t)isz + info->value_size);
	if (!val)
		return -ENOMEM;
	memcpy(val + info->value_size, info, sizeof(*info));
	err = bbpf_cmd_map_lookup(k->sys, fd, &zero, val, 0);
	/* the info, then the value: each {"NAME": ...} */
	for (i = 0; !err && i < 2; i++) {
		bbpf_dump_json_start_object(j);
		bbpf_dump_json_name(j, i ? bbpf_btf_str(btf, t->name_off) : "bpf_map_info");
		err = bbpf_dump_value_write(j, !k->json, btf,
					    i ? info->btf_vmlinux_value_type_id : id,
					    i ? val : val + info->value_size,
					    i ? info->value_size : (size_t)isz, &o);
		bbpf_dump_json_end_object(j);
	}
	free(val);
	return err;
}

static int struct_ops_dump(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv)
{
	struct bbpf_cli_kobj k;
	struct bbpf_dump_json j;
	struct bbpf_dump_out w = { .write = bbpf_cli_json_fwrite };
	struct bpf_map_info info;
	uint32_t id = 0, want, found = 0;
	const char *name;
	int ret, fd, more = 1, err = 0;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "struct_ops dump", argc, argv);
	if (ret)
		return ret;
	ret = parse_sel(&k, argc, argv, &want, &name);
	if (ret)
		return bbpf_cli_kobj_close(&k, ret);
	w.ctx = k.out;
	bbpf_dump_json_init(&j, &w, !k.json || opts->pretty, 0);
	if (!want)
		bbpf_dump_json_start_array(&j);	/* bpftool: no array for an id */
	while (!err && more > 0) {
		if (want) {
			fd = bbpf_cmd_map_get_fd_by_id(k.sys, want);
			if (fd < 0)
				return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_errno(&k, fd,
					"cannot get map id %u", want));
			more = 0;
		} else if ((more = bbpf_cli_kobj_next(&k, BBPF_CLI_OBJ_MAP, &id, &fd)) <= 0) {
			break;
		}
		err = bbpf_cli_kobj_info(&k, fd, &info, sizeof(info));
		if (!err && info.type == BPF_MAP_TYPE_STRUCT_OPS &&
		    (!name || !strcmp(name, info.name))) {
			err = dump_one(&k, &j, fd, &info);
			found++;
		} else if (!err && want) {
			err = -EINVAL;
		}
		bbpf_cli_kobj_fdclose(&k, fd);
	}
	if (!want)
		bbpf_dump_json_end_array(&j);
	bbpf_dump_json_raw_str(&j, "\n");
	bbpf_dump_json_flush(&j);
	if (more < 0)
		ret = BBPF_CLI_EXIT_FAIL;
	else if (err)
		ret = bbpf_cli_kobj_errno(&k, err, "cannot dump the struct_ops map");
	else if (name && !found)	/* -j: bpftool's "[]" alone, and a failure */
		ret = k.json ? BBPF_CLI_EXIT_FAIL :
			       bbpf_cli_kobj_err(&k, "no struct_ops found for %s", name);
	return bbpf_cli_kobj_close(&k, ret);
}

static const struct bbpf_cli_cmd struct_ops_cmds[] = {
	{ "show", struct_ops_show, "struct_ops show" },
	{ "list", struct_ops_show, "" },
	{ "dump", struct_ops_dump, "struct_ops dump" },
	{ "register", struct_ops_register, "struct_ops register" },
	{ "unregister", struct_ops_register, "struct_ops unregister" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_struct_ops_usage },
};

int bbpf_cli_struct_ops(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			int argc, char **argv)
{
	return bbpf_cli_kobj_dispatch(struct_ops_cmds,
				      sizeof(struct_ops_cmds) / sizeof(struct_ops_cmds[0]), cmd, opts,
				      argc, argv);
}
