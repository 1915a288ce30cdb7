#!/bin/sh
# count.sh BENCH [windows|load|one]: the engine's write path under cachegrind (README.md, "Counting instead of timing").
# Prints, per engine function (src/*.c with what it inlines from internal.h), the instructions and the simulated L1d
# and L2 misses per object written (one: per one-object batch, where a batch's fixed costs show), then the whole program's instructions per object (the bench's own batch building
# included: compare two builds' totals, not one build's with the table). One core's 2 MiB L2 is the last level.
set -e
bench=$1
phase=${2:-windows}
dir=$(mktemp -d "${TMPDIR:-/tmp}/ostore-count.XXXXXX")
out=$dir/cachegrind.out
case $phase in
windows) objects=510000 # 10 000 created with three entries, then 50 rounds of 10 windows of 1 000 one-entry writes
    export OSTORE_BENCH_ROUNDS=50 OSTORE_BENCH_ONLY=sdk OSTORE_BENCH_PHASE=windows OSTORE_BENCH_CKPT=default ;;
load) objects=1000000 # 1 M new keys in batches of 1 000, automatic checkpoints off
    export OSTORE_BENCH_ONLY=load ;;
one) objects=200000 # 10 000 created with three entries, then 200 000 one-object one-entry overwrites, random keys
    export OSTORE_BENCH_ROUNDS=100 OSTORE_BENCH_ONLY=sdk OSTORE_BENCH_PHASE=one OSTORE_BENCH_CKPT=default ;;
*) echo "phase must be windows, load or one, was $phase" >&2; rm -rf "$dir"; exit 2 ;;
esac
valgrind --tool=cachegrind --cache-sim=yes --D1=49152,12,64 --LL=2097152,16,64 --cachegrind-out-file="$out" \
    "$bench" "$dir" >/dev/null 2>&1
echo "per object written ($objects), $phase phase: function, instructions, L1d misses, L2 misses"
cg_annotate --show=Ir,D1mr,D1mw,DLmr,DLmw "$out" 2>/dev/null | awk '/file:function/ { f = 1; next } f && NF' |
    sed -E 's/ +\( *[0-9.]+%\)//g' |
    awk -v n="$objects" '$6 ~ /native-src\/src\// {
            split($6, a, ":"); fn = a[2]
            for (i = 1; i <= 5; i++) gsub(",", "", $i)
            ir[fn] += $1; d1[fn] += $2 + $3; l2[fn] += $4 + $5; t += $1
        }
        END {
            for (f in ir) if (ir[f] >= n) printf "%-28s %8.1f %6.2f %6.2f\n", f, ir[f] / n, d1[f] / n, l2[f] / n
            printf "%-28s %8.1f\n", "(engine, all functions)", t / n
        }' | sort -k2 -rn
cg_annotate "$out" 2>/dev/null | awk -v n="$objects" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "%-28s %8.1f\n", "(whole program)", $1 / n }'
rm -rf "$dir"
