/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the attach commands (net attach|detach, cgroup attach|detach, prog
 * attach|detach) share, with bpftool's grammar and messages:
 *  - PROG := id N | pinned PATH | tag TAG | name NAME and
 *    MAP := id N | pinned PATH | name NAME (keywords by prefix, as bpftool's
 *    is_prefix(); a name or tag must match exactly one object);
 *  - errors: bpftool's text, as one "barebpf: <command>: <text>" line on
 *    stderr, or with -j {"error":"<text>"} on stdout and nothing on stderr;
 *    success with -j prints null (bpftool's jsonw_null); exit 0, 1 or 2
 *    (usage);
 *  - a library context whose warnings (the kernel's extended ack of a
 *    netlink request, ...) go to stderr unless -j; with -d every message.
 */
#ifndef BBPF_CLI_ATTACH_ARGS_H
#define BBPF_CLI_ATTACH_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <barebpf/attach.h>

#include "cli.h"

struct bbpf_cli_att {
	struct bbpf_cli_opts opts_buf;	/* the global options and those among the words */
	const struct bbpf_cli_opts *opts;	/* &opts_buf */
	const struct bbpf_cli_cmd *cmd;
	const char *what;	/* "net attach" */
	struct bbpf_ctx *ctx;
	/* the words left: argv[0] is the next one */
	int argc;
	char **argv;
};

/*
 * Start: -j/-p/-d found among the words are taken out (bpftool takes its
 * options anywhere); the context made. 0, or the exit status (reported).
 */
int bbpf_cli_att_open(struct bbpf_cli_att *a, const struct bbpf_cli_opts *opts,
		      const struct bbpf_cli_cmd *cmd, const char *what, int argc, char **argv);
/* End: success (null with -j) if ret is 0; the context freed. Returns ret. */
int bbpf_cli_att_close(struct bbpf_cli_att *a, int ret);

/* A failure in bpftool's words; returns BBPF_CLI_EXIT_FAIL. */
int bbpf_cli_att_err(struct bbpf_cli_att *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A usage error (the usage line follows without -j); returns BBPF_CLI_EXIT_USAGE. */
int bbpf_cli_att_usage(struct bbpf_cli_att *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* bpftool's REQ_ARGS(n): at least n words left, else the usage error (0 or the status). */
int bbpf_cli_att_need(struct bbpf_cli_att *a, int n);
/* No words left: 0, else the usage error ("unexpected 'WORD'") and its status. */
int bbpf_cli_att_end(struct bbpf_cli_att *a);
/* bpftool's is_prefix(): arg is a non-empty prefix of word. */
bool bbpf_cli_att_kw(const char *arg, const char *word);
/* The next word (consumed), NULL at the end. */
const char *bbpf_cli_att_next(struct bbpf_cli_att *a);

/* PROG or MAP, consumed: a fd (the caller closes it), or minus the exit status (reported). */
int bbpf_cli_att_prog(struct bbpf_cli_att *a);
int bbpf_cli_att_map(struct bbpf_cli_att *a);

/* dev NAME, consumed: the ifindex, or minus the exit status (reported). */
int bbpf_cli_att_dev(struct bbpf_cli_att *a);

/*
 * bpftool's attach type words for "cgroup" (every attach type's name,
 * exactly, or by prefix its traditional one: "ingress", "connect4", ...)
 * and for "prog" (sk_msg_verdict, sk_skb_stream_parser, ... exactly;
 * msg_verdict, stream_parser, ... by prefix). -1 if none.
 */
int bbpf_cli_att_cgroup_type(const char *s);
int bbpf_cli_att_prog_type(const char *s);

/* strerror() of a negative errno. */
const char *bbpf_cli_att_strerror(int err);

#endif
