#!/usr/bin/env bash
# bench/compute.sh: how the recompute of a council's whole catalogue grows
# with its data.
#
#   bench/compute.sh            (BENCH_COMPUTE_SIZES="1000 10000 100000")
#
# For councils of 1,000, 10,000 and 100,000 children over 5 years
# (csperf-gen), loaded by `csperf load` as a council would (each year's CIN
# census and SSDA903 return, then the CSV extracts), the whole catalogue is
# recomputed with csperf-recompute, which calls csperfd's own compute_council()
# on the same database: three runs for the smaller councils, two for the
# largest, median reported, with the CPU seconds PostgreSQL spent (less
# sensitive to a noisy machine than the wall clock). Targets: time grows no
# worse than linearly with records; 10,000 children in under 5 s.
#
# The first of the runs starts from no values (the council's values deleted),
# so that it writes every value; the others find them unchanged and write
# none (a recompute writes only the values that differ).
#
# A load recomputes only the periods it can change (server/compute.h). The
# 10,000-child council is loaded without the last month of its CSV events
# (contacts, Early Help, CP and LA visits of March 2024), then that month is
# loaded on top, and the recompute that load triggers is reported: its time
# (compute_run.milliseconds), the periods it covered (from
# compute_run.recomputed_from), and PostgreSQL's CPU seconds for the whole
# load; then the council's values are compared with a full recompute's.
#
# Writes the table and an ASCII chart into docs/PERFORMANCE.md and an SVG
# chart into docs/perf-compute.svg.
source "$(dirname "$0")/lib.sh"

SIZES=${BENCH_COMPUTE_SIZES:-1000 10000 100000}
YEARS=5
END_YEAR=2024
MONTH=2024-03
SVG=$BENCH_ROOT/docs/perf-compute.svg

bench_require "$RECOMPUTE"
bench_init compute
pg_start
csperfd_start

# Loads a generated council, year by year; $4 = 1 holds back the last month
# of the CSV events into $data/month.
load_council() {
	local council=$1 children=$2 data=$3 hold_month=$4 year
	"$CSPERF_GEN" --council "$council" --children "$children" --years "$YEARS" --seed 1 \
		--end-year "$END_YEAR" --out "$data" >/dev/null
	if [ "$hold_month" = 1 ]; then
		mkdir -p "$data/month"
		for type in contact early_help cp_visit la_visit; do
			# Every field is quoted ("..."): the date is the second field.
			awk -F'","' -v month="$MONTH" -v out="$data/month/$type.csv" -v keep="$data/csv/$type.csv.keep" '
				NR == 1 { print > out; print > keep; next }
				index($2, month) == 1 { print > out; next }
				{ print > keep }' "$data/csv/$type.csv"
			mv "$data/csv/$type.csv.keep" "$data/csv/$type.csv"
		done
	fi
	for year in $(seq $((END_YEAR - YEARS + 1)) "$END_YEAR"); do
		"$CSPERF" load --council "$council" --format cin-xml "$data/cin/$year.xml" \
			>"$BENCH_WORK/load.out" 2>&1 || { cat "$BENCH_WORK/load.out" >&2; die "load failed"; }
		"$CSPERF" load --council "$council" --format ssda903 "$data/ssda903/$year" \
			>"$BENCH_WORK/load.out" 2>&1 || { cat "$BENCH_WORK/load.out" >&2; die "load failed"; }
	done
	"$CSPERF" load --council "$council" --format csv "$data/csv" \
		>"$BENCH_WORK/load.out" 2>&1 || { cat "$BENCH_WORK/load.out" >&2; die "load failed"; }
}

# Current records of a council, over every record table.
council_records() {
	local council=$1 union
	union=$(sql "SELECT string_agg(format('SELECT count(*) FROM %I WHERE council = %L AND is_current',
		relname, '$council'), ' UNION ALL ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'rec\_%'")
	sql "SELECT sum(count) FROM ($union) t"
}

# Every recompute rewrites all of a council's values (DELETE and INSERT), which
# sets autovacuum going: each run starts once that is done, from a vacuumed
# table, so that PostgreSQL's CPU seconds are the recompute's own.
quiesce() {
	local i
	sql "VACUUM ANALYZE indicator_value" >/dev/null
	for i in $(seq 1 120); do
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" = 0 ] && return 0
		sleep 1
	done
}

# Recomputes $runs times, one process each so that PostgreSQL's CPU seconds
# are counted per run; prints "median_wall_ms median_cpu_s values indicators
# first_wall_ms first_cpu_s" and keeps the by-indicator table of the last run
# in $BENCH_WORK/by-indicator-$council.txt.
recompute() {
	local council=$1 runs=$2 out=$BENCH_WORK/recompute-$1.txt runs_file=$BENCH_WORK/runs-$1.txt
	local run cpu0 cpu1 flag
	: >"$runs_file"
	for run in $(seq 1 "$runs"); do
		flag=""
		[ "$run" = "$runs" ] && flag=--by-indicator
		if [ "$run" = 1 ] && [ "$runs" -gt 1 ]; then
			sql "DELETE FROM indicator_value WHERE council = '$council'" >/dev/null
		fi
		quiesce
		cpu0=$(pg_cpu_seconds)
		"$RECOMPUTE" --dsn "$PG_DSN" --council "$council" $flag >"$out"
		cpu1=$(pg_cpu_seconds)
		grep '^run=' "$out" | sed "s/^run=1/run=$run/" >&2
		printf '%s %s %s %s\n' "$(sed -n 's/^run=.*wall_ms=\([0-9]*\).*/\1/p' "$out")" \
			"$(minus "$cpu1" "$cpu0")" "$(sed -n 's/^run=.*values=\([0-9]*\).*/\1/p' "$out")" \
			"$(sed -n 's/^run=.*indicators=\([0-9]*\).*/\1/p' "$out")" >>"$runs_file"
	done
	grep -v '^run=' "$out" >"$BENCH_WORK/by-indicator-$council.txt"
	awk '{ wall[NR] = $1; cpu[NR] = $2; values = $3; indicators = $4 }
		END {
			first_wall = wall[1]; first_cpu = cpu[1]
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) {
				if (wall[j] < wall[i]) { t = wall[i]; wall[i] = wall[j]; wall[j] = t }
				if (cpu[j] < cpu[i]) { t = cpu[i]; cpu[i] = cpu[j]; cpu[j] = t }
			}
			m = int((NR + 1) / 2)
			printf "%d %.1f %d %d %d %.1f\n", wall[m], cpu[m], values, indicators, first_wall, first_cpu
		}' "$runs_file"
}

table=$BENCH_WORK/table.txt
: >"$table"
council=400
for children in $SIZES; do
	council=$((council + 1))
	data=$BENCH_WORK/data-$children
	hold=0
	[ "$children" = 10000 ] && hold=1
	say "compute: loading a council of $children children (council $council)..."
	load_council "$council" "$children" "$data" "$hold"
	runs=3
	in_load=$(sql "SELECT milliseconds FROM compute_run WHERE council = '$council'")
	records=$(council_records "$council")
	read -r ms cpu values indicators first_ms first_cpu < <(recompute "$council" "$runs")
	printf '%s %s %s %s %s %s %s %s %s %s\n' "$children" "$council" "$records" "$ms" "$cpu" "$values" \
		"$indicators" "$in_load" "$first_ms" "$first_cpu" >>"$table"
	say "compute: $children children: $records records, recompute $ms ms (PostgreSQL CPU $cpu s)"
	if [ "$hold" = 1 ]; then
		month_records=$(($(cat "$data"/month/*.csv | wc -l) - 4))
		quiesce
		cpu0=$(pg_cpu_seconds)
		start=$(now)
		"$CSPERF" load --council "$council" --format csv "$data/month" >"$BENCH_WORK/load.out" 2>&1 ||
			{ cat "$BENCH_WORK/load.out" >&2; die "the month's load failed"; }
		month_wall=$(minus "$(now)" "$start")
		month_cpu=$(minus "$(pg_cpu_seconds)" "$cpu0")
		month_compute=$(sql "SELECT milliseconds FROM compute_run WHERE council = '$council'")
		month_from=$(sql "SELECT coalesce(recomputed_from::text, 'every period') FROM compute_run WHERE council = '$council'")
		month_values=$(sql "SELECT values_written FROM compute_run WHERE council = '$council'")
		month_indicators=$(sql "SELECT indicators FROM compute_run WHERE council = '$council'")
		month_periods=$(sql "SELECT count(DISTINCT period) FROM indicator_value v JOIN compute_run r USING (council)
			WHERE council = '$council' AND v.period_end >= r.recomputed_from")
		month_all_periods=$(sql "SELECT count(DISTINCT period) FROM indicator_value WHERE council = '$council'")
		# The incremental values against a full recompute's, value for value.
		fingerprint="SELECT md5(string_agg(concat_ws('|', indicator_id, version, period_type, period,
			period_start, period_end, breakdown, coalesce(numerator::text, '-'), coalesce(denominator::text, '-'),
			coalesce(value::text, '-'), provisional), E'\n' ORDER BY indicator_id, period, breakdown))
			FROM indicator_value WHERE council = '$council'"
		incremental_fp=$(sql "$fingerprint")
		sql "DELETE FROM indicator_value WHERE council = '$council'" >/dev/null
		"$RECOMPUTE" --dsn "$PG_DSN" --council "$council" >/dev/null
		if [ "$(sql "$fingerprint")" = "$incremental_fp" ]; then month_same="the same"; else month_same="NOT the same"; fi
		month_council=$council
		full_ms=$ms
		full_cpu=$cpu
		say "compute: one more month ($month_records records): load $month_wall s (PostgreSQL CPU $month_cpu s), recompute $month_compute ms from $month_from; values $month_same as a full recompute's"
	fi
	rm -rf "$data"
done

# A council's recompute beside a bigger one: does it pay for the others' rows?
first=$(head -1 "$table")
read -r small_children small_council _ small_ms _ < <(echo "$first")
read -r again_ms _ < <(recompute "$small_council" 1)

result=$BENCH_WORK/result.md
machine=$(machine_line)
awk -v machine="$machine" '
	{ children[NR] = $1; records[NR] = $3; ms[NR] = $4; cpu[NR] = $5; values[NR] = $6; ind[NR] = $7
	  in_load[NR] = $8; first_ms[NR] = $9; first_cpu[NR] = $10 }
	END {
		printf "Run %s. Whole catalogue (%d indicators, every period), csperf-gen councils over 5 years; csperf-recompute, median of 3 runs from a vacuumed table;\n", machine, ind[NR]
		printf "\"from no values\": the first run, with the council'"'"'s values deleted first, so that it writes every one (the others find them unchanged and write none);\n"
		printf "\"in the last load\": the recompute the last `csperf load` (the CSV events) made right after its commit, of the periods it could change (compute_run.milliseconds).\n\n"
		printf "| children | current records | values | recompute s | PostgreSQL CPU s | from no values s (CPU s) | in the last load s | ms per 1,000 records | growth exponent (wall, CPU) |\n"
		printf "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
		for (i = 1; i <= NR; i++) {
			exponent = "-"
			if (i > 1 && records[i] > records[i - 1] && ms[i - 1] > 0 && cpu[i - 1] > 0)
				exponent = sprintf("%.2f, %.2f", log(ms[i] / ms[i - 1]) / log(records[i] / records[i - 1]),
					log(cpu[i] / cpu[i - 1]) / log(records[i] / records[i - 1]))
			printf "| %d | %d | %d | **%.2f** | %.1f | %.1f (%.1f) | %.1f | %.1f | %s |\n", children[i], records[i], values[i],
				ms[i] / 1000, cpu[i], first_ms[i] / 1000, first_cpu[i], in_load[i] / 1000, 1000 * ms[i] / records[i], exponent
		}
		printf "\n(growth exponent: log(time ratio) / log(records ratio) from the row above; 1 is linear.)\n"
	}' "$table" >"$result"
{
	awk '{ if ($1 == 10000) { ms = $4; cpu = $5 } r[NR] = $3; t[NR] = $4; c[NR] = $5; n[NR] = $1 }
		END {
			if (ms > 0) printf "\n**10,000 children: %.2f s** (PostgreSQL CPU %.1f s; target: under 5 s): %s.\n", ms / 1000, cpu, (ms < 5000 ? "met" : "missed")
			worst = 0
			for (i = 2; i <= NR; i++) {
				e = log(t[i] / t[i - 1]) / log(r[i] / r[i - 1]); if (e > worst) worst = e
				e = log(c[i] / c[i - 1]) / log(r[i] / r[i - 1]); if (e > worst) worst = e
			}
			if (NR > 1) printf "**Growth up to %d children: exponent %.2f at most** (any step, wall or CPU; target: at most 1, linear): %s.\n", n[NR], worst, (worst <= 1.05 ? "met" : "missed")
		}' "$table"
	if [ -n "${month_council:-}" ]; then
		printf '\nOne more month on top of the 10,000-child council (%d CSV records of %s: contacts, Early Help,\n' "$month_records" "$MONTH"
		printf 'visits) took %s s to load (PostgreSQL CPU %s s), of which **%.2f s recomputing** (target: under 1 s: %s):\n' \
			"$month_wall" "$month_cpu" "$(awk -v m="$month_compute" 'BEGIN { print m / 1000 }')" \
			"$(awk -v m="$month_compute" 'BEGIN { print (m < 1000 ? "met" : "missed") }')"
		printf 'the %s indicators that read those records, for the %s periods ending from %s (of %s): %s values\n' \
			"$month_indicators" "$month_periods" "$month_from" "$month_all_periods" "$month_values"
		printf '(the whole catalogue over every period: %.2f s, CPU %s s).\n' \
			"$(awk -v m="$full_ms" 'BEGIN { print m / 1000 }')" "$full_cpu"
		printf 'Its values are %s as a full recompute'"'"'s (indicator_value fingerprints compared).\n' "$month_same"
	fi
	printf '\nThe %s-child council recomputed again once the larger ones were loaded beside it: %.2f s (alone: %.2f s).\n' \
		"$small_children" "$(awk -v m="$again_ms" 'BEGIN { print m / 1000 }')" "$(awk -v m="$small_ms" 'BEGIN { print m / 1000 }')"
	printf '\n```\nrecompute seconds against current records (log-log; * measured, . linear from the smallest)\n'
	awk '{ r[NR] = $3; t[NR] = $4 / 1000 } END {
		W = 56; H = 14
		minr = r[1]; maxr = r[NR]; mint = t[1]; maxt = t[NR]
		lin = t[1] * maxr / minr; if (lin > maxt) maxt = lin
		for (i = 1; i <= NR; i++) { if (t[i] > maxt) maxt = t[i]; if (t[i] < mint) mint = t[i] }
		lx0 = log(minr); lx1 = log(maxr); ly0 = log(mint); ly1 = log(maxt)
		if (lx1 == lx0) lx1 = lx0 + 1; if (ly1 == ly0) ly1 = ly0 + 1
		for (y = 0; y < H; y++) for (x = 0; x < W; x++) grid[y, x] = " "
		for (x = 0; x < W; x++) {
			lr = lx0 + (lx1 - lx0) * x / (W - 1); tt = t[1] * exp(lr) / minr
			y = int((log(tt) - ly0) / (ly1 - ly0) * (H - 1) + 0.5)
			if (y >= 0 && y < H) grid[y, x] = "."
		}
		for (i = 1; i <= NR; i++) {
			x = int((log(r[i]) - lx0) / (lx1 - lx0) * (W - 1) + 0.5)
			y = int((log(t[i]) - ly0) / (ly1 - ly0) * (H - 1) + 0.5)
			grid[y, x] = "*"
		}
		for (y = H - 1; y >= 0; y--) {
			label = (y == H - 1) ? sprintf("%7.1f s", maxt) : (y == 0 ? sprintf("%7.1f s", mint) : "         ")
			line = label " |"
			for (x = 0; x < W; x++) line = line grid[y, x]
			print line
		}
		printf "          +"; for (x = 0; x < W; x++) printf "-"; printf "\n"
		printf "           %-20d%*d records\n", minr, W - 20, maxr
	}' "$table"
	printf '```\n'
	last_council=$(tail -1 "$table" | awk '{ print $2 }')
	last_children=$(tail -1 "$table" | awk '{ print $1 }')
	printf '\nSlowest indicators of the %s-child council (csperfd'"'"'s debug log, last run):\n\n' "$last_children"
	printf '| indicator | kind | values | ms | share |\n|---|---|---:|---:|---:|\n'
	kinds=$(sql "SELECT indicator_id || ' ' || kind FROM indicator")
	awk 'NR > 1 && NR <= 11' "$BENCH_WORK/by-indicator-$last_council.txt" | while read -r id values ms share; do
		kind=$(echo "$kinds" | awk -v id="$id" '$1 == id { print $2 }')
		printf '| %s | %s | %s | %s | %s |\n' "$id" "$kind" "$values" "$ms" "$share"
	done
} >>"$result"
cat "$result"

# The SVG chart: seconds against records, log-log, with the linear line.
if [ "${BENCH_NO_DOC:-0}" != 1 ]; then
	awk -v machine="$machine" '{ r[NR] = $3; t[NR] = $4 / 1000; c[NR] = $1 } END {
		W = 640; H = 400; L = 70; R = 20; T = 40; B = 60
		minr = r[1] / 2; maxr = r[NR] * 2; mint = t[1] / 2; maxt = t[NR] * 2
		lin = t[1] * maxr / r[1]; if (lin > maxt) maxt = lin
		for (i = 1; i <= NR; i++) if (t[i] * 2 > maxt) maxt = t[i] * 2
		lx0 = log(minr); lx1 = log(maxr); ly0 = log(mint); ly1 = log(maxt)
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
		printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		printf "<text x=\"%d\" y=\"22\" font-size=\"14\">csperf: whole-catalogue recompute against records (log-log)</text>\n", L
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, H - B, W - R, H - B
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, T, L, H - B
		for (i = 1; i <= NR; i++) {
			x[i] = L + (log(r[i]) - lx0) / (lx1 - lx0) * (W - L - R)
			y[i] = H - B - (log(t[i]) - ly0) / (ly1 - ly0) * (H - T - B)
		}
		# linear growth from the smallest council
		xa = L + (log(r[1]) - lx0) / (lx1 - lx0) * (W - L - R)
		xb = W - R; tb = t[1] * maxr / r[1]
		yb = H - B - (log(tb) - ly0) / (ly1 - ly0) * (H - T - B)
		printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>\n", xa, y[1], xb, yb
		printf "<text x=\"%.1f\" y=\"%.1f\" fill=\"#666\" text-anchor=\"end\">linear</text>\n", xb - 4, yb + 16
		printf "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\""
		for (i = 1; i <= NR; i++) printf "%.1f,%.1f ", x[i], y[i]
		printf "\"/>\n"
		for (i = 1; i <= NR; i++) {
			printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#c0392b\"/>\n", x[i], y[i]
			if (x[i] > L + (W - L - R) * 0.6)
				printf "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d children: %.1f s</text>\n", x[i] - 8, y[i] + 18, c[i], t[i]
			else
				printf "<text x=\"%.1f\" y=\"%.1f\">%d children: %.1f s</text>\n", x[i] + 8, y[i] - 8, c[i], t[i]
			printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x[i], H - B + 18, r[i]
		}
		for (v = 0.1; v <= maxt; v *= 10) {
			if (v < mint) continue
			yv = H - B - (log(v) - ly0) / (ly1 - ly0) * (H - T - B)
			printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>\n", L + 1, yv, W - R, yv
			printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g s</text>\n", L - 4, yv + 4, v
		}
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">current records</text>\n", (L + W - R) / 2, H - B + 40
		printf "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">seconds (wall)</text>\n", (T + H - B) / 2, (T + H - B) / 2
		printf "<text x=\"%d\" y=\"%d\" fill=\"#666\" font-size=\"10\">%s</text>\n", L, H - 6, machine
		printf "</svg>\n"
	}' "$table" >"$SVG"
	say "docs/perf-compute.svg written"
fi
doc_update compute "$result"
