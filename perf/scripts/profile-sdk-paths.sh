#!/usr/bin/env bash
# JFR profiles of the SDK's hot paths through the public API, one flame graph SVG per path:
#
#   perf/scripts/profile-sdk-paths.sh OUT_DIR [BENCHMARKS_JAR]
#
# Paths: ObjectPathBenchmark batchCommit, singleCommit, cachedLoad (way=objstate-registry: an ordinary
# class, no @Version) and AsyncCommitBenchmark latencyNone (commitAsync). Each runs in its own JMH fork with
# JMH's JFR profiler (1 fork, 2 x 1 s warmup, 3 x 2 s measured); perf/scripts/flamegraph.py folds the CPU
# samples of the benchmark's and objstate's threads into OUT_DIR/<path>.svg and prints the top frames to OUT_DIR/<path>.txt.
# PATHS="batchCommit singleCommit" profiles only those paths (default: all four; uncachedLoad, a runtime with
# cacheMaxBytes(0), only when named).
set -euo pipefail
OUT="${1:?usage: profile-sdk-paths.sh OUT_DIR [BENCHMARKS_JAR]}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="${2:-$HERE/../target/benchmarks.jar}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
mkdir -p "$OUT"
PATHS="${PATHS:-batchCommit singleCommit cachedLoad commitAsync}"
run() { # name, benchmark regex, extra JMH args...
    local name="$1" regex="$2"; shift 2
    [[ " $PATHS " == *" $name "* ]] || return 0
    # DebugNonSafepoints: debug information at every compiled instruction, not only at safepoints, for the samples'
    # frames. Even so the self frame of a stall moves between runs with the JIT's inlining (session 55, batchCommit:
    # ShortCopy.betweenArrays 23-28 % of the samples in two runs, InstanceTracker.carriedKey 15 % in a third).
    "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" "$regex" -f 1 -wi 2 -w 1s -i 3 -r 2s "$@" \
        -jvmArgsPrepend "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" \
        -prof "jfr:dir=$OUT/jfr-$name" > "$OUT/$name.jmh.txt" 2>&1
    local jfr; jfr="$(find "$OUT/jfr-$name" -name profile.jfr | head -1)"
    # the benchmark's threads and objstate's own (persister, callbacks); not JMH's or JFR's
    python3 "$HERE/flamegraph.py" "$jfr" "$OUT/$name.svg" --title "$name ($JAR)" --top 15 \
        --thread "io.objstate.perf,objstate-" > "$OUT/$name.txt"
}
run batchCommit 'ObjectPathBenchmark.batchCommit' -p way=objstate-registry
run singleCommit 'ObjectPathBenchmark.singleCommit' -p way=objstate-registry
run cachedLoad 'ObjectPathBenchmark.cachedLoad' -p way=objstate-registry
run uncachedLoad 'ObjectPathBenchmark.uncachedLoad' -p way=objstate-registry
run commitAsync 'AsyncCommitBenchmark.latencyNone' -p way=commitAsync
echo "flame graphs in $OUT"
