/* SPDX-License-Identifier: BSD-2-Clause */
/* Running a program whose pid the test needs to know (proc_run() hides it). */
#ifndef BBPF_TEST_PROC_SPAWN_PID_H
#define BBPF_TEST_PROC_SPAWN_PID_H

#include <sys/types.h>

/*
 * Run argv (argv[0] a path, NULL-terminated) with stdout and stderr captured
 * in *out and *err (NUL-terminated, caller frees both) and its pid in *pid.
 * Returns its exit code, -signal if a signal ended it, or -1000 if it could
 * not be run (then *out and *err are NULL).
 */
int proc_spawn_pid(char *const argv[], pid_t *pid, char **out, char **err);

#endif
