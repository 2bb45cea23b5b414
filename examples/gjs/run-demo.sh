#!/usr/bin/env bash
# The thermostat demo of examples/thermostat/run-demo.sh, with a source and
# replicas in C or in GJS, from the build tree in BUILD:
#   run-demo.sh BUILD SOURCE-LANG REPLICA-LANG     (each: c or gjs)
# For example "run-demo.sh _build gjs c": the GJS source, the C replicas.
# Exits non-zero if any of the programs fails or the expected lines are
# missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
source_lang=$2
replica_lang=$3
export GI_TYPELIB_PATH="$build/gro${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}"
export LD_LIBRARY_PATH="$build/gro${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

program() {
  case $1 in
    c) echo "$build/examples/thermostat-$2" ;;
    gjs) echo "gjs -m $here/thermostat-$2.js" ;;
    *) echo "run-demo.sh: unknown language '$1' (c or gjs)" >&2; exit 2 ;;
  esac
}
source_cmd=$(program "$source_lang" source)
replica_cmd=$(program "$replica_lang" replica)

runtime=$(mktemp -d)
log=$runtime/demo.log
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$runtime"' EXIT
url="unix:$runtime/thermostat.sock"

echo "== the $source_lang source shares a thermostat on $url"
$source_cmd "$url" --seconds 9 | sed -u 's/^/[source] /' | tee -a "$log" &
for _ in $(seq 100); do
  [ -S "$runtime/thermostat.sock" ] && break
  sleep 0.05
done

echo "== a $replica_lang replica watches it"
$replica_cmd --url "$url" --name watcher --seconds 7 | tee -a "$log" &
watcher=$!
sleep 2

echo "== another writes target-temperature and calls boost (10)"
$replica_cmd --url "$url" --name writer --set-target 24 --boost 10 --seconds 2 | tee -a "$log"

echo "== a third calls boost (500), which the source refuses"
$replica_cmd --url "$url" --name careless --boost 500 --seconds 1 | tee -a "$log"

wait "$watcher"
wait

# GJS cannot register an enumeration, so the GJS source's mode is a gint,
# which the C replica prints as a number.
mode=heat
[ "$source_lang/$replica_lang" = gjs/c ] && mode=1

for line in "[watcher] acquired 'thermostat', a DemoThermostat" \
            "[watcher] mode = $mode" \
            "[watcher] target-temperature -> 24.0 C" \
            "[writer] the source took the write" \
            "[writer] boost replied: boosting to 26.0 C for 10 minutes" \
            "[careless] boost failed: Cannot boost for 500 minutes: allowed are 1 to 120 (demo-thermostat-error-quark, code 0)" \
            "[source] boost (500) called by"; do
  if ! grep -qF "$line" "$log"; then
    echo "demo: missing output: $line" >&2
    exit 1
  fi
done
echo "== the demo ran as expected ($source_lang source, $replica_lang replicas)"
