/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object model behind include/barebpf/object.h: what the open phase
 * produces and what relocation and loading consume. Everything lives in the
 * object's arena.
 */
#ifndef BBPF_OBJECT_INT_H
#define BBPF_OBJECT_INT_H

#include <elf.h>
#include <barebpf/object.h>
#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/fmt.h"
#include "../base/log.h"
#include "../parse/btf.h"
#include "../parse/btf_ext.h"
#include "../parse/elf.h"
#include "sec_def.h"

#define BBPF_OBJ_NAME_LEN 16	/* kernel BPF_OBJ_NAME_LEN, NUL included */

/* The loaded instance (src/load): opaque here, compared with NULL only. */
struct bbpf_inst;

struct bbpf_relo {
	enum bbpf_relo_kind kind;
	uint32_t insn_idx;	/* in the program's own instructions */
	uint32_t sym_idx;	/* ELF symbol (0 for CORE) */
	uint32_t sec_idx;	/* the symbol's section (CALL/CALLBACK/MAP/DATA) */
	uint64_t sym_off;	/* the symbol's value */
	uint32_t target;	/* MAP/DATA: map index; EXTERN_*: extern index;
				 * CORE: record index in the section's core_relo block */
};

/* func_info/line_info/core_relo records of a program: a slice of its section's block. */
struct bbpf_ext_slice {
	const struct bbpf_btf_ext_sec *sec;	/* NULL if none */
	uint32_t first;
	uint32_t cnt;
};

struct bbpf_program {
	struct bbpf_object *obj;
	const char *name;
	const char *sec_name;		/* without a leading '?' */
	uint32_t sec_idx;
	uint32_t sec_insn_off;		/* first instruction within the section */
	struct bpf_insn *insns;		/* copy, host byte order */
	uint32_t insn_cnt;
	bool is_subprog;		/* .text function */
	bool autoload;
	const struct bbpf_sec_def *sec_def;	/* NULL if the section name is unknown */
	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	uint32_t prog_flags;
	uint32_t ifindex;		/* offload device (bbpf_program_set_ifindex), 0 */
	const char *attach_target;
	/* bbpf_program_set_attach_target(): a BPF program's fd (0: a kernel target) and a name */
	int attach_prog_fd;
	const char *attach_func_name;	/* arena copy; NULL: the section's target */
	struct bbpf_relo *relos;
	uint32_t relo_cnt;
	struct bbpf_ext_slice func_info, line_info, core_relo;
};

struct bbpf_init_slot {
	uint32_t slot;
	const char *target;	/* map or program name */
	bool is_prog;
};

struct bbpf_map {
	struct bbpf_object *obj;
	const char *name;		/* kernel-visible name (internal: "<obj>.bss") */
	const char *real_name;		/* BTF var name or ELF section name (".bss") */
	enum bbpf_map_kind kind;
	uint32_t sec_idx;		/* defining ELF section */
	uint64_t sec_off;		/* offset of the definition in it */
	uint64_t sec_len;		/* bytes of the definition (symbol size: with initial values) */
	enum bpf_map_type type;
	uint32_t key_size, value_size, max_entries, map_flags, numa_node;
	uint32_t ifindex;		/* offload device (bbpf_map_set_ifindex), 0 */
	uint64_t map_extra;
	enum bbpf_pinning pinning;
	uint32_t btf_key_type_id, btf_value_type_id;
	uint32_t btf_var_id;		/* VAR in .maps or DATASEC for internal maps */
	struct bbpf_map *inner;		/* template of a map-in-map */
	uint32_t legacy_inner_idx;	/* legacy map-in-map: index of the inner map in obj->maps, else UINT32_MAX */
	bool autocreate;
	bool defined_max_entries;	/* legacy perf array fixups need to know */
	const char *pin_path;		/* the caller's (bbpf_map_set_pin_path), NULL */
	int reuse_fd;			/* the caller's, borrowed until load; -1 */
	int inner_map_fd;		/* the caller's, borrowed; -1 */
	uint8_t *data;			/* internal maps: initial value, value_size bytes */
	uint32_t values_off;		/* BTF maps: byte offset of the 'values' member, else UINT32_MAX */
	struct bbpf_init_slot *slots;	/* struct_ops: slot = the local member's index */
	uint32_t slot_cnt;
};

struct bbpf_extern {
	const char *name;
	enum bbpf_extern_kind kind;
	uint32_t sym_idx;
	uint32_t btf_id;		/* VAR or FUNC */
	uint32_t type_id;		/* VAR's type (0: typeless/void) or FUNC_PROTO */
	bool is_weak, is_func;
	enum bbpf_kcfg_type kcfg_type;
	uint32_t size, align, data_off;
	bool is_signed;
};

struct bbpf_object {
	struct bbpf_arena arena;
	struct bbpf_log log;
	char name[256];
	const uint8_t *buf;
	size_t len;
	void *owned_buf;		/* open_file: freed with alloc at close */
	size_t owned_len;
	struct bbpf_elf elf;
	struct bbpf_elf_sym *syms;	/* .symtab, decoded once */
	uint32_t sym_cnt;
	struct bbpf_btf *btf;		/* NULL: no .BTF */
	struct bbpf_btf_ext *btf_ext;	/* NULL: no .BTF.ext */
	/*
	 * Per ELF section index, built once with .BTF.ext (prog_relo.c) so that
	 * no lookup by name is repeated per program: the first section of the
	 * same name, and the first block of each kind (func_info, line_info,
	 * core_relo) whose name is that section's; NULL if none.
	 */
	uint32_t *sec_first;
	const struct bbpf_btf_ext_sec **ext_of_sec[3];
	char license[64];
	uint32_t kern_version;

	uint32_t maps_shndx;		/* SEC(".maps"), 0 if none */
	uint32_t legacy_maps_shndx;	/* SEC("maps"), 0 if none */
	uint32_t text_shndx;		/* .text, 0 if none */
	uint32_t kconfig_map;		/* index of the .kconfig map, UINT32_MAX if none */

	struct bbpf_program *progs;	/* programs first, then subprograms */
	uint32_t prog_cnt;		/* programs (not subprograms) */
	uint32_t subprog_cnt;
	struct bbpf_map *maps;
	uint32_t map_cnt;
	struct bbpf_extern *externs;
	uint32_t extern_cnt;
	/* Lookup indexes, built once so that relocation collection stays
	 * O(n log n) on hostile inputs with many maps, programs and externs. */
	struct bbpf_map **map_order;	/* BTF/legacy/struct_ops maps by (sec_idx, sec_off) */
	uint32_t map_order_cnt;
	uint32_t *sym_extern;		/* symbol index -> extern index or UINT32_MAX */

	/*
	 * Set by the load layer while the object is loaded (or loading); NULL
	 * otherwise. Setters refuse to change a loaded object.
	 */
	struct bbpf_inst *inst;
	/* The last failure of a kernel-facing call (load, attach, pin); .err 0 if none. */
	struct bbpf_diag kerr;
};

/* Log a rejection: "<obj>: section '<name>' (#idx) +0x<off>: <reason>: detail". */
int bbpf_obj_fail(struct bbpf_object *obj, struct bbpf_diag *diag, enum bbpf_bad why,
		  uint32_t sec, uint64_t off, uint32_t idx, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* bbpf_log(&obj->log, level, "%s: " fmt, obj->name, ...): the object's messages. */
void bbpf_obj_log(const struct bbpf_object *obj, enum bbpf_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Steps of the open phase, in the order object.c runs them. */
int bbpf_obj_collect_maps(struct bbpf_object *obj, struct bbpf_diag *diag);	/* map_def.c */
int bbpf_obj_collect_data(struct bbpf_object *obj, struct bbpf_diag *diag);	/* data.c */
int bbpf_obj_collect_externs(struct bbpf_object *obj, struct bbpf_diag *diag);	/* extern.c */
int bbpf_obj_collect_map_slots(struct bbpf_object *obj, struct bbpf_diag *diag); /* map_def.c */
int bbpf_obj_collect_struct_ops(struct bbpf_object *obj, struct bbpf_diag *diag); /* struct_ops.c */
int bbpf_obj_collect_struct_ops_progs(struct bbpf_object *obj, struct bbpf_diag *diag);
int bbpf_obj_collect_relos(struct bbpf_object *obj, struct bbpf_diag *diag);	/* prog_relo.c */

/* Symbol i of .symtab, NULL if out of range. */
static inline const struct bbpf_elf_sym *bbpf_obj_sym(const struct bbpf_object *obj, uint32_t i)
{
	return i < obj->sym_cnt ? &obj->syms[i] : NULL;
}

/* A non-empty SHF_EXECINSTR PROGBITS section (the object walks ask per symbol). */
bool bbpf_obj_sec_is_exec(const struct bbpf_object *obj, uint32_t idx);

/* Build map_order; call after all maps are collected. */
int bbpf_obj_index_maps(struct bbpf_object *obj);
/* Map defined at (sec_idx, sec_off), or NULL. */
struct bbpf_map *bbpf_obj_map_at(const struct bbpf_object *obj, uint32_t sec_idx, uint64_t off);
/* Internal map for a data section, or NULL. */
struct bbpf_map *bbpf_obj_data_map(const struct bbpf_object *obj, uint32_t sec_idx);
/* BTF map whose definition bytes contain (sec_idx, off), or NULL. */
struct bbpf_map *bbpf_obj_map_containing(const struct bbpf_object *obj, uint32_t sec_idx,
					 uint64_t off);
/* Program or subprogram containing section instruction insn_off, or NULL. */
struct bbpf_program *bbpf_obj_prog_at(const struct bbpf_object *obj, uint32_t sec_idx,
				      uint64_t insn_off);
/* Symbol in section sec_idx with this name (STT_OBJECT/NOTYPE/FUNC), -ENOENT if none. */
int bbpf_obj_find_sym(const struct bbpf_object *obj, uint32_t sec_idx, const char *name,
		      struct bbpf_elf_sym *out, uint32_t *sym_idx);
/* DATASEC type id for a section name, 0 if none (or no BTF). */
uint32_t bbpf_obj_find_datasec(const struct bbpf_object *obj, const char *sec_name);
/* Section name for a diagnostic. */
const char *bbpf_obj_sec_name(const struct bbpf_object *obj, uint32_t idx);

/*
 * Sort n elements of size bytes (at most BBPF_OBJ_SORT_MAX) so that none is
 * before() its predecessor; stable. An insertion sort: the arrays are short
 * and usually in order already, and no qsort function-pointer casts.
 */
#define BBPF_OBJ_SORT_MAX 256
void bbpf_obj_sort(void *base, uint32_t n, size_t size,
		   bool (*before)(const void *a, const void *b));

/* Free a parsed object's memory (bbpf_object_close/bbpf_object_free's last step). */
void bbpf_obj_free(struct bbpf_object *obj);

/* Append an initial slot (a map-in-map or prog-array index, a struct_ops member index). */
int bbpf_obj_map_add_slot(struct bbpf_object *obj, struct bbpf_map *m, uint32_t slot,
			  const char *target, bool is_prog);

/* Defaults every map starts with (autocreate, no fds). */
void bbpf_obj_map_init(struct bbpf_object *obj, struct bbpf_map *m);
/* Append n zeroed maps; returns the index of the first or a negative errno. */
int bbpf_obj_grow_maps(struct bbpf_object *obj, uint32_t n, struct bbpf_diag *diag);
/* Fill *m as an internal (global data / .kconfig) map of size bytes. NULL: -ENOMEM. */
struct bbpf_map *bbpf_obj_add_internal_map(struct bbpf_object *obj, struct bbpf_map *m,
					   enum bbpf_map_kind kind, const char *real_name,
					   uint32_t sec_idx, uint32_t size);

/* Internal map name as libbpf makes it: "<up to 8 of obj name><section>". */
void bbpf_obj_internal_map_name(const char *obj_name, const char *real_name,
				char out[BBPF_OBJ_NAME_LEN]);

#endif
