// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel-object commands' argument parsing and output, against a fake
 * kernel (tests/lib/fake_sys.h with a small model of maps and programs):
 * what each command line sends to the kernel (ids, keys, values, flags,
 * map creation attributes, test-run buffers), the usage errors that must
 * reach no kernel at all, the error shapes (JSON {"error"} on stdout and
 * nothing on stderr with -j; one "barebpf: " line otherwise), the common
 * options anywhere on the line, the disassembler on every instruction
 * class (the real kernel's xlated code covers few), the order in which
 * bpftool lists several values of one key (checked against a model of
 * libbpf's hashmap), and the feature probe's attributes and answers.
 * The commands run in-process through bbpf_cli_main().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/kobj.h"
#include "fake_sys.h"
#include "json_mini.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ENTRIES 8

/* ---- a fake kernel: two maps, two programs ---- */

struct fmap {
	uint32_t id, type, key_size, value_size, max_entries, flags;
	const char *name, *pin;
	uint8_t keys[MAX_ENTRIES][8], vals[MAX_ENTRIES][64];
	bool used[MAX_ENTRIES];
};

struct fprog {
	uint32_t id, type;
	const char *name, *pin;
	const struct bpf_insn *insns;
	uint32_t cnt;
};

struct fk {
	struct fs_script *s;
	struct bbpf_sys sys;
	struct fmap maps[2];
	struct fprog progs[2];
	char fd_kind[2048];		/* per fake fd: 'm'ap or 'p'rog, index in what */
	uint8_t fd_what[2048];
	/* the last update, test run, map creation, pin */
	uint8_t up_key[8], up_val[64 * 4];
	uint64_t up_flags;
	union bpf_attr last_create, last_run;
	uint8_t run_data[64];
	uint32_t run_data_len;
	char pinned[256];
	/* feature probes */
	unsigned long printk_probes;	/* loads calling bpf_trace_printk */
	bool saw_tracing_probe_attrs;
};

static long fk_fd(struct fk *k, char kind, uint8_t what)
{
	long fd = fs_script_new_fd(k->s);

	if (fd >= 0 && fd < (long)sizeof(k->fd_kind)) {
		k->fd_kind[fd] = kind;
		k->fd_what[fd] = what;
	}
	return fd;
}

static struct fmap *fk_map(struct fk *k, uint32_t fd)
{
	return fd < sizeof(k->fd_kind) && k->fd_kind[fd] == 'm' ? &k->maps[k->fd_what[fd]] : NULL;
}

static struct fprog *fk_prog(struct fk *k, uint32_t fd)
{
	return fd < sizeof(k->fd_kind) && k->fd_kind[fd] == 'p' ? &k->progs[k->fd_what[fd]] : NULL;
}

static uint32_t vsize(const struct fmap *m)
{
	return m->type == BPF_MAP_TYPE_PERCPU_HASH ? ((m->value_size + 7) & ~7u) * 4 : m->value_size;
}

static long map_elem_op(struct fk *k, int cmd, union bpf_attr *a)
{
	struct fmap *m = fk_map(k, a->map_fd);
	const uint8_t *key = (const uint8_t *)(uintptr_t)a->key;
	size_t i, slot = MAX_ENTRIES;

	if (!m)
		return -EBADF;
	for (i = 0; i < MAX_ENTRIES; i++)
		if (m->used[i] && key && !memcmp(m->keys[i], key, m->key_size))
			slot = i;
	switch (cmd) {
	case BPF_MAP_UPDATE_ELEM:
		memcpy(k->up_key, key, m->key_size);
		memcpy(k->up_val, (const void *)(uintptr_t)a->value, vsize(m));
		k->up_flags = a->flags;
		if (slot == MAX_ENTRIES) {
			if (a->flags == BPF_EXIST)
				return -ENOENT;
			for (slot = 0; slot < MAX_ENTRIES && m->used[slot]; slot++)
				;
			if (slot == MAX_ENTRIES)
				return -E2BIG;
		} else if (a->flags == BPF_NOEXIST) {
			return -EEXIST;
		}
		m->used[slot] = true;
		memcpy(m->keys[slot], key, m->key_size);
		memcpy(m->vals[slot], (const void *)(uintptr_t)a->value, vsize(m) > 64 ? 64 : vsize(m));
		return 0;
	case BPF_MAP_LOOKUP_ELEM:
		if (slot == MAX_ENTRIES)
			return -ENOENT;
		memcpy((void *)(uintptr_t)a->value, m->vals[slot], vsize(m) > 64 ? 64 : vsize(m));
		return 0;
	case BPF_MAP_DELETE_ELEM:
		if (slot == MAX_ENTRIES)
			return -ENOENT;
		m->used[slot] = false;
		return 0;
	case BPF_MAP_GET_NEXT_KEY: {
		size_t from = key ? (slot == MAX_ENTRIES ? 0 : slot + 1) : 0;

		for (i = from; i < MAX_ENTRIES; i++) {
			if (m->used[i]) {
				memcpy((void *)(uintptr_t)a->next_key, m->keys[i], m->key_size);
				return 0;
			}
		}
		return -ENOENT;
	}
	}
	return -EINVAL;
}

static long fill_info(struct fk *k, union bpf_attr *a)
{
	struct fmap *m = fk_map(k, a->info.bpf_fd);
	struct fprog *p = fk_prog(k, a->info.bpf_fd);

	if (m) {
		struct bpf_map_info *mi = (void *)(uintptr_t)a->info.info;

		memset(mi, 0, a->info.info_len);
		mi->type = m->type;
		mi->id = m->id;
		mi->key_size = m->key_size;
		mi->value_size = m->value_size;
		mi->max_entries = m->max_entries;
		mi->map_flags = m->flags;
		strcpy(mi->name, m->name);
		return 0;
	}
	if (p) {
		struct bpf_prog_info *pi = (void *)(uintptr_t)a->info.info;
		uint64_t insns = pi->xlated_prog_insns;
		uint32_t room = pi->xlated_prog_len;

		memset(pi, 0, a->info.info_len);
		pi->type = p->type;
		pi->id = p->id;
		strcpy(pi->name, p->name);
		memset(pi->tag, 0xab, sizeof(pi->tag));
		pi->xlated_prog_len = p->cnt * 8;
		if (insns && room >= p->cnt * 8) {
			memcpy((void *)(uintptr_t)insns, p->insns, p->cnt * 8);
			pi->xlated_prog_insns = insns;
		}
		return 0;
	}
	return -EBADF;
}

static long next_id(uint32_t start, const uint32_t *ids, size_t n, union bpf_attr *a)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ids[i] > start) {
			a->next_id = ids[i];
			return 0;
		}
	}
	return -ENOENT;
}

static long fk_bpf(struct fs_script *s, int cmd, union bpf_attr *a, unsigned int size)
{
	struct fk *k = s->cb_ctx;
	size_t i;

	(void)size;
	switch (cmd) {
	case BPF_MAP_GET_FD_BY_ID:
		for (i = 0; i < ARRAY_LEN(k->maps); i++)
			if (k->maps[i].id == a->map_id)
				return fk_fd(k, 'm', (uint8_t)i);
		return -ENOENT;
	case BPF_PROG_GET_FD_BY_ID:
		for (i = 0; i < ARRAY_LEN(k->progs); i++)
			if (k->progs[i].id == a->prog_id)
				return fk_fd(k, 'p', (uint8_t)i);
		return -ENOENT;
	case BPF_MAP_GET_NEXT_ID: {
		uint32_t ids[] = { k->maps[0].id, k->maps[1].id };

		return next_id(a->start_id, ids, 2, a);
	}
	case BPF_PROG_GET_NEXT_ID: {
		uint32_t ids[] = { k->progs[0].id, k->progs[1].id };

		return next_id(a->start_id, ids, 2, a);
	}
	case BPF_OBJ_GET:
		for (i = 0; i < ARRAY_LEN(k->maps); i++)
			if (!strcmp(k->maps[i].pin, (const char *)(uintptr_t)a->pathname))
				return fk_fd(k, 'm', (uint8_t)i);
		for (i = 0; i < ARRAY_LEN(k->progs); i++)
			if (!strcmp(k->progs[i].pin, (const char *)(uintptr_t)a->pathname))
				return fk_fd(k, 'p', (uint8_t)i);
		return -ENOENT;
	case BPF_OBJ_GET_INFO_BY_FD:
		return fill_info(k, a);
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_GET_NEXT_KEY:
		return map_elem_op(k, cmd, a);
	case BPF_MAP_CREATE:
		if (a->map_type == 0)
			return -EINVAL;
		k->last_create = *a;
		return fk_fd(k, 'x', 0);
	case BPF_OBJ_PIN:
		snprintf(k->pinned, sizeof(k->pinned), "%s", (const char *)(uintptr_t)a->pathname);
		return 0;
	case BPF_PROG_TEST_RUN:
		k->last_run = *a;
		k->run_data_len = a->test.data_size_in < sizeof(k->run_data) ? a->test.data_size_in
									     : sizeof(k->run_data);
		memcpy(k->run_data, (const void *)(uintptr_t)a->test.data_in, k->run_data_len);
		a->test.retval = 2;
		a->test.duration = 42;
		if (a->test.data_out && a->test.data_size_out >= 4) {
			memcpy((void *)(uintptr_t)a->test.data_out, "OUT!", 4);
			a->test.data_size_out = 4;
		}
		return 0;
	case BPF_PROG_LOAD:
		if (a->insn_cnt == 2 && ((const struct bpf_insn *)(uintptr_t)a->insns)[0].code ==
		    (BPF_JMP | BPF_CALL) &&
		    ((const struct bpf_insn *)(uintptr_t)a->insns)[0].imm == BPF_FUNC_trace_printk)
			k->printk_probes++;
		if (a->prog_type == BPF_PROG_TYPE_TRACING && a->attach_btf_id == 1 &&
		    a->expected_attach_type == BPF_TRACE_FENTRY && a->log_level == 1) {
			k->saw_tracing_probe_attrs = true;
			snprintf((char *)(uintptr_t)a->log_buf, a->log_size,
				 "attach_btf_id 1 is not a function\n");
			return -EINVAL;
		}
		if (a->prog_type != BPF_PROG_TYPE_SOCKET_FILTER && a->prog_type != BPF_PROG_TYPE_XDP)
			return -EINVAL;
		/* Helpers: only the first five exist, for both types. */
		if (a->insn_cnt == 2 && ((const struct bpf_insn *)(uintptr_t)a->insns)[0].code ==
		    (BPF_JMP | BPF_CALL)) {
			int32_t id = ((const struct bpf_insn *)(uintptr_t)a->insns)[0].imm;

			if (id > 5) {
				if (a->log_buf)
					snprintf((char *)(uintptr_t)a->log_buf, a->log_size,
						 "0: (85) call bpf_x#%d\nunknown func bpf_x#%d\n", id, id);
				return -EINVAL;
			}
		}
		return fs_script_new_fd(s);
	}
	return FS_DEFAULT;
}

/* What a fake fd is, as /proc/self/fd/N says it (the script's readlink knows nothing). */
static long fk_readlink(void *ctx, const char *path, char *buf, size_t len)
{
	struct fk *k = ((struct fs_script *)ctx)->cb_ctx;
	const char *what;
	long fd;

	if (strncmp(path, "/proc/self/fd/", 14))
		return -ENOENT;
	fd = strtol(path + 14, NULL, 10);
	if (fd < 0 || fd >= (long)sizeof(k->fd_kind))
		return -ENOENT;
	what = k->fd_kind[fd] == 'm' ? "anon_inode:bpf-map" :
	       k->fd_kind[fd] == 'p' ? "anon_inode:bpf-prog" : "anon_inode:[eventfd]";
	if (strlen(what) > len)
		return -ENAMETOOLONG;
	memcpy(buf, what, strlen(what));
	return (long)strlen(what);
}

static struct fk *fk_new(void)
{
	struct fk *k = calloc(1, sizeof(*k));

	assert_non_null(k);
	k->s = calloc(1, sizeof(*k->s));
	assert_non_null(k->s);
	k->sys = fs_script_init(k->s);
	k->sys.readlink = fk_readlink;
	k->s->bpf_cb = fk_bpf;
	k->s->cb_ctx = k;
	k->maps[0] = (struct fmap){ .id = 7, .type = BPF_MAP_TYPE_HASH, .key_size = 4,
				    .value_size = 8, .max_entries = 8, .name = "fk_hash",
				    .pin = "/sys/fs/bpf/fk_hash" };
	k->maps[1] = (struct fmap){ .id = 9, .type = BPF_MAP_TYPE_PERCPU_HASH, .key_size = 4,
				    .value_size = 12, .max_entries = 4, .name = "fk_pcpu",
				    .pin = "/sys/fs/bpf/fk_pcpu" };
	k->progs[0] = (struct fprog){ .id = 5, .type = BPF_PROG_TYPE_XDP, .name = "fk_xdp",
				      .pin = "/sys/fs/bpf/fk_xdp" };
	k->progs[1] = (struct fprog){ .id = 6, .type = BPF_PROG_TYPE_SOCKET_FILTER,
				      .name = "fk_sock", .pin = "/sys/fs/bpf/fk_sock" };
	fs_script_add_file(k->s, "/sys/devices/system/cpu/possible", "0-3\n", 4);
	return k;
}

static void fk_free(struct fk *k)
{
	fs_script_fini(k->s);
	free(k->s);
	free(k);
}

/* ---- running a command line in-process ---- */

struct res {
	int code;
	char out[65536], err[4096];
};

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* words: one string, split at spaces. */
static struct res *cli(struct fk *k, const char *fmt, ...)
{
	static struct res r;
	char line[1024], *argv[64], *save = NULL, *w;
	FILE *fo = tmpfile(), *fe = tmpfile();
	int so, se, argc = 0;
	va_list ap;

	assert_non_null(fo);
	assert_non_null(fe);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[argc++] = "barebpf";
	for (w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	r.code = bbpf_cli_main(argc, argv, &k->sys);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fo, r.out, sizeof(r.out));
	slurp(fe, r.err, sizeof(r.err));
	return &r;
}

static unsigned long bpf_calls(struct fk *k)
{
	return k->s->hook_calls[FS_HOOK_BPF];
}

/* bpf() calls that do something: not finding objects or reading their info. */
static unsigned long acting_calls(struct fk *k)
{
	static const int finding[] = {
		BPF_MAP_GET_FD_BY_ID, BPF_PROG_GET_FD_BY_ID, BPF_OBJ_GET, BPF_OBJ_GET_INFO_BY_FD,
		BPF_MAP_GET_NEXT_ID, BPF_PROG_GET_NEXT_ID,
	};
	unsigned long n = bpf_calls(k);
	size_t i;

	for (i = 0; i < ARRAY_LEN(finding); i++)
		n -= k->s->bpf_calls[finding[i]];
	return n;
}

/*
 * A usage error: exit 2, one line on stderr (or {"error"} with -j), and no
 * bpf() call beyond finding the object the line names.
 */
static void usage_error(struct fk *k, const char *line)
{
	unsigned long before = acting_calls(k);
	struct res *r = cli(k, "%s", line);
	struct jm_value *v;

	if (r->code != BBPF_CLI_EXIT_USAGE)
		fail_msg("'%s': exit %d, want 2 (stderr %s)", line, r->code, r->err);
	if (r->out[0] || strncmp(r->err, "barebpf: ", 9) || strchr(r->err, '\n') != r->err + strlen(r->err) - 1)
		fail_msg("'%s': want one stderr line, got out '%s' err '%s'", line, r->out, r->err);
	assert_int_equal(acting_calls(k), before);
	r = cli(k, "-j %s", line);
	assert_int_equal(r->code, BBPF_CLI_EXIT_USAGE);
	assert_string_equal(r->err, "");
	v = jm_parse(r->out);
	if (!v || v->type != JM_OBJECT || v->len != 1 || strcmp(v->keys[0], "error"))
		fail_msg("'-j %s': not {\"error\"}: %s", line, r->out);
	jm_free(v);
}

/* ---- tests ---- */

static void test_handles(void **state)
{
	struct fk *k = fk_new();
	struct res *r;

	(void)state;
	r = cli(k, "map show id 7");
	assert_int_equal(r->code, 0);
	assert_non_null(strstr(r->out, "7: hash  name fk_hash  flags 0x0\n"));
	/* strtoul(s, 0) forms: hex and octal */
	assert_int_equal(cli(k, "map show id 0x7")->code, 0);
	assert_int_equal(cli(k, "map show id 07")->code, 0);
	assert_int_equal(cli(k, "map show id 0x9")->code, 0);
	assert_int_equal(cli(k, "map show i 9")->code, 0);	/* keyword prefix */
	assert_int_equal(cli(k, "map show pinned /sys/fs/bpf/fk_hash")->code, 0);
	assert_int_equal(cli(k, "map show name fk_pcpu")->code, 0);
	r = cli(k, "-j prog show name fk_sock");
	assert_int_equal(r->code, 0);
	assert_non_null(strstr(r->out, "\"id\":6,\"type\":\"socket_filter\",\"name\":\"fk_sock\""));
	r = cli(k, "-j prog show tag abababababababab");	/* both programs have this tag */
	assert_int_equal(r->code, 0);
	assert_true(r->out[0] == '[');
	/* the pinned object is of the other kind */
	r = cli(k, "-j map show pinned /sys/fs/bpf/fk_xdp");
	assert_int_equal(r->code, 1);
	assert_non_null(strstr(r->out, "is a pinned prog, not a map"));
	/* no such object, and errors that reach no kernel */
	assert_int_equal(cli(k, "map show id 8")->code, 1);
	usage_error(k, "map show id 0x");
	usage_error(k, "map show id 4294967296");
	usage_error(k, "map show id -1");
	usage_error(k, "map show idx 7");
	usage_error(k, "map show id");
	usage_error(k, "map show id 7 extra");
	usage_error(k, "prog show tag abababababababa");
	usage_error(k, "prog show tag abababababababxz");
	usage_error(k, "link show name x");
	usage_error(k, "map show name abcdefghijklmnop");	/* longer than a map name */
	fk_free(k);
}

static void test_update_args(void **state)
{
	static const uint8_t key[4] = { 1, 0, 0, 0 }, val[8] = { 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0xff };
	struct fk *k = fk_new();
	struct res *r;
	int cpu;

	(void)state;
	r = cli(k, "-j map update id 7 key 1 0 0 0 value hex 11 22 33 0x44 0 00 0 ff noexist");
	assert_int_equal(r->code, 0);
	assert_string_equal(r->out, "null\n");
	assert_memory_equal(k->up_key, key, 4);
	assert_memory_equal(k->up_val, val, 8);
	assert_int_equal(k->up_flags, BPF_NOEXIST);
	/* abbreviated keywords, decimal/octal/hex bytes, the exist flag */
	assert_int_equal(cli(k, "map upd i 7 k 1 0 0 0 v 17 0x22 063 68 0 0 0 255 e")->code, 0);
	assert_memory_equal(k->up_val, val, 8);
	assert_int_equal(k->up_flags, BPF_EXIST);
	r = cli(k, "map lookup id 7 key 1 0 0 0");
	assert_string_equal(r->out, "key: 01 00 00 00  value: 11 22 33 44 00 00 00 ff\n");
	r = cli(k, "map lookup id 7 key 2 0 0 0");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->out, "key:\n02 00 00 00\n\nNot found\n");
	r = cli(k, "-j map lookup id 7 key 2 0 0 0");
	assert_string_equal(r->out, "null\n");
	r = cli(k, "map getnext id 7");
	assert_string_equal(r->out, "key: None\nnext key:\n01 00 00 00\n");
	r = cli(k, "-j map getnext id 7 key 1 0 0 0");
	assert_int_equal(r->code, 1);	/* the last key */
	r = cli(k, "map dump id 7");
	assert_string_equal(r->out, "key: 01 00 00 00  value: 11 22 33 44 00 00 00 ff\nFound 1 element\n");
	assert_int_equal(cli(k, "map delete id 7 key 1 0 0 0")->code, 0);
	assert_string_equal(cli(k, "map dump id 7")->out, "Found 0 elements\n");
	/* per-CPU: the value is copied for every possible CPU (4), 8-byte steps */
	assert_int_equal(cli(k, "map update id 9 key 3 0 0 0 value 1 2 3 4 5 6 7 8 9 10 11 12")->code, 0);
	for (cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(k->up_val[cpu * 16], 1);
		assert_int_equal(k->up_val[cpu * 16 + 11], 12);
		assert_int_equal(k->up_val[cpu * 16 + 12], 0);
	}
	r = cli(k, "map lookup id 9 key 3 0 0 0");
	assert_non_null(strstr(r->out, "key:\n03 00 00 00\nvalue (CPU 00): 01 02 03 04 05 06 07 08  09 0a 0b 0c\n"));
	assert_non_null(strstr(r->out, "value (CPU 03): 01 02"));
	/* wrong counts, bad bytes, misplaced words: usage errors, no update */
	usage_error(k, "map update id 7 key 1 0 0 value 1 2 3 4 5 6 7 8");
	usage_error(k, "map update id 7 key 1 0 0 0 value 1 2 3 4 5 6 7");
	usage_error(k, "map update id 7 key 1 0 0 0 value 1 2 3 4 5 6 7 256");
	usage_error(k, "map update id 7 key 1 0 0 0 value hex 1 2 3 4 5 6 7 100");
	usage_error(k, "map update id 7 key 1 0 0 0 value 1 2 3 4 5 6 7 x");
	usage_error(k, "map update id 7 key 1 0 0 0 value 1 2 3 4 5 6 7 8 any exist");
	usage_error(k, "map update id 7 key 1 0 0 0 key 1 0 0 0 value 1 2 3 4 5 6 7 8");
	usage_error(k, "map update id 7 key 1 0 0 0");
	usage_error(k, "map update id 7 value 1 2 3 4 5 6 7 8");
	usage_error(k, "map lookup id 7 key 1 0 0 0 value 1 2 3 4 5 6 7 8");
	usage_error(k, "map lookup id 7 key 1 0 0 0 any");
	usage_error(k, "map delete id 7");
	usage_error(k, "map pop id 7 extra");
	fk_free(k);
}

static void test_options(void **state)
{
	struct fk *k = fk_new();
	static char want[sizeof(((struct res *)0)->out)];
	struct res *r;

	(void)state;
	r = cli(k, "-j map show id 7");
	snprintf(want, sizeof(want), "%s", r->out);
	assert_true(want[0] == '{');
	assert_string_equal(cli(k, "map show id 7 -j")->out, want);
	assert_string_equal(cli(k, "map -j show id 7")->out, want);
	assert_string_equal(cli(k, "map show --json id 7")->out, want);
	r = cli(k, "-p map show id 7");
	assert_non_null(strstr(r->out, "{\n    \"id\": 7,\n    \"type\": \"hash\",\n"));
	assert_string_equal(cli(k, "map show id 7 -jp")->out, r->out);
	assert_string_equal(cli(k, "-pj map show id 7")->out, r->out);
	assert_string_equal(cli(k, "-p map show id 7 --pretty")->out, r->out);
	/* an unknown option: JSON with -j wherever it is, nothing to stderr */
	r = cli(k, "map show id 7 -x -j");
	assert_int_equal(r->code, 2);
	assert_string_equal(r->err, "");
	assert_non_null(strstr(r->out, "{\"error\":\"map show: unknown option '-x'\"}"));
	usage_error(k, "map show id 7 --frobnicate");
	/* "--" ends the options: "-j" after it is a word */
	usage_error(k, "map show id 7 -- -j");
	/* defaults and abbreviations of sub-commands */
	assert_int_equal(cli(k, "map")->code, 0);
	assert_int_equal(cli(k, "prog sh")->code, 0);
	usage_error(k, "map p id 7");	/* pin, peek, push, pop */
	usage_error(k, "map frobnicate");
	r = cli(k, "-j version");
	assert_non_null(strstr(r->out, "{\"version\":\""));
	assert_string_equal(cli(k, "version --json")->out, r->out);
	r = cli(k, "map help");
	assert_non_null(strstr(r->out, "Usage: barebpf map { show | list } [MAP]\n"));
	assert_string_equal(cli(k, "-j map help")->out, "null\n");
	fk_free(k);
}

static void test_prog_run_args(void **state)
{
	char in[] = "/tmp/bbpf_cli_run_XXXXXX", ctx_in[] = "/tmp/bbpf_cli_ctx_XXXXXX";
	struct fk *k = fk_new();
	struct res *r;
	int fd, cfd;

	(void)state;
	fd = mkstemp(in);
	cfd = mkstemp(ctx_in);
	assert_true(fd >= 0 && cfd >= 0);
	assert_int_equal(write(fd, "abcdef", 6), 6);
	assert_int_equal(write(cfd, "\x01\x02", 2), 2);
	close(fd);
	close(cfd);
	r = cli(k, "prog run id 5 data_in %s data_out - repeat 7", in);
	assert_int_equal(r->code, 0);
	assert_int_equal(k->last_run.test.repeat, 7);
	assert_int_equal(k->last_run.test.data_size_in, 6);
	assert_memory_equal(k->run_data, "abcdef", 6);
	assert_int_equal(k->last_run.test.data_size_out, 32768);	/* bpftool's default */
	assert_int_equal(k->last_run.test.ctx_in, 0);
	assert_string_equal(r->out,
		"0000000\t4f55 5421                               | OUT!\n"
		"Return value: 2, duration (average): 42ns\n");
	r = cli(k, "-j prog run pinned /sys/fs/bpf/fk_xdp data_in %s data_out - data_size_out 16 "
		   "ctx_in %s ctx_size_out 8", in, ctx_in);
	assert_int_equal(r->code, 0);
	assert_int_equal(k->last_run.test.data_size_out, 16);
	assert_int_equal(k->last_run.test.ctx_size_in, 2);
	assert_int_equal(k->last_run.test.ctx_size_out, 8);
	assert_string_equal(r->out, "{\"data_out\":[79,85,84,33],\"retval\":2,\"duration\":42}\n");
	usage_error(k, "prog run id 5 data x");	/* data_in, data_out, data_size_out */
	usage_error(k, "prog run id 5 data_in - ctx_in -");
	usage_error(k, "prog run id 5 data_in x repeat");
	usage_error(k, "prog run id 5 data_in x repeat many");
	usage_error(k, "prog run id 5");
	r = cli(k, "-j prog run id 5 data_in /nonexistent/x");
	assert_int_equal(r->code, 1);
	assert_non_null(strstr(r->out, "{\"error\":\"prog run: cannot read /nonexistent/x: No such file"));
	unlink(in);
	unlink(ctx_in);
	fk_free(k);
}

static void test_map_create_args(void **state)
{
	struct fk *k = fk_new();
	struct res *r;

	(void)state;
	r = cli(k, "-j map create /sys/fs/bpf/new type lru_hash key 8 value 0x10 entries 64 "
		   "name a_name_longer_than_fifteen flags 2 inner_map id 7");
	assert_int_equal(r->code, 0);
	assert_string_equal(r->out, "null\n");
	assert_int_equal(k->last_create.map_type, BPF_MAP_TYPE_LRU_HASH);
	assert_int_equal(k->last_create.key_size, 8);
	assert_int_equal(k->last_create.value_size, 16);
	assert_int_equal(k->last_create.max_entries, 64);
	assert_int_equal(k->last_create.map_flags, 2);
	assert_true(k->last_create.inner_map_fd >= FS_FAKE_FD_BASE);
	assert_string_equal(k->last_create.map_name, "a_name_longer_t");	/* 15 + NUL */
	assert_string_equal(k->pinned, "/sys/fs/bpf/new");
	usage_error(k, "map create /sys/fs/bpf/x type hash key 4 value 4 entries 1");
	usage_error(k, "map create /sys/fs/bpf/x type nosuch key 4 value 4 entries 1 name n");
	usage_error(k, "map create /sys/fs/bpf/x type hash key 4 key 8 value 4 entries 1 name n");
	usage_error(k, "map create /sys/fs/bpf/x type hash key four value 4 entries 1 name n");
	usage_error(k, "map create /sys/fs/bpf/x type hash key 4 value 4 entries 1 nam");
	/* a directory that is not on bpffs (and not empty): no mount over it */
	k->s->fs_type = 0x58465342;	/* xfs */
	r = cli(k, "map create /tmp/x type hash key 4 value 4 entries 1 name n");
	assert_int_equal(r->code, 1);
	assert_non_null(strstr(r->err, "not on a BPF file system"));
	assert_int_equal(k->s->hook_calls[FS_HOOK_MOUNT], 0);
	fk_free(k);
}

/*
 * bpftool lists a key's values from a libbpf hashmap filled with
 * hashmap__append(): modelled here as libbpf implements it (buckets of
 * chains, hash_bits() of the key, entries prepended, every chain re-added
 * in order on growth), to check the shortcut in kobj.c.
 */
struct hm_ent {
	uint32_t key, val;
	struct hm_ent *next;
};

static size_t hm_bucket(uint64_t h, unsigned int bits)
{
	return bits ? (size_t)((h * 11400714819323198485ull) >> (64 - bits)) : 0;
}

static void hm_order(const uint32_t *keys, size_t n, uint32_t key, uint32_t *out, size_t *cnt)
{
	struct hm_ent *ents = calloc(n, sizeof(*ents)), **b = NULL, **nb, *e, *next;
	unsigned int bits = 0;
	size_t cap = 0, sz = 0, i, h;

	assert_non_null(ents);
	for (i = 0; i < n; i++) {
		if (cap == 0 || (sz + 1) * 4 / 3 > cap) {	/* hashmap_needs_to_grow() */
			unsigned int nbits = bits + 1 < 2 ? 2 : bits + 1;
			size_t ncap = (size_t)1 << nbits;

			nb = calloc(ncap, sizeof(*nb));
			assert_non_null(nb);
			for (h = 0; h < cap; h++) {
				for (e = b[h]; e; e = next) {
					next = e->next;
					e->next = nb[hm_bucket(e->key, nbits)];
					nb[hm_bucket(e->key, nbits)] = e;
				}
			}
			free(b);
			b = nb;
			cap = ncap;
			bits = nbits;
		}
		ents[i].key = keys[i];
		ents[i].val = (uint32_t)i;
		h = hm_bucket(keys[i], bits);
		ents[i].next = b[h];
		b[h] = &ents[i];
		sz++;
	}
	*cnt = 0;
	for (e = cap ? b[hm_bucket(key, bits)] : NULL; e; e = e->next)
		if (e->key == key)
			out[(*cnt)++] = e->val;
	free(b);
	free(ents);
}

static void test_idmap_order(void **state)
{
	uint32_t keys[300], want[300];
	size_t idx[300], n, wn, i, round, len;
	struct bbpf_cli_idmap m;
	uint32_t key;

	(void)state;
	srand(7);
	for (round = 0; round < 200; round++) {
		memset(&m, 0, sizeof(m));
		len = 1 + (size_t)rand() % 300;
		for (i = 0; i < len; i++) {
			keys[i] = 1 + (uint32_t)rand() % (round % 5 == 0 ? 2 : 20);
			assert_int_equal(bbpf_cli_idmap_add(&m, keys[i], (uint32_t)i, NULL), 0);
		}
		for (key = 1; key <= 20; key++) {
			n = bbpf_cli_idmap_get(&m, key, idx);
			hm_order(keys, len, key, want, &wn);
			assert_int_equal(n, wn);
			for (i = 0; i < n; i++)
				assert_int_equal(m.e[idx[i]].num, want[i]);
		}
		bbpf_cli_idmap_free(&m);
	}
}

/* Every instruction class through "prog dump xlated", as the 6.1 disassembler prints them. */
static void test_disasm(void **state)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = -7 },
		{ .code = BPF_ALU | BPF_ADD | BPF_X, .dst_reg = 2, .src_reg = 3 },
		{ .code = BPF_ALU64 | BPF_ARSH | BPF_K, .dst_reg = 4, .imm = 3 },
		{ .code = BPF_ALU | BPF_NEG, .dst_reg = 5 },
		{ .code = BPF_ALU64 | BPF_NEG, .dst_reg = 5 },
		{ .code = BPF_ALU | BPF_END | BPF_TO_BE, .dst_reg = 6, .imm = 16 },
		{ .code = BPF_ALU | BPF_END | BPF_TO_LE, .dst_reg = 6, .imm = 64 },
		{ .code = BPF_ALU64 | BPF_END | BPF_TO_LE, .dst_reg = 6, .imm = 32 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = 12 },
		{ .imm = 0 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 2, .src_reg = BPF_PSEUDO_MAP_VALUE, .imm = 12 },
		{ .imm = 16 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 3, .src_reg = BPF_PSEUDO_FUNC, .imm = -4 },
		{ .imm = 0 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 4, .imm = 0x1234 },
		{ .imm = 1 },
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 0, .src_reg = 1, .off = -4 },
		{ .code = BPF_ST | BPF_MEM | BPF_B, .dst_reg = 10, .off = -1, .imm = 255 },
		{ .code = BPF_STX | BPF_MEM | BPF_H, .dst_reg = 10, .src_reg = 2, .off = 2 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 1, .src_reg = 2, .imm = BPF_ADD },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_W, .dst_reg = 1, .src_reg = 2, .imm = BPF_OR | BPF_FETCH },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 1, .src_reg = 2, .off = 8, .imm = BPF_XCHG },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_W, .dst_reg = 1, .src_reg = 3, .imm = BPF_CMPXCHG },
		{ .code = BPF_ST | 0xc0 },	/* nospec */
		{ .code = BPF_LD | BPF_ABS | BPF_H, .imm = 12 },
		{ .code = BPF_LD | BPF_IND | BPF_B, .src_reg = 7, .imm = 3 },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 1, .off = 2, .imm = 0x800 },
		{ .code = BPF_JMP32 | BPF_JSLT | BPF_X, .dst_reg = 1, .src_reg = 2, .off = -3 },
		{ .code = BPF_JMP | BPF_JA, .off = 1 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		{ .code = BPF_JMP | BPF_CALL, .imm = 211 },	/* newer than Debian's header */
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .off = 3, .imm = 1 },
		{ .code = BPF_JMP | BPF_CALL, .imm = 0x100 },	/* named by kallsyms */
		{ .code = BPF_JMP | BPF_CALL, .imm = 0x200 },	/* not in kallsyms */
		{ .code = BPF_LDX | 0x80 | BPF_W, .dst_reg = 1, .src_reg = 2 },	/* cpu v4 ldsx: BUG */
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char want[] =
		"   0: (b7) r1 = -7\n"
		"   1: (0c) w2 += w3\n"
		"   2: (c7) r4 s>>= 3\n"
		"   3: (84) w5 = -w5\n"
		"   4: (87) r5 = -r5\n"
		"   5: (dc) r6 = be16 r6\n"
		"   6: (d4) r6 = le64 r6\n"
		"   7: BUG_alu64_d7\n"
		"   8: (18) r1 = map[id:12]\n"
		"  10: (18) r2 = map[id:12][0]+16\n"
		"  12: (18) r3 = subprog[-4]\n"
		"  14: (18) r4 = 0x100001234\n"
		"  16: (61) r0 = *(u32 *)(r1 -4)\n"
		"  17: (72) *(u8 *)(r10 -1) = 255\n"
		"  18: (6b) *(u16 *)(r10 +2) = r2\n"
		"  19: (db) lock *(u64 *)(r1 +0) += r2\n"
		"  20: (c3) r2 = atomic_fetch_or((u32 *)(r1 +0), r2)\n"
		"  21: (db) r2 = atomic64_xchg((u64 *)(r1 +8), r2)\n"
		"  22: (c3) r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r3)\n"
		"  23: (c2) nospec\n"
		"  24: (28) r0 = *(u16 *)skb[12]\n"
		"  25: (50) r0 = *(u8 *)skb[r7 + 3]\n"
		"  26: (15) if r1 == 0x800 goto pc+2\n"
		"  27: (ce) if w1 s< w2 goto pc-3\n"
		"  28: (05) goto pc+1\n"
		"  29: (85) call bpf_map_lookup_elem#1\n"
		"  30: (85) call bpf_cgrp_storage_delete#211\n"
		"  31: (85) call pc+3\n"
		"  32: (85) call bpf_fake_helper#256\n"
		"  33: (85) call 0xffffffff81000200#512\n"
		"  34: BUG_ldx_81\n"
		"  35: (95) exit\n";
	static const char ksyms[] =
		"ffffffff80000000 T _stext\n"
		"ffffffff81000000 T __bpf_call_base\n"
		"ffffffff81000100 t bpf_fake_helper\n"
		"ffffffff81000100 t an_alias_named_later\n";
	struct fk *k = fk_new();
	struct res *r;
	struct jm_value *v;

	(void)state;
	k->progs[0].insns = insns;
	k->progs[0].cnt = ARRAY_LEN(insns);
	fs_script_add_file(k->s, "/proc/kallsyms", ksyms, sizeof(ksyms) - 1);
	r = cli(k, "prog dump xlated id 5");
	assert_int_equal(r->code, 0);
	assert_string_equal(r->out, want);
	r = cli(k, "-j prog dump xlated id 5 opcodes");
	assert_int_equal(r->code, 0);
	v = jm_parse(r->out);
	assert_non_null(v);
	assert_int_equal(v->len, 32);	/* 36 instructions, 4 of them 16-byte loads */
	assert_string_equal(jm_get(&v->items[8], "disasm")->str, "(18) r1 = map[id:12]");
	assert_int_equal(jm_get(jm_get(&v->items[8], "opcodes"), "imm")->len, 12);
	assert_string_equal(jm_get(jm_get(&v->items[8], "opcodes"), "src_reg")->str, "0x1");
	assert_string_equal(jm_get(jm_get(&v->items[0], "opcodes"), "code")->str, "0xb7");
	jm_free(v);
	r = cli(k, "prog dump xlated id 5 opcodes");
	assert_non_null(strstr(r->out, "   8: (18) r1 = map[id:12]\n"
				       "       18 11 00 00 0c 00 00 00 00 00 00 00 00 00 00 00\n"));
	usage_error(k, "prog dump");
	usage_error(k, "prog dump xlated");
	usage_error(k, "prog dump xlated id 5 frobnicate");
	usage_error(k, "prog dump xlated id 5 file /tmp/x opcodes");
	usage_error(k, "prog dump nonsense id 5");
	fk_free(k);
}

/* The probes' attributes (libbpf's) and the answers they turn into. */
static void test_feature_probe(void **state)
{
	struct fk *k = fk_new();
	const struct jm_value *pt, *h;
	struct res *r;
	struct jm_value *v;

	(void)state;
	fs_script_add_file(k->s, "/proc/config.gz", "not gzip", 8);
	r = cli(k, "-j feature probe kernel");
	assert_int_equal(r->code, 0);
	assert_string_equal(r->err, "");
	v = jm_parse(r->out);
	assert_non_null(v);
	assert_string_equal(v->keys[0], "system_config");
	assert_string_equal(v->keys[5], "misc");
	pt = jm_get(v, "program_types");
	assert_true(jm_get(pt, "have_socket_filter_prog_type")->boolean);
	assert_true(jm_get(pt, "have_xdp_prog_type")->boolean);
	assert_false(jm_get(pt, "have_kprobe_prog_type")->boolean);
	/* TRACING answers the way libbpf expects: attach_btf_id 1 "is not a function" */
	assert_true(k->saw_tracing_probe_attrs);
	assert_true(jm_get(pt, "have_tracing_prog_type")->boolean);
	h = jm_get(jm_get(v, "helpers"), "socket_filter_available_helpers");
	assert_int_equal(h->len, 5);	/* ids 1..5 in the fake */
	assert_string_equal(h->items[0].str, "bpf_map_lookup_elem");
	assert_string_equal(h->items[4].str, "bpf_ktime_get_ns");
	assert_int_equal(jm_get(jm_get(v, "helpers"), "kprobe_available_helpers")->len, 0);
	/* no usable kernel config: every option null */
	assert_int_equal(jm_get(jm_get(v, "system_config"), "CONFIG_BPF")->type, JM_NULL);
	jm_free(v);
	r = cli(k, "feature probe");
	assert_non_null(strstr(r->out, "eBPF program_type socket_filter is available\n"));
	assert_non_null(strstr(r->out, "eBPF program_type kprobe is NOT available\n"));
	assert_non_null(strstr(r->out, "eBPF helpers supported for program type kprobe:\n"
				       "\tProgram type not supported\n"));
	assert_non_null(strstr(r->out, "eBPF helpers supported for program type xdp:\n"
				       "\t- bpf_map_lookup_elem\n"));
	assert_non_null(strstr(r->err, "skipping kernel config"));
	/* without "full", trace_printk (6) is never probed; with it, it is */
	assert_int_equal(k->printk_probes, 0);
	assert_int_equal(cli(k, "-j feature probe full")->code, 0);
	assert_true(k->printk_probes > 0);
	usage_error(k, "feature probe frobnicate");
	fk_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handles),
		cmocka_unit_test(test_update_args),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_prog_run_args),
		cmocka_unit_test(test_map_create_args),
		cmocka_unit_test(test_idmap_order),
		cmocka_unit_test(test_disasm),
		cmocka_unit_test(test_feature_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
