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

/* Options given before the command; handed down instead of being global. */
struct bbpf_cli_opts {
	bool json;	/* -j, --json */
	bool pretty;	/* -p, --pretty (implies json) */
	bool debug;	/* -d, --debug: every library message, as it comes */
	const char *base_btf;	/* -B, --base-btf FILE: base of split BTF */
};

struct bbpf_cli_cmd;

/* argv[0] is the command's own name; argc >= 1. */
typedef int (*bbpf_cli_handler)(const struct bbpf_cli_cmd *cmd,
				const struct bbpf_cli_opts *opts, int argc, char **argv);

struct bbpf_cli_cmd {
	const char *name;
	bbpf_cli_handler run;
	const char *usage;	/* "inspect OBJ [--json]": after "barebpf " */
	const char *summary;	/* one line for the command list */
};

/*
 * Run the command named by argv[0] from cmds (exact name, or a unique
 * prefix as bpftool allows). "help" and unknown names are handled here.
 */
int bbpf_cli_dispatch(const struct bbpf_cli_cmd *cmds, size_t n,
		      const struct bbpf_cli_opts *opts, int argc, char **argv);

/* Print "barebpf: <fmt>" and the command's usage on stderr; returns 2. */
int bbpf_cli_usage_error(const struct bbpf_cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "barebpf: <fmt>" on stderr as one line. */
void bbpf_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * fprintf()/vfprintf() through bbpf_vsnprintf() (integers and strings, no
 * floating point), so the static CLI carries no libc printf core.
 */
int bbpf_cli_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int bbpf_cli_vfprintf(FILE *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Apply one option common to every command (-j, -p, -d); false if arg is none. */
bool bbpf_cli_common_opt(struct bbpf_cli_opts *opts, const char *arg);

/* ---- commands (one file each) ---- */
int bbpf_cli_inspect(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv);
int bbpf_cli_prog(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		  int argc, char **argv);
/* prog with only loadall: the init build's (BBPF_CLI_INIT). */
int bbpf_cli_prog_init(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv);
int bbpf_cli_run(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		 int argc, char **argv);
int bbpf_cli_btf(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		 int argc, char **argv);

/* ---- attaching (attach_args.h has the shared parts) ---- */
/* "net attach|detach" (net.c) */
int bbpf_cli_net(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		 char **argv);
/* "cgroup attach|detach" (cgroup_attach.c); bbpf_cli_cgroup dispatches until the merge */
int bbpf_cli_cgroup(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv);
int bbpf_cli_cgroup_attach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv);
int bbpf_cli_cgroup_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv);
/* "prog attach|detach" (prog_attach.c), rows of the prog table */
int bbpf_cli_prog_attach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv);
int bbpf_cli_prog_detach(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv);
extern const char bbpf_cli_net_usage[], bbpf_cli_cgroup_usage[];

#endif
