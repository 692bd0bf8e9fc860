#!/usr/bin/env bash
# Stores benchstat's verdicts on the synthetic runs as the fixture that
# compare_test.go checks concbench's verdicts against. Run from this folder
# after `go test -run TestWriteFixtures -update` in the package.
set -euo pipefail
cd "$(dirname "$0")"
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da base.txt head.txt > benchstat.txt
cat benchstat.txt
