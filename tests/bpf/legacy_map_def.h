/* SPDX-License-Identifier: GPL-2.0 */
/* samples/bpf's map record (bpf_load.h), for the legacy SEC("maps") fixtures. */
#ifndef LEGACY_MAP_DEF_H
#define LEGACY_MAP_DEF_H

struct bpf_load_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
	unsigned int inner_map_idx;
	unsigned int numa_node;
};

#endif
