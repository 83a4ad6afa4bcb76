/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf cgroup { show | list } CGROUP [effective]
 * barebpf cgroup tree [CGROUP_ROOT] [effective]
 *
 * Programs attached to cgroups (BPF_PROG_QUERY per attach type), as
 * bpftool 7.1 prints them. The attach types asked are bpftool 7.1's (up to
 * lsm_cgroup) and the cgroup/unix ones newer kernels have; not tcx or
 * netkit, whose query reads the cgroup fd as an interface index. "tree"
 * walks the cgroup v2 hierarchy in readdir order, depth first, without
 * crossing mounts, as bpftool's nftw(FTW_MOUNT) does. With -j, a cgroup
 * with nothing attached gives [] (bpftool prints nothing, which is no JSON).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kobj.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../parse/btf.h"

#define QUERY_MAX	1024	/* programs per attach type, as bpftool */
#define TREE_DEPTH_MAX	256
#define LAST_7_1_TYPE	43	/* BPF_LSM_CGROUP */
#define UNIX_FIRST	49	/* BPF_CGROUP_UNIX_CONNECT .. */
#define UNIX_LAST	53	/* .. BPF_CGROUP_UNIX_GETSOCKNAME */

const char bbpf_cli_cgroup_usage[] = BBPF_CLI_HELP("cgroup");

struct cg {
	struct bbpf_cli_kobj *k;
	uint32_t query_flags;
	bool have_vmlinux;		/* kernel BTF found (bpftool prints attach_btf_name then) */
	uint32_t vmlinux_id;		/* BTF object id of vmlinux, 0 until known */
	struct bbpf_btf *vmlinux;
	uint32_t ids[QUERY_MAX], flags[QUERY_MAX];
};

static bool queried(uint32_t t)
{
	return t <= LAST_7_1_TYPE || (t >= UNIX_FIRST && t <= UNIX_LAST);
}

/*
 * bpftool 7.1's attach_btf_name: the type's name when the attach BTF is
 * vmlinux's; since its "vmlinux id" starts at 0, plain cgroup programs
 * (object 0, type 0) get "" (void's name) until an LSM one names vmlinux.
 */
static const char *attach_btf_name(struct cg *c, const struct bpf_prog_info *info)
{
	struct bpf_btf_info bi;
	char name[16] = "";
	const struct btf_type *t;
	uint32_t len = sizeof(bi);
	int fd;

	if (!c->have_vmlinux)
		return NULL;
	if (!c->vmlinux_id && info->attach_btf_obj_id) {
		fd = bbpf_cmd_btf_get_fd_by_id(c->k->sys, info->attach_btf_obj_id);
		if (fd >= 0) {
			memset(&bi, 0, sizeof(bi));
			bi.name = (uint64_t)(uintptr_t)name;
			bi.name_len = sizeof(name);
			if (!bbpf_cmd_obj_info(c->k->sys, fd, &bi, &len) && bi.kernel_btf &&
			    !strncmp(name, "vmlinux", sizeof(name)))
				c->vmlinux_id = bi.id;
			bbpf_cli_kobj_fdclose(c->k, fd);
		}
	}
	if (c->vmlinux_id != info->attach_btf_obj_id)
		return NULL;
	if (!info->attach_btf_id)
		return "";	/* type 0, void: no need to read the kernel's BTF */
	if (!c->vmlinux && bbpf_kernel_btf(c->k->ctx, &c->vmlinux))
		return NULL;
	t = bbpf_btf_type(c->vmlinux, info->attach_btf_id);
	return t ? bbpf_btf_str(c->vmlinux, t->name_off) : NULL;
}

static void show_prog(struct cg *c, uint32_t id, uint32_t type, const char *flags, int level)
{
	struct bbpf_cli_kobj *k = c->k;
	struct bpf_prog_info info;
	char name[BBPF_CLI_PROG_NAME_MAX];
	const char *ts = bbpf_attach_type_str((enum bpf_attach_type)type), *btf_name;
	bool eff = c->query_flags & BPF_F_QUERY_EFFECTIVE;

	if (bbpf_cli_kobj_prog_by_id(k, id, &info, name, sizeof(name)))
		return;	/* detached meanwhile: bpftool skips it too */
	btf_name = attach_btf_name(c, &info);
	/* JSON members and text columns in one order */
	if (k->json)
		bbpf_cli_json_obj_begin(&k->j);
	else if (level)
		bbpf_cli_kobj_printf(k, "    ");
	bbpf_cli_kobj_u(k, "id", "%-8llu ", info.id);
	bbpf_cli_kobj_named(k, "attach_type", ts, type, "%-15s", "type %-10llu");
	if (!eff)
		bbpf_cli_kobj_s(k, "attach_flags", " %-15s", flags);
	bbpf_cli_kobj_s(k, "name", " %-15s", name);
	if (btf_name)
		bbpf_cli_kobj_s(k, "attach_btf_name", " %-15s", btf_name);
	if (k->json) {
		bbpf_cli_json_kvs(&k->j, "uattach_btf_obj_id\0uattach_btf_id\0}\0",
				  (uint64_t)info.attach_btf_obj_id, (uint64_t)info.attach_btf_id);
		return;
	}
	if (!btf_name && info.attach_btf_id)
		bbpf_cli_kobj_printf(k, " attach_btf_obj_id=%d attach_btf_id=%d",
				     (int)info.attach_btf_obj_id, (int)info.attach_btf_id);
	bbpf_cli_kobj_printf(k, "\n");
}

/* 1 if anything is attached, 0 if not, negative errno if a query failed oddly. */
static int has_progs(struct cg *c, int cg_fd)
{
	uint32_t t, cnt;
	int err;

	for (t = 0; t <= UNIX_LAST; t++) {
		if (!queried(t))
			continue;
		cnt = 0;
		err = bbpf_cmd_prog_query(c->k->sys, cg_fd, (enum bpf_attach_type)t, c->query_flags,
					  NULL, NULL, NULL, &cnt);
		if (err && err != -EINVAL)
			return err;
		if (!err && cnt)
			return 1;
	}
	return 0;
}

static void show_type(struct cg *c, int cg_fd, uint32_t type, int level)
{
	uint32_t cnt = QUERY_MAX, attach_flags = 0, i, f;
	const char *fs;
	char buf[32];

	memset(c->flags, 0, sizeof(c->flags));
	/* The kernel gives per-program flags only for what is attached here, not effective. */
	if (bbpf_cmd_prog_query(c->k->sys, cg_fd, (enum bpf_attach_type)type, c->query_flags,
				&attach_flags, c->ids,
				c->query_flags & BPF_F_QUERY_EFFECTIVE ? NULL : c->flags, &cnt))
		return;
	if (cnt > QUERY_MAX)
		cnt = QUERY_MAX;
	for (i = 0; i < cnt; i++) {
		f = c->flags[i] ? c->flags[i] : attach_flags;
		if (f == BPF_F_ALLOW_MULTI) {
			fs = "multi";
		} else if (f == BPF_F_ALLOW_OVERRIDE) {
			fs = "override";
		} else if (!f) {
			fs = "";
		} else {
			bbpf_snprintf(buf, sizeof(buf), "unknown(%x)", f);
			fs = buf;
		}
		show_prog(c, c->ids[i], type, fs, level);
	}
}

static void show_all(struct cg *c, int cg_fd, int level)
{
	uint32_t t;

	for (t = 0; t <= UNIX_LAST; t++)
		if (queried(t))
			show_type(c, cg_fd, t, level);
}

static void header(struct cg *c)
{
	/* "AttachFlags" is a column of its own ("%-15s ") without effective */
	bbpf_cli_kobj_printf(c->k, "%-8s %-15s %s%-15s\n", "ID", "AttachType",
			     c->query_flags & BPF_F_QUERY_EFFECTIVE ? "" : "AttachFlags     ", "Name");
}

static int parse_effective(struct cg *c, struct bbpf_cli_argv *a)
{
	const char *w;

	while ((w = bbpf_cli_argv_next(a))) {
		if (!bbpf_cli_kobj_kw(w, "effective"))
			return bbpf_cli_kobj_usage(c->k, "expected 'effective' or nothing, got '%s'", w);
		if (c->query_flags & BPF_F_QUERY_EFFECTIVE)
			return bbpf_cli_kobj_usage(c->k, "'%s' given twice", w);
		c->query_flags |= BPF_F_QUERY_EFFECTIVE;
	}
	return 0;
}

static int open_dir(struct cg *c, const char *path)
{
	long fd = c->k->sys->open(c->k->sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);

	if (fd < 0)
		bbpf_cli_kobj_errno(c->k, (int)fd, "cannot open cgroup %s", path);
	return (int)fd;
}

static void cg_init(struct cg *c, struct bbpf_cli_kobj *k)
{
	struct bbpf_btf *btf;

	memset(c, 0, sizeof(*c));
	c->k = k;
	c->have_vmlinux = !bbpf_kernel_btf_lazy(k->ctx, &btf);
}

/*
 * The programs of one cgroup: "cgroup show" (level -1: the table's header
 * when there are any; JSON, the array) or a directory of "cgroup tree" (its
 * path, then its programs; JSON, an object with both).
 */
static int show_dir(struct cg *c, const char *path, int level)
{
	struct bbpf_cli_kobj *k = c->k;
	int fd, has;

	fd = open_dir(c, path);
	if (fd < 0)
		return BBPF_CLI_EXIT_FAIL;
	has = has_progs(c, fd);
	if (has < 0) {
		bbpf_cli_kobj_fdclose(k, fd);
		return bbpf_cli_kobj_errno(k, has, "cannot query the programs attached to %s", path);
	}
	if (k->json && level < 0) {
		bbpf_cli_json_arr_begin(&k->j);
	} else if (has && k->json) {
		bbpf_cli_json_kvs(&k->j, "{\0scgroup\0[programs\0", path);
	} else if (has && level < 0) {
		header(c);
	} else if (has) {
		bbpf_cli_kobj_printf(k, "%s\n", path);
	}
	if (has)
		show_all(c, fd, level < 0 ? 0 : level);
	if (k->json && (has || level < 0))
		bbpf_cli_json_arr_end(&k->j);
	if (k->json && has && level >= 0)
		bbpf_cli_json_obj_end(&k->j);
	bbpf_cli_kobj_fdclose(k, fd);
	return 0;
}

/* nftw(FTW_MOUNT) order: a directory, then its entries as readdir() gives them. */
static int tree_dir(struct cg *c, char *path, size_t len, size_t max, int level, uint64_t dev)
{
	struct bbpf_cli_dir d;
	struct bbpf_cli_stat st;
	const char *name;
	size_t n;
	int ret;

	if (level > TREE_DEPTH_MAX)
		return 0;
	ret = show_dir(c, path, level);
	if (ret)
		return ret;
	if (!bbpf_cli_dir_open(&d, c->k->sys, path))
		return 0;
	while (!ret && (name = bbpf_cli_dir_next(&d))) {
		n = strlen(name);
		if (n <= 2 && !strncmp(name, "..", n))	/* "." and ".." */
			continue;
		if (len + 1 + n + 1 > max)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, name, n + 1);
		if (!bbpf_cli_kobj_stat(path, false, &st) && S_ISDIR(st.mode) && st.dev == dev)
			ret = tree_dir(c, path, len + 1 + n, max, level + 1, dev);
		path[len] = '\0';
	}
	bbpf_cli_dir_close(&d);
	return ret;
}

struct root {
	char *out;
	size_t size;
};

static int root_mount(void *ctx, char *dir)
{
	struct root *r = ctx;
	size_t n = strlen(dir);

	if (n >= r->size)
		return 0;
	memcpy(r->out, dir, n + 1);
	return 1;
}

/* The first cgroup2 mount of /proc/mounts (that fits out). */
static int cgroup2_root(char *out, size_t size)
{
	struct root r = { out, size };

	return bbpf_cli_kobj_mounts("cgroup2", sizeof("cgroup2"), root_mount, &r) > 0 ? 0 : -ENOENT;
}

/* "cgroup show CGROUP [effective]" and "cgroup tree [ROOT [effective]]". */
static int cgroup_cmd(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		      int argc, char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	bool tree = cmd->name[0] == 't';
	struct bbpf_cli_kobj k;
	struct bbpf_cli_stat st;
	char path[4096];
	struct cg *c;
	const char *root;
	int ret;

	ret = bbpf_cli_kobj_open(&k, opts, cmd->usage, argc, argv);
	if (ret)
		return ret;
	c = malloc(sizeof(*c));
	if (!c)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "out of memory"));
	cg_init(c, &k);
	root = bbpf_cli_argv_next(&a);
	if (!root && !tree) {
		ret = bbpf_cli_kobj_usage(&k, "expected CGROUP");
		goto out;
	}
	if (root) {
		ret = parse_effective(c, &a);
		if (ret)
			goto out;
	}
	if (!tree) {
		ret = show_dir(c, root, -1);
		goto out;
	}
	if (root) {
		if (strlen(root) >= sizeof(path)) {
			ret = bbpf_cli_kobj_err(&k, "path too long");
			goto out;
		}
		memcpy(path, root, strlen(root) + 1);
	} else if (cgroup2_root(path, sizeof(path))) {
		ret = bbpf_cli_kobj_err(&k, "cgroup v2 is not mounted");
		goto out;
	}
	ret = bbpf_cli_kobj_stat(path, false, &st);
	if (ret) {
		ret = bbpf_cli_kobj_err(&k, "cannot walk %s: %s", path, strerror(-ret));
		goto out;
	}
	if (k.json) {
		bbpf_cli_json_arr_begin(&k.j);
	} else {
		bbpf_cli_kobj_printf(&k, "%s\n", "CgroupPath");
		header(c);
	}
	ret = tree_dir(c, path, strlen(path), sizeof(path), 0, st.dev);
	if (!ret && k.json)
		bbpf_cli_json_arr_end(&k.j);
out:
	free(c);
	return bbpf_cli_kobj_close(&k, ret);
}

static const struct bbpf_cli_cmd cgroup_cmds[] = {
	{ "show", cgroup_cmd, "cgroup show" },
	{ "list", cgroup_cmd, "cgroup show" },
	{ "tree", cgroup_cmd, "cgroup tree" },
	{ "attach", bbpf_cli_cgroup_attach, "cgroup attach" },
	{ "detach", bbpf_cli_cgroup_attach, "cgroup detach" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_cgroup_usage },
};

int bbpf_cli_cgroup(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	return bbpf_cli_kobj_dispatch(cgroup_cmds, sizeof(cgroup_cmds) / sizeof(cgroup_cmds[0]), cmd,
				      opts, argc, argv);
}
