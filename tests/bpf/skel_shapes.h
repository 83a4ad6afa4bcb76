/* SPDX-License-Identifier: BSD-2-Clause */
/* Types shared by skel_shapes.bpf.c and the programs that include its skeleton. */
#ifndef SKEL_SHAPES_H
#define SKEL_SHAPES_H

struct shape_bits {
	unsigned int a : 3;
	unsigned int b : 13;
	int c : 7;
	unsigned char d;
	unsigned long long e : 40;
};

struct shape_pair {
	char tag;
	long long val;
};

typedef struct shape_pair shape_pair_t;

#endif
