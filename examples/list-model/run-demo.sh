#!/usr/bin/env bash
# Runs the list model demo from the built programs in DIR:
#   run-demo.sh DIR
# A source that changes its to-do list, and a replica that follows it and
# ticks off a task. Exits non-zero if a program fails or a line is missing.
set -euo pipefail
dir=$1
runtime=$(mktemp -d)
log=$runtime/demo.log
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$runtime"' EXIT
url="unix:$runtime/todo.sock"

echo "== list-source shares a to-do list on $url"
"$dir/list-source" "$url" --seconds 5 | sed -u 's/^/[source] /' | tee -a "$log" &
for _ in $(seq 100); do
  [ -S "$runtime/todo.sock" ] && break
  sleep 0.05
done

echo "== list-replica follows it, and ticks off the first task"
"$dir/list-replica" "$url" --seconds 3 --tick | tee -a "$log"
wait

for line in "[replica] acquired 'todo': 5 tasks" \
            "[replica] ticked off the first task" \
            "[replica] items-changed: at " \
            " is done"; do
  if ! grep -qF -- "$line" "$log"; then
    echo "missing: $line" >&2
    exit 1
  fi
done
echo "== the list stayed in step"
