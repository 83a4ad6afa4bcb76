# barebpf — see README.md. Everything is discovered by wildcard: a new
# src/<layer>/*.c, tests/unit/test_*.c, tests/bpf/*.bpf.c or fuzz/fuzz_*.c
# needs no Makefile change.

CC       ?= cc
CLANG    ?= clang
BPF_CLANG ?= $(shell command -v clang-16 >/dev/null 2>&1 && echo clang-16 || echo clang)
LLVM_STRIP ?= $(shell command -v llvm-strip-16 >/dev/null 2>&1 && echo llvm-strip-16 || echo llvm-strip)
PREFIX   ?= /usr/local
DESTDIR  ?=
FUZZ_SECONDS ?= 60
VERSION  := 0.1.0

BUILD    := build
WARN     := -Wall -Wextra -Wshadow -Werror
CFLAGS   ?= -O2 -g
GEN      := $(BUILD)/gen
# -fPIC for libbarebpf.so, whose bbpf_* functions are not meant to be
# interposed: -fno-semantic-interposition lets calls inside a file inline
# and bind directly, as in the static archive the CLI links.
BASEFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARN) -Iinclude -I$(GEN) -fPIC -fno-semantic-interposition

# Layers, lowest first (README "Layers"). A folder may use only itself and
# the folders before it (check-deps). The pure ones (base .. dump) make
# libbarebpf_obj.a: no syscalls, no files.
PURE_LAYERS := base parse obj relo dump
KERN_LAYERS := kern load attach events
LAYERS    := $(PURE_LAYERS) $(KERN_LAYERS) compat cli
PURE_SRCS := $(foreach l,$(PURE_LAYERS),$(wildcard src/$(l)/*.c))
KERN_SRCS := $(foreach l,$(KERN_LAYERS),$(wildcard src/$(l)/*.c))
# The static CLIs bring their own malloc (src/cli/static_malloc.c says why).
STATIC_ONLY_SRCS := src/cli/static_malloc.c src/cli/static_string.c
CLI_SRCS  := $(filter-out $(STATIC_ONLY_SRCS),$(wildcard src/cli/*.c))
# Texts kept deflated (src/cli/*.txt, src/dump/*.txt), as generated headers.
GEN_HDRS  := $(patsubst %.txt,$(GEN)/%.h,$(notdir $(wildcard src/cli/*.txt src/dump/*.txt)))
HDRS      := $(wildcard include/barebpf/*.h include/compat/bpf/*.h src/*/*.h) $(GEN_HDRS)

# The libbpf-compatible API (README "libbpf-compatible API"): libbpf's names
# over the native API, in libraries of their own (libbarebpf-libbpf), so
# that nothing linking real libbpf (bench/, tests/diff) picks them up.
COMPAT_SRCS := $(wildcard src/compat/*.c)
COMPAT_INC := -Iinclude/compat
PURE_OBJS := $(PURE_SRCS:%.c=$(BUILD)/o/%.o)
COMPAT_OBJS := $(COMPAT_SRCS:%.c=$(BUILD)/o/%.o)
KERN_OBJS := $(KERN_SRCS:%.c=$(BUILD)/o/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/o/%.o)

# Keep intermediate objects: parallel builds of several tests share them.
.SECONDARY:

# src/{cli,dump}/NAME.txt as $(GEN)/NAME.h: its raw DEFLATE stream as
# NAME_z[] and its length as NAME_len; the code inflates it when it is
# needed (bbpf_inflate). zopfli (Debian's package; a build tool only) finds
# a stream about 4 % shorter than gzip -9 for the same inflater.
# $(call deflate_hdr,FILE,NAME) prints that header for FILE.
# A failed recipe leaves no half-written target behind (such a header would compile).
.DELETE_ON_ERROR:
deflate_hdr = zopfli --deflate -c $(1) | od -An -v -tu1 | awk -v n=$(2) -v len=$$(wc -c < $(1)) \
		'{ for (i = 1; i <= NF; i++) b[c++] = $$i } \
		END { if (!c) { print "deflate_hdr: no zopfli output (make deps)" > "/dev/stderr"; exit 1 } \
		printf "enum { %s_len = %d };\nstatic const unsigned char %s_z[] = {", n, len, n; \
		for (i = 0; i < c; i++) printf "%s%d,", i % 16 ? "" : "\n\t", b[i]; print "\n};" }'
vpath %.txt src/cli src/dump
$(GEN)/%.h: %.txt
	@mkdir -p $(@D)
	$(call deflate_hdr,$<,$*) > $@

.PHONY: bench-objects all static check test unit deps fixtures fuzz fuzz-build afl afl-deps install clean \
	check-layers check-globals check-deps check-names example examples bench bench-events check-kernels static-init
all: $(BUILD)/libbarebpf.a $(BUILD)/libbarebpf.so $(BUILD)/libbarebpf_obj.a $(BUILD)/barebpf \
	$(BUILD)/libbarebpf-libbpf.a $(BUILD)/libbarebpf-libbpf.so \
	check-layers check-globals check-deps check-names

$(BUILD)/o/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libbarebpf_obj.a: $(PURE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libbarebpf.a: $(PURE_OBJS) $(KERN_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libbarebpf.so: $(PURE_OBJS) $(KERN_OBJS)
	$(CC) -shared -Wl,-soname,libbarebpf.so.0 -o $@ $^

$(COMPAT_OBJS): BASEFLAGS += $(COMPAT_INC)

$(BUILD)/libbarebpf-libbpf.a: $(COMPAT_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libbarebpf-libbpf.so: $(COMPAT_OBJS) $(BUILD)/libbarebpf.so
	$(CC) -shared -Wl,-soname,libbarebpf-libbpf.so.0 -o $@ $(COMPAT_OBJS) -L$(BUILD) -lbarebpf

# The CLI takes the library from the static archive (no libbarebpf.so to
# load and relocate) and is not position-independent: a PIE's pointer
# tables (section definitions, command tables) are ~800 relative
# relocations that ld.so applies at every start (12,600 instructions of a
# 205,000-instruction `prog loadall` of the minimal example; bench/README.md).
$(BUILD)/barebpf: $(CLI_OBJS) $(BUILD)/libbarebpf.a
	$(CC) $(CFLAGS) -no-pie -o $@ $(CLI_OBJS) $(BUILD)/libbarebpf.a

# Pure layers may call only libc memory/string helpers, snprintf (log
# formatting) and each other: no I/O, no syscalls. The default allocator
# (alloc.o) is the one place that calls malloc's family.
ALLOWED_UNDEF := bcmp|mem(cpy|cmp|set|move|chr)|str(len|nlen|cmp|ncmp|chr|rchr|str)|v?snprintf|__stack_chk_fail|_GLOBAL_OFFSET_TABLE_|__(v)?snprintf_chk|__memcpy_chk|__memset_chk|bbpf_[a-z0-9_]+
check-layers: $(filter-out $(BUILD)/o/src/base/alloc.o,$(PURE_OBJS))
	@if nm -u $^ | awk '$$1 == "U" { print $$2 }' | sort -u | grep -vxE '$(ALLOWED_UNDEF)'; then \
		echo "check-layers: pure-layer objects reference the symbols above" >&2; exit 1; fi

# No arrow points up: includes and symbol references between src/ folders.
check-deps: $(PURE_OBJS) $(KERN_OBJS) $(COMPAT_OBJS) $(CLI_OBJS)
	@tests/build/layers.sh $(BUILD) $(LAYERS)

# No mutable globals in the library: .data and .bss must be empty. The one
# exemption: src/compat/print.c holds libbpf_set_print()'s callback, which
# libbpf's API makes process-wide; it may hold that pointer and nothing else.
COMPAT_GLOBAL_OBJ := $(BUILD)/o/src/compat/print.o
check-globals: $(PURE_OBJS) $(KERN_OBJS) $(COMPAT_OBJS)
	@size -A $(filter-out $(COMPAT_GLOBAL_OBJ),$^) | awk '/^[^ ]+\.o/ { obj = $$1 } ($$1 == ".data" || $$1 == ".bss") && $$2 > 0 { print obj, $$1, $$2; bad = 1 } END { exit bad }'
	@size -A $(COMPAT_GLOBAL_OBJ) | awk '$$1 == ".data" || $$1 == ".bss" { n += $$2 } END { if (n > 8) { print "$(COMPAT_GLOBAL_OBJ): " n " bytes of globals, only the print callback (8) allowed"; exit 1 } }'

# Names: outside src/compat the library defines only bbpf_* symbols and
# neither it nor the CLI references libbpf's names; src/compat defines
# libbpf's API names and its own bbpf_compat_* helpers, nothing else.
LIBBPF_NAMES := (bpf|btf|libbpf)_[a-z0-9_]+|(perf_buffer|ring_buffer|ring|user_ring_buffer)__[a-z0-9_]+
check-names: $(PURE_OBJS) $(KERN_OBJS) $(COMPAT_OBJS) $(CLI_OBJS)
	@if nm -g --defined-only $(PURE_OBJS) $(KERN_OBJS) | awk 'NF == 3 && $$3 !~ /^bbpf_/ { print $$3 }' | grep .; then \
		echo "check-names: the symbols above lack the bbpf_ prefix" >&2; exit 1; fi
	@if nm -u $(PURE_OBJS) $(KERN_OBJS) $(CLI_OBJS) | awk '$$1 == "U" { print $$2 }' | grep -xE '$(LIBBPF_NAMES)'; then \
		echo "check-names: only src/compat may use libbpf's names (above)" >&2; exit 1; fi
	@if nm -g --defined-only $(COMPAT_OBJS) | awk 'NF == 3 { print $$3 }' | grep -vxE 'bbpf_compat_[a-z0-9_]+|$(LIBBPF_NAMES)'; then \
		echo "check-names: src/compat defines the symbols above: neither libbpf's API nor bbpf_compat_*" >&2; exit 1; fi

# ---- static CLI with musl ----
MUSL_INC := $(BUILD)/musl-include
$(MUSL_INC)/.stamp:
	@mkdir -p $(MUSL_INC)
	ln -sfn /usr/include/linux $(MUSL_INC)/linux
	ln -sfn /usr/include/asm-generic $(MUSL_INC)/asm-generic
	ln -sfn /usr/include/x86_64-linux-gnu/asm $(MUSL_INC)/asm
	@touch $@

# Deflated messages ("msgz"): the static builds compile copies of the
# sources in which src/tools/msgz.c replaced the literal format of every
# diagnostic call (the sinks in src/tools/msgz.sinks: log, warn, fail and
# error functions whose format ends in bbpf_vsnprintf) by BBPF_MSGZ(n), an
# index into one deflated catalog of the texts (src/base/msgz.h); the
# sources keep their literals and the normal builds check them with
# -Wformat. Each static build gets its own catalog, of the messages it
# keeps: pass 1 links the copies with BBPF_MSGZ(n) a marker literal
# ("\1msgz:n\2") and reads which markers survived preprocessing and LTO/gc;
# the catalog holds their texts only, deflated like src/cli/*.txt, and
# msgz_map.h maps each n to its position there; pass 2 links with
# BBPF_MSGZ(n) that position + 1, which bbpf_vsnprintf (src/base/fmt.c, built with the catalog)
# decodes when, and only when, a message is printed. The copies are built
# with -Wno-format (an integer is no format string); everything else keeps
# -Werror. Texts only ever printed through the %s of a bbpf_vsnprintf are
# marked BBPF_MSGZ_STR("...") in the sources (src/base/fmt.h: the literal
# in the normal builds) and become tokens too: bbpf_bad_str's reasons
# (src/base/diag.c), USDT argument and run_vars "why" texts. So in the
# static CLIs bbpf_bad_str returns a token that only bbpf_vsnprintf
# decodes: their library is no library (only the CLI calls it there).
# 2026-12-07: 728 formats rewritten (646 texts); the full build
# keeps 612 (22,123 B, 7,478 B deflated), the init build 243 (9,357 B,
# 3,374 B): -14,144 B full, -5,312 B init; loading the bench objects costs
# at most 0.15 % more instructions (the test of fmt in bbpf_vsnprintf).
# With the %s texts (sink arguments after the format, BBPF_MSGZ_STR): 758
# formats, 71 arguments and 94 marked texts (823 texts); full keeps 771
# (26,019 B, 8,731 B deflated), init 338 (12,228 B, 4,350 B): a further
# -2,176 B full, -1,600 B init. The first printed token inflates the
# catalog, which the process keeps (src/base/fmt.c; -d loading tp8_tool:
# 2.9 M instructions, 9.5 M when each call inflated it), so the CLI's output
# printers are sinks too (2026-12-07: -608 B full, -48 B init); so are
# bbpf_snprintf in the CLI files that format output or errors only, and the
# text formats of show members (bbpf_cli_kobj_u/_s/_named; "fmt-only": a
# kobj_s value is a JSON string too, never a token): -864 B full, -48 B init.
STATIC_SRCS := $(PURE_SRCS) $(KERN_SRCS) $(CLI_SRCS) $(STATIC_ONLY_SRCS)
MSGZ      := $(BUILD)/msgz
MSGZ_IN   := $(STATIC_SRCS) $(wildcard src/*/*.h)
MSGZ_SRCS := $(STATIC_SRCS:%=$(MSGZ)/%)
MSGZ_CC    = musl-gcc -static -std=c11 -D_DEFAULT_SOURCE $(WARN) -Wno-format -Iinclude -I$(GEN) \
	-isystem $(MUSL_INC) -include src/base/msgz.h
$(MSGZ)/msgz: src/tools/msgz.c src/base/msgz.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARN) -O1 -o $@ $<
# The rewritten copies ($(MSGZ)/src/...) and the catalog's texts.
$(MSGZ)/catalog.c: $(MSGZ)/msgz src/tools/msgz.sinks $(MSGZ_IN)
	@rm -rf $(MSGZ)/src
	$(MSGZ)/msgz src/tools/msgz.sinks $(MSGZ) $@ $(MSGZ_IN)
$(MSGZ)/catalog: $(MSGZ)/catalog.c
	$(CC) -std=c11 -O1 -o $@ $<
# $(MSGZ)/{full,init}/: pass1 (the marker build), keep.txt (the indices it
# kept), msgz.raw (the catalog), msgz_map.h (each index's token in it) and
# msgz_cat.h (deflated, and the number of texts with the empty one).
$(MSGZ)/full/pass1: STATIC_DEFS :=
$(MSGZ)/init/pass1: STATIC_DEFS = $(STATIC_INIT_DEFS)
$(MSGZ)/%/pass1: $(MSGZ)/catalog.c src/base/msgz.h $(HDRS) $(MUSL_INC)/.stamp
	@mkdir -p $(@D)
	$(MSGZ_CC) -DBBPF_MSGZ_PASS1 $(STATIC_DEFS) $(STATIC_SIZE_FLAGS) -o $@ $(MSGZ_SRCS)
$(MSGZ)/%/msgz_cat.h: $(MSGZ)/%/pass1 $(MSGZ)/catalog
	LC_ALL=C grep -aoP '\x01msgz:\K[0-9]+(?=\x02)' $< | sort -nu > $(@D)/keep.txt
	@test -s $(@D)/keep.txt || { echo "$<: no message markers" >&2; exit 1; }
	$(MSGZ)/catalog $(@D)/keep.txt $(@D)/msgz_map.h > $(@D)/msgz.raw
	{ $(call deflate_hdr,$(@D)/msgz.raw,msgz); \
	  echo "enum { msgz_cnt = $$(( $$(wc -l < $(@D)/keep.txt) + 1 )) };"; } > $@
	@echo "msgz $*: $$(wc -l < $(@D)/keep.txt) messages kept, catalog $$(wc -c < $(@D)/msgz.raw) B, deflated $$(zopfli --deflate -c $(@D)/msgz.raw | wc -c) B"

static: $(BUILD)/barebpf-static
$(BUILD)/barebpf-static: $(MSGZ)/full/msgz_cat.h
	$(MSGZ_CC) -I$(MSGZ)/full -include $(MSGZ)/full/msgz_map.h $(STATIC_SIZE_FLAGS) -o $@ $(MSGZ_SRCS)
	$(STATIC_STRIP) $@

# The init tool's build (README "Static builds"): the same sources, with
# only `prog loadall` in the CLI and kernel-side CO-RE; the linker drops
# everything nothing references.
static-init: $(BUILD)/barebpf-init-static
$(BUILD)/barebpf-init-static: $(MSGZ)/init/msgz_cat.h
	$(MSGZ_CC) -I$(MSGZ)/init -include $(MSGZ)/init/msgz_map.h $(STATIC_INIT_DEFS) $(STATIC_SIZE_FLAGS) -o $@ $(MSGZ_SRCS)
	$(STATIC_STRIP) $@

# What the init build leaves out, one macro per feature (README "Static
# builds"; bench/size.sh reads this line): the CLI's other commands and
# JSON output, user-space CO-RE, USDT, netlink undo, struct_ops,
# kprobe.multi/uprobe.multi/session and ksyscall attach, tracefs
# (pre-4.17, samples/bpf) kprobe and uprobe events, the ld.so.cache lookup
# of uprobe libraries.
STATIC_INIT_DEFS := -DBBPF_CLI_INIT -DBBPF_NO_USER_CORE -DBBPF_NO_USDT -DBBPF_NO_NET_ATTACH \
	-DBBPF_NO_STRUCT_OPS -DBBPF_NO_MULTI_ATTACH -DBBPF_NO_KSYSCALL -DBBPF_NO_LEGACY_PROBES \
	-DBBPF_NO_LDCACHE

# Size matters for initramfs: no unwind tables (C, no exceptions), no page
# padding between segments (a small common page size lets the data segment
# share the text segment's last file page), unused sections dropped,
# symbols stripped. The binary is a fixed-address static executable, so
# position-dependent code: shorter address loads, and pointer tables go to
# .rodata without relocations. -Oz and whole-program LTO in one partition
# (cross-file inlining of one-caller functions, unused code found across
# files), no switch jump tables and ABI (not 32-byte) alignment of arrays
# took 18 KiB off the full CLI and 10 KiB off the init one (bench/size.sh
# measures; README "Static builds"). Copies and clears are calls to musl's
# memcpy/memset (8 bytes a step), not the byte-at-a-time rep movsb/stosb
# that -Oz inlines: 4,100 of the 69,500 instructions of loading the minimal
# example, for 2.6 KiB (bench/README.md).
# A sweep of GCC's optimisation switches, one at a time then together
# (2026-12-07, sixth round), turns off the seven optimisations below, which
# make this code larger (none changes behaviour): no saving of registers around calls
# when a call-saved one will do (-fno-caller-saves), no hoisting of
# invariants or loads out of loops (they need a register each), no partial
# inlining, if-conversion or mod/ref-driven IPA, no combine/CSE extras
# (-fno-expensive-optimizations): -4,512 bytes full, -1,472 init; loading
# the 8-tracepoint tool costs 4.4 k more instructions (bench/README.md).
# Of the start files only musl's crt1.o (_start): GCC's crtbegin/crtend
# (transactional-memory clone tables, frame registration, the .init_array
# hook) and crti/crtn's .init/.fini serve C++ and unwinding, which the static
# CLIs do not have; musl runs .init_array and its _init is a weak no-op.
MUSL_LIB := /usr/lib/$(shell gcc -dumpmachine 2>/dev/null | sed 's/-gnu$$/-musl/')
STATIC_SIZE_FLAGS := -Oz -mstringop-strategy=libcall \
	-fno-caller-saves -fno-move-loop-invariants -fno-tree-loop-im -fno-partial-inlining \
	-fno-if-conversion -fno-ipa-modref -fno-expensive-optimizations -fno-tree-tail-merge -flto -flto-partition=one -fno-jump-tables -malign-data=abi \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident \
	-fno-pie -no-pie -ffunction-sections -fdata-sections -Wl,--gc-sections \
	-Wl,-z,noseparate-code -Wl,-z,common-page-size=64 -Wl,-z,norelro \
	-Wl,--build-id=none -s -nostartfiles $(MUSL_LIB)/crt1.o
# -fno-ident keeps our objects' compiler versions out; musl's libc.a and the
# C runtime's objects bring theirs: the .comment section the strip of -s keeps.
STATIC_STRIP := objcopy --remove-section=.comment

# ---- dependencies (Debian) ----
DEB_PKGS := libcmocka-dev libbpf-dev bpftool musl-tools clang-16 llvm-16 clang llvm \
	libclang-rt-14-dev valgrind pkg-config bc binutils qemu-system-x86 busybox-static cpio zopfli \
	systemtap-sdt-dev iproute2 libelf-dev zlib1g-dev
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi

# ---- BPF fixtures: every tests/bpf/X.bpf.c → X.bpf.o (bpfel) and X.bpfeb.o ----
BPF_SRCS  := $(wildcard tests/bpf/*.bpf.c)
BPF_EL    := $(BPF_SRCS:tests/bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
BPF_EB    := $(BPF_SRCS:tests/bpf/%.bpf.c=$(BUILD)/bpf/%.bpfeb.o)
BPF_CFLAGS := -O2 -g -Wall -Werror -Wno-unused-variable -Wno-compare-distinct-pointer-types \
	-I/usr/include/x86_64-linux-gnu -Itests/bpf
fixtures: $(BPF_EL) $(BPF_EB) $(BUILD)/bpf/minimal.bpf.o $(BUILD)/bpf/minimal.bpfeb.o \
	$(BUILD)/bpf/nobtf_stripped.bpf.o

# A legacy object with no BTF at all, as old toolchains produced.
LLVM_OBJCOPY ?= $(shell command -v llvm-objcopy-16 >/dev/null 2>&1 && echo llvm-objcopy-16 || echo llvm-objcopy)
$(BUILD)/bpf/nobtf_stripped.bpf.o: $(BUILD)/bpf/nobtf.bpf.o
	$(LLVM_OBJCOPY) --remove-section .BTF --remove-section .rel.BTF --remove-section .BTF.ext \
		--remove-section .rel.BTF.ext $< $@

$(BUILD)/bpf/%.bpf.o: tests/bpf/%.bpf.c $(wildcard tests/bpf/*.h)
	@mkdir -p $(@D)
	$(BPF_CLANG) -target bpfel $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/bpf/%.bpfeb.o: tests/bpf/%.bpf.c $(wildcard tests/bpf/*.h)
	@mkdir -p $(@D)
	$(BPF_CLANG) -target bpfeb $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/bpf/minimal.bpf.o: examples/minimal.bpf.c
	@mkdir -p $(@D)
	$(BPF_CLANG) -target bpf $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/bpf/minimal.bpfeb.o: examples/minimal.bpf.c
	@mkdir -p $(@D)
	$(BPF_CLANG) -target bpfeb $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

# ---- tests: cmocka, built with ASan/UBSan against the same sources ----
# Shelves, by what a test needs (README "Tests"): unit (the fake syscall
# table only: runs anywhere, fast), kernel (the running kernel, as root),
# diff (against libbpf/bpftool), build (the build products). Every
# tests/<shelf>/test_*.c becomes build/tests/<shelf>/test_*.
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TEST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARN) -Iinclude -I$(GEN) -Isrc -Itests/lib -O1 -g $(SAN) \
	-DBBPF_FIXTURE_DIR='"$(BUILD)/bpf"' -DBBPF_BUILD_DIR='"$(BUILD)"' -DBBPF_SRC_DIR='"$(CURDIR)"'
ASAN_LIB_OBJS := $(PURE_SRCS:%.c=$(BUILD)/asan/%.o) $(KERN_SRCS:%.c=$(BUILD)/asan/%.o)
TESTLIB_OBJS := $(patsubst %.c,$(BUILD)/asan/%.o,$(wildcard tests/lib/*.c))
SHELVES   := unit kernel diff build
TEST_SRCS := $(foreach s,$(SHELVES),$(wildcard tests/$(s)/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

$(BUILD)/asan/%.o: %.c $(HDRS) $(wildcard tests/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/asan/tests/%.o $(TESTLIB_OBJS) $(ASAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(SAN) -o $@ $^ -lcmocka

# Unit tests of the CLI's commands against the fake kernel link the CLI's
# objects; main.c is built without main() (bbpf_cli_main() takes the table).
CLI_TEST_OBJS := $(filter-out $(BUILD)/asan/src/cli/main.o,$(CLI_SRCS:%.c=$(BUILD)/asan/%.o)) \
	$(BUILD)/asan/src/cli/main_nomain.o
$(BUILD)/asan/src/cli/main_nomain.o: src/cli/main.c $(HDRS) $(wildcard tests/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -DBBPF_CLI_NO_MAIN -c $< -o $@
$(BUILD)/tests/unit/test_cli_kobj: $(CLI_TEST_OBJS)
$(BUILD)/tests/unit/test_net_show: $(CLI_TEST_OBJS)
# Tests of the libbpf-compatible API (tests/*/test_compat_*.c) see its headers
# and link its objects; no other test does.
COMPAT_ASAN_OBJS := $(COMPAT_SRCS:%.c=$(BUILD)/asan/%.o)
COMPAT_TESTS := $(patsubst tests/%.c,%,$(wildcard tests/*/test_compat_*.c))
$(COMPAT_ASAN_OBJS) $(COMPAT_TESTS:%=$(BUILD)/asan/tests/%.o): TEST_CFLAGS += $(COMPAT_INC)
$(COMPAT_TESTS:%=$(BUILD)/tests/%): $(COMPAT_ASAN_OBJS)

# tests/diff/test_compat_diff: one application (tests/diff/compat_app.c) with a
# skeleton bpftool 7.1 generates, built against libbpf and against barebpf-libbpf.
COMPAT_APP := $(BUILD)/compat
COMPAT_APP_FLAGS := -std=gnu11 -O2 -g -Wall -Wmissing-field-initializers -Werror -Werror=undef
$(COMPAT_APP)/compat_app.skel.h: $(BUILD)/bpf/compat_app.bpf.o
	@mkdir -p $(@D)
	bpftool gen skeleton $< name compat_app > $@.tmp && mv $@.tmp $@
$(COMPAT_APP)/app-libbpf: tests/diff/compat_app.c $(COMPAT_APP)/compat_app.skel.h
	$(CC) $(COMPAT_APP_FLAGS) -I$(COMPAT_APP) -o $@ $< -lbpf -lelf -lz
$(COMPAT_APP)/app-barebpf: tests/diff/compat_app.c $(COMPAT_APP)/compat_app.skel.h \
		$(BUILD)/libbarebpf-libbpf.a $(BUILD)/libbarebpf.a
	$(CC) $(COMPAT_APP_FLAGS) $(COMPAT_INC) -I$(COMPAT_APP) -o $@ $< \
		$(BUILD)/libbarebpf-libbpf.a $(BUILD)/libbarebpf.a
# tests/build/test_compat_api installs into a temporary DESTDIR and builds an
# application from it with gcc and musl-gcc (the UAPI headers for musl).
$(BUILD)/tests/build/test_compat_api: | $(MUSL_INC)/.stamp
$(BUILD)/tests/diff/test_compat_diff: | $(COMPAT_APP)/app-libbpf $(COMPAT_APP)/app-barebpf \
	$(BUILD)/bpf/dump_types.bpf.o $(BUILD)/bpf/globals.bpf.o $(BUILD)/bpf/maps_btf.bpf.o

# gen skeleton vs bpftool, layouts, skel_shapes_app four ways (README "Skeletons").
$(BUILD)/tests/diff/test_skel_diff: | $(BUILD)/barebpf $(BUILD)/libbarebpf-libbpf.a \
	$(BUILD)/libbarebpf.a $(BUILD)/bpf/skel_shapes.bpf.o $(BUILD)/bpf/globals_bss_custom.bpf.o

unit: $(TEST_BINS)

# Runs the test binaries of the shelves in $(1), shelf by shelf; cmocka
# prints a summary per binary, a "--- <binary>: T s" line follows each
# (its wall time), each shelf says how long it took, the slowest binaries
# are listed and the last lines total them.
define run_shelves
@pass=0; fail=0; failed=""; t00=$$(date +%s); times=""; \
	for s in $(1); do \
		t0=$$(date +%s); \
		for t in $(TEST_BINS); do \
			case $$t in $(BUILD)/tests/$$s/*) ;; *) continue ;; esac; \
			echo "=== $$t"; tb=$$(date +%s%N); \
			if ASAN_OPTIONS=detect_leaks=1 $$t; then pass=$$((pass+1)); r=ok; \
			else fail=$$((fail+1)); failed="$$failed $$t"; r=FAILED; fi; \
			ms=$$(( ($$(date +%s%N) - tb) / 1000000 )); \
			dt=$$((ms / 1000)).$$((ms % 1000 / 100)); \
			echo "--- $$t: $$dt s ($$r)"; times="$$times$$ms $$t $$dt;"; \
		done; \
		echo "shelf $$s: $$(( $$(date +%s) - t0 )) s"; \
	done; \
	echo "slowest binaries:"; printf '%s' "$$times" | tr ';' '\n' | sort -rn | head -n 15 | \
		while read -r ms t dt; do echo "  $$dt s  $$t"; done; \
	echo "shelves $(1): $$(( $$(date +%s) - t00 )) s"; \
	echo "binaries: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ] || { echo "failed:$$failed"; exit 1; }
endef

# The build step runs CHECK_JOBS jobs at a time (the number of CPUs), unless
# make itself was given a -j; it builds examples/ too (the examples tests and
# check-kernels use them), in parallel with the rest. Meanwhile the kernel
# package check-kernels boots is downloaded in the background
# (tests/kernels/run.sh --fetch, output in build/kernels/fetch.log); while the
# tests run, one at a time, the guest's helpers build in the background on
# the other CPU (run.sh --prepare, build/kernels/prepare.log). check-kernels
# waits for both and redoes whatever of it failed; the qemu boot itself runs
# after the tests, overlapping nothing.
NPROC := $(shell nproc 2>/dev/null || echo 2)
CHECK_JOBS ?= $(NPROC)
check: deps
	@mkdir -p $(BUILD)/kernels; tests/kernels/run.sh --fetch >$(BUILD)/kernels/fetch.log 2>&1 </dev/null &
	$(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(CHECK_JOBS)) all static static-init fixtures unit examples
	@tests/kernels/run.sh --prepare >$(BUILD)/kernels/prepare.log 2>&1 </dev/null &
	$(call run_shelves,$(SHELVES))
	@$(MAKE) --no-print-directory check-kernels

# One shelf: make check-unit, check-kernel, check-diff, check-build.
.PHONY: $(SHELVES:%=check-%)
$(SHELVES:%=check-%): check-%: all static static-init fixtures
	$(MAKE) $(filter $(BUILD)/tests/$*/%,$(TEST_BINS))
	$(call run_shelves,$*)

# The static CLI on a second kernel (Debian's 6.1 cloud kernel under qemu):
# tests/kernels/README.md. Its last line is "N passed, M failed".
check-kernels: static fixtures examples
	@tests/kernels/run.sh

test: check

# ---- main job on the bundled example ----
example: deps all $(BUILD)/bpf/minimal.bpf.o
	$(BUILD)/barebpf inspect $(BUILD)/bpf/minimal.bpf.o
	$(BUILD)/barebpf run $(BUILD)/bpf/minimal.bpf.o --duration 3 --set my_pid=self --show write_count

# ---- examples/ with barebpf alone (README "Examples"): installed into a
# DESTDIR tree, then examples/Makefile with that tree's barebpf and
# pkg-config module; static binaries in build/examples/{glibc,musl}/.
EX_ROOT := $(CURDIR)/$(BUILD)/examples-root
EX_OUT  := $(CURDIR)/$(BUILD)/examples
examples: deps all
	$(MAKE) -s install PREFIX=/usr DESTDIR=$(EX_ROOT)
	$(MAKE) -C examples OUT=$(EX_OUT) BAREBPF=$(EX_ROOT)/usr/bin/barebpf \
		PKG_CONFIG_PATH=$(EX_ROOT)/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$(EX_ROOT)

# ---- fuzzing (libFuzzer; AFL++ via `make afl`): fuzz/README.md ----
# A harness that includes "sys_fuzz.h" drives the kernel-facing layers
# against the fuzz-driven fake kernel (fuzz/sys_fuzz.c); it is linked
# without src/kern/sys_linux.c, whose bbpf_sys_linux the fake replaces by
# a table that aborts on any call. The others link only the pure layers.
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_KERN_NAMES := $(patsubst fuzz/%.c,%,$(shell grep -l '"sys_fuzz.h"' $(FUZZ_SRCS) /dev/null))
FUZZ_LIB_SRCS := $(PURE_SRCS) $(filter-out src/kern/sys_linux.c,$(KERN_SRCS)) fuzz/sys_fuzz.c
FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -Iinclude -I$(GEN) -Isrc -O1 -g
FUZZ_SAN := address,undefined -fno-sanitize-recover=undefined
# Library objects once, instrumented for coverage; each harness links what it needs.
$(BUILD)/fuzzo/%.o: %.c $(HDRS) fuzz/sys_fuzz.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c $< -o $@
FUZZ_PURE_OBJS := $(PURE_SRCS:%.c=$(BUILD)/fuzzo/%.o)
FUZZ_KERN_OBJS := $(FUZZ_LIB_SRCS:%.c=$(BUILD)/fuzzo/%.o)

$(BUILD)/fuzz/%: $(BUILD)/fuzzo/fuzz/%.o $(FUZZ_PURE_OBJS)
	@mkdir -p $(@D)
	$(CLANG) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^
$(FUZZ_KERN_NAMES:%=$(BUILD)/fuzz/%): $(BUILD)/fuzz/%: $(BUILD)/fuzzo/fuzz/%.o $(FUZZ_KERN_OBJS)
	@mkdir -p $(@D)
	$(CLANG) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^
	@! nm $@ | grep -qE ' U syscall(@|$$)' || { echo "$@: calls syscall(2)" >&2; exit 1; }

# Seeds for the harnesses whose input is not an object file (fuzz/mkseeds.c).
FUZZ_SEEDED := fuzz_load fuzz_core
$(BUILD)/fuzz/mkseeds: fuzz/mkseeds.c fuzz/sys_fuzz.h $(BUILD)/libbarebpf_obj.a
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libbarebpf_obj.a

fuzz-build: $(FUZZ_BINS) $(BUILD)/fuzz/mkseeds

# Each harness replays its past findings (tests/data/bad/*.<harness>), then
# runs for FUZZ_SECONDS, FUZZ_JOBS harnesses at a time (default: the number
# of CPUs; a -j given to make decides instead). The harnesses share nothing:
# each has its corpus build/corpus/<harness> and its artifacts
# build/fuzz/<harness>-*; each one's output, its final stats last, is
# printed as one block when it ends. A crash, a leak (-detect_leaks=1), a
# timeout (FUZZ_TIMEOUT s per input) or running out of memory ends that
# harness with a non-zero status, no further harness starts, and make
# fails. Corpora start from fuzz/corpus/<harness> and the fixtures
# (wrapped into the harness's input format by mkseeds where it is not an
# object file).
FUZZ_TIMEOUT ?= 25
FUZZ_JOBS ?= $(NPROC)
FUZZ_NAMES := $(FUZZ_SRCS:fuzz/%.c=%)
.PHONY: $(FUZZ_NAMES:%=fuzz-run-%)
fuzz: fuzz-build fixtures
	@t0=$$(date +%s); \
	$(MAKE) --no-print-directory --output-sync=target \
		$(if $(filter -j%,$(MAKEFLAGS)),,-j$(FUZZ_JOBS)) $(FUZZ_NAMES:%=fuzz-run-%) || exit 1; \
	echo "fuzz: $(words $(FUZZ_NAMES)) harnesses, $(FUZZ_SECONDS) s each: no findings ($$(( $$(date +%s) - t0 )) s)"
$(FUZZ_NAMES:%=fuzz-run-%): fuzz-run-%: fuzz-build fixtures
	@n=$*; f=$(BUILD)/fuzz/$$n; c=$(BUILD)/corpus/$$n; mkdir -p $$c; \
	cp -n fuzz/corpus/$$n/* $$c/ 2>/dev/null || true; \
	case " $(FUZZ_SEEDED) " in \
	*" $$n "*) $(BUILD)/fuzz/mkseeds $$n $(BUILD)/bpf $$c || exit 1 ;; \
	*) cp -n $(BUILD)/bpf/*.o $$c/ 2>/dev/null || true ;; esac; \
	for b in tests/data/bad/*.$$n; do [ -e "$$b" ] || continue; \
		$$f $$b >/dev/null 2>&1 || { echo "fuzz: $$n: regression $$b"; $$f $$b; exit 1; }; done; \
	echo "=== $$n for $(FUZZ_SECONDS)s"; \
	$$f -max_total_time=$(FUZZ_SECONDS) -detect_leaks=1 -timeout=$(FUZZ_TIMEOUT) \
		-rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$n- $$c \
		|| { echo "fuzz: $$n found something (artifact: $(BUILD)/fuzz/$$n-*)"; exit 1; }

AFL_BINS := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/afl/%)
$(BUILD)/afl/%: fuzz/%.c fuzz/replay.c $(FUZZ_LIB_SRCS) $(HDRS) fuzz/sys_fuzz.h
	@mkdir -p $(@D)
	AFL_USE_ASAN=1 afl-clang-fast $(FUZZ_CFLAGS) -o $@ $< fuzz/replay.c \
		$(if $(filter $*,$(FUZZ_KERN_NAMES)),$(FUZZ_LIB_SRCS),$(PURE_SRCS))
# AFL++ is not in DEB_PKGS (make check does not need it): installed here when missing.
afl-deps:
	@command -v afl-clang-fast >/dev/null 2>&1 || { echo "installing: afl++"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends afl++; }
afl: afl-deps
	$(MAKE) $(AFL_BINS)

# ---- benchmarks (bench/README.md): barebpf vs libbpf in one run ----
$(BUILD)/bench/bench_open: bench/bench_open.c $(BUILD)/libbarebpf.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Iinclude -o $@ $< $(BUILD)/libbarebpf.a -lbpf -lelf -lz

$(BUILD)/bench/minimal.skel.h: $(BUILD)/bpf/minimal.bpf.o
	@mkdir -p $(@D)
	bpftool gen skeleton $< name minimal > $@

$(BUILD)/bench/bench_lifecycle: bench/bench_lifecycle.c $(BUILD)/bench/minimal.skel.h $(BUILD)/libbarebpf.a
	$(CC) -std=c11 -O2 -g -Iinclude -I$(BUILD)/bench -o $@ $< $(BUILD)/libbarebpf.a -lbpf -lelf -lz

$(BUILD)/bench/bench_core: bench/bench_core.c $(BUILD)/libbarebpf.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Iinclude -o $@ $< $(BUILD)/libbarebpf.a -lbpf -lelf -lz

bench: deps all fixtures $(BUILD)/bench/bench_open $(BUILD)/bench/bench_lifecycle $(BUILD)/bench/bench_core
	bench/run.sh

# Whole-process loads vs bpftool (libbpf) and the many-program scaling series
# (bench/README.md, "Whole-process loads"): generated objects, then bench/objects.py.
BENCH_MANY := 100 200 400 800 1600
BENCH_GEN := $(BENCH_MANY:%=$(BUILD)/bench/many%.bpf.o) $(BENCH_MANY:%=$(BUILD)/bench/manyu%.bpf.o) \
	$(BUILD)/bench/many1000m100.bpf.o
$(BUILD)/bench/many%.bpf.o: bench/gen_many.py
	@mkdir -p $(@D)
	python3 bench/gen_many.py $* 50 > $(BUILD)/bench/many$*.bpf.c
	$(BPF_CLANG) -target bpf $(BPF_CFLAGS) -c $(BUILD)/bench/many$*.bpf.c -o $@
$(BUILD)/bench/manyu%.bpf.o: bench/gen_many.py
	@mkdir -p $(@D)
	python3 bench/gen_many.py $* 50 unique > $(BUILD)/bench/manyu$*.bpf.c
	$(BPF_CLANG) -target bpf $(BPF_CFLAGS) -c $(BUILD)/bench/manyu$*.bpf.c -o $@
$(BUILD)/bench/many1000m100.bpf.o: bench/gen_many.py
	@mkdir -p $(@D)
	python3 bench/gen_many.py 1000 100 > $(BUILD)/bench/many1000m100.bpf.c
	$(BPF_CLANG) -target bpf $(BPF_CFLAGS) -c $(BUILD)/bench/many1000m100.bpf.c -o $@
$(BUILD)/bench/tpbtf_tool.bpf.o: bench/bpf/tpbtf_tool.bpf.c
	@mkdir -p $(@D)
	$(BPF_CLANG) -target bpf $(BPF_CFLAGS) -c $< -o $@
# Small tools of the issue's comparison with a static libbpf loader.
BENCH_SMALL := $(BUILD)/bench/tp8_tool.bpf.o $(BUILD)/bench/sockfilter.bpf.o
$(BENCH_SMALL): $(BUILD)/bench/%.bpf.o: bench/bpf/%.bpf.c
	@mkdir -p $(@D)
	$(BPF_CLANG) -target bpf $(BPF_CFLAGS) -c $< -o $@
# The static libbpf reference loader: Debian's libbpf.a, libelf.a and libz.a
# (libbpf-dev, libelf-dev, zlib1g-dev), linked -static; bench only, never the runtime.
LIBBPF_STATIC_LIBS := /usr/lib/x86_64-linux-gnu/libbpf.a /usr/lib/x86_64-linux-gnu/libelf.a \
	/usr/lib/x86_64-linux-gnu/libz.a
$(BUILD)/bench/libbpf_loadall: bench/libbpf_loadall.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -static -o $@ $< $(LIBBPF_STATIC_LIBS)
bench-objects: deps all fixtures $(BUILD)/barebpf-static $(BENCH_GEN) $(BUILD)/bench/tpbtf_tool.bpf.o $(BENCH_SMALL) \
	$(BUILD)/bench/libbpf_loadall
	bench/objects.py

# Ring buffer and perf buffer consumers vs libbpf's (bench/README.md, "Events").
$(BUILD)/bench/bench_events: bench/bench_events.c $(BUILD)/libbarebpf.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Iinclude -o $@ $< $(BUILD)/libbarebpf.a -lbpf -lelf -lz

bench-events: deps all $(BUILD)/bpf/events_bench.bpf.o $(BUILD)/bench/bench_events
	bench/run_events.sh

# ---- install ----
install: all
	install -d $(DESTDIR)$(PREFIX)/include/barebpf $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/bin
	install -m 644 include/barebpf/*.h $(DESTDIR)$(PREFIX)/include/barebpf/
	install -m 644 $(BUILD)/libbarebpf.a $(BUILD)/libbarebpf_obj.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libbarebpf.so $(DESTDIR)$(PREFIX)/lib/libbarebpf.so.$(VERSION)
	ln -sf libbarebpf.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libbarebpf.so.0
	ln -sf libbarebpf.so.0 $(DESTDIR)$(PREFIX)/lib/libbarebpf.so
	install -m 755 $(BUILD)/barebpf $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' barebpf.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/barebpf.pc
	install -d $(DESTDIR)$(PREFIX)/include/barebpf-libbpf/bpf
	install -m 644 include/compat/bpf/*.h $(DESTDIR)$(PREFIX)/include/barebpf-libbpf/bpf/
	install -m 644 $(BUILD)/libbarebpf-libbpf.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libbarebpf-libbpf.so $(DESTDIR)$(PREFIX)/lib/libbarebpf-libbpf.so.$(VERSION)
	ln -sf libbarebpf-libbpf.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libbarebpf-libbpf.so.0
	ln -sf libbarebpf-libbpf.so.0 $(DESTDIR)$(PREFIX)/lib/libbarebpf-libbpf.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' barebpf-libbpf.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/barebpf-libbpf.pc

clean:
	rm -rf $(BUILD)
