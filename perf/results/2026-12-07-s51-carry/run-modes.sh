#!/usr/bin/env bash
# OSTORE_CARRY modes (MODES, e.g. "2 3 0") on copies of one fresh load; each phase of SEQ runs on every mode in turn
S=/work/main/perf/results/2026-12-07-s50-ycsb-c-b/cmd.sh; L=-Dobjstate.native.library=${LIB:-/tmp/cb/libostore.so}
cd /tmp/yc; for m in $MODES; do rm -rf m$m; mkdir -p m$m; done
first=${MODES%% *}
DATA=/tmp/yc/m$first bash $S objstate load L $L >/dev/null
for m in $MODES; do [ $m = $first ] || cp -a m$first/objstate m$m/; done
i=0
for w in $SEQ; do i=$((i+1)); for m in $MODES; do
  out=$(OSTORE_CARRY=$m DATA=/tmp/yc/m$m bash $S objstate $w $i$w-m$m $L)
  t=$(echo "$out" | grep -o "RunTime(ms), [0-9]*" | grep -o "[0-9]*$")
  rd=$(echo "$out" | grep -o "READ\], AverageLatency(us), [0-9.]*" | grep -o "[0-9.]*$")
  c=$(grep -o "storeCompactions=[0-9]*" out/objstate-$i$w-m$m.log | tail -1)
  echo "$i$w carry=$m $t ms read $rd $c"
done; done
for m in $MODES; do echo "carry=$m: $(/tmp/yc/spread /tmp/yc/m$m/objstate ycsb.Record 200000 2>&1 | head -1)"; done
