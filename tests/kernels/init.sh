#!/bin/busybox sh
# /init of the test initramfs built by tests/kernels/run.sh (see README.md there).
# Runs barebpf-static against the booted kernel and prints, on the serial
# console, lines the host script parses:
#   BBPF-RESULT NAME PASS|FAIL detail   a check decided here
#   BBPF-VALUE  NAME ...                a value the host checks (CO-RE, kconfig)
#   BBPF-TRUTH  ...                     what the guest's /proc says (from /poke)
#   BBPF-LOG    NAME: line              command output, for failure reports
#   BBPF-DONE                           the end; then poweroff -f
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t securityfs securityfs /sys/kernel/security

B=/barebpf
O=/bpf
CFG=$(ls /config-* | head -n 1)
T0=$(cut -d' ' -f1 /proc/uptime)

res() { echo "BBPF-RESULT $1 $2 $3"; }
# log NAME FILE [LINES]: the file's lines, tagged (at most LINES, default 40)
log() { head -n "${3:-40}" "$2" | sed "s/^/BBPF-LOG $1: /"; }
# check NAME FILE CMD...: runs CMD (output into FILE); PASS on exit 0
check() {
	n=$1; f=$2; shift 2
	"$@" >"$f" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then res "$n" PASS "exit 0"; else res "$n" FAIL "exit $rc"; log "$n" "$f"; fi
	return $rc
}

# The firmware's last message ("Booting from ROM...") has no newline: start
# on a fresh line so the first result line is not glued to it.
echo
echo "BBPF-VALUE uname $(uname -r) $(uname -v | tr ' ' '_')"
echo "BBPF-VALUE config $CFG"
echo "BBPF-VALUE boot_seconds $T0"
echo "BBPF-VALUE kallsyms_bpf_fentry_test1 $(grep ' bpf_fentry_test1$' /proc/kallsyms | cut -d' ' -f1)"

# ---- the kernel has what the tests need ----
if [ -s /sys/kernel/btf/vmlinux ]; then
	res btf-vmlinux PASS "/sys/kernel/btf/vmlinux $(wc -c </sys/kernel/btf/vmlinux) bytes"
else
	res btf-vmlinux FAIL "no /sys/kernel/btf/vmlinux"
fi
if [ -e /sys/kernel/tracing/trace_pipe ]; then res tracefs PASS "trace_pipe present"
else res tracefs FAIL "no /sys/kernel/tracing/trace_pipe"; fi

# ---- inspect: every fixture opens (no kernel involved) ----
for f in $O/*.bpf.o; do
	n=$(basename "$f" .bpf.o)
	check "inspect-$n" /tmp/inspect.out $B inspect "$f"
done

# ---- inspect --check: this kernel has kprobes, trampolines, BPF LSM: nothing missing ----
for n in kprobes req_tp; do
	check "check-$n" /tmp/check.out $B inspect $O/$n.bpf.o --check
done

# ---- the main job in early boot: minimal traces its own write()s ----
$B run $O/minimal.bpf.o --duration 2 --set my_pid=self --show write_count >/tmp/min.out 2>&1
rc=$?
lines=$(grep -c 'bpf_trace_printk: BPF triggered from PID' /tmp/min.out)
wc=$(sed -n 's/^write_count = \([0-9]*\) .*/\1/p' /tmp/min.out)
if [ $rc -eq 0 ] && [ "${lines:-0}" -gt 0 ] && [ "${wc:-0}" -gt 0 ]; then
	res run-minimal PASS "exit 0, $lines trace lines, write_count=$wc"
else
	res run-minimal FAIL "exit $rc, ${lines:-0} trace lines, write_count=${wc:-none}"
	log run-minimal /tmp/min.out
fi
grep -m 2 'bpf_trace_printk' /tmp/min.out | sed 's/^ */BBPF-LOG run-minimal: /'

# ---- prog loadall ----
if check loadall-progs_loadable /tmp/pl.out $B prog loadall $O/progs_loadable.bpf.o /sys/fs/bpf/p; then
	np=$(ls /sys/fs/bpf/p | wc -l)
	echo "BBPF-VALUE progs_loadable_pins $np $(ls /sys/fs/bpf/p | tr '\n' ' ')"
	# bpftool's inspection commands on this kernel (compared with bpftool on the host's)
	# grep_check NAME PATTERN FILE CMD...: PASS on exit 0 with PATTERN in the output
	grep_check() {
		n=$1; pat=$2; f=$3; shift 3
		"$@" >"$f" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && grep -q "$pat" "$f"; then res "$n" PASS "exit 0, '$pat'"
		else res "$n" FAIL "exit $rc, no '$pat'"; log "$n" "$f"; fi
	}
	grep_check kobj-prog-show '"type":"tracepoint","name":"tp_getpid"' /tmp/ko.out \
		$B -j prog show pinned /sys/fs/bpf/p/tp_getpid
	grep_check kobj-prog-dump 'call bpf_get_current_pid_tgid#' /tmp/ko.out \
		$B prog dump xlated pinned /sys/fs/bpf/p/tp_getpid
	grep_check kobj-map-show '"type":"array"' /tmp/ko.out $B map show -j
	grep_check kobj-btf-show '"name":"vmlinux"' /tmp/ko.out $B btf show id 1 -j
	grep_check kobj-feature '"have_bpf_syscall":true' /tmp/ko.out $B -j feature probe
	rm -r /sys/fs/bpf/p
fi
if check loadall-legacy_maps /tmp/lm.out $B prog loadall $O/legacy_maps.bpf.o /sys/fs/bpf/lm \
	pinmaps /sys/fs/bpf/lm_maps autoattach; then
	log loadall-legacy_maps /tmp/lm.out 5
	echo "BBPF-VALUE legacy_maps_pins $(ls /sys/fs/bpf/lm | tr '\n' ' ')/ $(ls /sys/fs/bpf/lm_maps | tr '\n' ' ')"
	rm -r /sys/fs/bpf/lm /sys/fs/bpf/lm_maps
fi
check loadall-globals /tmp/gl.out $B prog loadall $O/globals.bpf.o /sys/fs/bpf/gl && rm -r /sys/fs/bpf/gl
check loadall-core /tmp/co.out $B prog loadall $O/core.bpf.o /sys/fs/bpf/co && rm -r /sys/fs/bpf/co
check loadall-core_tm /tmp/ct.out $B prog loadall $O/core_tm.bpf.o /sys/fs/bpf/ct && rm -r /sys/fs/bpf/ct
# externs.bpf.o calls kfuncs that arrived in 6.2 (bpf_task_from_pid, bpf_task_acquire,
# bpf_task_release, all strong): on 6.1 the load must be refused for exactly that
# reason, as libbpf refuses it. kconfig61.bpf.o is the same object without them.
$B prog loadall $O/externs.bpf.o /sys/fs/bpf/ex kconfig "$CFG" >/tmp/ex.out 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	rm -r /sys/fs/bpf/ex
	if [ -e /sys/kernel/btf/vmlinux ] && ! grep -q bpf_task_acquire /proc/kallsyms; then
		res loadall-externs FAIL "loaded although this kernel has no bpf_task_acquire"
	else
		res loadall-externs PASS "exit 0"
	fi
elif grep -qE "extern 'bpf_task_(acquire|from_pid|release)':? not found in the kernel's BTF" /tmp/ex.out &&
	! grep -q ' bpf_task_acquire$' /proc/kallsyms; then
	res loadall-externs PASS "refused as expected: $(grep -oE "extern '[a-z_]*':? not found" /tmp/ex.out | head -n 1) (6.2+ kfunc)"
	log loadall-externs /tmp/ex.out 3
else
	res loadall-externs FAIL "exit $rc"
	log loadall-externs /tmp/ex.out
fi
# a typed __ksym (per-CPU runqueues): needs CONFIG_KALLSYMS_ALL, which 6.1 has
check loadall-ksym_typed /tmp/kt.out $B prog loadall $O/ksym_typed.bpf.o /sys/fs/bpf/kt && rm -r /sys/fs/bpf/kt
check loadall-kconfig61 /tmp/k61.out $B prog loadall $O/kconfig61.bpf.o /sys/fs/bpf/k61 kconfig "$CFG" &&
	rm -r /sys/fs/bpf/k61
# usdt programs: 6.1 has no uprobe-multi links, so they load as plain kprobe programs
check loadall-usdt /tmp/us.out $B prog loadall $O/usdt.bpf.o /sys/fs/bpf/us && rm -r /sys/fs/bpf/us

# ---- attach kinds the host kernel cannot run (tests/kernels/attach_check.c): kprobe and
# kretprobe (PMU + link, PMU + ioctl, tracefs forced, default), samples/bpf kprobes,
# ksyscall, fentry/fexit/fmod_ret, lsm, freplace, a map element iterator ----
echo "BBPF-VALUE lsm $(cat /sys/kernel/security/lsm 2>/dev/null)"
/attach_check $O >/tmp/ac.out 2>&1
echo "BBPF-VALUE attach_check_exit $?"
grep '^BBPF-' /tmp/ac.out
grep -v '^BBPF-' /tmp/ac.out | head -n 20 | sed 's/^/BBPF-LOG attach_check: /'
# ---- examples/kprobe (libbpf-bootstrap's kprobe example built by make examples: static
# musl, barebpf's skeleton, barebpf-libbpf): it counts unlinks while 20 files are removed ----
/kprobe_example -t 6 >/tmp/kex.out 2>&1 &
KEX=$!
i=0
while [ $i -lt 60 ] && ! grep -q '^Successfully started' /tmp/kex.out; do sleep 0.5; i=$((i+1)); done
i=0
while [ $i -lt 20 ]; do : >/tmp/kex_$i; rm /tmp/kex_$i; i=$((i+1)); done
wait $KEX
rc=$?
u=$(grep '^unlinks: ' /tmp/kex.out | tail -n 1 | cut -d' ' -f2)
if [ $rc = 0 ] && grep -q '^Successfully started' /tmp/kex.out && [ "${u:-0}" -ge 20 ] 2>/dev/null; then
	res example-kprobe PASS "unlinks=$u for 20 files removed, exit 0"
else
	res example-kprobe FAIL "exit $rc, unlinks=${u:-none} (want >= 20)"
	head -n 10 /tmp/kex.out | sed 's/^/BBPF-LOG example-kprobe: /'
fi
kevents() { grep -c '/bbpf_' /sys/kernel/tracing/kprobe_events; }
# prog loadall ... autoattach: the kprobe-kind links are pinned and outlive barebpf;
# removing the pins detaches them
if check loadall-kprobes /tmp/lk.out $B prog loadall $O/kprobes.bpf.o /sys/fs/bpf/kp autoattach; then
	echo "BBPF-VALUE kprobes_pins $(ls /sys/fs/bpf/kp | wc -l) $(ls /sys/fs/bpf/kp | tr '\n' ' ')"
	log loadall-kprobes /tmp/lk.out 3
	rm -r /sys/fs/bpf/kp
fi
# a samples/bpf object: its kprobes are ioctl attachments (no BPF link to pin), so
# loadall pins the programs and the tracefs events go with the links at exit
check loadall-tracex_legacy /tmp/tx.out $B prog loadall $O/tracex_legacy.bpf.o /sys/fs/bpf/tx autoattach &&
	rm -r /sys/fs/bpf/tx
n=$(kevents)
if [ "$n" = 0 ]; then res kprobe-events-after-loadall PASS "no bbpf_ kprobe event left"
else res kprobe-events-after-loadall FAIL "$n bbpf_ kprobe events left"; grep bbpf_ /sys/kernel/tracing/kprobe_events | sed 's/^/BBPF-LOG kprobe-events: /'; fi

# ---- values: programs on getpid/getppid, fired by /poke's thread ----
/poke 60 >/tmp/poke.out 2>&1 &
POKE=$!
sleep 1
# run NAME OBJ ARGS...: barebpf run for 1 s; every "x = ..." line becomes BBPF-VALUE NAME x = ...
runvals() {
	n=$1; shift
	$B run "$@" --duration 1 >/tmp/$n.out 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then res "run-$n" PASS "exit 0"; else res "run-$n" FAIL "exit $rc"; log "run-$n" /tmp/$n.out; fi
	grep -E '^[a-z_0-9]+ = ' /tmp/$n.out | sed "s/^/BBPF-VALUE $n /"
}
# CO-RE twice: by the kernel (core_relos at BPF_PROG_LOAD, what auto picks on 5.17+),
# and by barebpf's own engine in user space (--btf FILE forces it) against 6.1's BTF
CORE_SHOW="--show pid --show tgid --show ppid --show comm --show direct_pid --show pid_exists
	--show bogus_exists --show comm_size --show pid_offset --show reset_on_fork --show in_execve
	--show task_exists --show bogus_type_exists --show task_size --show task_id_kernel
	--show task_id_local --show tgid_enum_exists --show bogus_enum_exists --show pgid_enum_value"
TM_SHOW="--show match_task --show match_bad --show match_enum --show match_enum64
	--show ctx_kernel_exists --show ctx_kernel_value --show ctx_user_value"
runvals core $O/core.bpf.o $CORE_SHOW
runvals core_user $O/core.bpf.o --btf /sys/kernel/btf/vmlinux -d $CORE_SHOW
grep -m 1 'relo #0: matching candidate' /tmp/core_user.out | sed 's/^/BBPF-VALUE core_user_relo0 /'
runvals core_tm $O/core_tm.bpf.o $TM_SHOW
runvals core_tm_user $O/core_tm.bpf.o --btf /sys/kernel/btf/vmlinux $TM_SHOW
runvals kconfig61 $O/kconfig61.bpf.o --kconfig "$CFG" --show kver --show hz --show flags_seen \
	--show hostname --show sym_addr --show missing_addr --show kfunc_present
runvals ksym_typed $O/ksym_typed.bpf.o --show nr_running --show nr_switches_cpu0 --show weak_present
# uprobes on a static binary's syscall() (the PMU, BPF perf links; 6.1 has no uprobe-multi)
runvals uprobe_guest $O/uprobe_guest.bpf.o --show getpid_calls --show rets --show pid_rets \
	--show pid_ret
if [ -z "$(cat /sys/kernel/tracing/uprobe_events)" ]; then
	res uprobe-events-clean PASS "no probe event left"
else
	res uprobe-events-clean FAIL "$(head -n 1 /sys/kernel/tracing/uprobe_events)"
fi
kill $POKE
wait $POKE 2>/dev/null
grep '^BBPF-' /tmp/poke.out

echo "BBPF-VALUE guest_seconds $(cut -d' ' -f1 /proc/uptime)"
echo BBPF-DONE
poweroff -f
