#!/bin/sh
# The direction of every dependency between src/ folders, checked by `make`
# (target check-deps): a folder may include headers of, and use symbols
# defined in, only itself and the folders listed before it.
#   usage: tests/build/layers.sh BUILD_DIR LAYER... (lowest first)
# Exit 1, naming each offending include or symbol, if an arrow points up.
set -u
build=$1; shift
rank() { i=0; for l in $LAYERS; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i+1)); done; echo 99; }
LAYERS="$*"
bad=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

for l in $LAYERS; do
	r=$(rank "$l")
	[ -d "src/$l" ] || continue
	# 1. includes of another folder's headers
	for f in src/$l/*.[ch]; do
		[ -e "$f" ] || continue
		for dep in $(sed -n 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./\([a-z_]*\)/.*|\1|p' "$f"); do
			if [ "$(rank "$dep")" -gt "$r" ]; then
				echo "check-deps: $f includes a header of src/$dep, a higher layer" >&2
				bad=1
			fi
		done
	done
	# 2. symbols: who defines what (objects of the current sources only)
	for c in src/$l/*.c; do
		# static_malloc.c is built only into the static CLIs, not as an object
		[ -e "$c" ] && [ -e "$build/o/${c%.c}.o" ] && echo "$build/o/${c%.c}.o"
	done > "$tmp/objs.$l"
	[ -s "$tmp/objs.$l" ] || continue
	nm -g --defined-only $(cat "$tmp/objs.$l") 2>/dev/null |
		awk -v l="$l" 'NF == 3 && $3 ~ /^bbpf_/ { print $3, l }' >> "$tmp/defs"
done
sort -u "$tmp/defs" > "$tmp/defs.sorted" 2>/dev/null || : > "$tmp/defs.sorted"
for l in $LAYERS; do
	r=$(rank "$l")
	[ -s "$tmp/objs.$l" ] || continue
	for o in $(cat "$tmp/objs.$l"); do
		nm -u "$o" | awk '$1 == "U" && $2 ~ /^bbpf_/ { print $2 }' | sort -u > "$tmp/undef"
		join "$tmp/undef" "$tmp/defs.sorted" | while read -r sym dl; do
			if [ "$(rank "$dl")" -gt "$r" ]; then
				echo "check-deps: ${o#$build/o/} uses $sym, defined in src/$dl, a higher layer" >&2
				echo bad > "$tmp/bad"
			fi
		done
	done
done
[ -e "$tmp/bad" ] && bad=1
exit $bad
