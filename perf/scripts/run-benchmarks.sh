#!/usr/bin/env bash
# Runs the JMH benchmarks of perf/ for every registered store (io.objstate.perf.Peers) in one JVM run per
# workload group, writes the JMH JSON and a sidecar with the command and the machine, then the report.
#
#   perf/scripts/run-benchmarks.sh [quick|full|headline|smoke] [extra JMH options...]
#
#   quick (default)  1 fork, 2 warmup x 1 s, 3 measurement x 1 s; 100 000 objects (durable: 10 000);
#                    about 8 minutes on 2 cores for the peers, plus about 3 for the SDK benchmarks (package
#                    io.objstate.perf.sdk, 10 000 objects), plus about 2 for ColdOpen (50 s), PartialUpdate
#                    (50 s) and DiskFootprint (15 s). Writes perf/results/<date>.json, perf/RESULTS.md, charts.
#   full             1 fork, 3 warmup x 2 s, 5 measurement x 2 s; 1 000 000 objects (durable: 100 000),
#                    values of 100 B and 1 KiB; about an hour (SDK benchmarks: 100 000 objects). Same outputs as quick.
#   headline         3 forks, 3 warmup x 1 s, 8 measurement x 2 s; quick's sizes. perf/RESULTS.md's headline rows
#                    need at least 2 forks x 5 x 2 s with errors under 20 % of the score; on this 2-core VM 2 x 5
#                    left several rows over 20 % (sessions 14, 16, 23) and 3 x 8 none but commitAsync's throughput
#                    (session 24). About 70 s per row: meant with a narrowed WORKLOADS/STORES, e.g.
#                    WORKLOADS="ObjectPath AsyncCommit Codec PointGet" STORES=objstate,chronicle-map.
#   smoke            1 iteration of 1 s, no warmup, 10 000 objects (durable: 1 000, SDK: 2 000): checks that every
#                    workload runs for every store. Writes under perf/target/smoke/ only.
#
#   Every profile also runs ColdOpen (its own JMH run, single-shot: 30 warmup + 5 measured opens in quick,
#   30 + 10 in full and in headline's 2 forks, one unwarmed in smoke — the read paths compile over the first dozen
#   opens; 100 000 objects quick, 1 000 000 full, 10 000 smoke), PartialUpdate (with the SDK
#   benchmarks and their sizes) and, after JMH, the DiskFootprint program (not JMH: sizes; same object counts
#   as ColdOpen), whose JSON goes next to the result as <date>.disk.json (and to perf/target/disk-footprint.json).
#
# Environment: WORKLOADS (default "BulkLoad PointGet SingleCommit Mixed DurableCommit ColdOpen DiskFootprint" and
# the SDK workloads "ObjectPath Codec AsyncCommit Downcall BufferPool CodecCache PartialUpdate", which compare by
# their `way`), STORES (comma
# list, default every registered store), JAVA (default: the Temurin 25 JDK under /usr/lib/jvm),
# PERF_DATA_DIR (where the stores are created; must be a real disk, default perf/target/perf-data),
# REPORT=0 to skip perf/scripts/report.py. Extra arguments go to every JMH invocation, e.g. -p store=lmdb.
set -euo pipefail

PROFILE="${1:-quick}"
if [[ $# -gt 0 ]]; then shift; fi
PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(dirname "$PERF_DIR")"
JAR="$PERF_DIR/target/benchmarks.jar"
WORKLOADS="${WORKLOADS:-BulkLoad PointGet SingleCommit Mixed DurableCommit ColdOpen ObjectPath Codec AsyncCommit Downcall BufferPool CodecCache PartialUpdate DiskFootprint}"
DATA_DIR="${PERF_DATA_DIR:-$PERF_DIR/target/perf-data}"

# shellcheck source=common.sh
source "$PERF_DIR/scripts/common.sh"
JAVA_BIN="$(find_java)"

case "$PROFILE" in
    quick)
        TIMING=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
        SIZES=()
        DURABLE_SIZES=()
        SDK_SIZES=()
        COLD_TIMING=(-f 1 -bm ss -wi 30 -i 5)
        COLD_SIZES=(-p objects=100000)
        FOOTPRINT_OBJECTS=100000
        OUT_DIR="$PERF_DIR/results"; REPORT_MD="$PERF_DIR/RESULTS.md"; CHARTS="$PERF_DIR/results/charts" ;;
    full)
        TIMING=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
        SIZES=(-p objects=1000000 -p valueSize=100,1024)
        DURABLE_SIZES=(-p objects=100000 -p valueSize=100,1024)
        SDK_SIZES=(-p objects=100000)
        COLD_TIMING=(-f 1 -bm ss -wi 30 -i 10)
        COLD_SIZES=(-p objects=1000000)
        FOOTPRINT_OBJECTS=1000000
        OUT_DIR="$PERF_DIR/results"; REPORT_MD="$PERF_DIR/RESULTS.md"; CHARTS="$PERF_DIR/results/charts" ;;
    headline)
        TIMING=(-f 3 -wi 3 -w 1s -i 8 -r 2s)
        SIZES=()
        DURABLE_SIZES=()
        SDK_SIZES=()
        COLD_TIMING=(-f 2 -bm ss -wi 30 -i 10)
        COLD_SIZES=(-p objects=100000)
        FOOTPRINT_OBJECTS=100000
        OUT_DIR="$PERF_DIR/results"; REPORT_MD="$PERF_DIR/RESULTS.md"; CHARTS="$PERF_DIR/results/charts" ;;
    smoke)
        TIMING=(-f 1 -wi 0 -i 1 -r 1s)
        SIZES=(-p objects=10000)
        DURABLE_SIZES=(-p objects=1000)
        SDK_SIZES=(-p objects=2000)
        COLD_TIMING=(-f 1 -bm ss -wi 0 -i 1)
        COLD_SIZES=(-p objects=10000)
        FOOTPRINT_OBJECTS=10000
        OUT_DIR="$PERF_DIR/target/smoke"; REPORT_MD="$OUT_DIR/RESULTS.md"; CHARTS="$OUT_DIR/charts" ;;
    *)
        echo "unknown profile '$PROFILE': expected quick, full, headline or smoke" >&2
        exit 2 ;;
esac

# Build when the jar is missing or older than a source: the reactor build (it builds the objstate modules
# perf depends on), or perf alone when the reactor cannot build yet.
if [[ ! -f "$JAR" ]] || [[ -n "$(find "$PERF_DIR/src/main" "$PERF_DIR/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    echo "== building $JAR"
    if ! (cd "$ROOT" && mvn -B -q -pl perf -am package -DskipTests); then
        echo "== the reactor build failed; building perf alone"
        (cd "$ROOT" && mvn -B -q -f perf/pom.xml package -DskipTests)
    fi
fi

HOST_FLAGS=(--sun-misc-unsafe-memory-access=allow)
STORES="${STORES:-$("$JAVA_BIN" "${HOST_FLAGS[@]}" -cp "$JAR" io.objstate.perf.Peers)}"
STAMP="$(date +%Y-%m-%d-%H%M%S)"
mkdir -p "$OUT_DIR" "$DATA_DIR"
OUT="$OUT_DIR/$STAMP.json"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

COMMON=(-p "store=$STORES" -prof io.objstate.perf.ProcessCpuProfiler
        -jvmArgsPrepend "-Dobjstate.perf.dir=$DATA_DIR" -rf json)
# The SDK benchmarks have no `store`: they compare objstate with plain ways through their own `way` parameter.
SDK_COMMON=(-prof io.objstate.perf.ProcessCpuProfiler -jvmArgsPrepend "-Dobjstate.perf.dir=$DATA_DIR" -rf json)

declare -a plain=() durable=() sdk=() cold=()
FOOTPRINT=0
for w in $WORKLOADS; do
    case "$w" in
        DurableCommit) durable+=("DurableCommitBenchmark") ;;
        BulkLoad|PointGet|SingleCommit|Mixed) plain+=("${w}Benchmark") ;;
        ColdOpen) cold+=("io.objstate.perf.ColdOpenBenchmark.") ;;
        DiskFootprint) FOOTPRINT=1 ;;
        ObjectPath|Codec|AsyncCommit|Downcall|BufferPool|CodecCache|PartialUpdate) sdk+=("io.objstate.perf.sdk.${w}Benchmark.") ;;
        *) echo "unknown workload '$w'" >&2; exit 2 ;;
    esac
done

COMMANDS=()
run_jmh() {  # run_jmh <json-out> <jmh args...>
    local json="$1"; shift
    local cmd=("$JAVA_BIN" "${HOST_FLAGS[@]}" -jar "$JAR" "$@" -rff "$json")
    local shown="${cmd[*]}"
    COMMANDS+=("${shown//$TMP/\$TMPDIR} (merged into $(basename "$OUT"))")
    echo "== ${cmd[*]}"
    "${cmd[@]}"
}

START=$(date +%s)
parts=()
if [[ ${#plain[@]} -gt 0 ]]; then
    run_jmh "$TMP/plain.json" "${plain[@]}" "${TIMING[@]}" "${SIZES[@]}" "${COMMON[@]}" "$@"
    parts+=("$TMP/plain.json")
fi
if [[ ${#durable[@]} -gt 0 ]]; then
    run_jmh "$TMP/durable.json" "${durable[@]}" "${TIMING[@]}" "${DURABLE_SIZES[@]}" "${COMMON[@]}" "$@"
    parts+=("$TMP/durable.json")
fi
if [[ ${#cold[@]} -gt 0 ]]; then
    # Single-shot: one open + 10 000 loads per iteration; its own iteration counts (the -w/-r times do not apply).
    run_jmh "$TMP/cold.json" "${cold[@]}" "${COLD_TIMING[@]}" "${COLD_SIZES[@]}" "${COMMON[@]}" "$@"
    parts+=("$TMP/cold.json")
fi
if [[ ${#sdk[@]} -gt 0 ]]; then
    run_jmh "$TMP/sdk.json" "${sdk[@]}" "${TIMING[@]}" "${SDK_SIZES[@]}" "${SDK_COMMON[@]}" "$@"
    parts+=("$TMP/sdk.json")
fi
if [[ "$FOOTPRINT" == 1 ]]; then
    # Bytes on disk: a plain program, not JMH (it starts a child JVM with the peers' flags itself).
    FP_JSON="$PERF_DIR/target/disk-footprint.json"
    fp=("$JAVA_BIN" "${HOST_FLAGS[@]}" "-Dobjstate.perf.dir=$DATA_DIR" -cp "$JAR" io.objstate.perf.DiskFootprint
        "$FOOTPRINT_OBJECTS" --stores "$STORES" --out "$FP_JSON")
    COMMANDS+=("${fp[*]} (copied to $(basename "${OUT%.json}").disk.json)")
    echo "== ${fp[*]}"
    "${fp[@]}"
    cp "$FP_JSON" "${OUT%.json}.disk.json"
fi
END=$(date +%s)

python3 - "$OUT" "${parts[@]}" <<'PY'
import json, sys
out, parts = sys.argv[1], sys.argv[2:]
merged = []
for p in parts:
    with open(p) as f:
        merged.extend(json.load(f))
with open(out, "w") as f:
    json.dump(merged, f, indent=2)
PY

CPU_MODEL="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then GIT_REV="$GIT_REV (with uncommitted changes)"; fi
python3 - "${OUT%.json}.meta.json" <<PY
import json, sys
meta = {
    "profile": "$PROFILE",
    "script": "perf/scripts/run-benchmarks.sh $PROFILE${*:+ $*}",
    "commands": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${COMMANDS[@]}"),
    "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
    "seconds": $((END - START)),
    "cpu_model": "$CPU_MODEL",
    "cores": $(nproc),
    "memory_gib": round($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1048576, 1),
    "kernel": "$(uname -sr)",
    "git": "$GIT_REV",
    "data_dir": "$DATA_DIR",
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=2)
PY
echo "== results: $OUT ($((END - START)) s)"

if [[ "${REPORT:-1}" != "0" ]]; then
    python3 "$PERF_DIR/scripts/report.py" "$OUT" --out "$REPORT_MD" --charts "$CHARTS"
fi
