/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * usdt/PATH:PROVIDER:NAME programs and bbpf_program_attach_usdt(), as
 * libbpf 1.8's usdt.c attaches them, for BPF code written against
 * <bpf/usdt.bpf.h>:
 *  - the probe sites of PROVIDER:NAME from the target's .note.stapsdt
 *    (src/parse/usdt.h), each a file offset and a semaphore offset;
 *  - one spec per distinct argument string of the attach, encoded in the
 *    layout the object's __bpf_usdt_specs value size says (usdt.bpf.h
 *    1.0-1.6 or 1.7+), under a spec id from the object's id allocator
 *    (src/load/usdt_ids.c: ids come back when the link goes, so several
 *    USDT links of one object never collide);
 *  - the BPF program finds its spec id in the BPF cookie where the kernel
 *    has cookies (LINUX_HAS_BPF_COOKIE, decided from the same feature at
 *    load), else in __bpf_usdt_ip_to_spec_id under the site's address (a
 *    shared library's or PIE's address in process pid, from /proc/PID/maps);
 *  - a program loaded as BPF_TRACE_UPROBE_MULTI (usdt programs are, where
 *    the kernel has uprobe-multi links: src/load/prog_load.c) gets one
 *    uprobe-multi link for every site, offsets, semaphores and cookies
 *    together; any other gets one uprobe per site (uprobe.c). The kernel
 *    raises a site's semaphore while a uprobe with its ref_ctr_offset is
 *    there.
 * The link undoes all of it: uprobes, ip map entries, spec entries (zeroed)
 * and their ids, in reverse order.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include "attach.h"
#include "../base/fmt.h"
#include "../parse/usdt.h"

#define SPECS_MAP	"__bpf_usdt_specs"
#define IP_MAP		"__bpf_usdt_ip_to_spec_id"
/* /proc/PID/maps of a process with many mappings stays well below this. */
#define MAPS_MAX	(64u << 20)

struct usdt_ctx {
	struct bbpf_ctx *ctx;
	const struct bbpf_program *prog;
	struct bbpf_link *link;
	const char *path, *provider, *name;
	struct bbpf_arena arena;
	struct bbpf_uprobe_elf u;
	struct bbpf_usdt_target *t;
	uint32_t cnt;
	uint32_t *group, groups;
	uint32_t *spec_ids;	/* per group */
	uint64_t *ips;		/* per site, NULL: abs_ip */
	int specs_fd, ip_fd;		/* the object's maps */
	int specs_dup, ip_dup;		/* the link's own fds of them, for its undo */
};

static bool host_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

/* ---- /proc/PID/maps: addresses of sites in a process (kernels without cookies) ---- */

static bool hex_field(const char **p, const char *end, char stop, uint64_t *v)
{
	uint64_t n = 0;
	int digits = 0;

	for (; *p < end && **p != stop; (*p)++) {
		char c = **p;
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else
			return false;
		if (++digits > 16)
			return false;
		n = n << 4 | d;
	}
	if (!digits || *p >= end)
		return false;
	(*p)++;
	*v = n;
	return true;
}

static bool dec_field(const char **p, const char *end, uint64_t *v)
{
	uint64_t n = 0;
	int digits = 0;

	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
		if (++digits > 19)
			return false;
		n = n * 10 + (uint64_t)(**p - '0');
	}
	*v = n;
	return digits > 0;
}

/*
 * One line: "START-END PERMS OFFSET MAJ:MIN INODE   PATH". True and *vma
 * set for an executable mapping of the file (same inode and device, or the
 * same path: overlay file systems report the upper device).
 */
static bool maps_line(const char *s, const char *end, const struct bbpf_sys_file_id *id,
		      const char *path, struct bbpf_usdt_vma *vma)
{
	uint64_t start, stop, off, maj, min, ino;
	bool exec;
	size_t len;

	if (!hex_field(&s, end, '-', &start) || !hex_field(&s, end, ' ', &stop))
		return false;
	if (end - s < 5)
		return false;
	exec = s[2] == 'x';
	s += 5;
	if (!hex_field(&s, end, ' ', &off) || !hex_field(&s, end, ':', &maj) ||
	    !hex_field(&s, end, ' ', &min) || !dec_field(&s, end, &ino))
		return false;
	while (s < end && *s == ' ')
		s++;
	len = strlen(path);
	if (!exec || stop <= start)
		return false;
	if (!((ino == id->ino && maj == id->dev_major && min == id->dev_minor) ||
	      ((size_t)(end - s) == len && !memcmp(s, path, len))))
		return false;
	*vma = (struct bbpf_usdt_vma){ start, stop, off };
	return true;
}

static int site_ips(struct usdt_ctx *c, pid_t pid)
{
	struct bbpf_usdt_vma *vmas = NULL;
	size_t nvma = 0, cap = 0, len;
	char file[40], *text;
	const char *p, *e, *nl;
	uint32_t i;
	int err;

	bbpf_snprintf(file, sizeof(file), "/proc/%ld/maps", (long)pid);
	err = bbpf_sys_read_file(c->ctx, file, &c->arena, MAPS_MAX, &text, &len);
	if (err) {
		bbpf_attach_warn(c->ctx, c->prog, err, "usdt: reading %s", file);
		return err;
	}
	for (p = text, e = text + len; p < e; p = nl + 1) {
		struct bbpf_usdt_vma v;

		nl = memchr(p, '\n', (size_t)(e - p));
		if (!nl)
			nl = e;
		if (!maps_line(p, nl, &c->u.id, c->path, &v))
			continue;
		if (nvma == cap) {
			struct bbpf_usdt_vma *n;

			cap = cap ? cap * 2 : 8;
			n = bbpf_arena_alloc_array(&c->arena, cap, sizeof(*n));
			if (!n)
				return -ENOMEM;
			if (nvma)
				memcpy(n, vmas, nvma * sizeof(*n));
			vmas = n;
		}
		vmas[nvma++] = v;
	}
	c->ips = bbpf_arena_calloc(&c->arena, c->cnt, sizeof(*c->ips));
	if (!c->ips)
		return -ENOMEM;
	for (i = 0; i < c->cnt; i++) {
		err = bbpf_usdt_vma_ip(c->t[i].rel_ip, vmas, nvma, &c->ips[i]);
		if (err) {
			bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: '%s:%s' "
				      "at 0x%llx of '%s' is not mapped executable in process %ld",
				      c->provider, c->name, (unsigned long long)c->t[i].rel_ip,
				      c->path, (long)pid);
			return err;
		}
	}
	return 0;
}

/* ---- the maps ---- */

/* A spec per group, under ids from the object's allocator; each undone by the link. */
static int put_specs(struct usdt_ctx *c, struct bbpf_usdt_ids *ids, enum bbpf_usdt_layout layout,
		     uint32_t value_size, uint64_t cookie)
{
	uint8_t value[BBPF_USDT_SPEC_SIZE_V2];
	struct bbpf_usdt_spec spec;
	struct bbpf_usdt_arg_err aerr;
	uint32_t g, i;
	int err;

	c->spec_ids = bbpf_arena_calloc(&c->arena, c->groups, sizeof(*c->spec_ids));
	if (!c->spec_ids)
		return -ENOMEM;
	/* Groups are numbered in order of first appearance: g's first target is a new one. */
	for (i = 0, g = 0; i < c->cnt; i++) {
		struct bbpf_undo u = { .kind = BBPF_UNDO_USDT_SPEC, .fd = c->specs_dup,
				       .a = { 0, value_size }, .ptr = ids };
		const struct bbpf_usdt_note *note = c->t[i].note;

		if (c->group[i] != g)
			continue;
		memset(&aerr, 0, sizeof(aerr));
		err = bbpf_usdt_spec_parse(c->u.elf.machine, note->args, cookie, &spec, &aerr);
		if (err) {
			bbpf_attach_warn(c->ctx, c->prog, 0, "usdt '%s:%s' in "
				      "'%s': argument %u of \"%s\" at %u: %s", c->provider, c->name,
				      c->path, aerr.arg + 1, note->args, aerr.pos,
				      aerr.why ? aerr.why : bbpf_err_name(err));
			return err;
		}
		err = bbpf_usdt_spec_encode(&spec, layout, host_big_endian(), value, sizeof(value));
		if (err) {
			bbpf_attach_warn(c->ctx, c->prog, err, "usdt '%s:%s': "
				      "\"%s\" does not fit the %u-byte specs of this object's "
				      "usdt.bpf.h", c->provider, c->name, note->args, value_size);
			return err;
		}
		err = bbpf_usdt_ids_alloc(ids, &c->spec_ids[g]);
		if (err)
			return bbpf_attach_warn(c->ctx, c->prog, err, "usdt: no free spec id in "
						SPECS_MAP " (max_entries %u)", ids->max);
		u.a[0] = c->spec_ids[g];
		err = bbpf_link_undo_push(c->link, &u);	/* the id comes back even if this fails */
		if (err)
			return err;
		err = bbpf_cmd_map_update(&c->ctx->sys, c->specs_fd, &c->spec_ids[g], value,
					  BPF_ANY);
		if (err) {
			bbpf_attach_warn(c->ctx, c->prog, err, "usdt: setting "
				      "spec #%u for '%s:%s' failed", c->spec_ids[g], c->provider,
				      c->name);
			return err;
		}
		g++;
	}
	return 0;
}

static int put_ips(struct usdt_ctx *c)
{
	struct bbpf_usdt_ip_entry *e;
	uint32_t i, dup = 0;
	int err;

	e = bbpf_arena_calloc(&c->arena, c->cnt, sizeof(*e));
	if (!e)
		return -ENOMEM;
	err = bbpf_usdt_ip_entries(c->t, c->ips, c->cnt, c->group, c->spec_ids, &c->arena, e,
				   &dup);
	for (i = 0; !err && i < c->cnt; i++) {
		struct bbpf_undo u = { .kind = BBPF_UNDO_MAP_DELETE, .fd = c->ip_dup };
		long key = (long)e[i].ip;

		_Static_assert(sizeof(key) <= sizeof(u.a), "the key fits the undo entry");
		memcpy(u.a, &key, sizeof(key));

		err = bbpf_cmd_map_update(&c->ctx->sys, c->ip_fd, &key, &e[i].spec_id, BPF_NOEXIST);
		if (!err)
			err = bbpf_link_undo_push(c->link, &u);
		else
			dup = i;
	}
	if (err == -EEXIST)
		bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: IP collision at "
			      "0x%llx for '%s:%s' in '%s'", (unsigned long long)e[dup].ip,
			      c->provider, c->name, c->path);
	else if (err)
		bbpf_attach_warn(c->ctx, c->prog, err, "usdt: mapping IP "
			      "0x%llx to its spec failed", (unsigned long long)e[dup].ip);
	return err;
}

/* ---- the attach ---- */

static int find_maps(struct usdt_ctx *c, struct bbpf_map **specs, struct bbpf_map **ipm,
		     enum bbpf_usdt_layout *layout)
{
	*specs = bbpf_object_find_map(c->prog->obj, SPECS_MAP);
	*ipm = bbpf_object_find_map(c->prog->obj, IP_MAP);
	if (!*specs || !*ipm || bbpf_map_fd(*specs) < 0 || bbpf_map_fd(*ipm) < 0) {
		bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: the object has no " SPECS_MAP " and "
				 IP_MAP " maps: did you forget to include <bpf/usdt.bpf.h>?");
		return -ESRCH;
	}
	if (bbpf_usdt_layout_of(bbpf_map_value_size(*specs), layout) ||
	    bbpf_map_type(*specs) != BPF_MAP_TYPE_ARRAY || bbpf_map_key_size(*specs) != 4 ||
	    bbpf_map_key_size(*ipm) != sizeof(long) || bbpf_map_value_size(*ipm) != 4) {
		bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: " SPECS_MAP " (value of %u bytes) or "
				 IP_MAP " is not as any usdt.bpf.h defines it",
				 bbpf_map_value_size(*specs));
		return -EINVAL;
	}
	return 0;
}

static int collect(struct usdt_ctx *c)
{
	struct bbpf_diag diag = { 0 };
	int err;

	if (c->u.elf.big_endian != host_big_endian()) {
		bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: '%s' is of the "
			      "other byte order", c->path);
		return -EBADF;
	}
	err = bbpf_usdt_collect(&c->u.elf, c->provider, c->name, &c->arena, &c->t, &c->cnt, &diag);
	if (err == -ENOENT)
		bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: no probe '%s:%s' "
			      "in '%s'", c->provider, c->name, c->path);
	else if (err)
		bbpf_attach_warn(c->ctx, c->prog, err, "usdt: probes of '%s' "
			      "unusable (%s at 0x%llx)", c->path, bbpf_bad_str(diag.why),
			      (unsigned long long)diag.off);
	return err;
}

static bool has_semaphores(const struct usdt_ctx *c)
{
	for (uint32_t i = 0; i < c->cnt; i++)
		if (c->t[i].sema_off)
			return true;
	return false;
}

static int attach_sites(struct usdt_ctx *c, int prog_fd, pid_t pid, bool multi, bool cookies)
{
	struct bbpf_uprobe_multi_req m = { .pid = pid, .path = c->path, .cnt = c->cnt };
	unsigned long *offs, *refs;
	uint64_t *cks;
	uint32_t i;
	int err;

	if (!multi) {
		for (i = 0; i < c->cnt; i++) {
			struct bbpf_uprobe_req r = {
				.pid = pid, .path = c->path, .offset = c->t[i].rel_ip,
				.ref_ctr_offset = c->t[i].sema_off,
				.cookie = cookies ? c->spec_ids[c->group[i]] : 0 };

			err = bbpf_uprobe_attach_one(c->ctx, c->prog, prog_fd, &r, true, c->link);
			if (err)
				return err;
		}
		return 0;
	}
	/* One block: the cookies, then the offsets and the semaphores' offsets. */
	cks = bbpf_arena_calloc(&c->arena, c->cnt, sizeof(*cks) + sizeof(*offs) + sizeof(*refs));
	if (!cks)
		return -ENOMEM;
	offs = (unsigned long *)(cks + c->cnt);
	refs = offs + c->cnt;
	for (i = 0; i < c->cnt; i++) {
		offs[i] = (unsigned long)c->t[i].rel_ip;
		refs[i] = (unsigned long)c->t[i].sema_off;
		cks[i] = c->spec_ids[c->group[i]];
	}
	m.offsets = offs;
	m.ref_ctr_offsets = refs;
	m.cookies = cks;
	return bbpf_uprobe_multi_link(c->ctx, c->prog, prog_fd, &m, c->link);
}

static int usdt_attach(struct usdt_ctx *c, int prog_fd, pid_t pid, uint64_t cookie)
{
	struct bbpf_inst *inst = bbpf_inst_of(c->prog->obj);
	bool cookies = c->ctx->feat.perf_link;	/* the value LINUX_HAS_BPF_COOKIE had at load */
	bool multi = (int)bbpf_prog_load_attach_type(c->ctx, c->prog) == BBPF_TRACE_UPROBE_MULTI;
	struct bbpf_map *specs, *ipm;
	enum bbpf_usdt_layout layout;
	struct bbpf_usdt_ids *ids = NULL;	/* set on success; LTO cannot see that */
	struct bbpf_undo put = { .kind = BBPF_UNDO_USDT_PUT, .fd = -1 };
	unsigned int lo, hi;
	int err;

	err = find_maps(c, &specs, &ipm, &layout);
	if (err)
		return err;
	if (pid < 0)
		pid = -1;
	else if (pid == 0)
		pid = (pid_t)c->ctx->sys.getpid(c->ctx->sys.ctx);
	err = bbpf_uprobe_elf_open(c->ctx, c->path, &c->u);
	if (err)
		return err;
	err = collect(c);
	if (!err && has_semaphores(c)) {
		err = bbpf_pmu_format(c->ctx, "uprobe", "ref_ctr_offset", &lo, &hi);
		if (err == -ENOENT) {
			bbpf_attach_warn(c->ctx, c->prog, 0, "usdt '%s:%s' in "
				      "'%s' has a semaphore, and this kernel cannot count it "
				      "(4.20+)", c->provider, c->name, c->path);
			err = -EOPNOTSUPP;
		}
	}
	/* Without cookies the program looks its spec up by address: a process's, for ET_DYN. */
	if (!err && !cookies && c->u.elf.type == ET_DYN) {
		if (pid < 0) {
			bbpf_attach_warn(c->ctx, c->prog, 0, "usdt: a shared "
				      "library or PIE without a pid needs BPF cookies (5.15+)");
			err = -EOPNOTSUPP;
		} else {
			err = site_ips(c, pid);
		}
	}
	if (!err) {
		c->group = bbpf_arena_calloc(&c->arena, c->cnt, sizeof(*c->group));
		err = c->group ? bbpf_usdt_spec_groups(c->t, c->cnt, &c->arena, c->group,
						       &c->groups) : -ENOMEM;
	}
	if (!err)
		err = bbpf_usdt_ids_get(inst, bbpf_map_max_entries(specs), &ids);
	if (!err) {
		put.ptr = ids;
		err = bbpf_link_undo_push(c->link, &put);
	}
	c->specs_fd = bbpf_map_fd(specs);
	c->ip_fd = bbpf_map_fd(ipm);
	if (!err)
		err = c->specs_dup = bbpf_attach_dup(c->ctx, c->link, c->specs_fd);
	if (err >= 0 && !cookies)
		err = c->ip_dup = bbpf_attach_dup(c->ctx, c->link, c->ip_fd);
	if (err > 0)
		err = 0;	/* an fd */
	if (!err)
		err = put_specs(c, ids, layout, bbpf_map_value_size(specs), cookie);
	if (!err && !cookies)
		err = put_ips(c);
	if (!err)
		err = attach_sites(c, prog_fd, pid, multi, cookies);
	bbpf_uprobe_elf_close(c->ctx, &c->u);
	return err;
}

static int attach_common(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			 pid_t pid, const char *file, const char *provider, const char *name,
			 uint64_t cookie, struct bbpf_link *link)
{
	char path[BBPF_UPROBE_PATH_MAX];
	struct usdt_ctx c = { .ctx = ctx, .prog = prog, .link = link, .path = path,
			      .provider = provider, .name = name, .specs_fd = -1, .ip_fd = -1,
			      .specs_dup = -1, .ip_dup = -1 };
	int err;

	err = bbpf_uprobe_path(ctx, prog, "usdt", file, path);
	if (err)
		return err;
	bbpf_arena_init(&c.arena, &ctx->alloc, (size_t)1 << 30);
	err = usdt_attach(&c, prog_fd, pid, cookie);
	bbpf_arena_free(&c.arena);
	return err;
}

int bbpf_program_attach_usdt(struct bbpf_program *prog, pid_t pid, const char *binary_path,
			     const char *usdt_provider, const char *usdt_name,
			     const struct bbpf_usdt_opts *opts, struct bbpf_link **out)
{
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	int err, prog_fd;

	if (!binary_path || !usdt_provider || !usdt_name)
		return -EINVAL;
	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	err = attach_common(ctx, prog, prog_fd, pid, binary_path, usdt_provider, usdt_name,
			    opts ? opts->usdt_cookie : 0, link);
	return bbpf_attach_end(link, err, out);
}

/* SEC("usdt/PATH:PROVIDER:NAME"), every process (libbpf's attach_usdt). */
int bbpf_attach_usdt(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		     struct bbpf_link *link)
{
	const char *t = prog->attach_target;
	char path[BBPF_UPROBE_PATH_MAX], provider[256], name[256];
	char *field[3] = { path, provider, name };
	const size_t max[3] = { sizeof(path), sizeof(provider), sizeof(name) };

	/* Three non-empty fields, each up to the next ':' (the last one's rest ignored). */
	for (int k = 0; k < 3; k++) {
		size_t len = strcspn(t, ":");

		if (!len || len >= max[k] || (k < 2 && !t[len])) {
			bbpf_attach_warn(ctx, prog, 0, "section '%s': expected "
				      "\"usdt/PATH:PROVIDER:NAME\"", prog->sec_name);
			return -EINVAL;
		}
		memcpy(field[k], t, len);
		field[k][len] = '\0';
		t += len + 1;
	}
	return attach_common(ctx, prog, prog_fd, -1, path, provider, name, 0, link);
}
