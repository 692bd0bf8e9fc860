#!/usr/bin/env bash
# Does peak memory measure the strategy, not the harness? Runs the default
# matrix with -reps 1 and -reps 8, then in one process (-isolate=false)
# with the strategies in one order and in the reverse, and compares each
# cell's peak memory between the two (scripts/memcompare): within 10%, or
# within 64 KiB for small cells. About 4 minutes on 2 cores.
#   scripts/mem-reps.sh [extra bench flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/bench" ./cmd/bench
run() { "$out/bench" -out "$out/$1" "${@:2}" >/dev/null 2>&1 || true; ls "$out/$1"/*/results.json; }
status=0
echo "== -reps 1 against -reps 8"
go run ./scripts/memcompare "$(run reps1 -reps 1 "$@")" "$(run reps8 -reps 8 "$@")" || status=1
echo "== -isolate=false: strategies in order, then reversed"
go run ./scripts/memcompare "$(run fwd -isolate=false -strategies sequential,unbounded,pool,semaphore,offload "$@")" \
  "$(run rev -isolate=false -strategies offload,semaphore,pool,unbounded,sequential "$@")" || status=1
exit $status
