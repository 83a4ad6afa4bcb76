/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* sockfilter.h: what sockfilter.bpf.c reports per IPv4 packet. */
#ifndef SOCKFILTER_H
#define SOCKFILTER_H

struct so_event {
	unsigned int src_addr;	/* network byte order */
	unsigned int dst_addr;
	unsigned int ip_proto;
	unsigned int pkt_type;
	unsigned int ifindex;
};

#endif
