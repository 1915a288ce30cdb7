#!/bin/bash
# Session 36: the order's encode before (b52e53c's jar) and after (FieldCodec an abstract class, writers as class-data
# constants), JMH at headline settings, the jars alternating; the background suite loop paused meanwhile.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
run() { $J --sun-misc-unsafe-memory-access=allow -Djmh.ignoreLock=true -jar /tmp/s36/jars/$1.jar 'CodecBenchmark.encode' \
    -p object=order -p way=$2 -f 2 -wi 3 -w 2s -i 5 -r 2s -jvm $J -rf json -rff $3.json > $3.log 2>&1; }
run before objstate before-1
run after objstate,jackson,fory after-1
run before objstate before-2
run after objstate after-2
