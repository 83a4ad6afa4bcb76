#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Whole-process cost of loading objects: barebpf's CLI vs bpftool (libbpf).

bench/objects.py [OBJ...]: for each object, `prog loadall OBJ PINDIR` with
build/barebpf (and build/barebpf-static if it exists) and with bpftool
(Debian's, libbpf 1.1) and with build/bench/libbpf_loadall (the same
open/load/pin on Debian's libbpf.a, linked -static). Columns: user-space instructions of the whole
process (callgrind, one run each; repeatable whatever else the machine
does), wall time (median of BENCH_RUNS runs, loaders interleaved, as the
ratio libbpf / barebpf) and peak RSS (GNU time's %M, kB). A loader that
fails on an object shows its exit status instead of numbers. Pins go to a
fresh directory under /sys/fs/bpf, removed after each run. Prints markdown.

Without arguments: the tp_btf tool, the CO-RE fixture, the minimal example,
the socket filter and eight-tracepoint tools (bench/bpf),
every fixture in build/bpf, and the generated many-program series
(bench/gen_many.py, built into build/bench by `make bench-objects`).
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get('BENCH_RUNS', '5'))
PIN = '/sys/fs/bpf/bench_objects_%d' % os.getpid()
LOADERS = [('barebpf', ['build/barebpf'])]
if os.path.exists('build/barebpf-static'):
    LOADERS.append(('barebpf-static', ['build/barebpf-static']))
LOADERS.append(('bpftool', ['bpftool']))
# The static libbpf reference (bench/libbpf_loadall.c, `make bench-objects` builds it).
if os.path.exists('build/bench/libbpf_loadall'):
    LOADERS.append(('libbpf-static', ['build/bench/libbpf_loadall']))


def cmd(loader, obj):
    return loader + ['prog', 'loadall', obj, PIN]


def fresh_pin():
    shutil.rmtree(PIN, ignore_errors=True)
    os.mkdir(PIN)


def run_once(argv):
    """(exit status, seconds, max RSS kB) of one run.

    Peak RSS comes from GNU time (%M): a child forked from this Python
    process would inherit Python's RSS as its high-water mark across exec.
    """
    fresh_pin()
    with tempfile.NamedTemporaryFile(prefix='bench_time_', mode='r') as out:
        t = time.monotonic()
        with open(os.devnull, 'wb') as null:
            rc = subprocess.call(['/usr/bin/time', '-f', '%x %M', '-o', out.name] + argv,
                                 stdout=null, stderr=null)
        dt = time.monotonic() - t
        fields = (out.read().split() or ['1', '0'])[-2:]
    shutil.rmtree(PIN, ignore_errors=True)
    return (rc or int(fields[0])), dt, int(fields[1])


def instructions(argv):
    fresh_pin()
    with tempfile.NamedTemporaryFile(prefix='bench_cg_') as out:
        with open(os.devnull, 'wb') as null:
            rc = subprocess.call(['valgrind', '--tool=callgrind',
                                  '--callgrind-out-file=' + out.name] + argv,
                                 stdout=null, stderr=null)
        shutil.rmtree(PIN, ignore_errors=True)
        if rc:
            return None
        for line in open(out.name):
            if line.startswith('totals:') or line.startswith('summary:'):
                return int(line.split()[1])
    return None


def measure(obj):
    res = {}
    times = {name: [] for name, _ in LOADERS}
    rss = {name: 0 for name, _ in LOADERS}
    status = {name: 0 for name, _ in LOADERS}
    for _ in range(RUNS):	# interleaved
        for name, loader in LOADERS:
            rc, dt, kb = run_once(cmd(loader, obj))
            status[name] = status[name] or rc
            times[name].append(dt)
            rss[name] = max(rss[name], kb)
    for name, loader in LOADERS:
        ir = instructions(cmd(loader, obj)) if not status[name] else None
        res[name] = (status[name], ir, statistics.median(times[name]), rss[name])
    return res


def default_objects():
    objs = ['build/bench/tpbtf_tool.bpf.o', 'build/bpf/core.bpf.o', 'build/bpf/minimal.bpf.o',
            'build/bench/sockfilter.bpf.o', 'build/bench/tp8_tool.bpf.o']
    objs += sorted(o for o in glob.glob('build/bpf/*.bpf.o') if o not in objs)
    for pat in ('build/bench/many[0-9]*.bpf.o', 'build/bench/manyu*.bpf.o'):
        objs += sorted(glob.glob(pat), key=lambda o: (len(o), o))
    return [o for o in objs if os.path.exists(o)]


def main():
    objs = sys.argv[1:] or default_objects()
    names = [n for n, _ in LOADERS]
    head = ['object']
    for n in names:
        head += [n + ' Ir']
    head += ['Ir libbpf/barebpf', 'wall libbpf/barebpf']
    if 'libbpf-static' in names and 'barebpf-static' in names:
        head += ['Ir libbpf-static/barebpf-static']
    head += [n + ' RSS kB' for n in names]
    print('| ' + ' | '.join(head) + ' |')
    print('|---' + '|---:' * (len(head) - 1) + '|')
    for obj in objs:
        r = measure(obj)
        row = [os.path.basename(obj)]
        for n in names:
            st, ir, _, _ = r[n]
            row.append(f'{ir:,}' if ir else f'fails ({st})')
        b, l = r['barebpf'], r['bpftool']
        row.append(f'{l[1] / b[1]:.1f}x' if b[1] and l[1] else '-')
        row.append(f'{l[2] / b[2]:.2f}x' if not b[0] and not l[0] else '-')
        if 'libbpf-static' in names and 'barebpf-static' in names:
            bs, ls = r['barebpf-static'], r['libbpf-static']
            row.append(f'{ls[1] / bs[1]:.2f}x' if bs[1] and ls[1] else '-')
        row += [str(r[n][3]) for n in names]
        print('| ' + ' | '.join(row) + ' |', flush=True)


if __name__ == '__main__':
    main()
