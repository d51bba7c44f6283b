#!/usr/bin/env bash
# Fuzzes csperf's parsers with libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer), each target for a bounded time:
#   fuzz_ssda903     an SSDA903 table (CSV) and the validation of its records
#   fuzz_cin_xml     a CIN census XML file and the validation of its records
#   fuzz_csperf_csv  a csperf CSV file and the validation of its records
#   fuzz_requests    the bytes of a request of every RPC: decoding, the audit
#                    description, and the handlers' checks (no database)
#
#   scripts/fuzz.sh                       every target, 300 s each
#   scripts/fuzz.sh --time 25             every target, 25 s each (CI)
#   scripts/fuzz.sh --time 3600 requests  one target, an hour
#
# Builds in build-fuzz/. Seeds come from ../shared/data, tests/fixtures and
# a request of every method (tests/fuzz/make_corpus.sh); what fuzzing finds
# is kept in build-fuzz/corpus-<target>/ and grows from one run to the next.
# A crash stops its target and fails the script: its input is in
# build-fuzz/crashes/<target>/; once the bug is fixed, copy the input into
# tests/fuzz/regressions/<target>/, where every build's CTest replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) seconds=$2; shift 2 ;;
    --time=*) seconds=${1#--time=}; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(ssda903 cin_xml csperf_csv requests)

scripts/deps.sh
if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: installing clang and libclang-rt-14-dev"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-14-dev >/dev/null
fi

build=build-fuzz
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSPERF_FUZZ=ON \
  "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link $sanitizers" \
  "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link $sanitizers" \
  "-DCMAKE_EXE_LINKER_FLAGS=$sanitizers" >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_request_seeds \
  $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
tests/fuzz/make_corpus.sh "$build/seeds" "$build/tests/fuzz/fuzz_request_seeds" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
summary=()
for t in "${targets[@]}"; do
  corpus=$build/corpus-$t
  crashes=$build/crashes/$t
  log=$build/fuzz-$t.log
  mkdir -p "$corpus" "$crashes"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  set +e
  "$build/tests/fuzz/fuzz_$t" "$corpus" "$build/seeds/$t" tests/fuzz/regressions/$t \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$crashes/" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  size=$(ls "$corpus" | wc -l)
  if [ $rc -ne 0 ]; then
    failed=1
    summary+=("$t: FAILED after ${runs:-?} runs; input in $crashes/ (see $log)")
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5 >&2 || true
  else
    summary+=("$t: ${runs:-?} inputs in ${seconds}s, no crash; corpus $size inputs")
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
exit $failed
