/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers shared by the commands that load objects into the kernel
 * ("prog loadall", "run"): the log callback, the kconfig file, opening an
 * object with a context, and the trace file system.
 */
#ifndef BBPF_CLI_LOAD_UTIL_H
#define BBPF_CLI_LOAD_UTIL_H

#include <barebpf/loader.h>

#include "cli.h"

/* Largest --kconfig file read (a distribution .config is ~250 KiB): 16 MiB - 2 bytes. */
#define BBPF_CLI_KCONFIG_MAX	((16u << 20) - 2)

/*
 * Library messages: warnings (and the verifier log of a failed load, which
 * the library sends as warnings) as "barebpf: <msg>", each held back until
 * the next one or the end, so that a failure is reported on one line (the
 * library's, bbpf_cli_obj_fail); with --debug every level as it comes, as
 * "barebpf: <level>: <msg>". ctx is the struct bbpf_cli_obj.
 */
void bbpf_cli_log(void *ctx, enum bbpf_log_level level, const char *msg);
/* With --debug: "barebpf: warning: msg" (info, debug; "log" past those). */
void bbpf_cli_log_debug(enum bbpf_log_level level, const char *msg);

/* A loaded object and its context. */
struct bbpf_cli_obj {
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	bool debug;
	/* --skip PROG and --map NAME.FIELD=N, applied before load (argv pointers). */
	const char **tweaks;
	size_t tweak_cnt;
	/* The last library warning, held back (see bbpf_cli_log). */
	char held[1024];
};

/*
 * "--skip"/"skip" PROG or "--map"/"map" NAME.FIELD=N (FIELD: max_entries,
 * value_size, key_size, type; what follows the last dot): checked and kept
 * for bbpf_cli_obj_load. Returns 1 if opt is one of these (*i advanced past
 * its value), 0 if not, BBPF_CLI_EXIT_USAGE (message printed) if malformed.
 */
int bbpf_cli_obj_tweak_opt(struct bbpf_cli_obj *o, const struct bbpf_cli_cmd *cmd, int argc,
			   char **argv, int *i, bool words);

/*
 * A failure the library caused: its held-back warning is the one line if
 * there is one (it names the object, map or program and says why), else
 * "barebpf: <fmt>".
 */
void bbpf_cli_obj_fail(struct bbpf_cli_obj *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print the held-back warning, if any. */
void bbpf_cli_obj_flush(struct bbpf_cli_obj *o);

/*
 * Read the kconfig file (if any), make the context and open path. Prints the
 * reason on failure; returns 0 or BBPF_CLI_EXIT_FAIL.
 */
int bbpf_cli_obj_open(struct bbpf_cli_obj *o, const char *path, const char *kconfig_path,
		      const char *btf_path);
/* "barebpf: PATH: <errno text> (<what is wrong, where>)" for a failed open. */
void bbpf_cli_open_error(const char *path, int err, const struct bbpf_diag *d);
/* Apply --skip and --map, then load; prints the reason on failure. 0 or BBPF_CLI_EXIT_FAIL. */
int bbpf_cli_obj_load(struct bbpf_cli_obj *o, const char *path);
/* Close the object (detaching what it holds), free the context. */
void bbpf_cli_obj_close(struct bbpf_cli_obj *o);

/*
 * The directory of tracefs: /sys/kernel/tracing, mounting tracefs there when
 * neither it nor /sys/kernel/debug/tracing is mounted. NULL (reason printed)
 * if that fails.
 */
const char *bbpf_cli_tracefs(void);

#endif
