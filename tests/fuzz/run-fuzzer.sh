#!/usr/bin/env bash
# run-fuzzer.sh FUZZER CORPUS SECONDS: runs a libFuzzer target for a bounded
# time from a copy of its seed corpus. Fails on any crash, leak or hang.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fuzzer=$(realpath "$1") corpus=$(realpath "$2") seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/corpus"
cd "$work"
# Full stacks, so that the suppressions (GLib's own one-time allocations)
# can match; and libFuzzer's own exit code for a finding is 77, which meson
# would take for a skipped test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$here/lsan.supp"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -error_exitcode=1 -timeout_exitcode=1 corpus > log 2>&1 || {
    status=$?
    grep -vE 'GLib-GIO-DEBUG|^#[0-9]+\s+(NEW|REDUCE|pulse|INITED)' log | tail -80
    for f in crash-* leak-* timeout-* oom-*; do
      [ -e "$f" ] && echo "finding: $f (base64: $(base64 -w0 "$f"))"
    done
    exit $status
  }
tail -20 log
