/* SPDX-License-Identifier: BSD-2-Clause */
/* see tiny_obj.h */
#include <stdio.h>
#include <stdlib.h>
#include <linux/btf.h>
#include "btf_builder.h"
#include "elf_builder.h"
#include "tiny_obj.h"

uint8_t *tk_tiny_object(const char *const *secs, size_t cnt, size_t *len)
{
	static const uint8_t insns[16] = { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	char name[32];
	uint8_t *img;
	size_t i;

	for (i = 0; i < cnt; i++) {
		uint32_t sec = eb_add_section(b, secs[i], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
					      insns, sizeof(insns), 0, 0, 0, 8);

		snprintf(name, sizeof(name), "prog%zu", i);
		eb_add_sym(b, name, 0, sizeof(insns), (uint16_t)sec, STB_GLOBAL, STT_FUNC);
	}
	eb_add_section(b, "license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, "GPL", 4, 0, 0, 0, 1);
	eb_build(b, EB_SHDRS_LAST);
	img = eb_take(b, len);
	eb_free(b);
	return img;
}

uint8_t *tk_tiny_vmlinux(const char *const *funcs, size_t func_cnt, const char *const *raw_tps,
			 size_t raw_tp_cnt, uint32_t *len)
{
	struct bb_btf b;
	uint32_t proto;
	uint8_t *raw;
	char name[128];
	size_t i;

	bb_btf_init(&b);
	proto = bb_btf_add_func_proto(&b, 0);
	for (i = 0; i < func_cnt; i++)
		bb_btf_add_func(&b, funcs[i], proto, BTF_FUNC_GLOBAL);
	for (i = 0; i < raw_tp_cnt; i++) {
		snprintf(name, sizeof(name), "btf_trace_%s", raw_tps[i]);
		bb_btf_add_typedef(&b, name, bb_btf_add_ptr(&b, proto));
	}
	raw = bb_btf_raw(&b, false, len);
	bb_btf_free(&b);
	return raw;
}
