#!/bin/sh
# Build the Qt Remote Objects benchmark programs (qtro-server, qtro-client).
# Usage: bench/qtro/build.sh [BUILD_DIR]
# Installs the Debian Qt 6 packages it needs (only those missing, with
# apt-get, which needs root), configures with CMake in Release mode and
# builds with Ninja. Building gro is not needed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/_build-bench-qtro}

pkgs="qt6-base-dev qt6-base-dev-tools qt6-remoteobjects-dev libqt6remoteobjects6-bin cmake g++ ninja-build"
missing=
for p in $pkgs; do
	if ! dpkg -s "$p" >/dev/null 2>&1; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "build.sh: installing$missing" >&2
	if [ "$(id -u)" -ne 0 ]; then
		sudo=sudo
	else
		sudo=
	fi
	$sudo apt-get update -q >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing >&2
fi

mkdir -p "$build"
# Keep the build tree out of git, as Meson does for its build directories.
[ -e "$build/.gitignore" ] || echo '*' > "$build/.gitignore"

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$build" >&2

echo "$build/qtro-server"
echo "$build/qtro-client"
