// SPDX-License-Identifier: BSD-2-Clause
/*
 * msgz: a build tool (host C, linked into nothing) for the static CLIs.
 *
 *   msgz SINKS OUTDIR CATALOG.c FILE...
 *
 * Copies each FILE to OUTDIR/FILE, replacing the format argument of every
 * call to a diagnostic sink (SINKS: lines "name position [file [fmt-only]]",
 * the format's 1-based argument position, optionally only in that source
 * file, "*" for every file)
 * by BBPF_MSGZ(n) when that argument is nothing but adjacent string
 * literals. n indexes a catalog of those texts (the same spelling, the same
 * index). Newlines inside the replaced tokens follow BBPF_MSGZ(n), so line
 * numbers stay. Preprocessor lines, comments and everything else are copied
 * as they are; a format with anything else in it (PRIu64, a variable) stays.
 * Likewise a literal argument after the format (the sinks pass those to
 * bbpf_vsnprintf: a string there is a %s argument, which it decodes),
 * except for a fmt-only sink, whose later arguments may go elsewhere too
 * (JSON). Also,
 * anywhere (in a #define too), BBPF_MSGZ_STR(literals) becomes
 * BBPF_MSGZ(n): a text that is only ever the argument of a %s that
 * bbpf_vsnprintf formats (src/base/fmt.h), decoded there as a format is.
 *
 * CATALOG.c is a host program holding the texts as the sources spell them
 * (so this tool never decodes escapes): `catalog KEEP MAP` writes one
 * build's catalog to stdout, an empty text and then the texts whose index
 * the file KEEP lists (numbers, one a line; "-" keeps all), NUL-separated,
 * and to the file MAP a header defining BBPF_MSGZ_<n> for every index n as
 * its token in that catalog (its position + 1; a text not kept gets the
 * empty one); it fails when a text is longer than the decoder's buffer
 * (BBPF_MSGZ_MAX - 1 bytes).
 *
 * Prints a summary line; OUTDIR/msgz-skipped.txt lists the sink calls left
 * as they are (file:line name).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/msgz.h"	/* BBPF_MSGZ_MAX, BBPF_MSGZ_LIMIT */
/*
 * A literal spelled in this many bytes or fewer ("%s", "%s%s": quotes
 * included) stays: it saves nothing, and "%s" formats lines that are
 * printed in bulk (verifier logs), each print a decode.
 */
#define MIN_SPELLED 6
/* The marker of a text printed only through a %s (src/base/diag.h). */
#define MARKER "BBPF_MSGZ_STR"

struct sink {
	char name[64];
	int pos;
	char file[256];	/* "" = every file */
	int fmt_only;	/* the arguments after the format are not only bbpf_vsnprintf's */
};

enum tok_kind { T_IDENT, T_STR, T_CHR, T_PUNCT, T_OTHER };

struct tok {
	enum tok_kind kind;
	size_t start, end;	/* in the file's text */
	char c;			/* T_PUNCT: the character */
	int dir;		/* inside a preprocessor directive */
};

struct text {
	char *s;	/* the literals, joined with single spaces */
};

static struct sink *sinks;
static size_t sink_cnt;
static struct text *texts;
static size_t text_cnt, text_cap;
static unsigned long rewritten, skipped, marked, args_rewritten;
static FILE *skip_log;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("msgz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		die("%s: %s", path, strerror(errno));
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = xrealloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void mkdirs(const char *path)
{
	char tmp[4096];
	size_t i;

	if (strlen(path) >= sizeof(tmp))
		die("%s: path too long", path);
	strcpy(tmp, path);
	for (i = 1; tmp[i]; i++) {
		if (tmp[i] != '/')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0777) && errno != EEXIST)
			die("mkdir %s: %s", tmp, strerror(errno));
		tmp[i] = '/';
	}
}

static void read_sinks(const char *path)
{
	size_t len;
	char *buf = read_file(path, &len), *line, *save = NULL;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct sink s = { .pos = 0 };
		char opt[16] = "";
		int n;

		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			continue;
		n = sscanf(line, "%63s %d %255s %15s", s.name, &s.pos, s.file, opt);
		if (n < 2 || s.pos < 1 || (n == 4 && strcmp(opt, "fmt-only")))
			die("%s: bad line: %s", path, line);
		s.fmt_only = n == 4;
		if (!strcmp(s.file, "*"))
			s.file[0] = 0;
		sinks = xrealloc(sinks, (sink_cnt + 1) * sizeof(*sinks));
		sinks[sink_cnt++] = s;
	}
	free(buf);
	if (!sink_cnt)
		die("%s: no sinks", path);
}

static const struct sink *find_sink(const char *file, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sink_cnt; i++)
		if (strlen(sinks[i].name) == len && !memcmp(sinks[i].name, name, len) &&
		    (!sinks[i].file[0] || !strcmp(sinks[i].file, file)))
			return &sinks[i];
	return NULL;
}

/* Index of the text (same spelling: same index). */
static size_t text_index(const char *s)
{
	size_t i;

	for (i = 0; i < text_cnt; i++)
		if (!strcmp(texts[i].s, s))
			return i;
	if (text_cnt == text_cap) {
		text_cap = text_cap ? text_cap * 2 : 256;
		texts = xrealloc(texts, text_cap * sizeof(*texts));
	}
	texts[text_cnt].s = strdup(s);
	if (!texts[text_cnt].s)
		die("out of memory");
	return text_cnt++;
}

/* Past a quoted literal starting at s[i] (the quote); the file's end if unterminated. */
static size_t skip_quoted(const char *s, size_t len, size_t i, const char *file)
{
	char q = s[i++];

	while (i < len && s[i] != q) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		else if (s[i] == '\n')
			die("%s: newline in a literal", file);
		i++;
	}
	if (i >= len)
		die("%s: unterminated literal", file);
	return i + 1;
}

/*
 * The tokens of s (comments and whitespace left out); those of a
 * preprocessor directive (it runs to the first newline not escaped by a
 * backslash and outside a comment) have dir set.
 */
static struct tok *tokenize(const char *s, size_t len, size_t *cnt, const char *file)
{
	struct tok *t = NULL;
	size_t n = 0, cap = 0, i = 0;
	int bol = 1;	/* only whitespace since the line's start */
	int dir = 0;	/* in a directive */

	while (i < len) {
		struct tok k = { .kind = T_OTHER, .start = i };
		char c = s[i];

		if (c == '\n') {
			bol = 1;
			dir = 0;
			i++;
			continue;
		}
		if (isspace((unsigned char)c) || (c == '\\' && i + 1 < len && s[i + 1] == '\n')) {
			i += c == '\\' ? 2 : 1;
			continue;
		}
		if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *e = strstr(s + i + 2, "*/");

			if (!e)
				die("%s: unterminated comment", file);
			i = (size_t)(e - s) + 2;
			continue;
		}
		if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if (c == '#' && bol)
			dir = 1;
		bol = 0;
		if (isalpha((unsigned char)c) || c == '_') {
			while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
				i++;
			/* a prefixed literal (L"", u8"", ...): not a plain string */
			if (i < len && (s[i] == '"' || s[i] == '\'') &&
			    ((i - k.start == 1 && strchr("LuU", c)) ||
			     (i - k.start == 2 && c == 'u' && s[i - 1] == '8'))) {
				i = skip_quoted(s, len, i, file);
				k.kind = T_OTHER;
			} else {
				k.kind = T_IDENT;
			}
		} else if (isdigit((unsigned char)c) || (c == '.' && i + 1 < len && isdigit((unsigned char)s[i + 1]))) {
			/* a pp-number */
			while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' ||
					   ((s[i] == '+' || s[i] == '-') && strchr("eEpP", s[i - 1]))))
				i++;
		} else if (c == '"') {
			i = skip_quoted(s, len, i, file);
			k.kind = T_STR;
		} else if (c == '\'') {
			i = skip_quoted(s, len, i, file);
			k.kind = T_CHR;
		} else {
			k.kind = T_PUNCT;
			k.c = c;
			i++;
		}
		k.end = i;
		k.dir = dir;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			t = xrealloc(t, cap * sizeof(*t));
		}
		t[n++] = k;
	}
	*cnt = n;
	return t;
}

static unsigned long line_of(const char *s, size_t off)
{
	unsigned long l = 1;
	size_t i;

	for (i = 0; i < off; i++)
		l += s[i] == '\n';
	return l;
}

struct repl {
	size_t start, end, idx;
};

static int repl_cmp(const void *a, const void *b)
{
	const struct repl *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Records the replacement of s[start, end) by the text of the literal
 * tokens t[first, last) (their spellings joined by single spaces).
 */
static void add_repl(struct repl **r, size_t *r_cnt, const char *s, const struct tok *t,
		     size_t first, size_t last, size_t start, size_t end)
{
	size_t tl = 0, k;
	char *joined;

	for (k = first; k < last; k++)
		tl += t[k].end - t[k].start + 1;
	joined = xrealloc(NULL, tl + 1);
	tl = 0;
	for (k = first; k < last; k++) {
		if (tl)
			joined[tl++] = ' ';
		memcpy(joined + tl, s + t[k].start, t[k].end - t[k].start);
		tl += t[k].end - t[k].start;
	}
	joined[tl] = '\0';
	*r = xrealloc(*r, (*r_cnt + 1) * sizeof(**r));
	(*r)[(*r_cnt)++] = (struct repl){ .start = start, .end = end, .idx = text_index(joined) };
	free(joined);
}

static int text_cmp(const void *a, const void *b)
{
	return strcmp(((const struct text *)a)->s, ((const struct text *)b)->s);
}

/* outdir NULL: only collect the texts (the first of main's two passes). */
static void rewrite(const char *file, const char *outdir)
{
	size_t len, cnt, all_cnt, i, r_cnt = 0;
	char *s = read_file(file, &len);
	struct tok *all = tokenize(s, len, &all_cnt, file), *t;
	struct repl *r = NULL;
	char out[4096];
	FILE *f;

	/* the sinks' calls: outside directives */
	t = xrealloc(NULL, all_cnt * sizeof(*t));
	for (i = cnt = 0; i < all_cnt; i++)
		if (!all[i].dir)
			t[cnt++] = all[i];

	for (i = 0; i + 1 < cnt; i++) {
		const struct sink *sk;
		size_t j, arg_first, arg_end, ntok, done = 0;
		int depth, arg, a;

		if (t[i].kind != T_IDENT || t[i + 1].kind != T_PUNCT || t[i + 1].c != '(')
			continue;
		if (i && t[i - 1].kind == T_PUNCT && (t[i - 1].c == '.' || t[i - 1].c == '>'))
			continue;	/* a member (x.name( or x->name() */
		sk = find_sink(file, s + t[i].start, t[i].end - t[i].start);
		if (!sk)
			continue;
		/*
		 * The format, then each argument after it: those are all
		 * bbpf_vsnprintf's variadic arguments (a sink's contract), so a
		 * literal there is the argument of a %s, which decodes a token.
		 */
		for (a = sk->pos;; a++) {
			depth = 0;
			arg = 1;
			ntok = arg_first = arg_end = 0;
			for (j = i + 1; j < cnt; j++) {
				if (t[j].kind == T_PUNCT && strchr("([{", t[j].c)) {
					if (depth++ == 0)
						continue;
				} else if (t[j].kind == T_PUNCT && strchr(")]}", t[j].c)) {
					if (--depth == 0)
						break;
				} else if (depth == 1 && t[j].kind == T_PUNCT && t[j].c == ',') {
					arg++;
					continue;
				}
				if (arg != a)
					continue;
				if (!ntok++)
					arg_first = j;
				arg_end = j + 1;
			}
			if (j == cnt)
				die("%s:%lu: unbalanced call of %s", file, line_of(s, t[i].start), sk->name);
			/*
			 * Every run of adjacent literals that is the whole argument or a
			 * branch of a conditional at the argument's top level
			 * (c ? "a" : "b"): after nothing, '?' or ':', before nothing or ':'.
			 */
			depth = 0;
			for (j = arg_first; ntok && j < arg_end; j++) {
				size_t e = j;

				if (t[j].kind == T_PUNCT && strchr("([{", t[j].c))
					depth++;
				else if (t[j].kind == T_PUNCT && strchr(")]}", t[j].c))
					depth--;
				if (depth || t[j].kind != T_STR)
					continue;
				while (e < arg_end && t[e].kind == T_STR)
					e++;
				if ((j > arg_first && !(t[j - 1].kind == T_PUNCT && strchr("?:", t[j - 1].c))) ||
				    (e < arg_end && !(t[e].kind == T_PUNCT && t[e].c == ':')) ||
				    (e == j + 1 && t[j].end - t[j].start <= MIN_SPELLED)) {
					j = e - 1;
					continue;
				}
				add_repl(&r, &r_cnt, s, t, j, e, t[j].start, t[e - 1].end);
				if (a == sk->pos) {
					rewritten++;
					done++;
				} else {
					args_rewritten++;
				}
				j = e - 1;
			}
			if (!ntok || sk->fmt_only)
				break;
		}
		if (!done) {
			skipped++;
			if (skip_log)
				fprintf(skip_log, "%s:%lu %s\n", file, line_of(s, t[i].start), sk->name);
		}
	}

	/*
	 * BBPF_MSGZ_STR(literals) anywhere (also in a #define): the whole
	 * marker becomes BBPF_MSGZ(n). A marker around anything else stays
	 * (the macro is the identity: its definition in src/base/fmt.h).
	 */
	for (i = 0; i + 3 < all_cnt; i++) {
		size_t e = i + 2;

		if (all[i].kind != T_IDENT || all[i].end - all[i].start != strlen(MARKER) ||
		    memcmp(s + all[i].start, MARKER, strlen(MARKER)) ||
		    all[i + 1].kind != T_PUNCT || all[i + 1].c != '(')
			continue;
		while (e < all_cnt && all[e].kind == T_STR)
			e++;
		if (e == i + 2 || e == all_cnt || all[e].kind != T_PUNCT || all[e].c != ')')
			continue;
		add_repl(&r, &r_cnt, s, all, i + 2, e, all[i].start, all[e].end);
		marked++;
		i = e;
	}

	if (!outdir)
		goto done;
	if ((size_t)snprintf(out, sizeof(out), "%s/%s", outdir, file) >= sizeof(out))
		die("%s: path too long", file);
	mkdirs(out);
	if (r_cnt)	/* a call inside an earlier argument of another comes later */
		qsort(r, r_cnt, sizeof(*r), repl_cmp);
	for (i = 1; i < r_cnt; i++)
		if (r[i].start < r[i - 1].end)
			die("%s:%lu: a BBPF_MSGZ_STR marker inside a sink's format", file,
			    line_of(s, r[i].start));
	f = fopen(out, "w");
	if (!f)
		die("%s: %s", out, strerror(errno));
	{
		size_t pos = 0;

		for (i = 0; i < r_cnt; i++) {
			size_t k;

			fwrite(s + pos, 1, r[i].start - pos, f);
			fprintf(f, "BBPF_MSGZ(%zu)", r[i].idx);
			for (k = r[i].start; k < r[i].end; k++)
				if (s[k] == '\n')
					fputc('\n', f);
			pos = r[i].end;
		}
		fwrite(s + pos, 1, len - pos, f);
	}
	if (fclose(f))
		die("%s: write error", out);
done:
	free(r);
	free(t);
	free(all);
	free(s);
}

static void write_catalog(const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "/* Generated by src/tools/msgz.c: the static builds' message texts. */\n"
		"#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
		"static const char *const texts[] = {\n");
	for (i = 0; i < text_cnt; i++)
		fprintf(f, "\t/* %zu */ %s,\n", i, texts[i].s);
	fprintf(f, "};\n\n"
		"int main(int argc, char **argv)\n{\n"
		"\tsize_t n = sizeof(texts) / sizeof(texts[0]), i;\n"
		"\tchar *keep = calloc(n, 1), line[64];\n"
		"\tFILE *k, *map;\n"
		"\tunsigned long tok = 1;\n\n"
		"\tif (argc != 3 || !keep)\n\t\treturn 2;\n"
		"\tif (!strcmp(argv[1], \"-\")) {\n\t\tmemset(keep, 1, n);\n\t} else {\n"
		"\t\tif (!(k = fopen(argv[1], \"r\"))) {\n\t\t\tperror(argv[1]);\n\t\t\treturn 1;\n\t\t}\n"
		"\t\twhile (fgets(line, sizeof(line), k)) {\n"
		"\t\t\tunsigned long v = strtoul(line, NULL, 10);\n\n"
		"\t\t\tif (v >= n) {\n\t\t\t\tfprintf(stderr, \"msgz catalog: no text %%lu\\n\", v);\n"
		"\t\t\t\treturn 1;\n\t\t\t}\n\t\t\tkeep[v] = 1;\n\t\t}\n\t\tfclose(k);\n\t}\n"
		"\tif (!(map = fopen(argv[2], \"w\"))) {\n\t\tperror(argv[2]);\n\t\treturn 1;\n\t}\n"
		"\tputchar('\\0');\n"
		"\tfor (i = 0; i < n; i++) {\n"
		"\t\tif (strlen(texts[i]) >= %d) {\n"
		"\t\t\tfprintf(stderr, \"msgz catalog: text %%zu is %%zu bytes (at most %d)\\n\",\n"
		"\t\t\t\ti, strlen(texts[i]), %d);\n\t\t\treturn 1;\n\t\t}\n"
		"\t\tif (keep[i]) {\n\t\t\tfputs(texts[i], stdout);\n\t\t\tputchar('\\0');\n\t\t}\n"
		"\t\tfprintf(map, \"#define BBPF_MSGZ_%%zu %%lu\\n\", i, keep[i] ? ++tok : 1);\n\t}\n"
		"\treturn fflush(stdout) || fclose(map) ? 1 : 0;\n}\n",
		BBPF_MSGZ_MAX, BBPF_MSGZ_MAX - 1, BBPF_MSGZ_MAX - 1);
	if (fclose(f))
		die("%s: write error", path);
}

int main(int argc, char **argv)
{
	char path[4096];
	int i;

	if (argc < 5)
		die("usage: msgz SINKS OUTDIR CATALOG.c FILE...");
	read_sinks(argv[1]);
	if ((size_t)snprintf(path, sizeof(path), "%s/msgz-skipped.txt", argv[2]) >= sizeof(path))
		die("path too long");
	mkdirs(path);
	/*
	 * Texts numbered in sorted order: similar texts side by side deflate
	 * about 2 % shorter. The first pass collects them, the second finds
	 * each one's (sorted) index and writes the copies.
	 */
	for (i = 4; i < argc; i++)
		rewrite(argv[i], NULL);
	if (text_cnt)
		qsort(texts, text_cnt, sizeof(*texts), text_cmp);
	rewritten = skipped = marked = args_rewritten = 0;
	skip_log = fopen(path, "w");
	if (!skip_log)
		die("%s: %s", path, strerror(errno));
	for (i = 4; i < argc; i++)
		rewrite(argv[i], argv[2]);
	fclose(skip_log);
	if (text_cnt >= BBPF_MSGZ_LIMIT - 1)	/* index + 1 must stay below the decoder's limit */
		die("%zu texts: too many for BBPF_MSGZ_LIMIT", text_cnt);
	write_catalog(argv[3]);
	printf("msgz: %lu format strings, %lu sink arguments and %lu BBPF_MSGZ_STR texts rewritten "
	       "(%zu distinct texts), %lu sink calls kept as they are (%s)\n",
	       rewritten, args_rewritten, marked, text_cnt, skipped, path);
	return 0;
}
