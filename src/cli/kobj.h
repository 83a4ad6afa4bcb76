/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the kernel-object commands (prog, map, link, btf, perf, cgroup,
 * struct_ops, feature) share, so that each prints as bpftool 7.1 does:
 *  - one context per invocation: the library context (its syscall table is
 *    opts->sys, so tests run every command against a fake kernel) and the
 *    JSON writer;
 *  - errors: with -j, {"error":"..."} where the document stands and nothing
 *    on stderr; without, exactly one "barebpf: <command>: <what>: <why>"
 *    line on stderr. Exit status 1 (2 for usage errors);
 *  - bpftool's handles: PROG := id N | pinned PATH | tag TAG | name NAME,
 *    MAP := id N | pinned PATH | name NAME, LINK := id N | pinned PATH;
 *    keywords may be abbreviated to any prefix, as bpftool's is_prefix();
 *  - object info, /proc/self/fdinfo values, the pinned paths of -f, and the
 *    order in which bpftool lists several values of one key (see idmap).
 * Every kernel access goes through k->ctx->sys; directory walks (/proc,
 * bpffs, cgroupfs) use libc's opendir(), as the CLI may.
 */
#ifndef BBPF_CLI_KOBJ_H
#define BBPF_CLI_KOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bpf.h>

#include "cli.h"
#include "json.h"
#include "../kern/kern.h"

/* Longest program name bpftool prints (BTF function names included). */
#define BBPF_CLI_PROG_NAME_MAX	128

struct bbpf_cli_kobj {
	const struct bbpf_cli_opts *opts;
	const char *what;		/* "map dump": prefixes error lines */
	struct bbpf_ctx *ctx;
	const struct bbpf_sys *sys;	/* &ctx->sys */
	struct bbpf_cli_json j;
	bbpf_cli_file *out;
	bool json;
	bool bare;	/* -j errors without the "what: " prefix (net show's, as bpftool) */
};

/* The remaining words of a command line. */
struct bbpf_cli_argv {
	char **v;
	int c;
};

/*
 * Start a command: the context (with opts->sys), the writer. An unknown
 * option left on the line ("-x") is a usage error here. Returns 0, or the
 * exit status after the error was reported (k is then already closed).
 */
int bbpf_cli_kobj_open(struct bbpf_cli_kobj *k, const struct bbpf_cli_opts *opts,
		       const char *what, int argc, char **argv);
/* End it: close the JSON document, free the context. Returns ret. */
int bbpf_cli_kobj_close(struct bbpf_cli_kobj *k, int ret);

/* Report a failure (see above); returns BBPF_CLI_EXIT_FAIL. */
int bbpf_cli_kobj_err(struct bbpf_cli_kobj *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same for a usage error; returns BBPF_CLI_EXIT_USAGE. */
int bbpf_cli_kobj_usage(struct bbpf_cli_kobj *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* strerror() of a negative errno, with the kernel's ENOTSUPP (524) named. */
const char *bbpf_cli_kobj_strerror(int err);
/*
 * bbpf_cli_kobj_err() with ": " and bbpf_cli_kobj_strerror(err) after the
 * message (err nonzero, negative or positive); returns BBPF_CLI_EXIT_FAIL.
 */
int bbpf_cli_kobj_errno(struct bbpf_cli_kobj *k, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The pin's directory (prog loadall's too): dir holds a path and is cut to
 * the directory holding it (trailing slashes first dropped when pindir);
 * when that directory is not on a BPF file system, one is mounted there if
 * it is empty. 0, -ENOTEMPTY, or mount's error; statfs's error only when
 * pindir (a pin goes on and fails on its own).
 */
int bbpf_cli_kobj_bpffs(const struct bbpf_sys *sys, char *dir, bool pindir);

/*
 * A directory's entries, read with getdents64 through the system call
 * table (no musl DIR): open, then next until NULL, then close. Entries come
 * in the kernel's order, as readdir() gives them, "." and ".." included.
 */
struct bbpf_cli_dir {
	const struct bbpf_sys *sys;
	long fd, n, off;
	uint64_t buf[128];	/* struct linux_dirent64 records, 8-byte aligned */
};
/* False if path cannot be opened as a directory. */
bool bbpf_cli_dir_open(struct bbpf_cli_dir *d, const struct bbpf_sys *sys, const char *path);
/* The next entry's name, or NULL at the end (or on a read error). */
const char *bbpf_cli_dir_next(struct bbpf_cli_dir *d);
void bbpf_cli_dir_close(struct bbpf_cli_dir *d);

/*
 * Sub-command table walk for the kernel-object commands: argv[0] is the
 * command ("map"); an empty line runs the first entry (bpftool's "show").
 */
int bbpf_cli_kobj_dispatch(const struct bbpf_cli_cmd *table, size_t n,
			   const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv);
/* Print a command's usage lines ("barebpf map ...") on stdout; JSON: null. */
int bbpf_cli_kobj_help(const struct bbpf_cli_opts *opts, const char *usage);

/* A "help" sub-command: prints cmd->usage as bbpf_cli_kobj_help(). */
int bbpf_cli_kobj_help_cmd(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv);

/* bpftool's keyword match: arg is a non-empty prefix of word. */
bool bbpf_cli_kobj_kw(const char *arg, const char *word);
/* A whole unsigned number as strtoul(s, 0) reads it (0x hex, 0 octal). 0 or -EINVAL. */
int bbpf_cli_kobj_u32(const char *s, uint32_t *v);
/* atoll(): leading blanks, a sign, decimal digits; 0 if none. */
int64_t bbpf_cli_kobj_atoll(const char *s);
/* The next word, or NULL at the end. */
char *bbpf_cli_argv_next(struct bbpf_cli_argv *a);

/* ---- handles ---- */

/*
 * PROG := id N | pinned PATH | tag TAG | name NAME, consumed from a.
 * Returns the number of fds in *fds (malloc'ed; the caller closes them and
 * frees the array), or minus the exit status with the error reported
 * (-BBPF_CLI_EXIT_USAGE for a malformed handle, -BBPF_CLI_EXIT_FAIL else).
 * tag and name may match several programs; no match is an error.
 */
int bbpf_cli_kobj_prog_fds(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, int **fds);
/* Exactly one program's fd; minus the exit status (reported) otherwise. */
int bbpf_cli_kobj_prog_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a);
/* MAP := id N | pinned PATH | name NAME. */
int bbpf_cli_kobj_map_fds(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, int **fds);
int bbpf_cli_kobj_map_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a);
/* LINK := id N | pinned PATH. */
int bbpf_cli_kobj_link_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a);
void bbpf_cli_kobj_close_fds(struct bbpf_cli_kobj *k, int *fds, int n);
/* Close one fd through k's syscall table. */
void bbpf_cli_kobj_fdclose(struct bbpf_cli_kobj *k, int fd);

enum bbpf_cli_obj_type {
	BBPF_CLI_OBJ_UNKNOWN,
	BBPF_CLI_OBJ_PROG,
	BBPF_CLI_OBJ_MAP,
	BBPF_CLI_OBJ_LINK,
	BBPF_CLI_OBJ_BTF,
};

/*
 * Walk every object of a type in id order: *id is the last one seen (0 to
 * start). Returns 1 with *fd open (the caller closes it), 0 at the end,
 * -1 with the error reported. Objects that vanish meanwhile are skipped.
 */
int bbpf_cli_kobj_next(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type, uint32_t *id,
		       int *fd);
/* Print one object of a show command (arg: the command's data); 0 or the exit status. */
typedef int bbpf_cli_show_fn(struct bbpf_cli_kobj *k, int fd, const void *arg);
/* Every object of type in id order through show (JSON: an array). 0 or the exit status. */
int bbpf_cli_kobj_show_all(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type,
			   bbpf_cli_show_fn *show, const void *arg);
/*
 * "prog show [PROG]", "map show [MAP]", "link show [LINK]": the handle's
 * objects or every one, with the -f pinned table (a struct bbpf_cli_idmap)
 * as show's arg.
 */
int bbpf_cli_kobj_show_cmd(const struct bbpf_cli_opts *opts, enum bbpf_cli_obj_type type,
			   const char *what, int argc, char **argv, bbpf_cli_show_fn *show);
/*
 * The head of a show line: "ID: TYPE  name NAME  " (type as "type N" when
 * unnamed, name when non-empty) or the members "id", "type", "name".
 */
void bbpf_cli_kobj_head(struct bbpf_cli_kobj *k, uint32_t id, const char *type_s, uint32_t type,
			const char *name);
/*
 * One member printed in both forms: JSON "key": v (a number, a string),
 * text fmt with v (fmt takes an unsigned long long, or a string).
 */
void bbpf_cli_kobj_u(struct bbpf_cli_kobj *k, const char *key, const char *fmt, uint64_t v);
void bbpf_cli_kobj_s(struct bbpf_cli_kobj *k, const char *key, const char *fmt, const char *s);
/* A number with a name: s (JSON a string, text sfmt) or, when s is NULL, v (vfmt). */
void bbpf_cli_kobj_named(struct bbpf_cli_kobj *k, const char *key, const char *s, uint64_t v,
			 const char *sfmt, const char *vfmt);
/*
 * "map freeze MAP", "link detach LINK": op on the handle's one fd; a
 * failure is reported as "<fail>: <errno text>". JSON: null.
 */
int bbpf_cli_kobj_fd_cmd(const struct bbpf_cli_opts *opts, enum bbpf_cli_obj_type type,
			 const char *what, int argc, char **argv,
			 int (*op)(const struct bbpf_sys *sys, int fd), const char *fail);
/*
 * "prog pin PROG FILE", "map pin MAP FILE", "link pin LINK FILE": the
 * subcommand of all three, its usage the command ("map pin").
 */
int bbpf_cli_kobj_pin_cmd(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			  int argc, char **argv);
/* What a BPF fd is, from its /proc/self/fd link ("anon_inode:bpf-map"). */
enum bbpf_cli_obj_type bbpf_cli_kobj_fd_type(struct bbpf_cli_kobj *k, int fd);
/* BPF_OBJ_GET of path and a check that it is of type; -1 reported (unless quiet). */
int bbpf_cli_kobj_pinned(struct bbpf_cli_kobj *k, const char *path, enum bbpf_cli_obj_type type,
			 bool quiet);

/*
 * Pin fd at path, as bpftool's do_pin_fd(): the directory holding path must
 * be on a BPF file system; if it is not, one is mounted there, but (unlike
 * bpftool) only over an empty directory. Reports errors; 0 or -1.
 */
int bbpf_cli_kobj_pin(struct bbpf_cli_kobj *k, int fd, const char *path);

/* ---- info ---- */

/* BPF_OBJ_GET_INFO_BY_FD into a zeroed info of the given size; 0 or -errno. */
int bbpf_cli_kobj_info(struct bbpf_cli_kobj *k, int fd, void *info, uint32_t size);
/*
 * The value of the first line of /proc/self/fdinfo/<fd> that contains key
 * (as bpftool's get_fdinfo()): 0, or -ENOENT.
 */
int bbpf_cli_kobj_fdinfo(struct bbpf_cli_kobj *k, int fd, const char *key, char *val,
			 size_t size);
/*
 * The program's name as bpftool prints it: info->name, or, when that was
 * cut at 15 characters, the name of its first function in its BTF.
 */
void bbpf_cli_kobj_prog_name(struct bbpf_cli_kobj *k, const struct bpf_prog_info *info, int fd,
			     char *buf, size_t size);
/*
 * The program of this id: its info and, when name is not NULL, its name
 * (bbpf_cli_kobj_prog_name). 0 or -errno.
 */
int bbpf_cli_kobj_prog_by_id(struct bbpf_cli_kobj *k, uint32_t id, struct bpf_prog_info *info,
			     char *name, size_t size);
/*
 * The BTF object of this id, parsed (untrusted, in arena). Kernel BTF of
 * modules (split) is refused: -EOPNOTSUPP.
 */
struct bbpf_btf;
int bbpf_cli_kobj_btf(struct bbpf_cli_kobj *k, uint32_t btf_id, struct bbpf_arena *arena,
		      struct bbpf_btf **out);

/* Names bpftool prints; NULL when the number has none. */
const char *bbpf_cli_kobj_link_type_str(uint32_t type);

/*
 * stat(), or lstat() when nofollow, through the real system's statx
 * (bbpf_sys_linux, as stat() went to the real system): musl's stat family
 * is some 600 B the CLI needs nowhere else. 0 or -errno.
 */
struct bbpf_cli_stat {
	uint32_t mode;		/* st_mode */
	uint64_t dev, ino;	/* st_dev (makedev of the major and minor), st_ino */
};
int bbpf_cli_kobj_stat(const char *path, bool nofollow, struct bbpf_cli_stat *st);

/* ---- ids and pinned paths ---- */

/*
 * A multimap from an object id to values (ids or strings), listing a key's
 * values in the order bpftool 7.1 does: its tables are libbpf hashmaps
 * filled with hashmap__append(), which prepends to a bucket chain and
 * re-prepends every chain when it grows (at 4 entries, then whenever
 * (n + 1) * 4 / 3 exceeds the capacity), so a key's values come out in an
 * order that depends on the total number of entries. Reproduced here
 * without hashing.
 */
struct bbpf_cli_idmap_ent {
	uint32_t key;
	uint32_t num;
	char *str;
};

struct bbpf_cli_idmap {
	struct bbpf_cli_idmap_ent *e;
	size_t cnt, cap;
	bool built;	/* -f: the pinned walk ran */
};

int bbpf_cli_idmap_add(struct bbpf_cli_idmap *m, uint32_t key, uint32_t num, const char *str);
/* Indexes into m->e of key's values, in bpftool's order; returns how many (idx has m->cnt room). */
size_t bbpf_cli_idmap_get(const struct bbpf_cli_idmap *m, uint32_t key, size_t *idx);
void bbpf_cli_idmap_free(struct bbpf_cli_idmap *m);

/*
 * fn(ctx, dir) for each /proc/mounts entry whose file system type's first n
 * bytes are fstype's (n = strlen + 1: exactly fstype), dir as written there
 * (\ooo escapes kept), until fn returns non-zero, which is returned; 0
 * after the last, -ENOENT when /proc/mounts cannot be read.
 */
int bbpf_cli_kobj_mounts(const char *fstype, size_t n, int (*fn)(void *ctx, char *dir), void *ctx);
/*
 * -f: every object of type pinned on a BPF file system (each bpf mount of
 * /proc/mounts, walked as nftw() does), keyed by object id.
 */
int bbpf_cli_kobj_pinned_table(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type,
			       struct bbpf_cli_idmap *m);
/*
 * The "pinned" lines (text: "\n\tpinned PATH" each) or member (JSON: an
 * array, present whenever the table holds anything, as in bpftool).
 */
void bbpf_cli_kobj_print_pinned(struct bbpf_cli_kobj *k, const struct bbpf_cli_idmap *m,
				uint32_t id);

/* map event_pipe (map_event.c). */
int bbpf_cli_map_event_pipe(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			    int argc, char **argv);

/* ---- formats ---- */

/* With -j, one structure call of k's JSON writer; nothing without (one call site instead of a test and a call). */
enum bbpf_cli_kobj_jop {
	BBPF_CLI_J_OBJ,		/* bbpf_cli_json_obj_begin */
	BBPF_CLI_J_ARR,		/* bbpf_cli_json_arr_begin */
	BBPF_CLI_J_OBJ_END,
	BBPF_CLI_J_ARR_END,
	BBPF_CLI_J_NULL,
	BBPF_CLI_J_LINE_END,	/* obj_end; without -j a newline (the end of a show line) */
};
void bbpf_cli_kobj_j(struct bbpf_cli_kobj *k, enum bbpf_cli_kobj_jop op);

/*
 * bpftool's fprint_hex(): "01 02 ... 08  09 ... 10" with a line break
 * every 16 bytes.
 */
void bbpf_cli_kobj_hex(bbpf_cli_file *f, const void *p, size_t n);
/* Print with bbpf_snprintf() to k->out. */
void bbpf_cli_kobj_printf(struct bbpf_cli_kobj *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * When a program was loaded (bpf_prog_info.load_time, ns since boot), as
 * bpftool prints it: local "YYYY-MM-DDTHH:MM:SS+hhmm" in buf (for text);
 * returns the seconds since the epoch (for JSON).
 */
int64_t bbpf_cli_kobj_load_time(struct bbpf_cli_kobj *k, uint64_t nsecs, char *buf, size_t size);
/* ids as "  key 1,2,3" (nothing when n is 0) or "key":[1,2,3]. */
void bbpf_cli_kobj_ids(struct bbpf_cli_kobj *k, const char *key, const uint32_t *ids, size_t n);
/* "offloaded_to ..." / "dev": {...} of an offloaded program or map. */
void bbpf_cli_kobj_print_dev(struct bbpf_cli_kobj *k, uint32_t ifindex, uint64_t ns_dev,
			     uint64_t ns_ino);

#endif
