// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sockfilter: a raw AF_PACKET socket on a device with sockfilter.bpf.c's
 * program attached (SO_ATTACH_BPF); prints each IPv4 packet the filter
 * reports. Ctrl-C or -t SECONDS ends it.
 *   sockfilter [-t SECONDS] [IFNAME]   (default lo)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sockfilter.h"
#include "sockfilter.skel.h"

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

static const char *proto_name(unsigned p)
{
	switch (p) {
	case IPPROTO_ICMP: return "ICMP";
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	default: return "other";
	}
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct so_event *e = data;
	char ifname[IF_NAMESIZE] = "?", src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if_indextoname(e->ifindex, ifname);
	inet_ntop(AF_INET, &e->src_addr, src, sizeof(src));
	inet_ntop(AF_INET, &e->dst_addr, dst, sizeof(dst));
	printf("interface: %s\tprotocol: %s\t%s -> %s\t(pkt_type %u)\n", ifname,
	       proto_name(e->ip_proto), src, dst, e->pkt_type);
	fflush(stdout);
	return 0;
}

static int open_raw_sock(const char *name)
{
	struct sockaddr_ll sll;
	int sock;

	sock = socket(PF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (sock < 0)
		return -errno;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(name);
	sll.sll_protocol = htons(ETH_P_ALL);
	if (!sll.sll_ifindex || bind(sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(sock);
		return -ENODEV;
	}
	return sock;
}

int main(int argc, char **argv)
{
	const char *ifname = "lo";
	struct ring_buffer *rb = NULL;
	struct sockfilter_bpf *skel;
	int i, sock = -1, prog_fd, seconds = -1, err;
	time_t end = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else
			ifname = argv[i];
	}
	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	skel = sockfilter_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer\n");
		goto cleanup;
	}
	sock = open_raw_sock(ifname);
	if (sock < 0) {
		err = sock;
		fprintf(stderr, "Failed to open raw socket on %s: %d\n", ifname, err);
		goto cleanup;
	}
	prog_fd = bpf_program__fd(skel->progs.socket_handler);
	if (setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd))) {
		err = -errno;
		fprintf(stderr, "Failed to attach to raw socket: %d\n", err);
		goto cleanup;
	}
	printf("Successfully started! Listening on %s\n", ifname);
	fflush(stdout);
	if (seconds >= 0)
		end = time(NULL) + seconds;
	err = 0;
	while (!exiting && (!end || time(NULL) < end)) {
		err = ring_buffer__poll(rb, 100 /* ms */);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "Error polling ring buffer: %d\n", err);
			break;
		}
		err = 0;
	}
cleanup:
	if (sock >= 0)
		close(sock);
	ring_buffer__free(rb);
	sockfilter_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
