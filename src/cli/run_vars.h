/* SPDX-License-Identifier: BSD-2-Clause */
/* `run`'s global variables (run_vars.c). */
#ifndef BBPF_CLI_RUN_VARS_H
#define BBPF_CLI_RUN_VARS_H

#include <stddef.h>
#include <barebpf/loader.h>

struct bbpf_cli_out;

/*
 * One --set NAME=VALUE into the initial value. NAME may be a path through
 * the object's BTF (cfg.port, targ[2], cfg.ids[1]). An integer for an
 * integer, enum or pointer, text (NUL-padded, must fit) for a char array,
 * refused for anything else; without BTF an integer for a 1/2/4/8-byte
 * variable, otherwise (or when VALUE is in double quotes) text. Prints the reason on failure; 0 or a negative errno.
 */
int bbpf_cli_run_set(struct bbpf_object *obj, const char *arg);
/* A --show NAME (or path: cfg.port, targ[2]) names something? 0, or -1 with the reason printed. */
int bbpf_cli_run_var_check(struct bbpf_object *obj, const char *name);
/* The --show variables after the run, from the mapped global data (or a lookup). */
void bbpf_cli_run_show(struct bbpf_cli_out *o, struct bbpf_object *obj, const char *const *names,
		       size_t cnt);

#endif
