/* SPDX-License-Identifier: BSD-2-Clause */
/* `run`'s global variables (run_vars.c). */
#ifndef BBPF_CLI_RUN_VARS_H
#define BBPF_CLI_RUN_VARS_H

#include <stddef.h>
#include <barebpf/loader.h>

struct bbpf_cli_out;

/*
 * One --set NAME=VALUE into the initial value: an integer for a 1/2/4/8-byte
 * variable, otherwise (or when VALUE is in double quotes) a string, NUL-padded,
 * that must fit. Prints the reason on failure; 0 or a negative errno.
 */
int bbpf_cli_run_set(struct bbpf_object *obj, const char *arg);
/* The --show variables after the run, from the mapped global data (or a lookup). */
void bbpf_cli_run_show(struct bbpf_cli_out *o, struct bbpf_object *obj, const char *const *names,
		       size_t cnt);

#endif
