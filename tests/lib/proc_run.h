/* SPDX-License-Identifier: BSD-2-Clause */
/* Running programs from tests: a child with captured output, or a shell pipe. */
#ifndef BBPF_TEST_PROC_RUN_H
#define BBPF_TEST_PROC_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct proc_run {
	int status;	/* as from waitpid() */
	char *out;	/* stdout, NUL-terminated */
	char *err;	/* stderr, NUL-terminated */
};

/* argv[0] is a path; argv is NULL-terminated. 0 or -errno (spawn failed). */
int proc_run(char *const argv[], struct proc_run *r);
void proc_run_free(struct proc_run *r);

/* Output of "sh -c cmd" (stdout only); NULL if the pipe failed. */
char *proc_capture(const char *cmd);

/* The first of names that "command -v" finds, or NULL. */
const char *proc_find_tool(const char *const *names, size_t n);

/* Number of '\n' in s. */
size_t proc_line_count(const char *s);

#endif
