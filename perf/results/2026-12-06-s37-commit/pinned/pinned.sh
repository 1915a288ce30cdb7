#!/bin/bash
# pinned.sh OUT JAR_CORE0 JAR_CORE1 [rounds]: both jars at once, each JVM pinned to one core, CommitCpuPerOp batch rounds
out=$1; a=$2; b=$3; rounds=${4:-12}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")/../../../.."
F="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g -XX:ActiveProcessorCount=1 -Dsops=1000 -Dbops=1000"
taskset -c 0 $J $F -cp $a perf/scripts/CommitCpuPerOp.java objstate-registry $rounds > $out.core0 2>&1 &
p0=$!
taskset -c 1 $J $F -cp $b perf/scripts/CommitCpuPerOp.java objstate-registry $rounds > $out.core1 2>&1 &
p1=$!
wait $p0 $p1
paste <(grep batchCommit $out.core0 | awk '{print $7}') <(grep batchCommit $out.core1 | awk '{print $7}') | awk '{r=$1/$2; printf "%8.1f %8.1f %.3f\n",$1,$2,r}' > $out
sort -k3 -n $out | awk '{a[NR]=$3} END{print "median core0/core1 " a[int((NR+1)/2)] " over " NR " rounds"}'
