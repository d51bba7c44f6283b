#!/usr/bin/env bash
# Installs the Debian 12 packages csperf needs to build, run and test, if any
# are missing. Needs root, or sudo. Used by demo.sh, test.sh and .ci/run.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgrpc-dev protobuf-c-compiler libprotobuf-c-dev protobuf-compiler
  libpq-dev postgresql
  libcmocka-dev libcsv-dev libjansson-dev libxml2-dev libssl-dev
  libmicrohttpd-dev
  python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "csperf: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "csperf: run as root, or install: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
