#!/bin/sh
# bench/gen_scale.sh: how csperf-gen scales with the number of children.
#
# Runs csperf-gen for 1,000, 10,000 and 100,000 children over 5 years and
# prints, for each, the wall-clock time, the records written (from the
# manifest), records per second, the peak resident memory (/usr/bin/time -v)
# and the size of what was written. Time should grow linearly with the
# children and memory not at all.
#
#   bench/gen_scale.sh [path/to/csperf-gen]    (default: build/client/gen/csperf-gen)
set -eu

generator=${1:-build/client/gen/csperf-gen}
if [ ! -x "$generator" ]; then
	echo "gen_scale.sh: $generator is not an executable csperf-gen; build it or give its path." >&2
	exit 1
fi
if [ ! -x /usr/bin/time ]; then
	echo "gen_scale.sh: /usr/bin/time is missing (apt-get install time)." >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gen_scale.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

printf '%10s %6s %10s %12s %12s %10s %10s\n' \
	children years seconds records records/s "peak RSS" written
for children in 1000 10000 100000; do
	out="$work/council-$children"
	/usr/bin/time -v "$generator" --council 201 --children "$children" \
		--years 5 --seed 1 --out "$out" 2> "$work/time.txt"
	# "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.36"
	seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, part, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + part[i]
		print s }' "$work/time.txt")
	rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
	records=$(awk '/"written"/ { gsub(/[^0-9]/, "", $2); total += $2 } END { print total }' \
		"$out/manifest.json")
	megabytes=$(du -sm "$out" | awk '{ print $1 }')
	awk -v c="$children" -v s="$seconds" -v r="$records" -v k="$rss_kb" -v m="$megabytes" 'BEGIN {
		rate = s > 0 ? r / s : 0
		printf "%10d %6d %10.2f %12d %12.0f %7.1f MB %7d MB\n", c, 5, s, r, rate, k / 1024, m }'
	rm -rf "$out"
done
