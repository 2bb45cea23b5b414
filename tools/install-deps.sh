#!/usr/bin/env bash
# Installs, with apt-get, whichever of the given Debian packages are missing.
# Sourced by the other scripts: install_missing PACKAGE...
install_missing () {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  echo "Installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# What building gro needs.
BUILD_PACKAGES=(gcc libc6-dev meson ninja-build pkg-config libglib2.0-dev
                gobject-introspection libgirepository1.0-dev valac glib-networking)
# What the sanitizer build and the fuzz targets need.
SANITIZE_PACKAGES=(clang libclang-rt-14-dev)
# What its tests need on top.
TEST_PACKAGES=(python3 python3-gi python3-pytest gjs valgrind gi-docgen openssl)
