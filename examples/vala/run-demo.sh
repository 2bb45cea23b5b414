#!/usr/bin/env bash
# Runs the thermostat demo with any source and replica program, so that the
# Vala programs are checked against the C ones in both directions:
#   run-demo.sh SOURCE-PROGRAM REPLICA-PROGRAM
# A source, a replica that watches it, one that writes the target and calls
# boost, and one whose call the source refuses. Exits non-zero if any of the
# programs fails or the expected lines are missing.
set -euo pipefail
source_program=$1
replica_program=$2
runtime=$(mktemp -d)
log=$runtime/demo.log
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$runtime"' EXIT
url="unix:$runtime/thermostat.sock"

echo "== $(basename "$source_program") shares a thermostat on $url"
"$source_program" "$url" --seconds 9 | sed -u 's/^/[source] /' | tee -a "$log" &
for _ in $(seq 100); do
  [ -S "$runtime/thermostat.sock" ] && break
  sleep 0.05
done

echo "== a $(basename "$replica_program") watches it"
"$replica_program" --url "$url" --name watcher --seconds 7 | tee -a "$log" &
watcher=$!
sleep 2

echo "== another writes target-temperature and calls boost (10)"
"$replica_program" --url "$url" --name writer --set-target 24 --boost 10 --seconds 2 \
  | tee -a "$log"

echo "== a third calls boost (500), which the source refuses"
"$replica_program" --url "$url" --name careless --boost 500 --seconds 1 | tee -a "$log"

wait "$watcher"
wait

for line in "[watcher] acquired 'thermostat'" \
            "[watcher] target-temperature -> 24.0 C" \
            "[writer] the source took the write" \
            "[writer] boost replied: boosting to 26.0 C for 10 minutes" \
            "[careless] boost failed: Cannot boost for 500 minutes: allowed are 1 to 120 (demo-thermostat-error-quark, code 0)" \
            "[source] boost (10) called by " \
            "[source] boost (500) called by "; do
  if ! grep -qF "$line" "$log"; then
    echo "demo: missing output: $line" >&2
    exit 1
  fi
done
echo "== the demo ran as expected"
