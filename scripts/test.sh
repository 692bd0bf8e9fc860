#!/usr/bin/env bash
# The project's test command, and CI's: gofmt check, go vet, then every
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

# go vet with -race: the packages it compiles are the ones go test -race
# then reuses (without it, a cold clone compiles every package twice).
echo "== go vet"
go vet -race ./...
(cd examples/custom && go vet -race ./...)

# Each package's summary line as go test prints it; failures in full; and,
# while a long package runs, each test over 10 s as it ends (progress).
# The end-to-end tests (cmd/bench) run beside cli's, in parallel packages.
# -timeout is twice the slowest package's time on a 2-core machine.
go build -o "${TMPDIR:-/tmp}/concbench-testprogress" ./scripts/testprogress
progress="${TMPDIR:-/tmp}/concbench-testprogress"

echo "== go test -race"
go test -race -count=1 -timeout 10m -json "$@" ./... | "$progress"

echo "== examples/custom: a separate module with its own workload and strategy"
(cd examples/custom && go test -race -count=1 -timeout 10m -json "$@" ./... | "$progress")
