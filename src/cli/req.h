/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf inspect --requirements / --check (requirements.c, req_check.c):
 * what an object needs from a kernel, one item per need, and the check of
 * each item against the running kernel or another kernel's BTF and .config.
 */
#ifndef BBPF_CLI_REQ_H
#define BBPF_CLI_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <barebpf/object.h>

#include "cli.h"
#include "kobj.h"

enum bbpf_cli_req_status {
	BBPF_CLI_REQ_OK,
	BBPF_CLI_REQ_MISSING,
	BBPF_CLI_REQ_FALLBACK,	/* the loader works around it (BTF sanitized, user-space CO-RE) */
	BBPF_CLI_REQ_UNCHECKED,	/* listed only: nothing to compare it with */
};

enum bbpf_cli_req_what {
	BBPF_CLI_REQ_PROG_TYPE,	/* num: enum bpf_prog_type */
	BBPF_CLI_REQ_ATTACH_TYPE,	/* num: enum bpf_attach_type */
	BBPF_CLI_REQ_ATTACH,	/* value: "kprobe FUNC", "tracepoint CAT/NAME", ... */
	BBPF_CLI_REQ_HELPER,	/* num: helper id */
	BBPF_CLI_REQ_KFUNC,	/* ext */
	BBPF_CLI_REQ_KSYM,	/* ext */
	BBPF_CLI_REQ_KCONFIG,	/* ext */
	BBPF_CLI_REQ_CORE_TYPE,	/* num: type id in the object's BTF; flag: every use guarded */
	BBPF_CLI_REQ_MAP_TYPE,	/* num: enum bpf_map_type */
	BBPF_CLI_REQ_MAP_FLAGS,	/* num: map_flags */
	BBPF_CLI_REQ_BTF_KIND,	/* num: BTF_KIND_* */
	BBPF_CLI_REQ_KERNEL_BTF,	/* the kernel's own BTF (CO-RE, kfuncs, typed ksyms, BTF targets) */
	BBPF_CLI_REQ_KERNEL_CORE,	/* CO-RE records at BPF_PROG_LOAD (5.17) */
};

struct bbpf_cli_req {
	const char *owner;	/* "program", "map" or "object" */
	const char *name;
	enum bbpf_cli_req_what what;
	char value[128];	/* printable */
	uint64_t num;
	bool flag;
	const struct bbpf_program *prog;
	const struct bbpf_extern *ext;
	unsigned int attach;	/* ATTACH: enum bbpf_attach_kind */
	enum bbpf_cli_req_status st;
	char why[160];
};

/* The kernel an object is checked against. */
struct bbpf_cli_req_target {
	bool live;			/* the running kernel: probes allowed */
	struct bbpf_cli_kobj k;		/* its context (offline too: files are read through it) */
	struct bbpf_btf *btf;		/* the kernel's BTF, indexed; NULL if none */
	const char *kconfig;		/* .config text, NULL if unknown */
	size_t kconfig_len;
	const char *btf_path, *kconfig_path;	/* offline: the files given */
	uint8_t prog_types[64];		/* live probe answers: 0 not asked, 1 yes, 2 no */
};

/* Check every item of reqs (req_check.c). */
void bbpf_cli_req_check(struct bbpf_cli_req_target *t, const struct bbpf_object *obj,
			struct bbpf_cli_req *reqs, size_t n);

/* The words after "inspect OBJ --requirements" (inspect.c reads the line). */
struct bbpf_cli_req_args {
	bool check;				/* --check */
	const char *btf_path, *kconfig_path;	/* its btf FILE, kconfig FILE */
};

/* "inspect OBJ --requirements [--check [btf FILE] [kconfig FILE]]" of path (requirements.c). */
int bbpf_cli_requirements(const struct bbpf_cli_opts *opts, char **argv, const char *path,
			  const struct bbpf_cli_req_args *a);

/*
 * A single probe of feature.c (libbpf's): true if the kernel has program
 * type type, map type type, or helper id for program type type.
 */
enum bbpf_cli_probe_what { BBPF_CLI_PROBE_PROG, BBPF_CLI_PROBE_MAP, BBPF_CLI_PROBE_HELPER };
bool bbpf_cli_probe(struct bbpf_cli_kobj *k, enum bbpf_cli_probe_what what, uint32_t type,
		    uint32_t id);

#endif
