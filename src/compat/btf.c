// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct btf: a parsed view (struct bbpf_btf, src/parse) plus, when the
 * BTF came from bytes or was changed, those bytes. BTF from files, the
 * kernel or ids is read through a context of its own (every read through
 * bbpf_compat_sys()); raw bytes and modified BTF are parsed with the full
 * checks into an arena that is rebuilt when the bytes change
 * (btf__add_str). Walks over types are bounded by libbpf's depth (32).
 */
#include <stdio.h>
#include "compat.h"

#define MAX_DEPTH 32

struct btf {
	struct bbpf_btf *view;		/* NULL while dirty (raw changed, not parsed yet) */
	const struct btf *base;
	struct bbpf_ctx *ctx;		/* reads files, the kernel; owns their views; NULL */
	struct bbpf_arena arena;	/* the view parsed from raw */
	uint8_t *raw;			/* owned bytes: header, types, strings (host order); NULL */
	size_t raw_len;
	const struct bbpf_object *obj;	/* the object's own BTF: not owned, fd from its load */
	int fd;
	int ptr_sz;			/* 0: not known yet; -1: not determinable */
};

/* Id 0 is void: a record of kind 0 and size 0, as libbpf hands out. */
static const struct btf_type void_type;

static struct btf *btf_alloc(const struct btf *base)
{
	struct btf *btf = bbpf_compat_sys_zalloc(sizeof(*btf));

	if (!btf)
		return NULL;
	btf->base = base;
	btf->fd = -1;
	bbpf_arena_init(&btf->arena, &bbpf_alloc_libc, SIZE_MAX);
	return btf;
}

void btf__free(struct btf *btf)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();

	if (!btf)
		return;
	if (btf->fd >= 0 && !btf->obj)
		sys->close(sys->ctx, btf->fd);
	bbpf_arena_free(&btf->arena);
	bbpf_compat_sys_free(btf->raw, btf->raw_len);
	bbpf_ctx_free(btf->ctx);
	bbpf_compat_sys_free(btf, sizeof(*btf));
}

static struct btf *fail(struct btf *btf, int err)
{
	btf__free(btf);
	return bbpf_compat_errp(err);
}

/* (Re)parse raw into the arena. */
static int parse_raw(struct btf *btf)
{
	struct bbpf_btf *view;
	int err;

	bbpf_arena_free(&btf->arena);
	bbpf_arena_init(&btf->arena, &bbpf_alloc_libc, SIZE_MAX);
	btf->view = NULL;
	if (btf->raw_len > UINT32_MAX)
		return -E2BIG;
	view = bbpf_arena_zalloc(&btf->arena, sizeof(*view));
	if (!view)
		return -ENOMEM;
	err = bbpf_btf_parse_raw(view, btf->raw, (uint32_t)btf->raw_len,
				 btf->base ? btf->base->view : NULL, &btf->arena, NULL);
	if (err)
		return err;
	btf->view = view;
	return 0;
}

const struct bbpf_btf *bbpf_compat_btf_view(const struct btf *btf, int *err)
{
	struct btf *b = (struct btf *)btf;
	int e;

	if (!btf) {
		*err = -EINVAL;
		return NULL;
	}
	if (!b->view && b->raw) {
		e = parse_raw(b);
		if (e) {
			*err = e;
			return NULL;
		}
	}
	if (!b->view)
		*err = -EINVAL;
	return b->view;
}

static struct bbpf_btf *view_of(const struct btf *btf)
{
	int err;

	return (struct bbpf_btf *)bbpf_compat_btf_view(btf, &err);
}

/* ---- constructors ---- */

static struct btf *from_bytes(const void *data, size_t size, struct btf *base)
{
	struct btf *btf;
	int err;

	if (!data || !size)
		return bbpf_compat_errp(-EINVAL);
	if (base && !view_of(base))
		return bbpf_compat_errp(-EINVAL);
	btf = btf_alloc(base);
	if (!btf || !(btf->raw = bbpf_compat_sys_zalloc(size)))
		return fail(btf, -ENOMEM);
	memcpy(btf->raw, data, size);
	btf->raw_len = size;
	err = parse_raw(btf);
	return err ? fail(btf, err) : btf;
}

struct btf *btf__new(const void *data, __u32 size)
{
	return from_bytes(data, size, NULL);
}

struct btf *btf__new_split(const void *data, __u32 size, struct btf *base_btf)
{
	return from_bytes(data, size, base_btf);
}

struct btf *btf__new_empty_split(struct btf *base_btf)
{
	struct btf_header hdr = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(hdr),
		.str_len = base_btf ? 0 : 1,	/* "" at offset 0 (a split BTF has it in its base) */
	};
	uint8_t buf[sizeof(hdr) + 1] = { 0 };

	memcpy(buf, &hdr, sizeof(hdr));
	return from_bytes(buf, sizeof(hdr) + hdr.str_len, base_btf);
}

struct btf *btf__new_empty(void)
{
	return btf__new_empty_split(NULL);
}

/* A BTF read through a context of its own with fn. */
#define WITH_CTX(base_btf, call)						\
	do {									\
		struct btf *btf_ = btf_alloc(base_btf);				\
		struct bbpf_ctx *ctx;						\
		int err_;							\
										\
		if (!btf_)							\
			return bbpf_compat_errp(-ENOMEM);			\
		err_ = bbpf_compat_sys_ctx(&btf_->ctx, NULL);			\
		ctx = btf_->ctx;						\
		err_ = err_ ?: (call);						\
		return err_ ? fail(btf_, err_) : btf_;				\
	} while (0)

static int read_file(struct bbpf_ctx *ctx, const char *path, struct btf *base,
		     struct bbpf_btf **out)
{
	if (!path)
		return -EINVAL;
	if (base)
		return base->view ? bbpf_btf_read_split(ctx, path, base->view, BBPF_LOG_WARN, out)
				  : -EINVAL;
	return bbpf_btf_read_untrusted(ctx, path, BBPF_LOG_WARN, out);
}

struct btf *btf__parse_split(const char *path, struct btf *base_btf)
{
	WITH_CTX(base_btf, read_file(ctx, path, base_btf, &btf_->view));
}

struct btf *btf__parse(const char *path, struct btf_ext **btf_ext)
{
	if (btf_ext)
		*btf_ext = NULL;	/* .BTF.ext is not read */
	return btf__parse_split(path, NULL);
}

struct btf *btf__parse_elf(const char *path, struct btf_ext **btf_ext)
{
	return btf__parse(path, btf_ext);
}

struct btf *btf__parse_elf_split(const char *path, struct btf *base_btf)
{
	return btf__parse_split(path, base_btf);
}

struct btf *btf__parse_raw(const char *path)
{
	return btf__parse_split(path, NULL);
}

struct btf *btf__parse_raw_split(const char *path, struct btf *base_btf)
{
	return btf__parse_split(path, base_btf);
}

struct btf *btf__load_vmlinux_btf(void)
{
	WITH_CTX(NULL, bbpf_kernel_btf_indexed(ctx, &btf_->view));
}

struct btf *libbpf_find_kernel_btf(void)
{
	return btf__load_vmlinux_btf();
}

static int module_btf(struct bbpf_ctx *ctx, const char *name, struct btf *vmlinux,
		      struct bbpf_btf **out)
{
	char path[256];

	if (!name || !vmlinux || !vmlinux->view || strchr(name, '/'))
		return -EINVAL;
	if ((size_t)snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name) >= sizeof(path))
		return -ENAMETOOLONG;
	return bbpf_btf_read_split(ctx, path, vmlinux->view, BBPF_LOG_WARN, out);
}

struct btf *btf__load_module_btf(const char *module_name, struct btf *vmlinux_btf)
{
	WITH_CTX(vmlinux_btf, module_btf(ctx, module_name, vmlinux_btf, &btf_->view));
}

struct btf *btf__load_from_kernel_by_id_split(__u32 id, struct btf *base_btf)
{
	struct bbpf_btf_id_info info;

	if (base_btf && !view_of(base_btf))
		return bbpf_compat_errp(-EINVAL);
	WITH_CTX(base_btf, bbpf_btf_id_load(ctx, id, base_btf ? base_btf->view : NULL,
					    BBPF_LOG_WARN, &info, &btf_->view));
}

struct btf *btf__load_from_kernel_by_id(__u32 id)
{
	return btf__load_from_kernel_by_id_split(id, NULL);
}

struct btf *bbpf_compat_btf_of_object(const struct bbpf_object *o)
{
	struct btf *btf;

	if (!o || !o->btf)
		return NULL;
	btf = btf_alloc(NULL);
	if (!btf)
		return bbpf_compat_errp(-ENOMEM);
	btf->view = o->btf;
	btf->obj = o;
	return btf;
}

/* ---- raw bytes ---- */

/* Serialize the view: header, own types, own strings, in host order. */
static int serialize(struct btf *btf)
{
	const struct bbpf_btf *v = btf->view;
	struct btf_header hdr = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				  .hdr_len = sizeof(hdr) };
	uint32_t own_strs;
	uint8_t *raw;

	if (!v)
		return -EINVAL;
	own_strs = v->str_len - v->start_str_off;
	hdr.type_off = 0;
	hdr.type_len = v->types_len;
	hdr.str_off = v->types_len;
	hdr.str_len = own_strs;
	raw = bbpf_compat_sys_zalloc(sizeof(hdr) + (size_t)v->types_len + own_strs);
	if (!raw)
		return -ENOMEM;
	memcpy(raw, &hdr, sizeof(hdr));
	if (v->types_len)
		memcpy(raw + sizeof(hdr), v->types, v->types_len);
	if (own_strs)
		memcpy(raw + sizeof(hdr) + v->types_len, v->strs, own_strs);
	btf->raw = raw;
	btf->raw_len = sizeof(hdr) + (size_t)v->types_len + own_strs;
	return 0;
}

const void *btf__raw_data(const struct btf *btf, __u32 *size)
{
	struct btf *b = (struct btf *)btf;
	int err;

	if (!btf)
		return bbpf_compat_errp(-EINVAL);
	if (!b->raw && (err = serialize(b)))
		return bbpf_compat_errp(err);
	if (size)
		*size = (__u32)b->raw_len;
	return b->raw;
}

const void *btf__get_raw_data(const struct btf *btf, __u32 *size)
{
	return btf__raw_data(btf, size);
}

int btf__load_into_kernel(struct btf *btf)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	const void *raw;
	char *log;
	__u32 len;
	long fd;

	if (!btf)
		return bbpf_compat_err(-EINVAL);
	if (btf->fd >= 0)
		return bbpf_compat_err(-EEXIST);
	raw = btf__raw_data(btf, &len);
	if (!raw)
		return bbpf_compat_err(-errno);
	fd = bbpf_cmd_btf_load(sys, raw, len, NULL, 0, 0);
	if (fd < 0) {
		/* again with a log, for the message */
		const size_t log_size = 64 * 1024;

		log = bbpf_compat_sys_zalloc(log_size);
		if (log && bbpf_cmd_btf_load(sys, raw, len, log, log_size, 1) < 0 && log[0])
			pr_warn("BTF loading error: %s\n-- BEGIN BTF LOAD LOG ---\n%s\n"
				"-- END BTF LOAD LOG --\n", strerror((int)-fd), log);
		bbpf_compat_sys_free(log, log_size);
		return bbpf_compat_err((int)fd);
	}
	btf->fd = bbpf_compat_sys_fd(fd);
	return btf->fd < 0 ? btf->fd : 0;
}

int btf__fd(const struct btf *btf)
{
	if (!btf)
		return bbpf_compat_err(-EINVAL);
	if (btf->obj) {
		const struct bbpf_inst *inst = bbpf_inst_of(btf->obj);

		return inst && inst->loaded ? inst->btf_fd : -1;
	}
	return btf->fd;
}

void btf__set_fd(struct btf *btf, int fd)
{
	if (btf && !btf->obj)
		btf->fd = fd;
}

/* ---- strings ---- */

static const char *own_strs(const struct btf *btf, uint32_t *start, uint32_t *len)
{
	const struct btf_header *hdr = (const struct btf_header *)btf->raw;

	*start = btf->base && btf->base->view ? btf->base->view->str_len : 0;
	*len = hdr->str_len;
	return (const char *)btf->raw + hdr->hdr_len + hdr->str_off;
}

/* Offset of s among a string section's strings, or -ENOENT. */
static int find_in(const char *strs, uint32_t len, uint32_t start, const char *s)
{
	uint32_t off = 0;

	while (off < len) {
		if (!strcmp(strs + off, s))
			return (int)(start + off);
		off += (uint32_t)strlen(strs + off) + 1;
	}
	return -ENOENT;
}

static int find_str(const struct btf *btf, const char *s)
{
	const struct bbpf_btf *v;
	uint32_t start, len;
	int off;

	if (btf->base) {
		v = view_of(btf->base);
		off = v ? find_in(v->strs, v->str_len - v->start_str_off, v->start_str_off, s)
			: -ENOENT;
		if (off >= 0)
			return off;
	}
	const char *strs;

	if (!btf->raw)
		return -ENOENT;
	strs = own_strs(btf, &start, &len);
	return find_in(strs, len, start, s);
}

int btf__find_str(struct btf *btf, const char *s)
{
	int err;

	if (!btf || !s)
		return bbpf_compat_err(-EINVAL);
	if (!btf->raw && !btf__raw_data(btf, NULL))
		return bbpf_compat_err(-errno);
	err = find_str(btf, s);
	return err >= 0 ? err : bbpf_compat_err(err);
}

/* Add string s (its offset if present): the strings section is last, so it grows in place. */
int btf__add_str(struct btf *btf, const char *s)
{
	struct btf_header *hdr;
	uint32_t start, len;
	size_t n, new_len;
	uint8_t *raw;
	int off;

	if (!btf || !s || btf->obj)
		return bbpf_compat_err(-EINVAL);
	if (!btf->raw && !btf__raw_data(btf, NULL))
		return bbpf_compat_err(-errno);
	off = find_str(btf, s);
	if (off >= 0)
		return off;
	hdr = (struct btf_header *)btf->raw;
	if ((size_t)hdr->hdr_len + hdr->str_off + hdr->str_len != btf->raw_len)
		return bbpf_compat_err(-EINVAL);	/* strings not last: not one of ours */
	own_strs(btf, &start, &len);
	n = strlen(s) + 1;
	if ((uint64_t)start + len + n > BBPF_MAX_BTF_STR_LEN)
		return bbpf_compat_err(-E2BIG);
	new_len = btf->raw_len + n;
	raw = bbpf_compat_sys_zalloc(new_len);
	if (!raw)
		return bbpf_compat_err(-ENOMEM);
	memcpy(raw, btf->raw, btf->raw_len);
	memcpy(raw + btf->raw_len, s, n);
	((struct btf_header *)raw)->str_len += (__u32)n;
	bbpf_compat_sys_free(btf->raw, btf->raw_len);
	btf->raw = raw;
	btf->raw_len = new_len;
	/* the view (and every pointer into it) is stale: parsed again on next use */
	bbpf_arena_free(&btf->arena);
	bbpf_arena_init(&btf->arena, &bbpf_alloc_libc, SIZE_MAX);
	btf->view = NULL;
	bbpf_ctx_free(btf->ctx);
	btf->ctx = NULL;
	return (int)(start + len);
}

/* ---- queries ---- */

__u32 btf__type_cnt(const struct btf *btf)
{
	struct bbpf_btf *v = view_of(btf);

	return v ? bbpf_btf_type_cnt(v) : 0;
}

const struct btf *btf__base_btf(const struct btf *btf)
{
	return btf ? btf->base : NULL;
}

const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id)
{
	struct bbpf_btf *v = view_of(btf);
	const struct btf_type *t;

	if (id == 0 && v)
		return &void_type;
	t = v ? bbpf_btf_type(v, id) : NULL;
	return t ? t : bbpf_compat_errp(-EINVAL);
}

const char *btf__str_by_offset(const struct btf *btf, __u32 offset)
{
	struct bbpf_btf *v = view_of(btf);
	const char *s = v ? bbpf_btf_str(v, offset) : NULL;

	return s ? s : bbpf_compat_errp(-EINVAL);
}

const char *btf__name_by_offset(const struct btf *btf, __u32 offset)
{
	return btf__str_by_offset(btf, offset);
}

__s32 btf__find_by_name_kind(const struct btf *btf, const char *type_name, __u32 kind)
{
	struct bbpf_btf *v = view_of(btf);
	uint32_t id;

	if (!v || !type_name)
		return bbpf_compat_err(-EINVAL);
	if (kind == BTF_KIND_UNKN || !strcmp(type_name, "void"))
		return 0;	/* void, as libbpf answers */
	if (bbpf_btf_index(v))
		return bbpf_compat_err(-ENOMEM);
	id = bbpf_btf_find_by_name_kind(v, type_name, kind);
	return id ? (__s32)id : bbpf_compat_err(-ENOENT);
}

__s32 btf__find_by_name(const struct btf *btf, const char *type_name)
{
	struct bbpf_btf *v = view_of(btf);
	uint32_t id;

	if (!v || !type_name)
		return bbpf_compat_err(-EINVAL);
	if (!strcmp(type_name, "void"))
		return 0;
	if (bbpf_btf_index(v))
		return bbpf_compat_err(-ENOMEM);
	id = bbpf_btf_find_by_name_kind(v, type_name, 0);
	return id ? (__s32)id : bbpf_compat_err(-ENOENT);
}

/* libbpf's guess: the size of an INT named like C's long. */
static int guess_ptr_sz(struct bbpf_btf *v)
{
	static const char *const longs[] = { "long", "long int", "unsigned long",
					     "long unsigned int" };
	size_t i;

	if (bbpf_btf_index(v))
		return -1;
	for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
		const struct btf_type *t =
			bbpf_btf_type(v, bbpf_btf_find_by_name_kind(v, longs[i], BTF_KIND_INT));

		if (t && (t->size == 4 || t->size == 8))
			return (int)t->size;
	}
	return -1;
}

size_t btf__pointer_size(const struct btf *btf)
{
	struct btf *b = (struct btf *)btf;
	struct bbpf_btf *v = view_of(btf);

	if (!v)
		return 0;
	if (!b->ptr_sz)
		b->ptr_sz = guess_ptr_sz(v);
	return b->ptr_sz > 0 ? (size_t)b->ptr_sz : 0;
}

int btf__set_pointer_size(struct btf *btf, size_t ptr_sz)
{
	if (!btf || (ptr_sz != 4 && ptr_sz != 8))
		return bbpf_compat_err(-EINVAL);
	btf->ptr_sz = (int)ptr_sz;
	return 0;
}

/* For sizes and alignment: the known pointer size, else the host's. */
static size_t ptr_sz(const struct btf *btf)
{
	size_t sz = btf__pointer_size(btf);

	return sz ? sz : sizeof(void *);
}

static bool host_le(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

enum btf_endianness btf__endianness(const struct btf *btf)
{
	struct bbpf_btf *v = view_of(btf);
	bool le = host_le() != (v && v->swap);

	return le ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN;
}

/* Only the byte order the BTF is in: barebpf does not re-encode BTF. */
int btf__set_endianness(struct btf *btf, enum btf_endianness endian)
{
	if (!btf || (endian != BTF_LITTLE_ENDIAN && endian != BTF_BIG_ENDIAN))
		return bbpf_compat_err(-EINVAL);
	return endian == btf__endianness(btf) ? 0 : bbpf_compat_err(-EOPNOTSUPP);
}

static bool void_or_null(const struct btf_type *t)
{
	return !t || btf_kind(t) == BTF_KIND_UNKN;
}

/* libbpf's rules: what a size walk passes through, and what it stops at. */
__s64 btf__resolve_size(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	__s64 size = -1;
	__u32 nelems = 1;
	int i;

	for (i = 0; i < MAX_DEPTH && !void_or_null(t); i++) {
		switch (btf_kind(t)) {
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
			size = (__s64)ptr_sz(btf);
			goto done;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			type_id = t->type;
			break;
		case BTF_KIND_ARRAY:
			if (nelems && btf_array(t)->nelems > UINT32_MAX / nelems)
				return bbpf_compat_err(-E2BIG);
			nelems *= btf_array(t)->nelems;
			type_id = btf_array(t)->type;
			break;
		default:
			return bbpf_compat_err(-EINVAL);
		}
		t = btf__type_by_id(btf, type_id);
	}
done:
	if (size < 0)
		return bbpf_compat_err(-EINVAL);
	if (nelems && size > UINT32_MAX / nelems)
		return bbpf_compat_err(-E2BIG);
	return (__s64)nelems * size;
}

int btf__resolve_type(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	int depth = 0;

	while (depth < MAX_DEPTH && !void_or_null(t) &&
	       (btf_is_mod(t) || btf_is_typedef(t) || btf_is_var(t))) {
		type_id = t->type;
		t = btf__type_by_id(btf, type_id);
		depth++;
	}
	if (depth == MAX_DEPTH || void_or_null(t))
		return bbpf_compat_err(-EINVAL);
	return (int)type_id;
}

static int align_of(const struct btf *btf, __u32 id, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;
	int i, n, align, max_align = 1;

	if (!t || depth > MAX_DEPTH)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		return (int)(t->size < ptr_sz(btf) ? t->size : ptr_sz(btf));
	case BTF_KIND_PTR:
		return (int)ptr_sz(btf);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return align_of(btf, t->type, depth + 1);
	case BTF_KIND_ARRAY:
		return align_of(btf, btf_array(t)->type, depth + 1);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		m = btf_members(t);
		n = btf_vlen(t);
		for (i = 0; i < n; i++, m++) {
			align = align_of(btf, m->type, depth + 1);
			if (align <= 0)
				return align;
			if (align > max_align)
				max_align = align;
			/* a member off its natural alignment: the struct is packed */
			if (!btf_member_bitfield_size(t, (__u32)i) &&
			    btf_member_bit_offset(t, (__u32)i) % (8u * (unsigned int)align))
				return 1;
		}
		/* a size that is not a multiple of the alignment: packed too */
		return t->size % (unsigned int)max_align ? 1 : max_align;
	default:
		pr_warn("unsupported BTF_KIND:%u\n", btf_kind(t));
		return 0;
	}
}

int btf__align_of(const struct btf *btf, __u32 id)
{
	int align = align_of(btf, id, 0);

	if (align == 0)
		bbpf_compat_err(-EINVAL);	/* libbpf: 0 with errno set */
	return align < 0 ? bbpf_compat_err(align) : align;
}
