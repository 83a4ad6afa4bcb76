/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The stop signals of the commands that run until interrupted (run, map
 * event_pipe): blocked, and asked for between waits, instead of caught by
 * a handler. musl's sigaction() and its signal-return trampoline cost
 * ~700 B of the static binary for two callers; two raw syscalls do it.
 * A blocked SIGPIPE stays pending, so a closed stdout ends in EPIPE.
 */
#ifndef BBPF_CLI_STOP_SIG_H
#define BBPF_CLI_STOP_SIG_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>

/* The bit of a signal in a kernel signal set. */
#define BBPF_CLI_SIG(s)	((uint64_t)1 << ((s) - 1))

/* Block the signals of mask (BBPF_CLI_SIG bits). */
void bbpf_cli_stop_sig_block(uint64_t mask);
/* One of the signals of mask has come (and waits, blocked)? */
bool bbpf_cli_stop_sig_pending(uint64_t mask);

#endif
