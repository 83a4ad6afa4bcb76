/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/parse/elf.c on ELF files from the host: /bin/true, libc (the file
 * offset of malloc equal to readelf(1)'s), a non-PIE executable built by
 * cc at test time (p_vaddr != p_offset; readelf again), the first 300 ELF64
 * files in /usr/bin, and BPF objects built by clang at test time in both
 * byte orders. A missing file, compiler or readelf is a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <barebpf/object.h>
#include "elf_parse_util.h"

/* Whole regular file up to 256 MiB, or NULL. */
static uint8_t *read_file(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	struct stat st;
	FILE *f;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > (256 << 20))
		return NULL;
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf = malloc((size_t)st.st_size);
	if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	*len = (size_t)st.st_size;
	fclose(f);
	return buf;
}

static void test_host_bin_true(void **state)
{
	struct ep_parsed p;
	uint8_t *buf;
	size_t len = 0;

	(void)state;
	buf = read_file("/bin/true", &len);
	if (!buf)
		fail_msg("cannot read /bin/true");
	assert_int_equal(ep_parse_copy(&p, buf, len, 0), 0);
	assert_true(p.elf.type == ET_DYN || p.elf.type == ET_EXEC);
	assert_true(p.elf.phnum > 0);
	assert_true(p.elf.dynsym != 0);
	assert_true(bbpf_elf_sym_cnt(&p.elf, p.elf.dynsym) > 1);
	assert_true(bbpf_elf_find_sec(&p.elf, ".text") != 0);
	ep_walk_all(&p.elf);
	ep_parsed_free(&p);
	assert_int_equal(ep_parse_copy(&p, buf, len, BBPF_ELF_BPF_OBJECT), -EBADMSG);
	assert_int_equal(p.diag.why, BBPF_BAD_ELF_TYPE);
	ep_parsed_free(&p);
	free(buf);
}

/* Expected offset per readelf: symbol value, then the PT_LOAD containing it. */
static bool readelf_file_off(const char *path, const char *symopt, const char *name,
			     uint64_t *off)
{
	char cmd[512], line[1024], sym[256];
	unsigned long long value = 0, o, v, pa, fs;
	bool found = false;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "readelf -W %s '%s' 2>/dev/null", symopt, path);
	f = popen(cmd, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char type[32];

		if (sscanf(line, " %*u: %llx %*s %31s %*s %*s %*s %255s", &value, type, sym) == 3 &&
		    strcmp(type, "FUNC") == 0 && strncmp(sym, name, strlen(name)) == 0 &&
		    (sym[strlen(name)] == '\0' || sym[strlen(name)] == '@'))
			found = value != 0;
	}
	pclose(f);
	if (!found)
		return false;
	snprintf(cmd, sizeof(cmd), "readelf -W -l '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (!f)
		return false;
	found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " LOAD %llx %llx %llx %llx", &o, &v, &pa, &fs) == 4 &&
		    v <= value && value - v < fs) {
			*off = value - v + o;
			found = true;
		}
	}
	pclose(f);
	return found;
}

static void test_host_libc_malloc(void **state)
{
	const char *path = "/lib/x86_64-linux-gnu/libc.so.6";
	uint64_t off = 0, want;
	struct ep_parsed p;
	uint8_t *buf;
	size_t len = 0;

	(void)state;
	buf = read_file(path, &len);
	if (!buf)
		fail_msg("cannot read %s", path);
	assert_int_equal(ep_parse_copy(&p, buf, len, 0), 0);
	assert_int_equal(p.elf.type, ET_DYN);
	assert_int_not_equal(p.elf.dynsym, 0);
	ep_walk_all(&p.elf);
	assert_int_equal(bbpf_elf_sym_file_off(&p.elf, "malloc", &off), 0);
	assert_true(off > 0 && off < len);
	assert_true(buf[off] != 0 || buf[off + 1] != 0 || buf[off + 2] != 0);
	if (!readelf_file_off(path, "--dyn-syms", "malloc", &want))
		fail_msg("readelf (the reference) gave no offset of malloc in %s", path);
	assert_int_equal(off, want);
	assert_int_equal(bbpf_elf_sym_file_off(&p.elf, "no_such_function_xyz", &off), -ENOENT);
	ep_parsed_free(&p);
	free(buf);
}

/*
 * A non-PIE executable from the host compiler: its code segment has
 * p_vaddr != p_offset, and the function is found in .symtab.
 */
static void test_host_nonpie_symtab(void **state)
{
	static const char src[] =
		"__attribute__((noinline)) int target_fn(int x) { return x * 3; }\n"
		"int main(int argc, char **argv) { (void)argv; return target_fn(argc); }\n";
	char dir[] = "/tmp/test_elf_XXXXXX", cmd[1024], srcpath[64], exe[64];
	uint64_t off = 0, want = 0;
	struct ep_parsed p;
	uint8_t *buf;
	size_t len = 0;
	bool ok;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(srcpath, sizeof(srcpath), "%s/t.c", dir);
	snprintf(exe, sizeof(exe), "%s/t", dir);
	f = fopen(srcpath, "w");
	assert_non_null(f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cc -O1 -no-pie -fno-pie '%s' -o '%s' 2>/dev/null", srcpath, exe);
	buf = system(cmd) == 0 ? read_file(exe, &len) : NULL;
	ok = buf && readelf_file_off(exe, "-s", "target_fn", &want);
	unlink(exe);
	unlink(srcpath);
	rmdir(dir);
	if (!buf)
		fail_msg("cc -no-pie did not build a test program");
	if (!ok)
		fail_msg("readelf (the reference) gave no offset of target_fn");
	assert_int_equal(ep_parse_copy(&p, buf, len, 0), 0);
	assert_int_equal(p.elf.type, ET_EXEC);
	assert_int_not_equal(p.elf.symtab, 0);
	ep_walk_all(&p.elf);
	assert_int_equal(bbpf_elf_sym_file_off(&p.elf, "target_fn", &off), 0);
	assert_int_equal(off, want);
	ep_parsed_free(&p);
	free(buf);
}

/* Every ELF64 file among the first few hundred in /usr/bin parses and walks. */
static void test_host_many_binaries(void **state)
{
	DIR *dir = opendir("/usr/bin");
	unsigned int parsed = 0;
	struct dirent *de;

	(void)state;
	assert_non_null(dir);
	while (parsed < 300 && (de = readdir(dir))) {
		char path[512];
		struct ep_parsed p;
		uint8_t *buf;
		size_t len = 0;
		int rc;

		snprintf(path, sizeof(path), "/usr/bin/%s", de->d_name);
		buf = read_file(path, &len);
		if (!buf)
			continue;
		if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_CLASS] != ELFCLASS64) {
			free(buf);
			continue;
		}
		rc = ep_parse_copy(&p, buf, len, 0);
		if (rc)
			fail_msg("%s: %d %s (sec %u off %#llx)", path, rc, bbpf_bad_str(p.diag.why),
				 p.diag.sec, (unsigned long long)p.diag.off);
		ep_walk_all(&p.elf);
		ep_parsed_free(&p);
		free(buf);
		parsed++;
	}
	closedir(dir);
	assert_true(parsed > 0);
}

/* Objects from clang itself, both byte orders. */
static void test_clang_bpf_objects(void **state)
{
	static const char src[] =
		"#define SEC(n) __attribute__((section(n), used))\n"
		"int counter;\n"
		"int init = 5;\n"
		"const volatile int cfg = 3;\n"
		"static __attribute__((noinline)) int sub(int x) { return x + counter + init; }\n"
		"SEC(\"xdp\") int prog(void *ctx) { counter++; return sub(cfg); }\n"
		"char _license[] SEC(\"license\") = \"GPL\";\n";
	static const char *const targets[] = { "bpfel", "bpfeb" };
	char dir[] = "/tmp/test_elf_XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t t = 0; t < 2; t++) {
		char cmd[1024], obj[64], srcpath[64];
		struct ep_parsed p;
		uint8_t *buf;
		size_t len = 0;
		uint32_t xdp;
		FILE *f;

		snprintf(srcpath, sizeof(srcpath), "%s/p.c", dir);
		snprintf(obj, sizeof(obj), "%s/p.%s.o", dir, targets[t]);
		f = fopen(srcpath, "w");
		assert_non_null(f);
		fputs(src, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "clang -target %s -O2 -g -c '%s' -o '%s' 2>/dev/null",
			 targets[t], srcpath, obj);
		buf = system(cmd) == 0 ? read_file(obj, &len) : NULL;
		unlink(obj);
		unlink(srcpath);
		if (!buf) {
			rmdir(dir);
			fail_msg("clang -target %s did not build a BPF object", targets[t]);
		}
		assert_int_equal(ep_parse_copy(&p, buf, len, BBPF_ELF_BPF_OBJECT), 0);
		assert_int_equal(p.elf.big_endian, t == 1);
		xdp = bbpf_elf_find_sec(&p.elf, "xdp");
		assert_int_not_equal(xdp, 0);
		assert_int_not_equal(bbpf_elf_find_sec(&p.elf, ".relxdp"), 0);
		assert_int_not_equal(bbpf_elf_find_sec(&p.elf, ".BTF"), 0);
		assert_int_not_equal(p.elf.symtab, 0);
		ep_walk_all(&p.elf);
		ep_parsed_free(&p);
		free(buf);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_bin_true),
		cmocka_unit_test(test_host_libc_malloc),
		cmocka_unit_test(test_host_nonpie_symtab),
		cmocka_unit_test(test_host_many_binaries),
		cmocka_unit_test(test_clang_bpf_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
