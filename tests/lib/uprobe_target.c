/* SPDX-License-Identifier: BSD-2-Clause */
/* The uprobe/USDT target program and its own ELF reader: see uprobe_target.h. */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "uprobe_target.h"

const char ut_source[] =
	"#define _GNU_SOURCE\n"
	"#define _SDT_HAS_SEMAPHORES 1\n"
	"#include <sys/sdt.h>\n"
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"#include <time.h>\n"
	"#define SEMA(n) unsigned short bbpf_t_##n##_semaphore __attribute__((unused, section(\".probes\")))\n"
	"SEMA(regs); SEMA(mem); SEMA(consts); SEMA(many);\n"
	"struct s { long a; int b; short c; signed char d; unsigned long long e; unsigned char f; };\n"
	"__attribute__((noipa)) long tgt_add(long a, long b) { return a * 3 + b; }\n"
	"__attribute__((noipa)) long tgt_multi_1(long x) { return x + 1; }\n"
	"__attribute__((noipa)) long tgt_multi_2(long x) { return x + 2; }\n"
	"__attribute__((noipa)) long tgt_multi_3(long x) { return x + 3; }\n"
	"__attribute__((noipa)) long tgt_sess(long x) { return x * 2; }\n"
	"long tgt_nops(long x);\n"
	"__asm__(\".text\\n.globl tgt_nops\\n.type tgt_nops,@function\\ntgt_nops:\\n"
	"nop\\nnop\\nnop\\nnop\\nlea 1(%rdi),%rax\\nret\\n.size tgt_nops,.-tgt_nops\\n\");\n"
	"__attribute__((noipa)) int regs(signed char c, unsigned char uc, short s,\n"
	"                                unsigned short us, int i, long l) {\n"
	"  STAP_PROBE6(bbpf_t, regs, c, uc, s, us, i, l); return c + uc; }\n"
	"__attribute__((noipa)) int mem(volatile struct s *p) {\n"
	"  STAP_PROBE6(bbpf_t, mem, p->a, p->b, p->c, p->d, p->e, p->f); return 0; }\n"
	"__attribute__((noipa)) void consts(void) {\n"
	"  STAP_PROBE5(bbpf_t, consts, 42, -1, (short)-300, (unsigned char)200,\n"
	"              0x7fffffffffffffffL); }\n"
	"__attribute__((noipa)) void many(int x, long y) {\n"
	"  STAP_PROBE12(bbpf_t, many, x, y, x + 1, y - 1, 1, 2, 3, 4, 5, 6, (short)x,\n"
	"               (unsigned char)y); }\n"
	"static volatile struct s v = { -123456789012L, -77, -3000, -5, 0xfedcba9876543210ULL, 250 };\n"
	"static void one(char c) {\n"
	"  switch (c) {\n"
	"  case 'A': printf(\"%ld\", tgt_add(5, 7)); break;\n"
	"  case 'N': printf(\"%ld\", tgt_nops(41)); break;\n"
	"  case 'M': printf(\"%ld %ld %ld\", tgt_multi_1(10), tgt_multi_2(10), tgt_multi_3(10)); break;\n"
	"  case 'S': printf(\"%ld\", tgt_sess(21)); break;\n"
	"  case 'l': printf(\"%s\", l64a(0x5eed)); break;\n"
	"  case 'r': printf(\"%d\", regs(-100, 200, -30000, 60000, -2000000000, -9000000000000L)); break;\n"
	"  case 'm': printf(\"%d\", mem(&v)); break;\n"
	"  case 'c': consts(); printf(\"ok\"); break;\n"
	"  case 'n': many(7, -8); printf(\"ok\"); break;\n"
	"  }\n"
	"}\n"
	"int main(void) {\n"
	"  char line[64];\n"
	"  setvbuf(stdout, NULL, _IONBF, 0);\n"
	"  while (fgets(line, sizeof(line), stdin)) {\n"
	"    if (line[0] == 'q') return 0;\n"
	"    if (line[0] == 'a') {\n"
	"      printf(\"%lx %lx %lx %lx %lx\\n\", (unsigned long)tgt_add, (unsigned long)tgt_nops,\n"
	"             (unsigned long)tgt_multi_1, (unsigned long)tgt_multi_2, (unsigned long)tgt_multi_3);\n"
	"      continue;\n"
	"    }\n"
	"    if (line[0] == 's') {\n"
	"      printf(\"%u %u %u %u\\n\", bbpf_t_regs_semaphore, bbpf_t_mem_semaphore,\n"
	"             bbpf_t_consts_semaphore, bbpf_t_many_semaphore);\n"
	"      continue;\n"
	"    }\n"
	"    if (line[0] == 'L') {\n"
	"      struct timespec t0, t, d = { 0, 5000000 };\n"
	"      long ms = atol(line + 1), n = 0;\n"
	"      FILE *null = fopen(\"/dev/null\", \"w\");\n"
	"      FILE *keep = stdout;\n"
	"      clock_gettime(CLOCK_MONOTONIC, &t0);\n"
	"      stdout = null;\n"
	"      do {\n"
	"        for (const char *p = \"ANMSlrmcn\"; *p; p++) one(*p);\n"
	"        n++; nanosleep(&d, NULL);\n"
	"        clock_gettime(CLOCK_MONOTONIC, &t);\n"
	"      } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);\n"
	"      stdout = keep; fclose(null);\n"
	"      printf(\"%ld\\n\", n);\n"
	"      continue;\n"
	"    }\n"
	"    one(line[0]);\n"
	"    printf(\"\\n\");\n"
	"  }\n"
	"  return 0;\n"
	"}\n";

static int run_sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int ut_build(struct ut_dir *d, const char *tag)
{
	char src[160], cmd[1024];
	FILE *f;

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/bbpf_%s_%d", tag, (int)getpid());
	if (mkdir(d->dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "mkdir %s: %s\n", d->dir, strerror(errno));
		return -1;
	}
	snprintf(src, sizeof(src), "%s/target.c", d->dir);
	snprintf(d->pie, sizeof(d->pie), "%s/target_pie", d->dir);
	snprintf(d->nopie, sizeof(d->nopie), "%s/target_nopie", d->dir);
	f = fopen(src, "w");
	if (!f || fputs(ut_source, f) < 0 || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", src);
		return -1;
	}
	snprintf(cmd, sizeof(cmd),
		 "cc -O2 -fPIE -pie -o '%s' '%s' && cc -O2 -fno-pie -no-pie -o '%s' '%s'", d->pie,
		 src, d->nopie, src);
	if (run_sh(cmd)) {
		fprintf(stderr, "cannot compile the target: %s\n", cmd);
		return -1;
	}
	return 0;
}

void ut_clean(struct ut_dir *d)
{
	char cmd[256];

	if (!d->dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", d->dir);
}

/* ---- ELF ---- */

struct elf_file {
	uint8_t *buf;
	size_t len;
	Elf64_Ehdr eh;
};

static int elf_load(const char *path, struct elf_file *e)
{
	FILE *f = fopen(path, "rb");
	long n;

	memset(e, 0, sizeof(*e));
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < (long)sizeof(Elf64_Ehdr) ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	e->buf = malloc((size_t)n);
	e->len = (size_t)n;
	if (!e->buf || fread(e->buf, 1, e->len, f) != e->len) {
		fclose(f);
		free(e->buf);
		return -1;
	}
	fclose(f);
	memcpy(&e->eh, e->buf, sizeof(e->eh));
	if (memcmp(e->eh.e_ident, ELFMAG, SELFMAG) || e->eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    e->eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    e->eh.e_shoff + (uint64_t)e->eh.e_shnum * sizeof(Elf64_Shdr) > e->len) {
		free(e->buf);
		return -1;
	}
	return 0;
}

static Elf64_Shdr shdr(const struct elf_file *e, unsigned int i)
{
	Elf64_Shdr s;

	memcpy(&s, e->buf + e->eh.e_shoff + (uint64_t)i * sizeof(s), sizeof(s));
	return s;
}

static const char *sec_name(const struct elf_file *e, unsigned int i)
{
	Elf64_Shdr str = shdr(e, e->eh.e_shstrndx);

	return (const char *)e->buf + str.sh_offset + shdr(e, i).sh_name;
}

static int sym_lookup(const char *path, const char *name, int64_t *off, int64_t *addr)
{
	struct elf_file e;
	int ret = -1;

	if (elf_load(path, &e))
		return -1;
	for (unsigned int i = 1; i < e.eh.e_shnum && ret; i++) {
		Elf64_Shdr st = shdr(&e, i), strs;

		if (st.sh_type != SHT_SYMTAB)
			continue;
		strs = shdr(&e, st.sh_link);
		for (uint64_t k = 1; k < st.sh_size / sizeof(Elf64_Sym); k++) {
			Elf64_Sym s;
			Elf64_Shdr sec;

			memcpy(&s, e.buf + st.sh_offset + k * sizeof(s), sizeof(s));
			if (strcmp((const char *)e.buf + strs.sh_offset + s.st_name, name) ||
			    s.st_shndx == SHN_UNDEF || s.st_shndx >= e.eh.e_shnum)
				continue;
			sec = shdr(&e, s.st_shndx);
			*off = (int64_t)(s.st_value - sec.sh_addr + sec.sh_offset);
			*addr = (int64_t)s.st_value;
			ret = 0;
			break;
		}
	}
	free(e.buf);
	return ret;
}

int64_t ut_sym_off(const char *path, const char *name)
{
	int64_t off, addr;

	return sym_lookup(path, name, &off, &addr) ? -1 : off;
}

int64_t ut_sym_addr(const char *path, const char *name)
{
	int64_t off, addr;

	return sym_lookup(path, name, &off, &addr) ? -1 : addr;
}

bool ut_is_dyn(const char *path)
{
	struct elf_file e;
	bool dyn;

	if (elf_load(path, &e))
		return false;
	dyn = e.eh.e_type == ET_DYN;
	free(e.buf);
	return dyn;
}

/* A link-time address as a file offset through the PT_LOAD segment holding it. */
static uint64_t vaddr_off(const struct elf_file *e, uint64_t va)
{
	for (unsigned int i = 0; i < e->eh.e_phnum; i++) {
		Elf64_Phdr p;

		memcpy(&p, e->buf + e->eh.e_phoff + (uint64_t)i * sizeof(p), sizeof(p));
		if (p.p_type == PT_LOAD && va >= p.p_vaddr && va < p.p_vaddr + p.p_memsz)
			return va - p.p_vaddr + p.p_offset;
	}
	return UINT64_MAX;
}

/* SDT note: namesz 8 "stapsdt", type 3, desc = pc, base, sema, provider, name, args. */
int ut_notes(const char *path, const char *provider, const char *name, struct ut_note *out,
	     int max)
{
	struct elf_file e;
	uint64_t base_addr = 0;
	int n = 0;

	if (elf_load(path, &e))
		return -1;
	for (unsigned int i = 1; i < e.eh.e_shnum; i++)
		if (!strcmp(sec_name(&e, i), ".stapsdt.base"))
			base_addr = shdr(&e, i).sh_addr;
	for (unsigned int i = 1; i < e.eh.e_shnum; i++) {
		Elf64_Shdr s = shdr(&e, i);
		uint64_t p;

		if (s.sh_type != SHT_NOTE || strcmp(sec_name(&e, i), ".note.stapsdt"))
			continue;
		for (p = s.sh_offset; p + 12 <= s.sh_offset + s.sh_size;) {
			uint32_t nh[3];
			const char *d, *prov, *nm, *args;
			uint64_t a[3];

			memcpy(nh, e.buf + p, sizeof(nh));
			d = (const char *)e.buf + p + 12 + ((nh[0] + 3) & ~3u);
			memcpy(a, d, sizeof(a));
			prov = d + 24;
			nm = prov + strlen(prov) + 1;
			args = nm + strlen(nm) + 1;
			if (nh[2] == 3 && !strcmp(prov, provider) && !strcmp(nm, name) && n < max) {
				struct ut_note *o = &out[n++];

				snprintf(o->provider, sizeof(o->provider), "%s", prov);
				snprintf(o->name, sizeof(o->name), "%s", nm);
				snprintf(o->args, sizeof(o->args), "%s", args);
				o->pc = a[0] + (base_addr && a[1] ? base_addr - a[1] : 0);
				o->sema = a[2];
				o->pc_off = vaddr_off(&e, o->pc);
				o->sema_off = a[2] ? vaddr_off(&e, a[2]) : 0;
			}
			p += 12 + ((nh[0] + 3) & ~3u) + ((nh[1] + 3) & ~3u);
		}
	}
	free(e.buf);
	return n;
}

/* ---- the child ---- */

int ut_start(struct ut_child *c, const char *path)
{
	int in[2], out[2];

	memset(c, 0, sizeof(*c));
	if (pipe(in) || pipe(out))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = fdopen(in[1], "w");
	c->from = fdopen(out[0], "r");
	if (!c->to || !c->from)
		return -1;
	setvbuf(c->to, NULL, _IONBF, 0);
	return 0;
}

const char *ut_cmd(struct ut_child *c, const char *cmd)
{
	static char line[512];
	size_t n;

	if (fprintf(c->to, "%s\n", cmd) < 0 || !fgets(line, sizeof(line), c->from))
		return NULL;
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	return line;
}

void ut_stop(struct ut_child *c)
{
	if (!c->pid)
		return;
	if (c->to) {
		fprintf(c->to, "q\n");
		fclose(c->to);
	}
	if (c->from)
		fclose(c->from);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
}

bool ut_semas(struct ut_child *c, unsigned int sema[4])
{
	const char *l = ut_cmd(c, "s");

	return l && sscanf(l, "%u %u %u %u", &sema[0], &sema[1], &sema[2], &sema[3]) == 4;
}
