/* SPDX-License-Identifier: BSD-2-Clause */
/* JSON rendering of "barebpf inspect": one object, fields as in README.md "CLI". */
#include <stdio.h>
#include <string.h>

#include "inspect.h"
#include "json.h"
#include "../base/fmt.h"

static void json_programs(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	char tb[BBPF_CLI_NAME_BUF], ab[BBPF_CLI_NAME_BUF];
	size_t i, n = bbpf_object_program_cnt(obj);
	int k;

	bbpf_cli_json_kvs(j, "[programs\0");
	for (i = 0; i < n; i++) {
		const struct bbpf_program *p = bbpf_object_program(obj, i);
		struct bbpf_relo_counts rc;

		memset(&rc, 0, sizeof(rc));
		bbpf_program_relo_counts(p, &rc);
		bbpf_cli_json_kvs(j, "{\0sname\0ssection\0stype\0sexpected_attach_type\0sattach_target\0"
				  "uflags\0uinsns\0usection_insn_off\0bautoload\0{relocations\0",
				  bbpf_program_name(p), bbpf_program_section(p),
				  bbpf_cli_prog_type_name(bbpf_program_type(p), tb, sizeof(tb)),
				  bbpf_cli_attach_type_name(p, ab, sizeof(ab)),
				  bbpf_program_attach_target(p), (uint64_t)bbpf_program_flags(p),
				  (uint64_t)bbpf_program_insn_cnt(p),
				  (uint64_t)bbpf_program_section_insn_off(p), (int)bbpf_program_autoload(p));
		for (k = 0; k < BBPF_RELO_KIND_CNT; k++)
			bbpf_cli_json_kv_u64(j, bbpf_cli_relo_kind_name(k), rc.cnt[k]);
		bbpf_cli_json_obj_end(j);
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_arr_end(j);
}

static void json_init_slots(struct bbpf_cli_json *j, const struct bbpf_map *m)
{
	size_t i, n = bbpf_map_init_slot_cnt(m);
	const char *target;
	uint32_t slot;

	/* in the array "init_slots" json_maps() opened */
	for (i = 0; i < n; i++) {
		if (bbpf_map_init_slot(m, i, &slot, &target))
			continue;
		bbpf_cli_json_kvs(j, "{\0uslot\0starget\0}\0", (uint64_t)slot, target);
	}
	bbpf_cli_json_arr_end(j);
}

static void json_maps(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	char tb[BBPF_CLI_NAME_BUF], pb[BBPF_CLI_NAME_BUF];
	size_t i, n = bbpf_object_map_cnt(obj);

	bbpf_cli_json_kvs(j, "[maps\0");
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		bbpf_cli_json_kvs(j, "{\0sname\0stype\0ukey_size\0uvalue_size\0umax_entries\0uflags\0"
				  "spinning\0skind\0sinner_map\0unuma_node\0umap_extra\0"
				  "ubtf_key_type_id\0ubtf_value_type_id\0[init_slots\0",
				  bbpf_map_name(m), bbpf_cli_map_type_name(bbpf_map_type(m), tb, sizeof(tb)),
				  (uint64_t)bbpf_map_key_size(m), (uint64_t)bbpf_map_value_size(m),
				  (uint64_t)bbpf_map_max_entries(m), (uint64_t)bbpf_map_flags(m),
				  bbpf_cli_pinning_name(bbpf_map_pinning(m), pb, sizeof(pb)),
				  bbpf_cli_map_kind_name(bbpf_map_kind(m)), bbpf_cli_inner_name(m),
				  (uint64_t)bbpf_map_numa_node(m), (uint64_t)bbpf_map_extra(m),
				  (uint64_t)bbpf_map_btf_key_type_id(m),
				  (uint64_t)bbpf_map_btf_value_type_id(m));
		json_init_slots(j, m);
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_arr_end(j);
}

static void json_data_sections(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_map_cnt(obj);

	bbpf_cli_json_kvs(j, "[data_sections\0");
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		if (!bbpf_cli_is_data_section(m))
			continue;
		bbpf_cli_json_kvs(j, "{\0sname\0skind\0usize\0}\0", bbpf_map_name(m),
				  bbpf_cli_map_kind_name(bbpf_map_kind(m)), (uint64_t)bbpf_map_value_size(m));
	}
	bbpf_cli_json_arr_end(j);
}

static void json_externs(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_extern_cnt(obj);

	bbpf_cli_json_kvs(j, "[externs\0");
	for (i = 0; i < n; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(obj, i);
		bool kcfg = bbpf_extern_kind(e) == BBPF_EXTERN_KCONFIG;

		/* typed/func describe ksyms only (null for a kconfig) */
		bbpf_cli_json_kvs(j, "{\0sname\0skind\0bweak\0btyped\0bfunc\0ubtf_id\0skcfg_type\0"
				  "bsigned\0usize\0uoffset\0}\0",
				  bbpf_extern_name(e), bbpf_cli_extern_kind_name(bbpf_extern_kind(e)),
				  (int)bbpf_extern_is_weak(e), kcfg ? -1 : (int)bbpf_extern_is_typed(e),
				  kcfg ? -1 : (int)bbpf_extern_is_func(e),
				  (uint64_t)bbpf_extern_btf_id(e),
				  kcfg ? bbpf_cli_kcfg_type_name(bbpf_extern_kcfg_type(e)) : NULL,
				  (int)bbpf_extern_is_signed(e), (uint64_t)bbpf_extern_size(e),
				  (uint64_t)bbpf_extern_data_off(e));
	}
	bbpf_cli_json_arr_end(j);
}

static void json_btf(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	struct bbpf_btf_summary s;
	char kb[BBPF_CLI_NAME_BUF];
	const char *name;
	unsigned int k;

	memset(&s, 0, sizeof(s));
	if (bbpf_object_btf_summary(obj, &s))
		memset(&s, 0, sizeof(s));
	bbpf_cli_json_kvs(j, "{btf\0bpresent\0bext_present\0utypes\0ustrings_bytes\0{kinds\0",
			  (int)s.has_btf,
			  (int)s.has_btf_ext, (uint64_t)s.type_cnt, (uint64_t)s.str_len);
	for (k = 0; k < 32; k++) {
		if (!s.kind_cnt[k])
			continue;
		name = bbpf_cli_btf_kind_name(k, kb, sizeof(kb));
		bbpf_cli_json_kv_u64(j, name, s.kind_cnt[k]);
	}
	bbpf_cli_json_kvs(j, "}\0ufunc_info\0uline_info\0ucore_relo\0}\0", (uint64_t)s.func_info_cnt,
			  (uint64_t)s.line_info_cnt, (uint64_t)s.core_relo_cnt);
}

int bbpf_cli_inspect_json(struct bbpf_object *obj, bool pretty)
{
	struct bbpf_cli_json j;

	bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, pretty);
	bbpf_cli_json_kvs(&j, "{\0sname\0slicense\0ukern_version\0sendian\0", bbpf_object_name(obj),
			  bbpf_object_license(obj), (uint64_t)bbpf_object_kern_version(obj),
			  bbpf_cli_endian_name(obj));
	json_programs(&j, obj);
	bbpf_cli_json_kv_u64(&j, "subprograms", bbpf_object_subprog_cnt(obj));
	json_maps(&j, obj);
	json_data_sections(&j, obj);
	bbpf_cli_inspect_globals_json(&j, obj);
	json_externs(&j, obj);
	json_btf(&j, obj);
	bbpf_cli_json_obj_end(&j);
	bbpf_cli_json_finish(&j);
	return bbpf_cli_flush(BBPF_CLI_STDOUT);
}
