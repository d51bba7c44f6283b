#!/usr/bin/env bash
# bench/validate.sh: the DfE's validation rules against parsing (issue 21:
# validating a 100,000-child census takes no longer than parsing it twice).
#
# Generates one council with csperf-gen (CHILDREN children, default 310000:
# about a third are in need in a year, so its 2024 CIN census holds some
# 100,000 children; 2 years ending 31 March 2024), then times, for that census
# and its 2024 SSDA903 return, parsing alone and parsing plus every rule
# (csperf-validate-bench), and prints both with their ratio. Exit status 2
# when validating takes more than twice as long as parsing.
#
#   bench/validate.sh [CHILDREN]     (BENCH_BUILD: the build, default build/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD:-$root/build}
children=${1:-310000}
gen=$build/client/gen/csperf-gen
bench=$build/bench/csperf-validate-bench
for program in "$gen" "$bench"; do
	[ -x "$program" ] || { echo "validate.sh: $program is missing: build first" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/validate_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "csperf-gen: $children children, 2 years to 31 March 2024" >&2
"$gen" --council 201 --children "$children" --years 2 --seed 1 --out "$work/council" >/dev/null
census=$work/council/cin/2024.xml
echo "== CIN census 2023-24 ($(du -h "$census" | cut -f1), $(grep -c '<Child>' "$census") children)"
status=0
"$bench" --format cin-xml --year 2024 "$census" || status=$?
echo "== SSDA903 return 2023-24"
"$bench" --format ssda903 --year 2024 "$work"/council/ssda903/2024/*.csv || status=$?
exit $status
