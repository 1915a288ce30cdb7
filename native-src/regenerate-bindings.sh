#!/usr/bin/env bash
# Regenerates sdk-native's FFM bindings (package io.objstate.nativestore.ffi) from include/ostore.h.
# Needs a jextract built from openjdk/jextract (see native-src/README.md) on PATH or in $JEXTRACT.
# Only declarations from ostore.h are emitted (not libc's), so the output stays the API and nothing else.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jextract=${JEXTRACT:-jextract}
out="$here/../sdk-native/src/main/java"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$jextract" --dump-includes "$tmp/all.txt" "$here/include/ostore.h"
grep 'ostore.h' "$tmp/all.txt" | sed 's/ *#.*//' > "$tmp/ostore-only.txt"
rm -rf "$out/io/objstate/nativestore/ffi"
"$jextract" --output "$out" --target-package io.objstate.nativestore.ffi --header-class-name ostore_h \
    @"$tmp/ostore-only.txt" "$here/include/ostore.h"
echo "generated $(ls "$out/io/objstate/nativestore/ffi" | wc -l) files in $out/io/objstate/nativestore/ffi"
