/* SPDX-License-Identifier: BSD-2-Clause */
/* see run_out.h */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run_out.h"
#include "../base/fmt.h"
#include "../dump/dump_json.h"
#include "../dump/dump_value.h"

/* A record of more than this is printed as a note, not expanded. */
#define REC_OUT_MAX	((size_t)1 << 20)

/* Not inlined: -Oz copied its memset into each of run.c's four callers. */
__attribute__((noinline))
void bbpf_cli_out_init(struct bbpf_cli_out *o, bool json)
{
	memset(o, 0, sizeof(*o));
	o->json = json;
}

void bbpf_cli_out_free(struct bbpf_cli_out *o)
{
	free(o->buf);
	free(o->partial);
	memset(o, 0, sizeof(*o));
}

size_t bbpf_cli_out_pending(const struct bbpf_cli_out *o)
{
	return o->len;
}

/* Append; out of memory drops the bytes (and says so on stderr). */
void bbpf_cli_out_add(struct bbpf_cli_out *o, const char *s, size_t n)
{
	size_t c = o->cap ? o->cap : 64 * 1024;
	char *b;

	if (o->len + n > o->cap) {
		while (c < o->len + n)
			c *= 2;
		b = realloc(o->buf, c);
		if (!b) {
			bbpf_cli_err("out of memory: output dropped");
			return;
		}
		o->buf = b;
		o->cap = c;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void bbpf_cli_out_raw(struct bbpf_cli_out *o, const char *s)
{
	bbpf_cli_out_add(o, s, strlen(s));
}

/* (At most OUT_FMT_MAX - 1 bytes: names and numbers, far below it.) */
#define OUT_FMT_MAX	4096

BBPF_NO_FP_VARARGS
void bbpf_cli_out_fmt(struct bbpf_cli_out *o, const char *fmt, ...)
{
	char b[OUT_FMT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bbpf_vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	bbpf_cli_out_add(o, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

static void out_write(void *ctx, const char *s, size_t len)
{
	bbpf_cli_out_add(ctx, s, len);
}

void bbpf_cli_out_writer(struct bbpf_cli_out *o, struct bbpf_dump_out *w)
{
	w->write = out_write;
	w->ctx = o;
}

int bbpf_cli_out_write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int bbpf_cli_out_flush(struct bbpf_cli_out *o)
{
	int err = bbpf_cli_out_write_all(STDOUT_FILENO, o->buf, o->len);

	o->len = 0;
	return err;
}

void bbpf_cli_out_json_string(struct bbpf_cli_out *o, const char *pre, const char *s, size_t len)
{
	struct bbpf_dump_out w = { out_write, o };
	struct bbpf_dump_json j;

	bbpf_cli_out_raw(o, pre);
	bbpf_dump_json_init(&j, &w, false, 0);
	bbpf_dump_json_string_strict(&j, s, len);
	bbpf_dump_json_flush(&j);
}

static const char hex[] = "0123456789abcdef";

void bbpf_cli_out_bytes(struct bbpf_cli_out *o, const uint8_t *p, size_t n)
{
	char b[8];
	size_t i;

	if (o->json)
		bbpf_cli_out_add(o, "[", 1);
	for (i = 0; i < n; i++) {
		size_t k = 0;

		if (o->json) {
			if (i)
				b[k++] = ',';
			b[k++] = '"';
			b[k++] = '0';
			b[k++] = 'x';
		} else if (i) {
			b[k++] = ' ';
		}
		b[k++] = hex[p[i] >> 4];
		b[k++] = hex[p[i] & 15];
		if (o->json)
			b[k++] = '"';
		bbpf_cli_out_add(o, b, k);
	}
	if (o->json)
		bbpf_cli_out_add(o, "]", 1);
}

/* "{"map":NAME[,"cpu":N]," or "NAME[ cpu N]: " */
static void rec_prefix(struct bbpf_cli_rec_map *m, int cpu)
{
	struct bbpf_cli_out *o = m->out;

	if (o->json) {
		bbpf_cli_out_json_string(o, "{\"map\":", m->name, strlen(m->name));
		if (cpu >= 0)
			bbpf_cli_out_fmt(o, ",\"cpu\":%d", cpu);
		return;
	}
	bbpf_cli_out_fmt(o, cpu >= 0 ? "%s cpu %d: " : "%s: ", m->name, cpu);
}

void bbpf_cli_out_record(struct bbpf_cli_rec_map *m, int cpu, const void *data, size_t size)
{
	struct bbpf_cli_out *o = m->out;
	struct bbpf_dump_out w = { out_write, o };
	struct bbpf_dump_value_opts vo = { .fmt = BBPF_DUMP_VALUE_JSON, .partial = true };
	size_t mark;

	if (!m->type_id && !m->hinted) {
		m->hinted = true;
		bbpf_cli_err("map '%s': records printed as bytes; --event %s=TYPE decodes them with "
			     "a type of the object's BTF", m->name, m->name);
	}
	rec_prefix(m, cpu);
	if (o->json)
		bbpf_cli_out_raw(o, ",\"data\":");
	mark = o->len;
	/* decode the fields that fit; a record too short for any prints as bytes */
	if (!m->type_id || size > REC_OUT_MAX ||
	    bbpf_dump_value(&w, m->btf, m->type_id, data, size, &vo)) {
		o->len = mark;
		bbpf_cli_out_bytes(o, data, size);
	}
	bbpf_cli_out_raw(o, o->json ? "}\n" : "\n");
}

void bbpf_cli_out_lost(struct bbpf_cli_rec_map *m, int cpu, uint64_t cnt)
{
	struct bbpf_cli_out *o = m->out;

	rec_prefix(m, cpu);
	if (o->json)
		bbpf_cli_out_fmt(o, ",\"lost\":%llu}\n", (unsigned long long)cnt);
	else
		bbpf_cli_out_fmt(o, "lost %llu sample%s\n", (unsigned long long)cnt,
				 cnt == 1 ? "" : "s");
}

static void trace_line(struct bbpf_cli_out *o, const char *s, size_t len)
{
	if (!o->json) {
		bbpf_cli_out_add(o, s, len);
		bbpf_cli_out_add(o, "\n", 1);
		return;
	}
	if (!len)
		return;		/* the empty line a "\n"-ended bpf_printk format adds */
	bbpf_cli_out_json_string(o, "{\"trace\":", s, len);
	bbpf_cli_out_raw(o, "}\n");
}

void bbpf_cli_out_trace(struct bbpf_cli_out *o, const char *text, size_t len)
{
	const char *line, *end, *nl;
	char *p;

	if (!o->json) {		/* as read: lines may be cut across reads */
		bbpf_cli_out_add(o, text, len);
		return;
	}
	/* after the partial line: then every whole line, the rest the new partial one */
	p = realloc(o->partial, o->partial_len + len);
	if (!p)
		return;
	memcpy(p + o->partial_len, text, len);
	o->partial = p;
	end = p + o->partial_len + len;
	for (line = p; (nl = memchr(line, '\n', (size_t)(end - line))); line = nl + 1)
		trace_line(o, line, (size_t)(nl - line));
	o->partial_len = (size_t)(end - line);
	memmove(p, line, o->partial_len);
}

void bbpf_cli_out_trace_end(struct bbpf_cli_out *o)
{
	if (o->partial_len)
		trace_line(o, o->partial, o->partial_len);
	o->partial_len = 0;
}

void bbpf_cli_out_iter(struct bbpf_cli_out *o, const char *prog, const char *text, size_t len)
{
	size_t i, start = 0;

	if (!o->json) {
		/* text as it is; other bytes (bpf_seq_write of binary data) as \xNN */
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)text[i];
			char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

			if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t')
				continue;
			bbpf_cli_out_add(o, text + start, i - start);
			bbpf_cli_out_add(o, esc, sizeof(esc));
			start = i + 1;
		}
		bbpf_cli_out_add(o, text + start, len - start);
		return;
	}
	bbpf_cli_out_json_string(o, "{\"iter\":", prog, strlen(prog));
	bbpf_cli_out_json_string(o, ",\"text\":", text, len);
	bbpf_cli_out_raw(o, "}\n");
}
