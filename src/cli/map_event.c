/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf map event_pipe MAP [cpu N index M]
 *
 * As bpftool 7.1: a PERF_COUNT_SW_BPF_OUTPUT event (PERF_SAMPLE_RAW |
 * PERF_SAMPLE_TIME) per online CPU at key = cpu (or one, on cpu N at key
 * M), each record printed until SIGINT/SIGTERM: text
 * "== @<s>.<ns> CPU: <cpu> index: <idx> =====" then the raw bytes as
 * fprint_hex; JSON an array of {"type","cpu","index","timestamp","data"}
 * (data as numbers; lost records: "lost":{"id","count"}).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <barebpf/events.h>

#include "kobj.h"
#include "stop_sig.h"

#define STOP_SIGS	(BBPF_CLI_SIG(SIGINT) | BBPF_CLI_SIG(SIGTERM) | BBPF_CLI_SIG(SIGHUP))

struct pipe_ctx {
	struct bbpf_cli_kobj *k;
	int idx;	/* -1: the CPU */
};

static enum bbpf_perf_event_ret pipe_record(void *arg, int cpu, struct perf_event_header *e)
{
	struct pipe_ctx *p = arg;
	struct bbpf_cli_kobj *k = p->k;
	const uint8_t *b = (const uint8_t *)(e + 1);
	int idx = p->idx < 0 ? cpu : p->idx;
	uint64_t t = 0, id = 0, lost = 0;
	uint32_t size = 0;

	if (e->type == PERF_RECORD_SAMPLE && e->size >= sizeof(*e) + 12) {
		memcpy(&t, b, 8);
		memcpy(&size, b + 8, 4);
		if (size > e->size - sizeof(*e) - 12)
			size = (uint32_t)(e->size - sizeof(*e) - 12);
	} else if (e->type == PERF_RECORD_LOST && e->size >= sizeof(*e) + 16) {
		memcpy(&id, b, 8);
		memcpy(&lost, b + 8, 8);
	}
	if (k->json) {
		bbpf_cli_json_kvs(&k->j, "{\0utype\0ucpu\0uindex\0", (uint64_t)e->type,
				  (uint64_t)(uint32_t)cpu, (uint64_t)(uint32_t)idx);
		if (e->type == PERF_RECORD_SAMPLE) {
			bbpf_cli_json_kvs(&k->j, "utimestamp\0", t);
			bbpf_cli_json_key(&k->j, "data");
			bbpf_cli_json_bytes(&k->j, b + 12, size, false);
		} else if (e->type == PERF_RECORD_LOST) {
			bbpf_cli_json_kvs(&k->j, "{lost\0uid\0ucount\0}\0", id, lost);
		}
		bbpf_cli_json_obj_end(&k->j);
	} else if (e->type == PERF_RECORD_SAMPLE) {
		bbpf_cli_fprintf(k->out, "== @%llu.%09llu CPU: %d index: %d =====\n",
			(unsigned long long)(t / 1000000000ULL),
			(unsigned long long)(t % 1000000000ULL), cpu, idx);
		bbpf_cli_kobj_hex(k->out, b + 12, size);
		bbpf_cli_fprintf(k->out, "\n");
	} else if (e->type == PERF_RECORD_LOST) {
		bbpf_cli_fprintf(k->out, "lost %llu events\n", (unsigned long long)lost);
	} else {
		bbpf_cli_fprintf(k->out, "unknown event type=%u size=%u\n", e->type, e->size);
	}
	bbpf_cli_flush(k->out);
	return BBPF_PERF_EVENT_CONT;
}

int bbpf_cli_map_event_pipe(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			    int argc, char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct perf_event_attr attr;
	struct bpf_map_info info;
	struct bbpf_cli_kobj k;
	struct pipe_ctx p = { &k, -1 };
	int cpu = -1, ret, fd, err;
	struct bbpf_perfbuf_raw_opts ro = { 1, &cpu, &p.idx };
	struct bbpf_perfbuf *pb = NULL;
	uint32_t v;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "map event_pipe", argc, argv);
	if (ret)
		return ret;
	fd = bbpf_cli_kobj_map_fd(&k, &a);
	if (fd < 0)
		return bbpf_cli_kobj_close(&k, -fd);
	while (a.c) {
		bool is_cpu = bbpf_cli_kobj_kw(a.v[0], "cpu");

		if (!is_cpu && !bbpf_cli_kobj_kw(a.v[0], "index")) {
			ret = bbpf_cli_kobj_usage(&k, "unknown arg %s", a.v[0]);
			goto out;
		}
		if (a.c < 2 || bbpf_cli_kobj_u32(a.v[1], &v) || v > 0x7fffffff) {
			ret = bbpf_cli_kobj_usage(&k, "can't parse %s", a.v[0]);
			goto out;
		}
		*(is_cpu ? &cpu : &p.idx) = (int)v;
		a.v += 2;
		a.c -= 2;
	}
	if ((cpu < 0) != (p.idx < 0)) {
		ret = bbpf_cli_kobj_usage(&k, "cpu and index must be specified together");
		goto out;
	}
	err = bbpf_cli_kobj_info(&k, fd, &info, sizeof(info));
	if (err) {
		ret = bbpf_cli_kobj_errno(&k, err, "can't get map info");
		goto out;
	}
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		ret = bbpf_cli_kobj_err(&k, "map is not a perf event array");
		goto out;
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_TIME;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	if (cpu < 0)
		ro.cpu_cnt = 0;
	err = bbpf_perfbuf_new_raw(k.ctx, fd, 16, &attr, pipe_record, &p, &ro, &pb);
	if (err) {
		ret = bbpf_cli_kobj_errno(&k, err, "failed to create perf buffer");
		goto out;
	}
	bbpf_cli_stop_sig_block(STOP_SIGS);	/* seen after each wait */
	bbpf_cli_kobj_j(&k, BBPF_CLI_J_ARR);
	while (!bbpf_cli_stop_sig_pending(STOP_SIGS)) {
		err = bbpf_perfbuf_poll(pb, 200);
		if (err < 0 && err != -EINTR) {
			ret = bbpf_cli_kobj_errno(&k, err, "perf buffer polling failed");
			goto out;
		}
	}
	bbpf_cli_write(BBPF_CLI_STDERR, "Stopping...\n", 12);	/* bpftool says so too */
	bbpf_cli_kobj_j(&k, BBPF_CLI_J_ARR_END);
out:
	bbpf_perfbuf_free(pb);
	bbpf_cli_kobj_fdclose(&k, fd);
	return bbpf_cli_kobj_close(&k, ret);
}
