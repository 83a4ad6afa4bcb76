// SPDX-License-Identifier: BSD-2-Clause
/*
 * A small libbpf application, written for libbpf and built twice from the
 * same source: against Debian's libbpf (build/compat/app-libbpf) and
 * against barebpf-libbpf (build/compat/app-barebpf).
 * tests/diff/test_compat_diff.c runs both and compares their output line
 * by line. It uses a skeleton bpftool 7.1 generated for
 * tests/bpf/compat_app.bpf.c: open, set .rodata, load, attach, trigger,
 * read the data back through every channel (global data, hash and per-CPU
 * maps, batch lookup, ring buffer, perf buffer), print map values with the
 * BTF dumper, check a few error conventions, detach, destroy.
 *
 * Everything printed is meant to be the same under libbpf 1.1 and
 * barebpf (libbpf 1.8's behaviour): no addresses, fds or ids, and the
 * process gets a fixed comm.
 *
 * "compat_app btf-dump OBJ": no kernel; every type of OBJ's BTF as C
 * (btf_dump__dump_type, one dumper) and, for each type with a size, the
 * typed data of two byte patterns (mixed, and mostly zero; enum members
 * hold a named value, since libbpf 1.1 prints an unnamed one without its
 * delimiter) under four option sets (btf_dump__dump_type_data), with the
 * return values. Lines tagged "/2]" use emit_zeroes, where libbpf 1.1 and
 * 1.8 differ (test_compat_diff.c says how).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "compat_app.skel.h"

#define TRIGGERS 5

struct val {
	__u32 tgid;
	__u32 cnt;
	char comm[16];
	__u64 flags : 3;
	__u64 big : 61;
};

struct event {
	__u32 tgid;
	__u32 seq;
};

static int warnings;

/* Library messages differ between implementations: counted, not printed. */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)fmt;
	(void)ap;
	if (level == LIBBPF_WARN)
		warnings++;
	return 0;
}

static int rb_events, rb_seq_sum;

static int on_rb(void *ctx, void *data, size_t size)
{
	const struct event *e = data;

	(void)ctx;
	if (size != sizeof(*e) || e->tgid != (__u32)getpid())
		return -1;
	rb_events++;
	rb_seq_sum += (int)e->seq;
	return 0;
}

static int pb_events, pb_seq_sum;
static __u32 pb_size;

static void on_pb(void *ctx, int cpu, void *data, __u32 size)
{
	const struct event *e = data;

	(void)ctx;
	(void)cpu;
	if (e->tgid == (__u32)getpid()) {
		pb_events++;
		pb_seq_sum += (int)e->seq;
		pb_size = size;
	}
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	(void)ctx;
	(void)cpu;
	printf("lost %llu\n", (unsigned long long)cnt);
}

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

static int err_of(int ret)
{
	return ret < 0 ? -errno : ret;
}

/* Byte patterns: pattern 0 mixes values, pattern 1 is mostly zero. */
static void fill(unsigned char *buf, size_t n, __u32 id, int pattern)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = pattern ? (i % 7 == 3 ? (unsigned char)(id + i) : 0)
				 : (unsigned char)(i * 37 + id * 11 + 'a');
}

/* Give every (non-bitfield) enum in the value at p its first enumerator's value. */
static void fix_enums(const struct btf *btf, __u32 id, unsigned char *p, size_t left, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	__u32 i;

	while (t && depth < 32 && (btf_is_mod(t) || btf_is_typedef(t))) {
		t = btf__type_by_id(btf, t->type);
		depth++;
	}
	if (!t || depth >= 32)
		return;
	if (btf_is_any_enum(t) && btf_vlen(t) && t->size <= left && t->size <= 8) {
		__u64 v = btf_is_enum(t) ? (__u64)(__s64)btf_enum(t)->val :
					  btf_enum64_value(btf_enum64(t));

		memcpy(p, &v, t->size);	/* little-endian host */
	} else if (btf_is_composite(t)) {
		for (i = 0; i < btf_vlen(t); i++) {
			__u32 off = btf_member_bit_offset(t, i) / 8;

			if (!btf_member_bitfield_size(t, i) && off < left)
				fix_enums(btf, btf_members(t)[i].type, p + off, left - off, depth + 1);
		}
	} else if (btf_is_array(t)) {
		__s64 es = btf__resolve_size(btf, btf_array(t)->type);

		for (i = 0; es > 0 && i < btf_array(t)->nelems && (size_t)(i * es) < left; i++)
			fix_enums(btf, btf_array(t)->type, p + i * es, left - (size_t)(i * es),
				  depth + 1);
	}
}

static int btf_dump_all(const char *path)
{
	static unsigned char buf[4096];
	struct bpf_object *obj = bpf_object__open(path);
	const struct btf *btf = obj ? bpf_object__btf(obj) : NULL;
	struct btf_dump *d, *dd;
	__u32 id, cnt;
	int pattern, o;

	if (!btf) {
		printf("no BTF in %s: %d\n", path, -errno);
		return 1;
	}
	d = btf_dump__new(btf, dump_printf, stdout, NULL);
	dd = btf_dump__new(btf, dump_printf, stdout, NULL);
	cnt = btf__type_cnt(btf);
	printf("types %u\n", cnt);
	for (id = 1; id < cnt; id++)
		btf_dump__dump_type(d, id);
	for (id = 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		__s64 size = btf__resolve_size(btf, id);

		if (size <= 0 || size > (__s64)sizeof(buf) || btf_is_datasec(t) || btf_is_var(t))
			continue;
		for (pattern = 0; pattern < 2; pattern++) {
			fill(buf, (size_t)size, id, pattern);
			fix_enums(btf, id, buf, (size_t)size, 0);
			for (o = 0; o < 4; o++) {
				LIBBPF_OPTS(btf_dump_type_data_opts, opts, .compact = o >= 1,
					    .emit_zeroes = o == 2, .skip_names = o == 3);
				int ret;

				printf("\n[%u/%d/%d] ", id, pattern, o);
				ret = btf_dump__dump_type_data(dd, id, buf, (size_t)size, &opts);
				printf(" => %d", ret);
			}
		}
		/* one byte short: a scalar that does not fit */
		fill(buf, (size_t)size, id, 0);
		fix_enums(btf, id, buf, (size_t)size, 0);
		{
			LIBBPF_OPTS(btf_dump_type_data_opts, opts, .compact = true);

			printf("\n[%u/short] ", id);
			printf(" => %d", btf_dump__dump_type_data(dd, id, buf, (size_t)size - 1, &opts));
		}
	}
	printf("\n");
	btf_dump__free(dd);
	btf_dump__free(d);
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	struct compat_app *skel;
	struct bpf_program *prog;
	struct bpf_map *map;
	struct ring_buffer *rb = NULL;
	struct perf_buffer *pb = NULL;
	struct btf_dump *dump = NULL;
	const struct btf *btf;
	struct val v;
	__u32 key, next, *prev = NULL, keys[8], count = 8, tgid = (__u32)getpid();
	struct val vals[8];
	__u64 *percpu, sum = 0;
	void *bss_before;
	int i, err, ncpus, id, ret = 1;
	char buf[128];

	libbpf_set_print(print_fn);
	if (argc == 3 && !strcmp(argv[1], "btf-dump"))
		return btf_dump_all(argv[2]);
	prctl(PR_SET_NAME, "compat-app", 0, 0, 0);
	printf("version %s\n", libbpf_major_version() == 1 ? "1.x" : "?");

	skel = compat_app__open();
	if (!skel) {
		printf("open failed: %d\n", -errno);
		return 1;
	}
	printf("object %s\n", bpf_object__name(skel->obj));
	bpf_object__for_each_map(map, skel->obj)
		printf("map %s type %s key %u value %u max %u internal %d\n", bpf_map__name(map),
		       libbpf_bpf_map_type_str(bpf_map__type(map)), bpf_map__key_size(map),
		       bpf_map__value_size(map), bpf_map__max_entries(map),
		       bpf_map__is_internal(map));
	bpf_object__for_each_program(prog, skel->obj)
		printf("prog %s sec %s type %s autoload %d\n", bpf_program__name(prog),
		       bpf_program__section_name(prog),
		       libbpf_bpf_prog_type_str(bpf_program__type(prog)),
		       bpf_program__autoload(prog));
	errno = 0;
	map = bpf_object__find_map_by_name(skel->obj, "nope");
	err = errno;
	printf("find nope: %p errno %d get_error %ld\n", (void *)map, err, libbpf_get_error(map));
	printf("find .bss: %s\n", bpf_map__name(bpf_object__find_map_by_name(skel->obj, ".bss")));
	printf("data before load: total %llu\n", (unsigned long long)skel->data->total);

	skel->rodata->target_tgid = tgid;
	bss_before = skel->bss;
	err = compat_app__load(skel);
	printf("load %d\n", err);
	if (err)
		goto out;
	printf("bss kept its address: %d\n", bss_before == (void *)skel->bss);
	printf("second load: %d\n", err_of(bpf_object__load(skel->obj)));
	printf("set max_entries after load: %d\n",
	       err_of(bpf_map__set_max_entries(skel->maps.counts, 128)));
	printf("never_loaded fd: %d\n", err_of(bpf_program__fd(skel->progs.never_loaded)));

	err = compat_app__attach(skel);
	printf("attach %d links: tp %d raw %d never %d\n", err, skel->links.on_getppid != NULL,
	       skel->links.on_sys_exit != NULL, skel->links.never_loaded != NULL);
	if (err)
		goto out;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_rb, NULL, NULL);
	pb = perf_buffer__new(bpf_map__fd(skel->maps.pb), 8, on_pb, on_lost, NULL, NULL);
	printf("ring buffer %d perf buffer %d\n", rb != NULL, pb != NULL);
	if (!rb || !pb)
		goto out;

	for (i = 0; i < TRIGGERS; i++)
		syscall(__NR_getppid);

	for (i = 0; i < 50 && rb_events < TRIGGERS; i++)
		ring_buffer__poll(rb, 100);
	for (i = 0; i < 50 && pb_events < TRIGGERS; i++)
		perf_buffer__poll(pb, 100);
	printf("ringbuf events %d seq sum %d\n", rb_events, rb_seq_sum);
	printf("perfbuf events %d seq sum %d size %u\n", pb_events, pb_seq_sum, pb_size);
	printf("bss hits %u data total %llu\n", skel->bss->hits,
	       (unsigned long long)skel->data->total);

	/* the hash map, by key iteration and by lookup */
	i = 0;
	while (!bpf_map_get_next_key(bpf_map__fd(skel->maps.counts), prev, &next)) {
		key = next;
		prev = &key;
		i++;
	}
	printf("counts keys %d, next after last: %d\n", i,
	       err_of(bpf_map_get_next_key(bpf_map__fd(skel->maps.counts), &key, &next)));
	err = bpf_map_lookup_elem(bpf_map__fd(skel->maps.counts), &tgid, &v);
	printf("lookup self %d: cnt %u comm %s flags %u big %llu\n", err, v.cnt, v.comm,
	       (unsigned)v.flags, (unsigned long long)v.big);
	key = 1;
	printf("lookup missing: %d\n", err_of(bpf_map_lookup_elem(bpf_map__fd(skel->maps.counts),
								    &key, &v)));
	printf("high-level lookup, wrong key size: %d\n",
	       err_of(bpf_map__lookup_elem(skel->maps.counts, &tgid, 2, &v, sizeof(v), 0)));
	err = bpf_map_lookup_batch(bpf_map__fd(skel->maps.counts), NULL, &next, keys, vals, &count,
				   NULL);
	printf("batch %d count %u cnt %u\n", err_of(err), count, count ? vals[0].cnt : 0);

	ncpus = libbpf_num_possible_cpus();
	percpu = calloc((size_t)ncpus, sizeof(*percpu));
	key = 0;
	err = bpf_map__lookup_elem(skel->maps.pcpu, &key, sizeof(key), percpu,
				   sizeof(*percpu) * (size_t)ncpus, 0);
	for (i = 0; i < ncpus; i++)
		sum += percpu[i];
	printf("percpu %d sum %llu\n", err, (unsigned long long)sum);
	free(percpu);

	/* BTF: find the value type, print it as C and as typed data */
	btf = bpf_object__btf(skel->obj);
	id = btf__find_by_name_kind(btf, "val", BTF_KIND_STRUCT);
	printf("btf val id>0 %d size %lld missing %d\n", id > 0,
	       (long long)btf__resolve_size(btf, (__u32)id),
	       err_of(btf__find_by_name_kind(btf, "nope", BTF_KIND_STRUCT)));
	dump = btf_dump__new(btf, dump_printf, stdout, NULL);
	if (dump && id > 0) {
		LIBBPF_OPTS(btf_dump_type_data_opts, opts, .compact = false);
		LIBBPF_OPTS(btf_dump_type_data_opts, copts, .compact = true, .emit_zeroes = true);

		v.tgid = 0;	/* differs per run: printed as zero, i.e. left out */
		btf_dump__dump_type(dump, (__u32)id);
		printf("[val/0] ");
		err = btf_dump__dump_type_data(dump, (__u32)id, &v, sizeof(v), &opts);
		printf("\ndump_type_data %d\n", err);
		printf("[val/2] ");
		err = btf_dump__dump_type_data(dump, (__u32)id, &v, sizeof(v), &copts);
		printf(" => %d\n", err);
		printf("[val/short] ");
		err = btf_dump__dump_type_data(dump, (__u32)id, &v, 4, &opts);
		printf("\ndump_type_data short %d\n", err);
	}

	{
		struct btf *vmlinux = btf__load_vmlinux_btf();

		printf("vmlinux btf %d task_struct %d\n", vmlinux != NULL,
		       btf__find_by_name_kind(vmlinux, "task_struct", BTF_KIND_STRUCT) > 0);
		btf__free(vmlinux);
	}
	printf("find_vmlinux_btf_id do_unlinkat %d nope %d\n",
	       libbpf_find_vmlinux_btf_id("do_unlinkat", BPF_TRACE_FENTRY) > 0,
	       err_of(libbpf_find_vmlinux_btf_id("no_such_function_x", BPF_TRACE_FENTRY)));
	printf("probe prog kprobe %d xdp %d map ringbuf %d task_storage %d helper %d\n",
	       libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, NULL),
	       libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL),
	       libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL),
	       libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL),
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_map_lookup_elem, NULL));
	libbpf_strerror(-LIBBPF_ERRNO__VERIFY, buf, sizeof(buf));
	printf("strerror: %s / %d\n", buf, libbpf_strerror(4999, buf, sizeof(buf)));
	ret = 0;
out:
	btf_dump__free(dump);
	perf_buffer__free(pb);
	ring_buffer__free(rb);
	compat_app__destroy(skel);
	printf("done, warnings %s\n", warnings ? "some" : "none");
	return ret;
}
