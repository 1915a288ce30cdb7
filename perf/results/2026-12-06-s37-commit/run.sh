#!/bin/bash
# Session 37: the batched and one-object commit rows, the session's start jar (before.jar, a8c400b) and its end jar
# (after.jar) alternating, 2 forks x 5 x 2 s after 3 x 2 s of warm-up each. Jars built with
#   mvn -B -q -o -pl sdk-api install -DskipTests && mvn -B -q -o -pl perf clean package -DskipTests
# and copied to /tmp/s37/{before,after}.jar. Usage: run.sh OUTDIR ROUNDS PATTERN
out=${1:-.}; rounds=${2:-2}; pattern=${3:-'ObjectPathBenchmark.batchCommit'}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in $(seq 1 $rounds); do
  for jar in before after; do
    echo "=== $jar round $r $(date -u +%H:%M:%S)"
    $J --sun-misc-unsafe-memory-access=allow -Djmh.ignoreLock=true -jar /tmp/s37/$jar.jar "$pattern" \
      -p way=objstate-registry,jackson-map -f 2 -wi 3 -w 2s -i 5 -r 2s -jvm $J \
      -rf json -rff $out/$jar-$r.json 2>&1 | grep -E "^ObjectPath|^Benchmark"
  done
done
