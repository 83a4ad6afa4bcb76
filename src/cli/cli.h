/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The barebpf command-line tool. Each command lives in its own file and is
 * listed once in the table in main.c; a command with subcommands ("prog
 * loadall") keeps its own table and calls bbpf_cli_dispatch() again.
 *
 * Exit codes: 0 success, 1 failure (bad input, I/O), 2 usage error.
 */
#ifndef BBPF_CLI_H
#define BBPF_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define BBPF_CLI_NAME		"barebpf"
#define BBPF_CLI_EXIT_OK	0
#define BBPF_CLI_EXIT_FAIL	1
#define BBPF_CLI_EXIT_USAGE	2

/*
 * The static builds (musl): the CLI's own strerror() (below) and output
 * streams instead of libc's, whose tables and FILE machinery cost more
 * than these (README "Static builds").
 */
#if defined(BBPF_CLI_INIT) || defined(BBPF_MSGZ)
#define BBPF_CLI_STATIC
#endif

/*
 * Where the CLI writes: BBPF_CLI_STDOUT or BBPF_CLI_STDERR. The glibc builds
 * (the dynamic CLI, the tests) write through stdio. The static builds have
 * no libc stdio: each stream is a file descriptor; stderr is written at once
 * as stdio's unbuffered stderr is, and the full build's stdout collects up to
 * 4 KiB before a write(2) as stdio's buffered stdout does (each line at once
 * on a terminal; the rest at bbpf_cli_flush() and when bbpf_cli_main()
 * ends). The init build writes both at once (nothing of it writes both
 * streams in one run, so no buffering can reorder them).
 */
#ifdef BBPF_CLI_STATIC
struct bbpf_cli_stream {
	int fd;
#ifndef BBPF_CLI_INIT
	signed char tty;	/* -1: not known yet, 1: a terminal */
	bool failed;		/* a write failed since the start (stdio's ferror()) */
	unsigned int len;	/* bytes in buf */
	char *buf;		/* NULL: unbuffered */
#endif
};
typedef struct bbpf_cli_stream bbpf_cli_file;
#ifdef BBPF_CLI_INIT	/* nothing in them ever changes: read-only data */
extern const bbpf_cli_file bbpf_cli_stdout, bbpf_cli_stderr;
#define BBPF_CLI_STDOUT	((bbpf_cli_file *)&bbpf_cli_stdout)
#define BBPF_CLI_STDERR	((bbpf_cli_file *)&bbpf_cli_stderr)
#else
extern bbpf_cli_file bbpf_cli_stdout, bbpf_cli_stderr;
#define BBPF_CLI_STDOUT	(&bbpf_cli_stdout)
#define BBPF_CLI_STDERR	(&bbpf_cli_stderr)
#endif
#else
typedef FILE bbpf_cli_file;
#define BBPF_CLI_STDOUT	stdout
#define BBPF_CLI_STDERR	stderr
#endif

/*
 * bbpf_cli_write(): the n bytes at p on f; 0, or -1 if a write failed (as
 * fwrite()). bbpf_cli_flush(): write out what f holds; 0, or -1 if any
 * write on f failed (fflush() || ferror()).
 */
#ifdef BBPF_CLI_STATIC
int bbpf_cli_write(bbpf_cli_file *f, const void *p, size_t n);
int bbpf_cli_flush(bbpf_cli_file *f);
#else
static inline int bbpf_cli_write(bbpf_cli_file *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

static inline int bbpf_cli_flush(bbpf_cli_file *f)
{
	return fflush(f) || ferror(f) ? -1 : 0;
}
#endif

struct bbpf_sys;

/*
 * Options common to every command, accepted anywhere on the line (as
 * bpftool's getopt does); handed down instead of being global.
 */
struct bbpf_cli_opts {
	bool json;	/* -j, --json */
	bool pretty;	/* -p, --pretty (implies json) */
	bool debug;	/* -d, --debug: every library message, as it comes */
	const char *base_btf;	/* -B, --base-btf FILE: base of split BTF */
	bool bpffs;	/* -f, --bpffs: show commands list the pinned paths */
	/* The real stderr: with -j, fd 2 is caught (main.c); run's status line goes here. */
	int stderr_fd;
	/* The kernel the kernel-object commands talk to: bbpf_sys_linux, or a test's table. */
	const struct bbpf_sys *sys;
};

struct bbpf_cli_cmd;

/* argv[0] is the command's own name; argc >= 1. */
typedef int (*bbpf_cli_handler)(const struct bbpf_cli_cmd *cmd,
				const struct bbpf_cli_opts *opts, int argc, char **argv);

struct bbpf_cli_cmd {
	const char *name;
	bbpf_cli_handler run;
	const char *usage;	/* "inspect OBJ [--json]": after "barebpf " */
	/* (the top-level commands' one-line summaries: help.txt's "NAME.sum", main.c) */
};

/*
 * Run the command named by argv[0] from cmds (exact name, or a unique
 * prefix as bpftool allows). "help" and unknown names are handled here.
 */
int bbpf_cli_dispatch(const struct bbpf_cli_cmd *cmds, size_t n,
		      const struct bbpf_cli_opts *opts, int argc, char **argv);

/*
 * Help texts (help.c): BBPF_CLI_HELP("NAME") stands for section NAME of
 * src/cli/help.txt, kept deflated; bbpf_cli_help_text() gives the text of
 * s (s itself if it is no such reference), inflated into b if it is one.
 */
#define BBPF_CLI_HELP(name)	"\1" name
#define BBPF_CLI_HELP_CAP	12288
struct bbpf_cli_help_buf {
	char text[BBPF_CLI_HELP_CAP];
};
const char *bbpf_cli_help_text(const char *s, struct bbpf_cli_help_buf *b);
/* "Usage: barebpf <cmd's usage>" and a newline on f. */
void bbpf_cli_help_usage(bbpf_cli_file *f, const struct bbpf_cli_cmd *cmd);

/* Print "barebpf: <fmt>" and the command's usage on stderr; returns 2. */
int bbpf_cli_usage_error(const struct bbpf_cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * As bbpf_cli_usage_error(), but with -j/-p the message is printed on stdout
 * as {"error":"..."} and nothing goes to stderr (bpftool's JSON contract).
 */
#ifdef BBPF_CLI_INIT	/* no JSON output: bbpf_cli_usage_error() itself */
#define bbpf_cli_usage_error_j(opts, cmd, ...) \
	((void)(opts), bbpf_cli_usage_error(cmd, __VA_ARGS__))
#else
int bbpf_cli_usage_error_j(const struct bbpf_cli_opts *opts, const struct bbpf_cli_cmd *cmd,
			   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif

/* Print "barebpf: <fmt>" on stderr as one line. */
void bbpf_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * fprintf()/vfprintf() through bbpf_vsnprintf() (integers and strings, no
 * floating point), so the static CLI carries no libc printf core.
 */
int bbpf_cli_fprintf(bbpf_cli_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bbpf_cli_vfprintf(bbpf_cli_file *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The whole command line (argv[0] is the program), against the kernel behind sys. */
int bbpf_cli_main(int argc, char **argv, const struct bbpf_sys *sys);

/* Apply one option common to every command (-j, -p, -d, -f, or a cluster "-jp"); false if arg is none. */
bool bbpf_cli_common_opt(struct bbpf_cli_opts *opts, const char *arg);

/* ---- commands (one file each) ---- */
int bbpf_cli_inspect(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv);
int bbpf_cli_prog(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		  int argc, char **argv);
/* prog with only loadall and load: the init build's (BBPF_CLI_INIT), and its usage. */
int bbpf_cli_prog_init(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv);
extern const char bbpf_cli_prog_init_usage[];
int bbpf_cli_run(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		 int argc, char **argv);
/* "btf dump" (btf.c), routed by the "btf" table in btf_show.c. */
int bbpf_cli_btf_dump(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		      int argc, char **argv);

/* "gen skeleton" (gen.c): bpftool's skeleton header. */
int bbpf_cli_gen(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		 int argc, char **argv);
extern const char bbpf_cli_gen_usage[];

/* Usage lines of the commands with subcommands (one "barebpf ..." per line). */
extern const char bbpf_cli_prog_usage[], bbpf_cli_map_usage[], bbpf_cli_link_usage[],
	bbpf_cli_btf_usage[], bbpf_cli_cgroup_usage[], bbpf_cli_struct_ops_usage[],
	bbpf_cli_perf_usage[], bbpf_cli_feature_usage[], bbpf_cli_iter_usage[];

/* Kernel objects, with bpftool's grammar and output (kobj.h has the shared parts). */
int bbpf_cli_map(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		 int argc, char **argv);
int bbpf_cli_link(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		  int argc, char **argv);
/* "btf": show/list here (btf_show.c); the table also routes "btf dump". */
int bbpf_cli_btf(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		 int argc, char **argv);
int bbpf_cli_perf(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		  int argc, char **argv);
int bbpf_cli_cgroup(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		    int argc, char **argv);
int bbpf_cli_struct_ops(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			int argc, char **argv);
int bbpf_cli_iter(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		  int argc, char **argv);
int bbpf_cli_feature(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv);
/* "prog" subcommands other than loadall (prog_show.c, prog_dump.c). */
int bbpf_cli_prog_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv);
int bbpf_cli_prog_dump(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv);
int bbpf_cli_prog_test_run(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv);

/* ---- attaching (attach_args.h has the shared parts) ---- */
/* "net show|list|attach|detach" (net.c; show: net_show.c) */
int bbpf_cli_net(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		 char **argv);
int bbpf_cli_net_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		      char **argv);
/* "cgroup attach" and "cgroup detach" by the row's name (cgroup_attach.c), rows of the cgroup table (cgroup.c) */
int bbpf_cli_cgroup_attach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv);
/* "prog attach|detach" (prog_attach.c), rows of the prog table */
int bbpf_cli_prog_attach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv);
int bbpf_cli_prog_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv);
extern const char bbpf_cli_net_usage[];

/*
 * BPF helper names by id (helpers.c): bbpf_cli_helpers_load() inflates the
 * table into h (0 or -EINVAL); bbpf_cli_helper_name() is NULL past its end.
 */
#define BBPF_CLI_HELPERS_CAP 4608
struct bbpf_cli_helpers {
	unsigned int cnt;
	char names[BBPF_CLI_HELPERS_CAP];
};
int bbpf_cli_helpers_load(struct bbpf_cli_helpers *h);
const char *bbpf_cli_helper_name(const struct bbpf_cli_helpers *h, unsigned int id);
/*
 * The static builds' strerror() (main.c): musl 1.2's texts as deflated message
 * tokens (src/base/msgz.h), so musl's own table stays out; the result is only
 * ever an argument of a %s that bbpf_vsnprintf formats. The full build has
 * every text of musl, byte for byte; the init build a quarter of them, the
 * errors a loader meets (README "Static builds"), and others by name ("-ESTALE").
 */
#ifdef BBPF_CLI_STATIC
char *bbpf_cli_strerror(int err);
#define strerror bbpf_cli_strerror
#endif

#endif
