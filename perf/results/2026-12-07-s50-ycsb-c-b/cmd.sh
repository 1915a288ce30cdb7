#!/usr/bin/env bash
# cmd.sh <binding> <phase load|a|c...> <outtag> [extra java opts...]: one YCSB phase as perf/scripts/run-ycsb.sh runs it, on the store in ${DATA:-/tmp/yc/data}/<binding>
b=$1; ph=$2; tag=$3; shift 3
case $b in objstate) cls=ObjstateBinding;; lmdb) cls=LmdbBinding;; rocksdb) cls=RocksDbBinding;; chronicle-map) cls=ChronicleMapBinding;; esac
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=${JAR:-/work/main/perf/target/benchmarks.jar}
mapfile -t FLAGS < <($J --sun-misc-unsafe-memory-access=allow -cp $JAR io.objstate.perf.ycsb.PeerJvmFlags)
if [ $ph = load ]; then mode=-load; wl=a; else mode=-t; wl=$ph; fi
$J "${FLAGS[@]}" "$@" -cp $JAR site.ycsb.Client $mode -P /work/main/perf/ycsb/workloads/workload$wl -db io.objstate.perf.ycsb.$cls -threads 1 -s -p recordcount=1000000 -p operationcount=${OPS:-1000000} -p ycsb.dir=${DATA:-/tmp/yc/data}/$b -p measurementtype=hdrhistogram -p hdrhistogram.percentiles=50,99 -p exportfile=/tmp/yc/out/$b-$tag.txt > /tmp/yc/out/$b-$tag.log 2>&1
grep -E "OVERALL|READ\], (Average|50th|99th)" /tmp/yc/out/$b-$tag.txt | tr '\n' ' '; echo
