#!/usr/bin/env bash
# A/B of two benchmarks jars on copies of ONE objstate store loaded once by YCSB: workloads in WORKLOADS, jars
# alternated ROUNDS times. usage: ycsb-ab.sh OUT_DIR JAR_A JAR_B
set -euo pipefail
OUT="$1"; A="$2"; B="$3"
RECORDS="${RECORDS:-100000}"; OPERATIONS="${OPERATIONS:-100000}"; WORKLOADS="${WORKLOADS:-c b}"; ROUNDS="${ROUNDS:-2}"
W=/work/wt-cached/perf/ycsb/workloads
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
DATA="${DATA:-/tmp/yab/data}"
mkdir -p "$OUT" "$DATA"
mapfile -t FLAGS < <("$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$A" io.objstate.perf.ycsb.PeerJvmFlags)
client() { # jar dir log args...
    local jar="$1" dir="$2" log="$3"; shift 3
    local cmd=("$JAVA" "${FLAGS[@]}" -cp "$jar" site.ycsb.Client "$@" -db io.objstate.perf.ycsb.ObjstateBinding -threads 1 -s
        -p "recordcount=$RECORDS" -p "operationcount=$OPERATIONS" -p "ycsb.dir=$dir"
        -p measurementtype=hdrhistogram -p hdrhistogram.percentiles=50,99)
    echo "${cmd[*]} > $log" >> "$OUT/commands.txt"
    "${cmd[@]}" > "$log" 2>&1
}
rm -rf "$DATA/base"
client "$A" "$DATA/base" "$OUT/load.log" -load -P "$W/workloada"
for r in $(seq 1 "$ROUNDS"); do
  for w in $WORKLOADS; do
    for side in A B; do
      jar="$A"; [[ $side == B ]] && jar="$B"
      rm -rf "$DATA/run"; cp -a "$DATA/base" "$DATA/run"
      client "$jar" "$DATA/run" "$OUT/$w-$side-$r.log" -t -P "$W/workload$w"
      tp=$(grep -m1 "\[OVERALL\], Throughput" "$OUT/$w-$side-$r.log" | awk -F', ' '{print $3}')
      p50=$(grep -m1 "\[READ\], 50thPercentile" "$OUT/$w-$side-$r.log" | awk -F', ' '{print $3}')
      gc=$(grep "\[TOTAL_GC_TIME\], Time(ms)" "$OUT/$w-$side-$r.log" | awk -F', ' '{print $3}')
      st=$(grep -m1 "^objstate " "$OUT/$w-$side-$r.log" | grep -o "cacheHits=[0-9]*\|cacheMisses=[0-9]*\|cacheBytes=[0-9]*" | tr '\n' ' ')
      echo "round $r workload $w jar $side: ops/s $tp READ p50 ${p50}us GC ${gc}ms $st  load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/summary.txt"
    done
  done
done
rm -rf "$DATA/run" "$DATA/base"
