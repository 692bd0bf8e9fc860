#!/usr/bin/env bash
# Measures the PR gate's false-positive rate on identical code (A/A): runs
# scripts/pr-compare.sh COUNT times with the base at HEAD, so base and head
# are the same code, and counts the comparisons whose gate fails.
#
#   scripts/aa.sh [-c COUNT] [-n ROUNDS] [-g GATES] [-- BENCH RUN FLAGS...]
#
#   -c COUNT   A/A comparisons (default 20)
#   -n ROUNDS  repetitions per side of each comparison (default 5)
#   -g GATES   the gate (default 'p99>+10%')
#   flags after -- go to every `bench run` (default: -workloads io,cpu -tasks 100)
#
# Prints one line per comparison and a closing line with the rate and
# whether it meets the goal of at most 1 gate failure in 20. Commit or
# stash changes first: uncommitted changes make the head differ.
set -euo pipefail
cd "$(dirname "$0")/.."

count=20 rounds=5 gates='p99>+10%'
while getopts "c:n:g:h" opt; do
  case $opt in
    c) count=$OPTARG ;;
    n) rounds=$OPTARG ;;
    g) gates=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ $# -eq 0 ] && set -- -workloads io,cpu -tasks 100
if ! [[ $count =~ ^[1-9][0-9]*$ ]]; then echo "aa: -c: $count is not a positive whole number" >&2; exit 2; fi
if ! git diff --quiet HEAD; then echo "aa: uncommitted changes: base and head would differ; commit or stash them" >&2; exit 2; fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0 flagged=0
for i in $(seq 1 "$count"); do
  status=0
  scripts/pr-compare.sh -b HEAD -n "$rounds" -g "$gates" -o "$out/$i" -- "$@" > "$out/$i.md" 2> "$out/$i.log" || status=$?
  json=$(ls "$out/$i"/*-compare/compare.json)
  rows=$(grep -c '"significant": true' "$json" || true)
  changed=$(grep -c '"changed": true' "$json" || true)
  case $status in
    0) verdict="passed" ;;
    1) verdict="FAILED"; failed=$((failed + 1)) ;;
    *) echo "aa: comparison $i could not run (exit $status):"; cat "$out/$i.log"; exit "$status" ;;
  esac
  [ "$rows" -gt 0 ] && flagged=$((flagged + 1))
  echo "A/A $i/$count: gate $verdict; rows significant uncorrected $rows, changed after correction $changed"
done
goal=$(( (count + 19) / 20 ))  # at most 1 in 20
met=met; [ "$failed" -gt "$goal" ] && met=missed
echo "A/A: $failed of $count comparisons failed the gate '$gates' (goal: at most 1 in 20): $met; $flagged of $count had a row significant before the correction"
