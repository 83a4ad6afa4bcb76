#!/bin/bash
# tests/kernels/run.sh - barebpf-static on a second, different kernel (issue 4):
# the newest Debian linux-image-6.1.0-*-cloud-amd64-unsigned, booted under
# qemu (TCG, no KVM) with an initramfs of busybox-static, build/barebpf-static,
# fixtures and the kernel's config. See tests/kernels/README.md.
#
# Needs: make static fixtures (make check-kernels does that), apt-get and
# dpkg-deb, qemu-system-x86_64, a static /bin/busybox, cpio, gzip, musl-gcc.
# Optional: lz4 + bpftool, to read task_struct's layout from the 6.1 BTF and
# check the CO-RE offsets against it.
#
# run.sh --fetch: only download and unpack the package; run.sh --prepare:
# that and build the guest's helpers (see below).
# Environment: KERNEL_DEB=path.deb to use a given package; QEMU_TIMEOUT
# (seconds, default 120); KEEP=1 keeps the staging tree; KERNELS_DIR (default
# build/kernels) holds the download, the initramfs and serial.log.
# Exit status: 0 if every result is PASS, 1 if any FAIL or no results.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
K=${KERNELS_DIR:-build/kernels}
BIN=build/barebpf-static
FIX=build/bpf
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}
FIXTURES="minimal core core_tm progs_loadable legacy_maps globals externs ksym_typed kprobes tracex_legacy freplace_target freplace_ext iter_map_elem uprobe_guest usdt req_tp"
T_START=$(date +%s.%N)

die() { echo "check-kernels: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
note() { echo "check-kernels: $*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- tools and inputs ----
for t in qemu-system-x86_64 cpio gzip dpkg-deb apt-get musl-gcc; do
	command -v $t >/dev/null || die "$t not found (make deps installs qemu-system-x86, cpio, musl-tools)"
done
BUSYBOX=/bin/busybox
[ -x $BUSYBOX ] || die "$BUSYBOX not found (package busybox-static)"
if LC_ALL=C readelf -l $BUSYBOX 2>/dev/null | grep -q 'program interpreter'; then
	die "$BUSYBOX is dynamically linked: install busybox-static"
fi
FETCH_ONLY= PREPARE_ONLY=
[ "${1:-}" = --fetch ] && FETCH_ONLY=1
[ "${1:-}" = --prepare ] && PREPARE_ONLY=1
if [ -z "$FETCH_ONLY$PREPARE_ONLY" ]; then
	[ -x $BIN ] || die "$BIN missing: run make static"
	for f in $FIXTURES; do [ -f $FIX/$f.bpf.o ] || die "$FIX/$f.bpf.o missing: run make fixtures"; done
fi
mkdir -p $K
# run.sh --fetch only gets and unpacks the kernel package; --prepare does
# that and builds the guest's helpers (below). make check starts the first in
# the background before its build step (the download overlaps the build) and
# the second after it (the helpers build while the tests run, one at a time,
# on the other CPU); a full run waits here for one still running.
exec 9>$K/.fetch.lock
flock 9 || die "flock $K/.fetch.lock failed"

# ---- the kernel package: newest linux-image-6.1.0-N-cloud-amd64-unsigned ----
newest_cached() { ls $K/linux-image-6.1.0-*-cloud-amd64-unsigned_*.deb 2>/dev/null | sort -V | tail -n 1; }
DEB=${KERNEL_DEB:-}
if [ -z "$DEB" ]; then
	pat='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$'
	list() { apt-cache search --names-only "$pat" 2>/dev/null | awk '{ print $1 }' | sort -V; }
	PKG=$(list | tail -n 1)
	if [ -z "$PKG" ]; then
		note "no linux-image-6.1.0-*-cloud-amd64-unsigned in the apt lists: running apt-get update"
		apt-get update -q >$K/apt-update.log 2>&1 || note "apt-get update failed: $(tail -n 3 $K/apt-update.log)"
		PKG=$(list | tail -n 1)
	fi
	if [ -n "$PKG" ]; then
		DEB=$(ls $K/${PKG}_*.deb 2>/dev/null | sort -V | tail -n 1)
		if [ -n "$DEB" ]; then
			note "kernel package: $DEB (cached)"
		else
			note "downloading $PKG"
			download() { (cd $K && apt-get download -q "$PKG") >$K/apt-download.log 2>&1; }
			if ! download; then
				# stale lists give a 404: update them once and try again
				note "apt-get download $PKG failed ($(grep -E '^E:' $K/apt-download.log | head -n 1)); apt-get update, then again"
				apt-get update -q >$K/apt-update.log 2>&1
				download || note "apt-get download $PKG failed: $(grep -E '^E:' $K/apt-download.log | head -n 3)"
			fi
			DEB=$(ls $K/${PKG}_*.deb 2>/dev/null | sort -V | tail -n 1)
			# a newer kernel replaces the older ones in the cache
			if [ -n "$DEB" ]; then
				for o in $K/linux-image-6.1.0-*-cloud-amd64-unsigned_*.deb; do
					[ "$o" = "$DEB" ] || rm -rf "$o" "${o%.deb}" "$K/vmlinux-$(echo "${o##*/}" |
						sed 's/^linux-image-\(.*\)-unsigned_.*/\1/')"
				done
			fi
		fi
	fi
	if [ -z "$DEB" ]; then
		DEB=$(newest_cached)
		[ -n "$DEB" ] || die "cannot get a linux-image-6.1.0-*-cloud-amd64-unsigned package (no Debian mirror reachable and nothing cached in $K)"
		note "using the newest cached package $DEB"
	fi
fi
[ -f "$DEB" ] || die "kernel package $DEB not found"

X=$K/$(basename "$DEB" .deb)
if [ ! -f $X/.unpacked ]; then
	rm -rf "$X"
	dpkg-deb -x "$DEB" "$X" || die "dpkg-deb -x $DEB failed"
	rm -rf "$X/lib" "$X/usr"	# the modules (~90 MB): not used
	touch $X/.unpacked
fi
VMLINUZ=$(ls $X/boot/vmlinuz-* 2>/dev/null | head -n 1)
CONFIG=$(ls $X/boot/config-* 2>/dev/null | head -n 1)
[ -n "$VMLINUZ" ] && [ -n "$CONFIG" ] || die "no boot/vmlinuz-* or boot/config-* in $DEB"
KREL=${CONFIG##*/config-}
if [ -n "$FETCH_ONLY" ]; then
	note "fetched and unpacked: $DEB ($(elapsed "$T_START")s)"
	exit 0
fi
note "kernel $KREL ($(basename "$DEB"))"

# ---- what the config has (the kernel must have these built in) ----
cfg() { sed -n "s/^$1=//p" "$CONFIG" | tr -d '"'; }
missing=""
for o in BPF BPF_SYSCALL DEBUG_INFO_BTF BPF_EVENTS KPROBES KPROBE_EVENTS FTRACE_SYSCALLS TRACEPOINTS \
	DYNAMIC_FTRACE_WITH_DIRECT_CALLS BLK_DEV_INITRD RD_GZIP SERIAL_8250_CONSOLE DEVTMPFS DEBUG_FS BPF_LSM; do
	[ "$(cfg CONFIG_$o)" = y ] || missing="$missing CONFIG_$o=$(cfg CONFIG_$o)"
done
[ -z "$missing" ] || note "config: not built in:$missing (tests that need them will fail)"
note "config: BPF_SYSCALL=$(cfg CONFIG_BPF_SYSCALL) BPF_JIT=$(cfg CONFIG_BPF_JIT) DEBUG_INFO_BTF=$(cfg CONFIG_DEBUG_INFO_BTF)" \
	"KPROBES=$(cfg CONFIG_KPROBES) KPROBE_EVENTS=$(cfg CONFIG_KPROBE_EVENTS) UPROBE_EVENTS=$(cfg CONFIG_UPROBE_EVENTS)" \
	"DYNAMIC_FTRACE_WITH_DIRECT_CALLS=$(cfg CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) BPF_LSM=$(cfg CONFIG_BPF_LSM)" \
	"IKCONFIG=$(cfg CONFIG_IKCONFIG) HZ=$(cfg CONFIG_HZ)"

# ---- the guest's helper: a static musl program that calls getpid/getppid ----
POKE=$K/poke
if [ ! -x $POKE ] || [ tests/kernels/poke.c -nt $POKE ]; then
	musl-gcc -static -O2 -Wall -Wextra -Werror -o $POKE tests/kernels/poke.c || die "building $POKE failed"
fi

# ---- the attach kinds' helper: tests/kernels/attach_check.c, static, on the library's sources ----
ACHECK=$K/attach_check
LIB_SRCS=$(ls src/base/*.c src/parse/*.c src/obj/*.c src/relo/*.c src/kern/*.c src/load/*.c src/attach/*.c)
newer=$(find tests/kernels/attach_check.c $LIB_SRCS include src -newer $ACHECK 2>/dev/null | head -n 1)
if [ ! -x $ACHECK ] || [ -n "$newer" ]; then
	musl-gcc -static -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Iinclude -isystem build/musl-include \
		-Os -ffunction-sections -fdata-sections -Wl,--gc-sections -s \
		-o $ACHECK tests/kernels/attach_check.c $LIB_SRCS || die "building $ACHECK failed"
fi

# ---- kconfig61.bpf.o: externs.bpf.c without the 6.2 kfuncs (see the file) ----
BPF_CLANG=${BPF_CLANG:-$(command -v clang-16 >/dev/null 2>&1 && echo clang-16 || echo clang)}
K61=$K/kconfig61.bpf.o
if [ ! -f $K61 ] || [ tests/kernels/kconfig61.bpf.c -nt $K61 ] || [ tests/bpf/externs.bpf.c -nt $K61 ] || [ tests/bpf/vmlinux_min.h -nt $K61 ]; then
	$BPF_CLANG -target bpfel -O2 -g -Wall -Werror -Wno-unused-variable -Wno-compare-distinct-pointer-types \
		-I/usr/include/x86_64-linux-gnu -Itests/bpf -c tests/kernels/kconfig61.bpf.c -o $K61 ||
		die "building $K61 failed"
fi

flock -u 9
exec 9>&-
if [ -n "$PREPARE_ONLY" ]; then
	note "prepared: $DEB unpacked, $POKE, $ACHECK and $K61 built ($(elapsed "$T_START")s)"
	exit 0
fi

# ---- examples/kprobe, static musl (make examples) ----
KEX=build/examples/musl/kprobe
[ -x $KEX ] || die "$KEX is missing: make examples builds it"

# ---- initramfs: cpio newc, gzip ----
S=$K/initramfs
rm -rf $S
mkdir -p $S/bin $S/bpf $S/dev $S/proc $S/sys $S/tmp
cp $BUSYBOX $S/bin/busybox
for a in $($BUSYBOX --list); do [ "$a" = busybox ] || ln -s busybox $S/bin/$a; done
cp $BIN $S/barebpf
cp $POKE $S/poke
cp $ACHECK $S/attach_check
cp $KEX $S/kprobe_example
for f in $FIXTURES; do cp $FIX/$f.bpf.o $S/bpf/; done
cp $K61 $S/bpf/
cp "$CONFIG" $S/config-$KREL
install -m 755 tests/kernels/init.sh $S/init
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 $S/dev/console c 5 1 2>/dev/null || note "mknod /dev/console failed: init reopens it after mounting devtmpfs"
INITRD=$K/initramfs.cpio.gz
(cd $S && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$ROOT/$INITRD") ||
	die "building $INITRD failed"
[ -n "${KEEP:-}" ] || rm -rf $S
note "initramfs $INITRD: $(stat -c %s $INITRD) bytes"

# ---- boot ----
LOG=$K/serial.log
note "booting $KREL under qemu (TCG, -cpu max), timeout ${QEMU_TIMEOUT}s; serial log: $LOG"
T_BOOT=$(date +%s.%N)
timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 1G -nographic -no-reboot -nic none \
	-kernel "$VMLINUZ" -initrd $INITRD -append "console=ttyS0 panic=-1 quiet" </dev/null >$LOG.raw 2>&1
qrc=$?
# CRs and terminal escapes (the firmware clears the screen) out
tr -d '\r' <$LOG.raw | sed -E 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1b[a-zA-Z]//g' >$LOG && rm -f $LOG.raw
BOOT_SECS=$(elapsed "$T_BOOT")
note "qemu exited with $qrc after ${BOOT_SECS}s"

# ---- results ----
pass=0 fail=0
result() {	# NAME PASS|FAIL detail
	echo "BBPF-RESULT $1 $2 $3"
	if [ "$2" = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
while IFS= read -r l; do
	set -- $l
	case "$3" in PASS) pass=$((pass + 1)) ;; *) fail=$((fail + 1)) ;; esac
	echo "$l"
done < <(grep -a '^BBPF-RESULT ' $LOG)

grep -aq '^BBPF-DONE' $LOG || result guest-done FAIL "the guest did not finish (qemu exit $qrc; timeout ${QEMU_TIMEOUT}s)"
[ $qrc -eq 124 ] && result qemu-timeout FAIL "qemu killed after ${QEMU_TIMEOUT}s"

# value NAME VAR: the number (or "string") barebpf run printed for VAR
value() {
	grep -a "^BBPF-VALUE $1 $2 = " $LOG | tail -n 1 | sed -e "s/^BBPF-VALUE $1 $2 = //" \
		-e 's/^\([0-9][0-9]*\) (0x[0-9a-f]*).*/\1/' -e 's/^"\(.*\)"$/\1/'
}
truth() { grep -a '^BBPF-TRUTH ' $LOG | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# expect NAME WHAT GOT WANT ...: one result for a list of (what, got, want) triples
expect() {
	local name=$1 bad="" good=""
	shift
	while [ $# -ge 3 ]; do
		if [ -n "$2" ] && [ "$2" = "$3" ]; then good="$good $1=$2"
		else bad="$bad $1=${2:-none}(want ${3:-?})"; fi
		shift 3
	done
	if [ -z "$bad" ]; then result "$name" PASS "${good# }"; else result "$name" FAIL "${bad# };${good:+ ok:$good}"; fi
}

# CO-RE values read in the guest vs the guest's /proc (see poke.c) and vs the
# kernel's BTF; "core" is CO-RE done by the kernel, "core_user" by barebpf
btf_task() {	# FILE: "ID SIZE PID_OFFSET" of struct task_struct
	bpftool btf dump file "$1" format raw 2>/dev/null | awk '
		/^\[[0-9]+\] STRUCT .task_struct. / { id = substr($1, 2, length($1) - 2); sz = $4;
			sub(/size=/, "", sz); in_t = 1; next }
		/^\[/ { in_t = 0 }
		in_t && /^\t.pid. / { for (i = 1; i <= NF; i++) if ($i ~ /^bits_offset=/) { o = $i;
			sub(/bits_offset=/, "", o); print id, sz, o / 8; exit } }'
}
# task_struct in this kernel's BTF (vmlinuz → vmlinux → .BTF), if lz4 and bpftool are here
VMLINUX=$K/vmlinux-$KREL
if [ ! -s "$VMLINUX" ] && command -v lz4 >/dev/null; then
	off=$(LC_ALL=C grep -obUaP '\x02\x21\x4c\x18' "$VMLINUZ" 2>/dev/null | head -n 1 | cut -d: -f1)
	[ -n "$off" ] && tail -c +$((off + 1)) "$VMLINUZ" | lz4 -dc >"$VMLINUX" 2>/dev/null
	[ "$(head -c 4 "$VMLINUX" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] || rm -f "$VMLINUX"
fi
kid="" ksz="" kpid=""
if [ -s "$VMLINUX" ] && command -v bpftool >/dev/null; then
	read -r kid ksz kpid <<<"$(btf_task "$VMLINUX")"
	read -r hid hsz hpid <<<"$(btf_task /sys/kernel/btf/vmlinux 2>/dev/null)"
	note "task_struct: $KREL BTF id=$kid size=$ksz pid@$kpid; host $(uname -r) id=${hid:-?} size=${hsz:-?} pid@${hpid:-?}"
else
	note "core layout not checked against the kernel's BTF (needs lz4 and bpftool)"
fi
# inspect --check offline, on the host, against this kernel's BTF and config: kprobes.bpf.o
# needs nothing 6.1 lacks; externs.bpf.o needs exactly the three 6.2 kfuncs
if [ -s "$VMLINUX" ]; then
	$BIN inspect $FIX/kprobes.bpf.o --check btf "$VMLINUX" kconfig "$CONFIG" >$K/check-offline.out 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then result check-offline-kprobes PASS "exit 0: $(tail -n 1 $K/check-offline.out)"
	else result check-offline-kprobes FAIL "exit $rc: $(tr '\n' ';' <$K/check-offline.out)"; fi
	$BIN inspect $FIX/externs.bpf.o --check btf "$VMLINUX" kconfig "$CONFIG" >$K/check-offline.out 2>/dev/null
	rc=$?
	got=$(sed -n 's/^program use_kfuncs: kfunc \(bpf_task_[a-z_]*\): not in the kernel.s BTF$/\1/p' \
		$K/check-offline.out | sort | tr '\n' ' ')
	if [ $rc -eq 1 ] && [ "$got" = "bpf_task_acquire bpf_task_from_pid bpf_task_release " ] &&
		[ "$(wc -l <$K/check-offline.out)" -eq 3 ]; then
		result check-offline-externs PASS "exit 1, missing: $got"
	else
		result check-offline-externs FAIL "exit $rc: $(tr '\n' ';' <$K/check-offline.out)"
	fi
else
	note "inspect --check offline not run (no vmlinux: needs lz4)"
fi
r0=$(grep -a '^BBPF-VALUE core_user_relo0 ' $LOG | sed 's/^BBPF-VALUE core_user_relo0 barebpf: debug: //')
[ -z "$r0" ] || note "user-space CO-RE in the guest: $r0"
for n in core core_user; do
	grep -aq "^BBPF-VALUE $n " $LOG || continue
	expect $n-task-values \
		pid "$(value $n pid)" "$(truth pid)" \
		tgid "$(value $n tgid)" "$(truth tgid)" \
		ppid "$(value $n ppid)" "$(truth ppid)" \
		comm "$(value $n comm)" "$(truth name)" \
		direct_pid "$(value $n direct_pid)" "$(truth pid)"
	expect $n-relo-kinds \
		pid_exists "$(value $n pid_exists)" 1 bogus_exists "$(value $n bogus_exists)" 0 \
		comm_size "$(value $n comm_size)" 16 reset_on_fork "$(value $n reset_on_fork)" 0 \
		in_execve "$(value $n in_execve)" 0 task_exists "$(value $n task_exists)" 1 \
		bogus_type_exists "$(value $n bogus_type_exists)" 0 \
		tgid_enum_exists "$(value $n tgid_enum_exists)" 1 \
		bogus_enum_exists "$(value $n bogus_enum_exists)" 0 \
		pgid_enum_value "$(value $n pgid_enum_value)" 2
	[ -n "$kid" ] && expect $n-layout-6.1 \
		pid_offset "$(value $n pid_offset)" "$kpid" \
		task_size "$(value $n task_size)" "$ksz" \
		task_id_kernel "$(value $n task_id_kernel)" "$kid"
done

# every autoload program of progs_loadable.bpf.o was pinned
if grep -aq '^BBPF-VALUE progs_loadable_pins ' $LOG; then
	expect loadall-progs_loadable-pins pins \
		"$(grep -a '^BBPF-VALUE progs_loadable_pins ' $LOG | awk '{ print $3 }')" \
		"$($BIN inspect --json $FIX/progs_loadable.bpf.o | grep -o '"autoload":true' | wc -l)"
fi

for n in core_tm core_tm_user; do
	grep -aq "^BBPF-VALUE $n " $LOG || continue
	expect $n-values \
		match_task "$(value $n match_task)" 1 match_bad "$(value $n match_bad)" 0 \
		match_enum "$(value $n match_enum)" 1 match_enum64 "$(value $n match_enum64)" 1 \
		ctx_kernel_exists "$(value $n ctx_kernel_exists)" 1 \
		ctx_kernel_value "$(value $n ctx_kernel_value)" 18446744073709551488 \
		ctx_user_value "$(value $n ctx_user_value)" 18446744073709551104
done

# externs.bpf.c's flags_seen for this config: BPF_SYSCALL=y 1, BPF_LSM=y 2 (=m 4),
# LINUX_HAS_SYSCALL_WRAPPER 16 (libbpf probes it; the config says ARCH_HAS_SYSCALL_WRAPPER)
want_flags() {
	local f=0
	[ "$(cfg CONFIG_BPF_SYSCALL)" = y ] && f=$((f | 1))
	[ "$(cfg CONFIG_BPF_LSM)" = y ] && f=$((f | 2))
	[ "$(cfg CONFIG_BPF_LSM)" = m ] && f=$((f | 4))
	[ "$(cfg CONFIG_ARCH_HAS_SYSCALL_WRAPPER)" = y ] && f=$((f | 16))
	echo $f
}
# typed ksym (needs CONFIG_KALLSYMS_ALL, which the host kernel lacks)
if grep -aq '^BBPF-VALUE ksym_typed ' $LOG; then
	nsw=$(value ksym_typed nr_switches_cpu0) nrun=$(value ksym_typed nr_running)
	expect ksym_typed-values weak_present "$(value ksym_typed weak_present)" 0 \
		nr_switches_cpu0_positive "$([ "${nsw:-0}" -gt 0 ] 2>/dev/null && echo "yes($nsw)")" "yes($nsw)" \
		nr_running_positive "$([ "${nrun:-0}" -gt 0 ] 2>/dev/null && echo "yes($nrun)")" "yes($nrun)"
fi

# .kconfig values vs the config file and the guest's uname/kallsyms
kconfig_values() {	# RUN-NAME
	local n=$1 rel maj min pat kv ksym hz
	grep -aq "^BBPF-VALUE $n " $LOG || return 0
	rel=$(grep -ao 'BBPF-VALUE uname [^ ]*' $LOG | awk '{ print $3 }')
	IFS=.- read -r maj min pat _ <<<"$rel"
	kv=$(( (maj << 16) + (min << 8) + (pat > 255 ? 255 : pat) ))
	ksym=$(grep -a '^BBPF-VALUE kallsyms_bpf_fentry_test1 ' $LOG | awk '{ print $3 }')
	hz=$(cfg CONFIG_HZ)
	expect $n-kconfig \
		hz "$(value $n hz)" "$hz" \
		kver "$(value $n kver)" "$kv" \
		flags_seen "$(value $n flags_seen)" "$(want_flags)" \
		hostname "$(value $n hostname)" "$(cfg CONFIG_DEFAULT_HOSTNAME)"
	expect $n-ksym sym_addr "$(printf '%x' "$(value $n sym_addr)" 2>/dev/null)" \
		"$(echo "$ksym" | sed 's/^0*//')" missing_addr "$(value $n missing_addr)" 0 \
		kfunc_present "$(value $n kfunc_present)" 0
}
kconfig_values externs
kconfig_values kconfig61

# attach kinds (attach_check.c): every program ran at least once per call (50 calls)
if grep -aq '^BBPF-VALUE attach ' $LOG; then
	bad="" good=""
	for v in kp_hits kret_hits ksys_hits kretsys_hits fentry_hits fexit_hits fmodret_hits lsm_hits \
		kprobe-link kretprobe-link kprobe-perf kretprobe-perf kprobe-legacy kretprobe-legacy \
		kprobe-default kretprobe-default samples_kprobe samples_kretprobe samples_tail_call; do
		got=$(value attach $v)
		if [ -n "$got" ] && [ "$got" -ge 50 ] 2>/dev/null; then good="$good $v=$got"
		else bad="$bad $v=${got:-none}(want >= 50)"; fi
	done
	if [ -z "$bad" ]; then result attach-values PASS "${good# }"; else result attach-values FAIL "${bad# }"; fi
	expect attach-freplace-values \
		before "$(value attach freplace_before)" 2 replaced "$(value attach freplace_replaced)" 1001 \
		after "$(value attach freplace_after)" 2 iter_elems "$(value attach iter_elems)" 8
fi
# the kprobe-kind programs of kprobes.bpf.o were pinned as links (9 pins: 8 links + the bare SEC("kprobe"))
if grep -aq '^BBPF-VALUE kprobes_pins ' $LOG; then
	expect loadall-kprobes-pins pins "$(grep -a '^BBPF-VALUE kprobes_pins ' $LOG | awk '{ print $3 }')" 9
fi
# uprobe/uretprobe on /poke's syscall(): getpid calls seen, and the pid they return
if grep -aq '^BBPF-VALUE uprobe_guest ' $LOG; then
	h=$(value uprobe_guest getpid_calls) r=$(value uprobe_guest pid_rets)
	expect uprobe_guest-values pid_ret "$(value uprobe_guest pid_ret)" "$(truth tgid)" \
		getpid_calls_positive "$([ "${h:-0}" -gt 0 ] 2>/dev/null && echo "yes($h)")" "yes($h)" \
		pid_rets_positive "$([ "${r:-0}" -gt 0 ] 2>/dev/null && echo "yes($r)")" "yes($r)"
fi

TOTAL=$(elapsed "$T_START")
note "kernel $KREL: boot+tests ${BOOT_SECS}s in qemu, ${TOTAL}s in all; guest uptime at the end: $(grep -a '^BBPF-VALUE guest_seconds ' $LOG | awk '{ print $3 }')s (init started at $(grep -a '^BBPF-VALUE boot_seconds ' $LOG | awk '{ print $3 }')s)"
if [ $((pass + fail)) -eq 0 ]; then
	note "no results: last lines of $LOG:"
	tail -n 30 $LOG | sed 's/^/  | /'
	echo "0 passed, 1 failed"
	exit 1
fi
if ! grep -aq '^BBPF-DONE' $LOG; then
	note "the guest did not finish: last lines of $LOG:"
	tail -n 30 $LOG | sed 's/^/  | /'
fi
if [ $fail -gt 0 ]; then
	note "failures: guest output in $LOG (BBPF-LOG lines)"
	grep -a '^BBPF-LOG ' $LOG | head -n 80
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
