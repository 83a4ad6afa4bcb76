/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building and running examples/ from tests: the build with a given
 * skeleton generator and library (examples/Makefile's variables), and one
 * check per example that generates the activity it reports (an exec, a
 * call of the probed function, packets in a private network namespace)
 * and looks for the events in its output. Each check returns NULL on
 * success or a malloc'ed description of what was missing.
 */
#ifndef BBPF_TEST_EXAMPLES_RUN_H
#define BBPF_TEST_EXAMPLES_RUN_H

#define EX_APPS "minimal bootstrap uprobe usdt task_iter tc sockfilter kprobe"

/* The examples that run here (kprobe needs kprobes: the 6.1 guest only). */
extern const char *const ex_run_apps[7];

/* Run examples/Makefile with args (targets and variables); its output, or NULL if make failed. */
char *ex_make(const char *args);

/* Build the examples with barebpf (the top-level `make examples`); 0 or -1. */
int ex_build_barebpf(void);

/* Run app from dir and check its output; NULL or what went wrong. */
char *ex_check(const char *dir, const char *app);

/* Size of a file, -1 if missing. */
long ex_file_size(const char *path);

#endif
