/* SPDX-License-Identifier: BSD-2-Clause */
/* A whole map as `bpftool map dump` prints it (text, -j, -p), with or without BTF. */
#ifndef BBPF_CLI_MAP_DUMP_H
#define BBPF_CLI_MAP_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "../dump/dump.h"
#include "../dump/dump_value.h"

struct bbpf_sys;
struct bbpf_dump_map;

struct bbpf_cli_map_desc {
	enum bpf_map_type type;
	uint32_t key_size, value_size;
	uint32_t n_cpus;		/* possible CPUs, for per-CPU maps */
	const struct bbpf_btf *btf;	/* NULL: bytes only */
	uint32_t key_type_id, value_type_id;
};

/*
 * Walk the map (fd) with BPF_MAP_GET_NEXT_KEY and print every element;
 * an element whose lookup fails is printed as bpftool prints it. 0, or a
 * negative errno (-EOPNOTSUPP for maps without keys to walk: ring buffers,
 * queues, stacks, perf event arrays of fds).
 */
int bbpf_cli_map_dump(const struct bbpf_sys *sys, int fd, const struct bbpf_cli_map_desc *d,
		      enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_out *out);

/* The text of an element whose lookup failed with err (text: 64 bytes to use), NULL: no element. */
typedef const char *bbpf_cli_map_err_fn(void *ctx, int err, char *text);

/*
 * Print every element of the map (fd) into dm, walking it with
 * BPF_MAP_GET_NEXT_KEY into key (its key_size bytes) and looking each up
 * into val (vlen bytes); an element whose lookup fails gets err_text's
 * text. The walk's last error: -ENOENT after the last element.
 */
int bbpf_cli_map_walk(const struct bbpf_sys *sys, int fd, struct bbpf_dump_map *dm, void *key,
		      void *val, size_t vlen, bbpf_cli_map_err_fn *err_text, void *ctx);

/* A per-CPU map type (a value per possible CPU, each rounded up to 8 bytes)? */
bool bbpf_cli_map_percpu(uint32_t type);

#endif
