#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors, and runs every test (unit, integration against real PostgreSQL
# clusters and csperfd processes, header checks, gRPC interop) with CTest.
#   scripts/test.sh             the suite
#   scripts/test.sh --sanitize  the same, built with ASan + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
flags=(-DCSPERF_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-asan
  flags+=(-DCSPERF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  # gRPC core keeps process-wide singletons alive at exit; leaks in our own
  # code still fail (see tests/lsan.supp).
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi

scripts/deps.sh
cmake -S . -B "$build" "${flags[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)"
