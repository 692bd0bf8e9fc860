#!/usr/bin/env bash
# Per-task overhead of each strategy on a no-op task, beside the bare Go
# construct it stands for, and the cost of recording one sample beside one
# time.Now call. All benchmarks run in one process, interleaved COUNT times
# (default 6); the script prints medians and ratios.
#
#   scripts/overhead.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-6}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

go test -run '^$' -bench '^(BenchmarkStrategy|BenchmarkBare|BenchmarkRecord)$' \
  -benchtime 300000x -count "$count" ./harness | tee "$out" | grep -E '^Benchmark' >&2 || true

awk -v count="$count" '
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
  n[name]++; v[name, n[name]] = $3
  for (i = 4; i <= NF; i++) if ($(i+1) == "allocs/op") allocs[name] = $i
}
function median(name,   k, i, j, t, a) {
  k = n[name]; for (i = 1; i <= k; i++) a[i] = v[name, i]
  for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function row(label, ours, bare) {
  printf "%-34s %9.1f ns  %-26s %9.1f ns  %5.2fx  %s allocs\n", label, median(ours), bare, median(bare), median(ours) / median(bare), allocs[ours]
}
END {
  printf "\nmedians of %d runs, per no-op task (ratio: concbench / bare)\n", count
  row("Strategy/sequential", "Strategy/sequential", "Bare/loop")
  row("Strategy/unbounded", "Strategy/unbounded", "Bare/goroutine+waitgroup")
  row("Strategy/offload", "Strategy/offload", "Bare/goroutine+waitgroup")
  row("Strategy/pool", "Strategy/pool", "Bare/channel-pool")
  row("Strategy/semaphore", "Strategy/semaphore", "Bare/errgroup.SetLimit")
  row("Strategy/semaphore", "Strategy/semaphore", "Bare/x-sync-semaphore")
  row("Record (start+end stamps)", "Record/recorder", "Record/time.Now")
}' "$out"
