/* SPDX-License-Identifier: BSD-2-Clause */
/* see run_attach.h */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "run_attach.h"
#include "textfile.h"
#include "../base/uapi_compat.h"

/* The options, as indexes of vals[] and cnt[]. */
enum { OPT_XDP, OPT_TC, OPT_CGROUP };
static const char *const names[] = { "--xdp", "--tc", "--cgroup" };

/* "DEV:ingress" or "DEV:egress": the device name's length, or 0. */
static size_t tc_split(const char *v, bool *ingress)
{
	const char *c = strrchr(v, ':');

	if (!c || c == v)
		return 0;
	if (!strcmp(c + 1, "ingress"))
		*ingress = true;
	else if (!strcmp(c + 1, "egress"))
		*ingress = false;
	else
		return 0;
	return (size_t)(c - v);
}

int bbpf_cli_run_att_opt(struct bbpf_cli_run_att *r, const struct bbpf_cli_cmd *cmd, int argc,
			 char **argv, int *i)
{
	const char *v, **n;
	bool ingress;
	int k;

	for (k = 0; k < 3 && strcmp(argv[*i], names[k]); k++)
		;
	if (k == 3)
		return 0;
	if (*i + 1 >= argc) {
		bbpf_cli_usage_error(cmd, "'%s' needs a value", names[k]);
		return -1;
	}
	v = argv[++*i];
	if (!v[0] || (k == OPT_TC && !tc_split(v, &ingress))) {
		bbpf_cli_usage_error(cmd, k == OPT_TC ? "--tc wants DEV:ingress or DEV:egress, got '%s'"
						      : "'%s' needs a value", k == OPT_TC ? v : names[k]);
		return -1;
	}
	n = realloc(r->vals[k], (r->cnt[k] + 1) * sizeof(*n));
	if (!n) {
		bbpf_cli_err("out of memory");
		return -1;
	}
	n[r->cnt[k]++] = v;
	r->vals[k] = n;
	return 1;
}

static int keep(struct bbpf_cli_run_att *r, struct bbpf_link *l)
{
	struct bbpf_link **n = realloc(r->links, (r->link_cnt + 1) * sizeof(*n));

	if (!n) {
		bbpf_link_destroy(l);
		bbpf_cli_err("out of memory");
		return -1;
	}
	r->links = n;
	r->links[r->link_cnt++] = l;
	return 0;
}

static bool is_cgroup_type(enum bpf_prog_type t)
{
	switch (t) {
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return true;
	default:
		return false;
	}
}

/*
 * One target: each fitting program attached; the count attached, or -1
 * (printed). Not inlined: -Oz would take it and the attach functions only
 * it calls into run.c's run_loaded, 320 B larger.
 */
static __attribute__((noinline)) int attach_target(struct bbpf_cli_run_att *r,
						   struct bbpf_object *obj, int opt,
						   const char *v, const char *obj_path)
{
	bool ingress = false;
	char dev[IF_NAMESIZE + 1];
	size_t i, len;
	int ifindex = 0, cg = -1, n = 0, err, eat;

	if (opt == OPT_CGROUP) {
		cg = bbpf_cli_open(v, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
		if (cg < 0) {
			bbpf_cli_err("--cgroup %s: %s", v, strerror(errno));
			return -1;
		}
	} else {
		len = opt == OPT_TC ? tc_split(v, &ingress) : strlen(v);
		if (len >= sizeof(dev)) {
			bbpf_cli_err("%s %s: invalid devname", names[opt], v);
			return -1;
		}
		memcpy(dev, v, len);
		dev[len] = '\0';
		ifindex = (int)bbpf_cli_ifindex(dev);
		if (!ifindex) {
			bbpf_cli_err("%s %s: invalid devname %s", names[opt], v, dev);
			return -1;
		}
	}
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);
		enum bpf_prog_type t = bbpf_program_type(p);
		struct bbpf_link *l = NULL;

		if (bbpf_program_fd(p) < 0)
			continue;	/* not loaded (autoload off) */
		eat = (int)bbpf_program_expected_attach_type(p);
		if (opt == OPT_XDP && t == BPF_PROG_TYPE_XDP && eat != BPF_XDP_DEVMAP &&
		    eat != BPF_XDP_CPUMAP)
			err = bbpf_program_attach_xdp(p, ifindex, &l);
		else if (opt == OPT_TC && t == BPF_PROG_TYPE_SCHED_CLS &&
			 eat == (ingress ? BBPF_TCX_INGRESS : BBPF_TCX_EGRESS))
			err = bbpf_program_attach_tcx(p, ifindex, NULL, &l);
		else if (opt == OPT_TC && t == BPF_PROG_TYPE_SCHED_CLS && eat == 0)
			err = bbpf_program_attach_tc(p, ifindex, ingress ? BBPF_TC_INGRESS :
									   BBPF_TC_EGRESS, &l);
		else if (opt == OPT_CGROUP && is_cgroup_type(t))
			err = bbpf_program_attach_cgroup(p, cg, &l);
		else
			continue;
		if (err) {
			bbpf_cli_err("%s %s: attaching program '%s' failed: %s", names[opt], v,
				     bbpf_program_name(p), strerror(-err));
			n = -1;
			break;
		}
		if (keep(r, l)) {
			n = -1;
			break;
		}
		n++;
	}
	if (cg >= 0)
		close(cg);	/* the links hold the cgroup */
	if (!n)
		bbpf_cli_err("%s %s: no program in %s attaches there", names[opt], v, obj_path);
	return n > 0 ? n : -1;
}

int bbpf_cli_run_att_attach(struct bbpf_cli_run_att *r, struct bbpf_object *obj,
			    const char *obj_path)
{
	size_t i;
	int k;

	for (k = OPT_XDP; k <= OPT_CGROUP; k++)
		for (i = 0; i < r->cnt[k]; i++)
			if (attach_target(r, obj, k, r->vals[k][i], obj_path) < 0)
				return -1;
	return 0;
}

void bbpf_cli_run_att_free(struct bbpf_cli_run_att *r)
{
	/* in reverse: a tc link that made clsact goes after those using it */
	while (r->link_cnt)
		bbpf_link_destroy(r->links[--r->link_cnt]);
	free(r->links);
	free(r->vals[OPT_XDP]);
	free(r->vals[OPT_TC]);
	free(r->vals[OPT_CGROUP]);
	memset(r, 0, sizeof(*r));
}
