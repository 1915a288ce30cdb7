#!/bin/bash
# Session 36: the commit rows on the session's final code, headline settings; the background suite loop stopped.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
$J --sun-misc-unsafe-memory-access=allow -Djmh.ignoreLock=true -jar /tmp/s36/jars/final2.jar \
    'ObjectPathBenchmark.(batchCommit|singleCommit)' -f 2 -wi 3 -w 2s -i 5 -r 2s -jvm $J -rf json -rff commit.json > commit.log 2>&1
