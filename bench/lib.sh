# bench/lib.sh: what the benchmarks share. Sourced by bench/*.sh (bash).
#
# Each benchmark runs on its own throwaway PostgreSQL 15 cluster, started with
# PostgreSQL's default settings (fsync and synchronous_commit on, as a council
# would run it; only the socket is private), and its own csperfd on
# 127.0.0.1:<ephemeral port> against it (--dsn). Everything lives in one work
# folder, removed at exit (BENCH_KEEP=1 keeps it).
#
# Environment:
#   BENCH_BUILD  the build folder (default: build-bench next to bench/)
#   BENCH_TMP    where the work folder goes (default: /tmp)
#   BENCH_KEEP   1: keep the work folder
#   BENCH_NO_DOC 1: print figures only, leave docs/PERFORMANCE.md alone
#   BENCH_PG_OPTS more PostgreSQL settings, e.g. "-c synchronous_commit=off"
#                (a run with them says so, and leaves docs/PERFORMANCE.md alone)
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_ROOT/build-bench}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
CSPERFD=$BENCH_BUILD/server/csperfd
CSPERF=$BENCH_BUILD/client/csperf
CSPERF_GEN=$BENCH_BUILD/client/gen/csperf-gen
LOADGEN=$BENCH_BUILD/bench/csperf-loadgen
RECOMPUTE=$BENCH_BUILD/bench/csperf-recompute
READ_HARNESS=$BENCH_BUILD/bench/csperf-read-harness
PERF_DOC=$BENCH_ROOT/docs/PERFORMANCE.md

BENCH_WORK=""
PG_DIR=""
PG_DSN=""
CSPERFD_PID=""
CSPERFD_LOG=""
CSPERFD_PORT=""

say() { printf '%s\n' "$*" >&2; }
die() { say "$(basename "$0"): $*"; exit 1; }

bench_require() {
	for program in "$CSPERFD" "$CSPERF" "$CSPERF_GEN" "$@"; do
		[ -x "$program" ] || die "$program is missing: build first:
  cmake -S $BENCH_ROOT -B $BENCH_BUILD -DCMAKE_BUILD_TYPE=Release && cmake --build $BENCH_BUILD -j2"
	done
	[ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is missing ($PG_BIN): apt-get install postgresql"
	[ -x "$PG_BIN/psql" ] || die "psql is missing ($PG_BIN): apt-get install postgresql"
	[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"
}

bench_cleanup() {
	local rc=$?
	set +e
	csperfd_stop
	pg_stop
	if [ -n "$BENCH_WORK" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
		rm -rf "$BENCH_WORK"
	elif [ -n "$BENCH_WORK" ]; then
		say "work folder kept: $BENCH_WORK"
	fi
	exit $rc
}

# Makes the work folder (readable by the postgres user) and sets the trap.
bench_init() {
	local name=$1
	BENCH_WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/csperf-bench-$name.XXXXXX")
	chmod 755 "$BENCH_WORK"
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

# Runs a command as the postgres user when we are root (initdb refuses root).
as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# A fresh cluster with PostgreSQL's default settings, listening on a socket in
# the work folder only, and a database `csperf`.
pg_start() {
	PG_DIR=$BENCH_WORK/pg
	mkdir -p "$PG_DIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
	chmod 700 "$PG_DIR"
	as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 >"$BENCH_WORK/initdb.log" 2>&1 || die "initdb failed: $BENCH_WORK/initdb.log"
	as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgresql.log" -w -t 60 \
		-o "-k $PG_DIR -c listen_addresses= $* ${BENCH_PG_OPTS:-}" start >/dev/null || die "PostgreSQL did not start"
	PG_DSN="host=$PG_DIR port=5432 user=postgres dbname=csperf"
	"$PG_BIN/psql" "host=$PG_DIR port=5432 user=postgres dbname=postgres" -qAtc "CREATE DATABASE csperf" >/dev/null
}

pg_stop() {
	if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
}

# psql on the csperf database: one value or rows, unaligned, no header.
sql() { "$PG_BIN/psql" "$PG_DSN" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# Starts csperfd on an ephemeral loopback port against the cluster, with an
# admin token; exports CSPERF_SERVER and CSPERF_TOKEN. Extra arguments go to
# csperfd.
csperfd_start() {
	local ready=$BENCH_WORK/csperfd.port
	CSPERFD_LOG=$BENCH_WORK/csperfd.log
	if [ -z "${CSPERF_TOKEN:-}" ]; then
		CSPERF_TOKEN=$("$CSPERFD" token create --role admin --name bench --dsn "$PG_DSN" \
			2>>"$CSPERFD_LOG") || die "csperfd token create failed: $CSPERFD_LOG"
		export CSPERF_TOKEN
	fi
	csperfd_launch "$CSPERFD_LOG" "$ready" "$@"
	CSPERFD_PID=$LAUNCHED_PID
	CSPERFD_PORT=$LAUNCHED_PORT
	export CSPERF_SERVER=127.0.0.1:$CSPERFD_PORT
}

# Starts one csperfd against the cluster on an ephemeral loopback port and
# waits for it: csperfd_launch LOG READY_FILE [csperfd arguments]; sets
# LAUNCHED_PID and LAUNCHED_PORT.
csperfd_launch() {
	local log=$1 ready=$2 i
	shift 2
	rm -f "$ready"
	"$CSPERFD" --dsn "$PG_DSN" --listen 127.0.0.1:0 --ready-file "$ready" "$@" \
		>>"$log" 2>&1 &
	LAUNCHED_PID=$!
	for i in $(seq 1 600); do
		[ -s "$ready" ] && break
		kill -0 "$LAUNCHED_PID" 2>/dev/null || die "csperfd did not start: $log"
		sleep 0.1
	done
	[ -s "$ready" ] || die "csperfd did not start within 60 s: $log"
	LAUNCHED_PORT=$(cat "$ready")
}

csperfd_stop() {
	if [ -n "$CSPERFD_PID" ] && kill -0 "$CSPERFD_PID" 2>/dev/null; then
		kill -TERM "$CSPERFD_PID"
		wait "$CSPERFD_PID" 2>/dev/null || true
	fi
	CSPERFD_PID=""
}

# Peak resident memory of a process so far, in MB (VmHWM).
vm_hwm_mb() {
	awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Forgets a process's peak, so that the next VmHWM is this phase's.
vm_hwm_reset() {
	echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }

# CPU seconds the whole PostgreSQL cluster has used so far: the postmaster,
# its live children (backends, checkpointer, WAL writer...) and the children
# that have exited (counted in the postmaster's cutime and cstime once it has
# reaped them: a backend whose client just left may take a moment).
pg_cpu_seconds() {
	local postmaster pid total
	sleep 0.5
	postmaster=$(head -1 "$PG_DIR/data/postmaster.pid")
	total=$(awk '{ printf "%.2f", ($14 + $15 + $16 + $17) / 100 }' "/proc/$postmaster/stat")
	for pid in $(pgrep -P "$postmaster"); do
		total=$(awk -v t="$total" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$pid/stat" \
			2>/dev/null || echo "$total")
	done
	echo "$total"
}

# b - a, with one decimal.
minus() { awk -v a="$2" -v b="$1" 'BEGIN { printf "%.1f", b - a }'; }

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# Runs a command under /usr/bin/time -v; sets TIMED_SECONDS and TIMED_RSS_MB.
# The command's standard output goes to $1.
timed() {
	local out=$1 rc=0
	shift
	/usr/bin/time -v -o "$BENCH_WORK/time.txt" "$@" >"$out" 2>>"$BENCH_WORK/timed.err" || rc=$?
	TIMED_SECONDS=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, part, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + part[i]
		print s }' "$BENCH_WORK/time.txt")
	TIMED_RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' \
		"$BENCH_WORK/time.txt")
	return $rc
}

# Replaces the block between "<!-- bench:NAME -->" and "<!-- /bench:NAME -->"
# in docs/PERFORMANCE.md with the contents of a file.
doc_update() {
	local name=$1 file=$2 tmp
	if [ "${BENCH_NO_DOC:-0}" = 1 ] || [ -n "${BENCH_PG_OPTS:-}" ]; then
		return 0
	fi
	if ! grep -q "^<!-- bench:$name -->" "$PERF_DOC"; then
		say "docs/PERFORMANCE.md has no <!-- bench:$name --> block: not updated"
		return 0
	fi
	tmp=$(mktemp "$PERF_DOC.XXXXXX")
	awk -v name="$name" -v file="$file" '
		$0 == "<!-- bench:" name " -->" { print; while ((getline line < file) > 0) print line; skip = 1; next }
		$0 == "<!-- /bench:" name " -->" { skip = 0 }
		!skip { print }' "$PERF_DOC" >"$tmp"
	cat "$tmp" >"$PERF_DOC"
	rm -f "$tmp"
	say "docs/PERFORMANCE.md: bench:$name updated"
}

# The machine a run was made on, for the record.
machine_line() {
	printf '%s, %s cores, load average %s, csperf %s' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" \
		"$(cut -d' ' -f1-3 /proc/loadavg)" \
		"$(git -C "$BENCH_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
	if [ -n "${BENCH_PG_OPTS:-}" ]; then
		printf ', PostgreSQL %s' "$BENCH_PG_OPTS"
	fi
}
