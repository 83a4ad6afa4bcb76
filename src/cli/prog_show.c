/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf prog { show | list } [PROG]
 * barebpf prog pin PROG FILE (bbpf_cli_kobj_pin_cmd, kobj.c)
 * barebpf prog run PROG [data_in FILE [data_out FILE] [data_size_out L]]
 *                  [ctx_in FILE [ctx_out FILE] [ctx_size_out M]] [repeat N]
 *
 * Output as bpftool 7.1's (text and JSON, field for field). Not printed:
 * "pids" (Debian's bpftool is built without skeletons and prints none) and
 * "metadata" (the BTF-typed bpf_metadata_* values need the BTF value
 * printer of src/dump/; see metadata_hook()).
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kobj.h"
#include "textfile.h"
#include "../base/fmt.h"

#define RUN_DEFAULT_OUT	(32u << 10)	/* bpftool's default data/ctx out size */
#define RUN_IN_MAX	(64u << 20)	/* largest data_in/ctx_in file read */

/*
 * Hook for the bpf_metadata_* variables bpftool prints from a program's
 * .rodata ("metadata": {...}): they are BTF-typed values, printed by the
 * BTF value printer (src/dump/, another piece). Until it lands, nothing is
 * printed for them, so programs that have such variables differ from
 * bpftool by that member.
 */
static void metadata_hook(struct bbpf_cli_kobj *k, int fd, const struct bpf_prog_info *info)
{
	(void)k;
	(void)fd;
	(void)info;
}

static void print_map_ids(struct bbpf_cli_kobj *k, int fd, uint32_t cnt)
{
	struct bpf_prog_info info;
	uint32_t *ids, len = sizeof(info);

	ids = calloc(cnt, sizeof(*ids));
	if (!ids)
		return;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = cnt;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	if (bbpf_cmd_obj_info(k->sys, fd, &info, &len) || !info.nr_map_ids)
		goto out;
	bbpf_cli_kobj_ids(k, "map_ids", ids, info.nr_map_ids < cnt ? info.nr_map_ids : cnt);
out:
	free(ids);
}

static void tag_str(const uint8_t *tag, char *buf)
{
	unsigned int i;

	for (i = 0; i < BPF_TAG_SIZE; i++)
		bbpf_snprintf(buf + 2 * i, 3, "%02x", tag[i]);
}

/* The first part, shared with "prog dump" of several programs. */
void bbpf_cli_prog_header(struct bbpf_cli_kobj *k, const struct bpf_prog_info *info, int fd);

void bbpf_cli_prog_header(struct bbpf_cli_kobj *k, const struct bpf_prog_info *info, int fd)
{
	const char *type = bbpf_prog_type_str(info->type);
	char name[BBPF_CLI_PROG_NAME_MAX], tag[2 * BPF_TAG_SIZE + 1];

	tag_str(info->tag, tag);
	if (info->name[0])
		bbpf_cli_kobj_prog_name(k, info, fd, name, sizeof(name));
	bbpf_cli_kobj_head(k, info->id, type, info->type, info->name[0] ? name : NULL);
	bbpf_cli_kobj_s(k, "tag", "tag %s", tag);
	if (k->json) {
		bbpf_cli_json_kv_bool(&k->j, "gpl_compatible", info->gpl_compatible);
	} else {
		bbpf_cli_kobj_print_dev(k, info->ifindex, info->netns_dev, info->netns_ino);
		bbpf_cli_kobj_printf(k, "%s", info->gpl_compatible ? "  gpl" : "");
	}
	if (info->run_time_ns) {
		bbpf_cli_kobj_u(k, "run_time_ns", " run_time_ns %llu", info->run_time_ns);
		bbpf_cli_kobj_u(k, "run_cnt", " run_cnt %llu", info->run_cnt);
	}
	if (info->recursion_misses)
		bbpf_cli_kobj_u(k, "recursion_misses", " recursion_misses %llu",
				info->recursion_misses);
	if (!k->json)
		bbpf_cli_kobj_printf(k, "\n");
}

static int show_prog(struct bbpf_cli_kobj *k, int fd, const void *pins)
{
	struct bpf_prog_info info;
	char buf[64], memlock[64];
	int64_t loaded = 0;
	bool has_memlock;
	int err;

	err = bbpf_cli_kobj_info(k, fd, &info, sizeof(info));
	if (err)
		return bbpf_cli_kobj_errno(k, err, "cannot get program info");
	has_memlock = !bbpf_cli_kobj_fdinfo(k, fd, "memlock", memlock, sizeof(memlock));
	if (info.load_time)
		loaded = bbpf_cli_kobj_load_time(k, info.load_time, buf, sizeof(buf));
	bbpf_cli_kobj_j(k, BBPF_CLI_J_OBJ);
	bbpf_cli_prog_header(k, &info, fd);
	if (k->json)	/* text: in the header line */
		bbpf_cli_kobj_print_dev(k, info.ifindex, info.netns_dev, info.netns_ino);
	if (info.load_time) {
		if (k->json) {
			bbpf_cli_json_kv_i64(&k->j, "loaded_at", loaded);
		} else {
			bbpf_cli_kobj_printf(k, "\tloaded_at %s  ", buf);
		}
		bbpf_cli_kobj_u(k, "uid", "uid %llu\n", info.created_by_uid);
	}
	bbpf_cli_kobj_u(k, "bytes_xlated", "\txlated %lluB", info.xlated_prog_len);
	if (k->json)
		bbpf_cli_json_kv_bool(&k->j, "jited", info.jited_prog_len != 0);
	if (info.jited_prog_len)
		bbpf_cli_kobj_u(k, "bytes_jited", "  jited %lluB", info.jited_prog_len);
	else if (!k->json)
		bbpf_cli_kobj_printf(k, "  not jited");
	if (has_memlock)	/* the kernel's decimal number */
		bbpf_cli_kobj_u(k, "bytes_memlock", "  memlock %lluB",
				(uint64_t)bbpf_cli_kobj_atoll(memlock));
	if (info.nr_map_ids)
		print_map_ids(k, fd, info.nr_map_ids);
	/* btf_id: before the pinned paths in JSON, after them in text */
	if (k->json && info.btf_id)
		bbpf_cli_json_kv_i64(&k->j, "btf_id", (int32_t)info.btf_id);
	bbpf_cli_kobj_print_pinned(k, pins, info.id);
	if (!k->json && info.btf_id)
		bbpf_cli_kobj_printf(k, "\n\tbtf_id %d", (int32_t)info.btf_id);
	metadata_hook(k, fd, &info);
	bbpf_cli_kobj_j(k, BBPF_CLI_J_LINE_END);
	return 0;
}

int bbpf_cli_prog_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	(void)cmd;
	return bbpf_cli_kobj_show_cmd(opts, BBPF_CLI_OBJ_PROG, "prog show", argc, argv, show_prog);
}

/* ---- prog run ---- */

/* run_words by index / 3: the data (0) and ctx (1) channels; by index % 3: in, out, size_out. */
_Static_assert(offsetof(struct bbpf_cmd_test_run, ctx_size_out) ==
	       offsetof(struct bbpf_cmd_test_run, data_size_in) + 3 * sizeof(uint32_t) &&
	       offsetof(struct bbpf_cmd_test_run, data_size_out) ==
	       offsetof(struct bbpf_cmd_test_run, data_size_in) + sizeof(uint32_t),
	       "test run sizes: data in, out, ctx in, out");
struct run_args {
	struct {
		const char *in, *out;
		uint32_t size_out;
	} c[2];
	uint32_t repeat;
};

static const char *const run_words[] = {
	"data_in", "data_out", "data_size_out", "ctx_in", "ctx_out", "ctx_size_out", "repeat",
};

static int parse_run(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, struct run_args *r)
{
	unsigned int i, hits, which = 0;
	const char *w, *v;

	r->repeat = 1;
	while ((w = bbpf_cli_argv_next(a))) {
		for (i = 0, hits = 0; i < sizeof(run_words) / sizeof(run_words[0]); i++) {
			if (!strcmp(w, run_words[i])) {
				which = i;
				hits = 1;
				break;
			}
			if (bbpf_cli_kobj_kw(w, run_words[i])) {
				which = i;
				hits++;
			}
		}
		if (hits != 1)
			return bbpf_cli_kobj_usage(k, hits ? "ambiguous keyword '%s'" :
						   "expected data_in, data_out, data_size_out, ctx_in, "
						   "ctx_out, ctx_size_out or repeat, got '%s'", w);
		v = bbpf_cli_argv_next(a);
		if (!v)
			return bbpf_cli_kobj_usage(k, "'%s' needs a value", run_words[which]);
		if (which % 3 < 2 && which < 6) {
			*(which % 3 ? &r->c[which / 3].out : &r->c[which / 3].in) = v;
		} else if (bbpf_cli_kobj_u32(v, which < 6 ? &r->c[which / 3].size_out : &r->repeat)) {
			return bbpf_cli_kobj_usage(k, "cannot parse '%s' as a number for %s", v,
						   run_words[which]);
		}
		if (r->c[0].in && r->c[1].in && !strcmp(r->c[0].in, "-") && !strcmp(r->c[1].in, "-"))
			return bbpf_cli_kobj_usage(k, "data_in and ctx_in cannot both be stdin");
	}
	return 0;
}

/* A whole file ("-": stdin) into a malloc'ed buffer. */
static int read_input(struct bbpf_cli_kobj *k, const char *path, void **buf, uint32_t *len)
{
	size_t n = 0;
	int err;
	char *b = bbpf_cli_slurp(path, RUN_IN_MAX, &n, &err);

	*buf = NULL;
	*len = 0;
	if (!b && err == -EFBIG)
		return bbpf_cli_kobj_err(k, "%s: larger than %u bytes", path, RUN_IN_MAX);
	if (!b)
		return bbpf_cli_kobj_errno(k, err, "cannot read %s", path);
	*buf = b;
	*len = (uint32_t)n;
	return 0;
}

/* bpftool's hex_print(): offset, 16 bytes in pairs, then the printable ones; a line at a time. */
static void hex_dump(struct bbpf_cli_kobj *k, const uint8_t *d, uint32_t size)
{
	static const char digits[] = "0123456789abcdef";
	char line[80], *p;
	uint32_t i, j;

	for (i = 0; i < size; i += 16) {
		p = line + bbpf_snprintf(line, sizeof(line), "%07x\t", i);
		for (j = i; j < i + 16; j++) {
			*p++ = j < size ? digits[d[j] >> 4] : ' ';
			*p++ = j < size ? digits[d[j] & 15] : ' ';
			if (j % 2)
				*p++ = ' ';
		}
		*p++ = '|';
		*p++ = ' ';
		for (j = i; j < i + 16 && j < size; j++) {
			*p++ = d[j] < ' ' || d[j] > '~' ? '.' : (char)d[j];
			if (j == i + 7)
				*p++ = ' ';
		}
		*p++ = '\n';
		*p = '\0';
		bbpf_cli_kobj_printf(k, "%s", line);
	}
}

/*
 * data into a new file at path (also "prog dump ... file"): 0, or 1 with
 * why in err.
 */
int bbpf_cli_prog_write(const char *path, const void *d, uint32_t size, int mode, char *err,
			size_t err_size);

int bbpf_cli_prog_write(const char *path, const void *d, uint32_t size, int mode, char *err,
			size_t err_size)
{
	size_t done = 0;
	ssize_t n;
	int fd = bbpf_cli_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (unsigned int)mode);

	if (fd < 0) {
		bbpf_snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	while (done < size) {
		n = write(fd, (const char *)d + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) || done != size) {
		bbpf_snprintf(err, err_size, "cannot write %s", path);
		return 1;
	}
	return 0;
}

/* Print ("-") or write out what the run produced. 0, or 1 with why in err. */
static int run_output(struct bbpf_cli_kobj *k, const void *d, uint32_t size, const char *path,
		      const char *key, char *err, size_t err_size)
{
	if (!path)
		return 0;
	if (strcmp(path, "-"))
		return bbpf_cli_prog_write(path, d, size, 0644, err, err_size);
	if (k->json) {
		bbpf_cli_json_key(&k->j, key);
		bbpf_cli_json_bytes(&k->j, d, size, false);
	} else {
		hex_dump(k, d, size);
	}
	return 0;
}

int bbpf_cli_prog_test_run(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cmd_test_run t = { 0 };
	struct run_args r = { 0 };
	struct bbpf_cli_kobj k;
	/* per channel (data, ctx): in, out, as in t's pointers and sizes */
	void *b[4] = { NULL, NULL, NULL, NULL };
	uint32_t len[4] = { 0, 0, 0, 0 };
	char why[512] = "";
	int ret, fd = -1, err, bad = 0, c;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "prog run", argc, argv);
	if (ret)
		return ret;
	if (a.c < 4) {
		ret = bbpf_cli_kobj_usage(&k, "expected PROG data_in FILE (or ctx_in FILE) ...");
		goto out;
	}
	fd = bbpf_cli_kobj_prog_fd(&k, &a);
	if (fd < 0) {
		ret = -fd;
		fd = -1;
		goto out;
	}
	ret = parse_run(&k, &a, &r);
	for (c = 0; c < 2 && !ret; c++)
		if (r.c[c].in)
			ret = read_input(&k, r.c[c].in, &b[2 * c], &len[2 * c]);
	if (ret)
		goto out;
	for (c = 0; c < 2; c++) {
		if (!r.c[c].in)
			continue;
		len[2 * c + 1] = r.c[c].size_out ? r.c[c].size_out : RUN_DEFAULT_OUT;
		b[2 * c + 1] = calloc(len[2 * c + 1], 1);
		if (!b[2 * c + 1]) {
			ret = bbpf_cli_kobj_err(&k, "out of memory");
			goto out;
		}
	}
	t.data_in = b[0];
	t.data_out = b[1];
	t.ctx_in = b[2];
	t.ctx_out = b[3];
	memcpy(&t.data_size_in, len, sizeof(len));	/* data_size_in ... ctx_size_out */
	t.repeat = r.repeat;
	err = bbpf_cmd_prog_test_run(k.sys, fd, &t);
	if (err) {
		ret = bbpf_cli_kobj_errno(&k, err, "cannot run the program");
		goto out;
	}
	bbpf_cli_kobj_j(&k, BBPF_CLI_J_OBJ);
	/* As bpftool: output problems do not hide the return value. */
	len[1] = t.data_size_out;
	len[3] = t.ctx_size_out;
	for (c = 0; c < 2 && !bad; c++)
		if (len[2 * c + 1])
			bad = run_output(&k, b[2 * c + 1], len[2 * c + 1], r.c[c].out,
					 run_words[3 * c + 1], why, sizeof(why));
	if (k.json) {
		bbpf_cli_json_kvs(&k.j, "uretval\0uduration\0", (uint64_t)t.retval,
				  (uint64_t)t.duration);
	} else {
		bbpf_cli_kobj_printf(&k, "Return value: %u, duration%s: %uns\n", t.retval,
				     r.repeat > 1 ? " (average)" : "", t.duration);
	}
	/* In JSON the error becomes a member of the result object. */
	ret = bad ? bbpf_cli_kobj_err(&k, "%s", why) : 0;
	if (!bad)
		bbpf_cli_kobj_j(&k, BBPF_CLI_J_OBJ_END);
out:
	if (fd >= 0)
		bbpf_cli_kobj_fdclose(&k, fd);
	for (c = 0; c < 4; c++)
		free(b[c]);
	return bbpf_cli_kobj_close(&k, ret);
}
