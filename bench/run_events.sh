#!/usr/bin/env bash
# Ring buffer and perf buffer consumers, barebpf vs libbpf 1.1, on the same
# map and producer (bench/bench_events.c). Prints a markdown table:
# records per second (best of BENCH_EVENTS_RUNS native runs, time spent in
# the consume loop only) and user-space instructions per record (callgrind,
# collection on inside bench_consume() only, the callback included).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/bench/bench_events
RUNS=${BENCH_EVENTS_RUNS:-7}
BATCHES=${BENCH_EVENTS_BATCHES:-200}
N=${BENCH_EVENTS_N:-10000}
CG_BATCHES=${BENCH_EVENTS_CG_BATCHES:-20}

# Native runs alternate the two consumers, RUNS rounds, so that load from
# elsewhere on the machine hits both alike; the best (lowest) time counts.
declare -A best
timed() {	# kind
	local impl ns
	for _ in $(seq "$RUNS"); do
		for impl in barebpf libbpf; do
			ns=$("$B" "$impl" "$1" "$BATCHES" "$N" | awk '{ print $4 }')
			if [ -z "${best[$impl/$1]:-}" ] || [ "$ns" -lt "${best[$impl/$1]}" ]; then
				best[$impl/$1]=$ns
			fi
		done
	done
}

ir() {	# impl kind -> instructions inside bench_consume
	local out
	out=$(mktemp)
	valgrind --tool=callgrind --collect-atstart=no --toggle-collect=bench_consume \
		--callgrind-out-file="$out" "$B" "$1" "$2" "$CG_BATCHES" "$N" >/dev/null 2>&1
	callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
	rm -f "$out"
}

recs=$((BATCHES * N))
cg_recs=$((CG_BATCHES * N))
echo "| consumer | records/s | ns/record | Ir/record |"
echo "|---|---:|---:|---:|"
for kind in rb pb; do
	timed "$kind"
	for impl in barebpf libbpf; do
		ns=${best[$impl/$kind]}
		i=$(ir "$impl" "$kind")
		case "$impl/$kind" in
		barebpf/rb) name="barebpf bbpf_ringbuf_poll" ;;
		libbpf/rb) name="libbpf 1.1 ring_buffer__poll" ;;
		barebpf/pb) name="barebpf bbpf_perfbuf_poll" ;;
		libbpf/pb) name="libbpf 1.1 perf_buffer__poll" ;;
		esac
		printf "| %s | %.1f M | %.2f | %.1f |\n" "$name" "$(echo "$recs * 1000 / $ns" | bc -l)" \
			"$(echo "$ns / $recs" | bc -l)" "$(echo "$i / $cg_recs" | bc -l)"
	done
done
