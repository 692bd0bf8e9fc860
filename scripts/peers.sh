#!/usr/bin/env bash
# Measures concbench's HTTP load beside its peers, in one run, alternating:
# wrk and hey (Debian packages, installed when missing) and vegeta (go.mod's
# tool directive: `go tool vegeta`, built at the version go.mod pins), all
# against one embedded target on 127.0.0.1. Each goal is marked met or
# missed.
#
#   scripts/peers.sh [ROUNDS]     (default 3; each round is about a minute)
#   BENCH=/path/to/bench scripts/peers.sh   measures that build instead (an
#                                           older one, for before and after)
#
# Prints each throughput and the ratios the goals are stated in:
#   zero-latency target, 50 in flight: concbench >= 1.0x hey, >= 0.7x wrk
#   10 ms target, 50 in flight: concbench >= 95% of Little's bound, 50 / the
#   target's service time (5000/s were the target's timer exact; Go's
#   timers overshoot a 10 ms sleep by up to a millisecond, for every client)
#   open loop at 2x the target's capacity: achieved >= 0.9x the closed-loop
#   maximum, with late and dropped requests reported
#
# Then the open-loop section (PEERS=open runs it alone), against one
# zero-latency target, alternating each round: concbench attack, wrk2 and
# vegeta attack at 10,000/s and 20,000/s; the highest rate concbench holds
# with under 1% of its requests late (steps of 2,500/s from 2,500/s, each
# held in two of three 3 s tries); wrk2 -R 40000's achieved rate (and, once,
# over 20 s); CPU time a request at 5,000/s. wrk2 is in
# no package registry: build it from https://github.com/giltene/wrk2 and
# pass its binary as WRK2=/path/to/wrk (without it, the goals are stated
# against the target's own service p99). Goals:
#   p99 at 10,000/s <= 1.5x wrk2's (without wrk2: 1.5x service p99 + 1 ms)
#   highest rate held with < 1% late >= 0.9x wrk2's achieved at -R 40000
#   p99 below vegeta's at every rate
#   CPU a request at 5,000/s <= 1.5x wrk2's
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
conc=50
secs=5
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

need() {
  command -v "$1" >/dev/null && return
  echo "peers: installing $1 (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }
  else sudo apt-get install -y -qq "$1" >/dev/null; fi
}
section=${PEERS:-all}
need wrk
need hey
go build -o "$work/vegeta" github.com/tsenart/vegeta/v12 # go.mod's tool: what `go tool vegeta` runs
bench=${BENCH:-}
if [ -z "$bench" ]; then go build -o "$work/bench" ./cmd/bench; bench=$work/bench; fi

# start_target VAR LATENCY CAPACITY: starts a target (for 30 minutes at most)
# and sets VAR to its URL.
start_target() {
  "$bench" serve -latency "$2" -capacity "$3" -for 30m > "$work/serve.$1" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    url=$(sed -n 's/^target: //p' "$work/serve.$1")
    [ -n "$url" ] && { printf -v "$1" '%s' "$url"; return; }
    sleep 0.1
  done
  echo "peers: the target did not start" >&2; exit 1
}

# csvcol RUNDIR COLUMN: the median of a results.csv column over repetitions.
csvcol() {
  awk -F, -v name="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==name) c=i; next} {print $c}' "$1/results.csv" | sort -g |
    awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}
rundir() { sed -n 's/^results: //p'; }

concbench() { # URL TASKS: closed loop, pool of $conc; sets service_ms too
  local dir; dir=$("$bench" run -workloads http -target "$1" -strategies pool -limits $conc -tasks "$2" -reps 1 -warmup 1 -out "$work/runs" | rundir)
  csvcol "$dir" throughput_per_s
  csvcol "$dir" service_p50_ns > "$work/service"
}
hey_rps() { hey -z ${secs}s -c $conc "$1" | awk '/Requests\/sec/{print $2}'; }
wrk_rps() { wrk -t2 -c$conc -d${secs}s "$1" | awk '/Requests\/sec/{print $2}'; }
vegeta_rps() { # closed loop: unlimited rate, $conc workers
  echo "GET $1" | "$work/vegeta" attack -rate=0 -max-workers=$conc -workers=$conc -duration=${secs}s |
    "$work/vegeta" report -type=json | sed 's/.*"throughput":\([0-9.]*\).*/\1/'
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{printf "%.0f\n", (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
# verdict VALUE GOAL: "met" when VALUE >= GOAL, else "missed".
verdict() { awk -v v="$1" -v g="$2" 'BEGIN{print (v >= g) ? "met" : "missed"}'; }

open_loop() { . scripts/peers-open.sh; }

start_target fast 0s 0
if [ "$section" = open ]; then open_loop; exit; fi
start_target slow 10ms 0
start_target capped 10ms $conc
declare -a cb h w v cb10 h10 w10 svc
for r in $(seq "$rounds"); do
  echo "peers: round $r/$rounds" >&2
  cb+=("$(concbench "$fast" 150000)")
  h+=("$(hey_rps "$fast")")
  w+=("$(wrk_rps "$fast")")
  v+=("$(vegeta_rps "$fast")")
  cb10+=("$(concbench "$slow" 25000)")
  svc+=("$(cat "$work/service")")
  h10+=("$(hey_rps "$slow")")
  w10+=("$(wrk_rps "$slow")")
done
cbm=$(median "${cb[@]}") hm=$(median "${h[@]}") wm=$(median "${w[@]}") vm=$(median "${v[@]}")
cb10m=$(median "${cb10[@]}") h10m=$(median "${h10[@]}") w10m=$(median "${w10[@]}") svcm=$(median "${svc[@]}")
measured_bound=$(awk -v s="$svcm" -v c=$conc 'BEGIN{printf "%.0f", c / (s / 1e9)}')

# Open loop at twice the capacity of a 10 ms target capped at $conc in flight.
odir=$("$bench" attack -target "$capped" -rate 10000/s -duration ${secs}s -max-workers $conc -encode none -out "$work/runs" | rundir)
achieved=$(median "$(csvcol "$odir" throughput_per_s)") late=$(csvcol "$odir" late) dropped=$(csvcol "$odir" dropped)
closed=$(median "$(concbench "$capped" 25000)")

cat <<REPORT

requests per second, medians of $rounds alternating rounds, $conc in flight, ${secs}s each, GOMAXPROCS $(nproc)
zero-latency target ($fast)
  concbench (pool $conc)   $cbm   (rounds: ${cb[*]})
  hey -c $conc             $hm   (rounds: ${h[*]})
  wrk -t2 -c $conc         $wm   (rounds: ${w[*]})
  vegeta, $conc workers     $vm   (rounds: ${v[*]})
  concbench / hey    $(ratio "$cbm" "$hm")x   (goal >= 1.0: $(verdict "$(ratio "$cbm" "$hm")" 1.0))
  concbench / wrk    $(ratio "$cbm" "$wm")x   (goal >= 0.7: $(verdict "$(ratio "$cbm" "$wm")" 0.7))
  concbench / vegeta $(ratio "$cbm" "$vm")x
10 ms target, $conc in flight: Little's bound $conc / service time
  the target's measured service time is $(awk -v s="$svcm" 'BEGIN{printf "%.2f", s/1e6}') ms (10 ms asked: Go's timers overshoot), so the bound is $measured_bound/s
  concbench          $cb10m = $(awk -v a="$cb10m" -v b="$measured_bound" 'BEGIN{printf "%.1f", 100*a/b}')% of the bound   (goal >= 95%: $(verdict "$(awk -v a="$cb10m" -v b="$measured_bound" 'BEGIN{print 100*a/b}')" 95))
  hey -c $conc, wrk -c $conc on the same target: $h10m and $w10m; with an exact 10 ms the bound would be $((conc * 100))/s: concbench $(awk -v a="$cb10m" -v b=$((conc * 100)) 'BEGIN{printf "%.1f", 100*a/b}')% of it
open loop at 10000/s, twice the capacity of a 10 ms target capped at $conc in flight
  achieved $achieved/s against a closed-loop maximum of $closed/s: $(ratio "$achieved" "$closed")x   (goal >= 0.9: $(verdict "$(ratio "$achieved" "$closed")" 0.9))
  late $late, dropped $dropped (of $((10000 * secs)) scheduled)
REPORT
open_loop
