/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Map entries the way bpftool 7.1 prints them (`bpftool map dump`, and
 * `bpftool map lookup` for a single entry), given the bytes: this layer
 * does no lookups itself.
 *
 * BBPF_DUMP_VALUE_PLAIN, map without BTF: hex bytes, "key: 00 01 ..  value:
 * ..", on one line when key and value together take at most 24 bytes and
 * neither more than 16, else "key:" and "value:" each on a line of their
 * own; 16 bytes a line with a double space after the 8th; per-CPU maps
 * print "value (CPU NN):" per CPU. A dump ends with "Found N element(s)".
 * BBPF_DUMP_VALUE_PLAIN, map with BTF: every entry as a pretty
 * {"key": ..., "value": ...} object (per-CPU: "values": [{"cpu": 0,
 * "value": ...}, ...]) in bpftool's plain-text value syntax, the dump
 * framed as a JSON array "[{...},{...}\n]" and no "Found" line.
 * BBPF_DUMP_VALUE_JSON / _JSON_PRETTY (bpftool -j / -p): every entry as
 * {"key": ["0x00", ...], "value": ["0x.."...]} (per-CPU: "values":
 * [{"cpu": 0, "value": [...]}, ...]) plus, with BTF, "formatted": the
 * object the plain mode prints, in JSON syntax; the dump is an array.
 * Every document ends with a newline, as bpftool's writer ends.
 *
 * An entry whose lookup failed prints as bpftool prints it: plain "key:
 * ..  value: <msg>", JSON {"key": [...], "value": {"error": "<msg>"}};
 * the caller gives the message (bpftool: "<no entry>" for ENOENT, else
 * strerror()), and skips ENOENT on prog arrays and maps of maps as bpftool
 * does. Failed entries are not counted.
 *
 * Pure: base and parse only (see dump_value.h for the value rules and
 * bounds).
 */
#ifndef BBPF_DUMP_MAP_H
#define BBPF_DUMP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dump.h"
#include "dump_json.h"
#include "dump_value.h"
#include "../parse/btf.h"

/* What bpftool takes from struct bpf_map_info, plus the BTF it loads. */
struct bbpf_dump_map_info {
	uint32_t key_size;
	uint32_t value_size;
	/*
	 * bpf_map_info.btf_id: a plain-text dump of a map that has one is
	 * framed as a JSON array even where an entry cannot be formatted.
	 */
	uint32_t btf_id;
	/*
	 * The map's BTF; formatting happens when it is set and
	 * value_type_id is not 0 (as bpftool loads BTF only then). A key
	 * type id of 0 leaves the key out of the formatted object.
	 */
	const struct bbpf_btf *btf;
	uint32_t key_type_id;
	uint32_t value_type_id;	/* btf_vmlinux_value_type_id ?: btf_value_type_id */
	/* Per-CPU maps: the number of possible CPUs; 0 for other maps. */
	uint32_t n_cpus;
	/* Value printing options (fmt and partial are ignored; 0: defaults). */
	uint64_t max_nodes;
	uint64_t max_out;
};

struct bbpf_dump_map {
	struct bbpf_dump_json j;
	struct bbpf_dump_map_info info;
	enum bbpf_dump_value_fmt fmt;
	bool framed;		/* plain text inside a JSON array (map with BTF) */
	bool single;		/* one entry, no array/"Found" around it */
	bool open;
	uint32_t count;		/* entries printed (failed lookups excluded) */
};

/*
 * Start a whole dump: "[" for JSON and BTF plain text, nothing for plain
 * hex. -EINVAL for a bad fmt, NULL out/info, per-CPU sizes that overflow.
 */
int bbpf_dump_map_begin(struct bbpf_dump_map *d, const struct bbpf_dump_out *out,
			enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_map_info *info);
/*
 * bbpf_dump_map_begin() for entries that go inside another writer's
 * document: in JSON they are the items of an array that writer has open,
 * depth (at least 1) containers deep, without a frame of their own (end
 * adds nothing); plain text is as bbpf_dump_map_begin()'s.
 */
int bbpf_dump_map_begin_in(struct bbpf_dump_map *d, const struct bbpf_dump_out *out,
			   enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_map_info *info,
			   uint32_t depth);
/*
 * One entry: key_size bytes at key; value_len must be value_size, or for
 * per-CPU maps n_cpus * round_up(value_size, 8) (bpftool's buffer).
 * 0, -EINVAL (misuse; nothing printed), or the value printer's error (the
 * entry is still printed and counted, as bpftool does).
 */
int bbpf_dump_map_entry(struct bbpf_dump_map *d, const void *key, const void *value,
			size_t value_len);
/* An entry whose lookup failed with the message msg. */
int bbpf_dump_map_entry_error(struct bbpf_dump_map *d, const void *key, const char *msg);
/* "]\n", or "Found N element(s)\n". Flushes. -E2BIG if output was cut by max_out. */
int bbpf_dump_map_end(struct bbpf_dump_map *d);

/* One entry as `bpftool map lookup` prints it (no frame; a newline after JSON). */
int bbpf_dump_map_lookup(const struct bbpf_dump_out *out, enum bbpf_dump_value_fmt fmt,
			 const struct bbpf_dump_map_info *info, const void *key,
			 const void *value, size_t value_len);

#endif
