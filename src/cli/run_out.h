/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What `run` prints on stdout, one line per item: ring/perf buffer records
 * (decoded with a BTF type, else bytes), lost perf samples, bpf_printk trace
 * lines and iterator output; plain text, or with -j one JSON object per
 * line. Everything is collected in a buffer and written with write(2) when
 * the caller flushes (run.c flushes at most every 100 ms: the bundled
 * example traces write(2) of this very process).
 */
#ifndef BBPF_CLI_RUN_OUT_H
#define BBPF_CLI_RUN_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bbpf_btf;

struct bbpf_cli_out {
	char *buf;
	size_t len, cap;
	bool json;
	char *partial;		/* a trace line not ended yet */
	size_t partial_len;
};

/* A ring buffer or perf event array map whose records are printed. */
struct bbpf_cli_rec_map {
	struct bbpf_cli_out *out;
	const char *name;
	const struct bbpf_btf *btf;	/* with type_id: decode records */
	uint32_t type_id;		/* 0: print bytes (and hint once) */
	bool hinted;
};

void bbpf_cli_out_init(struct bbpf_cli_out *o, bool json);
void bbpf_cli_out_free(struct bbpf_cli_out *o);
size_t bbpf_cli_out_pending(const struct bbpf_cli_out *o);
/* Write what is collected to stdout: 0 or -errno (-EPIPE: the reader went away). */
int bbpf_cli_out_flush(struct bbpf_cli_out *o);
/* Write all n bytes to fd (retrying EINTR): 0 or -errno. */
int bbpf_cli_out_write_all(int fd, const char *p, size_t n);

/* Bytes as they are; a C string; pre then a JSON string of s[0, len) (strict escaping). */
void bbpf_cli_out_add(struct bbpf_cli_out *o, const char *s, size_t n);
void bbpf_cli_out_raw(struct bbpf_cli_out *o, const char *s);
void bbpf_cli_out_json_string(struct bbpf_cli_out *o, const char *pre, const char *s, size_t len);
/* Formatted with bbpf_vsnprintf() (integers and strings). */
void bbpf_cli_out_fmt(struct bbpf_cli_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* n bytes as hex: "0a 1b" (JSON: ["0x0a","0x1b"]). */
void bbpf_cli_out_bytes(struct bbpf_cli_out *o, const uint8_t *p, size_t n);
/* A writer for the dumpers that appends to o. */
struct bbpf_dump_out;
void bbpf_cli_out_writer(struct bbpf_cli_out *o, struct bbpf_dump_out *w);

/* One record: cpu < 0 for ring buffers (no "cpu" then). */
void bbpf_cli_out_record(struct bbpf_cli_rec_map *m, int cpu, const void *data, size_t size);
void bbpf_cli_out_lost(struct bbpf_cli_rec_map *m, int cpu, uint64_t cnt);
/* Trace pipe bytes as read: whole lines are printed, a partial one waits. */
void bbpf_cli_out_trace(struct bbpf_cli_out *o, const char *text, size_t len);
/* What is left of a partial trace line, at the end. */
void bbpf_cli_out_trace_end(struct bbpf_cli_out *o);
/* An iterator's whole output. */
void bbpf_cli_out_iter(struct bbpf_cli_out *o, const char *prog, const char *text, size_t len);

#endif
