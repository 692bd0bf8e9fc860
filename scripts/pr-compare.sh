#!/usr/bin/env bash
# Compares this checkout (the head, uncommitted changes included) with a
# base commit on the same plan, for a pull request.
#
#   scripts/pr-compare.sh [-b BASE] [-n ROUNDS] [-o OUT] [-g GATES] [-- BENCH RUN FLAGS...]
#
#   -b BASE    the base revision (default: the merge base with origin/main,
#              or main, or HEAD~1)
#   -n ROUNDS  repetitions per side (default 5), made one at a time,
#              alternating base and head, so that drift on the machine hits
#              both sides alike
#   -o OUT     output folder (default results/pr-compare-<time>)
#   -g GATES   passed to bench compare -fail-on, e.g. 'p99>+10%,throughput<-5%'
#   flags after -- go to every `bench run` (default: the default matrix)
#
# Writes OUT/base/<run>/ and OUT/head/<run>/ (one run per round), then
# OUT/<time>-compare/ with compare.md, compare.json, compare.txt and charts.
# Exits as bench compare does: 1 when a gate fails.
set -euo pipefail
cd "$(dirname "$0")/.."

base="" rounds=5 out="" gates=""
while getopts "b:n:o:g:h" opt; do
  case $opt in
    b) base=$OPTARG ;;
    n) rounds=$OPTARG ;;
    o) out=$OPTARG ;;
    g) gates=$OPTARG ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]]; then
  echo "pr-compare: -n: $rounds is not a positive whole number" >&2; exit 2
fi

if [ -z "$base" ]; then
  for ref in origin/main main; do
    if git rev-parse -q --verify "$ref^{commit}" >/dev/null; then
      base=$(git merge-base HEAD "$ref"); break
    fi
  done
  if [ -z "$base" ] || [ "$base" = "$(git rev-parse HEAD)" ]; then base=$(git rev-parse HEAD~1); fi
fi
base=$(git rev-parse --verify "$base^{commit}") || { echo "pr-compare: -b: not a revision" >&2; exit 2; }
out=${out:-results/pr-compare-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out/base" "$out/head"

work=$(mktemp -d)
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
echo "pr-compare: base $(git rev-parse --short "$base"), head $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes')" >&2
(cd "$work/base" && go build -o "$work/bench-base" ./cmd/bench)
go build -o "$work/bench-head" ./cmd/bench

for i in $(seq 1 "$rounds"); do
  echo "pr-compare: round $i/$rounds" >&2
  "$work/bench-base" run "$@" -reps 1 -out "$out/base" -label "base-$i" >/dev/null
  "$work/bench-head" run "$@" -reps 1 -out "$out/head" -label "head-$i" >/dev/null
done

args=(compare -out "$out" -format markdown)
[ -n "$gates" ] && args+=(-fail-on "$gates")
"$work/bench-head" "${args[@]}" "$out/base" "$out/head"
