#!/bin/bash
# Alternates the README demo's main with and without a JVM flag, printing each run's summary rows.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
for r in $(seq 1 ${PAIRS:-6}); do
  for f in "" "$FLAG"; do
    rm -rf /tmp/s38/demo-data
    echo "== run $r flag '${f:-none}'"
    $J --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms1g -Xmx1g -Xmn768m -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages $f \
      -cp examples/target/classes:perf/target/benchmarks.jar io.objstate.examples.demo.Demo /tmp/s38/demo-data 2>&1 | grep -A6 "pass 1 (cold" | tail -6
  done
done
