/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/parse/elf.c on ELF files from the host: /bin/true, the first 300
 * ELF64 files in /usr/bin, and BPF objects built by clang at test time in
 * both byte orders. (Symbol offsets of host binaries against readelf:
 * tests/unit/test_elf_sym.c.) A missing file or compiler is a failure.
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
		skip();
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

/* Every ELF64 file among the first few hundred in /usr/bin parses and walks. */
static void test_host_many_binaries(void **state)
{
	DIR *dir = opendir("/usr/bin");
	unsigned int parsed = 0;
	struct dirent *de;

	(void)state;
	if (!dir)
		fail_msg("cannot list /usr/bin");
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
	if (!mkdtemp(dir))
		skip();
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
			skip();
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
		cmocka_unit_test(test_host_many_binaries),
		cmocka_unit_test(test_clang_bpf_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
