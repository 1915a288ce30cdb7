#!/usr/bin/env bash
# Installs what building objstate needs beyond JDK 25, Maven, gcc and make. Today that is nothing: the
# native engine computes CRC32C itself (native-src/src/crc.c) and links only libc. The script stays the
# documented first build step so that a future build dependency has one place to go: list its Debian
# package in PACKAGES. Idempotent: installs only packages that are missing. Debian/Ubuntu; root or sudo.
set -euo pipefail
PACKAGES=()
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed ${missing[*]}"
