#!/usr/bin/env bash
# bench/serve.sh: GetScorecard and GetExceptions against the bare RPC ceiling
# (GetServerInfo), in one run, with a load generator in C on libcsperf, and
# once with h2load.
#
#   bench/serve.sh        (BENCH_SERVE_CHILDREN=10000 BENCH_SERVE_SECONDS=10
#                          BENCH_SERVE_ROUNDS=3 BENCH_SERVE_CONNECTIONS=16)
#
# A council of 10,000 children over 5 years is loaded into a fresh csperfd
# (default settings: 4 workers, 2 pollers). csperf-loadgen then runs 16
# clients, each its own thread and channel, calling back to back for 10 s per
# phase after 1 s of warm-up: GetServerInfo (the bare RPC ceiling: token
# check, one trivial query, audit line), GetScorecard of one stage for a
# quarter, GetExceptions of the quarter; three rounds, interleaved, so each
# is measured beside the others. Targets: GetScorecard at least 25% of the
# GetServerInfo rate, p99 under 5 ms, no errors. h2load (nghttp2-client)
# cross-checks GetServerInfo and GetScorecard once; it does not read
# grpc-status, so the statuses are counted from csperfd's audit trail.
# Also: GetPlacementCosts (by placement type, not cached) beside them;
# csperfd's peak RSS (VmHWM) over the serve phases, the TCP connections the
# 16 channels open, and the statements one GetScorecard runs
# (pg_stat_statements). Then, in the same run: a second csperfd without the
# read cache (--read-cache-mb 0) alone, for what the cache is worth; and two
# csperfd with their caches on the one database, the clients given both
# addresses (round robin), for what a second process gives (issue 10).
source "$(dirname "$0")/lib.sh"

CSPERFD2_PID=
# The second csperfd too, whatever happens.
serve_cleanup() {
	local rc=$?
	if [ -n "$CSPERFD2_PID" ]; then
		kill -TERM "$CSPERFD2_PID" 2>/dev/null
		wait "$CSPERFD2_PID" 2>/dev/null
	fi
	(exit $rc)
	bench_cleanup
}

CHILDREN=${BENCH_SERVE_CHILDREN:-10000}
SECONDS_PER_PHASE=${BENCH_SERVE_SECONDS:-10}
ROUNDS=${BENCH_SERVE_ROUNDS:-3}
CONNECTIONS=${BENCH_SERVE_CONNECTIONS:-16}
# h2load makes as many calls as the generator managed in 10 s, 500 to 20,000.
H2LOAD_SECONDS=${BENCH_SERVE_H2LOAD_SECONDS:-10}
# What-if: peer-index adds an index that serves the peer averages (a
# proposal, not csperf's schema); such a run leaves docs/PERFORMANCE.md alone.
WHATIF=${BENCH_SERVE_WHATIF:-}
COUNCIL=501
PERIOD=2023-24:Q4
STAGE=child_protection

bench_require "$LOADGEN"
command -v h2load >/dev/null || die "h2load is missing: apt-get install nghttp2-client"
bench_init serve
trap serve_cleanup EXIT
pg_start -c shared_preload_libraries=pg_stat_statements
sql "CREATE EXTENSION pg_stat_statements" >/dev/null
csperfd_start

say "serve: loading a council of $CHILDREN children..."
data=$BENCH_WORK/data
"$CSPERF_GEN" --council "$COUNCIL" --children "$CHILDREN" --years 5 --seed 1 --end-year 2024 \
	--out "$data" >/dev/null
for year in 2020 2021 2022 2023 2024; do
	"$CSPERF" load --council "$COUNCIL" --format cin-xml "$data/cin/$year.xml" >/dev/null 2>&1 ||
		die "load failed"
	"$CSPERF" load --council "$COUNCIL" --format ssda903 "$data/ssda903/$year" >/dev/null 2>&1 ||
		die "load failed"
done
"$CSPERF" load --council "$COUNCIL" --format csv "$data/csv" >/dev/null 2>&1 || die "load failed"
rows=$("$CSPERF" --format csv scorecard --council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" | tail -n +2 | wc -l)
all_rows=$("$CSPERF" --format csv scorecard --council "$COUNCIL" --period "$PERIOD" | tail -n +2 | wc -l)
[ "$rows" -gt 0 ] || die "the scorecard of $STAGE for $PERIOD is empty"

# ---- a second csperfd on the same database ----
csperfd2_start() {
	csperfd_launch "$BENCH_WORK/csperfd2.log" "$BENCH_WORK/csperfd2.port" "$@"
	CSPERFD2_PID=$LAUNCHED_PID
	CSPERFD2_PORT=$LAUNCHED_PORT
}
csperfd2_stop() {
	kill -TERM "$CSPERFD2_PID" 2>/dev/null
	wait "$CSPERFD2_PID" 2>/dev/null || true
	CSPERFD2_PID=
}
# A second csperfd without the read cache: what a GetScorecard costs when
# the cache does not have it (a miss).
csperfd2_start --read-cache-mb 0

# The statements of one call, from PostgreSQL's side (server: the first
# csperfd unless given).
statements_per_call() {
	local call=$1 server=${2:-$CSPERF_SERVER} out=${3:-$BENCH_WORK/statements-$1.txt} calls=200
	sql "SELECT pg_stat_statements_reset()" >/dev/null
	"$LOADGEN" --server "$server" --connections 1 --duration 60 --warmup 0 --max-calls "$calls" \
		--council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" "$call" >/dev/null
	sql "SELECT round(sum(calls)::numeric / $calls, 1), round((sum(total_exec_time) / $calls)::numeric, 3)
		FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
	# SET statement_timeout = <what is left of the deadline, in ms>: one row.
	sql "SELECT round(sum(calls)::numeric / $calls, 1), round((sum(total_exec_time) / sum(calls))::numeric, 3), q
		FROM (SELECT calls, total_exec_time, regexp_replace(regexp_replace(left(regexp_replace(query, '\s+', ' ', 'g'), 80),
			'\|', '/', 'g'), 'statement_timeout = [0-9]+', 'statement_timeout = <ms left>') AS q
		FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%') s
		GROUP BY q ORDER BY 1 DESC, 2 DESC" >"$out"
}
# Right after the loads, before autovacuum has been by: every recompute
# rewrote all the council's values.
nocache_server=127.0.0.1:$CSPERFD2_PORT
read -r fresh_statements fresh_db_ms < <(statements_per_call scorecard "$nocache_server" | tr '|' ' ')
dead=$(sql "SELECT n_live_tup || ' ' || n_dead_tup FROM pg_stat_user_tables WHERE relname = 'indicator_value'")
# The serve phases measure the steady state: vacuumed, as autovacuum leaves it.
if [ "$WHATIF" = peer-index ]; then
	sql "CREATE INDEX bench_peer_average ON indicator_value (period, indicator_id)
		INCLUDE (council, value) WHERE org_unit = 'council' AND breakdown = ''" >/dev/null
	BENCH_NO_DOC=1
fi
sql "VACUUM ANALYZE" >/dev/null
read -r info_statements info_db_ms < <(statements_per_call info | tr '|' ' ')
read -r scorecard_statements scorecard_db_ms < <(statements_per_call scorecard "$nocache_server" | tr '|' ' ')
# The same from the cache (the first call fills it).
read -r hit_statements hit_db_ms < <(statements_per_call scorecard "$CSPERF_SERVER" \
	"$BENCH_WORK/statements-hit.txt" | tr '|' ' ')

vm_hwm_reset "$CSPERFD_PID"
hwm_idle=$(vm_hwm_mb "$CSPERFD_PID")
say "serve: $CONNECTIONS connections, $ROUNDS rounds of ${SECONDS_PER_PHASE} s per call..."
phases=$BENCH_WORK/phases.txt
audit_before=$(sql "SELECT coalesce(max(id), 0) FROM audit_log")
(
	sleep 4
	ss -tnH state established "( sport = :$CSPERFD_PORT )" | wc -l >"$BENCH_WORK/tcp.txt"
) &
sampler=$!
"$LOADGEN" --connections "$CONNECTIONS" --duration "$SECONDS_PER_PHASE" --warmup 1 \
	--rounds "$ROUNDS" --council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" \
	info scorecard exceptions costs | tee "$phases" >&2
wait "$sampler"
tcp=$(cat "$BENCH_WORK/tcp.txt")
loadgen_calls=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^calls=/) { split($i, kv, "="); s += kv[2] } } END { print s }' "$phases")
audit_loadgen=$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE status <> 'OK') FROM audit_log WHERE id > $audit_before")

# ---- h2load, once ----
say "serve: h2load..."
h2load_run() {
	local call=$1 method=$2 out=$BENCH_WORK/h2load-$1.txt before calls
	calls=$(awk -v call="$call" -v s="$H2LOAD_SECONDS" '$1 == "call=" call { split($7, kv, "="); r = kv[2] }
		END { n = int(r * s); if (n < 500) n = 500; if (n > 20000) n = 20000; print n }' "$phases")
	"$LOADGEN" --council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" --body "$call" \
		>"$BENCH_WORK/body-$call.bin"
	before=$(sql "SELECT coalesce(max(id), 0) FROM audit_log")
	h2load -n "$calls" -c "$CONNECTIONS" -m 1 \
		-H 'content-type: application/grpc' -H 'te: trailers' \
		-H "authorization: Bearer $CSPERF_TOKEN" -d "$BENCH_WORK/body-$call.bin" \
		"http://127.0.0.1:$CSPERFD_PORT/csperf.v1.Performance/$method" >"$out" 2>&1
	# "finished in 2.31s, 8650.35 req/s, 5.31MB/s"
	# "time for request:   612us  38.62ms  1.81ms  1.20ms  89.12%"
	awk -v audit="$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE status = 'OK') FROM audit_log WHERE id > $before AND method LIKE '%/$method'")" '
		/^finished in/ { gsub(/,/, ""); rate = $4 }
		/^requests:/ { done = $8; failed = $12 }
		/^time for request:/ { min = $4; max = $5; mean = $6 }
		END { split(audit, a, " "); printf "%s %s %s %s %s %s %s\n", rate, done, failed, mean, max, a[1], a[2] }' "$out"
}
read -r h2_info_rate h2_info_done h2_info_failed h2_info_mean h2_info_max h2_info_audit h2_info_ok \
	< <(h2load_run info GetServerInfo)
read -r h2_sc_rate h2_sc_done h2_sc_failed h2_sc_mean h2_sc_max h2_sc_audit h2_sc_ok \
	< <(h2load_run scorecard GetScorecard)
hwm_serve=$(vm_hwm_mb "$CSPERFD_PID")

say "serve: a csperfd without the read cache..."
nocache=$BENCH_WORK/nocache.txt
"$LOADGEN" --server "127.0.0.1:$CSPERFD2_PORT" --connections "$CONNECTIONS" \
	--duration "$SECONDS_PER_PHASE" --warmup 1 --rounds 1 --council "$COUNCIL" \
	--period "$PERIOD" --stage "$STAGE" info scorecard exceptions | tee "$nocache" >&2
csperfd2_stop
say "serve: two csperfd, clients given both addresses..."
csperfd2_start
two=$BENCH_WORK/two.txt
one=$BENCH_WORK/one.txt
: >"$two"
: >"$one"
# Rounds of one csperfd and of both, interleaved, so that each is measured
# beside the other on a shared machine.
for round in 1 2; do
	"$LOADGEN" --server "127.0.0.1:$CSPERFD_PORT" \
		--connections "$CONNECTIONS" --duration "$SECONDS_PER_PHASE" --warmup 1 --rounds 1 \
		--council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" info scorecard |
		sed "s/round=1/round=$round/" | tee -a "$one" >&2
	"$LOADGEN" --server "127.0.0.1:$CSPERFD_PORT,127.0.0.1:$CSPERFD2_PORT" \
		--connections "$CONNECTIONS" --duration "$SECONDS_PER_PHASE" --warmup 1 --rounds 1 \
		--council "$COUNCIL" --period "$PERIOD" --stage "$STAGE" info scorecard |
		sed "s/round=1/round=$round/" | tee -a "$two" >&2
done
csperfd2_stop
csperfd_stop
cache_line=$(grep -o 'read cache [0-9]* hits.*' "$CSPERFD_LOG" | tail -n 1)

# ---- the figures ----
phase_table() {
	printf '| call | round | calls | calls/s | p50 ms | p90 ms | p99 ms | max ms | errors |\n'
	printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %s |\n", v["call"], v["round"], v["calls"],
			v["calls_per_s"], v["p50_ms"], v["p90_ms"], v["p99_ms"], v["max_ms"], v["errors"] }' "$1"
}
# The median over the rounds of a call's rate in a phase file.
median_rate() {
	awk -v call="$2" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["call"] == call) r[++n] = v["calls_per_s"] }
		END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
			if (n == 0) print 0; else if (n % 2) print r[(n + 1) / 2]; else print (r[n / 2] + r[n / 2 + 1]) / 2 }' "$1"
}
result=$BENCH_WORK/result.md
{
	[ -n "$WHATIF" ] && printf '**What-if run (%s): not csperf as it is.**\n\n' "$WHATIF"
	printf 'Run %s. Council of %s children over 5 years; GetScorecard of stage %s for %s (%s rows; %s for every stage);\n' \
		"$(machine_line)" "$CHILDREN" "$STAGE" "$PERIOD" "$rows" "$all_rows"
	printf 'csperfd with its defaults (4 database connections, 16 workers, 2 pollers, read cache 64 MB); %s clients of csperf-loadgen, each its own thread and channel (%s TCP connection(s) seen: gRPC core shares one connection between channels of the same target and arguments); %s s per phase after 1 s of warm-up, %s rounds.\n\n' \
		"$CONNECTIONS" "$tcp" "$SECONDS_PER_PHASE" "$ROUNDS"
	phase_table "$phases"
	printf '\n'
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		r = v["round"]; c = v["call"]; rate[c, r] = v["calls_per_s"]; p99[c, r] = v["p99_ms"]; errors[c] += v["errors"]
		if (r > rounds) rounds = r }
		END {
			n = 0
			for (r = 1; r <= rounds; r++) { ratio[++n] = rate["scorecard", r] / rate["info", r]; xr[n] = rate["exceptions", r] / rate["info", r] }
			# medians of the rounds
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) { if (ratio[j] < ratio[i]) { t = ratio[i]; ratio[i] = ratio[j]; ratio[j] = t } if (xr[j] < xr[i]) { t = xr[i]; xr[i] = xr[j]; xr[j] = t } }
			m = ratio[int((n + 1) / 2)]; mx = xr[int((n + 1) / 2)]
			worst = 0; for (r = 1; r <= rounds; r++) if (p99["scorecard", r] > worst) worst = p99["scorecard", r]
			worstx = 0; for (r = 1; r <= rounds; r++) if (p99["exceptions", r] > worstx) worstx = p99["exceptions", r]
			printf "**GetScorecard runs at %.0f%% of the bare-RPC rate** (median of the rounds; target: at least 25%%): %s.\n", 100 * m, (m >= 0.25 ? "met" : "missed")
			printf "**GetScorecard p99 %.2f ms** (worst round; target: under 5 ms): %s.\n", worst, (worst < 5 ? "met" : "missed")
			printf "**Errors: %d** (GetServerInfo %d, GetScorecard %d, GetExceptions %d; target: none): %s.\n", errors["info"] + errors["scorecard"] + errors["exceptions"], errors["info"], errors["scorecard"], errors["exceptions"], (errors["info"] + errors["scorecard"] + errors["exceptions"] == 0 ? "met" : "missed")
			printf "GetExceptions (every stage, judged) runs at %.0f%% of the bare-RPC rate, p99 %.2f ms at worst.\n", 100 * mx, worstx
			worstc = 0; for (r = 1; r <= rounds; r++) if (p99["costs", r] > worstc) worstc = p99["costs", r]
			n = 0; for (r = 1; r <= rounds; r++) cr[++n] = rate["costs", r] / rate["info", r]
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (cr[j] < cr[i]) { t = cr[i]; cr[i] = cr[j]; cr[j] = t }
			printf "GetPlacementCosts (by placement type; not cached) runs at %.0f%% of the bare-RPC rate, p99 %.2f ms at worst.\n", 100 * cr[int((n + 1) / 2)], worstc
		}' "$phases"
	printf '\nThe read cache of csperfd over the whole run (its log at exit): %s.\n' "${cache_line:-not logged}"
	printf '\n**Without the read cache** (a second csperfd, --read-cache-mb 0, alone on the same database, same run):\n\n'
	phase_table "$nocache"
	awk -v a="$(median_rate "$nocache" scorecard)" -v b="$(median_rate "$nocache" info)" -v c="$(median_rate "$phases" scorecard)" \
		'BEGIN { if (b > 0 && a > 0) printf "\nWithout it GetScorecard runs at %.0f%% of GetServerInfo; with it, %.1f times as many GetScorecard a second.\n", 100 * a / b, c / a }'
	printf '\n**Two csperfd** on the one database, each with its cache, the %s clients given both addresses (round robin); 2 rounds, each beside a round of the first csperfd alone:\n\n' "$CONNECTIONS"
	printf 'One csperfd:\n\n'
	phase_table "$one"
	printf '\nTwo csperfd:\n\n'
	phase_table "$two"
	awk -v i2="$(median_rate "$two" info)" -v s2="$(median_rate "$two" scorecard)" -v i1="$(median_rate "$one" info)" -v s1="$(median_rate "$one" scorecard)" \
		'BEGIN { if (i1 > 0 && s1 > 0) printf "\nTwo processes against one: GetServerInfo %.0f against %.0f calls/s (x%.2f), GetScorecard %.0f against %.0f (x%.2f), on %s cores shared with PostgreSQL and the load generator.\n", i2, i1, i2 / i1, s2, s1, s2 / s1, "'"$(nproc)"'" }'
	printf '\nThe audit trail holds %s calls of the run (%s not OK); csperf-loadgen counted %s outside warm-up.\n' \
		"$(echo "$audit_loadgen" | cut -d' ' -f1)" "$(echo "$audit_loadgen" | cut -d' ' -f2)" "$loadgen_calls"
	printf '\nh2load (%s connections, 1 stream each, as many calls as csperf-loadgen made in %s s), statuses from the audit trail:\n\n' "$CONNECTIONS" "$H2LOAD_SECONDS"
	printf '| call | calls/s | done | failed (HTTP/2) | mean ms | max ms | audited | grpc-status OK |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
	printf '| GetServerInfo | %s | %s | %s | %s | %s | %s | %s |\n' "$h2_info_rate" "$h2_info_done" "$h2_info_failed" "$h2_info_mean" "$h2_info_max" "$h2_info_audit" "$h2_info_ok"
	printf '| GetScorecard | %s | %s | %s | %s | %s | %s | %s |\n' "$h2_sc_rate" "$h2_sc_done" "$h2_sc_failed" "$h2_sc_mean" "$h2_sc_max" "$h2_sc_audit" "$h2_sc_ok"
	awk -v a="$h2_sc_rate" -v b="$h2_info_rate" 'BEGIN { if (b > 0) printf "\nh2load: GetScorecard at %.0f%% of GetServerInfo.\n", 100 * a / b }'
	printf '\nPeak RSS of csperfd (VmHWM): %s MB idle after the loads, %s MB after the serve phases and h2load.\n' "$hwm_idle" "$hwm_serve"
	printf '\nOne call seen from PostgreSQL (pg_stat_statements, 200 calls on one connection, after VACUUM): GetServerInfo runs %s statements (%s ms in the database); GetScorecard from the cache %s (%s ms); GetScorecard that the cache does not have (the csperfd without it) %s (%s ms).\n' \
		"$info_statements" "$info_db_ms" "$hit_statements" "$hit_db_ms" "$scorecard_statements" "$scorecard_db_ms"
	printf 'Right after the loads, before any vacuum (indicator_value: %s live, %s dead rows), one GetScorecard not from the cache spent **%s ms** in the database.\n\n' \
		"$(echo "$dead" | cut -d' ' -f1)" "$(echo "$dead" | cut -d' ' -f2)" "$fresh_db_ms"
	printf '| per GetScorecard not from the cache | ms each | statement |\n|---:|---:|---|\n'
	awk -F'|' '{ printf "| %s | %s | `%s` |\n", $1, $2, $3 }' "$BENCH_WORK/statements-scorecard.txt"
	printf '\n| per GetScorecard from the cache | ms each | statement |\n|---:|---:|---|\n'
	awk -F'|' '{ printf "| %s | %s | `%s` |\n", $1, $2, $3 }' "$BENCH_WORK/statements-hit.txt"
} >"$result"
cat "$result"
doc_update serve "$result"
