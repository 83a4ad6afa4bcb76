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

/* Largest --kconfig file read (a distribution .config is ~250 KiB). */
#define BBPF_CLI_KCONFIG_MAX	(16u << 20)

/*
 * Library messages, printed as they come: warnings (and the verifier log of a
 * failed load, which the library sends as warnings) as "barebpf: <msg>";
 * with --debug every level, as "barebpf: <level>: <msg>".
 */
void bbpf_cli_log(void *ctx, enum bbpf_log_level level, const char *msg);

/* A loaded object and its context. */
struct bbpf_cli_obj {
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	char *kconfig;		/* text of --kconfig FILE, or NULL */
	bool debug;
	/* hold: warnings are kept (the last in held) instead of printed, unless debug */
	bool hold;
	char held[256];
};

/*
 * Read the kconfig file (if any), make the context and open path. Prints the
 * reason on failure; returns 0 or BBPF_CLI_EXIT_FAIL.
 */
int bbpf_cli_obj_open(struct bbpf_cli_obj *o, const char *path, const char *kconfig_path,
		      const char *btf_path);
/* Load; prints the reason on failure. 0 or BBPF_CLI_EXIT_FAIL. */
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
