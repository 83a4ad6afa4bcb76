/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The static builds keep their diagnostic formats deflated (Makefile
 * "msgz", src/tools/msgz.c, src/base/msgz.h): failing commands print the
 * same bytes on stderr (and, with -j, stdout) from build/barebpf (literal
 * formats) and from build/barebpf-static and build/barebpf-init-static
 * (decoded formats); a known message's literal is gone from the static
 * binary's bytes while its text still reaches stderr; the catalogs hold what
 * the builds kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NORMAL BBPF_BUILD_DIR "/barebpf"
#define STATIC BBPF_BUILD_DIR "/barebpf-static"
#define INIT BBPF_BUILD_DIR "/barebpf-init-static"
#define FIX BBPF_FIXTURE_DIR
#define BAD BBPF_SRC_DIR "/tests/data/bad"

struct out {
	int status;
	char *out, *err;
	size_t out_len, err_len;
};

/* @T@: a temporary directory; @B@: a pin path on bpffs (removed after each run) */
static char tmpdir[128], bpfdir[128];
static bool keep_bpfdir;	/* run() leaves what a command pinned (test_output_matches_normal) */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* bin with args (a shell word list; @T@ is the test's temporary directory). */
static struct out run(const char *bin, const char *args)
{
	char cmd[2048], words[1024], path[256];
	struct out o;
	const char *p;
	size_t n = 0;

	for (p = args; *p && n + sizeof(tmpdir) < sizeof(words); p++) {
		if (!strncmp(p, "@T@", 3) || !strncmp(p, "@B@", 3)) {
			n += (size_t)snprintf(words + n, sizeof(words) - n, "%s", p[1] == 'T' ? tmpdir : bpfdir);
			p += 2;
		} else {
			words[n++] = *p;
		}
	}
	words[n] = '\0';
	snprintf(cmd, sizeof(cmd), "%s %s >%s/out 2>%s/err </dev/null; s=$?; %s[ ! -e %s ] || rm -rf %s; exit $s",
		 bin, words, tmpdir, tmpdir, keep_bpfdir ? "exit $s; " : "", bpfdir, bpfdir);
	o.status = system(cmd);
	assert_true(WIFEXITED(o.status));
	o.status = WEXITSTATUS(o.status);
	snprintf(path, sizeof(path), "%s/out", tmpdir);
	o.out = read_all(path, &o.out_len);
	snprintf(path, sizeof(path), "%s/err", tmpdir);
	o.err = read_all(path, &o.err_len);
	return o;
}

static void out_free(struct out *o)
{
	free(o->out);
	free(o->err);
}

/* Failing commands: on the init build too when init (its one command: prog loadall). */
static const struct fail_cmd {
	const char *args;
	bool init;
	bool json;	/* the error is JSON on stdout */
} cmds[] = {
	{ "", true, false },
	{ "bogus", true, false },
	{ "prog loadall", true, false },
	{ "prog loadall " FIX "/minimal.bpf.o", true, false },
	{ "prog loadall /nonexistent-msgz.o @B@", true, false },
	{ "prog loadall " BAD "/elf-section-name-empty-prog.o @B@", true, false },
	{ "prog loadall " BAD "/elf-section-name-out-of-range.o @B@", true, false },
	{ "prog loadall " BAD "/elf-section-name-unterminated.o @B@", true, false },
	{ "prog loadall " BAD "/btf-typedef-cycle-map-key.o @B@", true, false },
	{ "prog loadall " BAD "/btf-typedef-chain-deep-var.o @B@", true, false },
	{ "prog loadall " BAD "/btf-ext-info-off-unaligned.o @B@", true, false },
	{ "prog loadall " BAD "/btf-ext-rec-size-unaligned.o @B@", true, false },
	{ "prog loadall " BAD "/btf-typedef-chain-deep-map-key.o @B@", true, false },
	{ "prog loadall " BAD "/obj-data-var-size-64bit.o @B@", true, false },
	{ "prog loadall " BAD "/obj-extern-kconfig-size-64bit.o @B@", true, false },
	{ "prog loadall " BAD "/obj-extern-ksym-size-64bit.o @B@", true, false },
	/* reasons (bbpf_bad_str: tokens decoded through a %s in the static builds) */
	{ "prog loadall @T@/bad.config @B@", true, false },
	{ "inspect @T@/bad.config", false, false },
	{ "btf dump file @T@/bad.config", false, false },
	{ "prog loadall " FIX "/minimal.bpf.o @T@/nobpffs/pin", true, false },
	{ "prog loadall " FIX "/minimal.bpf.o @B@ type bogus_type", true, false },
	{ "prog loadall " FIX "/minimal.bpf.o @B@ bogusopt", true, false },
	{ "prog loadall " FIX "/externs.bpf.o @B@ kconfig @T@/bad.config", true, false },
	{ "prog loadall " FIX "/externs.bpf.o @B@ kconfig @T@/none.config", true, false },
	/* the verifier rejects it (CO-RE poison): the verifier's log and the failure */
	{ "prog loadall " FIX "/core_poison.bpf.o @B@", true, false },
	{ "prog loadall " FIX "/load_retry.bpf.o @B@", true, false },
	{ "prog loadall " FIX "/freplace_ext.bpf.o @B@", true, false },
	{ "inspect /nonexistent-msgz.o", false, false },
	{ "inspect " BAD "/btf-typedef-cycle-map-key.o", false, false },
	{ "inspect " BAD "/elf-section-name-out-of-range.o", false, false },
	{ "map show name msgz_nosuchmap", false, false },
	{ "prog show name msgz_nosuch", false, false },
	{ "prog show id 2147483000", false, false },
	{ "map dump id 2147483000", false, false },
	{ "link show id 2147483000", false, false },
	{ "prog pin id 2147483000 @B@", false, false },
	{ "map lookup id 2147483000 key 0 0 0 0", false, false },
	{ "struct_ops show id 2147483000", false, false },
	{ "cgroup show /nonexistent-msgz", false, false },
	{ "perf show bogus", false, false },
	{ "net show dev msgz_nodev", false, false },
	{ "feature probe bogus", false, false },
	{ "btf dump file /nonexistent-msgz", false, false },
	{ "gen skeleton /nonexistent-msgz.o", false, false },
	{ "prog load /nonexistent-msgz.o @B@", false, false },
	{ "-j prog show id 2147483000", false, true },
	{ "-j map show name msgz_nosuchmap", false, true },
	{ "-j link show id 2147483000", false, true },
	{ "-j map dump id 2147483000", false, true },
	{ "-j prog loadall", false, true },
};

static void cleanup_tmp(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s; [ ! -e %s ] || rm -rf %s", tmpdir, bpfdir, bpfdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed: %s\n", cmd);
}

static void setup_tmp(void)
{
	char path[256];
	FILE *f;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_msgz.%d", (int)getpid());
	snprintf(bpfdir, sizeof(bpfdir), "/sys/fs/bpf/test_msgz_%d", (int)getpid());
	cleanup_tmp();	/* what a failed test before this one left */
	assert_int_equal(mkdir(tmpdir, 0700), 0);
	snprintf(path, sizeof(path), "%s/nobpffs", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/nobpffs/file", tmpdir);	/* not empty: nothing mounts there */
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/bad.config", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("CONFIG_BPF=y\nCONFIG_HZ=\"unterminated\nthis is no config line\n", f);
	fclose(f);
}

static bool seen(char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static void test_static_messages_match_normal(void **state)
{
	char *distinct[2 * sizeof(cmds) / sizeof(cmds[0])];
	size_t nd = 0, i, compared = 0, init_compared = 0, json = 0;

	(void)state;
	setup_tmp();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct out a = run(NORMAL, cmds[i].args), b = run(STATIC, cmds[i].args);
		const char *msg = cmds[i].json ? a.out : a.err;
		size_t len = cmds[i].json ? a.out_len : a.err_len;

		printf("%-70.70s %d %s", cmds[i].args, a.status, len ? msg : "(nothing)\n");
		if (!len)	/* a failure, or a warning on a load that went on (exit 0) */
			fail_msg("'%s': the normal CLI printed nothing (%d)", cmds[i].args, a.status);
		if (a.status != b.status || a.err_len != b.err_len || memcmp(a.err, b.err, a.err_len) ||
		    (cmds[i].json && (a.out_len != b.out_len || memcmp(a.out, b.out, a.out_len))))
			fail_msg("'%s': static differs:\nnormal (%d): %s%s\nstatic (%d): %s%s",
				 cmds[i].args, a.status, a.err, a.out, b.status, b.err, b.out);
		if (cmds[i].json) {
			assert_non_null(strstr(a.out, "\"error\""));
			json++;
		}
		if (!seen(distinct, nd, msg)) {
			distinct[nd] = strdup(msg);
			assert_non_null(distinct[nd]);
			nd++;
		}
		compared++;
		if (cmds[i].init) {
			struct out c = run(INIT, cmds[i].args);

			/*
			 * The init CLI has one command: after a usage error its usage
			 * text differs, the message line not; anything else is the same.
			 */
			size_t cmp = strstr(a.err, "Usage:") ? (size_t)(strchr(a.err, '\n') - a.err + 1)
							    : a.err_len + 1;

			if (c.status != a.status || !c.err_len || strncmp(c.err, a.err, cmp))
				fail_msg("'%s': init static differs:\nnormal (%d): %s\ninit (%d): %s",
					 cmds[i].args, a.status, a.err, c.status, c.err);
			init_compared++;
			out_free(&c);
		}
		out_free(&a);
		out_free(&b);
	}
	cleanup_tmp();
	printf("%zu commands compared (%zu on the init build, %zu JSON), %zu distinct messages\n",
	       compared, init_compared, json, nd);
	assert_true(nd >= 30);
	assert_true(init_compared >= 15);
	assert_true(json >= 4);
	for (i = 0; i < nd; i++)
		free(distinct[i]);
}

static bool contains(const char *buf, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(buf + i, s, n))
			return true;
	return false;
}

/* A message's format literal: in the normal CLI's bytes, not in the static ones'; its text in both's stderr. */
static void test_literal_gone_text_printed(void **state)
{
	static const char *const lits[] = { "no %s is named '%s'", "cannot get %s id %u",
					    "invalid devname %s" };
	size_t nlen, slen, ilen, i;
	char *normal = read_all(NORMAL, &nlen), *stat = read_all(STATIC, &slen),
	     *init = read_all(INIT, &ilen);
	struct out o;

	(void)state;
	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		assert_true(contains(normal, nlen, lits[i]));
		if (contains(stat, slen, lits[i]))
			fail_msg("'%s' is a literal in %s", lits[i], STATIC);
	}
	/* the init build: its missing-argument message */
	assert_true(contains(normal, nlen, "missing %s"));
	assert_false(contains(init, ilen, "missing %s"));
	setup_tmp();
	o = run(STATIC, "map show name msgz_nosuchmap");
	assert_non_null(strstr(o.err, "no map is named 'msgz_nosuchmap'"));
	out_free(&o);
	o = run(INIT, "prog loadall");
	assert_non_null(strstr(o.err, "missing OBJ"));
	out_free(&o);
	cleanup_tmp();
	free(normal);
	free(stat);
	free(init);
}

/*
 * Texts printed through a %s, tokens in the static builds: reasons
 * (src/base/diag.c) and an extern's failure (src/obj/extern.c), marked
 * BBPF_MSGZ_STR; a literal argument after a sink's format (externs.c's
 * missing(): "the kernel's BTF"). The literal is in the normal CLI's bytes,
 * not in the static ones', and all three print the text.
 */
static void test_reason_token_decoded(void **state)
{
	static const char *const lits[] = { "not an ELF file", "section name outside the name table",
					    "malformed BTF.ext header", ": unsupported type",
					    "the kernel's BTF" };
	static const char *const args[] = {
		"prog loadall @T@/bad.config @B@",
		"prog loadall " BAD "/elf-section-name-out-of-range.o @B@",
		"prog loadall " BAD "/btf-ext-info-off-unaligned.o @B@",
		"prog loadall " BAD "/obj-extern-kconfig-size-64bit.o @B@",
		"prog loadall " BAD "/obj-extern-ksym-size-64bit.o @B@",
	};
	const char *const bins[] = { NORMAL, STATIC, INIT };
	size_t len[3], i, b;
	char *bytes[3];

	(void)state;
	for (b = 0; b < 3; b++)
		bytes[b] = read_all(bins[b], &len[b]);
	setup_tmp();
	_Static_assert(sizeof(lits) / sizeof(lits[0]) == sizeof(args) / sizeof(args[0]), "a pair");
	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		assert_true(contains(bytes[0], len[0], lits[i]));
		for (b = 0; b < 3; b++) {
			struct out o = run(bins[b], args[i]);

			if (b && contains(bytes[b], len[b], lits[i]))
				fail_msg("'%s' is a literal in %s", lits[i], bins[b]);
			if (!strstr(o.err, lits[i]))
				fail_msg("%s %s: no '%s' on stderr: %s", bins[b], args[i], lits[i], o.err);
			out_free(&o);
		}
	}
	cleanup_tmp();
	for (b = 0; b < 3; b++)
		free(bytes[b]);
}

/*
 * The init build's strerror() texts (src/cli/main.c) are catalog tokens too:
 * musl's "No such file or directory" is not in its bytes, yet it is printed,
 * as the normal CLI (glibc's text, the same) prints it.
 */
static void test_init_strerror_token(void **state)
{
	static const char lit[] = "No such file or directory";
	static const char args[] = "prog loadall /nonexistent-msgz-object @B@";
	struct out n, i;
	size_t len;
	char *bytes = read_all(INIT, &len);

	(void)state;
	setup_tmp();
	if (contains(bytes, len, lit))
		fail_msg("'%s' is a literal in %s", lit, INIT);
	n = run(NORMAL, args);
	i = run(INIT, args);
	if (!strstr(i.err, lit))
		fail_msg("%s %s: no '%s' on stderr: %s", INIT, args, lit, i.err);
	assert_string_equal(i.err, n.err);
	out_free(&n);
	out_free(&i);
	cleanup_tmp();
	free(bytes);
}

/* Each build's catalog: the messages it kept, a few hundred of them, and the init build fewer. */
static void test_catalogs(void **state)
{
	size_t flen, ilen, i, fn = 0, in = 0;
	char *full = read_all(BBPF_BUILD_DIR "/msgz/full/keep.txt", &flen),
	     *init = read_all(BBPF_BUILD_DIR "/msgz/init/keep.txt", &ilen);

	(void)state;
	for (i = 0; i < flen; i++)
		fn += full[i] == '\n';
	for (i = 0; i < ilen; i++)
		in += init[i] == '\n';
	printf("catalogs: full %zu messages, init %zu\n", fn, in);
	assert_true(fn >= 300);
	assert_true(in >= 50);
	assert_true(in < fn);
	free(full);
	free(init);
}

static size_t count(const char *buf, size_t len, const char *s)
{
	size_t n = strlen(s), i, c = 0;

	for (i = 0; i + n <= len; i++)
		c += !memcmp(buf + i, s, n);
	return c;
}

/*
 * The rewritten copies the static builds compile: every one has as many
 * lines as its source (so the compiler's line numbers and __LINE__ hold),
 * and together they hold hundreds of BBPF_MSGZ(n) where the sources have none.
 */
static void test_rewritten_copies(void **state)
{
	FILE *p = popen("ls " BBPF_SRC_DIR "/src/*/*.c", "r");
	char path[512], copy[600];
	size_t files = 0, markers = 0, marked = 0;

	(void)state;
	assert_non_null(p);
	while (fgets(path, sizeof(path), p)) {
		size_t slen, clen;
		char *src, *cp;

		path[strcspn(path, "\n")] = '\0';
		if (strstr(path, "/src/tools/") || strstr(path, "/src/compat/"))
			continue;
		snprintf(copy, sizeof(copy), BBPF_BUILD_DIR "/msgz/%s", path + strlen(BBPF_SRC_DIR) + 1);
		src = read_all(path, &slen);
		cp = read_all(copy, &clen);
		if (count(src, slen, "\n") != count(cp, clen, "\n"))
			fail_msg("%s: %zu lines, its copy %zu", path, count(src, slen, "\n"),
				 count(cp, clen, "\n"));
		markers += count(cp, clen, "BBPF_MSGZ(");
		marked += count(src, slen, "BBPF_MSGZ_STR(\"");
		assert_int_equal(count(src, slen, "BBPF_MSGZ("), 0);
		assert_int_equal(count(cp, clen, "BBPF_MSGZ_STR("), 0);	/* every marker rewritten */
		files++;
		free(src);
		free(cp);
	}
	pclose(p);
	printf("%zu copies, %zu formats and %%s texts rewritten (%zu BBPF_MSGZ_STR)\n", files, markers,
	       marked);
	assert_true(files >= 100);
	assert_true(markers >= 600 + marked);
	assert_true(marked >= 50);
}

static void digits_out(struct out *o)
{
	size_t i;

	for (i = 0; i < o->out_len; i++)
		o->out[i] = isdigit((unsigned char)o->out[i]) ? '#' : o->out[i];
	for (i = 0; i < o->err_len; i++)
		o->err[i] = isdigit((unsigned char)o->err[i]) ? '#' : o->err[i];
}

/*
 * Output lines are tokens too in the static builds (the formats of
 * bbpf_cli_fprintf, bbpf_cli_kobj_printf, inspect's table cells and
 * requirement items, run's output, decoded
 * from the catalog the process inflated once): a command's whole output is
 * the normal CLI's, for the object inspector and for a loaded program and
 * its maps (shown by both CLIs from the one load).
 */
static void test_output_matches_normal(void **state)
{
	static const char *const out_cmds[] = {
		"inspect " FIX "/minimal.bpf.o",
		"inspect " FIX "/maps_btf.bpf.o",
		"-p inspect " FIX "/minimal.bpf.o",
		"inspect --requirements " FIX "/minimal.bpf.o",
		"-j inspect --requirements " FIX "/maps_btf.bpf.o",
		"prog show pinned @B@/handle_tp",
		"-j prog show pinned @B@/handle_tp",
		"prog dump xlated pinned @B@/handle_tp",
		"prog dump xlated pinned @B@/handle_tp linum",
		"map show pinned @B@/maps/minimal_bss",
		"map dump pinned @B@/maps/minimal_bss",
		"prog help",
		/* members printed through kobj_u/kobj_s (text formats deflated), other printers' formats */
		"btf show",
		"-j btf show",
		"net show",
		"-j net show",
		"cgroup tree",
		"feature probe kernel",
		/* pids and times in its records differ: compared with digits as '#' */
		"run " FIX "/minimal.bpf.o --duration 1 --show my_pid --dump minimal.bss",
	};
	size_t i, lines = 0;
	struct out l;

	(void)state;
	setup_tmp();
	if (geteuid() != 0) {
		cleanup_tmp();
		skip();	/* the program shown is loaded into the kernel */
	}
	keep_bpfdir = true;
	l = run(NORMAL, "prog loadall " FIX "/minimal.bpf.o @B@ pinmaps @B@/maps");
	assert_int_equal(l.status, 0);
	out_free(&l);
	for (i = 0; i < sizeof(out_cmds) / sizeof(out_cmds[0]); i++) {
		struct out a = run(NORMAL, out_cmds[i]), b = run(STATIC, out_cmds[i]);

		if (a.status || !a.out_len)
			fail_msg("'%s': the normal CLI failed (%d): %s", out_cmds[i], a.status, a.err);
		if (!strncmp(out_cmds[i], "run ", 4)) {
			digits_out(&a);
			digits_out(&b);
		}
		if (a.status != b.status || a.out_len != b.out_len || memcmp(a.out, b.out, a.out_len) ||
		    a.err_len != b.err_len || memcmp(a.err, b.err, a.err_len))
			fail_msg("'%s': static differs:\nnormal (%d): %s%s\nstatic (%d): %s%s",
				 out_cmds[i], a.status, a.out, a.err, b.status, b.out, b.err);
		lines += count(a.out, a.out_len, "\n");
		out_free(&a);
		out_free(&b);
	}
	keep_bpfdir = false;
	cleanup_tmp();
	printf("%zu commands, %zu output lines the same\n", sizeof(out_cmds) / sizeof(out_cmds[0]), lines);
	assert_true(lines >= 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_messages_match_normal),
		cmocka_unit_test(test_literal_gone_text_printed),
		cmocka_unit_test(test_reason_token_decoded),
		cmocka_unit_test(test_init_strerror_token),
		cmocka_unit_test(test_catalogs),
		cmocka_unit_test(test_rewritten_copies),
		cmocka_unit_test(test_output_matches_normal),
	};

	if (chdir(BBPF_SRC_DIR) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
