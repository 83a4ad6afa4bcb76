/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The libbpf-compatible layer (libbarebpf-libbpf): internals shared by its
 * files. Each public function is a thin adapter over the native API
 * (include/barebpf) and the layers below: it checks options the way
 * libbpf does (the sz convention), calls the native code, and converts the
 * result to libbpf's convention at the edge (bbpf_compat_err*: errno set
 * there and nowhere else in the project but sys_linux.c).
 *
 * What this layer may do that the rest of the library may not, and why:
 *  - define libbpf's names (no bbpf_ prefix): they are its API;
 *  - set errno: libbpf's contract;
 *  - hold one mutable global, the print callback of libbpf_set_print()
 *    (print.c), which libbpf's API makes process-wide.
 * Internal helpers with external linkage are named bbpf_compat_<file>_*.
 * Everything else follows the project's rules: kernel and file-system
 * access through a syscall table (bbpf_compat_sys()), memory through
 * bbpf_alloc_libc.
 */
#ifndef BBPF_COMPAT_H
#define BBPF_COMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <barebpf/attach.h>
#include <barebpf/events.h>
#include <barebpf/loader.h>
#include "../load/load.h"

/* ---- sys.c: the syscall table and contexts ---- */

/*
 * The syscall table every compat call uses. A weak definition returning
 * &bbpf_sys_linux: a program (or a test) that defines its own
 * bbpf_compat_sys() runs the whole libbpf-compatible API over another
 * table (a fake kernel, a recorder). Always a complete table.
 */
const struct bbpf_sys *bbpf_compat_sys(void);

/*
 * A context over bbpf_compat_sys() logging to the print callback (through
 * log_ctx, see print.c); extra may set kconfig, pin_root, btf_path.
 */
int bbpf_compat_sys_ctx(struct bbpf_ctx **out, const struct bbpf_ctx_opts *extra);

/*
 * A new fd as a libbpf result: errno set when fd < 0; an fd of 0, 1 or 2 is
 * moved to >= 3 (as libbpf does, so a program that closed stdin does not
 * get a BPF object as fd 0).
 */
int bbpf_compat_sys_fd(long fd);

/* ---- err.c: libbpf's result conventions ---- */

/* err < 0: errno = -err. Returns err. The one place errno is set. */
int bbpf_compat_err(int err);
/* errno = -err (err < 0), NULL. */
void *bbpf_compat_errp(int err);
/* ptr, or NULL with errno = -err when ptr is NULL. */
void *bbpf_compat_ptr(void *ptr, int err);

/*
 * The sz rule: opts NULL is fine; sz below sizeof(size_t) is refused;
 * bytes past known_len (the end of the last field this library knows) up to
 * sz must be zero. Logs why and returns false when refused.
 */
bool bbpf_compat_opts_ok(const void *opts, size_t known_len, const char *type_name);

#define bbpf_offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))

/* OPTS_VALID: libbpf's check of an options struct "struct TYPE". */
#define BBPF_OPTS_VALID(opts, TYPE)						\
	bbpf_compat_opts_ok((opts), bbpf_offsetofend(struct TYPE, TYPE##__last_field), #TYPE)

/* The field if the caller's struct is long enough to hold it, else dflt. */
#define BBPF_OPTS_GET(opts, field, dflt)					\
	((opts) && (opts)->sz >= bbpf_offsetofend(__typeof__(*(opts)), field) ?	\
	 (opts)->field : (dflt))

/* ---- print.c ---- */

/* "libbpf: <fmt>" through the print callback (fmt ends in "\n"). */
void bbpf_compat_pr(enum libbpf_print_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define pr_warn(...) bbpf_compat_pr(LIBBPF_WARN, __VA_ARGS__)
#define pr_info(...) bbpf_compat_pr(LIBBPF_INFO, __VA_ARGS__)
#define pr_debug(...) bbpf_compat_pr(LIBBPF_DEBUG, __VA_ARGS__)

/*
 * The native log callback: every line to the print callback as
 * "libbpf: <msg>\n". log_ctx is NULL or a struct bpf_object, whose
 * kernel_log_buf then also collects the verifier's lines.
 */
void bbpf_compat_print_log(void *log_ctx, enum bbpf_log_level level, const char *msg);

/* ---- memory (sys.c) ---- */

void *bbpf_compat_sys_zalloc(size_t n);
void bbpf_compat_sys_free(void *p, size_t n);
char *bbpf_compat_sys_strdup(const char *s);
void bbpf_compat_sys_strfree(char *s);

/* ---- the objects behind libbpf's opaque types ---- */

struct bpf_program {
	struct bbpf_program *p;
	struct bpf_object *obj;
	bool autoattach;
	__u32 log_level;
	char *log_buf;
	size_t log_size;
	__u32 ifindex;
	char *attach_target;		/* set_attach_target's copy, or NULL */
};

struct bpf_map {
	struct bbpf_map *m;
	struct bpf_object *obj;
	bool autoattach;
	bool pinned;
	char *pin_path;			/* libbpf's pin_path attribute (copy), or NULL */
	__u32 ifindex;
	/*
	 * Internal maps: their memory, an anonymous shared mapping of
	 * mmap_len bytes made at open. It holds the initial value until load
	 * (copied into the native object then) and is re-mapped onto the
	 * map's memory afterwards (MAP_FIXED), so its address never changes,
	 * as libbpf promises skeletons. NULL for other maps.
	 */
	void *mmaped;
	size_t mmap_len;
	bool remapped;			/* now the map's memory */
};

struct bpf_object {
	struct bbpf_object *o;
	struct bbpf_ctx *ctx;		/* made at load */
	struct bpf_program *progs;
	uint32_t prog_cnt;
	struct bpf_map *maps;
	uint32_t map_cnt;
	struct btf *btf;		/* bpf_object__btf(), made on first use */
	void *buf;			/* open_mem: the caller's bytes, copied */
	size_t buf_len;
	char *kconfig;
	char *btf_custom_path;
	char *pin_root;
	char *kernel_log_buf;
	size_t kernel_log_size;
	size_t kernel_log_len;		/* bytes in kernel_log_buf so far */
	__u32 kernel_log_level;
	__u32 kern_version;
	bool load_tried;		/* libbpf loads an object at most once */
	bool loaded;
};

struct bpf_link {
	struct bbpf_link *l;		/* NULL: an fd-only link (bpf_link__open) */
	int fd;				/* fd-only links: owned */
	char *pin_path;
	bool disconnected;
	int perf_fd;			/* attach_perf_event's pfd, owned (closed at destroy), or -1 */
};

/* ---- object.c ---- */

/* The object's context, made on first need (set_attach_target, load). */
int bbpf_compat_object_ctx(struct bpf_object *obj, struct bbpf_ctx **out);

/* The compat wrapper of a native program/map of obj (NULL if none). */
struct bpf_program *bbpf_compat_object_prog(const struct bpf_object *obj,
					    const struct bbpf_program *p);
struct bpf_map *bbpf_compat_object_map(const struct bpf_object *obj, const struct bbpf_map *m);

/* ---- link.c ---- */

/* A compat link around a native one (taken over), or NULL + errno (the native one freed). */
struct bpf_link *bbpf_compat_link_wrap(struct bbpf_link *l);
/* err < 0: NULL + errno; else the wrapped link. */
struct bpf_link *bbpf_compat_link_result(int err, struct bbpf_link *l);

/* ---- probe.c ---- */

/*
 * The vmlinux BTF id of what a program of attach type type attaches to
 * called name (libbpf's prefixes: "btf_trace_" for tp_btf, "bpf_lsm_" for
 * lsm, "bpf_iter_" for iterators), from ctx's kernel BTF; -ESRCH if absent.
 */
int bbpf_compat_probe_btf_id(struct bbpf_ctx *ctx, const char *name, enum bpf_attach_type type,
			     uint32_t *kind);

/* ---- btf.c ---- */

/* A struct btf over the object's BTF (not owned; not writable). */
struct btf *bbpf_compat_btf_of_object(const struct bbpf_object *o);
/* The parsed view (NULL + err on failure of a deferred re-parse). */
const struct bbpf_btf *bbpf_compat_btf_view(const struct btf *btf, int *err);

#endif
