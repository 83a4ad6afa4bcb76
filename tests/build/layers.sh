#!/bin/sh
# The direction of every dependency between src/ folders, checked by `make`
# (target check-deps): a folder may include headers of, and use symbols
# defined in, only itself and the folders listed before it.
#   usage: tests/build/layers.sh BUILD_DIR LAYER... (lowest first)
# Exit 1, naming each offending include or symbol, if an arrow points up.
# One awk pass over the sources and one over nm's output: `make all` runs
# this every time, and the tests run `make examples` and `make install`.
set -u
build=$1; shift
LAYERS="$*"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# The sources and (current sources only) objects of each layer, in order.
: > "$tmp/srcs"
: > "$tmp/objs"
for l in $LAYERS; do
	[ -d "src/$l" ] || continue
	for f in src/$l/*.[ch]; do
		[ -e "$f" ] && echo "$f" >> "$tmp/srcs"
	done
	# static_malloc.c is built only into the static CLIs, not as an object
	for c in src/$l/*.c; do
		[ -e "$c" ] && [ -e "$build/o/${c%.c}.o" ] && echo "$build/o/${c%.c}.o"
	done >> "$tmp/objs"
done

# 1. includes of another folder's headers (a folder not in LAYERS ranks last)
if [ -s "$tmp/srcs" ]; then
	# shellcheck disable=SC2046
	awk -v layers="$LAYERS" '
		BEGIN { n = split(layers, L, " "); for (i = 1; i <= n; i++) rank[L[i]] = i - 1 }
		/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\.\/[a-z_]*\// {
			split(FILENAME, p, "/"); r = p[2] in rank ? rank[p[2]] : 99
			d = $0; sub(/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\.\//, "", d); sub(/\/.*/, "", d)
			if ((d in rank ? rank[d] : 99) > r) {
				print "check-deps: " FILENAME " includes a header of src/" d ", a higher layer" > "/dev/stderr"
				bad = 1
			}
		}
		END { exit bad }' $(cat "$tmp/srcs") || echo bad > "$tmp/bad"
fi

# 2. symbols: who defines what, and who uses what (one nm each, file names on every line)
if [ -s "$tmp/objs" ]; then
	# shellcheck disable=SC2046
	{ nm -A -g --defined-only $(cat "$tmp/objs") 2>/dev/null | sed 's/^/D /'
	  nm -A -u $(cat "$tmp/objs") | sed 's/^/U /'; } |
	awk -v layers="$LAYERS" -v build="$build/o/" '
		BEGIN { n = split(layers, L, " "); for (i = 1; i <= n; i++) rank[L[i]] = i - 1 }
		function layer(o,   p) { o = substr(o, length(build) + 1); split(o, p, "/"); return p[2] }
		# "D file:addr T sym" / "U file: U sym"
		$1 == "D" && NF == 4 && $4 ~ /^bbpf_/ {
			o = $2; sub(/:[^:]*$/, "", o); l = layer(o)
			if (!((($4) SUBSEP l) in seen)) { seen[$4, l] = 1; defs[$4] = defs[$4] " " l }
			next
		}
		$1 == "U" && $3 == "U" && $4 ~ /^bbpf_/ {
			o = $2; sub(/:$/, "", o)
			if ((o SUBSEP $4) in used) next
			used[o, $4] = 1
			nu++; uo[nu] = o; us[nu] = $4
		}
		END {
			for (i = 1; i <= nu; i++) {
				o = uo[i]; s = us[i]; r = rank[layer(o)]
				k = split(defs[s], D, " ")
				for (j = 1; j <= k; j++)
					if ((D[j] in rank ? rank[D[j]] : 99) > r) {
						print "check-deps: " substr(o, length(build) + 1) " uses " s \
						      ", defined in src/" D[j] ", a higher layer" > "/dev/stderr"
						bad = 1
					}
			}
			exit bad
		}' || echo bad > "$tmp/bad"
fi
[ -e "$tmp/bad" ] && exit 1
exit 0
