/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* bootstrap.h: the event record bootstrap.bpf.c sends to user space. */
#ifndef BOOTSTRAP_H
#define BOOTSTRAP_H

#define TASK_COMM_LEN	16
#define MAX_FILENAME_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned exit_code;
	unsigned long long duration_ns;
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	_Bool exit_event;
};

#endif
