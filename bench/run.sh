#!/usr/bin/env bash
# Builds every benchmark (gro, GDBus peer-to-peer, the floors, and Qt Remote
# Objects, whose Debian packages this installs if missing) and runs them all,
# interleaved, writing bench/RESULTS.md. Arguments go to run.py, e.g.
#   bash bench/run.sh --rounds 5
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/install-deps.sh
install_missing "${BUILD_PACKAGES[@]}"

[ -f _build/build.ninja ] || meson setup _build
meson configure _build -Dbench=true -Dbuildtype=debugoptimized >/dev/null
meson compile -C _build

if [ -x bench/qtro/build.sh ]; then
  bash bench/qtro/build.sh "$PWD/_build-bench-qtro"
fi

exec /usr/bin/python3 bench/run.py --command "bash bench/run.sh $*" "$@"
