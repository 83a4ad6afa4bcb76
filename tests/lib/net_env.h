/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A private network for live attach tests: a network namespace named
 * "bbpf_<tag>_<pid>_<n>" (iproute2's `ip netns add`), with lo up and a veth
 * pair va/vb up inside, that this process enters (setns) until
 * net_env_leave(); a cgroup v2 directory of the same name; raw frames sent
 * out of either veth end (what leaves vb arrives at va's ingress). Nothing
 * here reaches a device outside the namespace. No cmocka dependency: the
 * functions return NULL or a reason.
 */
#ifndef BBPF_TEST_NET_ENV_H
#define BBPF_TEST_NET_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct net_env {
	char name[64];		/* netns (and cgroup) name */
	int orig_ns;		/* fd of the namespace we came from, -1 */
	bool ns_made, inside;
	int va, vb;		/* ifindexes in the namespace */
	char cgroup[256];	/* cgroup v2 directory path, "" until made */
};

/* Make the namespace and veth pair and enter it. NULL, or why not. */
const char *net_env_enter(struct net_env *e, const char *tag);
/* Back to the original namespace, namespace and cgroup removed. Safe to call twice. */
void net_env_leave(struct net_env *e);

/* A cgroup v2 directory for the test (e->cgroup); NULL or why not. */
const char *net_env_cgroup(struct net_env *e);

/*
 * n IPv4/UDP broadcast frames (10.99.0.1 -> 10.99.0.2, port 9999) out of
 * ifindex through an AF_PACKET socket. Frames sent: n, or -errno.
 */
int net_env_send_frames(int ifindex, int n);

/* Run "sh -c cmd" (in the current namespace); its stdout (malloc'ed), or NULL. */
char *net_env_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, exit status only (0 success). */
int net_env_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Wait up to ms for *cnt to reach at least want; the last value seen. */
unsigned long long net_env_wait(const volatile unsigned long long *cnt, unsigned long long want,
				int ms);

#endif
