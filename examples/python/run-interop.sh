#!/usr/bin/env bash
# Runs the thermostat demo across languages, from a build tree:
#   run-interop.sh BUILD_DIR [PAIRING...]
# For each pairing -- c-source-python-replicas, python-source-c-replicas and
# python-source-python-replicas, all three by default -- a source, a replica
# that watches it, one that writes the target and calls boost, and one whose
# call the source refuses. The source starts hot, so it raises an alarm at
# its first tick, half a second in, which the watcher shows if it is
# connected by then (a slow machine may miss it: that is only noted). Exits
# non-zero if a program fails or an expected line is missing.
#
# The library, its typelib and the override are used uninstalled, from
# BUILD_DIR and this source tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
python=/usr/bin/python3   # the interpreter with PyGObject

export GI_TYPELIB_PATH=$build/gro${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}
export LD_LIBRARY_PATH=$build/gro${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PYTHONPATH=$here/../../bindings/python${PYTHONPATH:+:$PYTHONPATH}

c_source=("$build/examples/thermostat-source")
c_replica=("$build/examples/thermostat-replica")
py_source=("$python" "$here/thermostat_source.py")
py_replica=("$python" "$here/thermostat_replica.py")

runtime=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$runtime"' EXIT

# run_pair NAME SOURCE-ARRAY REPLICA-ARRAY
run_pair() {
  local name=$1
  local -n source=$2 replica=$3
  local log=$runtime/$name.log url="unix:$runtime/$name.sock"

  echo "== $name"
  "${source[@]}" "$url" --seconds 6 --temperature 31.5 | sed -u 's/^/[source] /' >> "$log" &
  local source_pid=$!
  for _ in $(seq 200); do
    [ -S "$runtime/$name.sock" ] && break
    sleep 0.01
  done

  "${replica[@]}" --url "$url" --name watcher --seconds 5 >> "$log" &
  local watcher=$!
  sleep 1.5
  "${replica[@]}" --url "$url" --name writer --set-target 24 --boost 10 --seconds 1 >> "$log"
  "${replica[@]}" --url "$url" --name careless --boost 500 --seconds 1 >> "$log"
  wait "$watcher"
  wait "$source_pid"
  cat "$log"

  for line in "[watcher] acquired 'thermostat', a DemoThermostat" \
              "[watcher] mode = heat" \
              "[watcher] target-temperature -> 24.0 C" \
              "[writer] the source took the write" \
              "[writer] boost replied: boosting to 26.0 C for 10 minutes" \
              "[careless] boost failed: Cannot boost for 500 minutes: allowed are 1 to 120 (demo-thermostat-error-quark, code 0)" \
              "[source] boost (10) called by" \
              "[source] time is up, stopping"; do
    if ! grep -qF "$line" "$log"; then
      echo "run-interop: $name: missing output: $line" >&2
      exit 1
    fi
  done
  if ! grep -qF "[watcher] ALARM too hot: above 30 C" "$log"; then
    echo "run-interop: $name: note: the watcher connected after the alarm"
  fi
}

shift
pairings=("$@")
[ ${#pairings[@]} -gt 0 ] || pairings=(c-source-python-replicas python-source-c-replicas
                                       python-source-python-replicas)
for pairing in "${pairings[@]}"; do
  case $pairing in
    c-source-python-replicas) run_pair "$pairing" c_source py_replica ;;
    python-source-c-replicas) run_pair "$pairing" py_source c_replica ;;
    python-source-python-replicas) run_pair "$pairing" py_source py_replica ;;
    *) echo "run-interop: unknown pairing '$pairing'" >&2; exit 2 ;;
  esac
done
echo "== every pairing ran as expected"
