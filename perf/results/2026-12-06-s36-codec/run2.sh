#!/bin/bash
# Session 36, second round: b52e53c's jar (before) and the final codec change (writers as class-data constants,
# FieldCodec an abstract class, the heap writer kept with the buffer), alternating; the suite loop paused meanwhile.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
run() { $J --sun-misc-unsafe-memory-access=allow -Djmh.ignoreLock=true -jar /tmp/s36/jars/$1.jar 'CodecBenchmark.encode' \
    -p object=order -p way=$2 -f 2 -wi 3 -w 2s -i 5 -r 2s -jvm $J -rf json -rff $3.json > $3.log 2>&1; }
run final objstate,jackson,fory final-1
run before objstate before-3
run final objstate final-2
run before objstate before-4
