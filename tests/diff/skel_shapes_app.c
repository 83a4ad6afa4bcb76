/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * skel_shapes_app.c: tests/diff/test_skel_diff.c builds it with a skeleton
 * of build/bpf/skel_shapes.bpf.o from barebpf and from bpftool, against
 * barebpf-libbpf and against libbpf; all four must print the same.
 * It reads the initial values through the skeleton's structs, sets .data
 * and .rodata before load, runs copy() once and prints what it wrote.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "skel_shapes.h"
#include "skel_shapes.skel.h"

int main(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct skel_shapes_bpf *s;
	int err;

	s = skel_shapes_bpf__open();
	if (!s) {
		printf("open failed: %d\n", -errno);
		return 1;
	}
	printf("open: d_char=%d d_ll=%lld d_arr[4]=%d bits=%u/%u/%d/%u/%llu name=%s pair=%c/%lld tail=%u\n",
	       s->data->d_char, s->data->d_ll, s->data->d_arr[4], s->data->d_bits.a,
	       s->data->d_bits.b, s->data->d_bits.c, s->data->d_bits.d,
	       (unsigned long long)s->data->d_bits.e, s->data->d_name, s->data->d_pair.tag,
	       s->data->d_pair.val, s->data->d_tail);
	printf("open: r_int=%d r_chars=%c%c%c r_pair=%c/%lld cd_a=%d cd_big[0]=%d cd_after_big=%lld "
	       "cr_a=%d cr_b=%d\n",
	       s->rodata->r_int, s->rodata->r_chars[0], s->rodata->r_chars[1], s->rodata->r_chars[2],
	       s->rodata->r_pair.tag, s->rodata->r_pair.val, s->data_custom->cd_a,
	       s->data_custom->cd_big[0], s->data_custom->cd_after_big, s->rodata_custom->cr_a,
	       s->rodata_custom->cr_b);
	s->rodata->r_int = 70;
	s->data->d_ll = 20;
	err = skel_shapes_bpf__load(s);
	if (err) {
		printf("load failed: %d\n", err);
		goto out;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(s->progs.copy), &run);
	if (err) {
		printf("test run failed: %d\n", err);
		goto out;
	}
	printf("run: calls=%lld out=%llu,%llu,%llu,%llu bits=%u/%u/%d/%u/%llu str=%s short=%d "
	       "kernel_version_set=%d\n",
	       s->bss->b_calls, s->bss->b_out[0], s->bss->b_out[1], s->bss->b_out[2],
	       s->bss->b_out[3], s->bss->b_bits.a, s->bss->b_bits.b, s->bss->b_bits.c,
	       s->bss->b_bits.d, (unsigned long long)s->bss->b_bits.e, s->bss->b_str,
	       s->bss->b_short, s->kconfig->LINUX_KERNEL_VERSION != 0);
out:
	skel_shapes_bpf__destroy(s);
	return err ? 1 : 0;
}
