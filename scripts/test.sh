#!/usr/bin/env bash
# The project's test command, and CI's: gofmt check, go vet (beside the tests), and every
# package's tests with the race detector, the main module's and those of
# examples/custom (a user's module that imports concbench). Needs only Go; modules come from
# the module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt would change these files (run: gofmt -w .):"
  echo "$unformatted"
  exit 1
fi

# go vet runs beside the tests (it compiles while they mostly wait); its
# verdict is printed after theirs.
vetlog=$(mktemp)
trap 'rm -f "$vetlog"' EXIT
( go vet ./... && cd examples/custom && go vet ./... ) >"$vetlog" 2>&1 &
vet=$!

# Each package's summary line as go test prints it; failures in full; and,
# while a long package runs, each test over 10 s as it ends (progress).
# The end-to-end tests (cmd/bench) run beside cli's, in parallel packages.
# -timeout is twice the slowest package's time on a 2-core machine;
# -parallel 4 lets the end-to-end tests, which mostly wait, overlap.
go build -o "${TMPDIR:-/tmp}/concbench-testprogress" ./scripts/testprogress
progress="${TMPDIR:-/tmp}/concbench-testprogress"

echo "== go test -race"
go test -race -count=1 -timeout 10m -parallel 4 -json "$@" ./... | "$progress"

echo "== examples/custom: a separate module with its own workload and strategy"
(cd examples/custom && go test -race -count=1 -timeout 10m -parallel 4 -json "$@" ./... | "$progress")

echo "== go vet"
if ! wait "$vet"; then
  cat "$vetlog"
  exit 1
fi
echo "go vet: no problems"
