#!/usr/bin/env bash
# Installs what the native fuzz targets need beyond scripts/install-build-deps.sh: clang with libFuzzer
# and the sanitizer runtimes (Debian's clang and libclang-rt-dev). Not run by CI: without clang,
# `make fuzz-smoke` (part of the default build) prints a notice and skips. Debian/Ubuntu; run as root.
set -euo pipefail
if printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
        | clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
$SUDO apt-get update -qq
# libclang-rt-dev depends on the versioned runtime (Debian 12: libclang-rt-14-dev, which holds libFuzzer)
$SUDO apt-get install -y -qq clang >/dev/null
$SUDO apt-get install -y -qq libclang-rt-dev >/dev/null 2>&1 \
    || $SUDO apt-get install -y -qq "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev" >/dev/null
echo "installed clang with libFuzzer"
