/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key and value types of dump_types.bpf.c, shared with the user-space test
 * that fills the maps (tests/diff/test_dump_bpftool.c): the same layout on
 * the BPF target and on x86-64 (checked there against the map's BTF).
 */
#ifndef DUMP_TYPES_H
#define DUMP_TYPES_H

#include <linux/types.h>

typedef unsigned int u32_t;
typedef u32_t counter_t;

enum color { RED = 0, GREEN = 1, BLUE = 2, NEG = -3 };

enum __attribute__((packed)) small_enum { S_A = 1, S_B = 200 };

enum wide { W_LO = 1, W_HI = 0xffffffff00000000ULL };

struct flags {
	unsigned int a : 1;
	unsigned int b : 3;
	unsigned int c : 7;	/* straddles bytes 0 and 1 */
	int d : 5;		/* signed */
	unsigned long long e : 40;	/* straddles a 32-bit unit */
	int f : 12;
};

struct inner {
	short s;
	unsigned char uc;
	signed char sc;
};

union both {
	__u32 word;
	__u8 bytes[4];
};

struct key {
	__u32 id;
	char name[12];
};

struct value {
	__u8 u8v;
	__s8 s8v;
	__u16 u16v;
	__s16 s16v;
	__u32 u32v;
	__s32 s32v;
	__u64 u64v;
	__s64 s64v;
	_Bool flag;
	char ch;
	char nonprint;
	char str[16];		/* NUL-terminated */
	char raw[4];		/* no NUL: an array of chars */
	char weird[8];		/* a control byte: not a string */
	counter_t typed;
	const volatile __u32 cv;
	__u32 arr[3];
	__u16 grid[2][3];
	enum color col;
	enum color col_unknown;
	enum small_enum small;
	enum wide wide;
	enum wide wide_unknown;
	struct flags bits;
	struct inner in;
	union both u;
	struct {
		int x;
		union {
			int y;
			__u16 yy;
		};
	};
	void *ptr;
	struct inner *iptr;
	unsigned __int128 big;
	__int128 sbig;
	struct {} empty;
	__u32 tail[0];
};

struct fval {
	__u32 before;
	float f;
	__u32 after;
};

/* A value larger than the printer's fixed budgets (1 Mi nodes): 1 MiB + 64 KiB of bytes. */
struct big {
	__u8 b[(1 << 20) + (1 << 16)];
};

struct pcpu_val {
	__u64 packets;
	__u32 small;
};

#endif
