#!/usr/bin/env bash
# bench/costs_export.sh: csperfd's memory while it streams a placement-cost
# export (ExportPlacementCosts), at 100,000 and 1,000,000 lines.
#
#   bench/costs_export.sh       (BENCH_COSTS_SIZES="100000 1000000")
#
# For each size, a council of that many cost lines is written
# straight into rec_placement_cost (INSERT ... SELECT from generate_series:
# csperf-gen would need about a million children for a million lines), with
# every placement category, provider and locality, open and ended lines and
# some contributions, each starting between 1 April 2018 and the as-at date,
# 31 January 2019, so that each is one line of the export. Then, against one csperfd:
#   - csperfd's resident memory idle (VmRSS), and its peak (VmHWM) after a
#     GetPlacementCosts over the lines (one aggregate in PostgreSQL);
#   - `csperf costs export` of the council's year into a file, csperfd's peak
#     resident memory during it (its VmHWM reset just before, and VmRSS sampled
#     every 0.1 s as a check), the time taken and lines a second;
#   - the file holds one line per cost line, and its forecast column adds up
#     to GetPlacementCosts' forecast to the penny.
# Memory flat means: the same peak for 100,000 and 1,000,000 lines, a few MB
# above idle (one batch of 1,000 rows from the cursor, one message of 500
# lines at a time).
#
# Writes the table into docs/FINANCE.md (block bench:costs_export).
source "$(dirname "$0")/lib.sh"

SIZES=${BENCH_COSTS_SIZES:-100000 1000000}
PERF_DOC=$BENCH_ROOT/docs/FINANCE.md

bench_require
bench_init costs
pg_start
csperfd_start

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Writes `lines` synthetic cost lines of 2018-19 for a new council.
make_council() {
	local council=$1 lines=$2 load
	sql "INSERT INTO council (la_code, name, nation) VALUES ('$council', 'Bench $lines', 'england')"
	# A load makes a council's partition of a type it brings (migration 0024).
	sql "SELECT csperf_record_partition('rec_placement_cost', '$council')" >/dev/null
	load=$(sql "INSERT INTO load (council, source, label, idempotency_key, accept_valid)
		VALUES ('$council', 'csv', 'bench', 'bench-$council', false) RETURNING id")
	sql "INSERT INTO rec_placement_cost (load_id, council, record_no, is_current, child_id,
		placement_ref, episode_start_date, provider, weekly_cost, start_date, end_date,
		health_contribution, education_contribution, placement_category, locality)
	SELECT $load, '$council', g, true, 'C' || lpad(g::text, 8, '0'), 'P' || g,
		date '2018-04-01' + g % 306, (ARRAY['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5'])[1 + g % 6],
		round(300 + (g * 7919::bigint) % 8700 + (g % 100) / 100.0, 2), date '2018-04-01' + g % 306,
		CASE WHEN g % 3 = 0 THEN NULL ELSE date '2018-04-01' + g % 306 + g % 400 END,
		CASE WHEN g % 7 = 0 THEN 250.50 END, CASE WHEN g % 11 = 0 THEN 125 END,
		(ARRAY['in_house_foster', 'agency_foster', 'residential', 'secure', 'semi_independent',
		       'other'])[1 + g % 6], (ARRAY['North', 'South', 'East', 'West'])[1 + g % 4]
	FROM generate_series(1, $lines) g" >/dev/null
	sql "ANALYZE rec_placement_cost" >/dev/null
}

table=$BENCH_WORK/table.md
{
	echo "| cost lines | csperfd idle (VmRSS) | GetPlacementCosts | after it (VmHWM) | peak during the export (VmHWM) | highest VmRSS sampled | export time | lines/s | lines in the file | forecast reconciles |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$table"

council=800
for lines in $SIZES; do
	council=$((council + 1))
	say "writing $lines cost lines for council $council..."
	make_council "$council" "$lines"
	idle=$(rss_mb "$CSPERFD_PID")
	start=$(now)
	forecast=$("$CSPERF" --timeout 600 -f json costs --council "$council" --year 2018-19 --as-at 2019-01-31 |
		awk -F': ' '/"forecast_pence"/ { gsub(/[^0-9-]/, "", $2); print $2; exit }')
	get_seconds=$(minus "$(now)" "$start")
	after_get=$(vm_hwm_mb "$CSPERFD_PID")

	vm_hwm_reset "$CSPERFD_PID"
	samples=$BENCH_WORK/rss-$lines.txt
	: >"$samples"
	( while kill -0 "$CSPERFD_PID" 2>/dev/null; do rss_mb "$CSPERFD_PID" >>"$samples"; echo >>"$samples"; sleep 0.1; done ) &
	sampler=$!
	start=$(now)
	"$CSPERF" --timeout 3600 costs export --council "$council" --year 2018-19 --as-at 2019-01-31 \
		--out "$BENCH_WORK/export-$lines.csv" 2>>"$BENCH_WORK/export.err" ||
		die "the export failed: $BENCH_WORK/export.err"
	end=$(now)
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
	during=$(vm_hwm_mb "$CSPERFD_PID")
	sampled=$(awk 'NF && $1 > max { max = $1 } END { printf "%.1f", max }' "$samples")
	seconds=$(minus "$end" "$start")
	written=$(($(wc -l <"$BENCH_WORK/export-$lines.csv") - 1))
	# The forecast column (19th) in pence, summed as integers.
	exported=$(awk -F'","' 'NR > 1 { v = $19; gsub(/[".]/, "", v); s += v } END { printf "%.0f", s }' \
		"$BENCH_WORK/export-$lines.csv")
	[ "$exported" = "$forecast" ] && same="yes ($forecast pence)" || same="NO: $exported against $forecast"
	rate=$(awk -v n="$written" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	printf '| %s | %s MB | %s s | %s MB | %s MB | %s MB | %s s | %s | %s | %s |\n' "$lines" \
		"$idle" "$get_seconds" "$after_get" "$during" "$sampled" "$seconds" "$rate" "$written" \
		"$same" >>"$table"
	rm -f "$BENCH_WORK/export-$lines.csv"
	say "$(tail -1 "$table")"
done
echo >>"$table"
echo "Measured $(machine_line); csperfd built as $(basename "$BENCH_BUILD"), PostgreSQL 15 with default settings." >>"$table"

cat "$table"
doc_update costs_export "$table"
