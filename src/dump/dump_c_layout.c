/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF as C: sizes and alignment as libbpf's btf__resolve_size() and
 * btf__align_of() compute them, with the pointer size the BTF implies. See dump_c.h.
 */
#include <errno.h>
#include <string.h>
#include "dump_c_int.h"

#define MAX_RESOLVE	32u	/* libbpf's MAX_RESOLVE_DEPTH, for sizes */

static bool is_void_or_fwd(const struct btf_type *t)
{
	return !t || bbpf_btf_kind(t) == BTF_KIND_FWD;
}

int64_t bbpf_dump_c_layout_size(const struct bbpf_dump_c *d, uint32_t id)
{
	const struct btf_type *t = bbpf_dump_c_t(d, id);
	const struct btf_array *a;
	uint32_t nelems = 1, i;
	int64_t size = -1;

	for (i = 0; i < MAX_RESOLVE && !is_void_or_fwd(t); i++) {
		switch (bbpf_btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			size = t->size;
			goto done;
		case BTF_KIND_PTR:
			size = d->ptr_sz;
			goto done;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		case BTF_KIND_ARRAY:
			a = bbpf_btf_array(t);
			if (nelems && a->nelems > UINT32_MAX / nelems)
				return -E2BIG;
			nelems *= a->nelems;
			id = a->type;
			break;
		default:
			return -EINVAL;
		}
		t = bbpf_dump_c_t(d, id);
	}
done:
	if (size < 0)
		return -EINVAL;
	if (nelems && size > UINT32_MAX / nelems)
		return -E2BIG;
	return (int64_t)nelems * size;
}

/*
 * Alignment of a type that is not a struct/union, following modifiers,
 * typedefs and arrays; -1 with *id set when the chain ends at a struct or
 * union; 0 when unknown (void, fwd, function, a loop).
 */
static int align_leaf(const struct bbpf_dump_c *d, uint32_t *id)
{
	const struct btf_type *t;
	uint32_t hops;

	for (hops = 0; hops < d->cnt; hops++) {
		t = bbpf_dump_c_t(d, *id);
		if (!t)
			return 0;
		switch (bbpf_btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_FLOAT:
			return (int)(t->size < d->ptr_sz ? t->size : d->ptr_sz);
		case BTF_KIND_PTR:
			return (int)d->ptr_sz;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			*id = t->type;
			break;
		case BTF_KIND_ARRAY:
			*id = bbpf_btf_array(t)->type;
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			return -1;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * A struct's alignment as libbpf computes it: the largest member
 * alignment, or 1 if a member sits off its alignment or the size is not
 * a multiple (packed). Cached; computed on an explicit stack. A struct
 * that (invalidly) embeds itself has alignment 0.
 */
static int struct_align(struct bbpf_dump_c *d, uint32_t root)
{
	struct bbpf_dump_c_frame *f;
	const struct btf_member *m;
	const struct btf_type *t;
	uint32_t sp = 0, mid;
	int a, res = 0;
	bool have = false;

	if (d->align[root])
		return d->align[root] == 0xff ? 0 : d->align[root];
	d->astk[sp++] = (struct bbpf_dump_c_frame){ .id = root, .acc = 1 };
	d->st[root] |= ST_ALIGN_BUSY;
	while (sp) {
		f = &d->astk[sp - 1];
		t = d->types[f->id];
		m = bbpf_btf_members(t);
		for (; f->i < bbpf_btf_vlen(t); f->i++) {
			if (have) {
				a = res;
				have = false;
			} else {
				mid = m[f->i].type;
				a = align_leaf(d, &mid);
				if (a < 0 && d->align[mid]) {
					a = d->align[mid] == 0xff ? 0 : d->align[mid];
				} else if (a < 0 && (d->st[mid] & ST_ALIGN_BUSY)) {
					a = 0;
				} else if (a < 0) {
					if (sp == d->astk_cap &&
					    bbpf_dump_c_grow_stack(d, &d->astk, &d->astk_cap))
						return 0;
					d->astk[sp++] = (struct bbpf_dump_c_frame){ .id = mid, .acc = 1 };
					d->st[mid] |= ST_ALIGN_BUSY;
					break;
				}
			}
			if (a <= 0) {
				res = 0;
				goto finish;
			}
			if (a > f->acc)
				f->acc = a;
			if (!bbpf_btf_member_bitfield_size(t, &m[f->i]) &&
			    m[f->i].offset % (8u * (uint32_t)a)) {
				res = 1;
				goto finish;
			}
		}
		if (f->i < bbpf_btf_vlen(t))
			continue;	/* a member's struct was pushed */
		res = t->size % (uint32_t)f->acc ? 1 : f->acc;
finish:
		d->align[f->id] = res ? (uint8_t)res : 0xff;
		d->st[f->id] &= (uint8_t)~ST_ALIGN_BUSY;
		sp--;
		have = true;
	}
	return res;
}

int bbpf_dump_c_layout_align(struct bbpf_dump_c *d, uint32_t id)
{
	int a = align_leaf(d, &id);

	return a >= 0 ? a : struct_align(d, id);
}
