// SPDX-License-Identifier: BSD-2-Clause
/* see dump_sig.h */
#include "../base/fmt.h"
#include "dump_sig.h"

static void fail(struct bbpf_dump_sig *s)
{
	if (s->strict) {
		s->pos = -1;
		s->b[0] = '\0';
	}
}

void bbpf_dump_sig_put(struct bbpf_dump_sig *s, const char *a, const char *b)
{
	for (int i = 0; i < 2; i++, a = b) {
		for (; s->pos >= 0 && a && *a; a++) {
			if (s->pos + 1 >= s->size) {
				fail(s);
				return;
			}
			s->b[s->pos++] = *a;
			s->b[s->pos] = '\0';
		}
	}
}

static const char *str_or_empty(const struct bbpf_btf *btf, uint32_t off)
{
	const char *s = bbpf_btf_str(btf, off);

	return s ? s : "";
}

/* proto with the function's name ("" for a bare prototype). */
static void sig_func(struct bbpf_dump_sig *s, const struct btf_type *proto, const char *name,
		     int depth)
{
	const struct btf_param *p;
	uint32_t i, n;

	if (!proto || bbpf_btf_kind(proto) != BTF_KIND_FUNC_PROTO) {
		fail(s);
		return;
	}
	bbpf_dump_sig_type(s, proto->type, depth + 1);
	bbpf_dump_sig_put(s, name, "(");
	n = bbpf_btf_vlen(proto);
	p = bbpf_btf_params(proto);
	for (i = 0; i < n; i++) {
		if (i)
			bbpf_dump_sig_put(s, ", ", NULL);
		if (!p[i].type) {
			bbpf_dump_sig_put(s, "...", NULL);
			continue;
		}
		bbpf_dump_sig_type(s, p[i].type, depth + 1);
		if (p[i].name_off)
			bbpf_dump_sig_put(s, str_or_empty(s->btf, p[i].name_off), NULL);
		else if (s->pos > 0 && s->b[s->pos - 1] == ' ')
			s->b[--s->pos] = '\0';	/* no name: drop the space after the type */
	}
	bbpf_dump_sig_put(s, ")", NULL);
}

void bbpf_dump_sig_type(struct bbpf_dump_sig *s, uint32_t id, int depth)
{
	/* by kind - BTF_KIND_VOLATILE */
	static const char mods[][10] = { "volatile ", "const ", "restrict " };
	const struct btf_type *t;
	const char *name;
	unsigned int kind;
	char num[16];

	if (s->pos < 0)
		return;
	if (!id && (depth <= BBPF_DUMP_SIG_DEPTH || !s->strict)) {
		bbpf_dump_sig_put(s, "void ", NULL);
		return;
	}
	t = id ? bbpf_btf_type(s->btf, id) : NULL;
	if (!t || depth > BBPF_DUMP_SIG_DEPTH) {
		fail(s);
		return;
	}
	name = str_or_empty(s->btf, t->name_off);
	kind = bbpf_btf_kind(t);
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		bbpf_dump_sig_put(s, name, " ");
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		bbpf_dump_sig_put(s, kind == BTF_KIND_STRUCT ||
				     (kind == BTF_KIND_FWD && !bbpf_btf_kflag(t)) ? "struct " :
				     kind == BTF_KIND_UNION || kind == BTF_KIND_FWD ? "union " :
				     "enum ", name);
		bbpf_dump_sig_put(s, " ", NULL);
		break;
	case BTF_KIND_ARRAY:
		bbpf_dump_sig_type(s, bbpf_btf_array(t)->type, depth + 1);
		/* bpftool's %d; the lenient text had the count unsigned */
		bbpf_snprintf(num, sizeof(num), s->strict ? "[%d]" : "[%u]",
			      bbpf_btf_array(t)->nelems);
		bbpf_dump_sig_put(s, num, NULL);
		break;
	case BTF_KIND_PTR:
		bbpf_dump_sig_type(s, t->type, depth + 1);
		bbpf_dump_sig_put(s, "* ", NULL);
		break;
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
		bbpf_dump_sig_put(s, mods[kind - BTF_KIND_VOLATILE], NULL);
		bbpf_dump_sig_type(s, t->type, depth + 1);
		break;
	case BTF_KIND_FUNC_PROTO:
		sig_func(s, t, "", depth);
		break;
	case BTF_KIND_FUNC:
		if (s->strict)
			sig_func(s, bbpf_btf_type(s->btf, t->type), name, depth);
		break;
	case BTF_KIND_VAR:
		if (!s->strict)
			break;
		if (bbpf_btf_var(t)->linkage == BTF_VAR_STATIC)
			bbpf_dump_sig_put(s, "static ", NULL);
		bbpf_dump_sig_type(s, t->type, depth + 1);
		bbpf_dump_sig_put(s, " ", name);
		break;
	case BTF_KIND_DATASEC:
		if (s->strict)
			bbpf_dump_sig_put(s, "section (\"", name), bbpf_dump_sig_put(s, "\") ", NULL);
		break;
	default:
		fail(s);
	}
}
