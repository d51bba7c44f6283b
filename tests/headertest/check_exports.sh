#!/bin/sh
# Fails if libcsperf.so exports anything but csperf_* functions (a gRPC or
# protobuf-c symbol leaking would tie users to our dependencies' ABI).
lib=$1
exports=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//')
[ -n "$exports" ] || { echo "no exports found in $lib"; exit 1; }
others=$(printf '%s\n' "$exports" | grep -v '^csperf_' || true)
if [ -n "$others" ]; then
  echo "libcsperf exports symbols outside the public API:"
  printf '%s\n' "$others"
  exit 1
fi
echo "libcsperf exports $(printf '%s\n' "$exports" | wc -l) symbols, all csperf_*"
