#!/usr/bin/env bash
# Runs the typed demo: typed-source shares a DemoSimThermostat, and typed
# replicas in C, Python, GJS and Vala use it through the DemoThermostat
# interface.
#   run-demo.sh BUILD_DIR SOURCE_DIR
# Exits non-zero if a program fails or an expected line is missing.
set -euo pipefail
dir=$1
src=$2
runtime=$(mktemp -d)
log=$runtime/demo.log
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$runtime"' EXIT
url="unix:$runtime/typed.sock"
export GI_TYPELIB_PATH="$dir:$dir/../../gro${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}"
export LD_LIBRARY_PATH="$dir:$dir/../../gro${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

echo "== typed-source shares a thermostat on $url"
"$dir/typed-source" "$url" --seconds 12 | tee -a "$log" &
for _ in $(seq 100); do
  [ -S "$runtime/typed.sock" ] && break
  sleep 0.05
done

echo "== a C typed replica"
"$dir/typed-replica" "$url" | tee -a "$log"
echo "== a Python typed replica"
/usr/bin/python3 "$src/typed-replica.py" "$url" | tee -a "$log"
if command -v gjs >/dev/null; then
  echo "== a GJS typed replica"
  gjs -m "$src/typed-replica.js" "$url" | tee -a "$log"
fi
if [ -x "$dir/typed-replica-vala" ]; then
  echo "== a Vala typed replica"
  "$dir/typed-replica-vala" "$url" | tee -a "$log"
fi

for line in "[replica] state before connecting: default" \
            "[replica] valid" \
            "[replica] living room:" \
            "[replica] set_target replied: 30.0 C" \
            "[replica] boost refused: A boost lasts from 1 to 3600 seconds, not 5000" \
            "[replica] boosting" \
            "[replica] alarm" \
            "[python] set_target replied: 12.5 C" \
            "[python] alarm"; do
  if ! grep -qF "$line" "$log"; then
    echo "demo: missing output: $line" >&2
    exit 1
  fi
done
if command -v gjs >/dev/null; then
  grep -qF "[gjs] set_target replied: 28.0 C" "$log" || { echo "demo: no GJS reply" >&2; exit 1; }
fi
if [ -x "$dir/typed-replica-vala" ]; then
  grep -qF "[vala] set_target replied: 8.0 C" "$log" || { echo "demo: no Vala reply" >&2; exit 1; }
fi
echo "== the typed demo ran as expected"
