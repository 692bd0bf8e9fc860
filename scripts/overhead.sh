#!/usr/bin/env bash
# Per-task overhead of each strategy on a no-op task, beside the bare Go
# construct it stands for, and the cost of recording one sample beside one
# time.Now call (Record). Each pair runs back to back, COUNT times (default
# 6), in a process of its own; the script prints medians and ratios.
#
#   scripts/overhead.sh [COUNT]
#
# Goals (marked met or missed): unbounded <= 1.2x goroutine+WaitGroup,
# semaphore <= 1.2x errgroup.SetLimit, pool and queue <= 1.2x a bare
# channel-fed pool, and each pool library's adapter (ants, pond, conc,
# workerpool) <= 1.2x the library used directly, a closure over the task
# submitted and waited for (harness/strategy/pools).
#
# A process a pair: in one process for all, a pair ran in whatever state
# the pairs before it left the runtime in (unbounded and semaphore start
# 300,000 goroutines each), and the same bare channel-fed pool read 72 ns
# beside pool and 62-63 ns beside queue, five pairs later, in one run. A process still draws its own luck on a shared VM (pond's pair
# swings most), so compare runs, not one.
#
# The pairs run on one processor (CPUS=1, go test -cpu 1) unless CPUS says
# otherwise: on two, a hand-off between goroutines on different
# processors costs a futex wake-up that on a shared VM swings the same
# bare pool from 98 to 407 ns a task between runs, and the ratio then
# says which runs were lucky, not what a strategy's bookkeeping costs.
#
#   CPUS=2 scripts/overhead.sh 6    # the same pairs on two processors
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-6}
cpus=${CPUS:-1}
work=$(mktemp -d)
out=$work/out
trap 'rm -rf "$work"' EXIT

# Each package's test binary, built once; one quick pass lists its pairs
# (sub-benchmark names), then each pair runs COUNT times in a fresh process.
for pkg in ./harness ./harness/strategy ./harness/strategy/pools; do
  bin=$work/$(basename "$pkg").test
  go test -c -o "$bin" "$pkg"
  (cd "$pkg" && "$bin" -test.run '^$' -test.bench '^(BenchmarkOverhead|BenchmarkRecord)$' -test.benchtime 1x -test.cpu "$cpus") |
    sed -n 's/^Benchmark\([^ ]*\)\/\(concbench\|bare\)\(-[0-9]*\)\{0,1\} .*/\1/p' | awk '!seen[$0]++' |
    while read -r pair; do
      pattern=$(printf '%s' "^Benchmark$pair" | sed 's/[.+]/\\&/g; s#/#$/^#g')'$'
      (cd "$pkg" && "$bin" -test.run '^$' -test.bench "$pattern" -test.benchtime 300000x -test.count "$count" -test.cpu "$cpus" -test.benchmem) |
        tee -a "$out" | grep -E '^Benchmark' >&2 || true
    done
done

awk -v count="$count" -v cpus="$cpus" '
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
  n[name]++; v[name, n[name]] = $3
  for (i = 4; i <= NF; i++) if ($(i+1) == "allocs/op") allocs[name] = $i
  pair = name; sub(/\/(concbench|bare)$/, "", pair)
  if (!(pair in seen)) { seen[pair] = 1; order[++pairs] = pair }
}
function median(name,   k, i, j, t, a) {
  k = n[name]; for (i = 1; i <= k; i++) a[i] = v[name, i]
  for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
END {
  printf "\nmedians of %d interleaved runs on %d processor(s), per no-op task\n", count, cpus
  printf "%-46s %12s %12s %7s %s\n", "pair", "concbench", "bare", "ratio", "allocs (concbench/bare)"
  for (i = 1; i <= pairs; i++) {
    p = order[i]; c = median(p "/concbench"); b = median(p "/bare")
    printf "%-46s %9.1f ns %9.1f ns %6.2fx %s/%s\n", p, c, b, c / b, allocs[p "/concbench"], allocs[p "/bare"]
    ratio[p] = c / b
  }
  printf "\ngoals\n"
  ngoals = split("Overhead/unbounded-vs-goroutine+waitgroup Overhead/semaphore-vs-errgroup.SetLimit Overhead/pool-vs-channel-pool Overhead/queue-vs-channel-pool Overhead/ants-vs-ants.Submit Overhead/pond-vs-pond.Go Overhead/conc-vs-conc.Go Overhead/workerpool-vs-workerpool.Submit", goals, " ")
  for (i = 1; i <= ngoals; i++) {
    g = goals[i]
    printf "  %-44s %6.2fx   (goal <= 1.2: %s)\n", g, ratio[g], (ratio[g] <= 1.2) ? "met" : "missed"
  }
}' "$out"
