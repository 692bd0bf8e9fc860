#!/usr/bin/env bash
# Measures a sharded attack on loopback: N bench processes, each a shard of
# one open-loop attack, against one embedded target (bench serve), merged by
# bench merge; and, as the baseline in the same run, one process sending the
# whole rate. Everything goes to 127.0.0.1 and stops by itself.
#
#   scripts/shards.sh [SHARDS] [RATE-PER-SHARD] [DURATION]   (default 4 1000 10s)
#
# Prints the shards' counts and their sum beside the merged run's, the
# merged achieved rate as a share of the asked one (goal: within 5%), the
# merged p50/p99/max beside one process's, and how far apart the shards
# began.
set -euo pipefail
cd "$(dirname "$0")/.."
shards=${1:-4}
per=${2:-1000}
du=${3:-10s}
rate=$((shards * per))
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/bench" ./cmd/bench
"$work/bench" serve -latency 1ms -for 10m >"$work/serve.out" &
pids+=($!)
for _ in $(seq 50); do grep -q '^target:' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^target: //p' "$work/serve.out")

start=$(date -u -d "+$((3 + shards / 10)) seconds" +%Y-%m-%dT%H:%M:%SZ) # time to start every process
echo "shards: $shards processes x ${per}/s = ${rate}/s for $du against $url, from $start"
for i in $(seq 0 $((shards - 1))); do
  JOB_COMPLETION_INDEX=$i "$work/bench" attack -target "$url" -rate "${rate}/s" -duration "$du" -timeout 2s \
    -shards "$shards" -start-at "$start" -encode none -out "$work/shards" >"$work/shard$i.out" 2>&1 &
  pids+=($!)
done
wait "${pids[@]:1}"
/usr/bin/time -f "merge: %e s, peak RSS %M KiB" "$work/bench" merge -out "$work/merged" "$work"/shards/* >"$work/merge.out" 2>"$work/merge.err" || { cat "$work/merge.err"; exit 1; }
"$work/bench" attack -target "$url" -rate "${rate}/s" -duration "$du" -timeout 2s -encode none -out "$work/one" >"$work/one.out" 2>&1

python3 - "$work" "$rate" <<'PY'
import glob, json, os, sys
work, rate = sys.argv[1], float(sys.argv[2])
def rep(path): return json.load(open(glob.glob(path)[0]))["cells"][0]["repetitions"][0]
shards = [json.load(open(p)) for p in sorted(glob.glob(work + "/shards/*/results.json"))]
counts = [s["cells"][0]["repetitions"][0]["completed"] for s in shards]
merged, one = rep(work + "/merged/*/results.json"), rep(work + "/one/*/results.json")
began = sorted(s["cells"][0]["repetitions"][0]["began"] for s in shards)
shown = counts if len(counts) <= 8 else f"{len(counts)} shards of {min(counts)} to {max(counts)}"
print(f"shard counts {shown}: sum {sum(counts)}; merged {merged['completed']}: {'equal' if sum(counts) == merged['completed'] else 'DIFFER'}")
share = merged["throughput_per_s"] / rate
print(f"merged achieved {merged['throughput_per_s']:.0f}/s of {rate:.0f}/s asked: {share:.3f} ({'met' if abs(share - 1) <= 0.05 else 'missed'}, goal within 5%)")
print(f"one process     {one['throughput_per_s']:.0f}/s of {rate:.0f}/s asked: {one['throughput_per_s'] / rate:.3f}")
ms = lambda ns: f"{ns / 1e6:.3f}ms"
for q in ("p50_ns", "p99_ns", "max_ns"):
    print(f"response {q[:-3]:>4}: merged {ms(merged['response'][q])}, one process {ms(one['response'][q])}")
print(f"shards began: first {began[0]}, last {began[-1]}")
size = lambda pat: sum(os.path.getsize(p) for p in glob.glob(work + "/shards/*/" + pat)) / len(shards) / 1024
print(f"per shard: results.json {size('results.json'):.0f} KiB, interval logs {size('hdr-*.hlog'):.0f} KiB (what a bundle carries, before gzip)")
PY
grep -h '^merge:' "$work/merge.err"
grep -h '^warning' "$work/merge.err" || echo "merge: no warnings"
