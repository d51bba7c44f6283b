#!/usr/bin/env bash
# bench/load.sh: `csperf load` against psql's \copy of the same rows into the
# same tables, in one run.
#
#   bench/load.sh            (BENCH_LOAD_CHILDREN=135000 BENCH_LOAD_YEARS=5)
#
# 1. csperf-gen writes a council (SSDA903 returns, CIN censuses, csperf CSV)
#    of at least 1,000,000 records.
# 2. csperf loads it into a fresh csperfd, file set by file set as a council
#    would (each year's CIN census, each year's SSDA903 return, then the CSV
#    extracts), validation on (csperfd checks every record; nothing is
#    rejected). Each load is timed by wall clock; after its commit csperfd
#    takes the statistics of the partitions it changed, recomputes the
#    council's indicators and runs the DfE's rules over its records inside
#    the same call, and its log's phases line says how long that took
#    ("figures N ms"; compute_run.milliseconds for builds without it): load
#    = wall - figures, the records durable.
# 3. The rows csperf stored (rec_* of the council) are written out with COPY
#    TO, and psql \copy's them into a second database made by the same
#    migrations: the same tables, the same indexes and constraints, the same
#    cluster. That is the raw COPY rate csperf is held to (target: half).
# Also: csperfd's peak RSS (VmHWM) over the loads, the CLI's peak RSS
# (/usr/bin/time), CPU seconds by process, and the statements PostgreSQL
# spent its time on (pg_stat_statements).
source "$(dirname "$0")/lib.sh"

CHILDREN=${BENCH_LOAD_CHILDREN:-135000}
YEARS=${BENCH_LOAD_YEARS:-5}
END_YEAR=2024
COUNCIL=301

bench_require
bench_init load
say "load: generating a council of $CHILDREN children over $YEARS years..."
data=$BENCH_WORK/data
"$CSPERF_GEN" --council "$COUNCIL" --children "$CHILDREN" --years "$YEARS" --seed 1 \
	--end-year "$END_YEAR" --out "$data" >/dev/null
generated=$(awk '/"written"/ { gsub(/[^0-9]/, "", $2); total += $2 } END { print total }' \
	"$data/manifest.json")
[ "$generated" -ge 1000000 ] || say "load: only $generated records: below the 1,000,000 asked for"

pg_start -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all
sql "CREATE EXTENSION pg_stat_statements" >/dev/null
csperfd_start

sql "SELECT pg_stat_statements_reset()" >/dev/null
vm_hwm_reset "$CSPERFD_PID"
csperfd_cpu0=$(cpu_seconds "$CSPERFD_PID")
pg_cpu0=$(pg_cpu_seconds)

loads=$BENCH_WORK/loads.txt
: >"$loads"
cli_cpu=0
cli_rss=0
# One `csperf load`; appends "label records wall_s compute_s cli_rss_mb" to $loads.
load_one() {
	local label=$1 out=$BENCH_WORK/load-out.json records compute_ms cpu log_from
	shift
	log_from=$(wc -l <"$CSPERFD_LOG")
	if ! timed "$out" "$CSPERF" -o json load --council "$COUNCIL" "$@"; then
		say "load: csperf load $label failed:"
		tail -20 "$out" "$BENCH_WORK/timed.err" >&2
		exit 1
	fi
	records=$(awk -F': ' '/"accepted"/ { gsub(/[^0-9]/, "", $2); print $2; exit }' "$out")
	compute_ms=$(tail -n +"$((log_from + 1))" "$CSPERFD_LOG" |
		sed -nE 's/.*load [0-9]+: phases:.* figures ([0-9]+) ms.*/\1/p' | tail -1)
	[ -n "$compute_ms" ] ||
		compute_ms=$(sql "SELECT milliseconds FROM compute_run WHERE council = '$COUNCIL'")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$BENCH_WORK/time.txt")
	cli_cpu=$(awk -v a="$cli_cpu" -v b="$cpu" 'BEGIN { printf "%.2f", a + b }')
	cli_rss=$(awk -v a="$cli_rss" -v b="$TIMED_RSS_MB" 'BEGIN { print (b > a ? b : a) }')
	printf '%s %s %s %s %s\n' "$label" "$records" "$TIMED_SECONDS" \
		"$(awk -v ms="$compute_ms" 'BEGIN { printf "%.3f", ms / 1000 }')" "$TIMED_RSS_MB" >>"$loads"
	say "load: $label: $records records, $TIMED_SECONDS s (of which figures $compute_ms ms)"
}

first_year=$((END_YEAR - YEARS + 1))
for year in $(seq "$first_year" "$END_YEAR"); do
	load_one "cin-$year" --format cin-xml "$data/cin/$year.xml"
	load_one "ssda903-$year" --format ssda903 "$data/ssda903/$year"
done
load_one "csv" --format csv "$data/csv"

csperfd_cpu=$(minus "$(cpu_seconds "$CSPERFD_PID")" "$csperfd_cpu0")
pg_cpu=$(minus "$(pg_cpu_seconds)" "$pg_cpu0")
csperfd_hwm=$(vm_hwm_mb "$CSPERFD_PID")

# Where PostgreSQL spent the loads' time (compute statements included): by
# step, then the heaviest statements. Foreign-key checks are statements of
# their own (track=all) whose time is also inside the statement that fired
# them.
steps=$BENCH_WORK/steps.txt
sql "SELECT step, round((sum(total_exec_time) / 1000)::numeric, 1), sum(calls), sum(rows) FROM (
	SELECT total_exec_time, calls, rows, CASE
		WHEN query LIKE 'COPY rec\_%' THEN 'load: COPY straight into a council partition (the council''s first load of the type)'
		WHEN query LIKE 'COPY pg\_temp.load\_rec\_%' THEN 'load: COPY into a held table (the council has current rows of the type)'
		WHEN query LIKE 'COPY pg\_temp.load\_lines%' THEN 'load: COPY of each record''s file and line'
		WHEN query LIKE 'SELECT d.record_no, l.file, l.line, d.first_record%' THEN 'load: duplicates within the load (window over a held table)'
		WHEN query LIKE 'INSERT INTO rec\_%' THEN 'load: INSERT INTO rec_* (a held type''s rows, current at once)'
		WHEN query LIKE 'UPDATE rec\_%' OR query LIKE 'WITH superseded AS%' THEN 'load: supersede, UPDATE the current versions the load replaces'
		WHEN query LIKE 'SELECT EXISTS (SELECT 1 FROM rec\_%' THEN 'load: does the council have current rows of the type'
		WHEN query LIKE '%csperf_analyze_records%' THEN 'load: csperf_analyze_records (ANALYZE of a partition that changed enough)'
		WHEN query LIKE 'ANALYZE rec\_%' THEN 'load: ANALYZE of a council partition (nested in the line above)'
		WHEN query LIKE '%FROM ONLY \"public\".\"load\" x%' THEN 'load: foreign-key checks of rec_*.load_id (nested)'
		WHEN query LIKE 'SELECT min(d)%' THEN 'compute: the council''s data range (before compute_run starts counting)'
		WHEN query LIKE 'INSERT INTO indicator_value%' THEN 'compute: INSERT ... SELECT of each indicator'
		WHEN query LIKE 'DELETE FROM indicator_value%' THEN 'compute: DELETE of each indicator''s old values'
		WHEN query LIKE '%FROM ONLY \"public\".\"council\" x%' THEN 'compute: foreign-key checks of indicator_value.council (nested)'
		ELSE 'other' END AS step
	FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%') s
	GROUP BY step ORDER BY step" >"$steps"
statements=$BENCH_WORK/statements.txt
sql "SELECT round((sum(total_exec_time) / 1000)::numeric, 1), sum(calls), sum(rows), q FROM (
	SELECT total_exec_time, calls, rows,
		regexp_replace(left(regexp_replace(query, '\s+', ' ', 'g'), 72), '\|', '/', 'g') AS q
	FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%') s
	GROUP BY q ORDER BY 1 DESC LIMIT 10" >"$statements"

# ---- the reference: psql \copy of the same rows into the same tables ----
say "load: writing out the rows stored, and \\copy'ing them into the same tables..."
export_dir=$BENCH_WORK/rows
mkdir -p "$export_dir"
# The rec_* tables csperf loads into: the partitioned parents (rows go to the
# council's partitions, as csperf's do), or plain tables before migration 0009.
tables=$(sql "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
	AND c.relname LIKE 'rec\_%' ORDER BY 1")
copy_script=$BENCH_WORK/copy.sql
: >"$copy_script"
raw_rows=0
copied_tables=""
for table in $tables; do
	n=$(sql "SELECT count(*) FROM $table WHERE council = '$COUNCIL'")
	[ "$n" -gt 0 ] || continue
	"$PG_BIN/psql" "$PG_DSN" -qAtX -v ON_ERROR_STOP=1 \
		-c "\\copy (SELECT * FROM $table WHERE council = '$COUNCIL') TO '$export_dir/$table.tsv'"
	printf '\\copy %s FROM %s\n' "$table" "'$export_dir/$table.tsv'" >>"$copy_script"
	copied_tables="$copied_tables $table"
	raw_rows=$((raw_rows + n))
done
"$PG_BIN/psql" "host=$PG_DIR port=5432 user=postgres dbname=postgres" -qAtc "CREATE DATABASE csperf_raw" >/dev/null
raw_dsn="host=$PG_DIR port=5432 user=postgres dbname=csperf_raw"
"$CSPERFD" migrate --dsn "$raw_dsn" >>"$BENCH_WORK/migrate.log" 2>&1 || die "csperfd migrate failed"
# The council and its loads (not timed), and its partitions of the tables
# copied, empty as csperf's were before its first load of each type (a build
# before migration 0024 made them all with the council row).
for table in council load; do
	"$PG_BIN/psql" "$PG_DSN" -qAtX -c "\\copy $table TO '$export_dir/$table.tsv'"
	"$PG_BIN/psql" "$raw_dsn" -qAtX -v ON_ERROR_STOP=1 -c "\\copy $table FROM '$export_dir/$table.tsv'"
done
for table in $copied_tables; do
	"$PG_BIN/psql" "$raw_dsn" -qAtX -v ON_ERROR_STOP=1 \
		-c "DO \$\$ BEGIN IF to_regprocedure('csperf_record_partition(text,text)') IS NOT NULL THEN PERFORM csperf_record_partition('$table', '$COUNCIL'); END IF; END \$\$" >/dev/null
done
"$PG_BIN/psql" "$raw_dsn" -qAtX -c "CHECKPOINT" >/dev/null
sql "CHECKPOINT" >/dev/null
raw_cpu0=$(pg_cpu_seconds)
raw_start=$(now)
"$PG_BIN/psql" "$raw_dsn" -qAtX -v ON_ERROR_STOP=1 -f "$copy_script" >/dev/null
raw_seconds=$(awk -v a="$raw_start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
raw_cpu=$(minus "$(pg_cpu_seconds)" "$raw_cpu0")

# ---- the figures ----
result=$BENCH_WORK/result.md
awk -v raw_rows="$raw_rows" -v raw_s="$raw_seconds" -v hwm="$csperfd_hwm" -v cli_rss="$cli_rss" \
	-v cli_cpu="$cli_cpu" -v csperfd_cpu="$csperfd_cpu" -v pg_cpu="$pg_cpu" -v raw_cpu="$raw_cpu" \
	-v children="$CHILDREN" -v years="$YEARS" -v machine="$(machine_line)" '
	{ label[NR] = $1; rec[NR] = $2; wall[NR] = $3; comp[NR] = $4; rss[NR] = $5
	  records += $2; walls += $3; computes += $4 }
	END {
		loads = walls - computes
		rate = loads > 0 ? records / loads : 0
		raw_rate = raw_s > 0 ? raw_rows / raw_s : 0
		ratio = raw_rate > 0 ? rate / raw_rate : 0
		printf "Run %s: csperf-gen council of %d children over %d years, %d loads.\n\n", machine, children, years, NR
		printf "| load | records | wall s | of which figures s (statistics, recompute, rule check: after the commit) | load s (to the commit) | load records/s | CLI peak RSS MB |\n"
		printf "|---|---:|---:|---:|---:|---:|---:|\n"
		for (i = 1; i <= NR; i++)
			printf "| %s | %d | %.2f | %.2f | %.2f | %.0f | %.1f |\n", label[i], rec[i], wall[i], comp[i],
				wall[i] - comp[i], (wall[i] - comp[i] > 0 ? rec[i] / (wall[i] - comp[i]) : 0), rss[i]
		printf "| **all** | **%d** | **%.1f** | **%.1f** | **%.1f** | **%.0f** | **%.1f** |\n\n", records, walls,
			computes, loads, rate, cli_rss
		printf "| | rows | seconds | rows/s |\n|---|---:|---:|---:|\n"
		printf "| csperf load (validation on, to the commit: records durable) | %d | %.1f | %.0f |\n", records, loads, rate
		printf "| csperf load, statistics, recompute and rule check included | %d | %.1f | %.0f |\n", records, walls, (walls > 0 ? records / walls : 0)
		printf "| psql \\\\copy, same rows, same tables and indexes | %d | %.1f | %.0f |\n\n", raw_rows, raw_s, raw_rate
		printf "**csperf reaches %.0f%% of the raw COPY rate** (target: at least 50%%): %s.\n\n", 100 * ratio,
			(ratio >= 0.5 ? "met" : "missed")
		printf "Peak RSS: csperfd %s MB over the loads (VmHWM), the CLI %s MB at most (one load).\n", hwm, cli_rss
		printf "CPU seconds over the loads: csperf CLI %.1f, csperfd %.1f, PostgreSQL %.1f (compute included);", cli_cpu, csperfd_cpu, pg_cpu
		printf " psql \\\\copy: PostgreSQL %.1f.\n", raw_cpu
	}' "$loads" >"$result"
{
	printf '\nWhere PostgreSQL spent the time of the loads and their recomputes, by step (pg_stat_statements):\n\n'
	printf '| step | seconds | calls | rows |\n|---|---:|---:|---:|\n'
	awk -F'|' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$steps"
	printf '\nThe heaviest statements (grouped by their first 72 characters):\n\n'
	printf '| seconds | calls | rows | statement |\n|---:|---:|---:|---|\n'
	awk -F'|' '{ printf "| %s | %s | %s | `%s` |\n", $1, $2, $3, $4 }' "$statements"
} >>"$result"
cat "$result"
doc_update load "$result"
