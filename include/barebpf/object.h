/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_OBJECT_H
#define BAREBPF_OBJECT_H

/*
 * The open phase: a clang-built BPF ELF object read from a byte buffer into
 * programs, maps, global data and externs. Nothing here makes a syscall
 * (except bbpf_object_open_file, which reads the file and is not part of
 * libbarebpf_obj.a).
 *
 * Conventions
 *  - Functions returning int return 0 (or a count) on success and a
 *    negative errno on failure: -EBADMSG malformed input, -E2BIG a published
 *    limit exceeded (README "Limits"), -ENOMEM allocation failed or the
 *    object's memory budget is used up, -EINVAL misuse (NULL where not
 *    allowed, a setter called on an object in the wrong state, a bad value).
 *  - errno is never read or written; the library never prints. Messages go
 *    to the log callback in struct bbpf_open_opts, if any.
 *  - Out-parameters are written only on success.
 *  - Every pointer returned (names, programs, maps, buffers) is owned by the
 *    object and valid until bbpf_object_close(). Getters accept NULL and then
 *    return NULL/0.
 *  - The buffer given to bbpf_object_open_mem() is borrowed: it must stay
 *    alive and unchanged until close. Instructions and initial data are
 *    copied (they are patched or written by the user).
 *  - An object is not thread-safe; distinct objects are independent.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include <barebpf/alloc.h>
#include <barebpf/diag.h>
#include <barebpf/sys.h>

struct bbpf_object;
struct bbpf_program;
struct bbpf_map;
struct bbpf_extern;

enum bbpf_log_level {
	BBPF_LOG_WARN,
	BBPF_LOG_INFO,
	BBPF_LOG_DEBUG,
};

/* msg is one line without a trailing newline, valid only during the call. */
typedef void (*bbpf_log_fn)(void *ctx, enum bbpf_log_level level, const char *msg);

struct bbpf_open_opts {
	/*
	 * Names the object in messages and prefixes its internal maps
	 * ("<name>.bss", as libbpf names them). Default: the file name without
	 * directories and without ".o"/".bpf.o" for open_file, "obj" for
	 * open_mem.
	 */
	const char *object_name;
	bbpf_log_fn log;
	void *log_ctx;
	/*
	 * Only BBPF_LOG_WARN messages reach log; INFO and DEBUG ones are not
	 * even formatted (a load of many programs formats a few per program).
	 */
	bool log_warn_only;
	const struct bbpf_alloc *alloc;	/* NULL: bbpf_alloc_libc */
	/* bbpf_object_open_file reads the file through it; NULL: bbpf_sys_linux. */
	const struct bbpf_sys *sys;
	/*
	 * Upper bound on everything the object allocates. 0: the default,
	 * BBPF_MEM_BUDGET_FACTOR * input size + BBPF_MEM_BUDGET_BASE.
	 */
	size_t mem_budget;
};

#define BBPF_MEM_BUDGET_FACTOR 16
#define BBPF_MEM_BUDGET_BASE (1u << 20)

/* Published input limits (README "Limits"); exceeding one gives -E2BIG. */
#define BBPF_MAX_SECTIONS	16384u
#define BBPF_MAX_SYMBOLS	(1u << 20)
#define BBPF_MAX_RELOS		(1u << 21)	/* relocation entries, all sections */
#define BBPF_MAX_BTF_TYPES	(1u << 20)	/* kernel: BTF_MAX_TYPE */
#define BBPF_MAX_BTF_STR_LEN	(1u << 24)	/* kernel: BTF_MAX_NAME_OFFSET + 1 */
#define BBPF_MAX_BTF_VLEN	0xffffu		/* kernel: BTF_MAX_VLEN */
#define BBPF_MAX_DEPTH		32u		/* type chains, map-in-map nesting */
#define BBPF_MAX_PROGRAMS	4096u
#define BBPF_MAX_MAPS		4096u
#define BBPF_MAX_NAME_LEN	1024u		/* section and symbol names used as keys */

/*
 * Open an object from memory. *out is set only on success. diag (optional)
 * receives the reason and location of a rejection.
 */
int bbpf_object_open_mem(struct bbpf_object **out, const void *buf, size_t len,
			 const struct bbpf_open_opts *opts, struct bbpf_diag *diag);

/*
 * Open an object from a file: reads it whole and keeps the bytes until close.
 * Errors from the file system are returned as -errno. Not in libbarebpf_obj.a.
 */
int bbpf_object_open_file(struct bbpf_object **out, const char *path,
			  const struct bbpf_open_opts *opts, struct bbpf_diag *diag);

/*
 * Frees everything the object owns, unloading it first if it was loaded
 * (links, programs, maps, mappings: see loader.h). NULL is fine. Not in
 * libbarebpf_obj.a, whose callers free with bbpf_object_free().
 */
void bbpf_object_close(struct bbpf_object *obj);
/*
 * Frees a parsed object that is not loaded (the pure library's close).
 * -EBUSY, freeing nothing, for a loaded object: close that with
 * bbpf_object_close(). NULL is fine (0).
 */
int bbpf_object_free(struct bbpf_object *obj);

const char *bbpf_object_name(const struct bbpf_object *obj);
/* Contents of SEC("license"), "" if none. */
const char *bbpf_object_license(const struct bbpf_object *obj);
/* Contents of SEC("version"), 0 if none. */
uint32_t bbpf_object_kern_version(const struct bbpf_object *obj);
/* True if the object's byte order differs from the host's. */
bool bbpf_object_is_foreign_endian(const struct bbpf_object *obj);

size_t bbpf_object_program_cnt(const struct bbpf_object *obj);
struct bbpf_program *bbpf_object_program(const struct bbpf_object *obj, size_t idx);
struct bbpf_program *bbpf_object_find_program(const struct bbpf_object *obj, const char *name);
/* Functions in .text (and other non-program code): called, not loaded alone. */
size_t bbpf_object_subprog_cnt(const struct bbpf_object *obj);

/* Maps, including internal ones (global data, .kconfig), in creation order. */
size_t bbpf_object_map_cnt(const struct bbpf_object *obj);
struct bbpf_map *bbpf_object_map(const struct bbpf_object *obj, size_t idx);
struct bbpf_map *bbpf_object_find_map(const struct bbpf_object *obj, const char *name);

size_t bbpf_object_extern_cnt(const struct bbpf_object *obj);
struct bbpf_extern *bbpf_object_extern(const struct bbpf_object *obj, size_t idx);
struct bbpf_extern *bbpf_object_find_extern(const struct bbpf_object *obj, const char *name);

/*
 * The object's BTF (NULL if it has none), for the dumpers and for callers
 * that decode the object's data with its types; owned by the object. Its
 * structure is internal (src/parse/btf.h); src/dump and the
 * libbpf-compatible layer take it.
 */
struct bbpf_btf;
const struct bbpf_btf *bbpf_object_btf(const struct bbpf_object *obj);

struct bbpf_btf_summary {
	bool has_btf;
	bool has_btf_ext;
	uint32_t type_cnt;		/* without void */
	uint32_t str_len;
	uint32_t kind_cnt[32];		/* indexed by BTF_KIND_* */
	uint32_t func_info_cnt;		/* records, all sections */
	uint32_t line_info_cnt;
	uint32_t core_relo_cnt;
};
int bbpf_object_btf_summary(const struct bbpf_object *obj, struct bbpf_btf_summary *out);

/* ---- Programs ---- */

const char *bbpf_program_name(const struct bbpf_program *prog);
/* The ELF section name, without a leading "?". */
const char *bbpf_program_section(const struct bbpf_program *prog);
enum bpf_prog_type bbpf_program_type(const struct bbpf_program *prog);
enum bpf_attach_type bbpf_program_expected_attach_type(const struct bbpf_program *prog);
/* What follows the section prefix ("syscalls/sys_enter_write"), or "". */
const char *bbpf_program_attach_target(const struct bbpf_program *prog);
/* BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS, ... from the section name. */
uint32_t bbpf_program_flags(const struct bbpf_program *prog);
/* Instructions of the program itself (subprograms are appended at load). */
size_t bbpf_program_insn_cnt(const struct bbpf_program *prog);
const struct bpf_insn *bbpf_program_insns(const struct bbpf_program *prog);
/* Instruction offset of the function within its ELF section. */
size_t bbpf_program_section_insn_off(const struct bbpf_program *prog);
bool bbpf_program_autoload(const struct bbpf_program *prog);

int bbpf_program_set_autoload(struct bbpf_program *prog, bool autoload);
/*
 * Load for the network device ifindex (BPF_PROG_LOAD's prog_ifindex: a
 * program offloaded to, or bound to, that device, as libbpf's
 * bpf_program__set_ifindex); 0, the default, for none.
 */
int bbpf_program_set_ifindex(struct bbpf_program *prog, uint32_t ifindex);
int bbpf_program_set_type(struct bbpf_program *prog, enum bpf_prog_type type);
int bbpf_program_set_expected_attach_type(struct bbpf_program *prog,
					  enum bpf_attach_type type);
/*
 * The target of a BTF-typed program (libbpf's bpf_program__set_attach_target),
 * before load: attach_prog_fd > 0 names a loaded BPF program (borrowed: it
 * must stay open until the load), whose function attach_func_name an
 * freplace/ program replaces or an fentry/fexit program traces; with
 * attach_prog_fd 0, attach_func_name is a kernel function (fentry, fexit,
 * fmod_ret), LSM hook, raw tracepoint or iterator named as after the
 * section prefix ("do_unlinkat", "file_open", "sched_switch"), in vmlinux
 * or a module ("module:func" picks one). attach_func_name NULL keeps the
 * section's name (with attach_prog_fd > 0 only). Resolved at load: an
 * unknown name fails the load. -EINVAL: attach_prog_fd < 0, neither given,
 * a loaded object or a subprogram.
 */
int bbpf_program_set_attach_target(struct bbpf_program *prog, int attach_prog_fd,
				   const char *attach_func_name);

/* Relocation records collected for the program, not yet applied. */
enum bbpf_relo_kind {
	BBPF_RELO_MAP,		/* ld_imm64 of a map (BTF .maps or legacy "maps") */
	BBPF_RELO_DATA,		/* ld_imm64 of global data: map value + offset */
	BBPF_RELO_CALL,		/* bpf-to-bpf call of a subprogram */
	BBPF_RELO_CALLBACK,	/* ld_imm64 of a subprogram address */
	BBPF_RELO_EXTERN_VAR,	/* ld_imm64 of a .kconfig/.ksyms extern */
	BBPF_RELO_EXTERN_FUNC,	/* call of a kfunc */
	BBPF_RELO_CORE,		/* CO-RE record from .BTF.ext */
	BBPF_RELO_KIND_CNT
};

struct bbpf_relo_counts {
	uint32_t cnt[BBPF_RELO_KIND_CNT];
};
void bbpf_program_relo_counts(const struct bbpf_program *prog, struct bbpf_relo_counts *out);

/* ---- Maps ---- */

enum bbpf_map_kind {
	BBPF_MAP_BTF,		/* SEC(".maps") */
	BBPF_MAP_LEGACY,	/* SEC("maps"), struct bpf_map_def/bpf_load_map_def */
	BBPF_MAP_DATA,		/* .data, .data.* */
	BBPF_MAP_RODATA,	/* .rodata, .rodata.* */
	BBPF_MAP_BSS,		/* .bss, .bss.* */
	BBPF_MAP_KCONFIG,	/* .kconfig externs */
	BBPF_MAP_INNER,		/* template of an __array(values, ...) inner map */
	BBPF_MAP_STRUCT_OPS,	/* a variable in SEC(".struct_ops") or SEC(".struct_ops.link") */
};

/* Values of the "pinning" attribute, as in libbpf. */
enum bbpf_pinning {
	BBPF_PIN_NONE = 0,
	BBPF_PIN_BY_NAME = 1,
};

const char *bbpf_map_name(const struct bbpf_map *map);
enum bbpf_map_kind bbpf_map_kind(const struct bbpf_map *map);
bool bbpf_map_is_internal(const struct bbpf_map *map);	/* DATA/RODATA/BSS/KCONFIG */
enum bpf_map_type bbpf_map_type(const struct bbpf_map *map);
uint32_t bbpf_map_key_size(const struct bbpf_map *map);
uint32_t bbpf_map_value_size(const struct bbpf_map *map);
uint32_t bbpf_map_max_entries(const struct bbpf_map *map);
uint32_t bbpf_map_flags(const struct bbpf_map *map);
uint32_t bbpf_map_numa_node(const struct bbpf_map *map);
uint64_t bbpf_map_extra(const struct bbpf_map *map);
enum bbpf_pinning bbpf_map_pinning(const struct bbpf_map *map);
uint32_t bbpf_map_btf_key_type_id(const struct bbpf_map *map);
uint32_t bbpf_map_btf_value_type_id(const struct bbpf_map *map);
/* The inner-map template of a map-in-map, NULL otherwise. */
struct bbpf_map *bbpf_map_inner(const struct bbpf_map *map);
bool bbpf_map_autocreate(const struct bbpf_map *map);
/*
 * The caller's pin path, or once loaded the path the map was pinned at
 * (derived from pinning by name); NULL if none. Not in libbarebpf_obj.a.
 */
const char *bbpf_map_pin_path(const struct bbpf_map *map);
/* -1 unless bbpf_map_reuse_fd() was called. */
int bbpf_map_reused_fd(const struct bbpf_map *map);

/*
 * Initial contents of an internal map (global data), value_size bytes, or of
 * any map with initial slots (NULL then). The buffer is writable: writes
 * before load change what the map is created with.
 */
void *bbpf_map_initial_value(struct bbpf_map *map, size_t *size);
int bbpf_map_set_initial_value(struct bbpf_map *map, const void *data, size_t size);

/*
 * A global variable (VAR of the DATASEC of .data, .rodata, .bss or one of
 * their ".name" variants; static ones included): the map holding it, its
 * byte offset in the map's value and its size. Set it before load through
 * bbpf_map_initial_value(), read it after load through bbpf_map_mmaped().
 * -ENOENT if there is no such variable, -EBADMSG if its BTF/symbol places it
 * outside the section.
 */
int bbpf_object_find_global(const struct bbpf_object *obj, const char *name,
			    struct bbpf_map **map, size_t *off, size_t *size);

/*
 * Initial slots of a prog array or map-in-map (__array(values, ...) = {...}):
 * slot index and the name of the program or map placed there.
 */
size_t bbpf_map_init_slot_cnt(const struct bbpf_map *map);
int bbpf_map_init_slot(const struct bbpf_map *map, size_t i, uint32_t *slot, const char **target);

int bbpf_map_set_type(struct bbpf_map *map, enum bpf_map_type type);
int bbpf_map_set_key_size(struct bbpf_map *map, uint32_t size);
int bbpf_map_set_value_size(struct bbpf_map *map, uint32_t size);
int bbpf_map_set_max_entries(struct bbpf_map *map, uint32_t max_entries);
int bbpf_map_set_flags(struct bbpf_map *map, uint32_t flags);
int bbpf_map_set_numa_node(struct bbpf_map *map, uint32_t node);
/* Create the map on the device ifindex (map_ifindex: offload); 0 for none. */
int bbpf_map_set_ifindex(struct bbpf_map *map, uint32_t ifindex);
int bbpf_map_set_extra(struct bbpf_map *map, uint64_t extra);
int bbpf_map_set_autocreate(struct bbpf_map *map, bool autocreate);
/* Copies path. NULL clears it. */
int bbpf_map_set_pin_path(struct bbpf_map *map, const char *path);
/*
 * Use an existing map instead of creating one. The fd is borrowed until load,
 * which duplicates it and checks compatibility.
 */
int bbpf_map_reuse_fd(struct bbpf_map *map, int fd);
/* Inner-map template for a map-in-map given as an existing map fd (borrowed). */
int bbpf_map_set_inner_map_fd(struct bbpf_map *map, int fd);
int bbpf_map_inner_map_fd(const struct bbpf_map *map);

/* ---- Externs ---- */

enum bbpf_extern_kind {
	BBPF_EXTERN_KCONFIG,	/* SEC(".kconfig") */
	BBPF_EXTERN_KSYM,	/* SEC(".ksyms") variable or kfunc */
};

/* How a .kconfig value is stored, which decides how "y"/"m"/"n"/"0x1"/"str" parse. */
enum bbpf_kcfg_type {
	BBPF_KCFG_UNKNOWN,
	BBPF_KCFG_BOOL,
	BBPF_KCFG_TRISTATE,	/* enum libbpf_tristate */
	BBPF_KCFG_CHAR,
	BBPF_KCFG_INT,
	BBPF_KCFG_CHAR_ARR,
};

const char *bbpf_extern_name(const struct bbpf_extern *ext);
enum bbpf_extern_kind bbpf_extern_kind(const struct bbpf_extern *ext);
bool bbpf_extern_is_weak(const struct bbpf_extern *ext);
/* ksym: has a BTF type (typed variable or kfunc) rather than "void". */
bool bbpf_extern_is_typed(const struct bbpf_extern *ext);
bool bbpf_extern_is_func(const struct bbpf_extern *ext);
/* BTF id of the VAR or FUNC in the object's BTF, 0 if none. */
uint32_t bbpf_extern_btf_id(const struct bbpf_extern *ext);
enum bbpf_kcfg_type bbpf_extern_kcfg_type(const struct bbpf_extern *ext);
/* .kconfig: size, signedness and offset in the .kconfig map. */
uint32_t bbpf_extern_size(const struct bbpf_extern *ext);
bool bbpf_extern_is_signed(const struct bbpf_extern *ext);
uint32_t bbpf_extern_data_off(const struct bbpf_extern *ext);

/* ---- Names ---- */

/* bpftool's names ("tracepoint", "sched_cls", "percpu_array", "trace_fentry"), NULL if unknown. */
const char *bbpf_prog_type_str(enum bpf_prog_type t);
const char *bbpf_map_type_str(enum bpf_map_type t);
const char *bbpf_attach_type_str(enum bpf_attach_type t);
/* Reverse lookups; -EINVAL (negative) if unknown. */
int bbpf_prog_type_from_str(const char *s);
int bbpf_map_type_from_str(const char *s);
int bbpf_attach_type_from_str(const char *s);

#endif
