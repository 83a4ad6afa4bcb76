/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Target BTF files: mapping the kernel's own BTF, reading untrusted BTF
 * files (raw, or the .BTF section of an ELF vmlinux), module BTF as split
 * BTF on vmlinux, and the per-context CO-RE candidate cache. See kern.h.
 *
 * Trust: the running kernel's files under /sys/kernel/btf/ are parsed as
 * trusted (structure only: bbpf_btf_parse_lazy() for vmlinux, whose walk
 * the CO-RE cache's first search does, bbpf_btf_parse_trusted() for
 * modules); every other file with the full two-phase validation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "kern.h"
#include "../base/fmt.h"
#include "../parse/elf.h"
#include "../relo/core.h"

#define BTF_HDR_LEN	24u
#define KERNEL_BTF_MAX	((size_t)256 << 20)	/* ~6 MB here; offsets are 32-bit anyway */
#define BTF_FILE_MAX	((size_t)1 << 30)	/* an ELF vmlinux with debug info is large */
#define MODULES_PATH	"/proc/modules"
#define MODULES_MAX	((size_t)4 << 20)
#define MODULE_NAME_MAX	64u			/* the kernel's MODULE_NAME_LEN is 56 */

static int read_full(const struct bbpf_sys *sys, int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	long n;

	while (got < len) {
		n = sys->read(sys->ctx, fd, buf + got, len - got);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return (int)n;
		if (n == 0 || (size_t)n > len - got)
			return -EBADMSG;	/* short file, or a table that overran */
		got += (size_t)n;
	}
	return 0;
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * The length a host-order BTF header announces: header plus the furthest
 * section end (the parser checks the layout itself). 0 if it is not one.
 */
static size_t btf_total_len(const uint8_t hdr[BTF_HDR_LEN])
{
	uint64_t hdr_len = get_u32(hdr + 4);
	uint64_t types_end = (uint64_t)get_u32(hdr + 8) + get_u32(hdr + 12);
	uint64_t strs_end = (uint64_t)get_u32(hdr + 16) + get_u32(hdr + 20);
	uint64_t total = hdr_len + (types_end > strs_end ? types_end : strs_end);
	uint16_t magic;

	memcpy(&magic, hdr, sizeof(magic));
	if (magic != BTF_MAGIC || hdr_len < BTF_HDR_LEN || total > KERNEL_BTF_MAX)
		return 0;
	return (size_t)total;
}

static int record_map(struct bbpf_ctx *ctx, void *addr, size_t len)
{
	struct bbpf_ctx_map *m = bbpf_arena_zalloc(&ctx->arena, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->addr = addr;
	m->len = len;
	m->next = ctx->maps;
	ctx->maps = m;
	return 0;
}

/* 0 and *buf set when mapped; 1 when the caller should read instead; < 0 on error. */
static int try_map(struct bbpf_ctx *ctx, const char *path, const void **buf, size_t *len)
{
	const struct bbpf_sys *sys = &ctx->sys;
	uint8_t hdr[BTF_HDR_LEN];
	void *addr = NULL;
	size_t total;
	long fd, ret;
	int err;

	fd = sys->open(sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	err = read_full(sys, (int)fd, hdr, sizeof(hdr));
	total = err ? 0 : btf_total_len(hdr);
	if (err == -ENOMEM || err == -EINTR)
		goto out;
	err = 1;
	if (!total)
		goto out;	/* let the parser report what is wrong */
	/* sysfs refuses lengths past the file's page-rounded size: none asked. */
	ret = sys->mmap(sys->ctx, NULL, total, PROT_READ, MAP_PRIVATE, (int)fd, 0, &addr);
	if (ret < 0) {
		bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "%s: cannot map (%s), reading it", path,
			 bbpf_err_name((int)ret));
		goto out;
	}
	err = record_map(ctx, addr, total);
	if (err) {
		sys->munmap(sys->ctx, addr, total);
		goto out;
	}
	*buf = addr;
	*len = total;
out:
	sys->close(sys->ctx, (int)fd);
	return err;
}

int bbpf_ctx_map_btf_file(struct bbpf_ctx *ctx, const char *path, const void **buf,
			  size_t *len)
{
	char *data;
	int err = try_map(ctx, path, buf, len);

	if (err <= 0)
		return err;
	err = bbpf_sys_read_file(ctx, path, &ctx->arena, KERNEL_BTF_MAX, &data, len);
	if (!err)
		*buf = data;
	return err;
}

/* ---- untrusted files: raw BTF or an ELF's .BTF ---- */

static void log_bad(struct bbpf_ctx *ctx, enum bbpf_log_level level, const char *path,
		    const char *what, const struct bbpf_diag *d)
{
	bbpf_log(&ctx->log, level, "%s: %s at offset 0x%llx (%s)", path, what,
		 (unsigned long long)d->off, bbpf_bad_str(d->why));
}

/*
 * The .BTF section of an ELF image, copied into ctx->arena: the image (in a
 * scratch arena) can be large and is freed right after.
 */
static int elf_btf(struct bbpf_ctx *ctx, const char *path, enum bbpf_log_level level,
		   const uint8_t *img, size_t len, struct bbpf_arena *scratch,
		   const uint8_t **btf, uint32_t *btf_len, bool *swap)
{
	const struct bbpf_elf_shdr *sh;
	struct bbpf_diag d = { 0 };
	struct bbpf_elf elf;
	uint32_t idx;
	int err;

	err = bbpf_elf_parse(&elf, img, len, 0, scratch, &d);
	if (err) {
		if (err == -EBADMSG)
			log_bad(ctx, level, path, "malformed ELF", &d);
		return err;
	}
	idx = bbpf_elf_find_sec(&elf, ".BTF");
	sh = bbpf_elf_shdr(&elf, idx);
	if (!idx || !bbpf_elf_sec_data(&elf, idx) || sh->size > UINT32_MAX) {
		bbpf_log(&ctx->log, level, "%s: ELF file without a usable .BTF section", path);
		return -EBADMSG;
	}
	*btf = bbpf_arena_memdup(&ctx->arena, bbpf_elf_sec_data(&elf, idx), sh->size);
	if (!*btf)
		return -ENOMEM;
	*btf_len = (uint32_t)sh->size;
	*swap = elf.swap;
	return 0;
}

int bbpf_btf_read_untrusted(struct bbpf_ctx *ctx, const char *path, enum bbpf_log_level level,
			    struct bbpf_btf **out)
{
	return bbpf_btf_read_split(ctx, path, NULL, level, out);
}

int bbpf_btf_read_split(struct bbpf_ctx *ctx, const char *path, const struct bbpf_btf *base,
			enum bbpf_log_level level, struct bbpf_btf **out)
{
	static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };
	struct bbpf_diag d = { 0 };
	struct bbpf_arena scratch;
	const uint8_t *data;
	struct bbpf_btf *btf;
	uint32_t btf_len;
	bool swap = false, is_elf;
	char *buf;
	size_t len;
	int err;

	bbpf_arena_init(&scratch, &ctx->alloc, BTF_FILE_MAX + ((size_t)64 << 20));
	err = bbpf_sys_read_file(ctx, path, &scratch, BTF_FILE_MAX, &buf, &len);
	if (err) {
		bbpf_log(&ctx->log, level, "cannot read BTF %s: %s", path, bbpf_err_name(err));
		goto out;
	}
	is_elf = len >= sizeof(elf_magic) && !memcmp(buf, elf_magic, sizeof(elf_magic));
	if (is_elf) {
		err = elf_btf(ctx, path, level, (const uint8_t *)buf, len, &scratch, &data,
			      &btf_len, &swap);
		if (err)
			goto out;
	} else {
		err = -E2BIG;
		if (len > UINT32_MAX)
			goto out;
		err = -ENOMEM;
		data = bbpf_arena_memdup(&ctx->arena, buf, len);
		if (!data)
			goto out;
		btf_len = (uint32_t)len;
	}
	err = -ENOMEM;
	btf = bbpf_arena_zalloc(&ctx->arena, sizeof(*btf));
	if (!btf)
		goto out;
	/* A raw file's byte order comes from its magic, an ELF's from its header. */
	err = is_elf ? bbpf_btf_parse(btf, data, btf_len, swap, base, &ctx->arena, &d) :
		       bbpf_btf_parse_raw(btf, data, btf_len, base, &ctx->arena, &d);
	if (err == -EBADMSG)
		log_bad(ctx, level, path, "not valid BTF", &d);
	if (!err)
		*out = btf;
out:
	bbpf_arena_free(&scratch);
	return err;
}

/* ---- module BTF ---- */

/* Module names are [A-Za-z0-9_-]: nothing that could leave /sys/kernel/btf/. */
static bool module_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= MODULE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* One module: 0 when added or skipped (no BTF, unreadable, malformed), or -ENOMEM. */
static int load_module(struct bbpf_ctx *ctx, struct bbpf_core_cache *cache,
		       const struct bbpf_btf *vmlinux, const char *name)
{
	struct bbpf_diag d = { 0 };
	char path[sizeof("/sys/kernel/btf/") + MODULE_NAME_MAX];
	struct bbpf_btf *btf;
	char *buf;
	size_t len;
	int err;

	bbpf_snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name);
	/* sysfs maps only vmlinux's BTF: read modules' directly. */
	err = bbpf_sys_read_file(ctx, path, &ctx->arena, KERNEL_BTF_MAX, &buf, &len);
	if (err == -ENOMEM)
		return err;
	if (err) {
		/* Modules built without BTF have no file: not worth a message. */
		if (err != -ENOENT)
			bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "cannot read %s: %s", path,
				 bbpf_err_name(err));
		return 0;
	}
	btf = bbpf_arena_zalloc(&ctx->arena, sizeof(*btf));
	if (!btf)
		return -ENOMEM;
	err = len > UINT32_MAX ? -E2BIG :
	      bbpf_btf_parse_trusted(btf, buf, (uint32_t)len, vmlinux, &ctx->arena, &d);
	if (err == -ENOMEM)
		return err;
	if (err) {
		log_bad(ctx, BBPF_LOG_WARN, path, "malformed module BTF, skipped", &d);
		return 0;
	}
	return bbpf_core_cache_add_module(cache, btf, name);
}

/*
 * The cache's load_modules hook: every loaded module's BTF, as split BTF on
 * the kernel's. Called once, when a name is missing from vmlinux. Module
 * names come from /proc/modules, the first field of each line.
 */
static int load_modules(void *vctx, struct bbpf_core_cache *cache)
{
	struct bbpf_ctx *ctx = vctx;
	const char *p, *end, *eol, *sp;
	char *text, *name;
	size_t len;
	int err;

	err = bbpf_sys_read_file(ctx, MODULES_PATH, &ctx->arena, MODULES_MAX, &text, &len);
	if (err == -ENOENT)
		return 0;	/* CONFIG_MODULES=n */
	if (err) {
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "cannot read %s", MODULES_PATH);
		return err;
	}
	for (p = text, end = text + len; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		sp = memchr(p, ' ', (size_t)(eol - p));
		if (!sp || !module_name_ok(p, (size_t)(sp - p)))
			continue;
		name = bbpf_arena_strndup(&ctx->arena, p, (size_t)(sp - p));
		if (!name)
			return -ENOMEM;
		err = load_module(ctx, cache, cache->vmlinux, name);
		if (err)
			return err;
	}
	return 0;
}

/* ---- the CO-RE target ---- */

int bbpf_ctx_core_cache(struct bbpf_ctx *ctx, struct bbpf_core_cache **out)
{
	struct bbpf_core_cache *cache;
	struct bbpf_btf *target;
	bool kernel = !ctx->btf_path;
	int err;

	if (ctx->core_cache) {
		*out = ctx->core_cache;
		return 0;
	}
	/* Unwalked: the cache's first candidate search is the walk (see vmlinux.c). */
	err = kernel ? bbpf_kernel_btf_lazy(ctx, &target) :
		       bbpf_btf_read_untrusted(ctx, ctx->btf_path, BBPF_LOG_WARN, &target);
	if (err)
		return err;
	cache = bbpf_arena_zalloc(&ctx->arena, sizeof(*cache));
	if (!cache)
		return -ENOMEM;
	/* A caller's file overrides the kernel: no modules then, as in libbpf. */
	bbpf_core_cache_init(cache, target, kernel, &ctx->arena);
	if (kernel) {
		cache->load_modules = load_modules;
		cache->load_modules_ctx = ctx;
		/* the same vmlinux as attach targets and typed ksyms: one walk for both */
		cache->rider = bbpf_kname_rider(ctx);
	}
	ctx->core_target = target;
	ctx->core_cache = cache;
	*out = cache;
	return 0;
}
