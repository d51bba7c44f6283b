#!/usr/bin/env bash
# Runs check.js, an independent gRPC client (@grpc/grpc-js + @grpc/proto-loader
# from the npm registry, loading our .proto files), and reflection.js (the
# same packages, with no .proto file: only what server reflection gives),
# against a real csperfd on its embedded PostgreSQL. Exit 77 (skipped) with the reason when Node.js or
# the npm packages cannot be had; under CI (CI=true), where .ci/run installs
# them, that fails instead.
set -euo pipefail
csperfd=$1 proto_dir=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
skip=77
[ "${CI:-}" = true ] && skip=1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: Node.js and npm are not installed (apt-get install nodejs npm)"; exit $skip
fi
mkdir -p "$work"
if [ ! -d "$work/node_modules/@grpc/grpc-js" ] || [ ! -d "$work/node_modules/@grpc/proto-loader" ] ||
   [ ! -d "$work/node_modules/protobufjs" ]; then
  if ! (cd "$work" && timeout $((300 * ${CSPERF_TEST_TIME_SCALE:-4})) npm install --no-save --no-package-lock --no-audit --no-fund \
        --loglevel=error @grpc/grpc-js@^1.14 @grpc/proto-loader@^0.8 protobufjs@^7 >npm.log 2>&1); then
    echo "SKIP: could not install @grpc/grpc-js from the npm registry:"; tail -5 "$work/npm.log"; exit $skip
  fi
fi

tmp=$(mktemp -d /tmp/csperf-interop-XXXXXX)
chmod 755 "$tmp"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The first admin token, made on the server's machine as an operator would.
(umask 077; "$csperfd" token create --role admin --name interop --data-dir "$tmp/pgdata" \
  >"$tmp/token" 2>"$tmp/token.log") || { echo "csperfd token create failed:"; cat "$tmp/token.log"; exit 1; }

"$csperfd" --listen 127.0.0.1:0 --data-dir "$tmp/pgdata" --ready-file "$tmp/ready" \
  >"$tmp/csperfd.log" 2>&1 &
pid=$!
# 60 s, times CSPERF_TEST_TIME_SCALE (default 4) on a busy machine.
for _ in $(seq 1 $((600 * ${CSPERF_TEST_TIME_SCALE:-4}))); do
  [ -s "$tmp/ready" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "csperfd exited:"; cat "$tmp/csperfd.log"; exit 1; }
  sleep 0.1
done
[ -s "$tmp/ready" ] || { echo "csperfd did not become ready"; cat "$tmp/csperfd.log"; exit 1; }
port=$(cat "$tmp/ready")

CSPERF_TOKEN=$(cat "$tmp/token") NODE_PATH="$work/node_modules" \
  node "$here/check.js" "127.0.0.1:$port" "$proto_dir"
# gRPC server reflection, with the descriptors csperfd gives and nothing else.
CSPERF_TOKEN=$(cat "$tmp/token") NODE_PATH="$work/node_modules" \
  node "$here/reflection.js" "127.0.0.1:$port"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 0 ] || { echo "csperfd exited $status after SIGTERM"; cat "$tmp/csperfd.log"; exit 1; }
if pgrep -f "postgres -D $tmp/pgdata" >/dev/null; then
  echo "PostgreSQL outlived csperfd"; exit 1
fi
echo "interop: grpc-js checks passed; csperfd stopped cleanly"
