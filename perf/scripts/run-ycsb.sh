#!/usr/bin/env bash
# Runs YCSB (site.ycsb:core 0.17.0, its own site.ycsb.Client) against objstate and its peers through the
# bindings of io.objstate.perf.ycsb, then writes a side-by-side markdown report (perf/scripts/ycsb_report.py).
#
#   perf/scripts/run-ycsb.sh [label]
#
# For each binding: a fresh store directory, YCSB's load phase (-load, RECORDS records of 10 fields x 100 bytes),
# then the run phase (-t) of each workload in WORKLOADS on that same store, in YCSB's recommended order
# (A, B, C, F, D: D inserts, so it comes after the read/update ones; then E, whose inserts reuse D's new keys
# and replace them, as a put does). Each phase is its own Client JVM, one client thread, latencies measured with
# YCSB's HdrHistogram (measurementtype=hdrhistogram, percentiles 50 and 99, in microseconds).
# E runs only for the bindings with ordered scans (objstate, rocksdb, lmdb): Chronicle Map is a hash map.
# objstate's scans use ObjectSet.idsFrom (key order; the engine builds its ordered index at the first scan).
#
# Environment:
#   RECORDS       records loaded (default 1000000)
#   OPERATIONS    operations per workload (default RECORDS)
#   WORKLOADS     space-separated, of a b c d e f (default "a b c f d e")
#   BINDINGS      space-separated, of objstate rocksdb lmdb chronicle-map (default all four)
#   OUT_DIR       where the Client outputs, the metadata and REPORT.md go (default perf/results/ycsb-<date>)
#   YCSB_DATA_DIR where the stores are created, on a real disk (default perf/target/ycsb-data); each store is
#                 deleted after its binding's runs
#   JAVA          JDK 25 java (default: the Temurin 25 JDK under /usr/lib/jvm)
#   YCSB_ARGS     more Client arguments for every phase, e.g. "-p objstate.cachemaxbytes=268435456"
#   JAR           the benchmarks jar to run (default perf/target/benchmarks.jar, built when older than a source);
#                 a copy of another revision's jar runs that revision, for A/B runs alternated on one machine state
#   JAVA_OPTS     more JVM flags for every phase's Client JVM, e.g. "-XX:StartFlightRecording=settings=profile"
#   INTERLEAVE    1: every store loaded first, then each workload run on every store in turn (the first store
#                 of each phase rotating), so that a machine whose speed drifts over minutes (this VM's whole runs
#                 move by a third) slows all stores' runs of a phase alike; each store still sees its phases in
#                 the same order. Default 0: each binding's load and phases back to back, as before.
#   REPEAT        with INTERLEAVE=1: each workload's round over the stores runs this many times in a row (default 1),
#                 the first store rotating every round; round k > 1 writes <binding>-<workload>.<k>.txt, and the report
#                 adds each round's objstate / best peer and their median. A later round of a workload that writes
#                 runs on the store the earlier rounds changed (alike for every store). On this VM one run's C moved
#                 between 0.82 and 1.06x LMDB (perf/results/2026-12-07-s50-ycsb-c-b/): read a row from several rounds.
# The label (default "quiet machine") is printed in the report's title: say "loaded machine" when other work
# shares the cores.
set -euo pipefail

LABEL="${1:-quiet machine}"
PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(dirname "$PERF_DIR")"
JAR="${JAR:-$PERF_DIR/target/benchmarks.jar}"
RECORDS="${RECORDS:-1000000}"
OPERATIONS="${OPERATIONS:-$RECORDS}"
WORKLOADS="${WORKLOADS:-a b c f d e}"
BINDINGS="${BINDINGS:-objstate rocksdb lmdb chronicle-map}"
STAMP="$(date -u +%Y-%m-%d-%H%M%S)"
OUT_DIR="${OUT_DIR:-$PERF_DIR/results/ycsb-$STAMP}"
DATA_DIR="${YCSB_DATA_DIR:-$PERF_DIR/target/ycsb-data}"

# shellcheck source=common.sh
source "$PERF_DIR/scripts/common.sh"
JAVA_BIN="$(find_java)"

binding_class() {
    case "$1" in
        objstate) echo io.objstate.perf.ycsb.ObjstateBinding ;;
        rocksdb) echo io.objstate.perf.ycsb.RocksDbBinding ;;
        lmdb) echo io.objstate.perf.ycsb.LmdbBinding ;;
        chronicle-map) echo io.objstate.perf.ycsb.ChronicleMapBinding ;;
        *) echo "unknown binding '$1': expected objstate, rocksdb, lmdb or chronicle-map" >&2; exit 2 ;;
    esac
}
has_scan() { [[ "$1" == objstate || "$1" == rocksdb || "$1" == lmdb ]]; }
for b in $BINDINGS; do binding_class "$b" > /dev/null; done
REPEAT="${REPEAT:-1}"
if ! [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { (( REPEAT > 1 )) && [[ "${INTERLEAVE:-0}" != 1 ]]; }; then
    echo "REPEAT must be a count of 1 or more, and above 1 only with INTERLEAVE=1 (got REPEAT=$REPEAT)" >&2; exit 2
fi
for w in $WORKLOADS; do
    [[ -f "$PERF_DIR/ycsb/workloads/workload$w" ]] || { echo "unknown workload '$w': expected a b c d e f" >&2; exit 2; }
done

# Build when the jar is missing or older than a source (as run-benchmarks.sh does).
if [[ "$JAR" == "$PERF_DIR/target/benchmarks.jar" ]] && { [[ ! -f "$JAR" ]] \
        || [[ -n "$(find "$PERF_DIR/src/main" "$PERF_DIR/pom.xml" -newer "$JAR" -print -quit)" ]]; }; then
    echo "== building $JAR"
    (cd "$ROOT" && mvn -B -q -pl perf -am package -DskipTests)
fi

# The JMH forks' flags (PeerBenchmark's @Fork): every peer needs them on JDK 25.
mapfile -t FLAGS < <("$JAVA_BIN" --sun-misc-unsafe-memory-access=allow -cp "$JAR" io.objstate.perf.ycsb.PeerJvmFlags)
read -r -a EXTRA <<< "${YCSB_ARGS:-}"
read -r -a JVM_EXTRA <<< "${JAVA_OPTS:-}"

client() {  # client <binding> <phase: load|a..f> <Client args...>
    local b="$1" phase="$2"; shift 2
    local cmd=("$JAVA_BIN" "${FLAGS[@]}" ${JVM_EXTRA[@]+"${JVM_EXTRA[@]}"} -cp "$JAR" site.ycsb.Client "$@"
        -db "$(binding_class "$b")" -threads 1 -s
        -p "recordcount=$RECORDS" -p "operationcount=$OPERATIONS"
        -p "ycsb.dir=$DATA_DIR/$b"
        -p measurementtype=hdrhistogram -p hdrhistogram.percentiles=50,99
        -p "exportfile=$OUT_DIR/$b-$phase.txt" ${EXTRA[@]+"${EXTRA[@]}"})
    echo "${cmd[*]}" >> "$COMMANDS_FILE"
    echo "== $b $phase"
    if ! "${cmd[@]}" > "$OUT_DIR/$b-$phase.log" 2>&1; then
        echo "== $b $phase failed; the last lines of $OUT_DIR/$b-$phase.log:" >&2
        tail -20 "$OUT_DIR/$b-$phase.log" >&2
        return 1
    fi
}

# The revision before this run writes its outputs (which may land inside the work tree).
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then GIT_REV="$GIT_REV (with uncommitted changes)"; fi
if [[ "$JAR" != "$PERF_DIR/target/benchmarks.jar" ]]; then GIT_REV="jar $JAR, worktree $GIT_REV"; fi
mkdir -p "$OUT_DIR" "$DATA_DIR"
COMMANDS_FILE="$OUT_DIR/commands.txt"
: > "$COMMANDS_FILE"

START=$(date +%s)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
run_phase() {  # run_phase <binding> <workload> [output name, default the workload]
    local b="$1" w="$2" out="${3:-$2}"
    if [[ "$w" == e ]] && ! has_scan "$b"; then
        echo "== $b e skipped: no scans" | tee -a "$COMMANDS_FILE"
        return 0
    fi
    client "$b" "$out" -t -P "$PERF_DIR/ycsb/workloads/workload$w"
}
finish_store() {  # finish_store <binding>: its bytes on disk, then the store goes
    du -sb "$DATA_DIR/$1" | cut -f1 > "$OUT_DIR/$1-bytes-on-disk.txt"
    rm -rf "${DATA_DIR:?}/$1"
}
if [[ "${INTERLEAVE:-0}" == 1 ]]; then
    read -r -a ORDER <<< "$BINDINGS"
    for b in "${ORDER[@]}"; do
        rm -rf "${DATA_DIR:?}/$b"
        client "$b" load -load -P "$PERF_DIR/ycsb/workloads/workloada"
    done
    for w in $WORKLOADS; do
        for ((k = 1; k <= REPEAT; k++)); do
            ORDER=("${ORDER[@]:1}" "${ORDER[0]}") # the next round starts with the next store
            for b in "${ORDER[@]}"; do
                if (( k == 1 )); then run_phase "$b" "$w"; else run_phase "$b" "$w" "$w.$k"; fi
            done
        done
    done
    for b in $BINDINGS; do finish_store "$b"; done
else
    for b in $BINDINGS; do
        rm -rf "${DATA_DIR:?}/$b"
        client "$b" load -load -P "$PERF_DIR/ycsb/workloads/workloada"
        for w in $WORKLOADS; do
            run_phase "$b" "$w"
        done
        finish_store "$b"
    done
fi
END=$(date +%s)

python3 - "$OUT_DIR/meta.json" <<PY
import json, sys
meta = {
    "label": """$LABEL""",
    "script": "RECORDS=$RECORDS OPERATIONS=$OPERATIONS WORKLOADS='$WORKLOADS' BINDINGS='$BINDINGS'${YCSB_ARGS:+ YCSB_ARGS='$YCSB_ARGS'}${JAVA_OPTS:+ JAVA_OPTS='$JAVA_OPTS'}${INTERLEAVE:+ INTERLEAVE=$INTERLEAVE}$( (( REPEAT > 1 )) && echo " REPEAT=$REPEAT" || true) perf/scripts/run-ycsb.sh '$LABEL'",
    "repeat": $REPEAT,
    "records": $RECORDS,
    "operations": $OPERATIONS,
    "workloads": "$WORKLOADS".split(),
    "bindings": "$BINDINGS".split(),
    "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
    "seconds": $((END - START)),
    "loadavg_before": "$LOAD_BEFORE",
    "loadavg_after": "$(cut -d' ' -f1-3 /proc/loadavg)",
    "cpu_model": "$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')",
    "cores": $(nproc),
    "memory_gib": round($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1048576, 1),
    "java": "$("$JAVA_BIN" -version 2>&1 | sed -n 2p)",
    "git": "$GIT_REV",
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=2)
PY
python3 "$PERF_DIR/scripts/ycsb_report.py" "$OUT_DIR" --out "$OUT_DIR/REPORT.md"
echo "== $OUT_DIR/REPORT.md ($((END - START)) s)"
