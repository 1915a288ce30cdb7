#!/bin/sh
# ab-open.sh ROTATIONS STORE... : median open ms (10 rounds) per build, builds rotated
rot=$1; shift
for r in $(seq 1 $rot); do
  for st in "$@"; do
    line="$(basename $st):"
    for b in ${BUILDS:-b b65536 b2 b16384}; do
      med=$(OSTORE_BENCH_ONLY=open OSTORE_BENCH_ROUNDS=10 OSTORE_BENCH_GETS=10000 /tmp/s42/$b/bench $st 2>&1 | grep '^open of' | awk '{print $5}' | sort -n | sed -n 5p)
      line="$line $b=$med"
    done
    echo "$(date -u +%H:%M:%S) $line"
  done
done
