/* SPDX-License-Identifier: BSD-2-Clause */
/* see net_env.h */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>

#include "net_env.h"
#include "proc_run.h"

#define CGROUP2_ROOT "/sys/fs/cgroup/unified"

static char *vsh(const char *fmt, va_list ap)
{
	char cmd[1024];

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	return proc_capture(cmd);
}

char *net_env_sh(const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	out = vsh(fmt, ap);
	va_end(ap);
	return out;
}

int net_env_run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

const char *net_env_enter(struct net_env *e, const char *tag)
{
	static unsigned int seq;	/* test-only: names unique within the process */
	char path[128];
	int fd;

	memset(e, 0, sizeof(*e));
	e->orig_ns = -1;
	snprintf(e->name, sizeof(e->name), "bbpf_%s_%d_%u", tag, (int)getpid(), seq++);
	if (net_env_run("ip netns add %s", e->name))
		return "ip netns add failed (iproute2 missing?)";
	e->ns_made = true;
	if (net_env_run("ip -n %s link set lo up && ip -n %s link add va type veth peer name vb"
			" && ip -n %s link set va up && ip -n %s link set vb up",
			e->name, e->name, e->name, e->name))
		return "cannot make the veth pair in the namespace";
	e->orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", e->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->orig_ns < 0 || fd < 0 || setns(fd, CLONE_NEWNET)) {
		if (fd >= 0)
			close(fd);
		return "cannot enter the namespace";
	}
	close(fd);
	e->inside = true;
	e->va = (int)if_nametoindex("va");
	e->vb = (int)if_nametoindex("vb");
	if (!e->va || !e->vb)
		return "veth devices not found in the namespace";
	return NULL;
}

void net_env_leave(struct net_env *e)
{
	if (e->inside && e->orig_ns >= 0)
		setns(e->orig_ns, CLONE_NEWNET);
	e->inside = false;
	if (e->orig_ns >= 0)
		close(e->orig_ns);
	e->orig_ns = -1;
	if (e->ns_made)
		net_env_run("ip netns del %s", e->name);
	e->ns_made = false;
	if (e->cgroup[0]) {
		/* a test child may still be leaving it */
		for (int i = 0; i < 100 && rmdir(e->cgroup) && errno == EBUSY; i++)
			usleep(10000);
		e->cgroup[0] = '\0';
	}
}

const char *net_env_cgroup(struct net_env *e)
{
	struct stat st;

	if (stat(CGROUP2_ROOT "/cgroup.procs", &st))
		return "no cgroup v2 at " CGROUP2_ROOT;
	snprintf(e->cgroup, sizeof(e->cgroup), "%s/%s", CGROUP2_ROOT, e->name);
	if (mkdir(e->cgroup, 0755)) {
		e->cgroup[0] = '\0';
		return "cannot make the test's cgroup";
	}
	return NULL;
}

static uint16_t ip_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

int net_env_send_frames(int ifindex, int n)
{
	uint8_t f[14 + 20 + 8 + 16] = { 0 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = ifindex, .sll_halen = 6 };
	uint16_t c;
	int fd, i, sent = 0;

	memset(f, 0xff, 6);				/* broadcast */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	f[12] = 0x08;					/* IPv4 */
	f[14] = 0x45;
	f[16] = 0;
	f[17] = 20 + 8 + 16;
	f[22] = 64;					/* ttl */
	f[23] = 17;					/* UDP */
	memcpy(f + 26, "\x0a\x63\x00\x01\x0a\x63\x00\x02", 8);
	c = ip_csum(f + 14, 20);
	f[24] = (uint8_t)(c >> 8);
	f[25] = (uint8_t)c;
	f[34] = 0x27; f[35] = 0x0f;			/* 9999 */
	f[36] = 0x27; f[37] = 0x0f;
	f[39] = 8 + 16;
	memset(sll.sll_addr, 0xff, 6);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		f[42] = (uint8_t)i;	/* different payloads */
		if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&sll, sizeof(sll)) ==
		    (ssize_t)sizeof(f))
			sent++;
	}
	close(fd);
	return sent;
}

unsigned long long net_env_wait(const volatile unsigned long long *cnt, unsigned long long want,
				int ms)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int i;

	for (i = 0; i < ms / 5 && *cnt < want; i++)
		nanosleep(&ts, NULL);
	return *cnt;
}
