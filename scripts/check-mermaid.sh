#!/usr/bin/env bash
# Parses the Mermaid charts of markdown files with mermaid's own parser
# (the mermaid npm package, in a jsdom window), as GitHub would before
# rendering them. Run it after `go test ./harness/compare -update` has
# rewritten the golden file, before committing it.
#
#   scripts/check-mermaid.sh [FILE.md ...]   (default: the compare golden file)
#
# Needs node and npm; installs mermaid and jsdom into a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(harness/compare/testdata/github.golden.md)
for i in "${!files[@]}"; do files[$i]=$(realpath "${files[$i]}"); done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp scripts/check-mermaid.mjs "$work/"
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund mermaid@11 jsdom@25 >/dev/null)
node "$work/check-mermaid.mjs" "${files[@]}"
