/* SPDX-License-Identifier: BSD-2-Clause */
/* see map_dump.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_dump.h"
#include "../dump/dump_map.h"
#include "../kern/kern.h"

bool bbpf_cli_map_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static bool walkable(enum bpf_map_type t)
{
	switch ((int)t) {
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return false;
	default:
		return true;
	}
}

/* bpftool's text for a failed lookup, from its errno. */
static const char *lookup_error(void *ctx, int err, char *text)
{
	(void)ctx;
	(void)text;
	switch (err) {
	case -ENOENT:
		return "<no entry>";
	case -EOPNOTSUPP:
		return "Operation not supported";
	case -EPERM:
		return "Operation not permitted";
	default:
		return "<cannot read>";
	}
}

int bbpf_cli_map_walk(const struct bbpf_sys *sys, int fd, struct bbpf_dump_map *dm, void *key,
		      void *val, size_t vlen, bbpf_cli_map_err_fn *err_text, void *ctx)
{
	char text[64];
	const char *t;
	void *prev = NULL;
	int err;

	for (;;) {
		err = bbpf_cmd_map_next_key(sys, fd, prev, key);	/* in place after the first */
		if (err)
			return err;
		err = bbpf_cmd_map_lookup(sys, fd, key, val, 0);
		if (!err)
			bbpf_dump_map_entry(dm, key, val, vlen);
		else if ((t = err_text(ctx, err, text)))
			bbpf_dump_map_entry_error(dm, key, t);
		prev = key;
	}
}

int bbpf_cli_map_dump(const struct bbpf_sys *sys, int fd, const struct bbpf_cli_map_desc *d,
		      enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_out *out)
{
	struct bbpf_dump_map_info info = {
		.key_size = d->key_size, .value_size = d->value_size,
		.btf = d->btf, .key_type_id = d->key_type_id, .value_type_id = d->value_type_id,
		.btf_id = d->btf && d->value_type_id ? 1 : 0,
	};
	struct bbpf_dump_map dm;
	size_t vlen = d->value_size;
	uint8_t *val;
	int err;

	if (!walkable(d->type))
		return -EOPNOTSUPP;
	if (bbpf_cli_map_percpu(d->type)) {
		info.n_cpus = d->n_cpus;
		vlen = (((size_t)d->value_size + 7) & ~(size_t)7) * d->n_cpus;
	}
	/* one block: the value, the key */
	val = calloc(1, vlen + (size_t)d->key_size + 1);
	if (!val)
		return -ENOMEM;
	err = bbpf_dump_map_begin(&dm, out, fmt, &info);
	if (err) {
		free(val);
		return err;
	}
	err = bbpf_cli_map_walk(sys, fd, &dm, val + vlen, val, vlen, lookup_error, NULL);
	if (err == -ENOENT)
		err = 0;
	/* the frame is closed even after an error, as bpftool's */
	{
		int end = bbpf_dump_map_end(&dm);

		err = err ?: end;
	}
	free(val);
	return err;
}
