#!/bin/bash
# ab-c.sh PAIRS: YCSB C (1 M records, 1 M reads) on fresh copies of one loaded store, jars of HEAD~ (base) and the front-tags change (tags) alternated
for r in $(seq 1 $1); do for j in base tags; do
  echo "== $j pair $r $(date -u +%H:%M:%S)"; /tmp/s18/run.sh /tmp/s18/$j.jar c | grep -E "OVERALL\], Th|READ\], Av|READ\], 99th|TOTAL_GC_TIME\]"
done; done
