#!/usr/bin/env bash
# Installs what is missing, builds gro, and runs the thermostat demo: a source
# process and three replica processes talking over a Unix socket. It stops by
# itself after about ten seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/install-deps.sh
install_missing "${BUILD_PACKAGES[@]}"

[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

exec bash examples/thermostat/run-demo.sh _build/examples
