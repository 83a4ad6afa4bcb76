/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * USDT spec ids of a loaded object: keys of its __bpf_usdt_specs array,
 * handed to USDT links and returned by their undo (load.h).
 */
#include <errno.h>
#include <string.h>
#include "load.h"

int bbpf_usdt_ids_get(struct bbpf_inst *inst, uint32_t max, struct bbpf_usdt_ids **out)
{
	const struct bbpf_alloc *a = &inst->ctx->alloc;
	struct bbpf_usdt_ids *ids = inst->usdt_ids;

	if (!ids) {
		ids = a->resize(a->ctx, NULL, 0, sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		memset(ids, 0, sizeof(*ids));
		ids->alloc = *a;
		ids->refs = 1;	/* the instance's */
		ids->max = max;
		inst->usdt_ids = ids;
	}
	ids->refs++;
	*out = ids;
	return 0;
}

int bbpf_usdt_ids_alloc(struct bbpf_usdt_ids *ids, uint32_t *id)
{
	if (ids->free_cnt) {
		*id = ids->free[--ids->free_cnt];
		return 0;
	}
	if (ids->next >= ids->max)
		return -E2BIG;
	/* Room to take every id handed out back: release never allocates. */
	if (ids->next == ids->free_cap) {
		uint32_t cap = ids->free_cap ? ids->free_cap * 2 : 16;
		uint32_t *n;

		if (cap > ids->max)
			cap = ids->max;
		n = ids->alloc.resize(ids->alloc.ctx, ids->free, ids->free_cap * sizeof(*n),
				      cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ids->free = n;
		ids->free_cap = cap;
	}
	*id = ids->next++;
	return 0;
}

void bbpf_usdt_ids_release(struct bbpf_usdt_ids *ids, uint32_t id)
{
	/* An orphan's ids are never handed out again. free_cnt < next <= free_cap. */
	if (!ids->orphan && id < ids->next && ids->free_cnt < ids->free_cap)
		ids->free[ids->free_cnt++] = id;
}

void bbpf_usdt_ids_put(struct bbpf_usdt_ids *ids)
{
	struct bbpf_alloc a;

	if (!ids || --ids->refs)
		return;
	a = ids->alloc;
	if (ids->free)
		a.resize(a.ctx, ids->free, ids->free_cap * sizeof(*ids->free), 0);
	a.resize(a.ctx, ids, sizeof(*ids), 0);
}

void bbpf_usdt_ids_orphan(struct bbpf_inst *inst)
{
	struct bbpf_usdt_ids *ids = inst->usdt_ids;

	if (!ids)
		return;
	inst->usdt_ids = NULL;
	ids->orphan = true;
	bbpf_usdt_ids_put(ids);
}
