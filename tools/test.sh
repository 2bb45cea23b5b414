#!/usr/bin/env bash
# Installs what is missing, builds gro, and runs every test suite: once as is,
# then the C and unit suites again under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/install-deps.sh
install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

[ -f _build/build.ninja ] || meson setup _build -Ddocs=true
meson compile -C _build

status=0
meson test -C _build --print-errorlogs --num-processes 2 || status=1
meson test -C _build --setup valgrind --suite c --suite unit --print-errorlogs \
  --num-processes 2 || status=1
exit $status
