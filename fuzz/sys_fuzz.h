/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fake kernel for fuzzing (names prefixed fz_): a struct bbpf_sys whose
 * every answer comes from the fuzzer's input, and that checks how the
 * library uses what it is given. No global state: a struct fz_kernel per
 * input, on the harness's heap or stack.
 *
 * Two parts of the input drive it (fuzz/README.md has the byte layout):
 *
 *  - files: the contents of the files the loader reads, by class
 *    (/sys/kernel/btf/vmlinux, /proc/kallsyms, /proc/config.gz, tracefs
 *    ids, ...). A class without an entry is absent (-ENOENT), except for a
 *    few that have a benign default (a tracepoint id, the CPU list, the
 *    release), so that short inputs still reach attach.
 *  - the script: one byte per decision, consumed in call order. A byte
 *    below FZ_FAIL_MIN means success (for a read, a non-zero byte is also
 *    the length of a short read); FZ_FAIL_MIN and above fail the call with
 *    one of the errnos in fz_errnos[]. A failed PROG_LOAD or BTF_LOAD with a
 *    log buffer gets log text from the script too, and -ENOSPC fills the
 *    whole buffer. OBJ_GET_INFO_BY_FD fills the info from the script. When
 *    the script runs out every call succeeds, so every run ends.
 *
 * Checks (a finding aborts with a message on stderr, see fz_die()):
 *  - no fd is closed twice, closed without having been handed out, or used
 *    after close (a bpf command's fd fields, instruction map fds, ioctl,
 *    read, mmap, dup); fds are numbered from FZ_FD_BASE and never reused,
 *    so a stale fd cannot alias a new one;
 *  - munmap gets exactly an address and length mmap handed out;
 *  - every buffer the library passes is as long as it says (the fake
 *    reads or writes all of it: ASan reports the overflow): instructions,
 *    func/line info, CO-RE records, BTF blobs, map keys and values (sizes
 *    from the fake's own record of the map), log buffers, info structs;
 * Kernel objects behave as the kernel's do where the loader looks back at
 * them: a pin made through the fake gives back the same object (OBJ_GET),
 * whose info (OBJ_GET_INFO_BY_FD) is its definition, and whose BTF is the
 * blob BTF_LOAD got; the script can then corrupt bytes of that info.
 *  - prog-array and map-in-map slots get fds of programs and maps, under a
 *    key that is the slot index zero-extended to the map's key size.
 * Unlinking a pin made through the fake always succeeds (bpffs as root),
 * so "a failed call leaves no pin" can be checked.
 * fz_kernel_check_clean() checks that nothing is left open or mapped.
 */
#ifndef FZ_SYS_FUZZ_H
#define FZ_SYS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <barebpf/sys.h>

#define FZ_FD_BASE	1000
#define FZ_MAX_FDS	2048	/* handed out per input; then -EMFILE */
#define FZ_MAX_MAPS	128	/* live mappings; then -ENOMEM */
#define FZ_MAX_PINS	64	/* live pins; then -ENOSPC */
#define FZ_FAIL_MIN	0xa0

/* File classes, by the path the loader opens. */
enum fz_file {
	FZ_FILE_VMLINUX,	/* /sys/kernel/btf/vmlinux */
	FZ_FILE_KALLSYMS,	/* /proc/kallsyms */
	FZ_FILE_CONFIG_GZ,	/* /proc/config.gz */
	FZ_FILE_BOOT_CONFIG,	/* /boot/config-<release> */
	FZ_FILE_TRACEFS_ID,	/* <tracefs>/events/<category>/<name>/id; default "42\n" */
	FZ_FILE_CPU_POSSIBLE,	/* /sys/devices/system/cpu/possible; default "0-3\n" */
	FZ_FILE_MODULES,	/* /proc/modules */
	FZ_FILE_MODULE_BTF,	/* /sys/kernel/btf/<module> */
	FZ_FILE_VMLINUX_DISK,	/* libbpf's on-disk vmlinux locations (/boot/vmlinux-*, ...) */
	FZ_FILE_TARGET_BTF,	/* the caller's CO-RE target (ctx btf_path FZ_TARGET_BTF_PATH) */
	FZ_FILE_PMU_TYPE,	/* /sys/bus/event_source/devices/<pmu>/type; default "6\n" */
	FZ_FILE_UNAME,		/* uname's release (first 64 bytes); default "6.18.0" */
	FZ_FILE_OBJ_BTF,	/* what BPF_OBJ_GET_INFO_BY_FD returns as a BTF object's data */
	FZ_FILE_KCONFIG_OPT,	/* the caller's kconfig text (ctx option), when asked for */
	FZ_FILE_OBJECT,		/* FZ_OBJECT_PATH: the object file, for bbpf_object_open_file */
	FZ_FILE_OTHER,		/* any other path */
	FZ_FILE_CNT
};

#define FZ_TARGET_BTF_PATH "/fuzz/target.btf"
#define FZ_OBJECT_PATH "/fuzz/object.bpf.o"

struct fz_span {
	const uint8_t *p;
	size_t len;
};

enum fz_fd_kind {
	FZ_FD_FREE,		/* closed */
	FZ_FD_MAP,
	FZ_FD_PROG,
	FZ_FD_BTF,
	FZ_FD_LINK,
	FZ_FD_PERF,
	FZ_FD_FILE,
	FZ_FD_OTHER,		/* iterators, sockets, epoll, dup of an unknown kind */
};

struct fz_fd {
	uint8_t kind;		/* enum fz_fd_kind */
	uint8_t file;		/* FZ_FD_FILE: enum fz_file */
	bool sized;		/* FZ_FD_MAP made by MAP_CREATE: its definition is known */
	uint32_t map_type, key_size, value_size, max_entries, map_flags;
	uint32_t btf_id;	/* FZ_FD_BTF: its object; FZ_FD_MAP: its BTF's (0: none) */
	uint32_t btf_key_type_id, btf_value_type_id;
	uint64_t map_extra;
	size_t off;		/* FZ_FD_FILE: read position */
};

/* A BTF object the fake kernel holds: a copy of what BTF_LOAD got. */
struct fz_btf_obj {
	uint8_t *data;
	uint32_t len;
};

#define FZ_MAX_BTFS 16

struct fz_mapping {
	void *addr;
	size_t len;
	bool file;		/* of a file (the context's BTF), else of a map */
};

struct fz_kernel {
	struct fz_span file[FZ_FILE_CNT];
	bool has_file[FZ_FILE_CNT];
	const uint8_t *script;
	size_t script_len, script_off;
	long page_size;
	unsigned long calls;
	unsigned long bpf_calls;
	int next_fd;			/* FZ_FD_BASE + fds handed out */
	struct fz_fd fds[FZ_MAX_FDS];
	size_t open_fds;
	struct fz_mapping maps[FZ_MAX_MAPS];
	size_t map_cnt;
	char *pins[FZ_MAX_PINS];	/* malloc'd paths pinned through the fake */
	struct fz_fd pin_obj[FZ_MAX_PINS];	/* what each pin holds */
	size_t pin_cnt;
	struct fz_btf_obj btfs[FZ_MAX_BTFS];	/* BTF ids 1..btf_cnt */
	size_t btf_cnt;
};

/* Errnos a failing byte picks from. */
extern const int fz_errnos[];
extern const size_t fz_errno_cnt;

/* Zero k, take the script and return the table to use. Files are set in k->file. */
struct bbpf_sys fz_kernel_init(struct fz_kernel *k, const uint8_t *script, size_t len);
/* Free what the fake itself holds (pin names, leftover mappings). */
void fz_kernel_fini(struct fz_kernel *k);
/* Abort (a finding) if any fd is open or any mapping is left; what says when. */
void fz_kernel_check_clean(const struct fz_kernel *k, const char *what);
/* Open fds; live mappings of maps (not of files). */
size_t fz_kernel_open_fds(const struct fz_kernel *k);
size_t fz_kernel_map_mappings(const struct fz_kernel *k);
/* Is fd a fake fd that is open, of kind (FZ_FD_FREE: any)? */
bool fz_fd_is_open(const struct fz_kernel *k, int fd, enum fz_fd_kind kind);
/* Is path pinned (through the fake, and not unlinked)? */
bool fz_is_pinned(const struct fz_kernel *k, const char *path);
/* Next script byte (0 once the script is used up). */
uint8_t fz_byte(struct fz_kernel *k);

/* Print "fuzz finding: <msg>" on stderr and abort. */
void fz_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
