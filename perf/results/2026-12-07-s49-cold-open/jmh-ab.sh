#!/bin/sh
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in 1 2; do for v in A B; do
  if [ $v = B ]; then export PRE_DURING=1; else unset PRE_DURING; fi
  $J --sun-misc-unsafe-memory-access=allow -jar /work/main/perf/target/benchmarks.jar ColdOpenBenchmark -p store=objstate -f 2 -wi 40 -i 10 \
    -jvmArgsPrepend "-Dobjstate.perf.dir=/tmp/s49/pd -Dobjstate.native.library=/tmp/exp/b/libostore.so" -rf json -rff jab2-$v$r.json > jab2-$v$r.log 2>&1
  python3 -c "
import json,statistics
b=json.load(open('jab2-$v$r.json'))[0]; d=[x for f in b['primaryMetric']['rawData'] for x in f]; print('$v$r', round(b['primaryMetric']['score'],1), '+-', round(b['primaryMetric']['scoreError'],1), 'median', round(statistics.median(d),1))"
done; done
