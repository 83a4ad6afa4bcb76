/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF as C: the names types are printed with: their own, or "name___N" when
 * N - 1 earlier types took the name in its C namespace (struct/union/enum
 * tags; typedefs and enumerators). See dump_c.h.
 */
#include <errno.h>
#include <string.h>
#include "dump_c_int.h"
#include "../base/fmt.h"

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

int bbpf_dump_c_names_init(struct bbpf_dump_c *d, struct bbpf_dump_c_names *m, uint64_t keys)
{
	uint32_t cap = 16;

	while (cap < 2 * keys)
		cap *= 2;
	m->key = bbpf_arena_calloc(d->arena, cap, sizeof(*m->key));
	m->cnt = bbpf_arena_calloc(d->arena, cap, sizeof(*m->cnt));
	m->cap = cap;
	return m->key && m->cnt ? 0 : -ENOMEM;
}

/* One more occurrence of name; its count. Sized at init for every key. */
static uint32_t names_bump(struct bbpf_dump_c *d, struct bbpf_dump_c_names *m, const char *name)
{
	uint32_t mask = m->cap - 1, i = hash_str(name) & mask, n;

	for (n = 0; n < m->cap; n++, i = (i + 1) & mask) {
		if (!m->key[i]) {
			m->key[i] = name;
			m->used++;
			return m->cnt[i] = 1;
		}
		if (!strcmp(m->key[i], name))
			return ++m->cnt[i];
	}
	bbpf_dump_c_fail(d, -ENOMEM, 0);
	return 1;
}

/*
 * The name type id is printed with: "" if anonymous, else its own, or
 * "name___N" (cut to 255 bytes, as libbpf's buffer does) when N > 1.
 */
const char *bbpf_dump_c_names_resolve(struct bbpf_dump_c *d, uint32_t id, struct bbpf_dump_c_names *m,
				 char buf[BBPF_DUMP_C_NAME_LEN])
{
	const struct btf_type *t = bbpf_dump_c_t(d, id);
	const char *name;
	uint32_t kind;

	if (!t || !t->name_off)
		return "";
	name = bbpf_dump_c_str(d, t->name_off);
	if (!d->dup[id]) {
		kind = bbpf_btf_kind(t);
		/* Forward declarations and empty enums never clash. */
		if (kind == BTF_KIND_FWD || (kind == BTF_KIND_ENUM && !bbpf_btf_vlen(t)))
			d->dup[id] = 1;
		else
			d->dup[id] = names_bump(d, m, name);
	}
	if (d->dup[id] <= 1)
		return name;
	bbpf_snprintf(buf, BBPF_DUMP_C_NAME_LEN, "%s___%u", name, d->dup[id]);
	return buf;
}

void bbpf_dump_c_names_put_type(struct bbpf_dump_c *d, uint32_t id)
{
	char buf[BBPF_DUMP_C_NAME_LEN];

	bbpf_dump_c_puts(d, bbpf_dump_c_names_resolve(d, id, &d->type_names, buf));
}

void bbpf_dump_c_names_put_ident(struct bbpf_dump_c *d, uint32_t id)
{
	char buf[BBPF_DUMP_C_NAME_LEN];

	bbpf_dump_c_puts(d, bbpf_dump_c_names_resolve(d, id, &d->ident_names, buf));
}

const char *bbpf_dump_c_names_ident(struct bbpf_dump_c *d, uint32_t id, char buf[BBPF_DUMP_C_NAME_LEN])
{
	return bbpf_dump_c_names_resolve(d, id, &d->ident_names, buf);
}

uint32_t bbpf_dump_c_names_enumerator(struct bbpf_dump_c *d, const char *name)
{
	return names_bump(d, &d->ident_names, name);
}
