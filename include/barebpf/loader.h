/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_LOADER_H
#define BAREBPF_LOADER_H

/*
 * The kernel-facing half: load an opened object (maps, global data,
 * relocations, programs), operate on its maps, attach its programs, pin,
 * tear down. Every kernel interaction goes through the struct bbpf_sys of
 * the context. Conventions as in object.h; in addition:
 *  - kernel errors pass through unchanged (-EPERM, -EINVAL from the
 *    verifier, ...); the verifier log goes to the log callback;
 *  - file descriptors returned by getters are lent, never to be closed by the
 *    caller; they stay valid until bbpf_object_close()/bbpf_link_destroy();
 *  - after any failed call nothing is left behind: no fd, no mapping, no
 *    kernel object except pins that existed before the call.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <barebpf/object.h>
#include <barebpf/sys.h>

struct bbpf_ctx;
struct bbpf_link;

/*
 * A context holds what objects loaded with it share: the syscall table, the
 * log callback, kernel feature probe results and (later) the target BTF.
 * There is no global state.
 */
struct bbpf_ctx_opts {
	const struct bbpf_sys *sys;	/* NULL: bbpf_sys_linux */
	bbpf_log_fn log;
	void *log_ctx;
	bool log_warn_only;	/* as in struct bbpf_open_opts */
	const struct bbpf_alloc *alloc;	/* NULL: bbpf_alloc_libc */
	/*
	 * Kernel configuration for .kconfig externs, as the text of a .config
	 * file ("CONFIG_X=y" lines). NULL: /proc/config.gz, then
	 * /boot/config-$(uname -r). The text is copied.
	 */
	const char *kconfig;
	/* Where pinning by name puts maps. NULL: /sys/fs/bpf. Copied. */
	const char *pin_root;
	/*
	 * CO-RE target: a raw BTF file (the format of /sys/kernel/btf/vmlinux),
	 * for kernels without built-in BTF. NULL: the running kernel's. Copied.
	 * Setting it makes CO-RE run in user space (BBPF_CORE_AUTO).
	 */
	const char *btf_path;
	/*
	 * Where uprobe and USDT targets named without a '/' are looked for
	 * (README "Uprobe and USDT targets"): the values of LD_LIBRARY_PATH
	 * and PATH, which the library never reads from the environment
	 * itself. NULL: unset. Copied.
	 */
	const char *ld_library_path;
	const char *exec_path;
};

/* Where CO-RE relocations are applied. */
enum bbpf_core_mode {
	/* The kernel, when it can (5.17+) and no caller BTF is given; else user space. */
	BBPF_CORE_AUTO = 0,
	BBPF_CORE_KERNEL,	/* BPF_PROG_LOAD core_relos: no kernel BTF parsed in user space */
	BBPF_CORE_USER,		/* barebpf's engine against the target BTF, as libbpf */
};

int bbpf_ctx_new(struct bbpf_ctx **out, const struct bbpf_ctx_opts *opts);
/* NULL is fine. Objects loaded with ctx must be closed first. */
void bbpf_ctx_free(struct bbpf_ctx *ctx);

struct bbpf_load_opts {
	/* NULL: a private context with default options, freed at close. */
	struct bbpf_ctx *ctx;
	/*
	 * Verifier log: 0 = only on failure (level 1, buffer grown as needed),
	 * 1/2 = always at that level. Logs go to the context's log callback.
	 */
	uint32_t log_level;
	enum bbpf_core_mode core_mode;
};

/*
 * Create maps, fill and freeze global data, relocate and load every program
 * with autoload on, fill prog-array and map-in-map initial slots. On failure
 * everything created is released (pins created by this call removed) and
 * bbpf_object_error() says where it failed; the object is as it was before
 * the call, so it can be changed (say, the failing program's autoload turned
 * off) and loaded again. -EINVAL if it is already loaded.
 */
int bbpf_object_load(struct bbpf_object *obj, const struct bbpf_load_opts *opts);
/* True between a successful load and close. */
bool bbpf_object_is_loaded(const struct bbpf_object *obj);

/*
 * The failure of the last kernel-facing call on obj (load, attach, pin):
 * stage, the index and name of the map, program or extern, and the errno;
 * NULL if that call succeeded. Valid until the next such call or close.
 */
const struct bbpf_diag *bbpf_object_error(const struct bbpf_object *obj);

/* -1 before load or if not loaded. */
int bbpf_program_fd(const struct bbpf_program *prog);
int bbpf_map_fd(const struct bbpf_map *map);

/*
 * Global data after load: the map's memory, mapped read-write for .data and
 * .bss, read-only for .rodata/.kconfig (frozen), like a libbpf skeleton's
 * skel->bss. NULL if not mapped.
 */
void *bbpf_map_mmaped(const struct bbpf_map *map, size_t *size);

/*
 * Map operations on a loaded map. Sizes are checked against the map: key_size
 * must equal the map's key size; value_size the value size, or for per-CPU
 * maps round_up(value_size, 8) * possible CPUs (libbpf's layout).
 */
int bbpf_map_lookup_elem(const struct bbpf_map *map, const void *key, size_t key_size,
			 void *value, size_t value_size, uint64_t flags);
int bbpf_map_update_elem(const struct bbpf_map *map, const void *key, size_t key_size,
			 const void *value, size_t value_size, uint64_t flags);
int bbpf_map_delete_elem(const struct bbpf_map *map, const void *key, size_t key_size,
			 uint64_t flags);
/* key NULL: first key. -ENOENT after the last one. */
int bbpf_map_get_next_key(const struct bbpf_map *map, const void *key, void *next_key,
			  size_t key_size);
/*
 * Batch operations (BPF_MAP_LOOKUP_BATCH / LOOKUP_AND_DELETE_BATCH /
 * DELETE_BATCH). *count: in, room in keys/values; out, elements processed.
 * in_batch NULL starts; out_batch receives the cursor (key_size bytes for
 * hash maps, 4 for arrays; pass a key_size buffer). -ENOENT when done (count
 * still valid).
 */
int bbpf_map_lookup_batch(const struct bbpf_map *map, void *in_batch, void *out_batch,
			  void *keys, void *values, uint32_t *count, uint64_t flags);
int bbpf_map_lookup_and_delete_batch(const struct bbpf_map *map, void *in_batch,
				     void *out_batch, void *keys, void *values, uint32_t *count,
				     uint64_t flags);
int bbpf_map_delete_batch(const struct bbpf_map *map, const void *keys, uint32_t *count,
			  uint64_t flags);
/* Possible CPUs, as per-CPU values need them. Negative errno on failure. */
int bbpf_ctx_possible_cpus(struct bbpf_ctx *ctx);

/* ---- pinning ---- */

int bbpf_map_pin(struct bbpf_map *map, const char *path);
int bbpf_map_unpin(struct bbpf_map *map, const char *path);
int bbpf_program_pin(struct bbpf_program *prog, const char *path);
/* Every map (internal ones included) at DIR/<map name>. */
int bbpf_object_pin_maps(struct bbpf_object *obj, const char *dir);

/* ---- attach ---- */

/*
 * Attach by section name: tp/ and tracepoint/ (perf event + BPF_LINK_CREATE,
 * or PERF_EVENT_IOC_SET_BPF on older kernels), raw_tp/, raw_tracepoint/,
 * tp_btf/, fentry/, fexit/, fmod_ret/, lsm/, freplace/ (the target given
 * at load), iter/, kprobe/, kretprobe/ (samples/bpf-format objects the
 * samples/bpf way), ksyscall/, kretsyscall/, kprobe.multi/,
 * kretprobe.multi/, kprobe.session/ (README "Attach kinds").
 * -EOPNOTSUPP for kinds not auto-attachable (perf_event, a section with no
 * target such as a bare SEC("kprobe"), kinds not implemented yet).
 */
int bbpf_program_attach(struct bbpf_program *prog, struct bbpf_link **out);
/*
 * Attach every loaded program that can be auto-attached, then register
 * every struct_ops map (bbpf_map_attach_struct_ops), as libbpf's skeleton
 * attach does; links are kept by the object and destroyed at close.
 * Programs of other kinds are skipped (struct_ops programs run through
 * their map). On failure the links made by this call are destroyed.
 */
int bbpf_object_attach(struct bbpf_object *obj);

struct bbpf_object_attach_opts {
	/*
	 * Attach what can be attached: a failure does not undo the others;
	 * the first failure's errno is returned (bbpf_program_attach_status
	 * says which programs failed and why). false: all or nothing.
	 */
	bool keep_going;
};
int bbpf_object_attach_opts(struct bbpf_object *obj, const struct bbpf_object_attach_opts *opts);

/* What the last bbpf_object_attach() did with a program. */
enum bbpf_attach_status {
	BBPF_ATTACH_NOT_TRIED = 0,	/* no bbpf_object_attach() yet, or a subprogram */
	BBPF_ATTACH_DONE,		/* attached: a link the object holds */
	BBPF_ATTACH_SKIPPED,		/* not auto-attachable: not loaded, no target in the section, ... */
	BBPF_ATTACH_FAILED,		/* tried and failed: *err says why */
};
/* *why (skipped: a static reason) and *err (failed: the errno) may be NULL. */
enum bbpf_attach_status bbpf_program_attach_status(const struct bbpf_program *prog,
						   const char **why, int *err);
/* Destroy the links bbpf_object_attach() made (a skeleton's __detach). NULL is fine. */
void bbpf_object_detach(struct bbpf_object *obj);
/* Links held by the object after bbpf_object_attach(). */
size_t bbpf_object_link_cnt(const struct bbpf_object *obj);
struct bbpf_link *bbpf_object_link(const struct bbpf_object *obj, size_t idx);
struct bbpf_program *bbpf_link_program(const struct bbpf_link *link);

/*
 * The BPF link's fd; for an attachment without one (a perf event attached
 * by ioctl on kernels before 5.15) the perf event's, as libbpf's
 * bpf_link__fd(); -1 for other attachments without a link.
 */
int bbpf_link_fd(const struct bbpf_link *link);
/* Pin a BPF link (not a perf-event ioctl attachment: -EOPNOTSUPP). */
int bbpf_link_pin(struct bbpf_link *link, const char *path);
/*
 * Let the attachment outlive the link (libbpf's bpf_link__disconnect): its
 * destruction then frees memory only; its fds stay open until the process
 * exits (a pinned BPF link, a registered struct_ops map stay attached).
 */
void bbpf_link_disconnect(struct bbpf_link *link);
/* Remove the pin bbpf_link_pin() made. -EINVAL if not pinned. */
int bbpf_link_unpin(struct bbpf_link *link);
/*
 * BPF_LINK_UPDATE: the BPF link runs prog (of the same type and attach type)
 * from now on; bbpf_link_program() still names the program first attached.
 * -EINVAL for an attachment without a BPF link or a program not loaded.
 */
int bbpf_link_update_program(struct bbpf_link *link, const struct bbpf_program *prog);
/* BPF_LINK_DETACH: the attachment ends; the link (its fd) stays until destroyed. */
int bbpf_link_detach(struct bbpf_link *link);
/*
 * BPF_OBJ_GET_INFO_BY_FD on the BPF link. *info_len: in, the size of info
 * (zeroed but for the pointer/length pairs the kernel fills); out, what the
 * kernel filled.
 */
struct bpf_link_info;
int bbpf_link_info(const struct bbpf_link *link, struct bpf_link_info *info, uint32_t *info_len);
/* Detach and free. NULL is fine. A link held by an object must not be destroyed directly. */
void bbpf_link_destroy(struct bbpf_link *link);
/*
 * BPF_ITER_CREATE on an iterator link (iter/ programs): a new fd whose
 * read(2) runs the iterator and yields its output. The caller owns and
 * closes it. -EINVAL if link is not an iterator link.
 */
int bbpf_link_iter_create(struct bbpf_link *link);

#endif
