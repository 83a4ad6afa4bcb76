/* SPDX-License-Identifier: BSD-2-Clause */
/* see ref_tools.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_run.h"
#include "ref_tools.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *ref_objdump(void)
{
	static const char *const names[] = { "llvm-objdump", "llvm-objdump-16" };

	return proc_find_tool(names, ARRAY_LEN(names));
}

const char *ref_bpftool(void)
{
	static const char *const names[] = { "bpftool", "/usr/sbin/bpftool", "/sbin/bpftool" };

	return proc_find_tool(names, ARRAY_LEN(names));
}

static char *run_tool(const char *tool, const char *args, const char *file)
{
	char cmd[1024];

	if (strchr(file, '\''))
		return NULL;
	snprintf(cmd, sizeof(cmd), "%s %s '%s' 2>/dev/null", tool, args, file);
	return proc_capture(cmd);
}

/*
 * "  3 tp/syscalls/sys_enter_getpid      000002a0 0000000000000000 TEXT".
 * One `objdump -h -t` (the sweeps over every fixture spent most of their
 * time starting llvm-objdump): its output is -h's, then -t's from the line
 * "SYMBOL TABLE:" on (the same lines, without -t's "file format" header).
 */
int ref_elf_read(const char *objdump, const char *file, struct ref_elf *ef)
{
	char *out = run_tool(objdump, "-h -t", file), *line, *save = NULL, *symtab;

	memset(ef, 0, sizeof(*ef));
	if (!out)
		return -1;
	symtab = strstr(out, "\nSYMBOL TABLE:\n");
	if (!symtab) {
		free(out);
		return -1;
	}
	ef->syms = strdup(symtab + 1);
	*symtab = '\0';
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ref_section *s = &ef->sec[ef->nsec];
		char type[32] = "";
		unsigned long vma;
		unsigned int idx;

		if (sscanf(line, " %u %255s %lx %lx %31s", &idx, s->name, &s->size, &vma,
			   type) < 4)
			continue;
		s->text = !strcmp(type, "TEXT");
		s->data = !strcmp(type, "DATA");
		s->bss = !strcmp(type, "BSS");
		if (ef->nsec + 1 < ARRAY_LEN(ef->sec))
			ef->nsec++;
	}
	free(out);
	return ef->syms ? 0 : -1;
}

void ref_elf_free(struct ref_elf *ef)
{
	free(ef->syms);
	ef->syms = NULL;
}

const struct ref_section *ref_elf_section(const struct ref_elf *ef, const char *name)
{
	size_t i;

	for (i = 0; i < ef->nsec; i++)
		if (!strcmp(ef->sec[i].name, name))
			return &ef->sec[i];
	return NULL;
}

/* "0000000000000050 l     F .text\t0000000000000020 mix": flags are columns 17..23. */
void ref_elf_for_each_sym(const struct ref_elf *ef, ref_sym_fn fn, void *ctx)
{
	char *copy = ef->syms ? strdup(ef->syms) : NULL, *line, *save = NULL;

	if (!copy)
		return;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char sec[256], name[256];
		unsigned long addr, size;
		size_t n;
		char *tab;

		if (strlen(line) < 26 || line[16] != ' ' || sscanf(line, "%lx", &addr) != 1)
			continue;
		tab = strchr(line + 25, '\t');
		n = tab ? (size_t)(tab - (line + 25)) : sizeof(sec);
		if (n >= sizeof(sec))
			continue;
		memcpy(sec, line + 25, n);
		sec[n] = '\0';
		if (sscanf(tab + 1, "%lx %255s", &size, name) != 2)
			continue;
		fn(ctx, sec, addr, size, line[23], name);
	}
	free(copy);
}

/* "[120] DATASEC '.maps' size=0 vlen=18" then "\ttype_id=14 offset=0 size=32 (VAR 'inner_a')" */
int ref_btf_datasec_vars(const char *bpftool, const char *file, const char *datasec,
			 void (*fn)(void *ctx, const char *name), void *ctx)
{
	char *out = run_tool(bpftool, "btf dump file", file), *line, *save = NULL, *q;
	char head[300], name[256];
	bool in = false;

	if (!out)
		return -1;
	snprintf(head, sizeof(head), "DATASEC '%s' ", datasec);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '\t') {
			in = strstr(line, head) != NULL;
			continue;
		}
		if (!in || !(q = strstr(line, "(VAR '")))
			continue;
		q += 6;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(q, "'"), q);
		fn(ctx, name);
	}
	free(out);
	return 0;
}
