/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared between the loader's files (load.c, pin.c, prog_load.c, externs.c) and attach. */
#ifndef BBPF_LOAD_INT_H
#define BBPF_LOAD_INT_H

#include "kern.h"
#include "../obj/object_int.h"
#include "../relo/relo.h"
#include "../relo/core.h"

/* Kernel-layer state of a loaded (or loading) object: obj->kern. */
struct bbpf_obj_kern {
	struct bbpf_ctx *ctx;
	bool own_ctx;			/* private context: freed at close */
	int btf_fd;			/* -1 if none */
	struct bbpf_extern_val *ext_vals;	/* per extern */
	struct bbpf_core_obj *core;	/* CO-RE in user space: results; NULL otherwise */
	struct bbpf_link **links;	/* from bbpf_object_attach() */
	uint32_t link_cnt;
};

struct bbpf_ctx *bbpf_obj_ctx(const struct bbpf_object *obj);
/* The log for kernel-side messages: the context's, else the object's. */
const struct bbpf_log *bbpf_obj_klog(const struct bbpf_object *obj);

/* externs.c: fill the .kconfig map value and resolve ksyms into k->ext_vals. */
int bbpf_resolve_externs(struct bbpf_object *obj);

/* pin.c */
/* Compare an existing map (fd) with the definition; -EINVAL with a message if incompatible. */
int bbpf_map_check_compat(struct bbpf_object *obj, struct bbpf_map *m, int fd);
/* Pinning by name or a user pin path: reuse a compatible pinned map (m->fd set). */
int bbpf_map_reuse_pinned(struct bbpf_object *obj, struct bbpf_map *m);
/* Pin a map just created, if it has a pin path; remembered for rollback. */
int bbpf_map_pin_new(struct bbpf_object *obj, struct bbpf_map *m);

/* prog_load.c: relocate and load one program; prog->fd set on success. */
int bbpf_prog_load_one(struct bbpf_object *obj, struct bbpf_program *prog,
		       const struct bbpf_extern_val *ext, int btf_fd, uint32_t log_level);

/* load.c: CO-RE for this load in user space (k->core set) or by the kernel. */
int bbpf_core_prepare(struct bbpf_object *obj, enum bbpf_core_mode mode);

/* attach layer: destroy the links the object holds. */
void bbpf_attach_release(struct bbpf_object *obj);

#endif
