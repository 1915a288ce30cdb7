#!/bin/sh
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/s41/exp
for k in 1 2; do
  for v in false true; do
    date -u +"%H:%M:%S start sharedSites=$v round $k" >> times.txt
    $J -Djmh.ignoreLock=true -jar /tmp/s41/exp1.jar 'sdk.CodecBenchmark.encode' -p object=order,account -p way=objstate,objstate-fields \
      -f 2 -wi 3 -w 2s -i 5 -r 2s -jvmArgsAppend -Dobjstate.codegen.sharedSites=$v -rf json -rff enc-$v-$k.json > enc-$v-$k.log 2>&1
  done
done
date -u +"%H:%M:%S done" >> times.txt
