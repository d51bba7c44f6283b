#!/usr/bin/env bash
# bench/peer.sh: from a CIN census to figures, csperf against the way
# performance teams compute today (issue 23), and csperf's load against
# psql's \copy of the same rows, in one run.
#
#   bench/peer.sh [CHILDREN...]      (default: 3000 100000)
#
# For each size:
# 1. csperf-gen writes a council whose 2023-24 CIN census holds about
#    CHILDREN children (2 years; a third of a council's children are in need
#    in a year).
# 2. The peer, ../shared/bench/pandas_peer.py (pandas + numpy over lxml, the
#    stack of the D2I and Social Finance tools), parses that census and
#    computes CN02, CP03, CP05, CP06, FD05, CP04 and CN03 for the four years
#    2020-21 to 2023-24. Its figure is parse + compute, as it reports them
#    (its process, with Python's start and pandas' import, is printed too).
# 3. A fresh csperfd (its embedded PostgreSQL, default settings) and
#    `csperf load` of the same file: wall clock until the LoadSummary says
#    FIGURES_COMPUTED (records durable and every indicator that reads them
#    recomputed), then the seven figures csperf stored, compared with the
#    peer's (bench/peer_compare.py; the differences the two rules explain
#    are listed as such, docs/PERFORMANCE.md).
# 4. The rows csperf stored, \copy'd by psql into a second database of the
#    same cluster made by the same migrations (same tables, indexes and
#    partitions): the raw COPY rate csperf's load is held to (half of it).
# Peak RSS of csperfd (VmHWM) and the CLI (/usr/bin/time -v) at each size;
# csperfd's own timings of the load's phases (its log).
#
# Environment: see bench/lib.sh; BENCH_PEER_DIR (default ../shared/bench
# beside the repository or its worktree folder); BENCH_PEER_PYTHON
# (default /usr/bin/python3).
source "$(dirname "$0")/lib.sh"

SIZES=${*:-3000 100000}
COUNCIL=201
PYTHON=${BENCH_PEER_PYTHON:-/usr/bin/python3}

peer_dir=${BENCH_PEER_DIR:-}
if [ -z "$peer_dir" ]; then
	for candidate in "$BENCH_ROOT/../shared/bench" "$BENCH_ROOT/../../shared/bench"; do
		if [ -d "$candidate" ]; then
			peer_dir=$(cd "$candidate" && pwd)
			break
		fi
	done
fi
if [ -n "${BENCH_PEER_DIR:-}" ] && [ ! -d "$BENCH_PEER_DIR" ]; then
	die "BENCH_PEER_DIR=$BENCH_PEER_DIR is not a folder: it names ../shared/bench, where the peer, pandas_peer.py, lives"
fi
if [ -z "$peer_dir" ] || [ ! -d "$peer_dir" ]; then
	die "../shared/bench is not there (looked beside $BENCH_ROOT and its parent; BENCH_PEER_DIR names it): the peer, pandas_peer.py, lives in the project's shared inputs"
fi
PEER=$peer_dir/pandas_peer.py
[ -f "$PEER" ] || die "$PEER is missing: ../shared/bench has no pandas_peer.py"
[ -x "$PYTHON" ] || die "$PYTHON is missing: apt-get install python3"
"$PYTHON" -c 'import pandas, numpy, lxml' 2>/dev/null ||
	die "the peer needs pandas, numpy and lxml: apt-get install python3-pandas python3-lxml"

bench_require
bench_init peer
results=$BENCH_WORK/results.txt
: >"$results"
port=$((20000 + RANDOM % 20000))

# The seven figures csperf stored for the four years, as the peer prints
# them: {"2023-24": {"CN02": [num, den], ..., "CP04": n}, ...}.
csperf_figures() {
	local dsn=$1
	"$PG_BIN/psql" "$dsn" -qAtX -v ON_ERROR_STOP=1 -c "
		SELECT coalesce(json_object_agg(period, f), '{}') FROM (
			SELECT period, json_object_agg(indicator_id, CASE
				WHEN indicator_id IN ('CP04', 'CN03') THEN to_json(value::bigint)
				ELSE to_json(ARRAY[numerator::bigint, denominator::bigint]) END) AS f
			FROM indicator_value
			WHERE council = '$COUNCIL' AND org_unit = 'council' AND breakdown = ''
			AND indicator_id IN ('CN02', 'CP03', 'CP05', 'CP06', 'FD05', 'CP04', 'CN03')
			AND period IN ('2020-21', '2021-22', '2022-23', '2023-24')
			GROUP BY period) p"
}

# CP05 by the peer's rule, from the plans csperf stored: an earlier plan in
# the records only (csperf also counts NumberOfPreviousCPP above 0, the
# plans recorded on the plan, other councils' included; INDICATORS.md,
# migrations/0005_catalogue.sql).
cp05_records() {
	local dsn=$1
	"$PG_BIN/psql" "$dsn" -qAtX -v ON_ERROR_STOP=1 -c "
		SELECT coalesce(json_object_agg(label, json_build_array(prior, plans)), '{}') FROM (
			SELECT y.label, count(p.*) AS plans, count(*) FILTER (WHERE EXISTS (SELECT 1
				FROM rec_cp_plan e WHERE e.council = p.council AND e.is_current
				AND e.child_id = p.child_id AND e.start_date < p.start_date)) AS prior
			FROM (SELECT y::text || '-' || right((y + 1)::text, 2) AS label,
					make_date(y, 4, 1) AS a, make_date(y + 1, 3, 31) AS b
				FROM generate_series(2020, 2023) y) y
			LEFT JOIN rec_cp_plan p ON p.council = '$COUNCIL' AND p.is_current
				AND p.start_date BETWEEN y.a AND y.b
			GROUP BY y.label) f" 2>/dev/null || echo '{}'
}

for size in $SIZES; do
	work=$BENCH_WORK/$size
	mkdir -p "$work"
	chmod 755 "$work"
	say "peer: $size children: generating..."
	"$CSPERF_GEN" --council "$COUNCIL" --children $((size * 31 / 10)) --years 2 --seed 1 \
		--out "$work/data" >/dev/null
	census=$work/data/cin/2024.xml
	children=$(grep -c '<Child>' "$census")
	mb=$(awk -v b="$(stat -c %s "$census")" 'BEGIN { printf "%.1f", b / 1048576 }')

	# ---- the peer ----
	say "peer: $size: pandas_peer.py on $children children ($mb MB)..."
	timed "$work/peer.json" "$PYTHON" "$PEER" "$census" 2021 2024 ||
		die "pandas_peer.py failed: $(tail -3 "$BENCH_WORK/timed.err")"
	peer_process=$TIMED_SECONDS
	peer_rss=$TIMED_RSS_MB
	peer_s=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.3f" % (d["parse_s"] + d["compute_s"]))' "$work/peer.json")

	# ---- csperf: a fresh csperfd on its embedded PostgreSQL ----
	data_dir=$work/pgdata
	port=$((port + 1))
	CSPERF_TOKEN=$("$CSPERFD" token create --role admin --name bench --data-dir "$data_dir" \
		--pg-port "$port" 2>>"$work/csperfd.log") || die "csperfd token create failed: $work/csperfd.log"
	export CSPERF_TOKEN
	PG_DSN="host=$data_dir port=$port user=postgres dbname=csperf"
	rm -f "$work/csperfd.port"
	"$CSPERFD" --data-dir "$data_dir" --pg-port "$port" --listen 127.0.0.1:0 \
		--ready-file "$work/csperfd.port" >>"$work/csperfd.log" 2>&1 &
	CSPERFD_PID=$!
	for i in $(seq 1 600); do
		[ -s "$work/csperfd.port" ] && break
		kill -0 "$CSPERFD_PID" 2>/dev/null || die "csperfd did not start: $work/csperfd.log"
		sleep 0.1
	done
	[ -s "$work/csperfd.port" ] || die "csperfd did not start within 60 s: $work/csperfd.log"
	export CSPERF_SERVER=127.0.0.1:$(cat "$work/csperfd.port")
	sql "CHECKPOINT" >/dev/null
	vm_hwm_reset "$CSPERFD_PID"
	csperfd_rss0=$(vm_hwm_mb "$CSPERFD_PID")
	say "peer: $size: csperf load..."
	load_log_from=$(wc -l <"$work/csperfd.log")
	timed "$work/load.json" "$CSPERF" -o json load --council "$COUNCIL" --format cin-xml "$census" ||
		die "csperf load failed: $(tail -5 "$work/load.json" "$BENCH_WORK/timed.err")"
	load_s=$TIMED_SECONDS
	cli_rss=$TIMED_RSS_MB
	csperfd_rss=$(vm_hwm_mb "$CSPERFD_PID")
	grep -q '"FIGURES_COMPUTED"\|"figures": *"computed"\|FIGURES_COMPUTED' "$work/load.json" ||
		say "peer: $size: the LoadSummary does not say FIGURES_COMPUTED: $(grep -i figures "$work/load.json")"
	records=$(awk -F': ' '/"accepted"/ { gsub(/[^0-9]/, "", $2); print $2; exit }' "$work/load.json")
	compute_ms=$(sql "SELECT milliseconds FROM compute_run WHERE council = '$COUNCIL'")
	tail -n +"$((load_log_from + 1))" "$work/csperfd.log" |
		grep -E 'load [0-9]+: phases|compute: council|quality: council' >"$work/phases.txt" || true
	# The DfE-rule check, beside the recompute (csperfd's "quality:" line).
	quality_ms=$(awk '/quality: council/ { v = $(NF - 1) } END { print v + 0 }' "$work/phases.txt")
	# The partitions' statistics, taken after the load's commit before the
	# recompute (the phases line's "statistics N ms").
	statistics_ms=$(sed -nE 's/.*load [0-9]+: phases:.*[( ]statistics ([0-9]+) ms.*/\1/p' "$work/phases.txt" | tail -1)
	statistics_ms=${statistics_ms:-0}
	# From the commit to the reply: the statistics then the recompute, and
	# the rule check beside them (the phases line's "figures N ms").
	figures_ms=$(sed -nE 's/.*load [0-9]+: phases:.* figures ([0-9]+) ms.*/\1/p' "$work/phases.txt" | tail -1)
	figures_ms=${figures_ms:-0}
	csperf_figures "$PG_DSN" >"$work/csperf.json"
	cp05_records "$PG_DSN" >"$work/cp05_records.json"
	"$PYTHON" "$BENCH_ROOT/bench/peer_compare.py" "$work/peer.json" "$work/csperf.json" \
		"$work/cp05_records.json" >"$work/compare.txt" || true
	agree=$(head -1 "$work/compare.txt")

	# ---- the reference: psql \copy of the same rows into the same tables ----
	say "peer: $size: \\copy of the same rows..."
	copy_script=$work/copy.sql
	: >"$copy_script"
	copied_tables=""
	raw_rows=0
	tables=$(sql "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		AND c.relname LIKE 'rec\_%' ORDER BY 1")
	for table in $tables; do
		n=$(sql "SELECT count(*) FROM $table WHERE council = '$COUNCIL'")
		[ "$n" -gt 0 ] || continue
		sql "\\copy (SELECT * FROM $table WHERE council = '$COUNCIL') TO '$work/$table.tsv'"
		printf '\\copy %s FROM %s\n' "$table" "'$work/$table.tsv'" >>"$copy_script"
		copied_tables="$copied_tables $table"
		raw_rows=$((raw_rows + n))
	done
	admin_dsn="host=$data_dir port=$port user=postgres dbname=postgres"
	raw_dsn="host=$data_dir port=$port user=postgres dbname=csperf_raw"
	"$PG_BIN/psql" "$admin_dsn" -qAtXc "CREATE DATABASE csperf_raw" >/dev/null
	"$CSPERFD" migrate --dsn "$raw_dsn" >>"$work/migrate.log" 2>&1 || die "csperfd migrate failed"
	for table in council load; do
		sql "\\copy $table TO '$work/$table.tsv'"
		"$PG_BIN/psql" "$raw_dsn" -qAtX -v ON_ERROR_STOP=1 -c "\\copy $table FROM '$work/$table.tsv'"
	done
	# The council's partitions of the tables copied, made before the clock
	# starts (csperf's first load makes them within its own time; a build
	# before migration 0024 made them all with the council row).
	for table in $copied_tables; do
		"$PG_BIN/psql" "$raw_dsn" -qAtX -v ON_ERROR_STOP=1 \
			-c "DO \$\$ BEGIN IF to_regprocedure('csperf_record_partition(text,text)') IS NOT NULL THEN PERFORM csperf_record_partition('$table', '$COUNCIL'); END IF; END \$\$" >/dev/null
	done
	"$PG_BIN/psql" "$raw_dsn" -qAtX -c "CHECKPOINT" >/dev/null
	raw_start=$(now)
	"$PG_BIN/psql" "$raw_dsn" -qAtX -v ON_ERROR_STOP=1 -f "$copy_script" >/dev/null
	raw_s=$(awk -v a="$raw_start" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
	csperfd_stop

	printf '%s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$size" "$children" "$mb" "$peer_s" \
		"$peer_process" "$peer_rss" "$load_s" "$(awk -v ms="$compute_ms" 'BEGIN { printf "%.3f", ms / 1000 }')" \
		"$records" "$raw_rows" "$raw_s" "$cli_rss" "$csperfd_rss" "$csperfd_rss0" \
		"$(awk -v ms="$quality_ms" 'BEGIN { printf "%.3f", ms / 1000 }')" \
		"$(awk -v ms="$statistics_ms" 'BEGIN { printf "%.3f", ms / 1000 }')" \
		"$(awk -v ms="$figures_ms" 'BEGIN { printf "%.3f", ms / 1000 }')" >>"$results"
	{
		printf '\n%s children: the seven figures, csperf against the peer: %s\n' "$children" "$agree"
		tail -n +2 "$work/compare.txt"
		printf '\ncsperfd log of the load (%s children):\n\n```\n' "$children"
		sed -E 's/^[^ ]+ [^ ]+ //' "$work/phases.txt"
		printf '```\n'
	} >>"$BENCH_WORK/details.md"
	say "peer: $size: peer $peer_s s, csperf $load_s s; $agree"
done

result=$BENCH_WORK/result.md
awk -v machine="$(machine_line)" '
	{ size[NR] = $1; kids[NR] = $2; mb[NR] = $3; peer[NR] = $4; proc[NR] = $5; prss[NR] = $6
	  load[NR] = $7; comp[NR] = $8; rec[NR] = $9; raw_rows[NR] = $10; raw_s[NR] = $11
	  cli[NR] = $12; srv[NR] = $13; srv0[NR] = $14; qual[NR] = $15; stats[NR] = $16; fig[NR] = $17 }
	END {
		printf "Run %s: one CIN census (csperf-gen, 2023-24) per size; a fresh csperfd (embedded PostgreSQL, default settings) each.\n\n", machine
		printf "| census | peer: parse + compute s (its process s) | csperf load to FIGURES_COMPUTED s (of which recompute s) | csperf / peer | met |\n"
		printf "|---|---:|---:|---:|---|\n"
		for (i = 1; i <= NR; i++)
			printf "| %d children (%s MB) | %.2f (%.2f) | %.2f (%.2f) | x%.2f | %s |\n", kids[i], mb[i], peer[i],
				proc[i], load[i], comp[i], (peer[i] > 0 ? load[i] / peer[i] : 0),
				(load[i] <= peer[i] ? "yes" : "**no**")
		printf "\n| census | records | psql \\\\copy of the same rows into the same tables: s, records/s | csperf load alone (to the commit: records durable; the statistics of the partitions, recompute and rule check after it left out): s, records/s, of \\\\copy | met (at least 50%%) | the same with the statistics: s, of \\\\copy | csperf to FIGURES_COMPUTED: records/s, of \\\\copy |\n"
		printf "|---|---:|---:|---:|---|---:|---:|\n"
		for (i = 1; i <= NR; i++) {
			rate = load[i] > 0 ? rec[i] / load[i] : 0
			# figures: the statistics, the recompute and the rule check
			# beside it, from the commit to the reply.
			alone = load[i] - (fig[i] > 0 ? fig[i] : comp[i] + qual[i] + stats[i])
			arate = alone > 0 ? rec[i] / alone : 0
			raw = raw_s[i] > 0 ? raw_rows[i] / raw_s[i] : 0
			wrate = alone + stats[i] > 0 ? rec[i] / (alone + stats[i]) : 0
			printf "| %d children | %d | %.2f, %.0f | %.2f, %.0f, %.0f%% | %s | %.2f, %.0f%% | %.0f, %.0f%% |\n", kids[i], rec[i],
				raw_s[i], raw, alone, arate, (raw > 0 ? 100 * arate / raw : 0),
				(raw > 0 && arate >= raw / 2 ? "yes" : "**no**"), alone + stats[i],
				(raw > 0 ? 100 * wrate / raw : 0), rate, (raw > 0 ? 100 * rate / raw : 0)
		}
		printf "\n| census | peak RSS: csperf CLI MB | csperfd MB (VmHWM over the load; %s before) | the peer MB |\n", "idle"
		printf "|---|---:|---:|---:|\n"
		for (i = 1; i <= NR; i++)
			printf "| %d children | %.1f | %.1f (%.1f) | %.1f |\n", kids[i], cli[i], srv[i], srv0[i], prss[i]
	}' "$results" >"$result"
cat "$BENCH_WORK/details.md" >>"$result"
cat "$result"
doc_update peer "$result"
