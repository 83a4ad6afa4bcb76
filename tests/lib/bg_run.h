/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A program run in the background with its stdout and stderr in temporary
 * files, for tests that act while it runs (`barebpf run` streaming).
 */
#ifndef TK_BG_RUN_H
#define TK_BG_RUN_H

#include <stdbool.h>
#include <sys/types.h>

struct bg_run {
	pid_t pid;
	char out[64], err[64];	/* temp files */
	bool ended;		/* reaped already (status in status) */
	int status;
};

/* Start argv (argv[0] a path, NULL-terminated). Aborts the test binary if it cannot. */
void bg_start(struct bg_run *b, char *const argv[]);
/* Wait up to timeout_ms for text to appear in its stderr; false if it did not. */
bool bg_wait_stderr(struct bg_run *b, const char *text, int timeout_ms);
/*
 * Wait for it to end; its exit status (as waitpid), stdout and stderr
 * (malloc'ed, NUL-terminated; the temp files are removed).
 */
int bg_finish(struct bg_run *b, char **out, char **err);
/* The whole file, malloc'ed and NUL-terminated; NULL if unreadable. */
char *bg_slurp(const char *path);
void bg_sleep_ms(long ms);

#endif
