#!/bin/sh
# ColdOpenBenchmark, objstate and LMDB, as session 39 ran it
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/s41/h3
date -u > started.txt
$J -Djmh.ignoreLock=true -jar /tmp/s41/head.jar 'perf.ColdOpenBenchmark' -p store=objstate,lmdb -f 2 -wi 10 -i 10 \
    -jvmArgsPrepend -Dobjstate.perf.dir=/tmp/s41/perf-data -rf json -rff coldopen.json > coldopen.log 2>&1
date -u >> started.txt
