#!/usr/bin/env bash
# libcsperf.so must export exactly the functions its public headers declare:
# nothing more (a gRPC, protobuf-c or internal symbol would tie users to what
# we may change), nothing less (a declared function users cannot link).
set -euo pipefail
lib=$1 include=$2
exports=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//' | sort -u)
declared=$(cat "$include"/csperf/*.h | tr '\n' ' ' |
  grep -oE 'csperf_[a-z0-9_]+\(' | tr -d '(' | sort -u)
extra=$(comm -23 <(printf '%s\n' "$exports") <(printf '%s\n' "$declared"))
missing=$(comm -13 <(printf '%s\n' "$exports") <(printf '%s\n' "$declared"))
status=0
if [ -n "$extra" ]; then echo "exported but not in the public headers:"; echo "$extra"; status=1; fi
if [ -n "$missing" ]; then echo "declared in the public headers but not exported:"; echo "$missing"; status=1; fi
[ $status -eq 0 ] && echo "libcsperf exports the $(printf '%s\n' "$exports" | wc -l) functions its headers declare, and nothing else"
exit $status
