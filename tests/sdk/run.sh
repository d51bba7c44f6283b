#!/usr/bin/env bash
# The installed SDK as a C developer uses it (docs/SDK.md): installs the build
# into a fresh prefix P, then
#   - builds docs/examples/costs.c with pkg-config (PKG_CONFIG_PATH=P/lib/pkgconfig),
#     with CMake's find_package(csperf) and csperf::csperf, and with
#     csperf::csperf_static beside a file that defines every symbol the static
#     library holds but does not export (as a program's own protobuf-c code
#     and helpers of the same names would);
#   - runs P/bin/csperfd and P/bin/csperf without LD_LIBRARY_PATH (their RPATH
#     finds P/lib), loads a synthetic council's placement costs, and checks
#     that the three builds of the example print the same costs, whose totals
#     are those `csperf costs` prints.
#   run.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
scale=${CSPERF_TEST_TIME_SCALE:-4}
unset LD_LIBRARY_PATH
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

# docs/SDK.md shows the example as it is.
sed -n '/^```c$/,/^```$/p' "$src/docs/SDK.md" | sed '1d;$d' | cmp -s - "$src/docs/examples/costs.c" ||
  fail "docs/SDK.md's example is not docs/examples/costs.c"

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
pc=$prefix/lib/pkgconfig/libcsperf.pc
[ -f "$pc" ] || fail "no $pc"
[ "$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --variable=prefix libcsperf)" = "$prefix" ] ||
  fail "libcsperf.pc's prefix is not $prefix: $(grep ^prefix= "$pc")"
version=$(sed -n 's/^#define CSPERF_VERSION "\(.*\)"$/\1/p' "$prefix/include/csperf/version.h")
[ "$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion libcsperf)" = "$version" ] ||
  fail "libcsperf.pc's version is not the header's $version"

# 1. pkg-config, as docs/SDK.md says (the RPATH only so that it runs here).
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Werror "$src/docs/examples/costs.c" \
  $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs libcsperf) \
  -Wl,-rpath,"$prefix/lib" -o "$work/costs-pkgconfig"

# 2 and 3. CMake: find_package(csperf), the shared and the static library.
hidden=$(nm "$prefix/lib/libcsperf.a" | awk '$2 ~ /^[bdrt]$/ && $3 ~ /^[A-Za-z_][A-Za-z0-9_]*$/ { print $3 }' | sort -u)
[ "$(printf '%s\n' "$hidden" | grep -c '__descriptor$')" -gt 20 ] ||
  fail "libcsperf.a holds no hidden protobuf-c descriptors: were they exported?"
mkdir -p "$work/app"
{
  echo "/* A program's own symbols, named as libcsperf.a's hidden ones. */"
  printf 'char %s[1];\n' $hidden
  echo "int own_symbols(void) { return 0; }"
} >"$work/app/own_symbols.c"
cat >"$work/app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(costs_app C)
find_package(csperf $version REQUIRED)
add_executable(costs-cmake "$src/docs/examples/costs.c")
target_link_libraries(costs-cmake PRIVATE csperf::csperf)
add_executable(costs-static "$src/docs/examples/costs.c" own_symbols.c)
target_link_libraries(costs-static PRIVATE csperf::csperf_static)
CMAKE
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="-Wall -Werror" >"$work/app.log" 2>&1 || { cat "$work/app.log"; fail "cmake"; }
cmake --build "$work/app/build" >>"$work/app.log" 2>&1 || { cat "$work/app.log"; fail "build"; }
# (Each output is read whole before it is searched: grep -q stopping early
# would fail the pipeline under pipefail.)
libs=$(ldd "$work/app/build/costs-static")
case "$libs" in *libcsperf*) fail "costs-static links libcsperf.so" ;; esac

# The installed programs run from the prefix alone.
for program in csperf csperfd; do
  libs=$(ldd "$prefix/bin/$program")
  case "$libs" in *"not found"*) fail "$program: $libs" ;; esac
  said=$("$prefix/bin/$program" --version)
  [ "$said" = "$program $version" ] || fail "$program --version says $said"
done
libs=$(ldd "$prefix/bin/csperf")
case "$libs" in *"=> $prefix/bin/../lib/libcsperf.so"*) ;; *) fail "csperf does not use $prefix/lib: $libs" ;; esac

tmp=$(mktemp -d /tmp/csperf-sdk-XXXXXX)
chmod 755 "$tmp"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
(umask 077; "$prefix/bin/csperfd" token create --role admin --name sdk --data-dir "$tmp/pgdata" \
  >"$tmp/token" 2>"$tmp/token.log") || { cat "$tmp/token.log"; fail "csperfd token create"; }
"$prefix/bin/csperfd" --listen 127.0.0.1:0 --data-dir "$tmp/pgdata" --ready-file "$tmp/ready" \
  >"$tmp/csperfd.log" 2>&1 &
pid=$!
for _ in $(seq 1 $((600 * scale))); do
  [ -s "$tmp/ready" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/csperfd.log"; fail "csperfd exited"; }
  sleep 0.1
done
[ -s "$tmp/ready" ] || { cat "$tmp/csperfd.log"; fail "csperfd did not become ready"; }
export CSPERF_SERVER=127.0.0.1:$(cat "$tmp/ready") CSPERF_TOKEN
CSPERF_TOKEN=$(cat "$tmp/token")
export CSPERF_TIMEOUT=$((30 * scale))

council=931
"$prefix/bin/csperf-gen" --council $council --children 400 --years 2 --seed 5 --end-year 2020 \
  --out "$tmp/gen" >/dev/null
mkdir "$tmp/costs"
mv "$tmp/gen/csv/placement_cost.csv" "$tmp/gen/csv/budget.csv" "$tmp/costs/"
"$prefix/bin/csperf" load --council $council --format csv "$tmp/costs" >"$tmp/load.out" ||
  { cat "$tmp/load.out"; fail "csperf load"; }

for build_kind in pkgconfig cmake static; do
  exe=$work/costs-pkgconfig
  [ $build_kind = pkgconfig ] || exe=$work/app/build/costs-$build_kind
  "$exe" $council 2019-20 2020-01-31 >"$tmp/$build_kind.out" 2>"$tmp/$build_kind.err" ||
    { cat "$tmp/$build_kind.err"; fail "costs ($build_kind build)"; }
done
cmp "$tmp/pkgconfig.out" "$tmp/cmake.out" || fail "the pkg-config and CMake builds differ"
cmp "$tmp/pkgconfig.out" "$tmp/static.out" || fail "the shared and static builds differ"
grep -q "libcsperf $version" "$tmp/pkgconfig.out" || fail "no version line"
[ "$(grep -vc '^#\|^placement_type\|^total' "$tmp/pkgconfig.out")" -ge 2 ] ||
  { cat "$tmp/pkgconfig.out"; fail "fewer than two placement types"; }
total=$(grep '^total,' "$tmp/pkgconfig.out" | cut -d, -f4)
[ "${total:-0}" -gt 0 ] || { cat "$tmp/pkgconfig.out"; fail "no forecast"; }
# The groups add up to the total, and the total is csperf costs' own.
sum=$(grep -v '^#\|^placement_type\|^total' "$tmp/pkgconfig.out" | awk -F, '{ s += $4 } END { print s }')
[ "$sum" = "$total" ] || fail "the placement types' forecasts add up to $sum, not $total"
"$prefix/bin/csperf" --format json costs --council $council --year 2019-20 --as-at 2020-01-31 \
  >"$tmp/cli.json"
grep -q "\"forecast_pence\": *$total\b" "$tmp/cli.json" ||
  { cat "$tmp/cli.json"; fail "csperf costs does not give the forecast $total"; }
cat "$tmp/pkgconfig.out"
echo "sdk: the example built with pkg-config, find_package (shared) and the static library beside $(printf '%s\n' $hidden | wc -l) same-named symbols; all fetched the same costs"
