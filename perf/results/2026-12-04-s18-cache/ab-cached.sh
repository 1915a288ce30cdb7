#!/bin/bash
# ab-cached.sh PAIRS: ObjectPathBenchmark cachedLoad/uncachedLoad, jars base (HEAD before the change) and tags alternated, with the Jackson + HashMap control
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in $(seq 1 $1); do for j in base tags; do
  echo "== $j pair $r $(date -u +%H:%M:%S)"
  $J -Djmh.ignoreLock=true --sun-misc-unsafe-memory-access=allow -jar /tmp/s18/$j.jar 'ObjectPathBenchmark.(cachedLoad|uncachedLoad)' -p way=objstate,objstate-registry,jackson-map -f 1 -wi 3 -w 1s -i 5 -r 1s 2>&1 | grep -E "^ObjectPathBenchmark"
done; done
