/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf's libbpf-compatible API: libbpf.h. Link with
 * `pkg-config --libs barebpf-libbpf` (libbarebpf-libbpf over libbarebpf)
 * instead of libbpf. Written from libbpf's documented API (docs/api.rst,
 * libbpf_naming_convention.rst); not libbpf's code. README "libbpf-compatible
 * API" lists what is covered and every known difference.
 *
 * Conventions, as libbpf 1.x:
 *  - int results: >= 0 on success; a negative errno on failure, with errno
 *    set to the same (positive) value;
 *  - pointer results: NULL on failure with errno set; libbpf_get_error()
 *    turns either into the error;
 *  - options structs start with sz (LIBBPF_OPTS() fills it): a struct
 *    longer than this library knows with non-zero bytes past the fields it
 *    knows is refused with -EINVAL; a shorter one (an older caller) reads
 *    the missing fields as zero; opts NULL means all defaults;
 *  - messages go to the print callback (libbpf_set_print()), prefixed with
 *    "libbpf: " and ending in a newline.
 */
#ifndef __LIBBPF_LIBBPF_H
#define __LIBBPF_LIBBPF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <linux/bpf.h>

#include "libbpf_common.h"
#include "libbpf_legacy.h"

#ifdef __cplusplus
extern "C" {
#endif

LIBBPF_API __u32 libbpf_major_version(void);
LIBBPF_API __u32 libbpf_minor_version(void);
/* "v1.8" */
LIBBPF_API const char *libbpf_version_string(void);

enum libbpf_errno {
	__LIBBPF_ERRNO__START = 4000,
	LIBBPF_ERRNO__LIBELF = __LIBBPF_ERRNO__START,
	LIBBPF_ERRNO__FORMAT,
	LIBBPF_ERRNO__KVERSION,
	LIBBPF_ERRNO__ENDIAN,
	LIBBPF_ERRNO__INTERNAL,
	LIBBPF_ERRNO__RELOC,
	LIBBPF_ERRNO__LOAD,
	LIBBPF_ERRNO__VERIFY,
	LIBBPF_ERRNO__PROG2BIG,
	LIBBPF_ERRNO__KVER,
	LIBBPF_ERRNO__PROGTYPE,
	LIBBPF_ERRNO__WRNGPID,
	LIBBPF_ERRNO__INVSEQ,
	LIBBPF_ERRNO__NLPARSE,
	__LIBBPF_ERRNO__END,
};

/*
 * Text of err (either sign) into buf: strerror's for errnos, a description
 * for LIBBPF_ERRNO__*. 0; -EINVAL (no buffer), -ERANGE (truncated),
 * -ENOENT (an unknown libbpf error code: "Unknown libbpf error <n>").
 */
LIBBPF_API int libbpf_strerror(int err, char *buf, size_t size);

/* bpftool's names ("kprobe", "percpu_array", "trace_fentry", ...); NULL if unknown. */
LIBBPF_API const char *libbpf_bpf_attach_type_str(enum bpf_attach_type t);
LIBBPF_API const char *libbpf_bpf_link_type_str(enum bpf_link_type t);
LIBBPF_API const char *libbpf_bpf_map_type_str(enum bpf_map_type t);
LIBBPF_API const char *libbpf_bpf_prog_type_str(enum bpf_prog_type t);

enum libbpf_print_level {
	LIBBPF_WARN,
	LIBBPF_INFO,
	LIBBPF_DEBUG,
};

typedef int (*libbpf_print_fn_t)(enum libbpf_print_level level, const char *, va_list ap);

/*
 * The process-wide print callback; NULL silences the library. Returns the
 * previous one. The default prints warnings and information to stderr
 * (LIBBPF_LOG_LEVEL=warn|info|debug in the environment changes the level).
 * Thread-safe.
 */
LIBBPF_API libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);

/* ================================ objects ================================ */

struct bpf_object;

struct bpf_object_open_opts {
	size_t sz;
	/* Object name; default: the file's base name up to its first '.', or
	 * "<buffer address>-<size>" for open_mem. Internal maps are named
	 * "<first 8 characters>.bss", ... */
	const char *object_name;
	/* Accepted; barebpf always reads map definitions with extra fields. */
	bool relaxed_maps;
	/* Where maps with pinning by name are pinned (default /sys/fs/bpf). */
	const char *pin_root_path;
	__u32 :32;
	/* Kconfig text ("CONFIG_X=y" lines) for .kconfig externs, read before
	 * (and so winning over) the running kernel's configuration. */
	const char *kconfig;
	/* BTF file for CO-RE relocations instead of the kernel's. */
	const char *btf_custom_path;
	/* The verifier's log of each program load (and the BTF load): the
	 * lines of the latest one, as text. With kernel_log_level 0 only
	 * failures are logged. */
	char *kernel_log_buf;
	size_t kernel_log_size;
	__u32 kernel_log_level;
	/* BPF tokens are not supported: a non-empty path fails with -EOPNOTSUPP. */
	const char *bpf_token_path;
	size_t :0;
};
#define bpf_object_open_opts__last_field bpf_token_path

LIBBPF_API struct bpf_object *bpf_object__open(const char *path);
LIBBPF_API struct bpf_object *bpf_object__open_file(const char *path,
						   const struct bpf_object_open_opts *opts);
/* The buffer is copied. */
LIBBPF_API struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
						  const struct bpf_object_open_opts *opts);
/*
 * Create maps, load programs. A second call, or one after a failed load,
 * is refused with -EINVAL (as libbpf: an object is loaded at most once).
 */
LIBBPF_API int bpf_object__load(struct bpf_object *obj);
/* Detaches what the object attached, unloads, frees. NULL is fine. */
LIBBPF_API void bpf_object__close(struct bpf_object *obj);

/* path NULL: each map's own pin path (maps without one skipped). */
LIBBPF_API int bpf_object__pin_maps(struct bpf_object *obj, const char *path);
LIBBPF_API int bpf_object__unpin_maps(struct bpf_object *obj, const char *path);
/* Each program at path/<program name>. */
LIBBPF_API int bpf_object__pin_programs(struct bpf_object *obj, const char *path);
LIBBPF_API int bpf_object__unpin_programs(struct bpf_object *obj, const char *path);
LIBBPF_API int bpf_object__pin(struct bpf_object *object, const char *path);
LIBBPF_API int bpf_object__unpin(struct bpf_object *object, const char *path);

LIBBPF_API const char *bpf_object__name(const struct bpf_object *obj);
LIBBPF_API unsigned int bpf_object__kversion(const struct bpf_object *obj);
/* Accepted before load (-EBUSY after); barebpf passes the object's own "version" section. */
LIBBPF_API int bpf_object__set_kversion(struct bpf_object *obj, __u32 kern_version);

struct btf;
/* The object's BTF (owned by the object), NULL if it has none. */
LIBBPF_API struct btf *bpf_object__btf(const struct bpf_object *obj);
/* Its fd once loaded, else -1. */
LIBBPF_API int bpf_object__btf_fd(const struct bpf_object *obj);

LIBBPF_API struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj,
								const char *name);

/* Program and attach type a section name gives (-ESRCH if none). */
LIBBPF_API int libbpf_prog_type_by_name(const char *name, enum bpf_prog_type *prog_type,
					enum bpf_attach_type *expected_attach_type);
LIBBPF_API int libbpf_attach_type_by_name(const char *name, enum bpf_attach_type *attach_type);
/* The vmlinux BTF id of the target an attach type needs ("<prefix><name>"), or -ESRCH. */
LIBBPF_API int libbpf_find_vmlinux_btf_id(const char *name, enum bpf_attach_type attach_type);

/* ================================ programs =============================== */

struct bpf_program;

/* Programs only (no subprograms), in section order. */
LIBBPF_API struct bpf_program *bpf_object__next_program(const struct bpf_object *obj,
							struct bpf_program *prog);
LIBBPF_API struct bpf_program *bpf_object__prev_program(const struct bpf_object *obj,
							struct bpf_program *prog);

#define bpf_object__for_each_program(pos, obj)					\
	for ((pos) = bpf_object__next_program((obj), NULL); (pos) != NULL;	\
	     (pos) = bpf_object__next_program((obj), (pos)))

/* Offloaded programs are not supported: a non-zero ifindex fails the load. */
LIBBPF_API void bpf_program__set_ifindex(struct bpf_program *prog, __u32 ifindex);

LIBBPF_API const char *bpf_program__name(const struct bpf_program *prog);
LIBBPF_API const char *bpf_program__section_name(const struct bpf_program *prog);
LIBBPF_API bool bpf_program__autoload(const struct bpf_program *prog);
/* Before load; -EINVAL after. */
LIBBPF_API int bpf_program__set_autoload(struct bpf_program *prog, bool autoload);
LIBBPF_API bool bpf_program__autoattach(const struct bpf_program *prog);
LIBBPF_API void bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach);

struct bpf_insn;
/* The program's own instructions as in the object (relocation applies at load). */
LIBBPF_API const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog);
LIBBPF_API size_t bpf_program__insn_cnt(const struct bpf_program *prog);

/* -EINVAL before load or if not loaded. */
LIBBPF_API int bpf_program__fd(const struct bpf_program *prog);

LIBBPF_API int bpf_program__pin(struct bpf_program *prog, const char *path);
LIBBPF_API int bpf_program__unpin(struct bpf_program *prog, const char *path);

struct bpf_link;

/* A link pinned at path (BPF_OBJ_GET): destroying it closes the fd only. */
LIBBPF_API struct bpf_link *bpf_link__open(const char *path);
LIBBPF_API int bpf_link__fd(const struct bpf_link *link);
LIBBPF_API const char *bpf_link__pin_path(const struct bpf_link *link);
LIBBPF_API int bpf_link__pin(struct bpf_link *link, const char *path);
LIBBPF_API int bpf_link__unpin(struct bpf_link *link);
/* BPF_LINK_UPDATE to prog's program. */
LIBBPF_API int bpf_link__update_program(struct bpf_link *link, struct bpf_program *prog);
/* Destroying the link then frees it without detaching (its fds stay open). */
LIBBPF_API void bpf_link__disconnect(struct bpf_link *link);
/* BPF_LINK_DETACH; the link must still be destroyed. */
LIBBPF_API int bpf_link__detach(struct bpf_link *link);
/* Detach (unless disconnected) and free. NULL is fine; returns 0 or the detach error. */
LIBBPF_API int bpf_link__destroy(struct bpf_link *link);

/*
 * Attach as the section name says (tp/, raw_tp/, tp_btf/, iter/, fentry/,
 * kprobe/, uprobe/ with a target, ...). -EOPNOTSUPP for a section that
 * names no target.
 */
LIBBPF_API struct bpf_link *bpf_program__attach(const struct bpf_program *prog);

struct bpf_perf_event_opts {
	size_t sz;
	__u64 bpf_cookie;
	bool force_ioctl_attach;
	size_t :0;
};
#define bpf_perf_event_opts__last_field force_ioctl_attach

/* pfd: a perf event the caller opened, owned by the link from now on. */
LIBBPF_API struct bpf_link *bpf_program__attach_perf_event(const struct bpf_program *prog,
							   int pfd);
LIBBPF_API struct bpf_link *
bpf_program__attach_perf_event_opts(const struct bpf_program *prog, int pfd,
				    const struct bpf_perf_event_opts *opts);

enum probe_attach_mode {
	PROBE_ATTACH_MODE_DEFAULT = 0,
	PROBE_ATTACH_MODE_LEGACY,
	PROBE_ATTACH_MODE_PERF,
	PROBE_ATTACH_MODE_LINK,
};

struct bpf_kprobe_opts {
	size_t sz;
	__u64 bpf_cookie;
	size_t offset;
	bool retprobe;
	enum probe_attach_mode attach_mode;
	size_t :0;
};
#define bpf_kprobe_opts__last_field attach_mode

LIBBPF_API struct bpf_link *bpf_program__attach_kprobe(const struct bpf_program *prog,
						       bool retprobe, const char *func_name);
LIBBPF_API struct bpf_link *bpf_program__attach_kprobe_opts(const struct bpf_program *prog,
							    const char *func_name,
							    const struct bpf_kprobe_opts *opts);

struct bpf_kprobe_multi_opts {
	size_t sz;
	const char **syms;
	const unsigned long *addrs;
	const __u64 *cookies;
	size_t cnt;
	bool retprobe;
	bool session;
	bool unique_match;
	size_t :0;
};
#define bpf_kprobe_multi_opts__last_field unique_match

LIBBPF_API struct bpf_link *
bpf_program__attach_kprobe_multi_opts(const struct bpf_program *prog, const char *pattern,
				      const struct bpf_kprobe_multi_opts *opts);

struct bpf_uprobe_multi_opts {
	size_t sz;
	const char **syms;
	const unsigned long *offsets;
	const unsigned long *ref_ctr_offsets;
	const __u64 *cookies;
	size_t cnt;
	bool retprobe;
	bool session;
	size_t :0;
};
#define bpf_uprobe_multi_opts__last_field session

LIBBPF_API struct bpf_link *
bpf_program__attach_uprobe_multi(const struct bpf_program *prog, pid_t pid,
				 const char *binary_path, const char *func_pattern,
				 const struct bpf_uprobe_multi_opts *opts);

struct bpf_ksyscall_opts {
	size_t sz;
	__u64 bpf_cookie;
	bool retprobe;
	size_t :0;
};
#define bpf_ksyscall_opts__last_field retprobe

LIBBPF_API struct bpf_link *bpf_program__attach_ksyscall(const struct bpf_program *prog,
							 const char *syscall_name,
							 const struct bpf_ksyscall_opts *opts);

struct bpf_uprobe_opts {
	size_t sz;
	size_t ref_ctr_offset;
	__u64 bpf_cookie;
	bool retprobe;
	/* "malloc", "malloc@GLIBC_2.2.5": then func_offset is relative to it */
	const char *func_name;
	enum probe_attach_mode attach_mode;
	size_t :0;
};
#define bpf_uprobe_opts__last_field attach_mode

/* pid 0: this process, -1: all. */
LIBBPF_API struct bpf_link *bpf_program__attach_uprobe(const struct bpf_program *prog,
						       bool retprobe, pid_t pid,
						       const char *binary_path, size_t func_offset);
LIBBPF_API struct bpf_link *bpf_program__attach_uprobe_opts(const struct bpf_program *prog,
							    pid_t pid, const char *binary_path,
							    size_t func_offset,
							    const struct bpf_uprobe_opts *opts);

struct bpf_usdt_opts {
	size_t sz;
	__u64 usdt_cookie;
	size_t :0;
};
#define bpf_usdt_opts__last_field usdt_cookie

LIBBPF_API struct bpf_link *bpf_program__attach_usdt(const struct bpf_program *prog, pid_t pid,
						     const char *binary_path,
						     const char *usdt_provider,
						     const char *usdt_name,
						     const struct bpf_usdt_opts *opts);

struct bpf_tracepoint_opts {
	size_t sz;
	__u64 bpf_cookie;
};
#define bpf_tracepoint_opts__last_field bpf_cookie

LIBBPF_API struct bpf_link *bpf_program__attach_tracepoint(const struct bpf_program *prog,
							   const char *tp_category,
							   const char *tp_name);
LIBBPF_API struct bpf_link *
bpf_program__attach_tracepoint_opts(const struct bpf_program *prog, const char *tp_category,
				    const char *tp_name, const struct bpf_tracepoint_opts *opts);

struct bpf_raw_tracepoint_opts {
	size_t sz;
	__u64 cookie;
	size_t :0;
};
#define bpf_raw_tracepoint_opts__last_field cookie

LIBBPF_API struct bpf_link *bpf_program__attach_raw_tracepoint(const struct bpf_program *prog,
							       const char *tp_name);
LIBBPF_API struct bpf_link *
bpf_program__attach_raw_tracepoint_opts(const struct bpf_program *prog, const char *tp_name,
					struct bpf_raw_tracepoint_opts *opts);

struct bpf_trace_opts {
	size_t sz;
	__u64 cookie;
};
#define bpf_trace_opts__last_field cookie

LIBBPF_API struct bpf_link *bpf_program__attach_trace(const struct bpf_program *prog);
LIBBPF_API struct bpf_link *bpf_program__attach_trace_opts(const struct bpf_program *prog,
							   const struct bpf_trace_opts *opts);

LIBBPF_API struct bpf_link *bpf_program__attach_lsm(const struct bpf_program *prog);
LIBBPF_API struct bpf_link *bpf_program__attach_cgroup(const struct bpf_program *prog,
						       int cgroup_fd);
LIBBPF_API struct bpf_link *bpf_program__attach_netns(const struct bpf_program *prog,
						      int netns_fd);
LIBBPF_API struct bpf_link *bpf_program__attach_sockmap(const struct bpf_program *prog,
							int map_fd);
LIBBPF_API struct bpf_link *bpf_program__attach_xdp(const struct bpf_program *prog, int ifindex);
LIBBPF_API struct bpf_link *bpf_program__attach_freplace(const struct bpf_program *prog,
							 int target_fd,
							 const char *attach_func_name);

struct bpf_netfilter_opts {
	size_t sz;
	__u32 pf;
	__u32 hooknum;
	__s32 priority;
	__u32 flags;
};
#define bpf_netfilter_opts__last_field flags

LIBBPF_API struct bpf_link *bpf_program__attach_netfilter(const struct bpf_program *prog,
							  const struct bpf_netfilter_opts *opts);

struct bpf_tcx_opts {
	size_t sz;
	__u32 flags;
	__u32 relative_fd;
	__u32 relative_id;
	__u64 expected_revision;
	size_t :0;
};
#define bpf_tcx_opts__last_field expected_revision

LIBBPF_API struct bpf_link *bpf_program__attach_tcx(const struct bpf_program *prog, int ifindex,
						    const struct bpf_tcx_opts *opts);

struct bpf_netkit_opts {
	size_t sz;
	__u32 flags;
	__u32 relative_fd;
	__u32 relative_id;
	__u64 expected_revision;
	size_t :0;
};
#define bpf_netkit_opts__last_field expected_revision

LIBBPF_API struct bpf_link *bpf_program__attach_netkit(const struct bpf_program *prog,
						       int ifindex,
						       const struct bpf_netkit_opts *opts);

struct bpf_map;

/* Register a loaded struct_ops map. */
LIBBPF_API struct bpf_link *bpf_map__attach_struct_ops(const struct bpf_map *map);

struct bpf_iter_attach_opts {
	size_t sz;
	union bpf_iter_link_info *link_info;
	__u32 link_info_len;
};
#define bpf_iter_attach_opts__last_field link_info_len

LIBBPF_API struct bpf_link *bpf_program__attach_iter(const struct bpf_program *prog,
						     const struct bpf_iter_attach_opts *opts);

LIBBPF_API enum bpf_prog_type bpf_program__type(const struct bpf_program *prog);
/* Setters below: before load; -EBUSY after. */
LIBBPF_API int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type);
LIBBPF_API enum bpf_attach_type bpf_program__expected_attach_type(const struct bpf_program *prog);
LIBBPF_API int bpf_program__set_expected_attach_type(struct bpf_program *prog,
						     enum bpf_attach_type type);
LIBBPF_API __u32 bpf_program__flags(const struct bpf_program *prog);
LIBBPF_API int bpf_program__set_flags(struct bpf_program *prog, __u32 flags);

/*
 * Verifier log level of this program (the load uses the highest of every
 * program's and the open option's). log_buf: kept and returned by
 * bpf_program__log_buf(); barebpf writes the object's verifier log to
 * kernel_log_buf (open options) and the print callback, not per program.
 */
LIBBPF_API __u32 bpf_program__log_level(const struct bpf_program *prog);
LIBBPF_API int bpf_program__set_log_level(struct bpf_program *prog, __u32 log_level);
LIBBPF_API const char *bpf_program__log_buf(const struct bpf_program *prog, size_t *log_size);
LIBBPF_API int bpf_program__set_log_buf(struct bpf_program *prog, char *log_buf, size_t log_size);

/*
 * The BTF target of a tp_btf/fentry/fexit/fmod_ret/lsm/iter program in
 * vmlinux (attach_prog_fd 0); freplace of a loaded program's function
 * (attach_prog_fd > 0). Before load.
 */
LIBBPF_API int bpf_program__set_attach_target(struct bpf_program *prog, int attach_prog_fd,
					      const char *attach_func_name);

/* ================================== maps ================================= */

/* By name: "counts", or for internal maps ".bss" or "<obj>.bss". NULL, errno ENOENT. */
LIBBPF_API struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj,
							const char *name);
LIBBPF_API int bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name);

/* Every map, internal ones (.data, .rodata, .bss, .kconfig) included, in creation order. */
LIBBPF_API struct bpf_map *bpf_object__next_map(const struct bpf_object *obj,
						const struct bpf_map *map);
LIBBPF_API struct bpf_map *bpf_object__prev_map(const struct bpf_object *obj,
						const struct bpf_map *map);

#define bpf_object__for_each_map(pos, obj)					\
	for ((pos) = bpf_object__next_map((obj), NULL); (pos) != NULL;		\
	     (pos) = bpf_object__next_map((obj), (pos)))
#define bpf_map__for_each bpf_object__for_each_map

/* Setters: before load; -EBUSY after. */
LIBBPF_API int bpf_map__set_autocreate(struct bpf_map *map, bool autocreate);
LIBBPF_API bool bpf_map__autocreate(const struct bpf_map *map);
/* struct_ops maps: attached by bpf_object__attach_skeleton()/attach (default true). */
LIBBPF_API int bpf_map__set_autoattach(struct bpf_map *map, bool autoattach);
LIBBPF_API bool bpf_map__autoattach(const struct bpf_map *map);

/* -EINVAL before load. */
LIBBPF_API int bpf_map__fd(const struct bpf_map *map);
/* Use an existing map (fd duplicated) instead of creating one. */
LIBBPF_API int bpf_map__reuse_fd(struct bpf_map *map, int fd);
LIBBPF_API const char *bpf_map__name(const struct bpf_map *map);
LIBBPF_API enum bpf_map_type bpf_map__type(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type);
LIBBPF_API __u32 bpf_map__max_entries(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries);
LIBBPF_API __u32 bpf_map__map_flags(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_map_flags(struct bpf_map *map, __u32 flags);
LIBBPF_API __u32 bpf_map__numa_node(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_numa_node(struct bpf_map *map, __u32 numa_node);
LIBBPF_API __u32 bpf_map__key_size(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_key_size(struct bpf_map *map, __u32 size);
LIBBPF_API __u32 bpf_map__value_size(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_value_size(struct bpf_map *map, __u32 size);
LIBBPF_API __u32 bpf_map__btf_key_type_id(const struct bpf_map *map);
LIBBPF_API __u32 bpf_map__btf_value_type_id(const struct bpf_map *map);
/* Offloaded maps are not supported: a non-zero ifindex fails the load. */
LIBBPF_API __u32 bpf_map__ifindex(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_ifindex(struct bpf_map *map, __u32 ifindex);
LIBBPF_API __u64 bpf_map__map_extra(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_map_extra(struct bpf_map *map, __u64 map_extra);

/* Internal maps: the contents before load (size must be the value size). */
LIBBPF_API int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size);
/* Before load the initial contents; after load the map's memory if it is mapped. */
LIBBPF_API void *bpf_map__initial_value(const struct bpf_map *map, size_t *psize);

LIBBPF_API bool bpf_map__is_internal(const struct bpf_map *map);

/* Where the map is pinned by load (pinning by name sets <pin root>/<name> at open). */
LIBBPF_API int bpf_map__set_pin_path(struct bpf_map *map, const char *path);
LIBBPF_API const char *bpf_map__pin_path(const struct bpf_map *map);
LIBBPF_API bool bpf_map__is_pinned(const struct bpf_map *map);
/* path NULL: the map's pin path. */
LIBBPF_API int bpf_map__pin(struct bpf_map *map, const char *path);
LIBBPF_API int bpf_map__unpin(struct bpf_map *map, const char *path);

LIBBPF_API int bpf_map__set_inner_map_fd(struct bpf_map *map, int fd);
LIBBPF_API struct bpf_map *bpf_map__inner_map(struct bpf_map *map);

/*
 * Element operations on a loaded map, with sizes checked first (-EINVAL):
 * key_sz must be the key size; value_sz the value size, or for per-CPU maps
 * round_up(value size, 8) * libbpf_num_possible_cpus().
 */
LIBBPF_API int bpf_map__lookup_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    void *value, size_t value_sz, __u64 flags);
LIBBPF_API int bpf_map__update_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    const void *value, size_t value_sz, __u64 flags);
LIBBPF_API int bpf_map__delete_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    __u64 flags);
LIBBPF_API int bpf_map__lookup_and_delete_elem(const struct bpf_map *map, const void *key,
					       size_t key_sz, void *value, size_t value_sz,
					       __u64 flags);
LIBBPF_API int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
				     void *next_key, size_t key_sz);

/* =================================== XDP ================================= */

struct bpf_xdp_attach_opts {
	size_t sz;
	int old_prog_fd;
	size_t :0;
};
#define bpf_xdp_attach_opts__last_field old_prog_fd

struct bpf_xdp_query_opts {
	size_t sz;
	__u32 prog_id;		/* out */
	__u32 drv_prog_id;	/* out */
	__u32 hw_prog_id;	/* out */
	__u32 skb_prog_id;	/* out */
	__u8 attach_mode;	/* out */
	__u64 feature_flags;	/* out */
	__u32 xdp_zc_max_segs;	/* out */
	size_t :0;
};
#define bpf_xdp_query_opts__last_field xdp_zc_max_segs

LIBBPF_API int bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags,
			      const struct bpf_xdp_attach_opts *opts);
LIBBPF_API int bpf_xdp_detach(int ifindex, __u32 flags, const struct bpf_xdp_attach_opts *opts);
LIBBPF_API int bpf_xdp_query(int ifindex, int flags, struct bpf_xdp_query_opts *opts);
LIBBPF_API int bpf_xdp_query_id(int ifindex, int flags, __u32 *prog_id);

/* =================================== TC ================================== */

enum bpf_tc_attach_point {
	BPF_TC_INGRESS = 1 << 0,
	BPF_TC_EGRESS = 1 << 1,
	BPF_TC_CUSTOM = 1 << 2,
};

#define BPF_TC_PARENT(a, b) ((((a) << 16) & 0xFFFF0000U) | ((b) & 0x0000FFFFU))

enum bpf_tc_flags {
	BPF_TC_F_REPLACE = 1 << 0,
};

struct bpf_tc_hook {
	size_t sz;
	int ifindex;
	enum bpf_tc_attach_point attach_point;
	__u32 parent;
	size_t :0;
};
#define bpf_tc_hook__last_field parent

struct bpf_tc_opts {
	size_t sz;
	int prog_fd;
	__u32 flags;
	__u32 prog_id;
	__u32 handle;
	__u32 priority;
	size_t :0;
};
#define bpf_tc_opts__last_field priority

/* A clsact qdisc on the device (-EEXIST if there is one). */
LIBBPF_API int bpf_tc_hook_create(struct bpf_tc_hook *hook);
/* Removes the qdisc and every filter on it. */
LIBBPF_API int bpf_tc_hook_destroy(struct bpf_tc_hook *hook);
/* A filter running opts->prog_fd; fills opts->prog_id, handle, priority. */
LIBBPF_API int bpf_tc_attach(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts);
LIBBPF_API int bpf_tc_detach(const struct bpf_tc_hook *hook, const struct bpf_tc_opts *opts);
LIBBPF_API int bpf_tc_query(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts);

/* ============================== ring buffers ============================= */

struct ring_buffer;
struct ring;
struct user_ring_buffer;

/* Return < 0 to stop consuming; the call then returns that value. */
typedef int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size);

struct ring_buffer_opts {
	size_t sz;
};
#define ring_buffer_opts__last_field sz

LIBBPF_API struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
						void *ctx, const struct ring_buffer_opts *opts);
LIBBPF_API void ring_buffer__free(struct ring_buffer *rb);
LIBBPF_API int ring_buffer__add(struct ring_buffer *rb, int map_fd,
				ring_buffer_sample_fn sample_cb, void *ctx);
/* Records consumed (at most INT_MAX), or a callback's error, or -EINTR. */
LIBBPF_API int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms);
LIBBPF_API int ring_buffer__consume(struct ring_buffer *rb);
LIBBPF_API int ring_buffer__consume_n(struct ring_buffer *rb, size_t n);
LIBBPF_API int ring_buffer__consume_ring(struct ring_buffer *rb, uint32_t ring_id);
LIBBPF_API int ring_buffer__epoll_fd(const struct ring_buffer *rb);
/* Ring idx of the manager; NULL with errno ERANGE past the end. */
LIBBPF_API struct ring *ring_buffer__ring(struct ring_buffer *rb, unsigned int idx);

LIBBPF_API unsigned long ring__consumer_pos(const struct ring *r);
LIBBPF_API unsigned long ring__producer_pos(const struct ring *r);
LIBBPF_API size_t ring__avail_data_size(const struct ring *r);
LIBBPF_API size_t ring__size(const struct ring *r);
LIBBPF_API int ring__map_fd(const struct ring *r);
LIBBPF_API int ring__consume(struct ring *r);
LIBBPF_API int ring__consume_n(struct ring *r, size_t n);

struct user_ring_buffer_opts {
	size_t sz;
};
#define user_ring_buffer_opts__last_field sz

LIBBPF_API struct user_ring_buffer *user_ring_buffer__new(int map_fd,
							  const struct user_ring_buffer_opts *opts);
/* NULL with errno E2BIG (larger than the ring) or ENOSPC (no room now). */
LIBBPF_API void *user_ring_buffer__reserve(struct user_ring_buffer *rb, __u32 size);
/* As reserve, waiting up to timeout_ms (-1: forever) for room. */
LIBBPF_API void *user_ring_buffer__reserve_blocking(struct user_ring_buffer *rb, __u32 size,
						    int timeout_ms);
LIBBPF_API void user_ring_buffer__submit(struct user_ring_buffer *rb, void *sample);
LIBBPF_API void user_ring_buffer__discard(struct user_ring_buffer *rb, void *sample);
LIBBPF_API void user_ring_buffer__free(struct user_ring_buffer *rb);

/* ============================== perf buffers ============================= */

struct perf_buffer;

typedef void (*perf_buffer_sample_fn)(void *ctx, int cpu, void *data, __u32 size);
typedef void (*perf_buffer_lost_fn)(void *ctx, int cpu, __u64 cnt);

struct perf_buffer_opts {
	size_t sz;
	/* samples per wakeup (also the event's sample period); 0: 1 */
	__u32 sample_period;
	size_t :0;
};
#define perf_buffer_opts__last_field sample_period

/* One ring of page_cnt pages (a power of two) per online CPU. */
LIBBPF_API struct perf_buffer *perf_buffer__new(int map_fd, size_t page_cnt,
						perf_buffer_sample_fn sample_cb,
						perf_buffer_lost_fn lost_cb, void *ctx,
						const struct perf_buffer_opts *opts);

enum bpf_perf_event_ret {
	LIBBPF_PERF_EVENT_DONE = 0,
	LIBBPF_PERF_EVENT_ERROR = -1,
	LIBBPF_PERF_EVENT_CONT = -2,
};

struct perf_event_header;

typedef enum bpf_perf_event_ret (*perf_buffer_event_fn)(void *ctx, int cpu,
						       struct perf_event_header *event);

struct perf_buffer_raw_opts {
	size_t sz;
	long :0;
	long :0;
	/* 0: every online CPU (up to the map's max_entries); else cpus[i] at map key map_keys[i] */
	int cpu_cnt;
	int *cpus;
	int *map_keys;
};
#define perf_buffer_raw_opts__last_field map_keys

struct perf_event_attr;

LIBBPF_API struct perf_buffer *perf_buffer__new_raw(int map_fd, size_t page_cnt,
						    struct perf_event_attr *attr,
						    perf_buffer_event_fn event_cb, void *ctx,
						    const struct perf_buffer_raw_opts *opts);
LIBBPF_API void perf_buffer__free(struct perf_buffer *pb);
LIBBPF_API int perf_buffer__epoll_fd(const struct perf_buffer *pb);
/* Rings read (not records), or an error. */
LIBBPF_API int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms);
LIBBPF_API int perf_buffer__consume(struct perf_buffer *pb);
LIBBPF_API int perf_buffer__consume_buffer(struct perf_buffer *pb, size_t buf_idx);
LIBBPF_API size_t perf_buffer__buffer_cnt(const struct perf_buffer *pb);
LIBBPF_API int perf_buffer__buffer_fd(const struct perf_buffer *pb, size_t buf_idx);
/* The ring's mapping (struct perf_event_mmap_page, then data), for a custom reader. */
LIBBPF_API int perf_buffer__buffer(struct perf_buffer *pb, int buf_idx, void **buf,
				   size_t *buf_size);

/* ============================ feature probes ============================= */

/* 1 supported, 0 not, or a negative errno. opts must be NULL. */
LIBBPF_API int libbpf_probe_bpf_prog_type(enum bpf_prog_type prog_type, const void *opts);
LIBBPF_API int libbpf_probe_bpf_map_type(enum bpf_map_type map_type, const void *opts);
LIBBPF_API int libbpf_probe_bpf_helper(enum bpf_prog_type prog_type, enum bpf_func_id helper_id,
				       const void *opts);

/* From /sys/devices/system/cpu/possible. */
LIBBPF_API int libbpf_num_possible_cpus(void);

/* ================================ skeletons ============================== */

/*
 * Entries are read map_skel_sz / prog_skel_sz bytes apart: 24-byte map
 * entries (bpftool <= 7.4, no link) and 32-byte ones both work.
 */
struct bpf_map_skeleton {
	const char *name;
	struct bpf_map **map;
	void **mmaped;
	struct bpf_link **link;
};

struct bpf_prog_skeleton {
	const char *name;
	struct bpf_program **prog;
	struct bpf_link **link;
};

struct bpf_object_skeleton {
	size_t sz;
	const char *name;
	const void *data;
	size_t data_sz;
	struct bpf_object **obj;
	int map_cnt;
	int map_skel_sz;
	struct bpf_map_skeleton *maps;
	int prog_cnt;
	int prog_skel_sz;
	struct bpf_prog_skeleton *progs;
};

/*
 * Open the embedded object (named s->name), fill *obj, every *map and
 * *prog, and point every *mmaped at the internal map's initial contents
 * (so skel->rodata->x = ... works before load).
 */
LIBBPF_API int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					 const struct bpf_object_open_opts *opts);
/* Load; *mmaped then points at the maps' memory (read-only for .rodata/.kconfig). */
LIBBPF_API int bpf_object__load_skeleton(struct bpf_object_skeleton *s);
/*
 * Attach every loaded program with autoattach on whose section names its
 * target, into *link (entries already set are left alone); with 32-byte map
 * entries, struct_ops maps with autoattach too.
 */
LIBBPF_API int bpf_object__attach_skeleton(struct bpf_object_skeleton *s);
LIBBPF_API void bpf_object__detach_skeleton(struct bpf_object_skeleton *s);
/* Detach, close the object, free s (and its maps/progs arrays). NULL is fine. */
LIBBPF_API void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s);

struct bpf_var_skeleton {
	const char *name;
	struct bpf_map **map;
	void **addr;
};

struct bpf_object_subskeleton {
	size_t sz;
	const struct bpf_object *obj;
	int map_cnt;
	int map_skel_sz;
	struct bpf_map_skeleton *maps;
	int prog_cnt;
	int prog_skel_sz;
	struct bpf_prog_skeleton *progs;
	int var_cnt;
	int var_skel_sz;
	struct bpf_var_skeleton *vars;
};

LIBBPF_API int bpf_object__open_subskeleton(struct bpf_object_subskeleton *s);
LIBBPF_API void bpf_object__destroy_subskeleton(struct bpf_object_subskeleton *s);

enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

#ifdef __cplusplus
}
#endif

#endif
