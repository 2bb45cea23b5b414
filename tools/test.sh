#!/usr/bin/env bash
# Installs what is missing, builds gro, and runs every test suite: once as is,
# then the C and unit suites under valgrind, then again in a second build
# with AddressSanitizer and UndefinedBehaviorSanitizer, where each fuzz
# target also runs for a bounded time (FUZZ_SECONDS each, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/install-deps.sh
install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${SANITIZE_PACKAGES[@]}"

[ -f _build/build.ninja ] || meson setup _build -Ddocs=true
meson compile -C _build

status=0
meson test -C _build --print-errorlogs --num-processes 2 || status=1
meson test -C _build --setup valgrind --suite c --suite unit --print-errorlogs \
  --num-processes 2 || status=1

# The sanitizer build needs no typelib: the language suites ran above.
[ -f _build-asan/build.ninja ] ||
  CC=clang meson setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dintrospection=false -Dexamples=false -Dfuzzing=true \
    -Dfuzz_seconds="${FUZZ_SECONDS:-30}"
meson compile -C _build-asan
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C _build-asan --suite c --suite unit --suite fuzz --print-errorlogs \
  --num-processes 2 || status=1
exit $status
