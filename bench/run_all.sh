#!/usr/bin/env bash
# bench/run_all.sh: every benchmark of issue 9, one after the other (about
# 30 minutes on two shared cores), each writing its figures into
# docs/PERFORMANCE.md. Run one at a time: they compete for the same cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for bench in callgrind serve serve_audit compute load; do
	echo "=== bench/$bench.sh ==="
	"$here/$bench.sh"
done
