#!/usr/bin/env bash
# The integration suite with every csperfd it starts running under valgrind
# (memcheck), then the fuzz targets' seeds and regression inputs replayed
# under valgrind. Fails if valgrind finds an invalid read or write, a use of
# uninitialised memory, a bad free, or memory definitely lost; or if a test
# fails (valgrind makes csperfd exit 99 when it found an error, which fails
# the test that stopped it).
#
#   scripts/valgrind.sh               the integration suite and the fuzz replays
#   scripts/valgrind.sh -R faults     only tests matching a regex (ctest -R)
#
# Builds in build-valgrind/ (or $CSPERF_BUILD); valgrind's logs are kept in
# build-valgrind/valgrind/, one per process. Slow: csperfd runs 20 to 50
# times slower under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${CSPERF_BUILD:-build-valgrind}
scripts/deps.sh
if ! command -v valgrind >/dev/null; then
  echo "valgrind: installing valgrind"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq valgrind >/dev/null
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

logs=$PWD/$build/valgrind
rm -rf "$logs"
mkdir -p "$logs"
options="--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
options+=" --show-leak-kinds=definite --num-callers=40 --track-origins=yes"
options+=" --suppressions=$PWD/tests/valgrind.supp"
export CSPERF_TEST_WRAPPER="valgrind $options --log-file=$logs/csperfd.%p.log"

filter=(-L integration)
[ $# -gt 0 ] && filter=("$@")
status=0
(cd "$build" && ctest --output-on-failure "${filter[@]}" --timeout 3000) || status=1
unset CSPERF_TEST_WRAPPER

# The parsers and the request decoding, over the same inputs CTest replays.
if [ $# -eq 0 ]; then
  (cd "$build" && ctest -R fuzz_corpus >/dev/null)
  for target in ssda903 cin_xml csperf_csv requests; do
    valgrind $options --log-file="$logs/fuzz_$target.%p.log" \
      "$build/tests/fuzz/fuzz_$target" "$build/tests/fuzz/corpus/$target" \
      "tests/fuzz/regressions/$target" >/dev/null || status=1
  done
fi

processes=$(ls "$logs" | wc -l)
errors=$(grep -h 'ERROR SUMMARY' "$logs"/* | awk '{ n += $4 } END { print n + 0 }')
lost=$(grep -h 'definitely lost:' "$logs"/* | awk '{ gsub(",", "", $4); n += $4 } END { print n + 0 }')
echo "valgrind: $processes processes checked, $errors errors, $lost bytes definitely lost"
if [ "$errors" -ne 0 ]; then
  grep -l 'ERROR SUMMARY: [1-9]' "$logs"/* | head -5 | sed 's/^/valgrind: see /'
  status=1
fi
exit $status
