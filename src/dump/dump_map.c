// SPDX-License-Identifier: BSD-2-Clause
/* see dump_map.h */
#include <errno.h>
#include <string.h>
#include "dump_map.h"
#include "../base/fmt.h"

static bool is_json(const struct bbpf_dump_map *d)
{
	return d->fmt != BBPF_DUMP_VALUE_PLAIN;
}

static bool per_cpu(const struct bbpf_dump_map *d)
{
	return d->info.n_cpus != 0;
}

__attribute__((noinline))
static bool formatted(const struct bbpf_dump_map *d)
{
	return d->info.btf && d->info.value_type_id;
}

static uint64_t stride(const struct bbpf_dump_map *d)
{
	return ((uint64_t)d->info.value_size + 7) & ~(uint64_t)7;
}

static void raw(struct bbpf_dump_map *d, const char *s)
{
	bbpf_dump_json_raw_str(&d->j, s);
}

/* bpftool's fprint_hex: 16 bytes a line, two spaces after the 8th. */
static void hex_plain(struct bbpf_dump_map *d, const uint8_t *p, uint32_t n)
{
	char buf[4];
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (i)
			raw(d, i % 8 ? " " : i % 16 ? "  " : "\n");
		bbpf_dump_json_fmt_hex(buf, p[i], 2);
		bbpf_dump_json_raw(&d->j, buf, 2);
	}
}

/* bpftool's print_hex_data_json: ["0x00","0x01"]. */
static void hex_json(struct bbpf_dump_map *d, const uint8_t *p, uint32_t n)
{
	char buf[6] = { '"', '0', 'x', 0, 0, '"' };
	uint32_t i;

	bbpf_dump_json_start_array(&d->j);
	for (i = 0; i < n; i++) {
		bbpf_dump_json_fmt_hex(buf + 3, p[i], 2);
		bbpf_dump_json_value(&d->j, buf, sizeof(buf));
	}
	bbpf_dump_json_end_array(&d->j);
}

__attribute__((noinline))
static int value_write(struct bbpf_dump_map *d, bool plain, uint32_t type_id, const void *data,
		       size_t len)
{
	struct bbpf_dump_value_opts o = {
		.max_nodes = d->info.max_nodes,
		.max_out = d->info.max_out,
	};

	return bbpf_dump_value_write(&d->j, plain, d->info.btf, type_id, data, len, &o);
}

/* A value as hex bytes (JSON, plain < 0) or through its BTF (plain 0 or 1). */
static int one_value(struct bbpf_dump_map *d, int plain, const uint8_t *p)
{
	if (plain < 0) {
		hex_json(d, p, d->info.value_size);
		return 0;
	}
	return value_write(d, plain, d->info.value_type_id, p, d->info.value_size);
}

/* "value": ..., or per CPU "values": [{"cpu": N, "value": ...}, ...]. */
static int values(struct bbpf_dump_map *d, int plain, const uint8_t *value)
{
	uint32_t i;
	int err = 0;

	if (!per_cpu(d)) {
		bbpf_dump_json_name(&d->j, "value");
		return one_value(d, plain, value);
	}
	bbpf_dump_json_name(&d->j, "values");
	bbpf_dump_json_start_array(&d->j);
	for (i = 0; i < d->info.n_cpus && !err; i++) {
		bbpf_dump_json_start_object(&d->j);
		bbpf_dump_json_name(&d->j, "cpu");
		bbpf_dump_json_i64(&d->j, i);
		bbpf_dump_json_name(&d->j, "value");
		err = one_value(d, plain, value + i * stride(d));
		bbpf_dump_json_end_object(&d->j);
	}
	bbpf_dump_json_end_array(&d->j);
	return err;
}

/* bpftool's do_dump_btf: {"key": ..., "value": ...} or "values" per CPU. */
static int dump_btf(struct bbpf_dump_map *d, bool plain, const uint8_t *key, const uint8_t *value)
{
	int err = 0;

	bbpf_dump_json_start_object(&d->j);
	if (d->info.key_type_id) {
		bbpf_dump_json_name(&d->j, "key");
		err = value_write(d, plain, d->info.key_type_id, key, d->info.key_size);
	}
	if (!err)
		err = values(d, plain, value);
	bbpf_dump_json_end_object(&d->j);
	return err;
}

/* An entry's object opened, its "key" as hex bytes. */
static void key_json(struct bbpf_dump_map *d, const uint8_t *key)
{
	bbpf_dump_json_start_object(&d->j);
	bbpf_dump_json_name(&d->j, "key");
	hex_json(d, key, d->info.key_size);
}

/* bpftool's print_entry_json. */
static int entry_json(struct bbpf_dump_map *d, const uint8_t *key, const uint8_t *value)
{
	int err = 0;

	key_json(d, key);
	values(d, -1, value);
	if (formatted(d)) {
		bbpf_dump_json_name(&d->j, "formatted");
		err = dump_btf(d, false, key, value);
	}
	bbpf_dump_json_end_object(&d->j);
	return err;
}

/*
 * bpftool's "key: 00 01  value: 02 03" of a vlen-byte value, or with msg
 * (print_entry_error_msg) the message in the value's place.
 */
static void kv_plain(struct bbpf_dump_map *d, const uint8_t *key, const uint8_t *value,
		     uint64_t vlen, const char *msg)
{
	uint32_t ks = d->info.key_size;
	bool brk = ks > 16 || vlen > 16;
	bool one_line = ks + vlen <= 24 && !brk;

	if (ks || msg) {
		raw(d, brk ? "key:\n" : "key: ");
		hex_plain(d, key, ks);
		raw(d, one_line ? "  " : "\n");
	}
	if (vlen || msg) {
		raw(d, brk ? "value:\n" : "value: ");
		if (msg)
			raw(d, msg);
		else
			hex_plain(d, value, (uint32_t)vlen);
	}
	raw(d, "\n");
}

/* bpftool's print_entry_plain. */
static void entry_plain(struct bbpf_dump_map *d, const uint8_t *key, const uint8_t *value)
{
	uint32_t ks = d->info.key_size, vs = d->info.value_size, i;
	char buf[40];

	if (!per_cpu(d)) {
		kv_plain(d, key, value, vs, NULL);
		return;
	}
	if (ks) {
		raw(d, "key:\n");
		hex_plain(d, key, ks);
		raw(d, "\n");
	}
	for (i = 0; vs && i < d->info.n_cpus; i++) {
		bbpf_snprintf(buf, sizeof(buf), "value (CPU %02u):%c", i, vs > 16 ? '\n' : ' ');
		raw(d, buf);
		hex_plain(d, value + i * stride(d), vs);
		raw(d, "\n");
	}
}

static int start(struct bbpf_dump_map *d, const struct bbpf_dump_out *out,
		 enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_map_info *info, bool single)
{
	if (!d || !out || !out->write || !info)
		return -EINVAL;
	if (fmt != BBPF_DUMP_VALUE_PLAIN && fmt != BBPF_DUMP_VALUE_JSON &&
	    fmt != BBPF_DUMP_VALUE_JSON_PRETTY)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->info = *info;
	d->fmt = fmt;
	/* n_cpus * round_up(value_size, 8) must be a size_t: both are 32-bit. */
	if (info->n_cpus && stride(d) > SIZE_MAX / info->n_cpus)
		return -EINVAL;
	d->framed = fmt == BBPF_DUMP_VALUE_PLAIN && (info->btf_id || formatted(d));
	bbpf_dump_json_init(&d->j, out, fmt != BBPF_DUMP_VALUE_JSON, 0);
	d->open = true;
	d->single = single;
	if (!single && (is_json(d) || d->framed))
		bbpf_dump_json_start_array(&d->j);
	return 0;
}

int bbpf_dump_map_begin(struct bbpf_dump_map *d, const struct bbpf_dump_out *out,
			enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_map_info *info)
{
	return start(d, out, fmt, info, false);
}

int bbpf_dump_map_begin_in(struct bbpf_dump_map *d, const struct bbpf_dump_out *out,
			   enum bbpf_dump_value_fmt fmt, const struct bbpf_dump_map_info *info,
			   uint32_t depth)
{
	bool json = fmt != BBPF_DUMP_VALUE_PLAIN;
	int err = start(d, out, fmt, info, json);

	/* JSON: no frame of its own ("single"), items depth containers deep */
	if (!err && json)
		d->j.depth = depth;
	return err;
}

static size_t value_need(const struct bbpf_dump_map *d)
{
	return per_cpu(d) ? (size_t)(stride(d) * d->info.n_cpus) : d->info.value_size;
}

int bbpf_dump_map_entry(struct bbpf_dump_map *d, const void *key, const void *value,
			size_t value_len)
{
	int err = 0;

	if (!d || !d->open || (d->info.key_size && !key) || value_len < value_need(d) ||
	    (value_need(d) && !value))
		return -EINVAL;
	if (is_json(d))
		err = entry_json(d, key, value);
	else if (formatted(d))
		err = dump_btf(d, true, key, value);
	else
		entry_plain(d, key, value);
	d->count++;
	bbpf_dump_json_flush(&d->j);
	return err;
}

int bbpf_dump_map_entry_error(struct bbpf_dump_map *d, const void *key, const char *msg)
{
	if (!d || !d->open || (d->info.key_size && !key) || !msg)
		return -EINVAL;
	if (is_json(d)) {
		key_json(d, key);
		bbpf_dump_json_name(&d->j, "value");
		bbpf_dump_json_start_object(&d->j);
		bbpf_dump_json_name(&d->j, "error");
		bbpf_dump_json_string(&d->j, msg);
		bbpf_dump_json_end_object(&d->j);
		bbpf_dump_json_end_object(&d->j);
	} else {
		kv_plain(d, key, NULL, strlen(msg), msg);
	}
	bbpf_dump_json_flush(&d->j);
	return 0;
}

int bbpf_dump_map_end(struct bbpf_dump_map *d)
{
	char buf[48];

	if (!d || !d->open)
		return -EINVAL;
	d->open = false;
	if (d->single) {
		/* a lookup's entry ends the document; begin_in's stay inside one */
		if ((is_json(d) || formatted(d)) && !d->j.depth)
			raw(d, "\n");
	} else if (is_json(d) || d->framed) {
		bbpf_dump_json_end_array(&d->j);
		raw(d, "\n");
	} else {
		bbpf_snprintf(buf, sizeof(buf), "Found %u element%s\n", d->count,
			      d->count != 1 ? "s" : "");
		raw(d, buf);
	}
	bbpf_dump_json_flush(&d->j);
	return d->j.full ? -E2BIG : 0;
}

int bbpf_dump_map_lookup(const struct bbpf_dump_out *out, enum bbpf_dump_value_fmt fmt,
			 const struct bbpf_dump_map_info *info, const void *key,
			 const void *value, size_t value_len)
{
	struct bbpf_dump_map d;
	int err, err2;

	err = start(&d, out, fmt, info, true);
	if (err)
		return err;
	err = bbpf_dump_map_entry(&d, key, value, value_len);
	if (err == -EINVAL && !d.count) {
		d.open = false;
		return err;
	}
	err2 = bbpf_dump_map_end(&d);
	return err ? err : err2;
}
