/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loaded instance of an object: everything the kernel gave back for it.
 *
 * The parsed object (src/obj) holds what was read from the file and what the
 * caller set before load; it never holds an fd, a mapping, a pin or a link.
 * bbpf_object_load() builds a struct bbpf_inst next to it (obj->inst, an
 * opaque pointer the pure layers only compare with NULL) and tears it down
 * completely if the load fails, so the object can be loaded again once the
 * cause is fixed. bbpf_object_close() (close.c) tears down downward: the
 * instance (links, programs, maps, BTF, private context), then the parsed
 * object.
 *
 * Links live here too, as data: an fd plus what else to undo (a perf event,
 * a tracefs probe, a netlink attachment...). Attach code (src/attach) only
 * produces links; this layer undoes them without calling back into it.
 */
#ifndef BBPF_LOAD_H
#define BBPF_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <barebpf/loader.h>
#include "../kern/kern.h"
#include "../obj/object_int.h"
#include "../relo/core.h"
#include "../relo/relo.h"

/* Per map of the instance. */
struct bbpf_inst_map {
	void *mem;		/* global data mapped after load, NULL */
	size_t mem_len;
	const char *pin_path;	/* where it is (to be) pinned: the caller's or derived; NULL */
	bool pinned_here;	/* pinned by the ongoing load: unpinned if it fails */
	const uint8_t *init;	/* value it is created with: the object's, or the filled .kconfig */
	/* struct_ops (struct_ops.c): the kernel's value, its BTF type, the program fds' offsets */
	uint8_t *st_value;	/* NULL for other maps */
	uint32_t st_size;	/* sizeof(struct bpf_struct_ops_<name>) */
	uint32_t st_type_id;	/* that struct in vmlinux BTF */
	uint32_t *st_fd_off;	/* per slot */
};

/* A struct_ops program's load attributes, set by the map that uses it. */
struct bbpf_inst_st_prog {
	uint32_t btf_id;	/* the kernel struct (attach_btf_id); 0: no map uses it */
	uint32_t member;	/* its member index (expected_attach_type) */
};

/* What bbpf_object_attach() did with each program. */
struct bbpf_inst_attach {
	enum bbpf_attach_status status;
	int err;
	const char *why;	/* static text for BBPF_ATTACH_SKIPPED */
};

struct bbpf_inst {
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	bool own_ctx;			/* private context: freed with the instance */
	bool loaded;			/* the load finished */
	struct bbpf_arena arena;	/* the instance's memory, freed at unload */
	enum bbpf_core_mode core_mode;	/* decided once per load: KERNEL or USER (AUTO if no records) */
	uint32_t log_level;		/* verifier log level asked for */
	int btf_fd;			/* -1 if none */
	int *prog_fds;			/* per program and subprogram index, -1 */
	int *map_fds;			/* per map index, -1: what relocation reads */
	struct bbpf_inst_map *maps;	/* per map index */
	struct bbpf_extern_val *ext_vals;	/* per extern, NULL if none */
	struct bbpf_core_obj *core;	/* user-space CO-RE results, NULL otherwise */
	struct bbpf_link **links;	/* made by bbpf_object_attach() (ctx->alloc), destroyed at unload */
	uint32_t link_cnt, link_cap;
	struct bbpf_inst_attach *attach;	/* per program: what bbpf_object_attach() did */
	struct bbpf_usdt_ids *usdt_ids;	/* made by the first USDT attach, NULL */
	struct bbpf_inst_st_prog *st_progs;	/* per program if the object has struct_ops maps */
	struct bbpf_arena scratch;	/* per program during the load (reset before each) */
};

/* The instance of a loaded object (or of one being loaded); NULL otherwise. */
static inline struct bbpf_inst *bbpf_inst_of(const struct bbpf_object *obj)
{
	return obj ? obj->inst : NULL;
}

/* Index of a program or map in its object. */
static inline uint32_t bbpf_prog_idx(const struct bbpf_program *p)
{
	return (uint32_t)(p - p->obj->progs);
}

static inline uint32_t bbpf_map_idx(const struct bbpf_map *m)
{
	return (uint32_t)(m - m->obj->maps);
}

/* ---- report.c: the one home of "which log, at what level", and of the structured error ---- */

/* The log kernel-side messages go to: the context's callback, else the object's. */
const struct bbpf_log *bbpf_inst_log_of(const struct bbpf_object *obj, const struct bbpf_ctx *ctx);

/* "<object>: <message>" at level. */
void bbpf_inst_log(const struct bbpf_inst *inst, enum bbpf_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A failure: recorded as the object's error (stage, index, the map's,
 * program's or extern's name, err) unless an earlier failure of the same
 * call is already recorded (the first, deepest one wins), and logged at
 * WARN as "<object>: <what> '<name>': <message>: <-ERRNO>". Returns err.
 * idx is ignored for stages without one (PREPARE, BTF, CORE).
 */
int bbpf_inst_fail(struct bbpf_inst *inst, enum bbpf_stage stage, uint32_t idx, int err,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* As bbpf_inst_fail, without a message: a lower layer has logged the failure already. */
void bbpf_inst_record(struct bbpf_inst *inst, enum bbpf_stage stage, uint32_t idx, int err);
/* As bbpf_inst_fail, for an object that has no instance (yet); recorded and logged alike. */
int bbpf_obj_fail_kern(struct bbpf_object *obj, const struct bbpf_ctx *ctx, enum bbpf_stage stage,
		       uint32_t idx, int err, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Start of a public call that may fail: forget the previous call's error. */
void bbpf_obj_error_reset(struct bbpf_object *obj);

/* ---- inst.c ---- */

/* A new instance for obj (obj->inst set), with a private context unless ctx is given. */
int bbpf_inst_new(struct bbpf_object *obj, struct bbpf_ctx *ctx, struct bbpf_inst **out);
/*
 * Undo everything the instance holds, in reverse order of making: links,
 * programs, mappings, maps (pins made by a failed load removed), BTF, the
 * private context; then free it and clear obj->inst. NULL is fine.
 */
void bbpf_inst_free(struct bbpf_inst *inst, bool failed);

/* ---- btf_load.c ---- */

/*
 * Load the object's BTF, fixed up and sanitized for this kernel (see
 * relo/btf_fixup.h) into inst->btf_fd; -1 when the kernel has no BTF or
 * refuses it and nothing needs it.
 */
int bbpf_btf_load_object(struct bbpf_inst *inst);

/* ---- core_setup.c ---- */

/* Decide inst->core_mode once for this load and, in user space, compute every record. */
int bbpf_core_setup(struct bbpf_inst *inst, enum bbpf_core_mode asked);

/* ---- externs.c ---- */

/* Fill the .kconfig value and resolve ksyms into inst->ext_vals. */
int bbpf_externs_resolve(struct bbpf_inst *inst);
/*
 * Announce the typed ksyms' vmlinux names (bbpf_kname_want) before CO-RE, so
 * that the walk answering the attach targets answers them too. Only -ENOMEM.
 */
int bbpf_externs_want(struct bbpf_inst *inst);

/* ---- map_create.c ---- */

/*
 * Create (or reuse) every autocreate map in order; each one created gets its
 * global data and (map-in-map) initial slots before the next. A slot whose
 * target map has no fd yet fails the load with -EBADF, as in libbpf.
 */
int bbpf_map_create_all(struct bbpf_inst *inst);
/*
 * Set the prog-array slots, after the programs are loaded; a slot naming a
 * program that is not loaded fails the load with -EBADF, as in libbpf.
 */
int bbpf_map_set_prog_slots(struct bbpf_inst *inst);

/* ---- struct_ops.c ---- */

/*
 * Before the maps: resolve each struct_ops map's kernel struct in vmlinux
 * BTF, build the value (data members copied, unknown non-zero members
 * refused) and the attach BTF id and member index of its programs.
 */
int bbpf_struct_ops_prepare(struct bbpf_inst *inst);
/* After the programs: their fds into the values' function pointers. */
int bbpf_struct_ops_fill(struct bbpf_inst *inst);

/* ---- prog_load.c ---- */

/*
 * Relocate and load one program; inst->prog_fds[idx] set on success. Its
 * temporaries go to inst->scratch, which the caller resets before each program.
 */
int bbpf_prog_load_one(struct bbpf_inst *inst, struct bbpf_program *prog);
/*
 * Announce the vmlinux attach targets of the programs to be loaded
 * (bbpf_kname_want), before CO-RE, so that one walk over the kernel's BTF
 * answers all of them: the user-space CO-RE candidate search's, or else
 * the first lookup's. Only -ENOMEM fails.
 */
int bbpf_prog_want_targets(struct bbpf_inst *inst);
/*
 * The expected attach type prog is loaded with on ctx's kernel: its own,
 * except that usdt programs left at 0 become BPF_TRACE_UPROBE_MULTI where
 * the kernel has uprobe-multi links (libbpf 1.8, which then attaches them
 * through one such link), and optional ones are 0 on kernels before 4.17.
 */
enum bpf_attach_type bbpf_prog_load_attach_type(const struct bbpf_ctx *ctx,
						const struct bbpf_program *p);

/* ---- pin.c ---- */

/* Pinning by name or a caller's pin path: reuse a compatible pinned map (fd set). */
int bbpf_map_reuse_pinned(struct bbpf_inst *inst, struct bbpf_map *m);
/* Pin a map just created, if it has a pin path; remembered for rollback. */
int bbpf_map_pin_new(struct bbpf_inst *inst, struct bbpf_map *m);
/* Compare an existing map (fd) with the definition; -EINVAL with a message if incompatible. */
int bbpf_map_check_compat(struct bbpf_inst *inst, struct bbpf_map *m, int fd);

/* ---- usdt_ids.c: USDT spec ids of a loaded object ---- */

/*
 * The ids of the object's __bpf_usdt_specs array, shared by all its USDT
 * links, as libbpf's usdt_manager hands them out: a returned id is reused
 * first (last returned, first reused), else the next never used one, up to
 * the map's max_entries (-E2BIG). The instance holds one reference and
 * each USDT link one (BBPF_UNDO_USDT_PUT), so a link destroyed after its
 * object still finds the structure; ids returned once the instance is gone
 * are dropped. Returning an id never allocates, so undo cannot fail.
 */
struct bbpf_usdt_ids {
	struct bbpf_alloc alloc;
	uint32_t refs;
	bool orphan;		/* the instance is gone */
	uint32_t max;		/* the spec map's max_entries */
	uint32_t next;		/* ids below were handed out at some time */
	uint32_t *free;		/* returned ids; room for next of them */
	uint32_t free_cnt, free_cap;
};

/* The instance's spec ids (made with max on first use), with a reference for the caller. */
int bbpf_usdt_ids_get(struct bbpf_inst *inst, uint32_t max, struct bbpf_usdt_ids **out);
/* An id: 0, -E2BIG (all max in use), -ENOMEM. */
int bbpf_usdt_ids_alloc(struct bbpf_usdt_ids *ids, uint32_t *id);
void bbpf_usdt_ids_release(struct bbpf_usdt_ids *ids, uint32_t id);
void bbpf_usdt_ids_put(struct bbpf_usdt_ids *ids);
/* At instance teardown: drop the instance's reference. */
void bbpf_usdt_ids_orphan(struct bbpf_inst *inst);

/* ---- link.c: a link is an fd plus what else to undo ---- */

enum bbpf_undo_kind {
	BBPF_UNDO_CLOSE,	/* close fd */
	BBPF_UNDO_PERF_EVENT,	/* fd: a perf event attached by ioctl: disable, then close
				 * (a[0] 1: the caller's event, disabled only) */
	BBPF_UNDO_TRACEFS,	/* write text ("-:group/event") to tracefs file a[0] */
	BBPF_UNDO_PROG_DETACH,	/* BPF_PROG_DETACH: fd target, a[0] attach type, a[1] prog fd */
	BBPF_UNDO_SOCKOPT,	/* setsockopt(fd, a[0] level, a[1] name) detaching a program */
	BBPF_UNDO_MAP_DELETE,	/* BPF_MAP_DELETE_ELEM of the key in a[] (a u32, or a u64 over
				 * a[0] and a[1]) in map fd (borrowed) */
	/*
	 * Netlink (src/kern/netlink.c), on the socket fd the attach used (a
	 * BBPF_UNDO_CLOSE entry made before, so the request goes to the
	 * network namespace of the attach):
	 *  XDP: detach the program in mode a[1] (XDP_FLAGS_*_MODE) of device
	 *    a[0] if it is still a[2] (a program fd the link owns), by
	 *    XDP_FLAGS_REPLACE; before 5.7, if its id is still a[2]'s;
	 *  TC_FILTER: delete the filter (a[1] parent, a[2] handle, a[3] prio)
	 *    of device a[0];
	 *  QDISC: delete the clsact qdisc of device a[0] unless filters are
	 *    left on it (someone else's).
	 */
	BBPF_UNDO_XDP,
	BBPF_UNDO_TC_FILTER,
	BBPF_UNDO_QDISC,
	/*
	 * A USDT spec: element a[0] of the spec array map fd (not closed) is
	 * zeroed (a[1] bytes), and id a[0] goes back to ptr's free ids.
	 */
	BBPF_UNDO_USDT_SPEC,
	BBPF_UNDO_USDT_PUT,	/* drop the link's reference to the spec ids ptr */
};

struct bbpf_undo {
	enum bbpf_undo_kind kind;
	int fd;
	uint32_t a[4];
	void *ptr;		/* BBPF_UNDO_USDT_*: the spec ids */
	char *text;		/* link-owned copy, NULL */
	size_t text_len;
};

/*
 * A link owns its undo list and keeps its own syscall table and allocator,
 * so destroying it needs neither the object nor the context.
 */
struct bbpf_link {
	const struct bbpf_program *prog;	/* NULL once the object is gone */
	const struct bbpf_map *map;		/* a struct_ops registration's map, else NULL */
	struct bbpf_sys sys;
	struct bbpf_alloc alloc;
	enum bbpf_attach_kind attach;
	int fd;			/* the BPF link fd, or -1 (ioctl, netlink, sockopt attachments) */
	bool held;		/* owned by the object's instance: destroyed at close only */
	bool disconnected;	/* bbpf_link_disconnect(): freed without undoing anything */
	char *pin_path;		/* alloc'd copy, NULL */
	size_t pin_path_size;
	struct bbpf_undo *undo;	/* done in reverse order */
	uint32_t undo_cnt, undo_cap;
};

/* An empty link for prog (no fd, nothing to undo yet), with ctx's table and allocator. */
int bbpf_link_new(struct bbpf_ctx *ctx, const struct bbpf_program *prog, struct bbpf_link **out);
/*
 * Record something to undo, in the order made. A fd-owning entry owns fd from
 * now on, also when this fails (-ENOMEM: the fd is undone at once).
 */
int bbpf_link_undo_add(struct bbpf_link *link, enum bbpf_undo_kind kind, int fd, uint32_t a0,
		       uint32_t a1);
/* As bbpf_link_undo_add(), for an entry with every field filled in. */
int bbpf_link_undo_push(struct bbpf_link *link, const struct bbpf_undo *u);
/*
 * Record a netlink undo (BBPF_UNDO_XDP, _TC_FILTER, _QDISC) on socket nl_fd,
 * which the link must already own. On -ENOMEM it is done at once.
 */
int bbpf_link_undo_netlink(struct bbpf_link *link, enum bbpf_undo_kind kind, int nl_fd,
			   const uint32_t a[4]);
/*
 * Record the tracefs command that removes a probe event this attach added
 * ("-:group/event"), written to file at undo. On -ENOMEM it is written at once.
 */
int bbpf_link_undo_tracefs(struct bbpf_link *link, enum bbpf_tracefs_file file,
			   const char *text);
/* Undo everything and free the link, in reverse order. */
void bbpf_link_free(struct bbpf_link *link);
/* Destroy the held links past the first keep (the array goes with the last). */
void bbpf_inst_drop_links(struct bbpf_inst *inst, uint32_t keep);
/* Give the instance a link to hold (destroyed at close). -ENOMEM leaves the link to the caller. */
int bbpf_inst_hold_link(struct bbpf_inst *inst, struct bbpf_link *link);

#endif
