#!/usr/bin/env bash
# The reliability suite: reproduces the faults a long run meets (a full
# disk, SIGINT, SIGTERM and SIGKILL at set moments) and hostile targets
# (one that dies, hangs, sends huge or endless bodies or malformed HTTP),
# and for each compares what the run measured with what it kept. All
# traffic goes to 127.0.0.1; every run is bounded.
#
#   scripts/chaos.sh
#
# A full disk is a 2 MiB tmpfs; without the right to mount one (not root,
# or no CAP_SYS_ADMIN) those scenarios are skipped with a message.
# Prints one row a scenario, then "chaos: N of M scenarios lost nothing".
# Exits 1 when one lost something.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
mounts=()
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/bench" ./cmd/bench || exit 1
go build -o "$work/chaoskit" ./scripts/chaoskit || exit 1
B=$work/bench
K=$work/chaoskit
export TMPDIR=$work/tmp # where results a full disk refused are rescued
mkdir -p "$TMPDIR"
passed=0
total=0
printf '%-30s %-34s %-34s %s\n' scenario measured kept "lost nothing"

# row NAME MEASURED KEPT OK [NOTE]
row() {
  total=$((total + 1))
  local verdict=no
  if [ "$4" = yes ]; then verdict=yes; passed=$((passed + 1)); fi
  printf '%-30s %-34s %-34s %s%s\n' "$1" "$2" "$3" "$verdict" "${5:+ ($5)}"
}

# field NAME LINE: the number after NAME in a chaoskit count line.
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<<"$2"; }

# kept DIR...: chaoskit count of the fullest results.json among the run
# folders under DIR and the rescued ones.
kept() {
  local best="cells 0 reps 0 completed 0 warmup 0 complete false" f line
  for f in $(find "$@" "$TMPDIR/concbench-rescued" -name results.json 2>/dev/null); do
    line=$("$K" count "$f")
    if [ "$(field completed "$line")" -gt "$(field completed "$best")" ]; then best=$line; fi
  done
  echo "$best"
}

# sent OUTPUT: the attack table's "sent" figures ("http 100/s" is two
# fields, so sent is the fifth), summed.
sent() { awk '/achieved\/s/ {t = 1; next} t && $1 == "http" {s += $5} t && NF == 0 {t = 0} END {print s + 0}' "$1"; }

# fresh: forgets what an earlier scenario rescued.
fresh() { rm -rf "$TMPDIR/concbench-rescued"; }

# tmpfs DIR: a 2 MiB file system at DIR; false when it cannot be mounted.
tmpfs() {
  mkdir -p "$1"
  mount -t tmpfs -o size=2m tmpfs "$1" 2>/dev/null || return 1
  mounts+=("$1")
}

# fill DIR KIB: leaves about KIB free on DIR's file system.
fill() {
  local free
  free=$(df -k --output=avail "$1" | tail -1)
  dd if=/dev/zero of="$1/.filler$RANDOM" bs=1k count=$((free > $2 ? free - $2 : 0)) status=none 2>/dev/null
}

disk_full_run() {
  fresh
  local d=$work/full-run
  if ! tmpfs "$d"; then row "disk full, run" - - skip "cannot mount a tmpfs here"; passed=$((passed + 1)); return; fi
  fill "$d" 60
  "$B" -workloads io,cpu -strategies sequential,unbounded,pool -tasks 50 -reps 2 -warmup 0 -out "$d" >"$work/o" 2>"$work/e"
  local code=$? rows k
  rows=$(grep -cE '^ *(io|cpu) ' "$work/o")
  k=$(kept "$d")
  local ok=no
  [ "$code" = 1 ] && [ "$(field cells "$k")" = "$rows" ] && [ "$rows" = 6 ] && ok=yes
  row "disk full, run" "$rows cells in the table" "$(field cells "$k") cells" $ok "exit $code: $(tail -1 "$work/e" | cut -c1-60)..."
}

disk_full_attack() {
  fresh
  local d=$work/full-attack
  if ! tmpfs "$d"; then row "disk full, attack" - - skip "cannot mount a tmpfs here"; passed=$((passed + 1)); return; fi
  fill "$d" 400
  "$B" attack -rate 200/s -duration 6s -param http.latency=1ms -encode json -out "$d" >"$work/o" 2>"$work/e" &
  local pid=$!
  sleep 2.5
  fill "$d" 0
  wait $pid
  local code=$? s k ok=no
  s=$(sent "$work/o")
  k=$(kept "$d")
  [ "$s" -gt 0 ] && [ "$(field completed "$k")" = "$s" ] && ok=yes
  row "disk full, attack (at 2.5 s)" "$s sent" "$(field completed "$k") in results.json" $ok "exit $code"
}

# signal_run NAME SIGNAL AFTER WARMUP: io sequential, 20 ms a task, 500 a
# repetition; SIGNAL after AFTER seconds.
signal_run() {
  fresh
  local d=$work/sig-$RANDOM
  "$B" -workloads io -strategies sequential -param io.latency=20ms -tasks 500 -reps 3 -warmup "$4" -isolate=false -out "$d" >"$work/o" 2>"$work/e" &
  local pid=$!
  sleep "$3"
  kill "-$2" $pid
  wait $pid
  local code=$? k want ok=no
  k=$(kept "$d")
  want=$(awk -v s="$3" 'BEGIN {print int(s / 0.021)}')
  [ "$(field completed "$k")" -ge $((want * 7 / 10)) ] && [ "$(field warmup "$k")" = "$4" ] && ok=yes
  row "$1" "about $want tasks done" "$(field completed "$k") tasks, warm-up $(field warmup "$k")" $ok "exit $code"
}

sigkill_run() {
  fresh
  local d=$work/kill-run
  "$B" -workloads io -strategies unbounded,sequential -param io.latency=20ms -tasks 100 -reps 2 -warmup 0 -isolate=false -out "$d" >/dev/null 2>&1 &
  local pid=$!
  sleep 1.5 # unbounded's two repetitions take 50 ms; sequential's 4 s
  kill -KILL $pid
  wait $pid 2>/dev/null
  local k ok=no
  k=$(kept "$d")
  [ "$(field cells "$k")" = 1 ] && [ "$(field completed "$k")" = 200 ] && ok=yes
  row "SIGKILL, run (second cell)" "1 cell done, 200 tasks" "$(field cells "$k") cells, $(field completed "$k") tasks" $ok "the cell running is lost by design"
}

sigkill_attack() {
  fresh
  local d=$work/kill-attack
  "$B" attack -rate 100/s -duration 10s -param http.latency=1ms -out "$d" >/dev/null 2>&1 &
  local pid=$!
  sleep 3.5
  kill -KILL $pid
  wait $pid 2>/dev/null
  local k ok=no
  k=$(kept "$d")
  # checkpoints are once a second: all but the last second is kept
  [ "$(field completed "$k")" -ge 200 ] && ok=yes
  row "SIGKILL, attack (at 3.5 s)" "about 300 sent (100/s)" "$(field completed "$k") in the checkpoint" $ok "up to the last whole second"
}

sigint_attack() {
  fresh
  local d=$work/int-attack
  "$B" attack -rate 100/s -duration 6s -param http.latency=1ms -out "$d" >"$work/o" 2>&1 &
  local pid=$!
  sleep 1.5
  kill -INT $pid
  wait $pid
  local code=$? s k ok=no
  s=$(sent "$work/o")
  k=$(kept "$d")
  [ "$s" -gt 0 ] && [ "$(field completed "$k")" = "$s" ] && grep -q not-sent "$work/o" && ok=yes
  row "SIGINT, attack (at 1.5 s)" "$s sent" "$(field completed "$k") in results.json" $ok "exit $code; the rest not_sent"
}

# target_fault NAME SIGNAL: attack a bench serve that gets SIGNAL 1.5 s in.
target_fault() {
  fresh
  local d=$work/target-$RANDOM url
  "$B" serve -latency 1ms -for 30s >"$work/serve" 2>&1 &
  local spid=$!
  pids+=("$spid")
  sleep 0.5
  url=$(sed -n 's/^target: //p' "$work/serve")
  "$B" attack -target "$url" -rate 100/s -duration 4s -timeout 2s -out "$d" >"$work/o" 2>&1 &
  local pid=$!
  sleep 1.5
  kill "-$2" $spid
  wait $pid
  local code=$? s k ok=no
  kill -CONT $spid 2>/dev/null
  kill $spid 2>/dev/null
  wait $spid 2>/dev/null
  s=$(sent "$work/o")
  k=$(kept "$d")
  [ "$s" -gt 0 ] && [ "$(field completed "$k")" = "$s" ] && ok=yes
  row "$1" "$s sent" "$(field completed "$k") in results.json" $ok "exit $code"
}

# body NAME PATH CMD...: runs CMD against chaoskit's PATH under
# /usr/bin/time; peak RSS must stay under 100 MB.
body() {
  fresh
  local name=$1 path=$2 d=$work/body-$RANDOM
  shift 2
  /usr/bin/time -f %M -o "$work/rss" "$B" "$@" -target "$KURL$path" -out "$d" >"$work/o" 2>"$work/e"
  local code=$? rss k ok=no
  rss=$(($(tail -1 "$work/rss") / 1024))
  k=$(kept "$d")
  [ "$rss" -lt 100 ] && [ "$(field completed "$k")" -gt 0 ] && ok=yes
  row "$name" "peak RSS $rss MB" "$(field completed "$k") responses kept" $ok "exit $code"
}

malformed() {
  fresh
  local d=$work/malformed
  "$B" attack -target "$KURL/malformed" -rate 10/s -duration 1s -out "$d" >"$work/o" 2>"$work/e"
  local code=$? ok=no
  [ "$code" = 2 ] && [ "$(wc -l <"$work/e")" = 1 ] && [ ! -e "$d" ] && ok=yes
  row "malformed HTTP" "refused before sending" "nothing to keep" $ok "exit $code: $(cut -c1-50 "$work/e")"
}

disk_full_run
disk_full_attack
signal_run "SIGINT, run (mid-repetition)" INT 2 0
signal_run "SIGTERM, run (in warm-up)" TERM 2 1
sigkill_run
sigkill_attack
sigint_attack
target_fault "target dies (at 1.5 s)" KILL
target_fault "target hangs (at 1.5 s)" STOP

"$K" serve -for 5m >"$work/kit" 2>&1 &
pids+=("$!")
sleep 0.5
KURL=$(sed -n 's/^target: //p' "$work/kit")
body "1 GB body, attack" /size/1073741824 attack -rate 1/s -duration 2s -timeout 60s -encode none
body "endless body, attack" /endless attack -rate 2/s -duration 2s -timeout 3s -encode none
for client in fasthttp net/http; do
  body "1 GB body, run ($client)" /size/1073741824 -workloads http -strategies sequential -tasks 2 -reps 1 -warmup 0 -isolate=false -param http.client=$client -param http.timeout=60s
  body "endless body, run ($client)" /endless -workloads http -strategies sequential -tasks 2 -reps 1 -warmup 0 -isolate=false -param http.client=$client -param http.timeout=3s
done
malformed

echo
echo "chaos: $passed of $total scenarios lost nothing"
[ "$passed" = "$total" ]
