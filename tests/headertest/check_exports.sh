#!/usr/bin/env bash
# libcsperf (the .so, or the .a) must export exactly the functions its public
# headers declare: nothing more (a gRPC, protobuf-c or internal symbol would
# tie users to what we may change, or clash with their own), nothing less (a
# declared function users cannot link). With a third argument, docs/SDK.md's
# table of functions must name every export, and nothing that is not one.
#   check_exports.sh LIBRARY INCLUDE_DIR [SDK.md]
set -euo pipefail
lib=$1 include=$2 doc=${3:-}
case "$lib" in
  *.a) exports=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[TDBRVW]$/ { print $3 }' | sort -u) ;;
  *) exports=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//' | sort -u) ;;
esac
declared=$(cat "$include"/csperf/*.h | tr '\n' ' ' |
  grep -oE 'csperf_[a-z0-9_]+\(' | tr -d '(' | sort -u)
extra=$(comm -23 <(printf '%s\n' "$exports") <(printf '%s\n' "$declared"))
missing=$(comm -13 <(printf '%s\n' "$exports") <(printf '%s\n' "$declared"))
status=0
if [ -n "$extra" ]; then echo "exported but not in the public headers:"; echo "$extra"; status=1; fi
if [ -n "$missing" ]; then echo "declared in the public headers but not exported:"; echo "$missing"; status=1; fi
if [ -n "$doc" ]; then
  # The rows of the table under "## Functions": | `csperf_x`, `csperf_y` | ...
  listed=$(sed -n '/^## Functions/,/^## /p' "$doc" | grep '^|' | cut -d'|' -f2 |
    grep -oE '`csperf_[a-z0-9_]+`' | tr -d '`' | sort -u)
  undocumented=$(comm -23 <(printf '%s\n' "$exports") <(printf '%s\n' "$listed"))
  unknown=$(comm -13 <(printf '%s\n' "$exports") <(printf '%s\n' "$listed"))
  if [ -n "$undocumented" ]; then echo "exported but not in $doc's table:"; echo "$undocumented"; status=1; fi
  if [ -n "$unknown" ]; then echo "in $doc's table but not exported:"; echo "$unknown"; status=1; fi
fi
[ $status -eq 0 ] && echo "$(basename "$lib") exports the $(printf '%s\n' "$exports" | wc -l) functions its headers declare${doc:+ and $(basename "$doc") lists}, and nothing else"
exit $status
