/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf map { show | list } [MAP]
 * barebpf map dump MAP
 * barebpf map { lookup | getnext } MAP [key [hex] BYTES]
 * barebpf map update MAP key [hex] BYTES value VALUE [any | noexist | exist]
 * barebpf map delete MAP key [hex] BYTES
 * barebpf map pin MAP FILE
 * barebpf map create FILE type TYPE key KEY_SIZE value VALUE_SIZE entries N
 *                    name NAME [flags F] [inner_map MAP] [dev NAME]
 * barebpf map freeze MAP
 * barebpf map event_pipe MAP [cpu N index M] (map_event.c)
 * barebpf map { push | enqueue } MAP value [hex] BYTES
 * barebpf map { pop | dequeue | peek } MAP
 *
 * Output as bpftool 7.1's. Keys and values are hex bytes in the same
 * layout (text: "key: 01 00 00 00  value: ..."; JSON: ["0x01",...]),
 * per-CPU values one per possible CPU. VALUE of a prog array is a PROG, of
 * a map-in-map a MAP. For maps with BTF, bpftool prints the values decoded
 * through their BTF types (text) or adds a "formatted" member (JSON); here
 * every map is shown in its hex form. Entries are printed by src/dump's
 * map printer (dump_map.h), the one `run` uses.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "kobj.h"
#include "map_dump.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../dump/dump_map.h"

#define ENOENT_MSG	"<no entry>"

const char bbpf_cli_map_usage[] = BBPF_CLI_HELP("map");

static bool of_maps(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* One map operation: the map, its info, its key and value buffers. */
struct mop {
	struct bbpf_cli_kobj *k;
	int fd;
	struct bpf_map_info info;
	void *key, *value, *next;	/* next: getnext's answer; one allocation at value */
	uint32_t step, cpus;	/* per-CPU maps: round_up(value_size, 8), possible CPUs */
	size_t vsize;		/* the value buffer's */
	/* src/dump's map entry printer (bpftool's print_entry_*) on k->out */
	struct bbpf_dump_map_info di;
	struct bbpf_dump_out out;
	enum bbpf_dump_value_fmt fmt;
};

/* bpftool's buffers: key_size bytes, value_size (per-CPU: step * CPUs). */
static int mop_alloc(struct mop *m)
{
	int cpus = 1;
	size_t vsize;

	m->step = (m->info.value_size + 7) & ~7u;
	if (bbpf_cli_map_percpu(m->info.type)) {
		cpus = bbpf_ctx_possible_cpus(m->k->ctx);
		if (cpus <= 0)
			return bbpf_cli_kobj_errno(m->k, cpus < 0 ? cpus : -EINVAL,
						   "cannot get the number of possible CPUs");
		vsize = (size_t)m->step * (size_t)cpus;
		m->di.n_cpus = (uint32_t)cpus;
	} else {
		vsize = m->info.value_size;
	}
	m->cpus = (uint32_t)cpus;
	m->vsize = vsize;
	m->di.key_size = m->info.key_size;
	m->di.value_size = m->info.value_size;
	m->out.write = bbpf_cli_json_fwrite;
	m->out.ctx = m->k->out;
	m->fmt = !m->k->json ? BBPF_DUMP_VALUE_PLAIN :
		 m->k->j.d.pretty ? BBPF_DUMP_VALUE_JSON_PRETTY : BBPF_DUMP_VALUE_JSON;
	/* one block: the value, the key, the next key */
	m->value = calloc(1, vsize + 2 * (size_t)m->info.key_size + 1);
	if (!m->value)
		return bbpf_cli_kobj_err(m->k, "out of memory");
	m->key = (uint8_t *)m->value + vsize;
	m->next = (uint8_t *)m->key + m->info.key_size;
	return 0;
}

static void mop_free(struct mop *m)
{
	if (m->fd >= 0)
		bbpf_cli_kobj_fdclose(m->k, m->fd);
	free(m->value);
}

/* The map of fd (or of the error -fd, reported) and its info; 0 or the exit status (reported). */
static int mop_init(struct mop *m, struct bbpf_cli_kobj *k, int fd)
{
	int err;

	memset(m, 0, sizeof(*m));
	m->k = k;
	m->fd = fd;
	if (fd < 0)
		return -fd;
	err = bbpf_cli_kobj_info(k, fd, &m->info, sizeof(m->info));
	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get map info");
	return mop_alloc(m);
}

/* ---- entries ---- */

/* A key: "label:\n01 02 ...\n" (none: "label: None"), or JSON "jkey": ["0x01",...] (null). */
static void key_lines(struct bbpf_cli_kobj *k, const char *label, const char *jkey, const void *p,
		      uint32_t n)
{
	if (k->json) {
		bbpf_cli_json_key(&k->j, jkey);
		if (p)
			bbpf_cli_json_bytes(&k->j, p, n, true);
		else
			bbpf_cli_json_null(&k->j);
	} else if (!p) {
		bbpf_cli_kobj_printf(k, "%s: None\n", label);
	} else {
		bbpf_cli_kobj_printf(k, "%s:\n", label);
		bbpf_cli_kobj_hex(k->out, p, n);
		bbpf_cli_kobj_printf(k, "\n");
	}
}

/* The text of an entry whose value cannot be read (bpftool's print_entry_error()), NULL: none. */
static const char *entry_error(void *ctx, int err, char *text)
{
	const struct mop *m = ctx;

	/* strerror(): a %s token in the static builds, for bbpf_vsnprintf only */
	bbpf_snprintf(text, 64, "%s", bbpf_cli_kobj_strerror(err));
	/* An empty slot of a prog array or map-in-map is no error. */
	if ((of_maps(m->info.type) || m->info.type == BPF_MAP_TYPE_PROG_ARRAY) && err == -ENOENT)
		return NULL;
	/* JSON: strerror() always */
	if (!m->k->json && err == -ENOENT)
		return ENOENT_MSG;
	if (!m->k->json && err == -ENOSPC && m->info.type == BPF_MAP_TYPE_REUSEPORT_SOCKARRAY)
		return "<cannot read>";
	return text;
}

/* ---- arguments: key, value, flags ---- */

/* kobj.c: a whole number in base (0 as strtoul's, 16) up to max; 0, -EINVAL or -ERANGE. */
int bbpf_cli_kobj_num(const char *s, unsigned int base, uint32_t max, uint32_t *v);

/* A byte as strtoul(s, 0) (or strtoul(s, 16) after "hex") reads it, 0..255. */
static int parse_byte(const char *s, bool hex, uint8_t *b)
{
	uint32_t v = 0;
	int err;

	if (hex) {
		err = bbpf_cli_kobj_num(s, 16, 0xff, &v);
		if (err)
			return err;
	} else if (bbpf_cli_kobj_num(s, 0, UINT32_MAX, &v)) {
		return -EINVAL;
	}
	if (v > 0xff)
		return -ERANGE;
	*b = (uint8_t)v;
	return 0;
}

/* [hex] followed by exactly n bytes. */
static int parse_bytes(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, const char *what,
		       uint8_t *out, uint32_t n)
{
	bool hex = false;
	uint32_t i;
	int err;

	if (a->c && bbpf_cli_kobj_kw(a->v[0], "hex")) {
		hex = true;
		bbpf_cli_argv_next(a);
	}
	for (i = 0; i < n; i++) {
		if (!a->c)
			return bbpf_cli_kobj_usage(k, "%s: expected %u bytes, got %u", what, n, i);
		err = parse_byte(a->v[0], hex, &out[i]);
		if (err)
			return bbpf_cli_kobj_usage(k, "%s: '%s' is not a byte%s", what, a->v[0],
						   err == -ERANGE ? " (0..255)" : "");
		bbpf_cli_argv_next(a);
	}
	return 0;
}

/*
 * bpftool's parse_elem(): "key BYTES", "value VALUE" and a flag, each at
 * most once and only where the operation takes it (want_key/want_value:
 * required; a NULL flags takes none).
 */
static int parse_elem(struct mop *m, struct bbpf_cli_argv *a, bool want_key, bool want_value,
		      uint64_t *flags, int *value_fd)
{
	/* the flags in BPF_ANY, BPF_NOEXIST, BPF_EXIST order */
	_Static_assert(BPF_ANY == 0 && BPF_NOEXIST == 1 && BPF_EXIST == 2, "update flags");
	static const char *const words[] = { "key", "value", "any", "noexist", "exist" };
	struct bbpf_cli_kobj *k = m->k;
	bool got[3] = { false, false, false };	/* key, value, a flag */
	const char *w;
	uint32_t i;
	int err, fd;

	while ((w = bbpf_cli_argv_next(a))) {
		for (i = 0; i < 5 && !bbpf_cli_kobj_kw(w, words[i]); i++)
			;
		if (i == 5)
			return bbpf_cli_kobj_usage(k, "expected key or value, got '%s'", w);
		if (i >= 2) {
			if (!flags || got[2])
				return bbpf_cli_kobj_usage(k, flags ? "flags given twice: %s" :
							   "'%s' is an update flag", w);
			*flags = i - 2;
			got[2] = true;
			continue;
		}
		/* queues and stacks have no key */
		if (!(i ? want_value : want_key) || got[i] ||
		    !(i ? m->info.value_size : m->info.key_size))
			return bbpf_cli_kobj_usage(k, "%s %s", got[i] ? "duplicate" : "unnecessary",
						   words[i]);
		got[i] = true;
		if (!i) {
			err = parse_bytes(k, a, "key", m->key, m->info.key_size);
		} else if (of_maps(m->info.type) || m->info.type == BPF_MAP_TYPE_PROG_ARRAY) {
			bool prog = m->info.type == BPF_MAP_TYPE_PROG_ARRAY;

			if (m->info.value_size != 4)
				return bbpf_cli_kobj_err(k, "a %s needs 4-byte values",
							 prog ? "prog array" : "map-in-map");
			if (a->c < 2)
				return bbpf_cli_kobj_usage(k, "value: expected a %s",
							   prog ? "PROG" : "MAP");
			fd = prog ? bbpf_cli_kobj_prog_fd(k, a) : bbpf_cli_kobj_map_fd(k, a);
			if (fd < 0)
				return -fd;
			*value_fd = fd;
			memcpy(m->value, &fd, 4);
			err = 0;
		} else {
			err = parse_bytes(k, a, "value", m->value, m->info.value_size);
			/* Per-CPU maps: the same value for every CPU. */
			for (i = 1; !err && bbpf_cli_map_percpu(m->info.type) && i < m->cpus; i++)
				memcpy((uint8_t *)m->value + (size_t)i * m->step, m->value,
				       m->info.value_size);
		}
		if (err)
			return err;
	}
	if (want_key && !got[0] && m->info.key_size)
		return bbpf_cli_kobj_usage(k, "key missing");
	if (want_value && !got[1])
		return bbpf_cli_kobj_usage(k, "value missing");
	return 0;
}

/* ---- show ---- */

static void header(struct bbpf_cli_kobj *k, const struct bpf_map_info *info)
{
	bbpf_cli_kobj_head(k, info->id, bbpf_map_type_str(info->type), info->type, info->name);
	if (k->json) {
		bbpf_cli_json_kv_i64(&k->j, "flags", (int32_t)info->map_flags);
		return;
	}
	bbpf_cli_kobj_printf(k, "flags 0x%x", info->map_flags);
	bbpf_cli_kobj_print_dev(k, info->ifindex, info->netns_dev, info->netns_ino);
	bbpf_cli_kobj_printf(k, "\n");
}

/* A number of /proc/self/fdinfo/<fd> (the kernel's decimal), as bpftool reads it. */
static bool fdinfo_num(struct bbpf_cli_kobj *k, int fd, const char *key, int64_t *v)
{
	char buf[32];

	if (bbpf_cli_kobj_fdinfo(k, fd, key, buf, sizeof(buf)))
		return false;
	*v = bbpf_cli_kobj_atoll(buf);
	return true;
}

static int show_map(struct bbpf_cli_kobj *k, int fd, const void *pins)
{
	bool has_memlock, has_type = false, has_jited = false;
	struct bpf_map_info mi, *info = &mi;
	int64_t frozen = 0, memlock = 0, owner_type = 0, owner_jited = 0;
	const char *ts = NULL;
	int err = bbpf_cli_kobj_info(k, fd, &mi, sizeof(mi));

	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get map info");
	has_memlock = fdinfo_num(k, fd, "memlock", &memlock);
	fdinfo_num(k, fd, "frozen", &frozen);
	if (info->type == BPF_MAP_TYPE_PROG_ARRAY) {
		has_type = fdinfo_num(k, fd, "owner_prog_type", &owner_type);
		has_jited = fdinfo_num(k, fd, "owner_jited", &owner_jited);
		if (has_type)
			ts = bbpf_prog_type_str((enum bpf_prog_type)owner_type);
	}
	bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
	header(k, info);
	if (k->json)	/* text: in the header line */
		bbpf_cli_kobj_print_dev(k, info->ifindex, info->netns_dev, info->netns_ino);
	bbpf_cli_kobj_u(k, "bytes_key", "\tkey %lluB  ", info->key_size);
	bbpf_cli_kobj_u(k, "bytes_value", "value %lluB  ", info->value_size);
	bbpf_cli_kobj_u(k, "max_entries", "max_entries %llu", info->max_entries);
	if (has_memlock)	/* the kernel's decimal number */
		bbpf_cli_kobj_u(k, "bytes_memlock", "  memlock %lluB", (uint64_t)memlock);
	if (!k->json && (has_type || has_jited))
		bbpf_cli_kobj_printf(k, "\n\t");
	if (has_type)
		bbpf_cli_kobj_named(k, "owner_prog_type", ts, (uint32_t)owner_type,
				    "owner_prog_type %s  ", "owner_prog_type %llu  ");
	if (k->json) {
		if (has_jited)
			bbpf_cli_json_kv_bool(&k->j, "owner_jited", owner_jited);
		bbpf_cli_json_kv_i64(&k->j, "frozen", frozen);
		if (info->btf_id)
			bbpf_cli_json_kv_i64(&k->j, "btf_id", (int32_t)info->btf_id);
		bbpf_cli_kobj_print_pinned(k, pins, info->id);
		bbpf_cli_json_obj_end(&k->j);
		return 0;
	}
	if (has_jited)
		bbpf_cli_kobj_printf(k, "owner%s jited", owner_jited ? "" : " not");
	bbpf_cli_kobj_print_pinned(k, pins, info->id);
	if (info->btf_id || frozen)
		bbpf_cli_kobj_printf(k, "\n\t");
	if (info->btf_id)
		bbpf_cli_kobj_printf(k, "btf_id %d", (int32_t)info->btf_id);
	if (frozen)
		bbpf_cli_kobj_printf(k, "%sfrozen", info->btf_id ? "  " : "");
	bbpf_cli_kobj_printf(k, "\n");
	return 0;
}

static int map_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_show_cmd(opts, BBPF_CLI_OBJ_MAP, "map show", argc, argv, show_map);
}

/* ---- dump ---- */

static int dump_one(struct mop *m, bool hdr)
{
	struct bbpf_cli_kobj *k = m->k;
	struct bbpf_dump_map dm;
	int err;

	if (hdr)
		bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
	if (hdr)
		header(k, &m->info);
	if (k->json && hdr)
		bbpf_cli_json_key(&k->j, "elements");
	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR);
	if (m->info.type == BPF_MAP_TYPE_REUSEPORT_SOCKARRAY && m->info.value_size != 8 && !k->json)
		bbpf_cli_err("map dump: warning: cannot read values from %s map with value_size != 8",
			     bbpf_map_type_str(m->info.type));
	bbpf_dump_map_begin_in(&dm, &m->out, m->fmt, &m->di, k->j.d.depth);
	err = bbpf_cli_map_walk(k->sys, m->fd, &dm, m->key, m->value, m->vsize, entry_error, m);
	bbpf_dump_map_end(&dm);	/* text: "Found N elements" */
	if (k->json)	/* the entries are items of k's open array */
		bbpf_cli_json_continue(&k->j, &dm.j);
	/* JSON: inside the elements array, so the output stays one document. */
	if (err != -ENOENT)
		return bbpf_cli_kobj_errno(k, err, "cannot get the next key");
	if (k->json) {
		bbpf_cli_json_arr_end(&k->j);
		if (hdr)
			bbpf_cli_json_obj_end(&k->j);
	}
	return 0;
}

static int map_dump(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_kobj k;
	struct mop m;
	int ret, *fds = NULL, n = 0, i;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "map dump", argc, argv);
	if (ret)
		return ret;
	if (a.c != 2) {
		ret = bbpf_cli_kobj_usage(&k, "expected MAP");
		goto out;
	}
	n = bbpf_cli_kobj_map_fds(&k, &a, &fds);
	if (n < 0) {
		ret = -n;
		n = 0;
		goto out;
	}
	if (n > 1)
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_ARR);
	for (i = 0; i < n && !ret; i++) {
		ret = mop_init(&m, &k, fds[i]);
		if (!ret)
			ret = dump_one(&m, n > 1);
		if (!ret && !k.json && i + 1 < n)
			bbpf_cli_kobj_printf(&k, "\n");
		m.fd = -1;	/* closed with fds */
		mop_free(&m);
	}
	/* JSON, n > 1: bbpf_cli_kobj_close() closes the array */
out:
	bbpf_cli_kobj_close_fds(&k, fds, n);
	free(fds);
	return bbpf_cli_kobj_close(&k, ret);
}

/* ---- element operations ---- */

enum elem_op { OP_LOOKUP, OP_UPDATE, OP_DELETE, OP_GETNEXT, OP_POP };

static int elem(const struct bbpf_cli_opts *opts, const char *what, enum elem_op op, int argc,
		char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_kobj k;
	static const char *const op_names[] = { "lookup", "update", "delete", "", "pop" };
	static const uint8_t cmds[] = { BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM,
					BPF_MAP_GET_NEXT_KEY, BPF_MAP_LOOKUP_AND_DELETE_ELEM };
	struct mop m = { .fd = -1 };
	uint64_t flags = BPF_ANY;
	void *key;
	int ret, err, value_fd = -1;
	bool has_key;

	ret = bbpf_cli_kobj_open(&k, opts, what, argc, argv);
	if (ret)
		return ret;
	if (a.c < 2) {
		ret = bbpf_cli_kobj_usage(&k, "expected MAP");
		goto out;
	}
	ret = mop_init(&m, &k, bbpf_cli_kobj_map_fd(&k, &a));
	if (ret)
		goto out;
	has_key = op != OP_GETNEXT || a.c > 0;
	if (op == OP_POP && a.c)
		ret = bbpf_cli_kobj_usage(&k, "unexpected '%s'", a.v[0]);
	else if (op != OP_POP && has_key)
		ret = parse_elem(&m, &a, true, op == OP_UPDATE, op == OP_UPDATE ? &flags : NULL,
				 &value_fd);
	if (ret)
		goto out;
	key = m.info.key_size && has_key ? m.key : NULL;
	/* one command, its attr's words: map_fd, key, value (or next_key), flags (update only) */
	err = bbpf_cmd_words(k.sys, cmds[op], BBPF_U32S(m.fd, 0), (uintptr_t)key,
			     op == OP_DELETE ? 0 : (uintptr_t)(op == OP_GETNEXT ? m.next : m.value),
			     flags);
	if (err == -ENOENT && (op == OP_LOOKUP || op == OP_POP)) {
		/* as bpftool: "Not found" (lookup) / null, and a failure status */
		if (k.json) {
			bbpf_cli_json_null(&k.j);
		} else if (op == OP_LOOKUP) {
			key_lines(&k, "key", "key", m.key, m.info.key_size);
			bbpf_cli_kobj_printf(&k, "\nNot found\n");
		} else {
			bbpf_cli_err("%s: empty map", what);
		}
		ret = BBPF_CLI_EXIT_FAIL;
	} else if (err && op == OP_GETNEXT) {
		ret = bbpf_cli_kobj_errno(&k, err, "cannot get the next key");
	} else if (err) {
		ret = bbpf_cli_kobj_errno(&k, err, "%s failed", op_names[op]);
	} else if (op == OP_LOOKUP || op == OP_POP) {
		bbpf_dump_map_lookup(&m.out, m.fmt, &m.di, m.key, m.value, m.vsize);
	} else if (op != OP_GETNEXT) {
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_NULL);
	} else {
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_OBJ);
		key_lines(&k, "key", "key", has_key ? m.key : NULL, m.info.key_size);
		key_lines(&k, "next key", "next_key", m.next, m.info.key_size);
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_OBJ_END);
	}
out:
	if (value_fd >= 0)
		bbpf_cli_kobj_fdclose(&k, value_fd);
	if (m.k)
		mop_free(&m);
	return bbpf_cli_kobj_close(&k, ret);
}

/* The element commands: usage is their elem_op's digit and the command ("1map update"). */
static int map_elem(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		    char **argv)
{
	return elem(opts, cmd->usage + 1, (enum elem_op)(cmd->usage[0] - '0'), argc, argv);
}

/* ---- pin, freeze, create ---- */

static int map_freeze(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		      int argc, char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_fd_cmd(opts, BBPF_CLI_OBJ_MAP, "map freeze", argc, argv,
				    bbpf_cmd_map_freeze, "cannot freeze the map");
}

static int map_create(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		      int argc, char **argv)
{
	/* the numbers and the type: keyword, what the messages call it, the field */
	static const struct {
		char kw[8], what[12];
		uint8_t off;
	} nums[] = {
		{ "key", "key size", offsetof(union bpf_attr, key_size) },
		{ "value", "value size", offsetof(union bpf_attr, value_size) },
		{ "entries", "max entries", offsetof(union bpf_attr, max_entries) },
		{ "flags", "flags", offsetof(union bpf_attr, map_flags) },
		{ "type", "map type", offsetof(union bpf_attr, map_type) },	/* by its name */
	};
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_kobj k;
	union bpf_attr attr;
	bool seen[5] = { false };	/* nums[] */
	const char *file, *name = NULL, *w, *v;
	int ret, fd, inner = -1;
	uint32_t i, *f;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "map create", argc, argv);
	if (ret)
		return ret;
	memset(&attr, 0, sizeof(attr));
	file = bbpf_cli_argv_next(&a);
	if (!file || a.c < 6) {
		ret = bbpf_cli_kobj_usage(&k, "expected FILE type TYPE key SIZE value SIZE entries N "
					  "name NAME");
		goto out;
	}
	while (!ret && (w = bbpf_cli_argv_next(&a))) {
		if (bbpf_cli_kobj_kw(w, "inner_map")) {
			if (inner >= 0) {
				ret = bbpf_cli_kobj_usage(&k, "%s given twice", "inner_map");
				break;
			}
			inner = bbpf_cli_kobj_map_fd(&k, &a);
			if (inner < 0)
				ret = -inner;
			continue;
		}
		v = bbpf_cli_argv_next(&a);
		for (i = 0; i < 5 && !bbpf_cli_kobj_kw(w, nums[i].kw); i++)
			;
		if (!v) {
			ret = bbpf_cli_kobj_usage(&k, "'%s' needs a value", w);
		} else if (i < 5) {
			f = (uint32_t *)((char *)&attr + nums[i].off);
			if (seen[i])
				ret = bbpf_cli_kobj_usage(&k, "%s given twice", nums[i].what);
			else if (i == 4 ? (int)(*f = (uint32_t)bbpf_map_type_from_str(v)) < 0 :
					  bbpf_cli_kobj_u32(v, f))
				ret = bbpf_cli_kobj_usage(&k, i == 4 ? "unknown map type '%s'" :
							  "cannot parse '%s' as %s", v, nums[i].what);
			seen[i] = true;
		} else if (bbpf_cli_kobj_kw(w, "name")) {
			name = v;
		} else if (bbpf_cli_kobj_kw(w, "dev")) {
			attr.map_ifindex = bbpf_cli_ifindex(v);
			if (!attr.map_ifindex)
				ret = bbpf_cli_kobj_err(&k, "unknown network device '%s'", v);
		} else {
			ret = bbpf_cli_kobj_usage(&k, "unknown argument '%s'", w);
		}
	}
	if (ret)
		goto out;
	if (!name) {
		ret = bbpf_cli_kobj_usage(&k, "map name not given (name NAME)");
		goto out;
	}
	attr.inner_map_fd = inner >= 0 ? (uint32_t)inner : 0;
	/* As libbpf's bpf_map_create(): the name cut at 15 characters. */
	bbpf_snprintf(attr.map_name, sizeof(attr.map_name), "%s", name);
	fd = bbpf_cmd_map_create(k.sys, &attr);
	if (fd < 0) {
		ret = bbpf_cli_kobj_errno(&k, fd, "cannot create the map");
		goto out;
	}
	ret = bbpf_cli_kobj_pin(&k, fd, file) ? BBPF_CLI_EXIT_FAIL : 0;
	bbpf_cli_kobj_fdclose(&k, fd);
	if (!ret && k.json)
		bbpf_cli_json_null(&k.j);
out:
	if (inner >= 0)
		bbpf_cli_kobj_fdclose(&k, inner);
	return bbpf_cli_kobj_close(&k, ret);
}

static const struct bbpf_cli_cmd map_cmds[] = {
	{ "show", map_show, "map show" },
	{ "list", map_show, "" },
	{ "dump", map_dump, "map dump" },
	{ "update", map_elem, "1map update" },
	{ "lookup", map_elem, "0map lookup" },
	{ "getnext", map_elem, "3map getnext" },
	{ "delete", map_elem, "2map delete" },
	{ "pin", bbpf_cli_kobj_pin_cmd, "map pin" },
	{ "create", map_create, "map create" },
	{ "peek", map_elem, "0map peek" },
	{ "push", map_elem, "1map push" },
	{ "enqueue", map_elem, "1map enqueue" },
	{ "pop", map_elem, "4map pop" },
	{ "dequeue", map_elem, "4map dequeue" },
	{ "freeze", map_freeze, "map freeze" },
	{ "event_pipe", bbpf_cli_map_event_pipe, "map event_pipe" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_map_usage },
};

int bbpf_cli_map(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		 char **argv)
{
	return bbpf_cli_kobj_dispatch(map_cmds, sizeof(map_cmds) / sizeof(map_cmds[0]), cmd, opts,
				      argc, argv);
}
