#!/usr/bin/env bash
# The soak (docs/RELIABILITY.md): csperfd on its own PostgreSQL under mixed
# traffic (loads, replays, deletions, scorecards, exceptions, server info,
# health, lists of loads) from several clients on loopback, for a bounded
# time. It fails if a call that should succeed fails, if csperfd's resident
# memory grows more than 10% after the warm-up, or if its open file
# descriptors, threads or database sessions grow. It stops itself.
#
#   scripts/soak.sh                   10 minutes, 8 clients
#   scripts/soak.sh --seconds 3600    an hour
#   (any option of tests/soak/soak.c: --seconds, --warmup, --clients)
#
# Builds in build-soak/ (release build, warnings as errors); the report is
# also written to build-soak/soak-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${CSPERF_BUILD:-build-soak}
scripts/deps.sh
cmake -S . -B "$build" -DCSPERF_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target soak csperfd csperf_cli csperf-gen >/dev/null
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--seconds 600)
exec "$build/tests/soak/soak" --report "$build/soak-report.txt" "${args[@]}"
