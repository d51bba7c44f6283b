#!/usr/bin/env bash
# The dashboard in a real browser: csperfd on its embedded PostgreSQL with a
# synthetic council, csperf-web in front of it, and check.js driving Debian's
# headless Chromium over the DevTools protocol (tests/web/check.js). Exit 77
# (skipped) with the reason when Node.js or Chromium is not installed.
# Screenshots are kept in the build directory (OUT).
set -euo pipefail
csperfd=$1 csperf=$2 gen=$3 web=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}

command -v node >/dev/null || { echo "SKIP: Node.js is not installed (apt-get install nodejs)"; exit 77; }
[ -x "$chromium" ] || { echo "SKIP: $chromium is not installed (apt-get install chromium)"; exit 77; }
command -v psql >/dev/null || { echo "SKIP: psql is not installed"; exit 77; }
mkdir -p "$out"

tmp=$(mktemp -d /tmp/csperf-web-XXXXXX)
chmod 755 "$tmp"
pid= web_pid=
cleanup() {
  for p in $web_pid $pid; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill -KILL "$p"; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

council=965 period=r12:2022-06   # twelve months the first census reaches into and the second changes
(umask 077; "$csperfd" token create --role admin --name web-test --data-dir "$tmp/pgdata" \
  >"$tmp/token" 2>"$tmp/token.log") || { echo "csperfd token create failed:"; cat "$tmp/token.log"; exit 1; }
"$csperfd" --listen 127.0.0.1:0 --data-dir "$tmp/pgdata" --ready-file "$tmp/ready" \
  >"$tmp/csperfd.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ -s "$tmp/ready" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "csperfd exited:"; cat "$tmp/csperfd.log"; exit 1; }
  sleep 0.1
done
[ -s "$tmp/ready" ] || { echo "csperfd did not become ready"; cat "$tmp/csperfd.log"; exit 1; }
export CSPERF_SERVER=127.0.0.1:$(cat "$tmp/ready")
export CSPERF_TOKEN=$(cat "$tmp/token")

"$gen" --council "$council" --children 200 --years 2 --seed 7 --end-year 2023 --out "$tmp/gen" >/dev/null
"$csperf" load --council "$council" --format cin-xml "$tmp/gen/cin/2022.xml" >/dev/null

"$web" --listen 127.0.0.1:0 --server "$CSPERF_SERVER" --csperf "$csperf" \
  --ready-file "$tmp/web-ready" >"$tmp/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 1 100); do
  [ -s "$tmp/web-ready" ] && break
  kill -0 "$web_pid" 2>/dev/null || { echo "csperf-web exited:"; cat "$tmp/web.log"; exit 1; }
  sleep 0.1
done
[ -s "$tmp/web-ready" ] || { echo "csperf-web did not become ready"; cat "$tmp/web.log"; exit 1; }

# The embedded PostgreSQL's socket, to read the load's commit time.
socket=$(ls "$tmp"/pgdata/.s.PGSQL.* 2>/dev/null | grep -v lock | head -1 || true)
[ -n "$socket" ] || { echo "cannot find the embedded PostgreSQL's socket"; exit 1; }

status=0
WEB_URL=http://127.0.0.1:$(cat "$tmp/web-ready") TOKEN=$CSPERF_TOKEN COUNCIL=$council PERIOD=$period \
  CSPERF=$csperf LOAD_FILE=$tmp/gen/cin/2023.xml OUT_DIR=$out CHROME_PROFILE=$tmp/chrome \
  CHROMIUM=$chromium PG_HOST=$(dirname "$socket") PG_PORT=${socket##*.} \
  timeout 300 node "$here/check.js" || status=$?
if grep -q "$CSPERF_TOKEN" "$tmp/web.log" "$tmp/csperfd.log"; then
  echo "FAIL: the token appears in a log"; status=1
fi
[ "$status" -eq 0 ] || { echo "csperf-web log:"; tail -20 "$tmp/web.log"; exit "$status"; }

kill -TERM "$web_pid"
wait "$web_pid" || { echo "csperf-web did not stop cleanly"; exit 1; }
web_pid=
kill -TERM "$pid"
wait "$pid" || { echo "csperfd did not stop cleanly"; cat "$tmp/csperfd.log"; exit 1; }
pid=
echo "web: browser checks passed"
