#!/usr/bin/env bash
# bench/callgrind.sh: instruction counts of the hot paths on fixed inputs, so
# that a change's effect shows without the noise of a shared machine.
#
#   bench/callgrind.sh        (BENCH_CALLGRIND_CALLS=20)
#
# 1. Reading and validating an SSDA903 return (bench/fixtures/ssda903-2024,
#    3,824 records): csperf-read-harness runs the readers `csperf load` uses
#    and the validation csperfd makes of every record; once with validation,
#    once without, so decoding and validating are told apart.
# 2. GetScorecard against a running csperfd: a fixed council (csperf-gen,
#    3,000 children over 4 years, seed 1) is loaded and vacuumed, then csperfd
#    runs under callgrind with one worker; instrumentation is switched on
#    after start-up (callgrind_control -i on), BENCH_CALLGRIND_CALLS scorecards
#    of one stage are asked for, and the profile is dumped. The handler's
#    inclusive count (handle_get_scorecard: reading, judging and assembling
#    the scorecard, libpq's client side included, PostgreSQL's work not) and
#    the whole process's count (gRPC, the token check and audit line too) are
#    given per call.
# Counts are Valgrind's "Ir" (instructions executed). Build with -g for
# line-level detail (callgrind_annotate --auto=yes on the kept files).
source "$(dirname "$0")/lib.sh"

CALLS=${BENCH_CALLGRIND_CALLS:-20}
FIXTURE=$BENCH_ROOT/bench/fixtures/ssda903-2024
COUNCIL=601
PERIOD=2023-24:Q4
STAGE=child_protection

bench_require "$READ_HARNESS"
command -v valgrind >/dev/null || die "valgrind is missing: apt-get install valgrind"
bench_init callgrind

# The total Ir of a callgrind output file (a dump's "summary:" line, at its
# top, says 0: its "totals:" line, at the end, is right).
total_ir() { awk '/^totals:/ { t = $2 } END { print t + 0 }' "$1"; }

# The top functions by their own (exclusive) instructions, as table rows:
# callgrind_annotate lines "7,659,132 (37.43%)  file:function [object]".
top_functions() {
	local file=$1 count=$2 per=$3
	callgrind_annotate --threshold=100 "$file" 2>/dev/null |
		awk -v n="$count" -v per="$per" '
			/PROGRAM TOTALS/ { next }
			/^ *[0-9,]+ +\( *[0-9.]+%\) / && shown < n {
				ir = $1; gsub(/,/, "", ir)
				share = $0; sub(/^[^(]*\( */, "", share); sub(/\).*/, "", share)
				name = $0; sub(/^[^)]*\) +/, "", name); sub(/ \[.*$/, "", name)
				sub(/^.*\//, "", name)
				printf "| %s | %.0f | `%s` |\n", share, ir / per, name
				shown++
			}'
}

# The inclusive Ir of one function.
inclusive_ir() {
	callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
		awk -v fn="$2" '/^ *[0-9,]+ +\( *[0-9.]+%\) / && index($0, ":" fn " [") && ir == "" {
			ir = $1; gsub(/,/, "", ir) } END { print ir }'
}

say "callgrind: reading and validating $FIXTURE..."
files=("$FIXTURE"/*.csv)
valgrind --tool=callgrind --callgrind-out-file="$BENCH_WORK/read.cg" \
	"$READ_HARNESS" --format ssda903 --year 2024 "${files[@]}" >"$BENCH_WORK/read.out" 2>"$BENCH_WORK/read.err"
valgrind --tool=callgrind --callgrind-out-file="$BENCH_WORK/decode.cg" \
	"$READ_HARNESS" --no-validate --format ssda903 --year 2024 "${files[@]}" >"$BENCH_WORK/decode.out" 2>"$BENCH_WORK/decode.err"
records=$(sed 's/.*records=\([0-9]*\).*/\1/' "$BENCH_WORK/read.out")
rejected=$(sed 's/.*rejected=\([0-9]*\).*/\1/' "$BENCH_WORK/read.out")
read_ir=$(total_ir "$BENCH_WORK/read.cg")
decode_ir=$(total_ir "$BENCH_WORK/decode.cg")

say "callgrind: loading a fixed council, then csperfd under callgrind..."
pg_start
csperfd_start
data=$BENCH_WORK/data
"$CSPERF_GEN" --council "$COUNCIL" --children 3000 --years 4 --seed 1 --end-year 2024 --out "$data" >/dev/null
for year in 2021 2022 2023 2024; do
	"$CSPERF" load --council "$COUNCIL" --format cin-xml "$data/cin/$year.xml" >/dev/null 2>&1 || die "load failed"
	"$CSPERF" load --council "$COUNCIL" --format ssda903 "$data/ssda903/$year" >/dev/null 2>&1 || die "load failed"
done
"$CSPERF" load --council "$COUNCIL" --format csv "$data/csv" >/dev/null 2>&1 || die "load failed"
values=$(sql "SELECT count(*) FROM indicator_value WHERE council = '$COUNCIL'")
sql "VACUUM ANALYZE" >/dev/null
csperfd_stop

# csperfd under callgrind: one worker, so that every call takes the same path.
ready=$BENCH_WORK/csperfd.port
rm -f "$ready"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$BENCH_WORK/csperfd.cg" \
	"$CSPERFD" --dsn "$PG_DSN" --listen 127.0.0.1:0 --ready-file "$ready" --threads 1 --pollers 1 \
	>>"$BENCH_WORK/csperfd-valgrind.log" 2>&1 &
CSPERFD_PID=$!
for _ in $(seq 1 1200); do
	[ -s "$ready" ] && break
	kill -0 "$CSPERFD_PID" 2>/dev/null || die "csperfd under valgrind did not start: $BENCH_WORK/csperfd-valgrind.log"
	sleep 0.1
done
[ -s "$ready" ] || die "csperfd under valgrind did not start in 2 minutes"
export CSPERF_SERVER=127.0.0.1:$(cat "$ready")
# One call first: lazily made things (the channel, prepared state) are not
# what is measured.
"$CSPERF" --timeout 120 --format csv scorecard --council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" \
	>"$BENCH_WORK/scorecard.csv"
rows=$(($(wc -l <"$BENCH_WORK/scorecard.csv") - 1))
callgrind_control -i on "$CSPERFD_PID" >/dev/null
for _ in $(seq 1 "$CALLS"); do
	"$CSPERF" --timeout 120 scorecard --council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" >/dev/null
done
callgrind_control -i off "$CSPERFD_PID" >/dev/null
callgrind_control -d "$CSPERFD_PID" >/dev/null
csperfd_stop
# The dump asked for (the profile written at exit holds only the shutdown).
dump=$(for f in "$BENCH_WORK"/csperfd.cg*; do echo "$(total_ir "$f") $f"; done | sort -n | tail -1 | cut -d' ' -f2)
process_ir=$(total_ir "$dump")
handler_ir=$(inclusive_ir "$dump" handle_get_scorecard)
gate_ir=$(inclusive_ir "$dump" access_gate)
audit_ir=$(inclusive_ir "$dump" access_call_finishing)
cp "$BENCH_WORK"/read.cg "$BENCH_WORK"/decode.cg "$dump" "${BENCH_CALLGRIND_KEEP:-$BENCH_WORK}/" 2>/dev/null || true

result=$BENCH_WORK/result.md
{
	printf 'Run %s. Instructions executed (Valgrind Ir): the same from run to run for the same input and build,\n' "$(machine_line)"
	printf 'within a fraction of a percent for the server (its threads wake on timers).\n\n'
	printf '| hot path | input | instructions | per record or call |\n|---|---|---:|---:|\n'
	awk -v read="$read_ir" -v decode="$decode_ir" -v n="$records" -v rejected="$rejected" \
		-v handler="${handler_ir:-0}" -v process="$process_ir" -v gate="${gate_ir:-0}" -v audit="${audit_ir:-0}" \
		-v calls="$CALLS" -v rows="$rows" -v values="$values" 'BEGIN {
		printf "| CLI: read and validate SSDA903 (whole process) | fixture, %d records, %d rejected | %.0f | %.0f |\n", n, rejected, read, read / n
		printf "| of which decoding (reader, no validation) | same | %.0f | %.0f |\n", decode, decode / n
		printf "| of which validation (the difference) | same | %.0f | %.0f |\n", read - decode, (read - decode) / n
		printf "| csperfd: GetScorecard handler, inclusive | %d calls, scorecard of %d rows (one stage), %d values stored | %.0f | %.0f |\n", calls, rows, values, handler, handler / calls
		printf "| csperfd: the gate before it (token check), inclusive | same | %.0f | %.0f |\n", gate, gate / calls
		printf "| csperfd: the audit line after it, inclusive | same | %.0f | %.0f |\n", audit, audit / calls
		printf "| csperfd: whole process while serving | same | %.0f | %.0f |\n", process, process / calls
	}'
	printf '\nTop functions by their own instructions, reading and validating (per record):\n\n'
	printf '| share | Ir per record | function |\n|---:|---:|---|\n'
	top_functions "$BENCH_WORK/read.cg" 10 "$records"
	printf '\nTop functions by their own instructions, csperfd serving GetScorecard (per call):\n\n'
	printf '| share | Ir per call | function |\n|---:|---:|---|\n'
	top_functions "$dump" 12 "$CALLS"
} >"$result"
cat "$result"
doc_update callgrind "$result"
