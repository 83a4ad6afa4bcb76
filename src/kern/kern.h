/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel layer internals: the context, kernel features, thin bpf(2) command
 * wrappers, BTF loading, kernel configuration and symbol sources. Everything
 * here reaches the kernel only through ctx->sys.
 */
#ifndef BBPF_KERN_H
#define BBPF_KERN_H

#include <stdbool.h>
#include <stdint.h>
#include <barebpf/loader.h>
#include <barebpf/sys.h>
#include "../base/arena.h"
#include "../base/log.h"
#include "../parse/btf.h"

/*
 * What the running kernel supports. Probed once per context (lazily, on the
 * first load) with tiny throw-away objects; tests fill it by hand to act as
 * an older kernel.
 */
struct bbpf_features {
	bool probed;
	bool prog_name;		/* BPF_PROG_LOAD/MAP_CREATE accept names (4.15) */
	bool global_data;	/* BPF_PSEUDO_MAP_VALUE (5.2) */
	bool array_mmap;	/* BPF_F_MMAPABLE arrays (5.5) */
	bool btf;		/* BPF_BTF_LOAD (4.18) */
	bool btf_func;		/* FUNC, FUNC_PROTO (5.0) */
	bool btf_global_func;	/* FUNC linkage global (5.6) */
	bool btf_datasec;	/* VAR, DATASEC (5.2) */
	bool btf_float;		/* FLOAT (5.13) */
	bool btf_decl_tag;	/* DECL_TAG (5.16) */
	bool btf_type_tag;	/* TYPE_TAG (5.17) */
	bool btf_enum64;	/* ENUM64 (6.0) */
	bool perf_link;		/* BPF_LINK_CREATE on a perf event (5.15) */
	bool memcg_account;	/* memory charged to memcg: no RLIMIT_MEMLOCK needed (5.11) */
	bool exp_attach_type;	/* expected_attach_type at load (4.17) */
	bool kern_core;		/* CO-RE records at BPF_PROG_LOAD (5.17) */
	/* probed lazily (bbpf_features_uprobe_multi), kept by bbpf_features_probe */
	bool uprobe_multi_probed;
	bool uprobe_multi_link;	/* BPF_TRACE_UPROBE_MULTI links, process pid filter (6.6.y) */
	/* probed lazily (bbpf_features_bind_map), by the first load with .rodata */
	bool bind_map_probed;
	bool bind_map;		/* BPF_PROG_BIND_MAP (5.10) */
};

struct bbpf_ctx {
	struct bbpf_sys sys;
	struct bbpf_log log;
	struct bbpf_alloc alloc;
	struct bbpf_arena arena;	/* ctx-lifetime allocations */
	struct bbpf_features feat;
	const char *kconfig;		/* caller's .config text, or NULL */
	size_t kconfig_len;
	const char *pin_root;		/* "/sys/fs/bpf" by default */
	size_t page_size;		/* from the table, a power of two */
	const char *ksyscall_prefix;	/* "__x64_", ...: NULL until asked, "" if unknown */
	bool ksyscall_probed, ksyscall_wrapper;
	unsigned int probe_seq;		/* numbers this context's probe event names */
	int possible_cpus;		/* 0 until read */
	bool memlock_raised;
	struct bbpf_btf *vmlinux;	/* lazily parsed kernel BTF, NULL until needed */
	const void *vmlinux_buf;	/* its bytes (a mapping or the arena) */
	const char *btf_path;		/* caller's target BTF file for CO-RE, or NULL */
	struct bbpf_btf *core_target;	/* CO-RE target: btf_path's BTF or vmlinux */
	struct bbpf_core_cache *core_cache;	/* candidates, shared by the objects */
	struct bbpf_kname_cache *knames;	/* kernel BTF names looked up (kname.c) */
	struct bbpf_ctx_map *maps;	/* file mappings, unmapped by bbpf_ctx_free */
	/* uprobe/USDT target search: the caller's environment values, NULL if unset */
	const char *ld_library_path;
	const char *exec_path;
};

/* A read-only file mapping the context owns (target_btf.c); nodes in the arena. */
struct bbpf_ctx_map {
	struct bbpf_ctx_map *next;
	void *addr;
	size_t len;
};

/* ---- bpf(2) command wrappers (bpf_cmd.c): zero the attr, fill, call, return ---- */

/* The raw call with the right attr size. */
long bbpf_bpf(const struct bbpf_sys *sys, int cmd, union bpf_attr *attr);
/*
 * A command whose attr is at most four 64-bit words, the rest zero (the
 * attr as the kernel leaves it is not read back). BBPF_U32S packs two
 * 32-bit fields that share a word, the first at the lower address.
 */
int bbpf_cmd_words(const struct bbpf_sys *sys, int cmd, uint64_t w0, uint64_t w1, uint64_t w2,
		   uint64_t w3);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BBPF_U32S(a, b) ((uint64_t)(uint32_t)(b) << 32 | (uint32_t)(a))
#else
#define BBPF_U32S(a, b) ((uint64_t)(uint32_t)(a) << 32 | (uint32_t)(b))
#endif

int bbpf_cmd_map_create(const struct bbpf_sys *sys, const union bpf_attr *attr);
int bbpf_cmd_map_lookup(const struct bbpf_sys *sys, int fd, const void *key, void *value,
			uint64_t flags);
int bbpf_cmd_map_update(const struct bbpf_sys *sys, int fd, const void *key, const void *value,
			uint64_t flags);
int bbpf_cmd_map_delete(const struct bbpf_sys *sys, int fd, const void *key, uint64_t flags);
int bbpf_cmd_map_next_key(const struct bbpf_sys *sys, int fd, const void *key, void *next);
/* cmd: BPF_MAP_LOOKUP_BATCH, BPF_MAP_LOOKUP_AND_DELETE_BATCH or BPF_MAP_DELETE_BATCH. */
int bbpf_cmd_map_batch(const struct bbpf_sys *sys, int cmd, int fd, void *in_batch,
		       void *out_batch, void *keys, void *values, uint32_t *count,
		       uint64_t elem_flags, uint64_t flags);
int bbpf_cmd_map_freeze(const struct bbpf_sys *sys, int fd);
/* BPF_PROG_BIND_MAP (5.10): the program holds the map, used by its code or not. */
int bbpf_cmd_prog_bind_map(const struct bbpf_sys *sys, int prog_fd, int map_fd);
/* BPF_MAP_LOOKUP_AND_DELETE_ELEM (queue/stack pop; key NULL for those). */
int bbpf_cmd_map_lookup_and_delete(const struct bbpf_sys *sys, int fd, const void *key, void *value,
				   uint64_t flags);
/* BPF_PROG_LOAD with EAGAIN retried (the verifier may be interrupted). */
int bbpf_cmd_prog_load(const struct bbpf_sys *sys, union bpf_attr *attr);
int bbpf_cmd_btf_load(const struct bbpf_sys *sys, const void *btf, uint32_t len, char *log,
		      uint32_t log_size, uint32_t log_level);
int bbpf_cmd_obj_pin(const struct bbpf_sys *sys, int fd, const char *path);
int bbpf_cmd_obj_get(const struct bbpf_sys *sys, const char *path, uint32_t flags);
int bbpf_cmd_link_create(const struct bbpf_sys *sys, int prog_fd, int target_fd,
			 enum bpf_attach_type type, const union bpf_attr *extra);
int bbpf_cmd_raw_tp_open(const struct bbpf_sys *sys, const char *name, int prog_fd);
/*
 * BPF_OBJ_GET_INFO_BY_FD. info goes to the kernel as the caller filled it:
 * zero it, except for the pointer/length pairs the kernel should fill
 * (xlated_prog_insns, map_ids, name, ...). *info_len: in, the size of info;
 * out, what the kernel filled.
 */
int bbpf_cmd_obj_info(const struct bbpf_sys *sys, int fd, void *info, uint32_t *info_len);
/* As bbpf_cmd_obj_info, with info (size bytes) zeroed first and what the kernel filled not told. */
int bbpf_cmd_obj_info_zero(const struct bbpf_sys *sys, int fd, void *info, uint32_t size);
int bbpf_cmd_prog_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next);
int bbpf_cmd_map_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next);
int bbpf_cmd_link_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next);
int bbpf_cmd_btf_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next);
int bbpf_cmd_prog_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id);
int bbpf_cmd_map_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id);
int bbpf_cmd_btf_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id);
int bbpf_cmd_link_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id);
int bbpf_cmd_link_detach(const struct bbpf_sys *sys, int link_fd);

/* BPF_PROG_TEST_RUN. Sizes of the out buffers: in, their room; out, what the kernel wrote. */
struct bbpf_cmd_test_run {
	const void *data_in;
	void *data_out;
	const void *ctx_in;
	void *ctx_out;
	uint32_t data_size_in, data_size_out;
	uint32_t ctx_size_in, ctx_size_out;
	uint32_t repeat, flags, cpu;
	uint32_t retval, duration;	/* out */
};
int bbpf_cmd_prog_test_run(const struct bbpf_sys *sys, int prog_fd, struct bbpf_cmd_test_run *r);

/*
 * BPF_TASK_FD_QUERY: what a process's fd (a perf event or raw tracepoint)
 * runs. *buf_len: in, the room in buf; out, the length of the name.
 */
int bbpf_cmd_task_fd_query(const struct bbpf_sys *sys, uint32_t pid, uint32_t fd, char *buf,
			   uint32_t *buf_len, uint32_t *prog_id, uint32_t *fd_type,
			   uint64_t *probe_offset, uint64_t *probe_addr);

/*
 * BPF_PROG_QUERY of a cgroup (or netns, ...) fd. *cnt: in, the room in ids
 * (and prog_flags, which may be NULL); out, the number attached.
 */
int bbpf_cmd_prog_query(const struct bbpf_sys *sys, int target_fd, enum bpf_attach_type type,
			uint32_t query_flags, uint32_t *attach_flags, uint32_t *ids,
			uint32_t *prog_flags, uint32_t *cnt);
/*
 * The same for a device's multi-program chain (tcx, netkit: 6.6+), by
 * ifindex, with each program's link id and link flags (0 for a program
 * attached without a link). link_ids and link_flags may be NULL.
 */
int bbpf_cmd_prog_query_mprog(const struct bbpf_sys *sys, int ifindex, enum bpf_attach_type type,
			      uint32_t *ids, uint32_t *prog_flags, uint32_t *link_ids,
			      uint32_t *link_flags, uint32_t *cnt);

/* ---- klog.c: commands that write a log ---- */

/* Run the command with log buffer buf of size bytes (NULL, 0 at level 0). */
typedef long (*bbpf_klog_fn)(void *arg, char *buf, uint32_t size, uint32_t level);
/* The log of the last run, NUL-terminated, in the caller's scratch arena; buf NULL if none. */
struct bbpf_klog {
	char *buf;
	uint32_t size;
};
/*
 * Run fn at level (0: no log); a failure at level 0 runs again at level 1
 * for a log; -ENOSPC doubles the buffer (64 KiB .. 16 MiB). fn's result, or
 * -ENOMEM.
 */
long bbpf_klog_run(struct bbpf_arena *scratch, uint32_t level, bbpf_klog_fn fn, void *arg,
		   struct bbpf_klog *log);

/* ---- ctx.c ---- */

/* Probe features and raise RLIMIT_MEMLOCK where the kernel still charges it. */
int bbpf_ctx_prepare(struct bbpf_ctx *ctx);

/* ---- features.c ---- */

/*
 * Probe once; later calls return at once. Probe objects are always closed.
 * A failure that says nothing about the kernel (-ENOMEM, -EINTR, -EAGAIN,
 * -EMFILE, -ENFILE, -EFAULT) is returned with nothing cached, so the next
 * call probes again; any other failure reads as "feature missing".
 */
int bbpf_features_probe(struct bbpf_ctx *ctx);
/*
 * uprobe-multi links with a per-process pid filter (libbpf's
 * FEAT_UPROBE_MULTI_LINK), probed on first use and cached: 1 yes, 0 no, or
 * a transient -errno (nothing cached).
 */
int bbpf_features_uprobe_multi(struct bbpf_ctx *ctx);
/*
 * Whether the kernel has BPF_PROG_BIND_MAP (libbpf's FEAT_PROG_BIND_MAP: an
 * array map bound to a socket filter), probed on first call and kept:
 * 1 yes, 0 no, -errno could not tell (not kept).
 */
int bbpf_features_bind_map(struct bbpf_ctx *ctx);

/* ---- files through the table (sysfile.c) ---- */

/* Read a whole file into the arena (NUL appended, not counted). max bounds it. */
int bbpf_sys_read_file(struct bbpf_ctx *ctx, const char *path, struct bbpf_arena *arena,
		       size_t max, char **out, size_t *len);
/*
 * Read fd to its end in 64 KiB chunks (memory: one chunk) and call fn on
 * each line, without its newline (and on a last line without one); a line
 * longer than a chunk gets one call with its first 64 KiB and truncated
 * set. fn's nonzero result stops the read and is returned; else a read
 * error (-EINTR retried), -ENOMEM, or 0.
 */
typedef int (*bbpf_line_fn)(void *arg, const char *line, size_t len, bool truncated);
int bbpf_sys_read_lines(struct bbpf_ctx *ctx, int fd, bbpf_line_fn fn, void *arg);
/* Possible CPUs from /sys/devices/system/cpu/possible, cached in ctx. */
int bbpf_sys_possible_cpus(struct bbpf_ctx *ctx);
/*
 * A cpulist file (/sys/devices/system/cpu/online, ...) as a mask in the
 * arena: (*mask)[cpu] is 1 for each listed cpu < *n, *n the highest + 1.
 * Logs and returns read errors, -EBADMSG, -ENOMEM.
 */
int bbpf_sys_cpu_mask(struct bbpf_ctx *ctx, const char *path, struct bbpf_arena *arena,
		      uint8_t **mask, int *n);

/* ---- ksyscall.c: system call entry points for kprobes ---- */

/* "__x64_", "__arm64_", ... for the running kernel's machine (uname); "" if unknown. */
const char *bbpf_ksyscall_prefix(struct bbpf_ctx *ctx);
/* libbpf's LINUX_HAS_SYSCALL_WRAPPER: a kprobe on "<prefix>sys_bpf" can be made. Probed once. */
bool bbpf_ksyscall_has_wrapper(struct bbpf_ctx *ctx);
/* The symbol a ksyscall/ program for syscall attaches to: "__x64_sys_open" or "__se_sys_open". */
int bbpf_ksyscall_entry(struct bbpf_ctx *ctx, const char *syscall, char *buf, size_t size);
/* The type of a dynamic PMU ("kprobe", "uprobe"), from sysfs; negative errno if absent. */
int bbpf_kprobe_pmu_type(struct bbpf_ctx *ctx, const char *pmu);
/* The config bit of a return probe of that PMU (its format/retprobe: "config:0"). */
int bbpf_kprobe_pmu_retprobe_bit(struct bbpf_ctx *ctx, const char *pmu);

/* ---- tracefs.c ---- */

/* 0 if "category/name" is safe to put in a tracefs path (from an object file), -EINVAL otherwise. */
int bbpf_tracefs_check_event(const char *target);
/* An event's id from tracefs (debugfs fallback); > 0, or -errno (logged). */
int bbpf_tracefs_event_id(struct bbpf_ctx *ctx, const char *target);
/* The same without a message: -ENOENT says there is no such event. */
int bbpf_tracefs_event_lookup(struct bbpf_ctx *ctx, const char *target);
/* open() of a tracefs file ("available_filter_functions") at the first mount point that has it. */
long bbpf_tracefs_open(const struct bbpf_sys *sys, const char *name, int flags);
/*
 * A probe event name in group ("kprobes", "kretprobes", "uprobes") that no
 * event has now: "bbpf_<pid>_<ctx>_<n>_<func>_0x<off>", every other
 * character than a letter or digit made '_', cut at 63 characters (the
 * kernel's limit), in buf (size >= 64). -EEXIST after 64 names in use.
 */
int bbpf_tracefs_probe_name(struct bbpf_ctx *ctx, const char *group, const char *func,
			    uint64_t off, char *buf, size_t size);
/* Every character of s other than a letter or digit made '_' (a probe event name). */
void bbpf_tracefs_name_fix(char *s);

enum bbpf_tracefs_file {
	BBPF_TRACEFS_KPROBE_EVENTS,
	BBPF_TRACEFS_UPROBE_EVENTS,
};
/* Append one command ("p:group/event func", "-:group/event") to a probe event file. */
int bbpf_tracefs_write(const struct bbpf_sys *sys, enum bbpf_tracefs_file file, const char *text,
		       size_t len);

struct bbpf_core_cache;

/* ---- kernel configuration and symbols (kconfig_src.c, kallsyms.c) ---- */

/* The .config text: ctx->kconfig, else /proc/config.gz (inflated), else /boot/config-<release>. */
int bbpf_kconfig_text(struct bbpf_ctx *ctx, struct bbpf_arena *arena, const char **text,
		      size_t *len);

/*
 * Resolve addresses of the given symbol names from /proc/kallsyms in one pass.
 * addrs[i] = 0 and found[i] = false when absent.
 */
int bbpf_kallsyms_resolve(struct bbpf_ctx *ctx, const char *const *names, size_t cnt,
			  uint64_t *addrs, bool *found);
/*
 * The reverse, in one pass: names[i] = the first symbol of /proc/kallsyms
 * (file order) at addrs[i] (copied into arena), or NULL. Address 0 is
 * never named (kptr_restrict hides every address).
 */
int bbpf_kallsyms_names(struct bbpf_ctx *ctx, const uint64_t *addrs, size_t cnt,
			struct bbpf_arena *arena, const char **names);
/*
 * Every symbol of /proc/kallsyms in file order: fn(arg, name, name_len,
 * addr, type letter); the module part is not passed. A malformed line is
 * -EINVAL (logged); fn's nonzero result stops the walk and is returned.
 */
typedef int (*bbpf_kallsyms_fn)(void *arg, const char *name, size_t len, uint64_t addr,
				char type);
int bbpf_kallsyms_walk(struct bbpf_ctx *ctx, bbpf_kallsyms_fn fn, void *arg);

/* ---- target BTF (target_btf.c, vmlinux.c) ---- */

/*
 * The CO-RE target and its candidate cache, set up once per context: the
 * caller's BTF file (untrusted: validated in full; raw BTF or an ELF with
 * .BTF), else the kernel's (bbpf_kernel_btf_lazy: the cache's first
 * search is the one walk over its records), whose cache also searches
 * module BTF (/proc/modules, /sys/kernel/btf/<module>) the first time a name
 * is missing from vmlinux. No name index is built.
 */
int bbpf_ctx_core_cache(struct bbpf_ctx *ctx, struct bbpf_core_cache **out);

/*
 * The running kernel's BTF, found and parsed once per context, without a
 * name index: /sys/kernel/btf/vmlinux (trusted: mapped read-only when the
 * kernel allows it, else read; structural checks only, see
 * bbpf_btf_parse_trusted), else the first of libbpf's on-disk locations
 * (/boot/vmlinux-<release>, ...) that holds valid BTF, raw or in an ELF's
 * .BTF section (untrusted: validated in full). -ENOENT if none.
 */
int bbpf_kernel_btf(struct bbpf_ctx *ctx, struct bbpf_btf **out);
/*
 * As bbpf_kernel_btf(), but the sysfs BTF may come back unwalked
 * (bbpf_btf_parse_lazy): for the CO-RE cache, whose first search walks it.
 */
int bbpf_kernel_btf_lazy(struct bbpf_ctx *ctx, struct bbpf_btf **out);

/*
 * The same BTF with its name index built, for bbpf_btf_find_by_name_kind()
 * callers (attach targets, typed ksyms, kfuncs): a later "not found" then
 * means absent, never out of memory (-ENOMEM is returned here).
 */
int bbpf_kernel_btf_indexed(struct bbpf_ctx *ctx, struct bbpf_btf **out);

/*
 * Read a BTF file that is not the running kernel's (untrusted, validated in
 * full): raw BTF in either byte order, or an ELF file whose .BTF section is
 * taken (byte order from the ELF header). The BTF lives in ctx->arena. Logs
 * the reason at level on failure: -ENOENT (and open's other errors),
 * -EBADMSG (not BTF, no .BTF section, malformed), -ENOMEM, -E2BIG.
 */
int bbpf_btf_read_untrusted(struct bbpf_ctx *ctx, const char *path, enum bbpf_log_level level,
			    struct bbpf_btf **out);
/* As bbpf_btf_read_untrusted(), the file's BTF split on base (NULL: none). */
int bbpf_btf_read_split(struct bbpf_ctx *ctx, const char *path, const struct bbpf_btf *base,
			enum bbpf_log_level level, struct bbpf_btf **out);

/* ---- the kernel's BTF objects (btf_id.c) ---- */

/* What BPF_OBJ_GET_INFO_BY_FD says about a BTF object. */
struct bbpf_btf_id_info {
	uint32_t size;		/* bytes of its raw BTF */
	bool kernel_btf;	/* vmlinux's or a module's */
	char name[64];		/* "vmlinux", a module's name, or "" */
};

/*
 * BTF object id: its info and, when out is not NULL, its bytes
 * (BPF_BTF_GET_FD_BY_ID, then BPF_OBJ_GET_INFO_BY_FD for the size and again
 * for the bytes) parsed with the full checks on base (NULL: none; a
 * module's BTF is split on vmlinux's) into ctx->arena. -ENOENT for no such
 * object, the kernel's other errors, -EAGAIN if it grew between the calls,
 * -EBADMSG (logged at level) if the bytes are not valid BTF.
 */
int bbpf_btf_id_load(struct bbpf_ctx *ctx, uint32_t id, const struct bbpf_btf *base,
		     enum bbpf_log_level level, struct bbpf_btf_id_info *info,
		     struct bbpf_btf **out);

/* ---- names in the kernel's BTF, batched (kname.c) ---- */

struct bbpf_kname_cache;
/*
 * Announce a name (and kind, 0: any) a later bbpf_kname_find() will ask
 * for, so that one walk over vmlinux answers them all. 0, -ENOMEM, -EINVAL
 * for "".
 */
int bbpf_kname_want(struct bbpf_ctx *ctx, const char *name, uint32_t kind);
/* Answer every announced name now: one walk over vmlinux (none if all answered). */
int bbpf_kname_resolve(struct bbpf_ctx *ctx);
/*
 * The lowest vmlinux id of name and kind (libbpf's btf__find_by_name_kind
 * on vmlinux), *id 0 if vmlinux has none; the answer is kept in the
 * context. Errors: no kernel BTF (-ENOENT, ...), -EBADMSG, -ENOMEM, -EINVAL.
 */
int bbpf_kname_find(struct bbpf_ctx *ctx, const char *name, uint32_t kind, uint32_t *id);
struct bbpf_core_rider;
/*
 * For the context's CO-RE cache when its target is ctx's vmlinux: the
 * names announced before a candidate search over vmlinux are answered by
 * that search's pass instead of a walk of their own. NULL on -ENOMEM (then
 * they walk on their own).
 */
const struct bbpf_core_rider *bbpf_kname_rider(struct bbpf_ctx *ctx);
/* Walks over vmlinux the lookups made on their own, and CO-RE passes they rode on. */
void bbpf_kname_walks(const struct bbpf_ctx *ctx, uint32_t *own, uint32_t *ridden);

/* ---- attach targets of BTF-typed programs (attach_btf.c) ---- */

/*
 * The kernel's BTF type of prefix + name ("bpf_lsm_" + "file_open") of
 * kind, as libbpf 1.8's find_kernel_btf_id: vmlinux first, then every
 * module's BTF object; target "mod:name" searches module mod only
 * ("vmlinux:name": vmlinux only). Found in a module: *obj_fd is that BTF
 * object's fd (BPF_PROG_LOAD's attach_btf_obj_fd), the caller's to close;
 * else -1. -ESRCH if nowhere, -EINVAL for an empty or overlong name,
 * kernel errors as they come.
 */
int bbpf_attach_btf_kernel(struct bbpf_ctx *ctx, const char *target, const char *prefix,
			   uint32_t kind, uint32_t *type_id, int *obj_fd);
/*
 * The FUNC name in the BTF of the loaded BPF program prog_fd (freplace,
 * fentry on a BPF program). -EINVAL if it has no BTF, -ESRCH if no such
 * function.
 */
int bbpf_attach_btf_prog(struct bbpf_ctx *ctx, int prog_fd, const char *name, uint32_t *type_id);
/*
 * The BTF object btf_id (a program's, a map's, a module's) parsed into
 * arena, on no base: trusted (the kernel checked it at load), only its
 * structure is checked; else in full.
 */
int bbpf_attach_btf_fetch(struct bbpf_ctx *ctx, uint32_t btf_id, bool trusted,
			  struct bbpf_arena *arena, struct bbpf_btf **out);

/*
 * The bytes of a raw BTF file of the running kernel (/sys/kernel/btf/...):
 * its header is read to learn the length, then the file is mapped
 * PROT_READ/MAP_PRIVATE and the mapping recorded in ctx for bbpf_ctx_free();
 * if the header is unusable or the kernel refuses the mapping (sysfs maps
 * only vmlinux, since 6.16), the file is read into ctx->arena instead.
 * Mapping is for kernel files only: their size cannot change under it.
 */
int bbpf_ctx_map_btf_file(struct bbpf_ctx *ctx, const char *path, const void **buf,
			  size_t *len);

/* ---- sysfile.c: uprobe target files ---- */

/* What identifies a file: its inode and device. */
struct bbpf_sys_file_id {
	uint64_t ino;
	uint32_t dev_major, dev_minor;
};
/*
 * A regular file of at most max bytes, read whole (pread; not mapped, so a
 * file truncated under us is an error, never SIGBUS) into memory from
 * ctx->alloc, freed with bbpf_sys_unload_file(). id (may be NULL) is filled
 * from the open file. -EINVAL (not a regular file), -EFBIG, -EBADMSG
 * (empty), -EIO (shrank), -ENOMEM, open's and pread's errors.
 */
int bbpf_sys_load_file(struct bbpf_ctx *ctx, const char *path, uint64_t max, uint8_t **out,
		       size_t *len, struct bbpf_sys_file_id *id);
void bbpf_sys_unload_file(struct bbpf_ctx *ctx, uint8_t *buf, size_t len);
/*
 * The same without a context (bbpf_object_open_file): through sys, into
 * memory from alloc (a 1-byte block for an empty file, when empty_ok),
 * -EISDIR for a directory.
 */
int bbpf_sys_load_raw(const struct bbpf_sys *sys, const struct bbpf_alloc *alloc,
		      const char *path, uint64_t max, bool empty_ok, uint8_t **out, size_t *len,
		      struct bbpf_sys_file_id *id);

/* ---- pmu.c: the config layout of dynamic PMUs ---- */

/*
 * Where field ("retprobe", "ref_ctr_offset") sits in a PMU's config word,
 * from /sys/bus/event_source/devices/<pmu>/format/<field>: bits lo..hi
 * (lo == hi for one bit). -ENOENT if the PMU has no such field, -EBADMSG,
 * -EOPNOTSUPP (a field of config1 or config2).
 */
int bbpf_pmu_format(struct bbpf_ctx *ctx, const char *pmu, const char *field, unsigned int *lo,
		    unsigned int *hi);
/* The parser behind it: "config:N" or "config:LO-HI", trailing newline allowed. */
int bbpf_pmu_format_parse(const char *text, size_t len, unsigned int *lo, unsigned int *hi);

#endif
