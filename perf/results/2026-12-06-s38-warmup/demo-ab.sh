#!/bin/bash
# Alternates the README demo's main on two benchmark jars (objstate + deps), printing each run's summary rows.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
for r in $(seq 1 ${PAIRS:-6}); do
  for j in "$@"; do
    rm -rf /tmp/s38/demo-data
    echo "== run $r jar $j"
    $J --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms1g -Xmx1g -Xmn768m -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages \
      -cp examples/target/classes:/tmp/s38/jars/$j.jar io.objstate.examples.demo.Demo /tmp/s38/demo-data 2>&1 | grep -A4 "pass 1 (cold" | tail -4
  done
done
