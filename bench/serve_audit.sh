#!/usr/bin/env bash
# bench/serve_audit.sh: cached GetScorecard against the audit trail's bound
# and against a bare unary RPC, all in one run (issue 23).
#
#   bench/serve_audit.sh   (BENCH_AUDIT_CHILDREN=1000 BENCH_AUDIT_SECONDS=8
#                           BENCH_AUDIT_ROUNDS=3)
#
# Every GetScorecard's reply waits for its audit line to be durable, so 16
# clients cannot pass 16 / (one commit's latency) calls a second. Each round
# measures, back to back on the same machine:
#   - the commit latency: pgbench, one client, one INSERT of an audit-sized
#     row and its commit per transaction, on the same cluster (fsync and
#     synchronous_commit on, PostgreSQL's defaults), 5 s;
#   - the bare unary RPC: the health check of the same csperfd (no token, no
#     audit line, no query: it answers from the state its health monitor
#     refreshes), 16 and 256 clients;
#   - GetScorecard of one stage for a quarter, from the read cache, 16 and
#     256 clients (csperf-loadgen, each client its own thread and channel).
# Targets: GetScorecard p99 under 5 ms at 16 clients; at 16 clients at least
# 90% of 16 / commit latency; at 256 clients at least 25% of the bare RPC's
# rate in the same round. Also: audit lines per commit (csperfd's log at
# exit) and that the audit trail holds every call.
source "$(dirname "$0")/lib.sh"

CHILDREN=${BENCH_AUDIT_CHILDREN:-1000}
SECONDS_PER_PHASE=${BENCH_AUDIT_SECONDS:-8}
ROUNDS=${BENCH_AUDIT_ROUNDS:-3}
COUNCIL=501
PERIOD=2023-24:Q4
STAGE=child_protection

# The report, from the phases' lines (the variables below it reads are set
# by the run).
serve_audit_report() {
awk -v machine="$(machine_line)" -v load_before="$load_before" -v load_after="$load_after" \
	-v children="$CHILDREN" -v rows="$rows" -v seconds="$SECONDS_PER_PHASE" -v rounds="$ROUNDS" \
	-v audited="$audited" -v loadgen_calls="$loadgen_calls" -v errors="$errors" -v counts="$counts" '
function median(values, n,   i, j, t, sorted) {
	for (i = 1; i <= n; i++) sorted[i] = values[i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
	return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
}
function field(name,   i, kv) {
	for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) { split($i, kv, "="); return kv[2] }
	return ""
}
$1 ~ /^call=commit/ { r = field("round"); lat[r] = lat[r] + field("latency_ms"); nlat[r]++; next }
$1 ~ /^call=batches/ { per[field("connections"), field("round")] = field("lines") / field("commits"); next }
{
	r = field("round"); c = field("connections"); call = field("call")
	rate[call, c, r] = field("calls_per_s"); p50[call, c, r] = field("p50_ms")
	p99[call, c, r] = field("p99_ms"); err[call, c, r] = field("errors")
}
END {
	printf "Run %s (load average %s before, %s after; 2 cores shared with other engineers'"'"' builds): csperfd with its defaults, council of %d children, GetScorecard of stage child_protection for 2023-24:Q4 (%d rows, from the read cache); csperf-loadgen, %g s per phase after 1 s of warm-up, %d rounds; commit latency by pgbench (1 client, one audit-sized INSERT per transaction, 5 s) before and after each round.\n\n", machine, load_before, load_after, children, rows, seconds, rounds
	print "| round | commit ms | bound at 16: 16 / commit | health, 16 | GetScorecard, 16 | of the bound | p50 ms | p99 ms | lines a commit | health, 256 | GetScorecard, 256 | of health | p99 ms at 256 | lines a commit |"
	print "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	worst99 = 0
	for (r = 1; r <= rounds; r++) {
		l = lat[r] / nlat[r]; bound = 16 / l * 1000
		sb = rate["scorecard", 16, r] / bound; sh = rate["scorecard", 256, r] / rate["health", 256, r]
		of_bound[r] = sb; of_health[r] = sh
		if (p99["scorecard", 16, r] > worst99) worst99 = p99["scorecard", 16, r]
		printf "| %d | %.2f | %.0f | %.0f | %.0f | %.0f%% | %.2f | %.2f | %.1f | %.0f | %.0f | %.0f%% | %.2f | %.1f |\n", r, l, bound, rate["health", 16, r], rate["scorecard", 16, r], 100 * sb, p50["scorecard", 16, r], p99["scorecard", 16, r], per[16, r], rate["health", 256, r], rate["scorecard", 256, r], 100 * sh, p99["scorecard", 256, r], per[256, r]
	}
	mb = median(of_bound, rounds); mh = median(of_health, rounds)
	printf "\n**GetScorecard p99 at 16 clients: %.2f ms** (worst round; target under 5 ms): %s.\n", worst99, (worst99 < 5 ? "met" : "missed")
	printf "**GetScorecard at 16 clients: %.0f%% of the audit bound** (median round; target at least 90%%): %s.\n", 100 * mb, (mb >= 0.9 ? "met" : "missed")
	printf "**GetScorecard at 256 clients: %.0f%% of the bare RPC** (health check of the same csperfd, median round; target at least 25%%): %s.\n", 100 * mh, (mh >= 0.25 ? "met" : "missed")
	printf "Errors: %d. The audit trail holds %d GetScorecard calls of the run (csperf-loadgen counted %d outside warm-up); csperfd at exit: %s.\n", errors, audited, loadgen_calls, counts
}' "$1"
}

bench_require "$LOADGEN" "$PG_BIN/pgbench"
bench_init serve_audit
pg_start
csperfd_start

say "serve_audit: loading a council of $CHILDREN children..."
data=$BENCH_WORK/data
"$CSPERF_GEN" --council "$COUNCIL" --children "$CHILDREN" --years 5 --seed 1 --end-year 2024 \
	--out "$data" >/dev/null
for year in 2023 2024; do
	"$CSPERF" load --council "$COUNCIL" --format cin-xml "$data/cin/$year.xml" >/dev/null 2>&1 ||
		die "load failed"
done
rows=$("$CSPERF" --format csv scorecard --council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" | tail -n +2 | wc -l)
[ "$rows" -gt 0 ] || die "the scorecard of $STAGE for $PERIOD is empty"
sql "VACUUM ANALYZE" >/dev/null

# One commit of one audit-sized row, from one client: what every reply
# waits for at least once. Milliseconds per transaction.
sql "CREATE TABLE commit_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
	method text, parameters text, status text, peer text)" >/dev/null
cat >"$BENCH_WORK/commit.sql" <<'EOF'
INSERT INTO commit_probe (method, parameters, status, peer) VALUES ('/csperf.v1.Performance/GetScorecard', 'council=501 period=2023-24:Q4 stage=child_protection', 'OK', 'ipv4:127.0.0.1:50000');
EOF
commit_latency() {
	"$PG_BIN/pgbench" -n -c 1 -T 5 -f "$BENCH_WORK/commit.sql" "$PG_DSN" 2>/dev/null |
		awk '/^latency average/ { print $4 }'
}

phases=$BENCH_WORK/phases.txt
: >"$phases"
audit_before=$(sql "SELECT coalesce(max(id), 0) FROM audit_log")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
	say "serve_audit: round $round of $ROUNDS..."
	latency=$(commit_latency)
	echo "call=commit round=$round latency_ms=$latency" | tee -a "$phases" >&2
	for connections in 16 256; do
		first=$(sql "SELECT coalesce(max(id), 0) FROM audit_log")
		"$LOADGEN" --connections "$connections" --duration "$SECONDS_PER_PHASE" --warmup 1 \
			--council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" health scorecard |
			sed "s/round=1/round=$round/" | tee -a "$phases" >&2
		# The lines of one commit share their xmin (warm-up included).
		sql "SELECT 'call=batches round=$round connections=$connections lines=' || count(*) ||
			' commits=' || count(DISTINCT xmin::text) FROM audit_log WHERE id > $first" |
			tee -a "$phases" >&2
	done
	latency=$(commit_latency)
	echo "call=commit round=$round latency_ms=$latency" | tee -a "$phases" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
audited=$(sql "SELECT count(*) FROM audit_log WHERE id > $audit_before AND method LIKE '%/GetScorecard'")
loadgen_calls=$(awk '$1 == "call=scorecard" { for (i = 1; i <= NF; i++) if ($i ~ /^calls=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$phases")
errors=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^errors=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$phases")
csperfd_stop
counts=$(grep -o 'audit [0-9]* lines in [0-9]* commits' "$CSPERFD_LOG" | tail -1)

# ---- figures ----
report=$BENCH_WORK/report.md
serve_audit_report "$phases" >"$report"
cat "$report"
doc_update serve_audit "$report"
