#!/bin/sh
# Makes libcsperf.a export the public API only: links its objects into one
# relocatable object (ld -r), whose references to one another are resolved
# there, then makes every global symbol but the csperf_* API local (objcopy),
# so that the generated protobuf-c code and internal helpers cannot clash with
# a program's own symbols of the same names. The API is what the shared
# library's version script (client/lib/libcsperf.map) makes global.
#   hide_static.sh OUTPUT.a MAP LD OBJCOPY AR NM OBJECT...
set -eu
out=$1 map=$2 ld=$3 objcopy=$4 ar=$5 nm=$6
shift 6
work=$out.d
rm -rf "$work" "$out"
mkdir -p "$work"
"$ld" -r -o "$work/csperf.o" "$@"
# The version script's global patterns (csperf_client_*;) as anchored regexes.
sed -n '/global:/,/local:/p' "$map" | sed -n 's/^[[:space:]]*\([A-Za-z0-9_*]*\);.*/\1/p' |
  sed 's/\*/.*/g; s/^/^/; s/$/$/' >"$work/patterns"
"$nm" -g --defined-only "$work/csperf.o" | awk 'NF == 3 { print $3 }' |
  grep -f "$work/patterns" >"$work/keep" || true
[ -s "$work/keep" ] || { echo "hide_static.sh: no csperf_ symbol in $*" >&2; exit 1; }
"$objcopy" --keep-global-symbols="$work/keep" "$work/csperf.o" "$work/libcsperf.o"
"$ar" rcs "$out" "$work/libcsperf.o"
rm -rf "$work"
