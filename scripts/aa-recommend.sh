#!/usr/bin/env bash
# Is the recommendation stable? Runs the default matrix N times (default
# 20) on identical code and counts, per workload, the runs whose
# recommendation names the most common strategy (or a tie that includes
# it) with a limit within one step (a factor of 2) of the most common.
# The goal: at least 18 of 20. Each run takes about 40 s on 2 cores.
#   scripts/aa-recommend.sh [N] [extra bench flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/bench" ./cmd/bench
for i in $(seq 1 "$n"); do
  "$out/bench" -out "$out/runs" -label "aa$i" "$@" >/dev/null 2>&1 || true
  echo "run $i of $n done" >&2
done
go run ./scripts/aacount "$out"/runs/*/results.json
