#!/bin/sh
# ab-phases.sh ROTATIONS: ColdOpenPhases (30 rounds, medians of the last 20) with old.jar and new.jar alternating
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in $(seq 1 $1); do
  for jar in old new; do
    [ $((r % 2)) -eq 0 ] && jar=$([ $jar = old ] && echo new || echo old)
    out=$($J --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -cp /tmp/s42/$jar.jar /work/main/perf/scripts/ColdOpenPhases.java /tmp/s42/co 30 2>&1 | tail -20)
    o=$(echo "$out" | awk '{print $2}' | sort -n | sed -n 10p)
    t=$(echo "$out" | awk '{print $12}' | sort -n | sed -n 10p)
    echo "$(date -u +%H:%M:%S) $jar: open median $o ms, total median $t ms"
  done
done
