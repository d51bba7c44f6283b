#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine: installs what is missing,
# builds, starts csperfd on its own embedded PostgreSQL (data in ./var/), and
# shows it answering. csperfd keeps running afterwards:
#   scripts/demo.sh        set up, start (or reuse) csperfd, show it working
#   scripts/demo.sh stop   stop csperfd (and its PostgreSQL)
# The first time, it makes an admin token (var/admin.token, readable by you
# only) with `csperfd token create`, which talks to the database directly and
# so runs while csperfd is stopped; the calls below use it as CSPERF_TOKEN.
set -euo pipefail
cd "$(dirname "$0")/.."
var=$PWD/var
pidfile=$var/csperfd.pid
token_file=$var/admin.token

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

stop_csperfd() {
  if running; then
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    echo "csperfd stopped"
  else
    echo "csperfd is not running"
  fi
  rm -f "$pidfile" "$var/csperfd.port"
}

if [ "${1:-}" = "stop" ]; then
  stop_csperfd
  exit 0
fi

scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mkdir -p "$var"

# A token lives in the database: one left from a removed database is stale.
[ -d "$var/pgdata" ] || rm -f "$token_file"
if [ ! -s "$token_file" ]; then
  if running; then stop_csperfd >/dev/null; fi
  rm -f "$token_file.new"
  if ! (umask 077; build/server/csperfd token create --role admin --name demo-admin \
          --data-dir "$var/pgdata" >"$token_file.new" 2>>"$var/csperfd.log"); then
    echo "csperfd could not make the admin token; the end of $var/csperfd.log says:" >&2
    tail -5 "$var/csperfd.log" >&2
    exit 1
  fi
  mv "$token_file.new" "$token_file"
  echo "admin token made: $token_file (readable by you only)"
fi

if ! running; then
  rm -f "$var/csperfd.port"
  nohup build/server/csperfd --listen 127.0.0.1:50051 --data-dir "$var/pgdata" \
    --ready-file "$var/csperfd.port" >>"$var/csperfd.log" 2>&1 &
  echo $! >"$pidfile"
  # Up to 5 minutes: the first start migrates the schema, slowly on a busy machine.
  for _ in $(seq 1 3000); do
    [ -s "$var/csperfd.port" ] && break
    if ! running; then
      echo "csperfd did not start; the end of $var/csperfd.log says:" >&2
      tail -5 "$var/csperfd.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "csperfd started (pid $(cat "$pidfile"), log $var/csperfd.log)"
else
  echo "csperfd already running (pid $(cat "$pidfile"))"
fi

export CSPERF_SERVER=127.0.0.1:50051
CSPERF_TOKEN=$(cat "$token_file")
export CSPERF_TOKEN
echo
echo "\$ csperf info"
build/client/csperf info

# Sample data: a synthetic council (no real child), generated once from a
# seed, loaded once (the same files again store nothing more).
sample=$var/sample
council=900
# Made again when the record schema has changed since (its files would not load).
schema=$(sed -n 's/^#define CSPERF_RECORD_SCHEMA_VERSION \([0-9]*\)$/\1/p' include/csperf/records.h)
if [ ! -s "$sample/manifest.json" ] ||
   ! grep -q "\"record_schema_version\": $schema," "$sample/manifest.json"; then
  rm -rf "$sample"
  build/client/gen/csperf-gen --council "$council" --children 3000 --years 4 --seed 1 \
    --end-year 2024 --out "$sample" >/dev/null
fi
build/client/csperf council put --council "$council" --name "Sample Council" \
  --nation england --region "Sample Region" >/dev/null
echo
echo "Loading sample data for council $council (CIN census, SSDA903, csperf CSV)..."
for year in 2021 2022 2023 2024; do
  build/client/csperf load --council "$council" --format cin-xml "$sample/cin/$year.xml" \
    2>/dev/null | head -1
  build/client/csperf load --council "$council" --format ssda903 "$sample/ssda903/$year" \
    2>/dev/null | head -1
done
build/client/csperf load --council "$council" --format csv "$sample/csv" 2>/dev/null | head -1

echo
echo "\$ csperf scorecard --council $council --period 2023-24"
build/client/csperf scorecard --council "$council" --period 2023-24
echo
echo "\$ csperf exceptions --council $council --period 2023-24:Q4"
build/client/csperf exceptions --council "$council" --period 2023-24:Q4
build/client/csperf report --council "$council" --period 2023-24:Q4 --out "$var/report.html" &&
  echo && echo "A committee report, to open in a browser or print: $var/report.html"
echo
echo "csperfd is serving on $CSPERF_SERVER. Calls need the admin token:"
echo "  export CSPERF_SERVER=$CSPERF_SERVER CSPERF_TOKEN=\$(cat $token_file)"
echo "Try: build/client/csperf --help"
echo "Stop it with: scripts/demo.sh stop"
