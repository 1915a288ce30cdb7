#!/usr/bin/env bash
# carry on vs off: one fresh load copied, then rounds of a b c f, each phase alternating between the two stores
S=/work/main/perf/results/2026-12-07-s50-ycsb-c-b/cmd.sh; L=-Dobjstate.native.library=${LIB:-/tmp/cb/libostore.so}
cd /tmp/yc; rm -rf on off; mkdir -p on off
DATA=/tmp/yc/on bash $S objstate load L $L >/dev/null; cp -a on/objstate off/
for r in 1 2 3; do for w in a b c f; do for m in on off; do
  if [ $m = off ]; then export OSTORE_CARRY=0; else unset OSTORE_CARRY; fi
  out=$(DATA=/tmp/yc/$m bash $S objstate $w $w$r-$m $L)
  t=$(echo "$out" | grep -o "RunTime(ms), [0-9]*" | grep -o "[0-9]*$")
  c=$(grep -o "storeCompactions=[0-9]*" out/objstate-$w$r-$m.log | tail -1)
  echo "$w$r $m $t ms $c"
done; done; done
unset OSTORE_CARRY
for m in on off; do echo "$m: $(/tmp/yc/spread /tmp/yc/$m/objstate ycsb.Record 200000 2>&1 | head -1)"; done
