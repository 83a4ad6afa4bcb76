/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * USDT notes, probe sites and argument specifications (src/parse/usdt.c):
 *  - programs compiled here with <sys/sdt.h> (-O2 PIE, -O0 non-PIE, a
 *    shared library): semaphores, registers of every width, memory with
 *    offsets, SIB, constants, rip-relative globals, fixed argument strings
 *    through STAP_PROBE_ASM; notes compared with `readelf -n`, offsets with
 *    readelf's segments and sections, every argument with an independent
 *    regex decoder over <asm/ptrace.h>'s struct pt_regs;
 *  - a prelinked copy (every address moved): .stapsdt.base corrects the pc;
 *  - the map value against a helper compiled with the installed
 *    <bpf/usdt.bpf.h> (libbpf 1.1, layout V1) and against a bitfield struct
 *    declared as libbpf 1.7+'s (layout V2), both byte orders by hand;
 *  - synthetic ELFs for every address rule, hostile note sections
 *    (truncated, bad sizes, owner, type, unterminated strings, absurd
 *    counts, every prefix) and hostile argument strings, each rejected with
 *    its reason; tests/data/bad/usdt-* replayed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <asm/ptrace.h>
#include "parse/elf.h"
#include "parse/usdt.h"
#include "base/arena.h"
#include "elf_builder.h"
#include "proc_run.h"
#include "sweep_util.h"
#include <barebpf/object.h>

#define PT(f) ((uint16_t)offsetof(struct pt_regs, f))

static char tmpdir[64];

/* ---- helpers ---- */

struct parsed {
	struct bbpf_arena arena;
	struct bbpf_elf elf;
	struct bbpf_diag diag;
	uint8_t *copy;
	size_t len;
};

static int parse_buf(struct parsed *p, const void *buf, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->copy = su_dup(buf, len);
	p->len = len;
	bbpf_arena_init(&p->arena, &bbpf_alloc_libc, 256u << 20);
	return bbpf_elf_parse(&p->elf, p->copy, len, 0, &p->arena, &p->diag);
}

static void parse_file(struct parsed *p, const char *path)
{
	uint8_t *buf;
	size_t len;

	if (su_read_file(path, &buf, &len) != 0)
		fail_msg("cannot read %s", path);
	assert_int_equal(parse_buf(p, buf, len), 0);
	free(buf);
}

static void parsed_free(struct parsed *p)
{
	bbpf_arena_free(&p->arena);
	free(p->copy);
}

static void put(uint8_t *p, unsigned int width, uint64_t v, bool be)
{
	for (unsigned int i = 0; i < width; i++)
		p[be ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void bin_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
}

/* ---- programs compiled here ---- */

static const char prog_c[] =
	"#define _SDT_HAS_SEMAPHORES 1\n"
	"#include <sys/sdt.h>\n"
	"#define SEMA(n) unsigned short prov_##n##_semaphore __attribute__((unused, section(\".probes\")))\n"
	"SEMA(regs); SEMA(mem); SEMA(consts); SEMA(globals); SEMA(sib); SEMA(fixed); SEMA(many);\n"
	"volatile int g_int = 5; volatile long g_long = -7; volatile unsigned char g_u8 = 200;\n"
	"volatile short g_s16 = -3;\n"
	"struct s { long a; int b[4]; short c; signed char d; unsigned long long e; };\n"
	"__attribute__((noinline)) int f(int x, long y, struct s *p, short sh, signed char c,\n"
	"                                unsigned char uc, int i, unsigned long long ull) {\n"
	"  STAP_PROBE6(prov, regs, x, y, sh, c, uc, ull);\n"
	"  STAP_PROBE5(prov, mem, p->a, p->b[2], p->c, p->d, p->e);\n"
	"  STAP_PROBE4(prov, consts, 42, -1, (short)-300, (unsigned char)7);\n"
	"  STAP_PROBE4(prov, globals, g_int, g_long, g_u8, g_s16);\n"
	"  STAP_PROBE2(prov, sib, p->b[i], (long)i);\n"
	"  __asm__ volatile(STAP_PROBE_ASM(prov, fixed, -4@%eax 8@-16(%rbp) 2@$-7 -1@%sil "
	"8@16(%rip) 4@(%rsp) -8@-96(%rbp,%rax,8) 1@(%rbx,%rcx) -2@%r10w 4@%r11d 8@%r12 1@%r13b));\n"
	"  STAP_PROBE12(prov, many, x, y, sh, c, uc, ull, i, x + 1, y - 1, 1, 2, 3);\n"
	"  return x + (int)y + p->b[i];\n"
	"}\n"
	"void g(int v);\n"
	"int main(int argc, char **argv) { struct s v = { 1, { 1, 2, 3, 4 }, 5, 6, 7 };\n"
	"  g(argc); return f(argc, (long)argv, &v, 3, 4, 5, argc & 3, 9); }\n";

static const char prog2_c[] =
	"#include <sys/sdt.h>\n"
	"static inline __attribute__((always_inline)) void twice(int v)\n"
	"{ STAP_PROBE1(prov2, twice, v); }\n"
	"void g(int v) { STAP_PROBE1(prov2, nosema, v); STAP_PROBE(prov2, noargs);\n"
	"  twice(v); twice(v * 3); }\n";

static const char lib_c[] =
	"#define _SDT_HAS_SEMAPHORES 1\n"
	"#include <sys/sdt.h>\n"
	"unsigned short libp_hit_semaphore __attribute__((unused, section(\".probes\")));\n"
	"int lib_fn(int x) { STAP_PROBE1(libp, hit, x); return x + 1; }\n";

/* struct __bpf_usdt_spec as the installed (libbpf 1.1) header lays it out, filled from argv. */
static const char layout_v1_c[] =
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"#include <stdbool.h>\n"
	"#include <asm/ptrace.h>\n"
	"#include <linux/bpf.h>\n"
	"#include <bpf/usdt.bpf.h>\n"
	"const _Bool LINUX_HAS_BPF_COOKIE = 1;\n"
	"int main(int argc, char **argv) {\n"
	"  struct __bpf_usdt_spec s; unsigned char *b = (void *)&s;\n"
	"  memset(&s, 0, sizeof(s));\n"
	"  s.usdt_cookie = strtoull(argv[1], NULL, 0);\n"
	"  for (int i = 2; i + 4 < argc; i += 5) {\n"
	"    struct __bpf_usdt_arg_spec *a = &s.args[s.arg_cnt++];\n"
	"    a->arg_type = (enum __bpf_usdt_arg_type)atoi(argv[i]);\n"
	"    a->val_off = strtoull(argv[i + 1], NULL, 0);\n"
	"    a->reg_off = (short)atoi(argv[i + 2]);\n"
	"    a->arg_signed = atoi(argv[i + 3]);\n"
	"    a->arg_bitshift = (char)atoi(argv[i + 4]);\n"
	"  }\n"
	"  printf(\"%zu \", sizeof(s));\n"
	"  for (size_t i = 0; i < sizeof(s); i++) printf(\"%02x\", b[i]);\n"
	"  printf(\"\\n\"); return 0;\n"
	"}\n";

static void write_file(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_int_equal(su_write_file(path, text, strlen(text)), 0);
}

static void run_or_fail(const char *cmd)
{
	char full[1024];

	snprintf(full, sizeof(full), "cd '%s' && %s", tmpdir, cmd);
	if (system(full) != 0)
		fail_msg("failed: %s", full);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_usdt_%d", (int)getpid());
	if (mkdir(tmpdir, 0700) != 0)
		return -1;
	write_file("prog.c", prog_c);
	write_file("prog2.c", prog2_c);
	write_file("lib.c", lib_c);
	write_file("layout_v1.c", layout_v1_c);
	run_or_fail("cc -O2 -fpie -pie prog.c prog2.c -o exe_o2");
	run_or_fail("cc -O0 -fno-pie -no-pie prog.c prog2.c -o exe_o0");
	run_or_fail("cc -O2 -fPIC -shared lib.c -o libu.so");
	run_or_fail("cc -O0 -w layout_v1.c -o layout_v1");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- readelf's view ---- */

struct rnote {
	char provider[64], name[64], args[512];
	unsigned long long loc, base, sema;
};

static struct rnote *readelf_notes(const char *path, size_t *n)
{
	char cmd[256], *out, *line, *save = NULL;
	struct rnote *v = NULL, *cur = NULL;
	size_t cnt = 0;

	snprintf(cmd, sizeof(cmd), "readelf -W -n '%s'", path);
	out = proc_capture(cmd);
	if (!out || !strstr(out, "stapsdt"))
		fail_msg("readelf -n lists no stapsdt note in %s", path);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *a;

		/* with -W, "Provider:" shares the NT_STAPSDT line */
		if (strstr(line, "NT_STAPSDT")) {
			v = realloc(v, (cnt + 1) * sizeof(*v));
			assert_non_null(v);
			cur = &v[cnt++];
			memset(cur, 0, sizeof(*cur));
		}
		if (!cur)
			continue;
		if ((a = strstr(line, "Provider: ")))
			sscanf(a, "Provider: %63s", cur->provider);
		else if ((a = strstr(line, "Name: ")))
			sscanf(a, "Name: %63s", cur->name);
		else if ((a = strstr(line, "Location: ")))
			assert_int_equal(sscanf(a, "Location: %llx, Base: %llx, Semaphore: %llx",
						&cur->loc, &cur->base, &cur->sema), 3);
		else if ((a = strstr(line, "Arguments:"))) {
			a += strlen("Arguments:");
			while (*a == ' ')
				a++;
			snprintf(cur->args, sizeof(cur->args), "%s", a);
		}
	}
	free(out);
	*n = cnt;
	return v;
}

struct rseg {
	unsigned long long off, vaddr, memsz;
	bool x;
};

static size_t readelf_loads(const char *path, struct rseg *segs, size_t max)
{
	char cmd[256], *out, *line, *save = NULL;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "readelf -W -l '%s'", path);
	out = proc_capture(cmd);
	assert_non_null(out);
	for (line = strtok_r(out, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long pa, fs;
		char flags[8] = "";

		if (sscanf(line, " LOAD %llx %llx %llx %llx %llx %7[RWE ]", &segs[n].off,
			   &segs[n].vaddr, &pa, &fs, &segs[n].memsz, flags) >= 5) {
			segs[n].x = strchr(flags, 'E') != NULL;
			n++;
		}
	}
	free(out);
	return n;
}

/* vaddr -> file offset by readelf's LOAD lines; *x: executable segment. */
static bool seg_off(const struct rseg *segs, size_t n, unsigned long long va, uint64_t *off,
		    bool *x)
{
	for (size_t i = 0; i < n; i++) {
		if (va >= segs[i].vaddr && va - segs[i].vaddr < segs[i].memsz) {
			*off = va - segs[i].vaddr + segs[i].off;
			*x = segs[i].x;
			return true;
		}
	}
	return false;
}

/* ---- an independent decoder for argument tokens ---- */

struct regname {
	const char *names[4];
	uint16_t off;
};

static const struct regname oracle_regs[] = {
	{ { "rax", "eax", "ax", "al" }, PT(rax) }, { { "rbx", "ebx", "bx", "bl" }, PT(rbx) },
	{ { "rcx", "ecx", "cx", "cl" }, PT(rcx) }, { { "rdx", "edx", "dx", "dl" }, PT(rdx) },
	{ { "rsi", "esi", "si", "sil" }, PT(rsi) }, { { "rdi", "edi", "di", "dil" }, PT(rdi) },
	{ { "rbp", "ebp", "bp", "bpl" }, PT(rbp) }, { { "rsp", "esp", "sp", "spl" }, PT(rsp) },
	{ { "r8", "r8d", "r8w", "r8b" }, PT(r8) }, { { "r9", "r9d", "r9w", "r9b" }, PT(r9) },
	{ { "r10", "r10d", "r10w", "r10b" }, PT(r10) }, { { "r11", "r11d", "r11w", "r11b" }, PT(r11) },
	{ { "r12", "r12d", "r12w", "r12b" }, PT(r12) }, { { "r13", "r13d", "r13w", "r13b" }, PT(r13) },
	{ { "r14", "r14d", "r14w", "r14b" }, PT(r14) }, { { "r15", "r15d", "r15w", "r15b" }, PT(r15) },
	{ { "rip", "eip", NULL, NULL }, PT(rip) },
};

static int oracle_reg(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(oracle_regs) / sizeof(oracle_regs[0]); i++) {
		for (int j = 0; j < 4; j++) {
			const char *n = oracle_regs[i].names[j];

			if (n && strlen(n) == len && !strncmp(n, s, len))
				return oracle_regs[i].off;
		}
	}
	return -1;
}

static long long sub_ll(const char *s, const regmatch_t *m)
{
	char buf[32];
	size_t len = (size_t)(m->rm_eo - m->rm_so);

	assert_true(len < sizeof(buf));
	memcpy(buf, s + m->rm_so, len);
	buf[len] = 0;
	return strtoll(buf, NULL, 10);
}

/*
 * One token "SIZE@LOC" decoded with POSIX regexes: true and *a filled if it
 * is a form libbpf 1.8 accepts on x86-64.
 */
static bool oracle_decode(const char *tok, struct bbpf_usdt_arg *a)
{
	static const char *const pats[4] = {
		"^(-?[0-9]+)@\\$(-?[0-9]+)$",
		"^(-?[0-9]+)@%([a-z0-9]+)$",
		"^(-?[0-9]+)@(-?[0-9]+)?\\(%([a-z0-9]+)\\)$",
		"^(-?[0-9]+)@(-?[0-9]+)?\\(%([a-z0-9]+),%([a-z0-9]+)(,([0-9]+))?\\)$",
	};
	regmatch_t m[8];
	bool ok = false;

	for (int k = 0; k < 4 && !ok; k++) {
		regex_t re;
		long long size;
		int r1, r2 = 0;

		assert_int_equal(regcomp(&re, pats[k], REG_EXTENDED), 0);
		if (regexec(&re, tok, 8, m, 0) != 0) {
			regfree(&re);
			continue;
		}
		regfree(&re);
		memset(a, 0, sizeof(*a));
		size = sub_ll(tok, &m[1]);
		a->is_signed = size < 0;
		size = size < 0 ? -size : size;
		if (size != 1 && size != 2 && size != 4 && size != 8)
			return false;
		a->size = (uint8_t)size;
		a->bitshift = (uint8_t)(64 - 8 * size);
		switch (k) {
		case 0:
			a->kind = BBPF_USDT_ARG_CONST;
			a->val_off = sub_ll(tok, &m[2]);
			return true;
		case 1:
			r1 = oracle_reg(tok + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so));
			a->kind = BBPF_USDT_ARG_REG;
			a->reg_off = (uint16_t)r1;
			return r1 >= 0;
		default:
			a->val_off = m[2].rm_so >= 0 ? sub_ll(tok, &m[2]) : 0;
			r1 = oracle_reg(tok + m[3].rm_so, (size_t)(m[3].rm_eo - m[3].rm_so));
			a->reg_off = (uint16_t)r1;
			a->kind = BBPF_USDT_ARG_REG_DEREF;
			if (k == 3) {
				long long scale = m[6].rm_so >= 0 ? sub_ll(tok, &m[6]) : 1;

				r2 = oracle_reg(tok + m[4].rm_so, (size_t)(m[4].rm_eo - m[4].rm_so));
				a->kind = BBPF_USDT_ARG_SIB;
				a->idx_reg_off = (uint16_t)r2;
				if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
					return false;
				a->scale_shift = (uint8_t)(scale == 1 ? 0 : scale == 2 ? 1 :
							   scale == 4 ? 2 : 3);
			}
			return r1 >= 0 && r2 >= 0;
		}
	}
	return false;
}

static void assert_arg_eq(const struct bbpf_usdt_arg *got, const struct bbpf_usdt_arg *want,
			  const char *what)
{
	if (got->kind != want->kind || got->val_off != want->val_off ||
	    got->reg_off != want->reg_off || got->size != want->size ||
	    got->is_signed != want->is_signed || got->bitshift != want->bitshift ||
	    (want->kind == BBPF_USDT_ARG_SIB && (got->idx_reg_off != want->idx_reg_off ||
						 got->scale_shift != want->scale_shift)))
		fail_msg("%s: got kind %d off %lld reg %u idx %u sh %u size %u signed %d, want kind %d "
			 "off %lld reg %u idx %u sh %u size %u signed %d", what, got->kind,
			 (long long)got->val_off, got->reg_off, got->idx_reg_off, got->scale_shift,
			 got->size, got->is_signed, want->kind, (long long)want->val_off,
			 want->reg_off, want->idx_reg_off, want->scale_shift, want->size,
			 want->is_signed);
}

/*
 * Parse args and check every token against the oracle: all accepted, or the
 * first token the oracle rejects is where the parse fails.
 */
static void check_spec_vs_oracle(const char *args, const char *where)
{
	struct bbpf_usdt_spec spec;
	struct bbpf_usdt_arg_err err = { 0 };
	char copy[512], *tok, *save = NULL;
	uint32_t i = 0;
	int rc = bbpf_usdt_spec_parse(EM_X86_64, args, 77, &spec, &err);

	snprintf(copy, sizeof(copy), "%s", args);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save), i++) {
		struct bbpf_usdt_arg want;
		char what[600];

		snprintf(what, sizeof(what), "%s: arg %u '%s'", where, i, tok);
		if (!oracle_decode(tok, &want)) {
			if (rc != -EINVAL || err.arg != i)
				fail_msg("%s: oracle rejects, parse gave %d at arg %u", what, rc, err.arg);
			return;
		}
		if (rc && err.arg == i)
			fail_msg("%s: oracle accepts, parse failed: %s", what, err.why);
		assert_arg_eq(&spec.args[i], &want, what);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(spec.arg_cnt, i);
	assert_int_equal(spec.cookie, 77);
}

/*
 * Everything about one compiled file: notes as readelf shows them, sites
 * through readelf's segments (a nop at each probe, semaphores in .probes),
 * every argument string against the oracle. Returns the note count.
 */
static size_t check_binary(const char *name, size_t want_sema_notes)
{
	char path[128];
	struct parsed p;
	struct rnote *rn;
	struct rseg segs[16];
	struct bbpf_usdt_note *notes;
	struct bbpf_usdt_target *t;
	uint32_t cnt, tcnt;
	size_t n, nseg, with_sema = 0;

	bin_path(path, sizeof(path), name);
	rn = readelf_notes(path, &n);
	nseg = readelf_loads(path, segs, 16);
	parse_file(&p, path);
	assert_int_equal(bbpf_usdt_notes(&p.elf, &p.arena, &notes, &cnt, &p.diag), 0);
	assert_int_equal(cnt, n);
	for (uint32_t i = 0; i < cnt; i++) {
		assert_string_equal(notes[i].provider, rn[i].provider);
		assert_string_equal(notes[i].name, rn[i].name);
		assert_string_equal(notes[i].args, rn[i].args);
		assert_int_equal(notes[i].pc, rn[i].loc);
		assert_int_equal(notes[i].base, rn[i].base);
		assert_int_equal(notes[i].sema, rn[i].sema);
		assert_true(notes[i].args_off < p.len);
		assert_memory_equal(p.copy + notes[i].args_off, notes[i].args, strlen(notes[i].args));
		check_spec_vs_oracle(notes[i].args, path);
	}
	assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, NULL, &p.arena, &t, &tcnt, &p.diag), 0);
	assert_int_equal(tcnt, cnt);
	for (uint32_t i = 0; i < tcnt; i++) {
		uint64_t off;
		bool x;

		assert_int_equal(t[i].note->pc, notes[i].pc);
		assert_string_equal(t[i].note->name, notes[i].name);
		assert_int_equal(t[i].abs_ip, rn[i].loc);	/* not prelinked */
		assert_true(seg_off(segs, nseg, rn[i].loc, &off, &x) && x);
		assert_int_equal(t[i].rel_ip, off);
		assert_int_equal(p.copy[off], 0x90);	/* sys/sdt.h's probe is a nop */
		if (rn[i].sema) {
			assert_true(seg_off(segs, nseg, rn[i].sema, &off, &x) && !x);
			assert_int_equal(t[i].sema_off, off);
			with_sema++;
		} else {
			assert_int_equal(t[i].sema_off, 0);
		}
	}
	assert_int_equal(with_sema, want_sema_notes);
	free(rn);
	parsed_free(&p);
	return cnt;
}

static void test_compiled_o2_pie(void **state)
{
	(void)state;
	/* 7 probes with semaphores, nosema, noargs, twice x2 */
	assert_int_equal(check_binary("exe_o2", 7), 11);
}

static void test_compiled_o0_nopie(void **state)
{
	(void)state;
	assert_int_equal(check_binary("exe_o0", 7), 11);
}

static void test_compiled_lib(void **state)
{
	(void)state;
	assert_int_equal(check_binary("libu.so", 1), 1);
}

/* The probes of prog.c, one by one, with what must come out. */
static void test_compiled_specs(void **state)
{
	char path[128];
	struct parsed p;
	struct bbpf_usdt_target *t;
	struct bbpf_usdt_spec spec;
	struct bbpf_usdt_arg_err err;
	uint32_t cnt, groups, group[8];
	const char *bins[2] = { "exe_o2", "exe_o0" };

	(void)state;
	for (int b = 0; b < 2; b++) {
		bin_path(path, sizeof(path), bins[b]);
		parse_file(&p, path);
		/* regs: sizes and signedness from the C types */
		assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "regs", &p.arena, &t, &cnt,
						   &p.diag), 0);
		assert_int_equal(cnt, 1);
		assert_int_equal(bbpf_usdt_spec_parse(p.elf.machine, t[0].note->args, 5, &spec, &err),
				 0);
		assert_int_equal(spec.arg_cnt, 6);
		assert_true(spec.args[0].size == 4 && spec.args[0].is_signed);
		assert_true(spec.args[1].size == 8 && spec.args[1].is_signed);
		assert_true(spec.args[2].size == 2 && spec.args[2].is_signed);
		assert_true(spec.args[3].size == 1 && spec.args[3].is_signed);
		assert_true(spec.args[4].size == 1 && !spec.args[4].is_signed);
		assert_true(spec.args[5].size == 8 && !spec.args[5].is_signed);
		assert_int_equal(spec.args[3].bitshift, 56);
		assert_int_equal(spec.args[2].bitshift, 48);
		/* consts: "$42 $-1 $-300 $7" at -O2; at -O0 too (immediates) */
		assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "consts", &p.arena, &t, &cnt,
						   &p.diag), 0);
		assert_int_equal(bbpf_usdt_spec_parse(p.elf.machine, t[0].note->args, 0, &spec, &err),
				 0);
		assert_int_equal(spec.arg_cnt, 4);
		assert_int_equal(spec.args[0].kind, BBPF_USDT_ARG_CONST);
		assert_int_equal(spec.args[0].val_off, 42);
		assert_int_equal(spec.args[1].val_off, -1);
		assert_int_equal(spec.args[2].val_off, -300);
		assert_true(spec.args[2].size == 2 && spec.args[2].is_signed);
		assert_true(spec.args[3].val_off == 7 && spec.args[3].size == 1 &&
			    !spec.args[3].is_signed);
		/* globals: GCC writes "sym(%rip)", which libbpf 1.8 does not take */
		assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "globals", &p.arena, &t, &cnt,
						   &p.diag), 0);
		if (b == 0) {
			/* -O2 reads globals in place; -O0 loads them into registers first */
			assert_non_null(strstr(t[0].note->args, "-4@g_int(%rip)"));
			assert_int_equal(bbpf_usdt_spec_parse(p.elf.machine, t[0].note->args, 0, &spec,
							      &err), -EINVAL);
			assert_int_equal(err.arg, 0);
			assert_non_null(strstr(err.why, "symbolic"));
			/* and indexes an array with SIB: "-4@8(%rdx,%rdi,4)" or similar */
			assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "sib", &p.arena, &t, &cnt,
							   &p.diag), 0);
			assert_int_equal(bbpf_usdt_spec_parse(p.elf.machine, t[0].note->args, 0, &spec,
							      &err), 0);
			assert_int_equal(spec.args[0].kind, BBPF_USDT_ARG_SIB);
			assert_int_equal(spec.args[0].scale_shift, 2);
			assert_int_equal(spec.args[0].val_off, 8);
		} else {
			assert_null(strstr(t[0].note->args, "(%rip)"));
			assert_int_equal(bbpf_usdt_spec_parse(p.elf.machine, t[0].note->args, 0, &spec,
							      &err), 0);
			assert_int_equal(spec.arg_cnt, 4);
		}
		/* many: 12 arguments, the most usdt.bpf.h holds */
		assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "many", &p.arena, &t, &cnt,
						   &p.diag), 0);
		assert_int_equal(bbpf_usdt_spec_parse(p.elf.machine, t[0].note->args, 0, &spec, &err),
				 0);
		assert_int_equal(spec.arg_cnt, 12);
		assert_int_equal(spec.args[11].kind, BBPF_USDT_ARG_CONST);
		assert_int_equal(spec.args[11].val_off, 3);
		/* twice: two sites of one probe; specs shared by argument string */
		assert_int_equal(bbpf_usdt_collect(&p.elf, "prov2", "twice", &p.arena, &t, &cnt,
						   &p.diag), 0);
		assert_int_equal(cnt, 2);
		assert_int_not_equal(t[0].rel_ip, t[1].rel_ip);
		assert_int_equal(bbpf_usdt_spec_groups(t, cnt, &p.arena, group, &groups), 0);
		assert_int_equal(groups, strcmp(t[0].note->args, t[1].note->args) ? 2 : 1);
		assert_int_equal(group[0], 0);
		/* filters */
		assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "nosuch", &p.arena, &t, &cnt,
						   &p.diag), -ENOENT);
		assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, "nosema", &p.arena, &t, &cnt, &p.diag),
				 0);
		assert_int_equal(cnt, 1);
		assert_int_equal(t[0].sema_off, 0);
		parsed_free(&p);
	}
}

/* The fixed string of STAP_PROBE_ASM, with hand-computed expectations. */
static void test_fixed_args(void **state)
{
	char path[128];
	struct parsed p;
	struct bbpf_usdt_target *t;
	struct bbpf_usdt_spec spec;
	struct bbpf_usdt_arg_err err;
	uint32_t cnt;
	const struct bbpf_usdt_arg want[12] = {
		{ BBPF_USDT_ARG_REG, 0, 80, 0, 0, 4, true, 32 },		/* -4@%eax */
		{ BBPF_USDT_ARG_REG_DEREF, -16, 32, 0, 0, 8, false, 0 },	/* 8@-16(%rbp) */
		{ BBPF_USDT_ARG_CONST, -7, 0, 0, 0, 2, false, 48 },		/* 2@$-7 */
		{ BBPF_USDT_ARG_REG, 0, 104, 0, 0, 1, true, 56 },		/* -1@%sil */
		{ BBPF_USDT_ARG_REG_DEREF, 16, 128, 0, 0, 8, false, 0 },	/* 8@16(%rip) */
		{ BBPF_USDT_ARG_REG_DEREF, 0, 152, 0, 0, 4, false, 32 },	/* 4@(%rsp) */
		{ BBPF_USDT_ARG_SIB, -96, 32, 80, 3, 8, true, 0 },		/* -8@-96(%rbp,%rax,8) */
		{ BBPF_USDT_ARG_SIB, 0, 40, 88, 0, 1, false, 56 },		/* 1@(%rbx,%rcx) */
		{ BBPF_USDT_ARG_REG, 0, 56, 0, 0, 2, true, 48 },		/* -2@%r10w */
		{ BBPF_USDT_ARG_REG, 0, 48, 0, 0, 4, false, 32 },		/* 4@%r11d */
		{ BBPF_USDT_ARG_REG, 0, 24, 0, 0, 8, false, 0 },		/* 8@%r12 */
		{ BBPF_USDT_ARG_REG, 0, 16, 0, 0, 1, false, 56 },		/* 1@%r13b */
	};

	(void)state;
	/* the table above is the kernel's layout: check it against <asm/ptrace.h> */
	assert_int_equal(PT(rax), 80);
	assert_int_equal(PT(rbp), 32);
	assert_int_equal(PT(rsi), 104);
	assert_int_equal(PT(rip), 128);
	assert_int_equal(PT(rsp), 152);
	assert_int_equal(PT(rbx), 40);
	assert_int_equal(PT(rcx), 88);
	assert_int_equal(PT(r10), 56);
	assert_int_equal(PT(r11), 48);
	assert_int_equal(PT(r12), 24);
	assert_int_equal(PT(r13), 16);
	bin_path(path, sizeof(path), "exe_o2");
	parse_file(&p, path);
	assert_int_equal(bbpf_usdt_collect(&p.elf, "prov", "fixed", &p.arena, &t, &cnt, &p.diag), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(bbpf_usdt_spec_parse(EM_X86_64, t[0].note->args, 0xc00c1e, &spec, &err), 0);
	assert_int_equal(spec.arg_cnt, 12);
	assert_int_equal(spec.cookie, 0xc00c1e);
	for (int i = 0; i < 12; i++) {
		char what[32];

		snprintf(what, sizeof(what), "fixed arg %d", i);
		assert_arg_eq(&spec.args[i], &want[i], what);
	}
	/* other architectures are not parsed yet, and say so */
	assert_int_equal(bbpf_usdt_spec_parse(EM_AARCH64, "-4@[sp, 96]", 0, &spec, &err),
			 -EOPNOTSUPP);
	assert_non_null(strstr(err.why, "aarch64"));
	assert_int_equal(bbpf_usdt_spec_parse(EM_RISCV, "-8@a1", 0, &spec, &err), -EOPNOTSUPP);
	assert_int_equal(bbpf_usdt_spec_parse(EM_S390, "-8@%r0", 0, &spec, &err), -EOPNOTSUPP);
	assert_int_equal(bbpf_usdt_spec_parse(EM_386, "4@%eax", 0, &spec, &err), -EOPNOTSUPP);
	parsed_free(&p);
}

/* Argument strings by hand: accepted ones, rejected ones with the reason. */
static void test_arg_strings(void **state)
{
	static const struct {
		const char *args;
		int rc;
		uint32_t arg;		/* failing argument, or the count when rc == 0 */
		const char *why;	/* substring of the reason */
	} cases[] = {
		{ "", 0, 0, NULL },
		{ "4@%eax", 0, 1, NULL },
		{ " \t4 @ %eax\t ", 0, 1, NULL },
		{ "4@$5-8@$6", 0, 2, NULL },		/* libbpf accepts this too */
		{ "4@8(%rbp)-8@$6", 0, 2, NULL },
		{ "+4@$+5", 0, 1, NULL },
		{ "4@%eax-8@%ebx", -EINVAL, 0, "unknown register" },	/* %15s takes it all */
		{ "x", -EINVAL, 0, "size" },
		{ "4", -EINVAL, 0, "'@'" },
		{ "4@", -EINVAL, 0, "missing location" },
		{ "4@%", -EINVAL, 0, "unknown register" },
		{ "4@%foo", -EINVAL, 0, "unknown register" },
		{ "4@%ah", -EINVAL, 0, "unknown register" },
		{ "4@%eip 4@%ip", -EINVAL, 1, "unknown register" },
		{ "3@%eax", -EINVAL, 0, "size" },
		{ "-16@%eax", -EINVAL, 0, "size" },
		{ "0@$1", -EINVAL, 0, "size" },
		{ "99999999999@$1", -EINVAL, 0, "size" },
		{ "4@$", -EINVAL, 0, "constant" },
		{ "4@$x", -EINVAL, 0, "constant" },
		{ "4@$0x10", -EINVAL, 1, "size" },	/* "$0" then "x10" */
		{ "4@-8(%rbp", -EINVAL, 0, "')'" },
		{ "4@-8(%rbp))", -EINVAL, 1, "size" },
		{ "4@-8(rbp)", -EINVAL, 0, "'%'" },
		{ "4@-8( %rbp )", -EINVAL, 0, "right after" },
		{ "4@-8(%rbp ,%rax)", -EINVAL, 0, "right after" },
		{ "4@8(%rbp,%rax,3)", -EINVAL, 0, "scale" },
		{ "4@8(%rbp,%rax,)", -EINVAL, 0, "scale" },
		{ "4@8(%rbp,%rax,16)", -EINVAL, 0, "scale" },
		{ "4@8(%rbp,%zz)", -EINVAL, 0, "unknown register" },
		{ "4@0x10(%rbp)", -EINVAL, 0, "'('" },
		{ "4@g(%rip)", -EINVAL, 0, "symbolic" },
		{ "4@g+8(%rip)", -EINVAL, 0, "symbolic" },
		{ "4@99999999999999999999(%rbp)", -EINVAL, 0, "decimal long" },
		{ "4@-9223372036854775808(%rbp)", 0, 1, NULL },
		{ "8@$9223372036854775807", 0, 1, NULL },
		{ "8@$9223372036854775808", -EINVAL, 0, "constant" },
		{ "1@$1 1@$2 1@$3 1@$4 1@$5 1@$6 1@$7 1@$8 1@$9 1@$10 1@$11 1@$12", 0, 12, NULL },
		{ "1@$1 1@$2 1@$3 1@$4 1@$5 1@$6 1@$7 1@$8 1@$9 1@$10 1@$11 1@$12 1@$13", -E2BIG, 12,
		  "more than 12" },
		{ "   ", -EINVAL, 0, "size" },
	};
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bbpf_usdt_spec spec;
		struct bbpf_usdt_arg_err err = { 99, 99, NULL };
		int rc = bbpf_usdt_spec_parse(EM_X86_64, cases[i].args, 0, &spec, &err);

		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d (%s)", cases[i].args, rc, cases[i].rc,
				 err.why ? err.why : "");
		if (rc == 0) {
			assert_int_equal(spec.arg_cnt, cases[i].arg);
		} else {
			if (err.arg != cases[i].arg || !err.why || !strstr(err.why, cases[i].why))
				fail_msg("'%s': arg %u why '%s', want arg %u '%s'", cases[i].args,
					 err.arg, err.why ? err.why : "", cases[i].arg, cases[i].why);
			assert_true(err.pos <= strlen(cases[i].args));
		}
		checked++;
	}
	assert_int_equal(checked, sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(bbpf_usdt_spec_parse(EM_X86_64, NULL, 0, NULL, NULL), -EINVAL);
}

/* Random single tokens from a small grammar, parse vs oracle. */
static void test_arg_tokens_random(void **state)
{
	static const char *const sizes[] = { "1", "-1", "2", "-2", "4", "-4", "8", "-8", "3", "16" };
	static const char *const regs[] = { "rax", "eax", "ax", "al", "r9b", "r15d", "rip", "eip",
					    "sil", "dil", "spl", "bpl", "r8w", "ah", "xmm0", "r16" };
	static const char *const disps[] = { "", "0", "-8", "16", "-2147483648", "123456789012" };
	static const char *const scales[] = { "", ",1", ",2", ",4", ",8", ",3" };
	unsigned int seed = 4242;
	size_t accepted = 0, rejected = 0;

	(void)state;
	for (int n = 0; n < 20000; n++) {
		char tok[128];
		const char *sz = sizes[rand_r(&seed) % 10];
		const char *r1 = regs[rand_r(&seed) % 16], *r2 = regs[rand_r(&seed) % 16];
		const char *d = disps[rand_r(&seed) % 6], *sc = scales[rand_r(&seed) % 6];
		struct bbpf_usdt_spec spec;
		struct bbpf_usdt_arg want;
		int rc;

		switch (rand_r(&seed) % 4) {
		case 0:
			snprintf(tok, sizeof(tok), "%s@$%s", sz, *d ? d : "7");
			break;
		case 1:
			snprintf(tok, sizeof(tok), "%s@%%%s", sz, r1);
			break;
		case 2:
			snprintf(tok, sizeof(tok), "%s@%s(%%%s)", sz, d, r1);
			break;
		default:
			snprintf(tok, sizeof(tok), "%s@%s(%%%s,%%%s%s)", sz, d, r1, r2, sc);
			break;
		}
		rc = bbpf_usdt_spec_parse(EM_X86_64, tok, 0, &spec, NULL);
		if (oracle_decode(tok, &want)) {
			if (rc)
				fail_msg("'%s': oracle accepts, parse says %d", tok, rc);
			assert_int_equal(spec.arg_cnt, 1);
			assert_arg_eq(&spec.args[0], &want, tok);
			accepted++;
		} else {
			if (rc != -EINVAL)
				fail_msg("'%s': oracle rejects, parse says %d", tok, rc);
			rejected++;
		}
	}
	printf("  %zu tokens accepted, %zu rejected, as the oracle\n", accepted, rejected);
	assert_true(accepted > 3000 && rejected > 3000);
}

/* ---- prelink: every address moved, notes not ---- */

static void test_prelinked(void **state)
{
	char path[128];
	uint8_t *buf;
	size_t len;
	struct parsed orig, moved;
	struct bbpf_usdt_target *t0, *t1;
	uint32_t c0, c1;
	const uint64_t delta = 0x10000000;
	uint64_t base0, base1;

	(void)state;
	bin_path(path, sizeof(path), "exe_o2");
	assert_int_equal(su_read_file(path, &buf, &len), 0);
	assert_int_equal(parse_buf(&orig, buf, len), 0);
	/* move every section address and every segment, as prelink does */
	{
		uint64_t shoff = su_get(buf, 40, 8, false), phoff = su_get(buf, 32, 8, false);
		uint16_t shnum = (uint16_t)su_get(buf, 60, 2, false);
		uint16_t phnum = (uint16_t)su_get(buf, 56, 2, false);

		for (uint16_t i = 1; i < shnum; i++) {
			uint64_t at = shoff + 64ull * i + 16, a = su_get(buf, at, 8, false);

			if (a)
				su_put(buf, at, 8, a + delta, false);
		}
		for (uint16_t i = 0; i < phnum; i++) {
			uint64_t at = phoff + 56ull * i;

			su_put(buf, at + 16, 8, su_get(buf, at + 16, 8, false) + delta, false);
			su_put(buf, at + 24, 8, su_get(buf, at + 24, 8, false) + delta, false);
		}
	}
	assert_int_equal(parse_buf(&moved, buf, len), 0);
	assert_int_equal(bbpf_usdt_base_addr(&orig.elf, &base0), 0);
	assert_int_equal(bbpf_usdt_base_addr(&moved.elf, &base1), 0);
	assert_int_equal(base1, base0 + delta);
	/* probes without a semaphore land on the same file offsets */
	assert_int_equal(bbpf_usdt_collect(&orig.elf, "prov2", NULL, &orig.arena, &t0, &c0,
					   &orig.diag), 0);
	assert_int_equal(bbpf_usdt_collect(&moved.elf, "prov2", NULL, &moved.arena, &t1, &c1,
					   &moved.diag), 0);
	assert_int_equal(c0, c1);
	assert_true(c0 >= 4);
	for (uint32_t i = 0; i < c0; i++) {
		assert_int_equal(t1[i].abs_ip, t0[i].abs_ip + delta);
		assert_int_equal(t1[i].rel_ip, t0[i].rel_ip);
	}
	/* libbpf does not move semaphores: the stale address is in no segment now */
	assert_int_equal(bbpf_usdt_collect(&moved.elf, "prov", "regs", &moved.arena, &t1, &c1,
					   &moved.diag), -ESRCH);
	assert_int_equal(moved.diag.why, BBPF_BAD_USDT_ADDR);
	parsed_free(&orig);
	parsed_free(&moved);
	free(buf);
}

/* ---- synthetic ELFs: the address rules ---- */

struct note_in {
	uint64_t pc, base, sema;
	const char *provider, *name, *args;
};

/* One note's bytes (8-byte addresses) appended at *len. */
static void note_put(uint8_t *out, size_t *len, const struct note_in *n, bool be,
		     unsigned int align)
{
	size_t at = *len, d, pl = strlen(n->provider) + 1, nl = strlen(n->name) + 1;
	size_t al = strlen(n->args) + 1, descsz = 24 + pl + nl + al;

	put(out + at, 4, 8, be);
	put(out + at + 4, 4, descsz, be);
	put(out + at + 8, 4, 3, be);
	memcpy(out + at + 12, "stapsdt", 8);
	d = at + 20;
	d = (d + align - 1) / align * align;
	put(out + d, 8, n->pc, be);
	put(out + d + 8, 8, n->base, be);
	put(out + d + 16, 8, n->sema, be);
	memcpy(out + d + 24, n->provider, pl);
	memcpy(out + d + 24 + pl, n->name, nl);
	memcpy(out + d + 24 + pl + nl, n->args, al);
	*len = (d + descsz + align - 1) / align * align;
}

enum synth_variant { SYN_OK, SYN_NO_BASE, SYN_NOTE_PROGBITS, SYN_NO_LOAD, SYN_REL };

static struct eb *synth_elf(unsigned char order, enum synth_variant v, const struct note_in *n,
			    size_t cnt)
{
	bool be = order == ELFDATA2MSB;
	struct eb *b = eb_new(order, v == SYN_REL ? ET_REL : ET_EXEC, EM_X86_64);
	static uint8_t notes[4096];
	size_t len = 0;
	uint32_t text, base, probes;

	memset(notes, 0, sizeof(notes));
	for (size_t i = 0; i < cnt; i++)
		note_put(notes, &len, &n[i], be, 4);
	text = eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, NULL, 0x100, 0,
			      0, 0, 16);
	eb_set_addr(b, text, 0x401000);
	if (v != SYN_NO_BASE) {
		base = eb_add_section(b, BBPF_USDT_BASE_SEC, SHT_PROGBITS, SHF_ALLOC, NULL, 1, 0, 0, 0,
				      1);
		eb_set_addr(b, base, 0x402100);
	}
	probes = eb_add_section(b, ".probes", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, NULL, 8, 0, 0,
				0, 2);
	eb_set_addr(b, probes, 0x600010);
	eb_add_section(b, BBPF_USDT_NOTE_SEC, v == SYN_NOTE_PROGBITS ? SHT_PROGBITS : SHT_NOTE, 0,
		       notes, len, 0, 0, 0, 4);
	if (v != SYN_NO_LOAD) {
		/* code: [0x400000, 0x403000) at 0; data: [0x600000, 0x601000) at 0x40; r/o gap */
		eb_add_phdr(b, PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x40, 0x3000, 0x1000);
		eb_add_phdr(b, PT_LOAD, PF_R, 0, 0x500000, 0x40, 0x1000, 0x1000);
		eb_add_phdr(b, PT_LOAD, PF_R | PF_W, 0x40, 0x600000, 0, 0x1000, 0x1000);
	}
	eb_build(b, EB_SHDRS_LAST);
	return b;
}

static void test_synthetic_sites(void **state)
{
	const struct note_in n[] = {
		/* base matches .stapsdt.base: no shift */
		{ 0x401010, 0x402100, 0x600010, "p", "same", "4@%eax" },
		/* recorded base 0x100 lower than the section: pc moves by 0x100 */
		{ 0x401010, 0x402000, 0, "p", "shifted", "" },
		/* no recorded base: no shift */
		{ 0x401020, 0, 0x600012, "p", "nobase", "8@$1" },
		/* the same pc twice for one name */
		{ 0x401030, 0x402100, 0, "q", "two", "" },
		{ 0x401040, 0x402100, 0, "q", "two", "" },
		/* failures, one per name */
		{ 0x500010, 0x402100, 0, "bad", "pc_not_exec", "" },
		{ 0x700000, 0x402100, 0, "bad", "pc_nowhere", "" },
		{ 0x401010, 0x402100, 0x401000, "bad", "sema_exec", "" },
		{ 0x401010, 0x402100, 0x900000, "bad", "sema_nowhere", "" },
	};
	const size_t cnt = sizeof(n) / sizeof(n[0]);

	(void)state;
	for (size_t o = 0; o < 2; o++) {
		unsigned char order = o ? ELFDATA2MSB : ELFDATA2LSB;
		struct eb *b = synth_elf(order, SYN_OK, n, cnt);
		struct parsed p;
		struct bbpf_usdt_target *t;
		uint32_t c;
		uint64_t base;
		const char *const bad[] = { "pc_not_exec", "pc_nowhere", "sema_exec", "sema_nowhere" };

		assert_int_equal(parse_buf(&p, eb_buf(b), eb_len(b)), 0);
		assert_int_equal(bbpf_usdt_base_addr(&p.elf, &base), 0);
		assert_int_equal(base, 0x402100);
		assert_int_equal(bbpf_usdt_collect(&p.elf, "p", "same", &p.arena, &t, &c, &p.diag), 0);
		assert_int_equal(t[0].abs_ip, 0x401010);
		assert_int_equal(t[0].rel_ip, 0x1010);
		assert_int_equal(t[0].sema_off, 0x40 + 0x10);
		assert_string_equal(t[0].note->args, "4@%eax");
		assert_int_equal(bbpf_usdt_collect(&p.elf, "p", "shifted", &p.arena, &t, &c, &p.diag),
				 0);
		assert_int_equal(t[0].abs_ip, 0x401110);
		assert_int_equal(t[0].rel_ip, 0x1110);
		assert_int_equal(t[0].sema_off, 0);
		assert_int_equal(bbpf_usdt_collect(&p.elf, "p", "nobase", &p.arena, &t, &c, &p.diag), 0);
		assert_int_equal(t[0].rel_ip, 0x1020);
		assert_int_equal(t[0].sema_off, 0x52);
		assert_int_equal(bbpf_usdt_collect(&p.elf, "q", NULL, &p.arena, &t, &c, &p.diag), 0);
		assert_int_equal(c, 2);
		assert_int_equal(t[1].rel_ip, 0x1040);
		assert_int_equal(bbpf_usdt_collect(&p.elf, "p", NULL, &p.arena, &t, &c, &p.diag), 0);
		assert_int_equal(c, 3);
		for (size_t k = 0; k < 4; k++) {
			struct bbpf_diag d = { 0 };

			assert_int_equal(bbpf_usdt_collect(&p.elf, "bad", bad[k], &p.arena, &t, &c, &d),
					 -ESRCH);
			assert_int_equal(d.why, BBPF_BAD_USDT_ADDR);
			assert_int_equal(d.idx, 5 + k);
		}
		/* one bad note fails a wildcard collect */
		assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, NULL, &p.arena, &t, &c, &p.diag),
				 -ESRCH);
		parsed_free(&p);
		eb_free(b);

		/* no .stapsdt.base: no shift */
		b = synth_elf(order, SYN_NO_BASE, n, 2);
		assert_int_equal(parse_buf(&p, eb_buf(b), eb_len(b)), 0);
		assert_int_equal(bbpf_usdt_base_addr(&p.elf, &base), -ENOENT);
		assert_int_equal(bbpf_usdt_collect(&p.elf, "p", "shifted", &p.arena, &t, &c, &p.diag),
				 0);
		assert_int_equal(t[0].rel_ip, 0x1010);
		parsed_free(&p);
		eb_free(b);

		/* libbpf's codes for unusable files */
		b = synth_elf(order, SYN_NOTE_PROGBITS, n, 1);
		assert_int_equal(parse_buf(&p, eb_buf(b), eb_len(b)), 0);
		assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, NULL, &p.arena, &t, &c, &p.diag),
				 -EINVAL);
		parsed_free(&p);
		eb_free(b);
		b = synth_elf(order, SYN_NO_LOAD, n, 1);
		assert_int_equal(parse_buf(&p, eb_buf(b), eb_len(b)), 0);
		assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, NULL, &p.arena, &t, &c, &p.diag),
				 -ESRCH);
		parsed_free(&p);
		eb_free(b);
		b = synth_elf(order, SYN_REL, n, 1);
		assert_int_equal(parse_buf(&p, eb_buf(b), eb_len(b)), 0);
		assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, NULL, &p.arena, &t, &c, &p.diag),
				 -EBADF);
		assert_int_equal(p.diag.why, BBPF_BAD_ELF_TYPE);
		parsed_free(&p);
		eb_free(b);
	}
}

static void test_no_notes(void **state)
{
	struct parsed p;
	struct bbpf_usdt_target *t;
	struct bbpf_usdt_note *notes;
	uint32_t c;

	(void)state;
	parse_file(&p, "/bin/true");
	assert_int_equal(bbpf_usdt_notes(&p.elf, &p.arena, &notes, &c, NULL), -ENOENT);
	assert_int_equal(bbpf_usdt_collect(&p.elf, NULL, NULL, &p.arena, &t, &c, NULL), -ENOENT);
	parsed_free(&p);
}

/* ---- hostile note sections ---- */

static const struct note_in good = { 0x1000, 0x2000, 0x3000, "prov", "name", "4@%eax" };

static int notes_of(const uint8_t *sec, size_t len, unsigned int addr_size, bool swap,
		    struct bbpf_diag *d, uint32_t *cnt)
{
	struct bbpf_arena a;
	struct bbpf_usdt_note *notes;
	uint8_t *copy = su_dup(sec, len);
	int rc;

	memset(d, 0, sizeof(*d));
	bbpf_arena_init(&a, &bbpf_alloc_libc, 64u << 20);
	rc = bbpf_usdt_notes_parse(copy, len, 0x1000, addr_size, 4, swap, &a, &notes, cnt, d);
	if (rc == 0 && *cnt) {
		assert_string_equal(notes[0].name, "name");
		assert_true(notes[0].off >= 0x1000);
	}
	bbpf_arena_free(&a);
	free(copy);
	return rc;
}

static void test_hostile_notes(void **state)
{
	uint8_t sec[512], bad[512];
	size_t len = 0;
	struct bbpf_diag d;
	uint32_t cnt;
	const bool be = !(*(const uint8_t *)&(uint16_t){ 1 });

	(void)state;
	note_put(sec, &len, &good, be, 4);
	note_put(sec, &len, &good, be, 4);
	assert_int_equal(notes_of(sec, len, 8, false, &d, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(notes_of(sec, 0, 8, false, &d, &cnt), 0);
	assert_int_equal(cnt, 0);
#define MUTATE(off, width, v) (memcpy(bad, sec, len), put(bad + (off), (width), (v), be))
	/* sizes past the section */
	MUTATE(0, 4, 0xffffffff);
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_TRUNCATED);
	assert_int_equal(d.off, 0x1000);
	assert_int_equal(d.idx, 0);
	MUTATE(4, 4, 0xfffffff0);
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_TRUNCATED);
	MUTATE(len / 2 + 4, 4, len);	/* second note's descsz */
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_TRUNCATED);
	assert_int_equal(d.idx, 1);
	assert_int_equal(d.off, 0x1000 + len / 2);
	/* owner and type */
	MUTATE(0, 4, 7);
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_OWNER);
	MUTATE(0, 4, 0);
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_OWNER);
	MUTATE(8, 4, 1);
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_OWNER);
	MUTATE(12, 1, 'S');
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_OWNER);
	/* descriptor too short for three addresses and three strings */
	MUTATE(4, 4, 26);
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_DESC);
	/* strings: provider unterminated (descsz cut), name empty, args unterminated */
	MUTATE(4, 4, 24 + 3);		/* "pro" */
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_STRING);
	MUTATE(20 + 24 + 5, 1, 0);	/* name "" */
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_STRING);
	MUTATE(4, 4, 24 + 5 + 5);	/* no args at all */
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_STRING);
	MUTATE(4, 4, 24 + 5 + 5 + 3);	/* args "4@%" unterminated */
	assert_int_equal(notes_of(bad, len, 8, false, &d, &cnt), -EBADMSG);
	assert_int_equal(d.why, BBPF_BAD_USDT_NOTE_STRING);
	/* args starting with ':' count as none (libbpf) */
	{
		uint8_t s2[256];
		size_t l2 = 0;
		struct note_in colon = good;
		struct bbpf_arena a;
		struct bbpf_usdt_note *nn;

		colon.args = ":ignored";
		note_put(s2, &l2, &colon, be, 4);
		bbpf_arena_init(&a, &bbpf_alloc_libc, 1 << 20);
		assert_int_equal(bbpf_usdt_notes_parse(s2, l2, 0, 8, 4, false, &a, &nn, &cnt, NULL), 0);
		assert_string_equal(nn[0].args, "");
		assert_int_equal(nn[0].pc, 0x1000);
		assert_int_equal(nn[0].sema, 0x3000);
		bbpf_arena_free(&a);
	}
	/*
	 * every prefix: whole notes parse (the last one's padding may be cut:
	 * each note is 20 + 41 bytes, padded to 64), anything else is truncated
	 */
	for (size_t cut = 0; cut < len; cut++) {
		int rc = notes_of(sec, cut, 8, false, &d, &cnt);

		if (cut == 0 || (cut >= 61 && cut <= 64) || cut >= 125)
			assert_int_equal(rc, 0);
		else if (rc != -EBADMSG || (d.why != BBPF_BAD_USDT_NOTE_TRUNCATED &&
					    d.why != BBPF_BAD_USDT_NOTE_STRING))
			fail_msg("prefix %zu: rc %d why %d", cut, rc, d.why);
	}
	/* misuse */
	assert_int_equal(notes_of(sec, len, 5, false, &d, &cnt), -EINVAL);
#undef MUTATE
}

/* 32-bit addresses, the other byte order, 8-byte alignment. */
static void test_note_formats(void **state)
{
	const bool host_be = !(*(const uint8_t *)&(uint16_t){ 1 });
	uint8_t sec[256];
	struct bbpf_arena a;
	struct bbpf_usdt_note *n;
	uint32_t cnt;
	size_t len;

	(void)state;
	bbpf_arena_init(&a, &bbpf_alloc_libc, 1 << 20);
	/* ELF32: three 4-byte addresses */
	memset(sec, 0, sizeof(sec));
	put(sec, 4, 8, host_be);
	put(sec + 4, 4, 12 + 2 + 2 + 1, host_be);
	put(sec + 8, 4, 3, host_be);
	memcpy(sec + 12, "stapsdt", 8);
	put(sec + 20, 4, 0x8048100, host_be);
	put(sec + 24, 4, 0x8049000, host_be);
	put(sec + 28, 4, 0x804a010, host_be);
	memcpy(sec + 32, "p\0n\0", 5);
	len = 20 + 20;
	assert_int_equal(bbpf_usdt_notes_parse(sec, len, 0, 4, 4, false, &a, &n, &cnt, NULL), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(n[0].pc, 0x8048100);
	assert_int_equal(n[0].base, 0x8049000);
	assert_int_equal(n[0].sema, 0x804a010);
	assert_string_equal(n[0].provider, "p");
	assert_string_equal(n[0].args, "");
	/* the same as 64-bit notes is too short */
	assert_int_equal(bbpf_usdt_notes_parse(sec, len, 0, 8, 4, false, &a, &n, &cnt, NULL),
			 -EBADMSG);
	/* foreign byte order */
	len = 0;
	note_put(sec, &len, &good, !host_be, 4);
	assert_int_equal(bbpf_usdt_notes_parse(sec, len, 0, 8, 4, true, &a, &n, &cnt, NULL), 0);
	assert_int_equal(n[0].sema, 0x3000);
	/* 8-byte aligned descriptors */
	len = 0;
	note_put(sec, &len, &good, host_be, 8);
	note_put(sec, &len, &good, host_be, 8);
	assert_int_equal(bbpf_usdt_notes_parse(sec, len, 0, 8, 8, false, &a, &n, &cnt, NULL), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(n[1].pc, 0x1000);
	bbpf_arena_free(&a);
}

/* More notes than the limit: -E2BIG, found while counting. */
static void test_absurd_count(void **state)
{
	const bool be = !(*(const uint8_t *)&(uint16_t){ 1 });
	const size_t one = 40, n = BBPF_USDT_MAX_NOTES + 1;
	uint8_t *sec = malloc(one * n);
	struct bbpf_arena a;
	struct bbpf_usdt_note *notes;
	struct bbpf_diag d = { 0 };
	uint32_t cnt;

	(void)state;
	assert_non_null(sec);
	memset(sec, 0, one * n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = sec + i * one;

		put(p, 4, 8, be);
		put(p + 4, 4, 17, be);	/* 3 addresses, "p", "n", "" */
		put(p + 8, 4, 3, be);
		memcpy(p + 12, "stapsdt", 8);
		memcpy(p + 32, "p\0n", 3);
	}
	bbpf_arena_init(&a, &bbpf_alloc_libc, 256u << 20);
	assert_int_equal(bbpf_usdt_notes_parse(sec, one * (n - 1), 0, 4, 4, false, &a, &notes, &cnt,
					       &d), 0);
	assert_int_equal(cnt, BBPF_USDT_MAX_NOTES);
	assert_int_equal(bbpf_usdt_notes_parse(sec, one * n, 0, 4, 4, false, &a, &notes, &cnt, &d),
			 -E2BIG);
	assert_int_equal(d.why, BBPF_BAD_USDT_LIMIT);
	bbpf_arena_free(&a);
	free(sec);
}

/* ---- the map value ---- */

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* Our V1 encoding equals the installed usdt.bpf.h's struct filled field by field. */
static void check_v1_vs_header(const struct bbpf_usdt_spec *spec)
{
	char cmd[2048], want_hex[2 * BBPF_USDT_SPEC_SIZE_V1 + 1], *out;
	uint8_t got[BBPF_USDT_SPEC_SIZE_V1];
	size_t len, size = 0;
	int pos;

	len = (size_t)snprintf(cmd, sizeof(cmd), "'%s/layout_v1' %llu", tmpdir,
			       (unsigned long long)spec->cookie);
	for (uint16_t i = 0; i < spec->arg_cnt; i++) {
		const struct bbpf_usdt_arg *a = &spec->args[i];

		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " %d %lld %u %d %u", a->kind,
					(long long)a->val_off, a->reg_off, a->is_signed, a->bitshift);
	}
	out = proc_capture(cmd);
	assert_non_null(out);
	assert_int_equal(sscanf(out, "%zu %n", &size, &pos), 1);
	assert_int_equal(size, BBPF_USDT_SPEC_SIZE_V1);
	assert_int_equal(bbpf_usdt_spec_encode(spec, BBPF_USDT_LAYOUT_V1, false, got, sizeof(got)),
			 0);
	hex_of(got, sizeof(got), want_hex);
	if (strncmp(out + pos, want_hex, 2 * sizeof(got)) != 0)
		fail_msg("V1 encoding differs from <bpf/usdt.bpf.h>:\n ours %s\n hdr  %.416s",
			 want_hex, out + pos);
	free(out);
}

/* libbpf 1.7+'s declaration, compiled here: the V2 layout. */
enum v2_type { V2_CONST, V2_REG, V2_DEREF, V2_SIB };
struct v2_arg {
	uint64_t val_off;
	enum v2_type arg_type : 8;
	uint16_t idx_reg_off : 12;
	uint16_t scale_bitshift : 4;
	uint8_t reserved : 8;
	short reg_off;
	bool arg_signed;
	char arg_bitshift;
};
struct v2_spec {
	struct v2_arg args[12];
	uint64_t usdt_cookie;
	short arg_cnt;
};

static void check_v2_vs_struct(const struct bbpf_usdt_spec *spec)
{
	struct v2_spec s;
	uint8_t got[sizeof(s)];

	assert_int_equal(sizeof(s), BBPF_USDT_SPEC_SIZE_V2);
	memset(&s, 0, sizeof(s));
	s.usdt_cookie = spec->cookie;
	s.arg_cnt = (short)spec->arg_cnt;
	for (uint16_t i = 0; i < spec->arg_cnt; i++) {
		const struct bbpf_usdt_arg *a = &spec->args[i];

		s.args[i].val_off = (uint64_t)a->val_off;
		s.args[i].arg_type = (enum v2_type)a->kind;
		s.args[i].idx_reg_off = a->idx_reg_off & 0xfff;
		s.args[i].scale_bitshift = a->scale_shift & 0xf;
		s.args[i].reg_off = (short)a->reg_off;
		s.args[i].arg_signed = a->is_signed;
		s.args[i].arg_bitshift = (char)a->bitshift;
	}
	assert_int_equal(bbpf_usdt_spec_encode(spec, BBPF_USDT_LAYOUT_V2, false, got, sizeof(got)),
			 0);
	assert_memory_equal(got, &s, sizeof(s));
}

static void test_encode(void **state)
{
	struct bbpf_usdt_spec nosib, sib;
	struct bbpf_usdt_arg_err err;
	enum bbpf_usdt_layout lay;
	uint8_t buf[BBPF_USDT_SPEC_SIZE_V2];

	(void)state;
	assert_int_equal(bbpf_usdt_spec_parse(EM_X86_64, "-4@%eax 8@-16(%rbp) 2@$-7 -1@%sil 8@16(%rip) "
					      "4@(%rsp) -2@%r10w 4@%r11d 8@%r12 1@%r13b 8@$-1 -8@%rdx",
					      0x1122334455667788ull, &nosib, &err), 0);
	assert_int_equal(nosib.arg_cnt, 12);
	check_v1_vs_header(&nosib);
	check_v2_vs_struct(&nosib);
	assert_int_equal(bbpf_usdt_spec_parse(EM_X86_64, "-8@-96(%rbp,%rax,8) 1@(%rbx,%r15) 4@$3",
					      7, &sib, &err), 0);
	check_v2_vs_struct(&sib);
	/* SIB does not fit the old layout */
	assert_int_equal(bbpf_usdt_spec_encode(&sib, BBPF_USDT_LAYOUT_V1, false, buf, sizeof(buf)),
			 -EOPNOTSUPP);
	/* for V1 and the non-SIB args the two layouts agree on val_off and cookie only */
	assert_int_equal(bbpf_usdt_spec_encode(&nosib, BBPF_USDT_LAYOUT_V1, false, buf,
					       BBPF_USDT_SPEC_SIZE_V1 - 1), -EINVAL);
	/* big-endian V2 by hand: -8@-96(%rbp,%rax,8) */
	assert_int_equal(bbpf_usdt_spec_encode(&sib, BBPF_USDT_LAYOUT_V2, true, buf, sizeof(buf)), 0);
	{
		const uint8_t want[24] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa0,	/* val_off -96 */
			0x00, 0x00, 0x05, 0x03,				/* reserved, pad, idx 80 << 4 | 3 */
			0x03, 0x00, 0x00, 0x20,				/* arg_type SIB, pad, reg_off 32 */
			0x01, 0x00, 0, 0, 0, 0, 0, 0,			/* signed, bitshift 0 */
		};

		assert_memory_equal(buf, want, sizeof(want));
		assert_int_equal(buf[296], 0);
		assert_int_equal(buf[297], 3);		/* arg_cnt */
		assert_int_equal(buf[295], 7);		/* cookie, low byte last */
	}
	/* big-endian V1 by hand: -4@%eax */
	assert_int_equal(bbpf_usdt_spec_encode(&nosib, BBPF_USDT_LAYOUT_V1, true, buf, sizeof(buf)),
			 0);
	{
		const uint8_t want[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80, 1, 32 };

		assert_memory_equal(buf, want, sizeof(want));
		assert_int_equal(buf[200], 0);
		assert_int_equal(buf[201], 12);
	}
	assert_int_equal(bbpf_usdt_layout_of(208, &lay), 0);
	assert_int_equal(lay, BBPF_USDT_LAYOUT_V1);
	assert_int_equal(bbpf_usdt_layout_of(304, &lay), 0);
	assert_int_equal(lay, BBPF_USDT_LAYOUT_V2);
	assert_int_equal(bbpf_usdt_layout_of(216, &lay), -EINVAL);
	/* values the fields cannot hold */
	sib.args[0].idx_reg_off = 4096;
	assert_int_equal(bbpf_usdt_spec_encode(&sib, BBPF_USDT_LAYOUT_V2, false, buf, sizeof(buf)),
			 -EINVAL);
	sib.arg_cnt = 13;
	assert_int_equal(bbpf_usdt_spec_encode(&sib, BBPF_USDT_LAYOUT_V2, false, buf, sizeof(buf)),
			 -EINVAL);
}

/* ---- spec groups, nop combos, VMAs ---- */

static void test_groups_nop_vma(void **state)
{
	struct bbpf_usdt_note n[5] = {
		{ .args = "4@%eax" }, { .args = "" }, { .args = "4@%eax" }, { .args = "8@$1" },
		{ .args = "" },
	};
	struct bbpf_usdt_target t[5];
	uint32_t group[5], groups = 0;
	struct bbpf_arena a;
	const struct bbpf_usdt_vma vmas[2] = {
		{ 0x7f0000001000, 0x7f0000003000, 0x1000 }, { 0x7f0000010000, 0x7f0000011000, 0x5000 },
	};
	uint64_t abs_ip;

	(void)state;
	for (int i = 0; i < 5; i++)
		t[i] = (struct bbpf_usdt_target){ .note = &n[i] };
	bbpf_arena_init(&a, &bbpf_alloc_libc, 1 << 20);
	assert_int_equal(bbpf_usdt_spec_groups(t, 5, &a, group, &groups), 0);
	assert_int_equal(groups, 3);
	assert_int_equal(group[0], 0);
	assert_int_equal(group[1], 1);
	assert_int_equal(group[2], 0);
	assert_int_equal(group[3], 2);
	assert_int_equal(group[4], 1);
	assert_int_equal(bbpf_usdt_spec_groups(t, 0, &a, group, &groups), 0);
	assert_int_equal(groups, 0);
	/* the IP-to-spec elements: each site's ip, its group's spec id */
	{
		const uint32_t ids[3] = { 40, 41, 7 };
		const uint64_t ips[5] = { 0x7f10, 0x7f20, 0x7f30, 0x7f40, 0x7f50 };
		struct bbpf_usdt_ip_entry ent[5];
		uint32_t dup = 99;

		for (int i = 0; i < 5; i++)
			t[i].abs_ip = 0x400000 + 16u * (unsigned int)i;
		assert_int_equal(bbpf_usdt_ip_entries(t, NULL, 5, group, ids, &a, ent, &dup), 0);
		assert_int_equal(ent[0].ip, 0x400000);
		assert_int_equal(ent[0].spec_id, 40);
		assert_int_equal(ent[1].spec_id, 41);
		assert_int_equal(ent[2].spec_id, 40);
		assert_int_equal(ent[3].spec_id, 7);
		assert_int_equal(ent[4].ip, 0x400040);
		assert_int_equal(bbpf_usdt_ip_entries(t, ips, 5, group, ids, &a, ent, &dup), 0);
		assert_int_equal(ent[4].ip, 0x7f50);
		assert_int_equal(ent[4].spec_id, 41);
		/* two sites at one address: libbpf's "IP collision" */
		t[3].abs_ip = t[1].abs_ip;
		assert_int_equal(bbpf_usdt_ip_entries(t, NULL, 5, group, ids, &a, ent, &dup), -EEXIST);
		assert_int_equal(dup, 3);
		assert_int_equal(bbpf_usdt_ip_entries(t, NULL, 0, group, ids, &a, ent, &dup), 0);
	}
	bbpf_arena_free(&a);

	assert_int_equal(bbpf_usdt_vma_ip(0x1800, vmas, 2, &abs_ip), 0);
	assert_int_equal(abs_ip, 0x7f0000001800);
	assert_int_equal(bbpf_usdt_vma_ip(0x5010, vmas, 2, &abs_ip), 0);
	assert_int_equal(abs_ip, 0x7f0000010010);
	assert_int_equal(bbpf_usdt_vma_ip(0x3000, vmas, 2, &abs_ip), -ESRCH);
	assert_int_equal(bbpf_usdt_vma_ip(0x0fff, vmas, 2, &abs_ip), -ESRCH);

	/* nop; nopw 0x0(%rax,%rax,1) with cs prefix: the combo libbpf 1.8 looks for */
	{
		static const uint8_t combo[11] = { 0x90, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0 };
		struct eb *b = eb_new(ELFDATA2LSB, ET_EXEC, EM_X86_64);
		uint8_t text[0x2000];
		uint32_t sec;
		uint64_t at;
		struct parsed p;

		memset(text, 0x90, sizeof(text));
		memcpy(text + 0x100, combo, 11);
		memcpy(text + 0xff6, combo, 11);	/* its nop10 crosses a 4 KiB page */
		sec = eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text,
				     sizeof(text), 0, 0, 0, 0x1000);
		eb_build(b, EB_SHDRS_LAST);
		at = eb_sec_off(b, sec);
		assert_int_equal(at % 0x1000, 0);
		assert_int_equal(parse_buf(&p, eb_buf(b), eb_len(b)), 0);
		assert_true(bbpf_usdt_nop_combo(&p.elf, at + 0x100, 4096));
		assert_false(bbpf_usdt_nop_combo(&p.elf, at + 0x101, 4096));
		assert_false(bbpf_usdt_nop_combo(&p.elf, at + 0xff6, 4096));
		assert_true(bbpf_usdt_nop_combo(&p.elf, at + 0xff6, 16384));
		assert_false(bbpf_usdt_nop_combo(&p.elf, p.len - 5, 4096));
		assert_false(bbpf_usdt_nop_combo(&p.elf, UINT64_MAX, 4096));
		p.elf.machine = EM_AARCH64;
		assert_false(bbpf_usdt_nop_combo(&p.elf, at + 0x100, 4096));
		parsed_free(&p);
		eb_free(b);
	}
}

/* ---- replay of minimized fuzzer findings ---- */

/* Fuzzer findings (tests/data/bad/usdt-*) and the fuzzer's seeds, through the ELF path. */
static size_t replay_dir(const char *dir, const char *prefix)
{
	struct su_file *files;
	size_t cnt, seen = 0;

	assert_int_equal(su_load_dir(dir, "", &files, &cnt), 0);
	for (size_t i = 0; i < cnt; i++) {
		struct bbpf_arena a;
		struct bbpf_elf elf;
		struct bbpf_diag d = { 0 };
		struct bbpf_usdt_target *t;
		uint32_t tc;
		int rc;

		if (strncmp(files[i].name, prefix, strlen(prefix)))
			continue;
		bbpf_arena_init(&a, &bbpf_alloc_libc, 64u << 20);
		rc = bbpf_elf_parse(&elf, files[i].buf, files[i].len, 0, &a, &d);
		if (rc == 0)
			rc = bbpf_usdt_collect(&elf, NULL, NULL, &a, &t, &tc, &d);
		printf("  %s: %d (%s)\n", files[i].name, rc, bbpf_bad_str(d.why));
		assert_true(rc == 0 || rc == -EBADMSG || rc == -E2BIG || rc == -ENOENT ||
			    rc == -ESRCH || rc == -EINVAL || rc == -EBADF);
		if (rc == -EBADMSG || rc == -E2BIG)
			assert_int_not_equal(d.why, BBPF_BAD_NONE);
		bbpf_arena_free(&a);
		seen++;
	}
	su_free_files(files, cnt);
	printf("  %s: %zu inputs replayed\n", dir, seen);
	return seen;
}

static void test_replay(void **state)
{
	size_t n;

	(void)state;
	n = replay_dir(BBPF_SRC_DIR "/tests/data/bad", "usdt-");
	n += replay_dir(BBPF_SRC_DIR "/fuzz/corpus/fuzz_usdt", "");
	assert_true(n >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compiled_o2_pie),
		cmocka_unit_test(test_compiled_o0_nopie),
		cmocka_unit_test(test_compiled_lib),
		cmocka_unit_test(test_compiled_specs),
		cmocka_unit_test(test_fixed_args),
		cmocka_unit_test(test_arg_strings),
		cmocka_unit_test(test_arg_tokens_random),
		cmocka_unit_test(test_prelinked),
		cmocka_unit_test(test_synthetic_sites),
		cmocka_unit_test(test_no_notes),
		cmocka_unit_test(test_hostile_notes),
		cmocka_unit_test(test_note_formats),
		cmocka_unit_test(test_absurd_count),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_groups_nop_vma),
		cmocka_unit_test(test_replay),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
