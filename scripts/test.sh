#!/usr/bin/env bash
# The project's test command, and CI's: gofmt check, go vet, then every
# package's tests with the race detector, the main module's and those of
# examples/custom (a user's module that imports concbench). Needs Go (modules
# come from the module proxy); it installs what the browser tests need when
# missing: Debian's chromium and npm, and mermaid from npm (pinned), and
# Debian's prometheus for the remote-write test (the test starts it on
# loopback); and keeps the PNGs the browser tests take in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Mermaid charts of compare -format github are rendered as GitHub
# renders them: mermaid in headless Chromium.
mermaid_version=11.17.2
echo "== tools for the browser and Prometheus tests (chromium, mermaid $mermaid_version, prometheus)"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v npm >/dev/null || missing+=(npm)
command -v prometheus >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${missing[*]}: install Debian's packages (apt-get install ${missing[*]}), or run as root"
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mermaid_dir="${XDG_CACHE_HOME:-$HOME/.cache}/concbench/mermaid-$mermaid_version"
if [ ! -f "$mermaid_dir/node_modules/mermaid/dist/mermaid.min.js" ]; then
  mkdir -p "$mermaid_dir"
  npm install --prefix "$mermaid_dir" --silent --no-audit --no-fund --no-save "mermaid@$mermaid_version" >/dev/null
fi
export CONCBENCH_CHROMIUM="$(command -v chromium)"
export CONCBENCH_MERMAID="$mermaid_dir/node_modules/mermaid/dist/mermaid.min.js"
export CONCBENCH_PROMETHEUS="$(command -v prometheus)"
export CONCBENCH_ARTIFACTS="$PWD/artifacts"

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
# A program embedding cli.Main may leave bench k8s, and Kubernetes, out.
go vet -tags nok8s ./cli
if go list -deps -tags nok8s ./cli | grep -q '^k8s.io/'; then
  echo "test.sh: cli built with -tags nok8s still imports k8s.io" >&2; exit 1
fi
# The leaves stay leaves: the HTTP client and the embedded target import
# no engine, and the workloads no attack machinery.
for leaf in ./harness/httpclient ./harness/target; do
  if go list -deps "$leaf" | grep -qE '/concbench/harness(/load)?$'; then
    echo "test.sh: $leaf imports the engine" >&2; exit 1
  fi
done
if go list -deps ./workloads | grep -q '/concbench/harness/load$'; then
  echo "test.sh: workloads import harness/load" >&2; exit 1
fi

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
echo "chart PNGs the tests drew: $CONCBENCH_ARTIFACTS"
