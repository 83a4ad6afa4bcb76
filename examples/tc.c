// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tc: attach tc.bpf.c's program to a device's ingress with the classic
 * tc API (clsact qdisc, cls_bpf filter handle 1 priority 1), print the
 * packet counts once a second, detach on Ctrl-C or after -t SECONDS.
 *   tc [-t SECONDS] [IFNAME]   (default lo)
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "tc.skel.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1, .priority = 1);
	const char *ifname = "lo";
	bool created = false;
	struct tc_bpf *skel;
	int i, seconds = -1, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else
			ifname = argv[i];
	}
	hook.ifindex = if_nametoindex(ifname);
	if (!hook.ifindex) {
		fprintf(stderr, "No such device: %s\n", ifname);
		return 1;
	}
	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	skel = tc_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	/* the clsact qdisc may exist already: then it is left in place */
	err = bpf_tc_hook_create(&hook);
	if (!err)
		created = true;
	if (err && err != -EEXIST) {
		fprintf(stderr, "Failed to create TC hook: %d\n", err);
		goto cleanup;
	}
	opts.prog_fd = bpf_program__fd(skel->progs.tc_ingress);
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		fprintf(stderr, "Failed to attach TC: %d\n", err);
		goto cleanup;
	}
	printf("Successfully started! Attached to %s ingress (handle %u priority %u)\n", ifname,
	       opts.handle, opts.priority);
	fflush(stdout);
	for (i = 0; !exiting && (seconds < 0 || i < seconds); i++) {
		sleep(1);
		printf("packets: %llu ipv4: %llu\n", skel->bss->packets, skel->bss->ipv4_packets);
		fflush(stdout);
	}
	opts.flags = opts.prog_fd = opts.prog_id = 0;
	err = bpf_tc_detach(&hook, &opts);
	if (err)
		fprintf(stderr, "Failed to detach TC: %d\n", err);
	printf("total packets: %llu ipv4: %llu\n", skel->bss->packets, skel->bss->ipv4_packets);
cleanup:
	/* both attach points: the qdisc itself goes (one alone only flushes its filters) */
	if (created) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
	tc_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
