#!/usr/bin/env bash
# run-fuzzer.sh FUZZER CORPUS SECONDS: runs a libFuzzer target for a bounded
# time from a copy of its seed corpus. Fails on any crash, leak or hang.
set -euo pipefail
fuzzer=$(realpath "$1") corpus=$(realpath "$2") seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/corpus"
cd "$work"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  corpus 2>&1 | tail -25
