#!/bin/sh
# the batched commit rows again, 2 forks x 5 x 2 s after 3 x 2 s, nothing else running
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/s41/h2
date -u > started.txt
$J -Djmh.ignoreLock=true -jar /tmp/s41/head.jar 'sdk.ObjectPathBenchmark.batchCommit' \
    -p way=objstate-registry,objstate,jackson-map -f 2 -wi 3 -w 2s -i 5 -r 2s \
    -jvmArgsPrepend -Dobjstate.perf.dir=/tmp/s41/perf-data -rf json -rff batch.json > batch.log 2>&1
date -u >> started.txt
