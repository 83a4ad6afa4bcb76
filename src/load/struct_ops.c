/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * struct_ops maps at load, as libbpf does it: the object's struct (its name
 * less a "___flavor" suffix) is found in vmlinux BTF with its wrapper
 * struct bpf_struct_ops_<name>, whose "data" member holds it. The map is
 * created with the wrapper's size and type id (map_create.c); its value is
 * the wrapper with the object's data members copied into "data" by name
 * (sizes must agree; a member the kernel lacks must be zero) and, once the
 * programs are loaded, each function pointer set to its program's fd. Each
 * program is loaded with attach_btf_id = the kernel struct and
 * expected_attach_type = the index of its member there. The value goes to
 * the kernel when the map is attached (src/attach/struct_ops.c).
 * Only vmlinux structs: module-defined struct_ops types are not looked up.
 */
#include <errno.h>
#include <string.h>
#include "load.h"
#include "../base/fmt.h"

#ifdef BBPF_NO_STRUCT_OPS	/* the init build: objects with struct_ops fail to open (src/obj/struct_ops.c) */
int bbpf_struct_ops_prepare(struct bbpf_inst *inst)
{
	(void)inst;
	return 0;
}

int bbpf_struct_ops_fill(struct bbpf_inst *inst)
{
	(void)inst;
	return 0;
}
#else
#define WRAPPER_PREFIX "bpf_struct_ops_"

/* Member of kernel struct t named name: its index, or -1. */
static int kmember(const struct bbpf_btf *k, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i;

	for (i = 0; i < bbpf_btf_vlen(t); i++)
		if (!strcmp(bbpf_btf_str(k, m[i].name_off) ?: "", name))
			return (int)i;
	return -1;
}

static bool all_zero(const uint8_t *p, uint64_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static const struct btf_type *kind_of(const struct bbpf_btf *btf, uint32_t id, uint32_t kind)
{
	const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, id));

	return t && bbpf_btf_kind(t) == kind ? t : NULL;
}

/* The slot (program) of local member mi, or NULL. */
static const struct bbpf_init_slot *slot_of(const struct bbpf_map *m, uint32_t mi, uint32_t *si)
{
	for (*si = 0; *si < m->slot_cnt; (*si)++)
		if (m->slots[*si].slot == mi)
			return &m->slots[*si];
	return NULL;
}

static int set_prog(struct bbpf_inst *inst, uint32_t idx, const char *name, uint32_t btf_id,
		    uint32_t member)
{
	const struct bbpf_program *p = bbpf_object_find_program(inst->obj, name);
	struct bbpf_inst_st_prog *sp;

	if (!p)
		return -ENOENT;
	sp = &inst->st_progs[bbpf_prog_idx(p)];
	if (sp->btf_id && (sp->btf_id != btf_id || sp->member != member))
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -EINVAL,
				      "program '%s' is used for two different members", name);
	sp->btf_id = btf_id;
	sp->member = member;
	return 0;
}

static int prepare_map(struct bbpf_inst *inst, struct bbpf_btf *k, uint32_t idx)
{
	const struct bbpf_map *m = &inst->obj->maps[idx];
	const struct bbpf_btf *btf = inst->obj->btf;
	struct bbpf_inst_map *im = &inst->maps[idx];
	const struct btf_type *lt = bbpf_btf_type(btf, m->btf_value_type_id), *kt, *wt;
	const struct btf_member *lm = bbpf_btf_members(lt), *km;
	const char *lname = bbpf_btf_str(btf, lt->name_off) ?: "";
	char wname[sizeof(WRAPPER_PREFIX) + 127];
	const char *tname = wname + sizeof(WRAPPER_PREFIX) - 1;	/* the struct's own name */
	const char *flavor = lname;
	uint32_t kid, wid, data_off, i, si;
	int d, err;

	/* strstr(lname, "___") without musl's 1.3 KiB two-way strstr */
	while (*flavor && strncmp(flavor, "___", 3))
		flavor++;
	bbpf_snprintf(wname, sizeof(wname), WRAPPER_PREFIX "%.*s", (int)(flavor - lname), lname);
	kid = bbpf_btf_find_by_name_kind(k, tname, BTF_KIND_STRUCT);
	wid = kid ? bbpf_btf_find_by_name_kind(k, wname, BTF_KIND_STRUCT) : 0;
	kt = bbpf_btf_type(k, kid);
	wt = bbpf_btf_type(k, wid);
	d = wt ? kmember(k, wt, "data") : -1;
	if (!kt || d < 0 || bbpf_btf_skip_mods(k, bbpf_btf_members(wt)[d].type) != kid)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -ENOTSUP,
				      "struct %s is not a struct_ops type of this kernel", tname);
	data_off = bbpf_btf_member_bit_off(wt, &bbpf_btf_members(wt)[d]) / 8;
	im->st_size = wt->size;
	im->st_type_id = wid;
	im->st_value = bbpf_arena_zalloc(&inst->arena, wt->size ? wt->size : 1);
	im->st_fd_off = bbpf_arena_calloc(&inst->arena, m->slot_cnt ? m->slot_cnt : 1,
					  sizeof(uint32_t));
	if (!im->st_value || !im->st_fd_off)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -ENOMEM, "no memory for its value");
	km = bbpf_btf_members(kt);
	for (i = 0; i < bbpf_btf_vlen(lt); i++) {
		const char *name = bbpf_btf_str(btf, lm[i].name_off) ?: "";
		const struct bbpf_init_slot *s = slot_of(m, i, &si);
		uint32_t loff = bbpf_btf_member_bit_off(lt, &lm[i]) / 8, koff;
		int64_t lsize = bbpf_btf_resolve_size(btf, lm[i].type), ksize;
		int j = kmember(k, kt, name);

		if (lsize < 0 || (uint64_t)loff + (uint64_t)lsize > m->value_size)
			lsize = 0;
		if (j < 0) {
			if (!s && all_zero(m->data + loff, (uint64_t)lsize))
				continue;
			return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -ENOTSUP,
					      "member '%s' is not in the kernel's struct %s", name,
					      tname);
		}
		koff = bbpf_btf_member_bit_off(kt, &km[j]) / 8;
		ksize = bbpf_btf_resolve_size(k, km[j].type);
		if (bbpf_btf_member_bitfield_size(kt, &km[j]) || ksize < 0 ||
		    (uint64_t)data_off + koff + (uint64_t)ksize > wt->size)
			return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -ENOTSUP,
					      "member '%s' of struct %s cannot be set", name, tname);
		if (s) {
			const struct btf_type *pt = kind_of(k, km[j].type, BTF_KIND_PTR);

			if (!pt || !kind_of(k, pt->type, BTF_KIND_FUNC_PROTO))
				return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -EINVAL,
						      "member '%s' is not a function pointer in the kernel",
						      name);
			im->st_fd_off[si] = data_off + koff;
			err = set_prog(inst, idx, s->target, kid, (uint32_t)j);
			if (err)
				return err;
			continue;
		}
		if (kind_of(btf, lm[i].type, BTF_KIND_PTR))
			continue;	/* a function pointer with no program: NULL */
		if (lsize != ksize)
			return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -EINVAL,
					      "member '%s' is %lld bytes here, %lld in the kernel",
					      name, (long long)lsize, (long long)ksize);
		memcpy(im->st_value + data_off + koff, m->data + loff, (size_t)lsize);
	}
	return 0;
}

int bbpf_struct_ops_prepare(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	struct bbpf_btf *k = NULL;
	uint32_t i;
	int err;

	for (i = 0; i < obj->map_cnt; i++) {
		if (obj->maps[i].kind != BBPF_MAP_STRUCT_OPS || !obj->maps[i].autocreate)
			continue;
		if (!k) {
			err = bbpf_kernel_btf_indexed(inst->ctx, &k);
			if (err)
				return bbpf_inst_fail(inst, BBPF_STAGE_MAP, i, err,
						      "struct_ops needs the kernel's BTF");
			inst->st_progs = bbpf_arena_calloc(&inst->arena, obj->prog_cnt ?: 1,
							   sizeof(*inst->st_progs));
			if (!inst->st_progs)
				return bbpf_inst_fail(inst, BBPF_STAGE_MAP, i, -ENOMEM, "no memory");
		}
		err = prepare_map(inst, k, i);
		if (err)
			return err;
	}
	return 0;
}

int bbpf_struct_ops_fill(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t i, j;

	for (i = 0; i < obj->map_cnt; i++) {
		const struct bbpf_map *m = &obj->maps[i];
		struct bbpf_inst_map *im = &inst->maps[i];

		for (j = 0; im->st_value && j < m->slot_cnt; j++) {
			int fd = bbpf_program_fd(bbpf_object_find_program(obj, m->slots[j].target));
			uint64_t v = (uint64_t)(int64_t)fd;

			/*
			 * A member whose program the caller turned off: the load goes
			 * on, as libbpf's, and the value keeps an invalid fd, so the
			 * kernel refuses the registration (-EBADF), as it does libbpf's.
			 */
			if (fd < 0) {
				v = UINT64_MAX;
				bbpf_inst_log(inst, BBPF_LOG_INFO, "map '%s': program '%s' of member "
					      "%u is not loaded: registering it will fail", m->name,
					      m->slots[j].target, m->slots[j].slot);
			}
			memcpy(im->st_value + im->st_fd_off[j], &v, sizeof(v));
		}
	}
	return 0;
}
#endif /* BBPF_NO_STRUCT_OPS */
