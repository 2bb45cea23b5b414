#!/usr/bin/env bash
# Runs the registry demo from the built programs in DIR:
#   run-demo.sh DIR
# A registry, two sensors that publish in it, and a monitor that knows only
# the registry. The garage sensor is killed (kill -9) and started again at
# another address; then the registry is killed and started again. The
# monitor follows without help. Exits non-zero if a program fails or an
# expected line is missing.
set -euo pipefail
dir=$1
runtime=$(mktemp -d)
log=$runtime/demo.log
touch "$log"
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$runtime"' EXIT
registry="unix:$runtime/registry"

wait_socket () {
  for _ in $(seq 100); do
    [ -S "$1" ] && return 0
    sleep 0.05
  done
  echo "demo: $1 did not appear" >&2
  exit 1
}

# Each program's output goes to the terminal and the log; $! is the program.
echo "== a registry on $registry"
"$dir/registry-registry" "$registry" --seconds 14 > >(tee -a "$log") &
registry_pid=$!
wait_socket "$runtime/registry"

echo "== a monitor that knows only the registry acquires kitchen and garage"
"$dir/registry-monitor" --registry "$registry" --seconds 10 kitchen garage > >(tee -a "$log") &
monitor=$!
sleep 0.5

echo "== two sensors publish in the registry"
"$dir/registry-sensor" --registry "$registry" --listen "unix:$runtime/kitchen" --name kitchen \
  --start 100 --seconds 11 > >(tee -a "$log") &
"$dir/registry-sensor" --registry "$registry" --listen "unix:$runtime/garage-1" --name garage \
  --start 200 --seconds 11 > >(tee -a "$log") &
garage=$!
sleep 2

echo "== kill -9 the garage sensor"
kill -9 "$garage"
wait "$garage" 2>/dev/null || true
sleep 1

echo "== the garage sensor starts again, at another address"
"$dir/registry-sensor" --registry "$registry" --listen "unix:$runtime/garage-2" --name garage \
  --start 500 --seconds 8 > >(tee -a "$log") &
sleep 2

echo "== kill -9 the registry, and start it again"
kill -9 "$registry_pid"
wait "$registry_pid" 2>/dev/null || true
sleep 1
"$dir/registry-registry" "$registry" --seconds 5 > >(tee -a "$log") &
sleep 2

echo "== a monitor started now finds both through the new registry"
"$dir/registry-monitor" --registry "$registry" --seconds 2 kitchen garage \
  | sed -u 's/^\[monitor\]/[late monitor]/' | tee -a "$log"

wait "$monitor"
wait
sleep 0.2

for line in "[monitor] the registry says kitchen is at unix:$runtime/kitchen" \
            "[monitor] kitchen is valid, reading 1" \
            "[monitor] garage is valid, reading 2" \
            "[registry] - garage, which was at unix:$runtime/garage-1" \
            "[monitor] garage is suspect" \
            "[monitor] the registry says garage is at unix:$runtime/garage-2" \
            "[monitor] garage is valid, reading 5" \
            "[late monitor] kitchen is valid" \
            "[late monitor] garage is valid, reading 5"; do
  if ! grep -qF "$line" "$log"; then
    echo "demo: missing output: $line" >&2
    exit 1
  fi
done
# The restarted registry was filled again by the sensors.
if [ "$(grep -cF "[registry] + kitchen (DemoSensor) at unix:$runtime/kitchen" "$log")" -lt 2 ]; then
  echo "demo: the restarted registry did not get kitchen back" >&2
  exit 1
fi
echo "== the demo ran as expected"
