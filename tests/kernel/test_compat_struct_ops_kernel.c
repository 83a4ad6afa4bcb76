// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf's struct_ops calls over barebpf on the real kernel: the fixture's
 * TCP congestion controls (build/bpf/struct_ops.bpf.o, renamed per process
 * as in test_struct_ops_kernel.c) through bpf_object__open_file/load and
 * bpf_map__attach_struct_ops: both registered while their links live
 * (bpf_link__fd: the BPF link's for .struct_ops.link), both gone after
 * bpf_link__destroy; a pinned, disconnected link's registration outlives
 * the link and the object until its pin is removed and its fd (left open,
 * as libbpf leaves it) is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/libbpf.h>
#include "kernel_avail.h"

#define CC_LIST "/proc/sys/net/ipv4/tcp_available_congestion_control"

static char name[6], link_name[16], path[64], pin[64];

static bool cc_listed(const char *cc)
{
	char buf[4096], *tok, *save;
	ssize_t n;
	int fd = open(CC_LIST, O_RDONLY);

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, cc))
			return true;
	return false;
}

/* A copy of the fixture with "bb_cc" replaced by a per-process name of the same length. */
static int setup(void **state)
{
	char src[512], *buf, *p;
	size_t hits = 0;
	long len;
	FILE *f;

	(void)state;
	snprintf(src, sizeof(src), "%s/struct_ops.bpf.o", BBPF_FIXTURE_DIR);
	f = fopen(src, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		return -1;
	fclose(f);
	snprintf(name, sizeof(name), "c%04x", (unsigned int)getpid() & 0xffff);
	snprintf(link_name, sizeof(link_name), "%s_link", name);
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/bbpf_cso_%d", (int)getpid());
	for (p = buf; p + 5 <= buf + len; p++)
		if (!memcmp(p, "bb_cc", 5)) {
			memcpy(p, name, 5);
			hits++;
		}
	snprintf(path, sizeof(path), "/tmp/bbpf_cso_%d.o", (int)getpid());
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, (size_t)len, f) != (size_t)len || hits < 4)
		return -1;
	fclose(f);
	free(buf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(pin);
	unlink(path);
	return 0;
}

static void test_attach_struct_ops_compat_live(void **state)
{
	struct bpf_link *plain, *link;
	struct bpf_object *obj;
	int fd;

	(void)state;
	TK_NEED_KERNEL();
	obj = bpf_object__open_file(path, NULL);
	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	plain = bpf_map__attach_struct_ops(bpf_object__find_map_by_name(obj, name));
	link = bpf_map__attach_struct_ops(bpf_object__find_map_by_name(obj, link_name));
	assert_non_null(plain);
	assert_non_null(link);
	assert_true(cc_listed(name));
	assert_true(cc_listed(link_name));
	fd = bpf_link__fd(link);
	assert_true(fd >= 0);
	/* pinned and disconnected: the registration outlives the link and the object */
	assert_int_equal(bpf_link__pin(link, pin), 0);
	bpf_link__disconnect(link);
	assert_int_equal(bpf_link__destroy(link), 0);
	assert_int_equal(bpf_link__destroy(plain), 0);
	assert_false(cc_listed(name));
	bpf_object__close(obj);
	assert_true(cc_listed(link_name));
	/* as libbpf's, a disconnected link's fd stays open: still ours to close */
	assert_int_equal(close(fd), 0);
	assert_true(cc_listed(link_name));	/* the pin holds it */
	assert_int_equal(unlink(pin), 0);
	for (int i = 0; i < 100 && cc_listed(link_name); i++)
		usleep(10000);	/* the link's release is deferred */
	assert_false(cc_listed(link_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_struct_ops_compat_live),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
