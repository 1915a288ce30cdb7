#!/usr/bin/env bash
# Installs what building objstate needs beyond JDK 25, Maven, gcc and make: Intel ISA-L (CRC32C for the
# native engine's checksums). Does nothing when it is already installed. Debian/Ubuntu; run as root.
set -euo pipefail
if dpkg -s libisal-dev >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libisal-dev >/dev/null
echo "installed libisal-dev"
