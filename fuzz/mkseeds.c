/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Seeds for the harnesses whose input is not a plain object file:
 *
 *   mkseeds fuzz_load FIXTURE_DIR OUT_DIR
 *   mkseeds fuzz_core FIXTURE_DIR OUT_DIR
 *
 * fuzz_load: per little-endian fixture X.bpf.o, three inputs (layout in
 * fuzz_load.c): X (a modern kernel: every probe says yes, CO-RE in the
 * kernel), X-user (CO-RE in user space, log level 1, extras, with a
 * /sys/kernel/btf/vmlinux made of X's own BTF plus the kernel types the
 * fixtures attach to or import, a /proc/kallsyms and a gzipped
 * /proc/config.gz), X-old (every feature probe fails: no BTF, no perf
 * links, no global data; the object opened with bbpf_object_open_file), X-file (CO-RE against the caller's target file,
 * which is X itself: an ELF whose .BTF is taken); for CO-RE fixtures also
 * X-mod (the kernel BTF
 * lacks X's types, so the candidate search reads /proc/modules and a
 * module's BTF).
 * fuzz_core: per CO-RE fixture, the fixture against its own BTF (every
 * relocation resolves to itself; parsed as an untrusted file), against
 * each other CO-RE fixture's (parsed lazily, as the kernel's), and against
 * a kernel BTF without its types plus its own BTF as a module's split BTF
 * (X-in-module).
 *
 * Built and run by `make fuzz` (build/fuzz/mkseeds); fuzz/corpus/ holds a
 * few of its outputs (fuzz/README.md). Host tool: plain libc, plus the
 * pure library to find .BTF.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <barebpf/object.h>
#include "base/arena.h"
#include "parse/elf.h"
#include "sys_fuzz.h"

uint32_t bbpf_crc32(uint32_t crc, const void *buf, size_t len);

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			perror("mkseeds");
			exit(1);
		}
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put_u(struct buf *b, uint32_t v, int bytes)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < bytes; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	put(b, x, (size_t)bytes);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)n + 1);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return p;
}

static void write_file(const char *dir, const char *name, const struct buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* The .BTF section of an object (a copy), or NULL. */
static uint8_t *object_btf(const uint8_t *obj, size_t len, size_t *btf_len)
{
	struct bbpf_arena arena;
	struct bbpf_elf elf;
	uint8_t *copy = NULL;
	uint32_t idx;

	bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
	if (!bbpf_elf_parse(&elf, obj, len, 0, &arena, NULL) && !elf.swap &&
	    (idx = bbpf_elf_find_sec(&elf, ".BTF")) && bbpf_elf_sec_data(&elf, idx)) {
		*btf_len = bbpf_elf_shdr(&elf, idx)->size;
		copy = malloc(*btf_len);
		if (copy)
			memcpy(copy, bbpf_elf_sec_data(&elf, idx), *btf_len);
	}
	bbpf_arena_free(&arena);
	return copy;
}

/* ---- BTF editing (host order, well-formed input: the fixtures') ---- */

/* Bytes after struct btf_type for a record of kind with vlen entries. */
static uint32_t extra_len(uint32_t kind, uint32_t vlen)
{
	switch (kind) {
	case BTF_KIND_INT: return 4;
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64: return vlen * sizeof(struct btf_enum64);
	default: return 0;
	}
}

static bool split_header(const uint8_t *btf, size_t len, struct btf_header *h)
{
	memcpy(h, btf, sizeof(*h));
	return len >= sizeof(*h) && h->hdr_len <= len &&
	       (uint64_t)h->type_off + h->type_len <= len - h->hdr_len &&
	       (uint64_t)h->str_off + h->str_len <= len - h->hdr_len;
}

static uint32_t *u32_at(uint8_t *p, size_t off)
{
	return (uint32_t *)(void *)(p + off);
}

/*
 * btf as split BTF on a base of base_cnt types (void excluded) and
 * base_str bytes of strings: every type id and name offset moved past the
 * base's, its strings without the leading "".
 */
static void rebase(const uint8_t *btf, size_t len, uint32_t base_cnt, uint32_t base_str,
		   struct buf *out)
{
	struct btf_header h;
	uint8_t *types;
	size_t off = 0;
	uint32_t i;

	if (!split_header(btf, len, &h) || h.str_len < 1)
		return;
	types = malloc(h.type_len + 1);
	if (!types)
		return;
	memcpy(types, btf + h.hdr_len + h.type_off, h.type_len);
#define ID(p) do { if (*(p)) *(p) += base_cnt; } while (0)
#define NAME(p) do { if (*(p)) *(p) += base_str - 1; } while (0)
	while (off + sizeof(struct btf_type) <= h.type_len) {
		uint32_t info = *u32_at(types, off + 4), kind = BTF_INFO_KIND(info);
		uint32_t vlen = BTF_INFO_VLEN(info), x = (uint32_t)off + 12;

		NAME(u32_at(types, off));
		switch (kind) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
		case BTF_KIND_FUNC_PROTO: case BTF_KIND_VAR: case BTF_KIND_TYPE_TAG:
		case BTF_KIND_DECL_TAG:
			ID(u32_at(types, off + 8));
			break;
		default:
			break;
		}
		for (i = 0; i < vlen || (kind == BTF_KIND_ARRAY && i < 1); i++) {
			switch (kind) {
			case BTF_KIND_ARRAY:
				ID(u32_at(types, x));
				ID(u32_at(types, x + 4));
				break;
			case BTF_KIND_STRUCT: case BTF_KIND_UNION:
				NAME(u32_at(types, x + 12 * i));
				ID(u32_at(types, x + 12 * i + 4));
				break;
			case BTF_KIND_ENUM:
				NAME(u32_at(types, x + 8 * i));
				break;
			case BTF_KIND_ENUM64:
				NAME(u32_at(types, x + 12 * i));
				break;
			case BTF_KIND_FUNC_PROTO:
				NAME(u32_at(types, x + 8 * i));
				ID(u32_at(types, x + 8 * i + 4));
				break;
			case BTF_KIND_DATASEC:
				ID(u32_at(types, x + 12 * i));
				break;
			default:
				break;
			}
		}
		off += sizeof(struct btf_type) + extra_len(kind, vlen);
	}
#undef ID
#undef NAME
	{
		const uint8_t *strs = btf + h.hdr_len + h.str_off;
		uint32_t str_len = h.str_len;

		h.hdr_len = sizeof(h);
		h.type_off = 0;
		h.str_off = h.type_len;
		h.str_len = str_len - 1;
		put(out, &h, sizeof(h));
		put(out, types, h.type_len);
		put(out, strs + 1, str_len - 1);
	}
	free(types);
}

/* Types in a BTF blob (void excluded) and its string bytes. */
static void btf_counts(const uint8_t *btf, size_t len, uint32_t *types, uint32_t *str_len)
{
	struct btf_header h;
	size_t off = 0;

	*types = *str_len = 0;
	if (!split_header(btf, len, &h))
		return;
	while (off + sizeof(struct btf_type) <= h.type_len) {
		uint32_t info;

		memcpy(&info, btf + h.hdr_len + h.type_off + off + 4, 4);
		off += sizeof(struct btf_type) + extra_len(BTF_INFO_KIND(info), BTF_INFO_VLEN(info));
		(*types)++;
	}
	*str_len = h.str_len;
}

/* ---- a "kernel" BTF: an object's BTF plus what the fixtures look up in the kernel ---- */

#define INFO(kind, vlen) ((uint32_t)(kind) << 24 | (vlen))

static void add_str(struct buf *strs, const char *s, uint32_t *off)
{
	*off = (uint32_t)strs->len;
	put(strs, s, strlen(s) + 1);
}

static void kernel_btf(const uint8_t *btf, size_t len, struct buf *out)
{
	static const char *const funcs[] = {
		"bpf_iter_task", "bpf_iter_bpf_map", "bpf_task_from_pid", "bpf_task_acquire",
		"bpf_task_release", "bpf_lsm_file_open", "bpf_fentry_test1",
	};
	static const char *const typedefs[] = { "btf_trace_sched_switch", "btf_trace_sys_enter" };
	struct btf_header h;
	struct buf types = { 0 }, strs = { 0 };
	uint32_t n_types = 0, off, proto, i;
	const uint8_t *p;

	memcpy(&h, btf, sizeof(h));
	if (len < sizeof(h) || h.hdr_len > len || h.type_off + h.type_len > len - h.hdr_len ||
	    h.str_off + h.str_len > len - h.hdr_len) {
		put(out, btf, len);
		return;
	}
	put(&types, btf + h.hdr_len + h.type_off, h.type_len);
	put(&strs, btf + h.hdr_len + h.str_off, h.str_len);
	/* count the object's types */
	for (p = types.p; p + sizeof(struct btf_type) <= types.p + types.len; n_types++) {
		struct btf_type t;

		memcpy(&t, p, sizeof(t));
		p += sizeof(t) + extra_len(BTF_INFO_KIND(t.info), BTF_INFO_VLEN(t.info));
	}
	/* [n+1] int; [n+2] void (void) proto; funcs; typedefs -> int; var runqueues: int */
	add_str(&strs, "int", &off);
	put_u(&types, off, 4), put_u(&types, INFO(BTF_KIND_INT, 0), 4), put_u(&types, 4, 4);
	put_u(&types, 32, 4);
	proto = n_types + 2;
	put_u(&types, 0, 4), put_u(&types, INFO(BTF_KIND_FUNC_PROTO, 0), 4), put_u(&types, 0, 4);
	for (i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		add_str(&strs, funcs[i], &off);
		put_u(&types, off, 4), put_u(&types, INFO(BTF_KIND_FUNC, BTF_FUNC_GLOBAL), 4);
		put_u(&types, proto, 4);
	}
	for (i = 0; i < sizeof(typedefs) / sizeof(typedefs[0]); i++) {
		add_str(&strs, typedefs[i], &off);
		put_u(&types, off, 4), put_u(&types, INFO(BTF_KIND_TYPEDEF, 0), 4);
		put_u(&types, n_types + 1, 4);
	}
	add_str(&strs, "runqueues", &off);
	put_u(&types, off, 4), put_u(&types, INFO(BTF_KIND_VAR, 0), 4), put_u(&types, n_types + 1, 4);
	put_u(&types, BTF_VAR_GLOBAL_ALLOCATED, 4);

	h.hdr_len = sizeof(h);
	h.type_off = 0;
	h.type_len = (uint32_t)types.len;
	h.str_off = (uint32_t)types.len;
	h.str_len = (uint32_t)strs.len;
	put(out, &h, sizeof(h));
	put(out, types.p, types.len);
	put(out, strs.p, strs.len);
	free(types.p);
	free(strs.p);
}

/* gzip with one stored DEFLATE block, as /proc/config.gz could be. */
static void gzip_stored(const char *text, struct buf *out)
{
	static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	uint16_t n = (uint16_t)strlen(text);

	put(out, hdr, sizeof(hdr));
	put_u(out, 1, 1);			/* BFINAL, stored */
	put_u(out, n, 2);
	put_u(out, (uint16_t)~n, 2);
	put(out, text, n);
	put_u(out, bbpf_crc32(0, text, n), 4);
	put_u(out, n, 4);
}

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81234560 T bpf_fentry_test1\n"
	"ffffffff81234570 t bpf_fentry_test2\t[bpf_testmod]\n";
static const char config[] =
	"CONFIG_HZ=250\nCONFIG_BPF_SYSCALL=y\nCONFIG_BPF_LSM=y\n"
	"CONFIG_DEFAULT_HOSTNAME=\"fuzz\"\n# CONFIG_FOO is not set\n";

static void put_file(struct buf *b, enum fz_file cls, const void *p, size_t n)
{
	put_u(b, cls, 1);
	put_u(b, (uint32_t)n, 4);
	put(b, p, n);
}

static void load_seeds(const char *name, const uint8_t *obj, size_t len, const char *out)
{
	struct buf b = { 0 }, kbtf = { 0 }, gz = { 0 };
	char file[512];
	uint8_t *btf;
	size_t btf_len = 0;
	int i;

	/* X: defaults, a log callback */
	put_u(&b, 0x80, 1), put_u(&b, 0, 1), put_u(&b, 0, 2), put_u(&b, (uint32_t)len, 4);
	put(&b, obj, len);
	put_u(&b, 0, 1);
	snprintf(file, sizeof(file), "%.200s", name);
	write_file(out, file, &b);

	/* X-old: the feature probes all fail; the object read as a file through the table */
	b.len = 0;
	put_u(&b, 0x80, 1), put_u(&b, 0x80, 1), put_u(&b, 0, 2), put_u(&b, (uint32_t)len, 4);
	put(&b, obj, len);
	put_u(&b, 0, 1);
	put_u(&b, 0, 4);	/* reading the object: open, statx, read, close */
	for (i = 0; i < 8; i++)	/* the eight probes before BTF_LOAD */
		put_u(&b, FZ_FAIL_MIN + 1, 1);	/* -EINVAL */
	snprintf(file, sizeof(file), "%.200s-old", name);
	write_file(out, file, &b);

	/* X-user: CO-RE in user space against a kernel BTF made from X's */
	btf = object_btf(obj, len, &btf_len);
	if (!btf)
		goto out;
	kernel_btf(btf, btf_len, &kbtf);
	gzip_stored(config, &gz);
	b.len = 0;
	put_u(&b, 0x80 | 0x20 | 0x04 | 2, 1), put_u(&b, 0, 1), put_u(&b, 0, 2);
	put_u(&b, (uint32_t)len, 4);
	put(&b, obj, len);
	put_u(&b, 3, 1);
	put_file(&b, FZ_FILE_VMLINUX, kbtf.p, kbtf.len);
	put_file(&b, FZ_FILE_KALLSYMS, kallsyms, sizeof(kallsyms) - 1);
	put_file(&b, FZ_FILE_CONFIG_GZ, gz.p, gz.len);
	snprintf(file, sizeof(file), "%.200s-user", name);
	write_file(out, file, &b);

	/* X-file: the caller's target BTF file, which is X itself (an ELF with .BTF) */
	b.len = 0;
	put_u(&b, 0x80 | 3, 1), put_u(&b, 0, 1), put_u(&b, 0, 2);
	put_u(&b, (uint32_t)len, 4);
	put(&b, obj, len);
	put_u(&b, 1, 1);
	put_file(&b, FZ_FILE_TARGET_BTF, obj, len);
	snprintf(file, sizeof(file), "%.200s-file", name);
	write_file(out, file, &b);

	/*
	 * X-mod: a kernel BTF without X's types, so that CO-RE looks in module
	 * BTF (/proc/modules, /sys/kernel/btf/<module>: X's own BTF there).
	 */
	if (strncmp(name, "core", 4))
		goto out;
	{
		static const char modules[] = "bpf_testmod 16384 0 - Live 0xffffffffc0000000\n";
		struct btf_header empty = { .magic = BTF_MAGIC, .version = BTF_VERSION,
					    .hdr_len = sizeof(empty), .str_len = 1 };
		uint8_t blob[sizeof(empty) + 1] = { 0 };

		memcpy(blob, &empty, sizeof(empty));
		kbtf.len = 0;
		kernel_btf(blob, sizeof(blob), &kbtf);
		b.len = 0;
		put_u(&b, 0x80 | 2, 1), put_u(&b, 0, 1), put_u(&b, 0, 2);
		put_u(&b, (uint32_t)len, 4);
		put(&b, obj, len);
		put_u(&b, 3, 1);
		put_file(&b, FZ_FILE_VMLINUX, kbtf.p, kbtf.len);
		put_file(&b, FZ_FILE_MODULES, modules, sizeof(modules) - 1);
		{
			struct buf mod = { 0 };
			uint32_t base_types, base_strs;

			btf_counts(kbtf.p, kbtf.len, &base_types, &base_strs);
			rebase(btf, btf_len, base_types, base_strs, &mod);
			put_file(&b, FZ_FILE_MODULE_BTF, mod.p, mod.len);
			free(mod.p);
		}
		snprintf(file, sizeof(file), "%.200s-mod", name);
		write_file(out, file, &b);
	}
out:
	free(btf);
	free(kbtf.p);
	free(gz.p);
	free(b.p);
}

static void core_seed(const char *name, int mode, const uint8_t *btf, size_t btf_len,
		      const uint8_t *obj, size_t len, const char *out)
{
	struct buf b = { 0 };

	put_u(&b, (uint32_t)mode, 1);
	put_u(&b, (uint32_t)btf_len, 4);
	put(&b, btf, btf_len);
	put(&b, obj, len);
	write_file(out, name, &b);
	free(b.p);
}

struct fixture {
	char name[256];
	uint8_t *obj;
	size_t len;
	uint8_t *btf;
	size_t btf_len;
};

int main(int argc, char **argv)
{
	struct fixture fx[64];
	size_t n = 0, i, j;
	struct dirent *de;
	DIR *d;

	if (argc != 4 || (strcmp(argv[1], "fuzz_load") && strcmp(argv[1], "fuzz_core"))) {
		fprintf(stderr, "usage: mkseeds fuzz_load|fuzz_core FIXTURE_DIR OUT_DIR\n");
		return 2;
	}
	d = opendir(argv[2]);
	if (!d) {
		perror(argv[2]);
		return 1;
	}
	while ((de = readdir(d)) && n < sizeof(fx) / sizeof(fx[0])) {
		size_t l = strlen(de->d_name);
		char path[4096];

		/* little-endian fixtures only: a foreign-endian object is never loaded */
		if (l < 7 || strcmp(de->d_name + l - 6, ".bpf.o"))
			continue;
		if (!strcmp(argv[1], "fuzz_core") && strncmp(de->d_name, "core", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[2], de->d_name);
		fx[n].obj = slurp(path, &fx[n].len);
		if (!fx[n].obj)
			continue;
		snprintf(fx[n].name, sizeof(fx[n].name), "%.*s", (int)(l - 6), de->d_name);
		fx[n].btf = object_btf(fx[n].obj, fx[n].len, &fx[n].btf_len);
		n++;
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], "fuzz_load")) {
			load_seeds(fx[i].name, fx[i].obj, fx[i].len, argv[3]);
			continue;
		}
		/* X against an empty-ish kernel BTF and X's own BTF as a module on it */
		if (fx[i].btf) {
			struct buf kb = { 0 }, mod = { 0 }, b = { 0 };
			struct btf_header empty = { .magic = BTF_MAGIC, .version = BTF_VERSION,
						    .hdr_len = sizeof(empty), .str_len = 1 };
			uint8_t blob[sizeof(empty) + 1] = { 0 };
			uint32_t bt, bs;
			char name[600];

			memcpy(blob, &empty, sizeof(empty));
			kernel_btf(blob, sizeof(blob), &kb);
			btf_counts(kb.p, kb.len, &bt, &bs);
			rebase(fx[i].btf, fx[i].btf_len, bt, bs, &mod);
			put_u(&b, 0x10 | 2, 1);
			put_u(&b, (uint32_t)kb.len, 4);
			put(&b, kb.p, kb.len);
			put_u(&b, (uint32_t)mod.len, 4);
			put(&b, mod.p, mod.len);
			put(&b, fx[i].obj, fx[i].len);
			snprintf(name, sizeof(name), "%.200s-in-module", fx[i].name);
			write_file(argv[3], name, &b);
			free(kb.p);
			free(mod.p);
			free(b.p);
		}
		for (j = 0; j < n; j++) {
			char name[600];

			if (!fx[j].btf)
				continue;
			/* the kernel's way (lazy) for each pair, untrusted for the object's own */
			snprintf(name, sizeof(name), "%.200s-on-%.200s", fx[i].name, fx[j].name);
			core_seed(name, i == j ? 0 : 2, fx[j].btf, fx[j].btf_len, fx[i].obj,
				  fx[i].len, argv[3]);
		}
	}
	for (i = 0; i < n; i++) {
		free(fx[i].obj);
		free(fx[i].btf);
	}
	if (!n) {
		fprintf(stderr, "mkseeds: no fixture in %s (make fixtures)\n", argv[2]);
		return 1;
	}
	return 0;
}
