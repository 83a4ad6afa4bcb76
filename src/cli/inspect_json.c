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

	bbpf_cli_json_key(j, "programs");
	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		const struct bbpf_program *p = bbpf_object_program(obj, i);
		struct bbpf_relo_counts rc;

		memset(&rc, 0, sizeof(rc));
		bbpf_program_relo_counts(p, &rc);
		bbpf_cli_json_obj_begin(j);
		bbpf_cli_json_kv_str(j, "name", bbpf_program_name(p));
		bbpf_cli_json_kv_str(j, "section", bbpf_program_section(p));
		bbpf_cli_json_kv_str(j, "type",
				     bbpf_cli_prog_type_name(bbpf_program_type(p), tb, sizeof(tb)));
		bbpf_cli_json_kv_str(j, "expected_attach_type",
				     bbpf_cli_attach_type_name(p, ab, sizeof(ab)));
		bbpf_cli_json_kv_str(j, "attach_target", bbpf_program_attach_target(p));
		bbpf_cli_json_kv_u64(j, "flags", bbpf_program_flags(p));
		bbpf_cli_json_kv_u64(j, "insns", bbpf_program_insn_cnt(p));
		bbpf_cli_json_kv_u64(j, "section_insn_off", bbpf_program_section_insn_off(p));
		bbpf_cli_json_kv_bool(j, "autoload", bbpf_program_autoload(p));
		bbpf_cli_json_key(j, "relocations");
		bbpf_cli_json_obj_begin(j);
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

	bbpf_cli_json_key(j, "init_slots");
	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		if (bbpf_map_init_slot(m, i, &slot, &target))
			continue;
		bbpf_cli_json_obj_begin(j);
		bbpf_cli_json_kv_u64(j, "slot", slot);
		bbpf_cli_json_kv_str(j, "target", target);
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_arr_end(j);
}

static void json_maps(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	char tb[BBPF_CLI_NAME_BUF], pb[BBPF_CLI_NAME_BUF];
	size_t i, n = bbpf_object_map_cnt(obj);

	bbpf_cli_json_key(j, "maps");
	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		bbpf_cli_json_obj_begin(j);
		bbpf_cli_json_kv_str(j, "name", bbpf_map_name(m));
		bbpf_cli_json_kv_str(j, "type",
				     bbpf_cli_map_type_name(bbpf_map_type(m), tb, sizeof(tb)));
		bbpf_cli_json_kv_u64(j, "key_size", bbpf_map_key_size(m));
		bbpf_cli_json_kv_u64(j, "value_size", bbpf_map_value_size(m));
		bbpf_cli_json_kv_u64(j, "max_entries", bbpf_map_max_entries(m));
		bbpf_cli_json_kv_u64(j, "flags", bbpf_map_flags(m));
		bbpf_cli_json_kv_str(j, "pinning",
				     bbpf_cli_pinning_name(bbpf_map_pinning(m), pb, sizeof(pb)));
		bbpf_cli_json_kv_str(j, "kind", bbpf_cli_map_kind_name(bbpf_map_kind(m)));
		bbpf_cli_json_kv_str(j, "inner_map", bbpf_cli_inner_name(m));
		bbpf_cli_json_kv_u64(j, "numa_node", bbpf_map_numa_node(m));
		bbpf_cli_json_kv_u64(j, "map_extra", bbpf_map_extra(m));
		bbpf_cli_json_kv_u64(j, "btf_key_type_id", bbpf_map_btf_key_type_id(m));
		bbpf_cli_json_kv_u64(j, "btf_value_type_id", bbpf_map_btf_value_type_id(m));
		json_init_slots(j, m);
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_arr_end(j);
}

static void json_data_sections(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_map_cnt(obj);

	bbpf_cli_json_key(j, "data_sections");
	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		if (!bbpf_cli_is_data_section(m))
			continue;
		bbpf_cli_json_obj_begin(j);
		bbpf_cli_json_kv_str(j, "name", bbpf_map_name(m));
		bbpf_cli_json_kv_str(j, "kind", bbpf_cli_map_kind_name(bbpf_map_kind(m)));
		bbpf_cli_json_kv_u64(j, "size", bbpf_map_value_size(m));
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_arr_end(j);
}

static void json_externs(struct bbpf_cli_json *j, const struct bbpf_object *obj)
{
	size_t i, n = bbpf_object_extern_cnt(obj);

	bbpf_cli_json_key(j, "externs");
	bbpf_cli_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(obj, i);
		bool kcfg = bbpf_extern_kind(e) == BBPF_EXTERN_KCONFIG;

		bbpf_cli_json_obj_begin(j);
		bbpf_cli_json_kv_str(j, "name", bbpf_extern_name(e));
		bbpf_cli_json_kv_str(j, "kind", bbpf_cli_extern_kind_name(bbpf_extern_kind(e)));
		bbpf_cli_json_kv_bool(j, "weak", bbpf_extern_is_weak(e));
		/* typed/func describe ksyms only */
		bbpf_cli_json_key(j, "typed");
		if (kcfg)
			bbpf_cli_json_null(j);
		else
			bbpf_cli_json_bool(j, bbpf_extern_is_typed(e));
		bbpf_cli_json_key(j, "func");
		if (kcfg)
			bbpf_cli_json_null(j);
		else
			bbpf_cli_json_bool(j, bbpf_extern_is_func(e));
		bbpf_cli_json_kv_u64(j, "btf_id", bbpf_extern_btf_id(e));
		bbpf_cli_json_kv_str(j, "kcfg_type",
				     kcfg ? bbpf_cli_kcfg_type_name(bbpf_extern_kcfg_type(e)) : NULL);
		bbpf_cli_json_kv_bool(j, "signed", bbpf_extern_is_signed(e));
		bbpf_cli_json_kv_u64(j, "size", bbpf_extern_size(e));
		bbpf_cli_json_kv_u64(j, "offset", bbpf_extern_data_off(e));
		bbpf_cli_json_obj_end(j);
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
	bbpf_cli_json_key(j, "btf");
	bbpf_cli_json_obj_begin(j);
	bbpf_cli_json_kv_bool(j, "present", s.has_btf);
	bbpf_cli_json_kv_bool(j, "ext_present", s.has_btf_ext);
	bbpf_cli_json_kv_u64(j, "types", s.type_cnt);
	bbpf_cli_json_kv_u64(j, "strings_bytes", s.str_len);
	bbpf_cli_json_key(j, "kinds");
	bbpf_cli_json_obj_begin(j);
	for (k = 0; k < 32; k++) {
		if (!s.kind_cnt[k])
			continue;
		name = bbpf_cli_btf_kind_name(k);
		if (!name) {
			bbpf_snprintf(kb, sizeof(kb), "unknown(%u)", k);
			name = kb;
		}
		bbpf_cli_json_kv_u64(j, name, s.kind_cnt[k]);
	}
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_kv_u64(j, "func_info", s.func_info_cnt);
	bbpf_cli_json_kv_u64(j, "line_info", s.line_info_cnt);
	bbpf_cli_json_kv_u64(j, "core_relo", s.core_relo_cnt);
	bbpf_cli_json_obj_end(j);
}

int bbpf_cli_inspect_json(struct bbpf_object *obj, bool pretty)
{
	struct bbpf_cli_json j;

	bbpf_cli_json_init(&j, stdout, pretty);
	bbpf_cli_json_obj_begin(&j);
	bbpf_cli_json_kv_str(&j, "name", bbpf_object_name(obj));
	bbpf_cli_json_kv_str(&j, "license", bbpf_object_license(obj));
	bbpf_cli_json_kv_u64(&j, "kern_version", bbpf_object_kern_version(obj));
	bbpf_cli_json_kv_str(&j, "endian", bbpf_cli_endian_name(obj));
	json_programs(&j, obj);
	bbpf_cli_json_kv_u64(&j, "subprograms", bbpf_object_subprog_cnt(obj));
	json_maps(&j, obj);
	json_data_sections(&j, obj);
	bbpf_cli_inspect_globals_json(&j, obj);
	json_externs(&j, obj);
	json_btf(&j, obj);
	bbpf_cli_json_obj_end(&j);
	bbpf_cli_json_finish(&j);
	return ferror(stdout) ? -1 : 0;
}
