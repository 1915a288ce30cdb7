#!/usr/bin/env bash
# carry on vs off after one A and one B: C alternated N times
S=/work/main/perf/results/2026-12-07-s50-ycsb-c-b/cmd.sh; L=-Dobjstate.native.library=${LIB:-/tmp/cb/libostore.so}
cd /tmp/yc; rm -rf on off; mkdir -p on off
DATA=/tmp/yc/on bash $S objstate load L $L >/dev/null; cp -a on/objstate off/
for w in a b ${EXTRA:-} c c c c; do for m in on off; do
  if [ $m = off ]; then export OSTORE_CARRY=0; else unset OSTORE_CARRY; fi
  out=$(DATA=/tmp/yc/$m bash $S objstate $w r1$w-$m $L)
  t=$(echo "$out" | grep -o "RunTime(ms), [0-9]*" | grep -o "[0-9]*$")
  rd=$(echo "$out" | grep -o "READ\], AverageLatency(us), [0-9.]*" | grep -o "[0-9.]*$")
  echo "$w $m $t ms read $rd"
done; done
unset OSTORE_CARRY
for m in on off; do echo "$m: $(/tmp/yc/spread /tmp/yc/$m/objstate ycsb.Record 200000 2>&1 | head -1)"; done
