#!/usr/bin/env bash
# Open-phase cost, barebpf vs libbpf, on the same objects in one run:
# instructions per open (callgrind, (Ir(N) - Ir(0)) / N) and heap in use
# while one object is open. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/bench/bench_open
N=${BENCH_N:-20}
# BENCH_CORE_ONLY=1: only the CO-RE section (the last one).
objs=${BENCH_OBJS:-"build/bpf/minimal.bpf.o build/bpf/maps_btf.bpf.o build/bpf/globals.bpf.o build/bpf/externs.bpf.o build/bpf/core.bpf.o build/bpf/progs_loadable.bpf.o"}

ir() {	# impl obj n -> total instructions
	local out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" "$B" "$1" "$2" "$3" >/dev/null 2>&1
	callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
	rm -f "$out"
}

if [ -z "${BENCH_CORE_ONLY:-}" ]; then
echo "| object | bytes | barebpf Ir/open | libbpf Ir/open | Ir ratio | barebpf heap | libbpf heap | heap ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for o in $objs; do
	b0=$(ir barebpf "$o" 0); bn=$(ir barebpf "$o" "$N")
	l0=$(ir libbpf "$o" 0); ln=$(ir libbpf "$o" "$N")
	bi=$(( (bn - b0) / N )); li=$(( (ln - l0) / N ))
	bh=$("$B" barebpf "$o" 1 | awk '{print $2}')
	lh=$("$B" libbpf "$o" 1 | awk '{print $2}')
	printf "| %s | %d | %d | %d | %.1fx | %d | %d | %.1fx |\n" "$(basename "$o")" "$(stat -c %s "$o")" \
		"$bi" "$li" "$(echo "$li / $bi" | bc -l)" "$bh" "$lh" "$(echo "$lh / $bh" | bc -l)"
done

# ---- whole lifecycle: open, load, attach, trigger, destroy (minimal) ----
L=build/bench/bench_lifecycle
LN=${BENCH_LIFECYCLE_N:-10}

ir_life() {	# impl n -> total instructions
	local out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" "$L" "$1" "$2" >/dev/null 2>&1
	callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
	rm -f "$out"
}

peak_heap() {	# impl -> peak heap bytes over one lifecycle (massif)
	local out
	out=$(mktemp)
	valgrind --tool=massif --massif-out-file="$out" "$L" "$1" 1 >/dev/null 2>&1
	awk -F= '/^mem_heap_B=/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out"
	rm -f "$out"
}

echo
echo "| lifecycle (minimal.bpf.o) | Ir per lifecycle | peak heap (massif) |"
echo "|---|---:|---:|"
for impl in barebpf libbpf; do
	i0=$(ir_life $impl 0); in=$(ir_life $impl "$LN")
	eval "${impl}_ir=$(( (in - i0) / LN ))"
	eval "${impl}_heap=$(peak_heap $impl)"
done
printf "| barebpf | %d | %d |\n" "$barebpf_ir" "$barebpf_heap"
printf "| libbpf skeleton (bpftool gen skeleton) | %d | %d |\n" "$libbpf_ir" "$libbpf_heap"
printf "| ratio libbpf / barebpf | %.1fx | %.1fx |\n" "$(echo "$libbpf_ir / $barebpf_ir" | bc -l)" \
	"$(echo "$libbpf_heap / $barebpf_heap" | bc -l)"
fi

# ---- CO-RE: target BTF and relocation (core.bpf.o, open + load into the kernel) ----
C=build/bench/bench_core
CN=${BENCH_CORE_N:-5}
CO=${BENCH_CORE_OBJ:-build/bpf/core.bpf.o}

ir_core() {	# impl mode n -> total user-space instructions
	local out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" "$C" "$1" "$CO" "$2" "$3" >/dev/null 2>&1
	callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
	rm -f "$out"
}

heap_core() {	# impl mode -> peak heap bytes of one open + load (massif)
	local out
	out=$(mktemp)
	valgrind --tool=massif --massif-out-file="$out" "$C" "$1" "$CO" "$2" 1 >/dev/null 2>&1
	awk -F= '/^mem_heap_B=/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out"
	rm -f "$out"
}

hwm_core() {	# impl mode n -> VmHWM in kB, natively
	"$C" "$1" "$CO" "$2" "$3" | awk '/^VmHWM:/ { print $2 }'
}

# The barebpf side alone, static with musl (no glibc, no libbpf in the
# process): the VmHWM an embedded user of the library sees.
CS=build/bench/bench_core_static
LIB_SRCS=$(ls src/base/*.c src/parse/*.c src/obj/*.c src/relo/*.c src/kern/*.c src/attach/*.c \
	src/io/*.c 2>/dev/null || true)
if command -v musl-gcc >/dev/null 2>&1; then
	make -s build/musl-include/.stamp
	# shellcheck disable=SC2086
	musl-gcc -static -std=c11 -D_DEFAULT_SOURCE -DBENCH_BAREBPF_ONLY -O2 -Iinclude \
		-isystem build/musl-include -o "$CS" bench/bench_core.c $LIB_SRCS
fi

echo
echo "| CO-RE open + load ($(basename "$CO")) | Ir per open+load | peak heap (massif) | VmHWM kB (N=1) | VmHWM kB (N=0) |"
echo "|---|---:|---:|---:|---:|"
for c in "barebpf user" "barebpf kernel" "libbpf user"; do
	set -- $c
	i0=$(ir_core "$1" "$2" 0); in=$(ir_core "$1" "$2" "$CN")
	eval "core_ir_$1_$2=$(( (in - i0) / CN ))"
	printf "| %s (%s) | %d | %d | %d | %d |\n" "$1" "$2" $(( (in - i0) / CN )) \
		"$(heap_core "$1" "$2")" "$(hwm_core "$1" "$2" 1)" "$(hwm_core "$1" "$2" 0)"
done
if [ -x "$CS" ]; then
	for m in user kernel; do
		printf "| barebpf (%s), static musl | | | %d | %d |\n" "$m" \
			"$("$CS" barebpf "$CO" $m 1 | awk '/^VmHWM:/ { print $2 }')" \
			"$("$CS" barebpf "$CO" $m 0 | awk '/^VmHWM:/ { print $2 }')"
	done
fi
# shellcheck disable=SC2154
printf "| ratio libbpf / barebpf (user) | %.1fx | | | |\n" \
	"$(echo "$core_ir_libbpf_user / $core_ir_barebpf_user" | bc -l)"
