// SPDX-License-Identifier: BSD-2-Clause
/*
 * The generator of tests/data/bad/: hostile BPF objects of the crash
 * classes libbpf's own fuzzing found (an extern whose BTF size needs 64
 * bits, misaligned .BTF.ext records, NULL or unterminated section names,
 * deep and cyclic type chains), each built with elf_builder/btf_builder as
 * the smallest object that gets the parser to the spot. test_sweep's
 * test_replay opens every file of that directory and checks the answer
 * listed in tests/data/bad/EXPECTED; this test checks that the committed
 * files are exactly what the code below builds (so each file is documented
 * by its builder), and that every built file has its line in EXPECTED.
 *
 * BBPF_WRITE_BAD=1 writes the files instead of comparing (after a change
 * here; then update EXPECTED and tests/data/bad/README.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <barebpf/object.h>
#include "btf_builder.h"
#include "elf_builder.h"
#include "sweep_util.h"

#define BAD_DIR BBPF_SRC_DIR "/tests/data/bad"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* r0 = 0; exit */
static const uint8_t ret0[16] = { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };

#define PROG_SEC "tp/syscalls/sys_enter_write"

/* The types every object starts with: int, and the program's FUNC_PROTO and FUNC. */
struct base_btf {
	struct bb_btf b;
	uint32_t int_id, func_id;
	uint32_t sec_name_off;	/* PROG_SEC in the string section (.BTF.ext names it) */
};

static void base_btf(struct base_btf *t)
{
	uint32_t proto;

	bb_btf_init(&t->b);
	t->int_id = bb_btf_add_int(&t->b, "int", 4, BTF_INT_SIGNED, 32);
	proto = bb_btf_add_func_proto(&t->b, t->int_id);
	t->func_id = bb_btf_add_func(&t->b, "prog", proto, BTF_FUNC_GLOBAL);
	t->sec_name_off = bb_btf_str(&t->b, PROG_SEC);
}

/* One "r0 = 0; exit" program in PROG_SEC, a "GPL" license, then .BTF (and .BTF.ext). */
static struct eb *base_obj(const struct bb_btf *btf, const uint8_t *ext, uint32_t ext_len)
{
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint32_t sec, len;
	uint8_t *raw;

	sec = eb_add_section(b, PROG_SEC, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, ret0,
			     sizeof(ret0), 0, 0, 0, 8);
	eb_add_sym(b, "prog", 0, sizeof(ret0), (uint16_t)sec, STB_GLOBAL, STT_FUNC);
	eb_add_section(b, "license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, "GPL", 4, 0, 0, 0, 1);
	if (btf) {
		raw = bb_btf_raw(btf, false, &len);
		eb_add_section(b, ".BTF", SHT_PROGBITS, 0, raw, len, 0, 0, 0, 4);
		free(raw);
	}
	if (ext)
		eb_add_section(b, ".BTF.ext", SHT_PROGBITS, 0, ext, ext_len, 0, 0, 0, 4);
	return b;
}

static uint8_t *finish(struct eb *b, size_t *len)
{
	uint8_t *img;

	eb_build(b, EB_SHDRS_LAST);
	img = eb_take(b, len);
	eb_free(b);
	return img;
}

/* The image of a builder already built (and corrupted after eb_build). */
static uint8_t *finish_built(struct eb *b, size_t *len)
{
	uint8_t *img = eb_take(b, len);

	eb_free(b);
	return img;
}

/* ---- an extern whose BTF size needs 64 bits ---- */

/* char[65536][65536]: 2^32 bytes, one more than a u32 holds. */
static uint32_t huge_array(struct bb_btf *b, uint32_t int_id)
{
	uint32_t ch = bb_btf_add_int(b, "char", 1, BTF_INT_SIGNED, 8);
	uint32_t row = bb_btf_add_array(b, ch, int_id, 65536);

	return bb_btf_add_array(b, row, int_id, 65536);
}

static uint8_t *extern_size_64bit(const char *datasec, const char *name, size_t *len)
{
	struct base_btf t;
	struct eb *b;
	uint32_t var;

	base_btf(&t);
	var = bb_btf_add_var(&t.b, name, huge_array(&t.b, t.int_id), BTF_VAR_GLOBAL_EXTERN);
	bb_btf_add_datasec(&t.b, datasec, 0);
	bb_btf_add_secinfo(&t.b, var, 0, 0);	/* the size does not fit the u32 */
	b = base_obj(&t.b, NULL, 0);
	eb_add_sym(b, name, 0, 0, SHN_UNDEF, STB_GLOBAL, STT_NOTYPE);
	bb_btf_free(&t.b);
	return finish(b, len);
}

static uint8_t *kconfig_extern_size_64bit(size_t *len)
{
	return extern_size_64bit(".kconfig", "CONFIG_BBPF_HUGE", len);
}

static uint8_t *ksym_extern_size_64bit(size_t *len)
{
	return extern_size_64bit(".ksyms", "bbpf_huge_ksym", len);
}

/* A global variable of that type in .data (DATASEC ".data" sized 0). */
static uint8_t *data_var_size_64bit(size_t *len)
{
	static const uint8_t data[8];
	struct base_btf t;
	struct eb *b;
	uint32_t var, sec;

	base_btf(&t);
	var = bb_btf_add_var(&t.b, "huge_var", huge_array(&t.b, t.int_id),
			     BTF_VAR_GLOBAL_ALLOCATED);
	bb_btf_add_datasec(&t.b, ".data", sizeof(data));
	bb_btf_add_secinfo(&t.b, var, 0, 0);
	b = base_obj(&t.b, NULL, 0);
	sec = eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data, sizeof(data),
			     0, 0, 0, 8);
	eb_add_sym(b, "huge_var", 0, sizeof(data), (uint16_t)sec, STB_GLOBAL, STT_OBJECT);
	bb_btf_free(&t.b);
	return finish(b, len);
}

/* ---- .BTF.ext records that are not 4-byte aligned ---- */

static uint8_t *ext_of(const struct base_btf *t, uint32_t func_rec, size_t *ext_len)
{
	struct bb_btf_ext e;
	uint32_t len;
	uint8_t *raw;

	bb_ext_init(&e, func_rec, 0, 0);
	bb_ext_sec(&e, BB_EXT_FUNC, t->sec_name_off);
	bb_ext_func(&e, 0, t->func_id);
	bb_ext_sec(&e, BB_EXT_LINE, t->sec_name_off);
	bb_ext_line(&e, 0, t->sec_name_off, t->sec_name_off, 1 << 10 | 1);
	raw = bb_ext_raw(&e, false, &len);
	bb_ext_free(&e);
	*ext_len = len;
	return raw;
}

/*
 * func_info records of 10 bytes: the second record would start at an
 * offset that is not a multiple of 4 (libbpf reads them as structs).
 */
static uint8_t *ext_rec_size_unaligned(size_t *len)
{
	struct base_btf t;
	size_t ext_len;
	uint8_t *ext;
	struct eb *b;

	base_btf(&t);
	ext = ext_of(&t, 8, &ext_len);
	/* header (32 bytes) | func block: rec_size at offset 0 */
	bb_put_u32(ext + 32, 10, false);
	b = base_obj(&t.b, ext, (uint32_t)ext_len);
	free(ext);
	bb_btf_free(&t.b);
	return finish(b, len);
}

/* The func_info block starts 2 bytes into the data: every record misaligned. */
static uint8_t *ext_info_off_unaligned(size_t *len)
{
	struct base_btf t;
	size_t ext_len;
	uint8_t *ext;
	struct eb *b;

	base_btf(&t);
	ext = ext_of(&t, 0, &ext_len);
	bb_put_u32(ext + 8, 2, false);	/* func_info_off */
	b = base_obj(&t.b, ext, (uint32_t)ext_len);
	free(ext);
	bb_btf_free(&t.b);
	return finish(b, len);
}

/*
 * A well-formed .BTF.ext whose section data starts at an odd file offset
 * (sh_addralign 1 after a 1-byte section): every u32 in it is misaligned in
 * memory. Must open, with the same records as an aligned copy.
 */
static uint8_t *ext_section_misaligned(size_t *len)
{
	struct base_btf t;
	size_t ext_len;
	uint8_t *ext;
	struct eb *b;

	base_btf(&t);
	ext = ext_of(&t, 0, &ext_len);
	b = base_obj(&t.b, NULL, 0);
	eb_add_section(b, ".comment", SHT_PROGBITS, 0, "x", 1, 0, 0, 0, 1);
	eb_add_section(b, ".BTF.ext", SHT_PROGBITS, 0, ext, ext_len, 0, 0, 0, 1);
	free(ext);
	bb_btf_free(&t.b);
	return finish(b, len);
}

/* ---- NULL and unterminated section names ---- */

/* The name table's last byte is not NUL: the last name runs off its end. */
static uint8_t *section_name_unterminated(size_t *len)
{
	struct eb *b = base_obj(NULL, NULL, 0);
	uint32_t str;
	uint64_t size;

	eb_build(b, EB_SHDRS_LAST);
	str = eb_strtab_idx(b);
	size = eb_get(b, eb_shdr_off(b, str) + offsetof(Elf64_Shdr, sh_size), 8);
	eb_put(b, eb_sec_off(b, str) + size - 1, 1, 'x');
	return finish_built(b, len);
}

/* A program section's sh_name past the end of the name table (libelf: a NULL name). */
static uint8_t *section_name_out_of_range(size_t *len)
{
	struct eb *b = base_obj(NULL, NULL, 0);
	uint64_t size;

	eb_build(b, EB_SHDRS_LAST);
	size = eb_get(b, eb_shdr_off(b, eb_strtab_idx(b)) + offsetof(Elf64_Shdr, sh_size), 8);
	EB_SHDR_SET(b, 1, sh_name, size);
	return finish_built(b, len);
}

/* A program section named "" (sh_name 0): no section definition matches. */
static uint8_t *section_name_empty_prog(size_t *len)
{
	struct eb *b = base_obj(NULL, NULL, 0);

	eb_build(b, EB_SHDRS_LAST);
	EB_SHDR_SET(b, 1, sh_name, 0);
	return finish_built(b, len);
}

/* ---- deep and cyclic type chains ---- */

/* n typedefs named name over type; returns the outermost. */
static uint32_t typedef_chain(struct bb_btf *b, const char *name, uint32_t type, uint32_t n)
{
	while (n--)
		type = bb_btf_add_typedef(b, name, type);
	return type;
}

/*
 * A global variable whose type is 10000 typedefs deep; its DATASEC entry
 * has size 0, so finding its size means walking the chain.
 */
static uint8_t *typedef_chain_deep_var(size_t *len)
{
	static const uint8_t data[4];
	struct base_btf t;
	struct eb *b;
	uint32_t var, sec;

	base_btf(&t);
	var = bb_btf_add_var(&t.b, "deep_var", typedef_chain(&t.b, "deep_t", t.int_id, 10000),
			     BTF_VAR_GLOBAL_ALLOCATED);
	bb_btf_add_datasec(&t.b, ".data", sizeof(data));
	bb_btf_add_secinfo(&t.b, var, 0, 0);
	b = base_obj(&t.b, NULL, 0);
	sec = eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data, sizeof(data),
			     0, 0, 0, 4);
	eb_add_sym(b, "deep_var", 0, sizeof(data), (uint16_t)sec, STB_GLOBAL, STT_OBJECT);
	bb_btf_free(&t.b);
	return finish(b, len);
}

/*
 * A BTF-defined array map ("type", "max_entries", "key", "value" as
 * <bpf/bpf_helpers.h> declares them) whose key type is key_type.
 */
static uint8_t *map_with_key(struct base_btf *t, uint32_t key_type, size_t *len)
{
	static const uint8_t maps[32];
	uint32_t type_ptr, one_ptr, key_ptr, val_ptr, def, var, sec;
	struct eb *b;

	/* __uint(type, BPF_MAP_TYPE_ARRAY) is int (*)[2]; __uint(max_entries, 1) int (*)[1] */
	type_ptr = bb_btf_add_ptr(&t->b, bb_btf_add_array(&t->b, t->int_id, t->int_id, 2));
	one_ptr = bb_btf_add_ptr(&t->b, bb_btf_add_array(&t->b, t->int_id, t->int_id, 1));
	key_ptr = bb_btf_add_ptr(&t->b, key_type);
	val_ptr = bb_btf_add_ptr(&t->b, t->int_id);
	def = bb_btf_add_struct(&t->b, NULL, sizeof(maps), false);
	bb_btf_add_member(&t->b, "type", type_ptr, 0);
	bb_btf_add_member(&t->b, "max_entries", one_ptr, 64);
	bb_btf_add_member(&t->b, "key", key_ptr, 128);
	bb_btf_add_member(&t->b, "value", val_ptr, 192);
	var = bb_btf_add_var(&t->b, "hostile_map", def, BTF_VAR_GLOBAL_ALLOCATED);
	bb_btf_add_datasec(&t->b, ".maps", sizeof(maps));
	bb_btf_add_secinfo(&t->b, var, 0, sizeof(maps));
	b = base_obj(&t->b, NULL, 0);
	sec = eb_add_section(b, ".maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, maps, sizeof(maps),
			     0, 0, 0, 8);
	eb_add_sym(b, "hostile_map", 0, sizeof(maps), (uint16_t)sec, STB_GLOBAL, STT_OBJECT);
	bb_btf_free(&t->b);
	return finish(b, len);
}

/* The map's key type is 10000 typedefs deep. */
static uint8_t *typedef_chain_deep_map_key(size_t *len)
{
	struct base_btf t;

	base_btf(&t);
	return map_with_key(&t, typedef_chain(&t.b, "deep_t", t.int_id, 10000), len);
}

/* The map's key type is a typedef cycle: a -> b -> a. */
static uint8_t *typedef_cycle_map_key(size_t *len)
{
	struct base_btf t;
	uint32_t first;

	base_btf(&t);
	first = t.b.next_id;
	bb_btf_add_typedef(&t.b, "cyc_a", first + 1);
	bb_btf_add_typedef(&t.b, "cyc_b", first);
	return map_with_key(&t, first, len);
}

/* ---- the list ---- */

static const struct {
	const char *file;
	uint8_t *(*build)(size_t *len);
} cases[] = {
	{ "obj-extern-kconfig-size-64bit.o", kconfig_extern_size_64bit },
	{ "obj-extern-ksym-size-64bit.o", ksym_extern_size_64bit },
	{ "obj-data-var-size-64bit.o", data_var_size_64bit },
	{ "btf-ext-rec-size-unaligned.o", ext_rec_size_unaligned },
	{ "btf-ext-info-off-unaligned.o", ext_info_off_unaligned },
	{ "btf-ext-section-misaligned.o", ext_section_misaligned },
	{ "elf-section-name-unterminated.o", section_name_unterminated },
	{ "elf-section-name-out-of-range.o", section_name_out_of_range },
	{ "elf-section-name-empty-prog.o", section_name_empty_prog },
	{ "btf-typedef-chain-deep-var.o", typedef_chain_deep_var },
	{ "btf-typedef-chain-deep-map-key.o", typedef_chain_deep_map_key },
	{ "btf-typedef-cycle-map-key.o", typedef_cycle_map_key },
};

/* ---- controls: the same builders without the hostile part open ---- */

static void lb_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	print_message("  log: %s\n", msg);
}

static void expect_opens(uint8_t *(*build)(struct base_btf *t, size_t *len), const char *what)
{
	struct base_btf t;
	size_t len;
	uint8_t *img;
	struct bbpf_open_opts o = { .log = lb_cb };
	struct bbpf_object *obj = NULL;
	struct bbpf_diag d = { 0 };
	int rc;

	base_btf(&t);
	img = build(&t, &len);
	rc = bbpf_object_open_mem(&obj, img, len, &o, &d);
	if (rc)
		fail_msg("%s: %d (%s)", what, rc, bbpf_bad_str(d.why));
	bbpf_object_close(obj);
	free(img);
}

static uint8_t *control_base(struct base_btf *t, size_t *len)
{
	size_t ext_len;
	uint8_t *ext = ext_of(t, 0, &ext_len), *img;

	img = finish(base_obj(&t->b, ext, (uint32_t)ext_len), len);
	free(ext);
	bb_btf_free(&t->b);
	return img;
}

static uint8_t *control_int_key(struct base_btf *t, size_t *len)
{
	return map_with_key(t, t->int_id, len);
}

static uint8_t *control_short_chain_key(struct base_btf *t, size_t *len)
{
	return map_with_key(t, typedef_chain(&t->b, "t", t->int_id, 8), len);
}

/*
 * So that each hostile file is rejected for its hostile part and not for
 * a builder mistake: the base object with .BTF and .BTF.ext, the map with
 * an int key and with a key 8 typedefs deep, open.
 */
static void test_controls(void **state)
{
	(void)state;
	expect_opens(control_base, "base object with .BTF and .BTF.ext");
	expect_opens(control_int_key, "map with an int key");
	expect_opens(control_short_chain_key, "map with a key 8 typedefs deep");
}

/* Whether EXPECTED has a line for file. */
static bool expected_has(const char *expected, const char *file)
{
	size_t n = strlen(file);
	const char *p = expected;

	while ((p = strstr(p, file))) {
		if ((p == expected || p[-1] == '\n') && (p[n] == ' ' || p[n] == '\t'))
			return true;
		p += n;
	}
	return false;
}

static void test_committed_files_match(void **state)
{
	bool write = getenv("BBPF_WRITE_BAD") && !strcmp(getenv("BBPF_WRITE_BAD"), "1");
	uint8_t *expected_raw;
	char *expected;
	size_t i, elen;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		char path[512];
		size_t len, flen;
		uint8_t *img = cases[i].build(&len), *file;

		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, cases[i].file);
		if (write) {
			assert_int_equal(su_write_file(path, img, len), 0);
			printf("  wrote %s (%zu bytes)\n", path, len);
		} else {
			if (su_read_file(path, &file, &flen))
				fail_msg("%s is missing (BBPF_WRITE_BAD=1 writes it)", path);
			if (flen != len || memcmp(file, img, len))
				fail_msg("%s (%zu bytes) is not what %s() builds (%zu bytes)", path,
					 flen, cases[i].file, len);
			free(file);
		}
		free(img);
	}
	assert_int_equal(su_read_file(BAD_DIR "/EXPECTED", &expected_raw, &elen), 0);
	expected = malloc(elen + 1);
	assert_non_null(expected);
	memcpy(expected, expected_raw, elen);
	expected[elen] = '\0';
	for (i = 0; i < ARRAY_LEN(cases); i++)
		if (!expected_has(expected, cases[i].file))
			fail_msg("no line for %s in %s/EXPECTED", cases[i].file, BAD_DIR);
	free(expected);
	free(expected_raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_committed_files_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
