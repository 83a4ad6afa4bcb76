#!/usr/bin/env bash
# Where the static CLIs' bytes go (README "Static builds").
#
#   bench/size.sh [full|init] [folders|files|sections|features]
#
# Builds the static CLI like `make static` (full) or `make static-init`
# (init), but compiles each source to its own object so that the linker map
# names the file each kept section came from, then prints the stripped size
# and the bytes each folder (or file, or function and object) keeps in the
# loaded sections (.text, .rodata, .data, ...; .bss takes no file bytes).
# musl's libc.a shows as "libc". Extra compiler flags: SIZE_CFLAGS="...".
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
detail=${2:-folders}
out=build/size/$mode
mkdir -p "$out"
# The flags of the Makefile's static builds (one place: the Makefile).
flags=$(make -s --no-print-directory -f Makefile -f - print-static-flags <<'EOF'
print-static-flags:
	@echo $(STATIC_SIZE_FLAGS)
EOF
)
init_defs=$(make -s --no-print-directory -f Makefile -f - print-init-defs <<'EOF'
print-init-defs:
	@echo $(STATIC_INIT_DEFS)
EOF
)
# LTO merges all objects into one, and the map could no longer tell files
# apart: the per-file table is measured without it (the real, LTO size is
# printed first).
lto=$(echo $flags | tr ' ' '\n' | grep -- '^-flto' | tr '\n' ' ' || true)
flags=$(echo $flags | tr ' ' '\n' | grep -v -- '^-flto' | tr '\n' ' ')
defs="" target=static
[ "$mode" = init ] && defs="$init_defs" target=static-init
# The generated headers (src/cli/*.txt deflated) as the Makefile makes them.
make -s build/musl-include/.stamp $(ls src/cli/*.txt src/dump/*.txt | sed 's|^src/[a-z]*/\(.*\)\.txt$|build/gen/\1.h|')
cflags="-static -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wshadow -Werror -Iinclude -Ibuild/gen \
	-isystem build/musl-include $defs $flags ${SIZE_CFLAGS:-}"
# Compiling alone: the link's start file (crt1.o, Makefile STATIC_SIZE_FLAGS) is no input.
ccflags=$(echo $cflags | tr ' ' '\n' | grep -v -- '\.o$' | tr '\n' ' ')
# The sources in the Makefile's order (LTO's output depends on it by a few
# hundred bytes).
srcs=$(make -s --no-print-directory -f Makefile -f - print-static-srcs <<'EOF'
print-static-srcs:
	@echo $(PURE_SRCS) $(KERN_SRCS) $(CLI_SRCS) $(STATIC_ONLY_SRCS)
EOF
)
# Every object depends on every header (a stale object would not link).
hdrs=$(ls include/barebpf/*.h src/*/*.h build/gen/*.h | tr '\n' ' ')
objs=""
for s in $srcs; do
	o=$out/$(echo "${s#src/}" | tr / _ | sed 's/\.c$/.o/')
	objs="$objs $o"
	echo "$o: $s $hdrs"
	printf '\tmusl-gcc %s -c -o $@ %s\n' "$ccflags" "$s"
done >"$out/Makefile"
make -s -j2 -f "$out/Makefile" $objs
if [ -n "$lto" ]; then
	# The LTO figure from the sources make compiles: the copies with the
	# diagnostic formats rewritten (Makefile "msgz") and this build's
	# catalog of them. The tables below stay on the original sources (their
	# message literals show as .rodata of their files).
	msgz_srcs=$(make -s --no-print-directory -f Makefile -f - print-msgz-srcs <<'EOF'
print-msgz-srcs:
	@echo $(MSGZ_SRCS)
EOF
)
	make -s "build/msgz/$mode/msgz_cat.h"
	# shellcheck disable=SC2086
	musl-gcc $cflags -Wno-format -include src/base/msgz.h -Ibuild/msgz/$mode \
		-include "build/msgz/$mode/msgz_map.h" $lto \
		-o "$out/barebpf-lto" $msgz_srcs
	objcopy --remove-section=.comment "$out/barebpf-lto"	# as the Makefile's STATIC_STRIP
	echo "$mode: $(stat -c %s "$out/barebpf-lto") bytes stripped (as make $target builds it)"
fi
# The link flags are the same; -s strips, the map shows what was kept.
musl-gcc $cflags -Wl,-Map="$out/map" -o "$out/barebpf" $objs
objcopy --remove-section=.comment "$out/barebpf"
echo "$mode: $(stat -c %s "$out/barebpf") bytes stripped without LTO; kept bytes by ${detail%s}:"
# A map line names an input section, its address, size and object; a long
# section name puts the rest on the next line.
awk -v detail="$detail" '
	function hex(s,   i, v, c) {
		v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	# The features of README "Static builds", by the files that make them.
	function feature(k) {
		if (k ~ /^libc/) return "musl libc"
		if (k ~ /^crt/) return "crt+libgcc"
		if (k ~ /usdt/) return "USDT (specs, attach, ids)"
		if (k ~ /^(attach_uprobe|parse_usym|parse_ldcache|kern_binpath)/) return "uprobe attach (symbols, ld.so.cache, paths)"
		if (k ~ /^(attach_(xdp|tc|tcx|cgroup|sock)|kern_netlink|parse_nlmsg|cli_(net|cgroup|cgroup_attach|prog_attach|attach_args))$/) return "network and cgroup attach (library and CLI)"
		if (k ~ /^(attach_|kern_(tracefs|ksyscall|pmu)$)/) return "kprobe, tracepoint, raw_tp, fentry, iter attach"
		if (k ~ /^relo_core/) return "user-space CO-RE"
		if (k ~ /^base_inflate$/) return "inflate (kconfig .gz)"
		if (k ~ /^obj_kconfig$|^kern_kconfig_src$|^load_externs$|^obj_extern$/) return "externs and kconfig"
		if (k ~ /^events_|^cli_(run|trace|textfile)/) return "run command, ring/perf buffers"
		if (k ~ /^dump_|^cli_(btf|btf_show)$/) return "BTF and map dumpers, btf command"
		if (k ~ /^cli_(inspect)/) return "inspect command"
		if (k ~ /^cli_(map|map_dump|prog_show|prog_dump|helpers|link|perf|struct_ops|feature|kobj|kobj_show)$/) return "kernel-object commands (prog/map/link/perf/feature...)"
		if (k ~ /^cli_/) return "CLI core (main, prog loadall, JSON, malloc)"
		return "loader core (ELF, BTF, objects, relocation, load, pin)"
	}
	/^Discarded input sections/ { skip = 1 }
	/^Memory map|^Linker script and memory map/ { skip = 0 }
	skip { next }
	/^ \.bss|^ \.tbss|^ COMMON/ { pend = ""; next }
	/^ \.[a-zA-Z_.0-9]+$/ { pend = $1; next }
	{
		if (pend != "" && $1 ~ /^0x/) line = pend " " $0; else line = $0
		pend = ""
		n = split(line, f, " ")
		if (n < 4 || f[1] !~ /^\./ || f[2] !~ /^0x/ || f[3] !~ /^0x/) next
		if (f[1] ~ /^\.(bss|tbss|comment|note|debug)/) next
		sz = hex(f[3]); obj = f[4]
		if (sz == 0) next
		if (obj ~ /libc\.a/) {
			key = "libc"
			if (detail != "folders") { key = obj; sub(/.*\(/, "libc:", key); sub(/\.lo\)$/, "", key) }
		}
		else if (obj ~ /crt|libgcc/) key = "crt+libgcc"
		else {
			sub(/.*\//, "", obj); sub(/\.o$/, "", obj)
			if (detail != "folders") key = obj
			else { key = obj; sub(/_.*/, "", key) }
		}
		if (detail == "sections") key = key " " f[1]
		if (detail == "features") key = feature(key)
		sum[key] += sz; tot += sz
	}
	END {
		for (k in sum) printf "%8d  %s\n", sum[k], k | "sort -rn"
		close("sort -rn")
		printf "%8d  total of loaded input sections\n", tot
	}' "$out/map"
