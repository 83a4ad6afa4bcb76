/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BPF skeleton header `bpftool gen skeleton OBJ [name NAME]` writes
 * (Debian's bpftool 7.1), byte for byte: struct NAME with maps, progs,
 * links and one struct per memory-mapped global-data map (.data, .rodata,
 * .bss, .kconfig, .data.X ...) laid out from the object's DATASEC BTF
 * (every non-static variable at its offset, "char __padN[M]" where natural
 * 4-byte-capped alignment would not reach it), the NAME__open/load/attach/
 * detach/destroy/elf_bytes/create_skeleton functions over libbpf's
 * skeleton API, the object's bytes as a string literal, the C++ members and
 * NAME__assert with a _Static_assert per variable's size.
 *
 * The object must have been opened with object_name = name (its internal
 * map names, "minimal_.bss", derive from it, as libbpf's do). Its BTF is
 * taken as libbpf sees it after open (bbpf_btf_fixup: DATASEC sizes,
 * offsets from the symbols, entries sorted by offset).
 *
 * Pure: output through the writer, memory from the arena.
 */
#ifndef BBPF_DUMP_SKEL_H
#define BBPF_DUMP_SKEL_H

#include <stddef.h>
#include "dump.h"
#include "../base/arena.h"

struct bbpf_object;

/* Longest skeleton name, as bpftool's MAX_OBJ_NAME_LEN - 1. */
#define BBPF_DUMP_SKEL_NAME_MAX	63u

/*
 * name from an object file's path as bpftool derives it: the base name, a
 * trailing ".o" dropped, at most BBPF_DUMP_SKEL_NAME_MAX bytes, every byte
 * that is not [A-Za-z0-9_] replaced by '_'. out has
 * BBPF_DUMP_SKEL_NAME_MAX + 1 bytes.
 */
void bbpf_dump_skel_name(const char *path, char *out);

/*
 * Write the header for obj, whose file bytes are elf[0, elf_len). 0 or a
 * negative errno: -EINVAL (a variable that does not fit where BTF puts it,
 * a type without alignment), -ENOMEM, the dumper's and the BTF fixup's
 * errors. Output may be partial on error.
 */
int bbpf_dump_skel_header(const struct bbpf_object *obj, const char *name, const void *elf,
			  size_t elf_len, const struct bbpf_dump_out *w, struct bbpf_arena *arena);

#endif
