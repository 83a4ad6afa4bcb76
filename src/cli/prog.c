/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf prog loadall OBJ PINDIR [type TYPE] [dev NAME] [pinmaps MAPDIR] [autoattach]
 *                      [kconfig FILE] [btf FILE] [skip PROG ...] [map MAP.FIELD=N ...]
 *                      [map { idx IDX | name NAME } MAP ...]
 * barebpf prog help
 * (prog show/dump/pin/run: prog_show.c, prog_dump.c)
 *
 * As bpftool's "prog loadall": load every program of OBJ and pin each at
 * PINDIR/<program name> (PINDIR is created, one level), every map at
 * MAPDIR/<map name> with pinmaps; with autoattach, a program that can be
 * attached is, and its link is pinned at PINDIR/<program name> instead, so it
 * stays attached after we exit. On any failure the pins made so far and the
 * directories created are removed.
 */
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/stat.h>
#include <unistd.h>

#include "cli.h"
#include "kobj.h"
#include "load_util.h"
#include "textfile.h"
#include "../base/fmt.h"

#define PROG_USAGE \
	"prog loadall OBJ PINDIR [type TYPE] [dev NAME] [pinmaps MAPDIR] [autoattach] [kconfig FILE]\n" \
	"             [btf FILE] [skip PROG ...] [map MAP.FIELD=N ...] [map { idx IDX | name NAME } MAP ...]"

/*
 * bpftool's TYPE words (section-name style) with their program type and
 * expected attach type: one packed string and two bytes a word (no pointer
 * table: the static init build's size). A word starting with '/' is
 * "cgroup/..." (CGROUP_PREFIX), written once.
 */
#define CGROUP_PREFIX "cgroup"
#define TYPE_WORDS(X) \
	X("socket", SOCKET_FILTER, 0) \
	X("kprobe", KPROBE, 0) \
	X("kretprobe", KPROBE, 0) \
	X("classifier", SCHED_CLS, 0) \
	X("action", SCHED_ACT, 0) \
	X("tracepoint", TRACEPOINT, 0) \
	X("raw_tracepoint", RAW_TRACEPOINT, 0) \
	X("xdp", XDP, BPF_XDP) \
	X("perf_event", PERF_EVENT, 0) \
	X("/skb", CGROUP_SKB, 0) \
	X("/sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE) \
	X("/dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE) \
	X("lwt_in", LWT_IN, 0) \
	X("lwt_out", LWT_OUT, 0) \
	X("lwt_xmit", LWT_XMIT, 0) \
	X("lwt_seg6local", LWT_SEG6LOCAL, 0) \
	X("sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS) \
	X("sk_skb", SK_SKB, 0) \
	X("sk_msg", SK_MSG, BPF_SK_MSG_VERDICT) \
	X("lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2) \
	X("sk_reuseport", SK_REUSEPORT, 0) \
	X("flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR) \
	X("/sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL) \
	X("/bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND) \
	X("/bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND) \
	X("/post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND) \
	X("/post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND) \
	X("/connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT) \
	X("/connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT) \
	X("/getpeername4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME) \
	X("/getpeername6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME) \
	X("/getsockname4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME) \
	X("/getsockname6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME) \
	X("/sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG) \
	X("/sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG) \
	X("/recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG) \
	X("/recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG) \
	X("/getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT) \
	X("/setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT) \
	X("/sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE) \
	X("struct_ops", STRUCT_OPS, 0) \
	X("fentry", TRACING, BPF_TRACE_FENTRY) \
	X("fexit", TRACING, BPF_TRACE_FEXIT) \
	X("freplace", EXT, 0) \
	X("sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP)
#define TW_TEXT(s, t, a) s "\0"
#define TW_TYPE(s, t, a) BPF_PROG_TYPE_##t,
#define TW_EAT(s, t, a) a,
static const char type_word_text[] = TYPE_WORDS(TW_TEXT);
static const unsigned char type_word_type[] = { TYPE_WORDS(TW_TYPE) };
static const unsigned char type_word_eat[] = { TYPE_WORDS(TW_EAT) };
_Static_assert(BPF_PROG_TYPE_SK_LOOKUP <= 255 && BPF_SK_LOOKUP <= 255, "TYPE words fit bytes");

#define TYPE_WORD_CNT sizeof(type_word_type)

struct loadall {
	const char *obj_path, *pindir, *mapdir, *kconfig, *btf;
	const char *arg;	/* type TYPE, dev NAME: parsed as it comes */
	bool has_type, autoattach;
	bool first_only;	/* "prog load OBJ PATH": the first program pinned at PATH */
	enum bpf_prog_type type;
	enum bpf_attach_type eat;
	uint32_t ifindex;	/* dev NAME: bpftool's offload device, 0 */
	/* What we made, for the rollback: pin paths, then directories. */
	char **pins;
	size_t pin_cnt, pin_cap;
	bool made_pindir, made_mapdir;
	/*
	 * The file-system checks go through the CLI's syscall table (as kobj.c's
	 * pins do): no libc statfs/mkdir/stat for the dynamic loader to bind.
	 */
	const struct bbpf_sys *sys;
};

/* bpftool's words first, then bpftool's type names ("sched_cls", "syscall"). */
static int parse_type(const char *s, enum bpf_prog_type *type, enum bpf_attach_type *eat)
{
	const char *w = type_word_text;
	size_t i;
	int t;

	for (i = 0; i < TYPE_WORD_CNT; i++, w += strlen(w) + 1) {
		if (*w == '/' ? !strncmp(s, CGROUP_PREFIX, 6) && !strcmp(s + 6, w) : !strcmp(s, w)) {
			*type = (enum bpf_prog_type)type_word_type[i];
			*eat = (enum bpf_attach_type)type_word_eat[i];
			return 0;
		}
	}
	t = bbpf_prog_type_from_str(s);
	if (t < 0)
		return -EINVAL;
	*type = (enum bpf_prog_type)t;
	*eat = 0;
	return 0;
}

/*
 * The words taking a value (also "--kconfig FILE", "--btf FILE" anywhere):
 * the member of struct loadall the value goes to, what a missing one is.
 * Initials all differ: the order of the prefix matches does not matter.
 */
#define LA(f)	offsetof(struct loadall, f)
static const struct {
	char word[8];
	unsigned char off;
	char need[15];
} value_words[] = {
	{ "kconfig", LA(kconfig), "a file" },
	{ "btf", LA(btf), "a file" },
	{ "type", LA(arg), "a program type" },
	{ "pinmaps", LA(mapdir), "a directory" },
#ifndef BBPF_CLI_INIT
	{ "dev", LA(arg), "a device name" },
#endif
};
#define VALUE_WORD_CNT	(sizeof(value_words) / sizeof(value_words[0]))

static int parse_args(const struct bbpf_cli_cmd *cmd, struct bbpf_cli_opts *opts,
		      struct loadall *la, struct bbpf_cli_obj *o, int argc, char **argv)
{
	int i, pos = 0, n;
	size_t w;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		n = bbpf_cli_obj_tweak_opt(o, cmd, argc, argv, &i, pos >= 2);
		if (n > 1)
			return n;
		if (n)
			continue;
		for (w = 0; w < VALUE_WORD_CNT; w++)
			if ((w < 2 && a[0] == '-' && a[1] == '-' && !strcmp(a + 2, value_words[w].word)) ||
			    (pos >= 2 && bbpf_cli_kobj_kw(a, value_words[w].word)))
				break;
		if (w < VALUE_WORD_CNT) {
			if (++i >= argc)	/* kconfig, btf: the word as written */
				return bbpf_cli_usage_error(cmd, "'%s' needs %s",
							    w < 2 ? a : value_words[w].word,
							    value_words[w].need);
			*(const char **)((char *)la + value_words[w].off) = argv[i];
			if (w == 2) {
				if (la->has_type)
					return bbpf_cli_usage_error(cmd, "program type already specified");
				if (parse_type(argv[i], &la->type, &la->eat))
					return bbpf_cli_usage_error(cmd, "unknown program type '%s'",
								    argv[i]);
				la->has_type = true;
			}
#ifndef BBPF_CLI_INIT
			if (w == 4 && !(la->ifindex = bbpf_cli_ifindex(argv[i]))) {
				bbpf_cli_err("unrecognized netdevice '%s': %s", argv[i], strerror(errno));
				return BBPF_CLI_EXIT_FAIL;
			}
#endif
		} else if (a[0] == '-' && a[1]) {
			if (!bbpf_cli_common_opt(opts, a))
				return bbpf_cli_usage_error(cmd, "unknown option '%s'", a);
		} else if (pos == 0) {
			la->obj_path = a;
			pos++;
		} else if (pos == 1) {
			la->pindir = a;
			pos++;
		} else if (bbpf_cli_kobj_kw(a, "autoattach")) {
			la->autoattach = true;
		} else {
			return bbpf_cli_usage_error(cmd, "expected 'type', 'dev', 'pinmaps', "
						    "'autoattach' or 'kconfig', got '%s'", a);
		}
	}
	if (pos < 2)
		return bbpf_cli_usage_error(cmd, "missing %s",
					    !pos ? "OBJ" : la->first_only ? "PATH" : "PINDIR");
	return 0;
}

static int remember_pin(struct loadall *la, const char *path)
{
	char **np, *copy;
	size_t n;

	if (la->pin_cnt == la->pin_cap) {
		size_t cap = la->pin_cap ? la->pin_cap * 2 : 16;

		np = realloc(la->pins, cap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		la->pins = np;
		la->pin_cap = cap;
	}
	n = strlen(path) + 1;
	copy = malloc(n);	/* not strdup: one libc function fewer to bind at run time */
	if (!copy)
		return -ENOMEM;
	memcpy(copy, path, n);
	la->pins[la->pin_cnt++] = copy;
	return 0;
}

/*
 * "cannot remove PATH: <errno text>" when err (-errno) is a failure (one
 * call site for the three).
 */
__attribute__((noinline))
static void rm_said(long err, const char *path)
{
	if (err)
		bbpf_cli_err("cannot remove %s: %s", path, strerror((int)-err));
}

/* Remove what we pinned and the directories we created (rollback), through la->sys. */
__attribute__((noinline))
static void unpin_all(struct loadall *la)
{
	const struct bbpf_sys *sys = la->sys;

	while (la->pin_cnt) {
		char *p = la->pins[--la->pin_cnt];
		long err = sys->unlink(sys->ctx, p);

		rm_said(err == -ENOENT ? 0 : err, p);
		free(p);
	}
	if (la->made_mapdir)
		rm_said(sys->rmdir(sys->ctx, la->mapdir), la->mapdir);
	if (la->made_pindir)
		rm_said(sys->rmdir(sys->ctx, la->pindir), la->pindir);
}

__attribute__((noinline))
static void free_pins(struct loadall *la)
{
	while (la->pin_cnt)
		free(la->pins[--la->pin_cnt]);
	free(la->pins);
	la->pins = NULL;
}

/*
 * As bpftool: the directory holding PINDIR must be on a BPF file system;
 * if it is not, mount one there (the initramfs case: /sys/fs/bpf exists but
 * nothing is mounted) — unlike bpftool, only over an empty directory, never
 * hiding files. kobj.c does it for the pins of every command.
 */

static int ensure_bpffs(const struct bbpf_sys *sys, const char *dir_path)
{
	char dir[PATH_MAX];
	size_t len = strlen(dir_path);

	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, dir_path, len + 1);	/* not strcpy: the init build's only one (musl's stpcpy) */
	return bbpf_cli_kobj_bpffs(sys, dir, true);
}

/* mkdir that tells whether it created the directory; a failure is said. */
static int make_dir(const struct bbpf_sys *sys, const char *path, bool *made)
{
	struct statx st;
	long err = sys->mkdir(sys->ctx, path, 0700);

	if (!err) {
		*made = true;
		return 0;
	}
	if (err == -EEXIST) {
		err = sys->statx(sys->ctx, AT_FDCWD, path, 0, STATX_TYPE, &st);
		if (!err && !S_ISDIR(st.stx_mode))
			err = -ENOTDIR;
	}
	if (err)
		bbpf_cli_err("cannot create %s: %s", path, strerror((int)-err));
	return (int)err;
}

/* "dir/name" in buf; too long: -ENAMETOOLONG, buf truncated as snprintf would. */
static int join(char *buf, size_t size, const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);

	if (d + n + 1 >= size) {
		bbpf_snprintf(buf, size, "%s/%s", dir, name);	/* for the message */
		return -ENAMETOOLONG;
	}
	memcpy(buf, dir, d);
	buf[d] = '/';
	memcpy(buf + d + 1, name, n + 1);
	return 0;
}

/*
 * Attach prog and pin its link at path; else pin the program, with one
 * warning line saying why (the library's own message, held meanwhile).
 */
static int attach_and_pin(struct bbpf_cli_obj *o, struct bbpf_program *prog, const char *path)
{
	struct bbpf_link *link = NULL;
	const char *why = BBPF_MSGZ_STR("no auto-attach for its section");
	int err;

	o->held[0] = '\0';	/* flushed after load: this is the attach's own warning */
	err = bbpf_program_attach(prog, &link);
	if (!err) {
		err = bbpf_link_pin(link, path);
		bbpf_link_destroy(link);	/* the pin keeps the link alive */
		if (err != -EOPNOTSUPP)
			return err;
		why = BBPF_MSGZ_STR("its attachment has no BPF link to pin");
	} else if (err != -EOPNOTSUPP || o->held[0]) {	/* held: the library said why */
		char pre[sizeof(o->held)];	/* a longer prefix cannot start a held message */
		int n = bbpf_snprintf(pre, sizeof(pre), "program '%s': ", bbpf_program_name(prog));

		why = o->held[0] ? o->held : strerror(-err);
		if (o->held[0] && (size_t)n < sizeof(pre) && !strncmp(why, pre, (size_t)n) && why[n])
			why += n;	/* the name is said already */
	}
	bbpf_cli_err("program '%s' not attached (%s): pinned as a program", bbpf_program_name(prog),
		     why);
	o->held[0] = '\0';	/* said on that line */
	return bbpf_program_pin(prog, path);
}

/* bpffs refuses names with a dot (EPERM): "minimal.bss" is pinned as "minimal_bss", as libbpf does. */
static void sanitize(char *name)
{
	for (; *name; name++)
		if (*name == '.')
			*name = '_';
}

static int pin_programs(struct bbpf_cli_obj *o, struct loadall *la)
{
	struct bbpf_object *obj = o->obj;
	char path[PATH_MAX];
	size_t i;
	int err;

	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *prog = bbpf_object_program(obj, i);
		const char *name = bbpf_program_name(prog);

		if (bbpf_program_fd(prog) < 0)
			continue;	/* autoload off: nothing to pin */
		err = la->first_only ? join(path, sizeof(path), la->pindir, "")
				     : join(path, sizeof(path), la->pindir, name);
		if (la->first_only)
			path[strlen(path) - 1] = '\0';
		if (!err)
			err = la->autoattach ? attach_and_pin(o, prog, path)
					     : bbpf_program_pin(prog, path);
		if (!err)
			err = remember_pin(la, path);
		if (err) {
			bbpf_cli_obj_fail(o, "program '%s': cannot pin at %s: %s", name, path,
					  strerror(-err));
			return err;
		}
		if (la->first_only)
			break;
	}
	return 0;
}

static int pin_maps(struct bbpf_cli_obj *o, struct loadall *la)
{
	struct bbpf_object *obj = o->obj;
	char path[PATH_MAX];
	size_t i;
	int err;

	err = make_dir(la->sys, la->mapdir, &la->made_mapdir);
	if (err)
		return err;
	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		struct bbpf_map *map = bbpf_object_map(obj, i);
		const char *name = bbpf_map_name(map);

		if (bbpf_map_fd(map) < 0)
			continue;	/* not created (autocreate off, inner template) */
		err = join(path, sizeof(path), la->mapdir, name);
		sanitize(path + strlen(la->mapdir) + 1);
		if (!err)
			err = bbpf_map_pin(map, path);
		if (!err)
			err = remember_pin(la, path);
		if (err) {
			bbpf_cli_obj_fail(o, "map '%s': cannot pin at %s: %s", name, path,
					  strerror(-err));
			return err;
		}
	}
	return 0;
}

static int prog_loadall(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *gopts,
			int argc, char **argv)
{
	struct bbpf_cli_opts opts = *gopts;
	struct bbpf_cli_obj o = { 0 };
	struct loadall la = { 0 };
	size_t i;
	int ret, err;

	la.first_only = !strcmp(cmd->name, "load");
	la.sys = opts.sys;
	ret = parse_args(cmd, &opts, &la, &o, argc, argv);
	if (ret)
		goto out;
	o.debug = opts.debug;
	ret = bbpf_cli_obj_open(&o, la.obj_path, la.kconfig, la.btf);
	if (ret)
		goto out;
#ifndef BBPF_CLI_INIT	/* dev: not in the init tool (README "Static builds") */
	/* as bpftool: every program and every map but perf event arrays on the device */
	for (i = 0; la.ifindex && i < bbpf_object_map_cnt(o.obj); i++)
		if (bbpf_map_type(bbpf_object_map(o.obj, i)) != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			bbpf_map_set_ifindex(bbpf_object_map(o.obj, i), la.ifindex);
	for (i = 0; la.ifindex && i < bbpf_object_program_cnt(o.obj); i++)
		bbpf_program_set_ifindex(bbpf_object_program(o.obj, i), la.ifindex);
#endif
	for (i = 0; la.has_type && i < bbpf_object_program_cnt(o.obj); i++) {
		struct bbpf_program *prog = bbpf_object_program(o.obj, i);

		if (bbpf_program_set_type(prog, la.type) ||
		    bbpf_program_set_expected_attach_type(prog, la.eat)) {
			bbpf_cli_err("program '%s': cannot set the type", bbpf_program_name(prog));
			ret = BBPF_CLI_EXIT_FAIL;
			goto out;
		}
	}
	ret = bbpf_cli_obj_load(&o, la.obj_path);
	if (ret)
		goto out;
	ret = BBPF_CLI_EXIT_FAIL;
	err = ensure_bpffs(la.sys, la.pindir);
	if (err) {
		bbpf_cli_err("%s: the directory above is not on a BPF file system and one cannot "
			     "be mounted there: %s", la.pindir, strerror(-err));
		goto out;
	}
	if (la.autoattach && !bbpf_cli_tracefs())
		goto out;
	if (!la.first_only && make_dir(la.sys, la.pindir, &la.made_pindir))
		goto out;
	bbpf_cli_obj_flush(&o);
	if (pin_programs(&o, &la) || (la.mapdir && pin_maps(&o, &la))) {
		unpin_all(&la);
		goto out;
	}
	ret = BBPF_CLI_EXIT_OK;
out:
	free_pins(&la);
	bbpf_cli_obj_close(&o);
	return ret;
}

const char bbpf_cli_prog_usage[] = BBPF_CLI_HELP("prog");

__attribute__((noinline))
static int prog_help(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv)
{
	struct bbpf_cli_help_buf b;
	const char *w;
	size_t i;

	(void)cmd;
	(void)argc;
	(void)argv;
	if (opts->json)
		return bbpf_cli_kobj_help(opts, bbpf_cli_prog_usage);
	bbpf_cli_kobj_help(opts, bbpf_cli_prog_usage);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "       TYPE := { ");
	for (i = 0, w = type_word_text; i < TYPE_WORD_CNT; i++, w += strlen(w) + 1)
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s%s%s", *w == '/' ? CGROUP_PREFIX : "", w,
				 i + 1 < TYPE_WORD_CNT ? " | " : " }\n");
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s\n", bbpf_cli_help_text(BBPF_CLI_HELP("prog.more"), &b));
	return BBPF_CLI_EXIT_OK;
}

/*
 * Only the usage lines that a usage error prints are kept (load, loadall,
 * attach, detach); "prog help" prints its own text (help.txt) and nothing
 * prints a subcommand's summary, so those are NULL (summaries: main.c only).
 */
static const struct bbpf_cli_cmd prog_cmds[] = {
	{ "show", bbpf_cli_prog_show, NULL },
	{ "list", bbpf_cli_prog_show, NULL },
	{ "dump", bbpf_cli_prog_dump, NULL },
	{ "pin", bbpf_cli_kobj_pin_cmd, "prog pin" },	/* usage: the command's name (kobj.h) */
	{ "run", bbpf_cli_prog_test_run, NULL },
	{ "load", prog_loadall, "prog load OBJ PATH [type TYPE] [pinmaps MAPDIR] ..." },
	{ "loadall", prog_loadall, PROG_USAGE },
	{ "attach", bbpf_cli_prog_attach, "prog attach PROG ATTACH_TYPE [MAP]" },
	{ "detach", bbpf_cli_prog_detach, "prog detach PROG ATTACH_TYPE [MAP]" },
	{ "help", prog_help, NULL },
};

/* bpftool's "prog": no subcommand means "show". */
int bbpf_cli_prog(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		  int argc, char **argv)
{
	return bbpf_cli_kobj_dispatch(prog_cmds, sizeof(prog_cmds) / sizeof(prog_cmds[0]), cmd,
				      opts, argc, argv);
}

/*
 * The init build's "prog": loadall and load only (README "Static builds").
 * Its usage, with the keywords it has, is main.c's help of "prog" and what
 * a usage error of "prog loadall" prints.
 */
const char bbpf_cli_prog_init_usage[] =
	"prog loadall OBJ PINDIR [type TYPE] [pinmaps MAPDIR] [autoattach] [kconfig FILE]\n"
	"             [skip PROG ...] [map MAP.FIELD=N ...]\n"
	"prog load OBJ PATH (the same keywords)";

static const struct bbpf_cli_cmd prog_init_cmds[] = {
	{ "load", prog_loadall, "prog load OBJ PATH ..." },
	{ "loadall", prog_loadall, bbpf_cli_prog_init_usage },
};

int bbpf_cli_prog_init(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	if (argc < 2)
		return bbpf_cli_usage_error(cmd, "missing subcommand");
	return bbpf_cli_dispatch(prog_init_cmds, 2, opts, argc - 1, argv + 1);
}
