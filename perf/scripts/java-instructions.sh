#!/usr/bin/env bash
# Instructions per object of ObjectPathBenchmark's batched commit (or one-object commit), counted by valgrind:
# deterministic where timings on this shared VM move by 2x, and covering the JIT's code, which cachegrind's own
# per-function tables cannot name (perf/PROFILES.md, "Session 53").
#
#   perf/scripts/java-instructions.sh JAR [WAY] [PATH]            # totals: whole process, JIT code, the engine
#   ATTRIBUTE=1 perf/scripts/java-instructions.sh JAR [WAY] [PATH] # and the instructions by compiled method (~8 min)
#
# Runs perf/scripts/CommitCpuPerOp.java under cachegrind twice, 3 and 13 rounds of 100 batch commits (or 100 000
# one-object commits with PATH=singleCommit), and divides the difference by the million objects (commits) between:
# warm-up and JIT compiling cancel out (two runs of one jar agree within ~0.2 %); the JVM's options are
# valgrind_commit_run's (common.sh).
# With ATTRIBUTE=1 two more runs (callgrind, per instruction, -XX:+DumpPerfMapAtExit; 3 and 13 rounds) bucket the
# instructions by the perf map's compiled methods and the engine's functions and are differenced the same way
# (perf/scripts/jit_events.py): the steady state's cost per method, warm-up and compiling cancelled.
set -euo pipefail
JAR="$(realpath "${1:?usage: java-instructions.sh BENCHMARKS_JAR [WAY] [batchCommit|singleCommit]}")"
WAY="${2:-objstate-registry}"
BENCH_PATH="${3:-batchCommit}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh"
JAVA="$(find_java)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/java-instructions.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [[ "$BENCH_PATH" == batchCommit ]]; then PROPS="-Dsops=0 -Dbops=100"; PER=100000; else PROPS="-Dbops=0 -Dsops=100000"; PER=100000; fi
run() { # rounds, tool, output file, extra valgrind options...
    local rounds="$1" tool="$2" out="$3"; shift 3
    valgrind_commit_run "$JAVA" "$JAR" "$WAY" "$rounds" "$tool" "$out" "$PROPS" "$@"
}
run 3 cachegrind "$WORK/a.out" --cache-sim=no & run 13 cachegrind "$WORK/b.out" --cache-sim=no; wait
total() { grep "I *refs" "$1.log" | awk '{print $4}' | tr -d ,; }
a=$(total "$WORK/a.out"); b=$(total "$WORK/b.out")
cg_diff "$WORK/a.out" "$WORK/b.out" > "$WORK/diff.out" 2>/dev/null
cg_annotate "$WORK/diff.out" 2>/dev/null > "$WORK/diff.txt"
jit=$(grep -E '[?]{3}:[?]{3}$' "$WORK/diff.txt" | awk '{gsub(",", "", $1); print $1}')
engine=$(grep -E '[?]{3}:(os_|ostore_|obj_|hw_x86|put_objects|read_obj|slab_)' "$WORK/diff.txt" \
    | awk '{gsub(",", "", $1); s += $1} END {printf "%d\n", s}')
per=$((10 * PER))
echo "$WAY $BENCH_PATH, per object: $(( (b - a) / per )) instructions; JIT code and interpreter $(( jit / per )), engine $(( engine / per ))"
if [[ "${ATTRIBUTE:-0}" == 1 ]]; then
    attribute() { # rounds, output prefix
        EXTRA_VM_OPTS="-XX:+DumpPerfMapAtExit" run "$1" callgrind "$2.out" --dump-instr=yes
        local pid
        pid=$(valgrind_pid "$2.out.log")
        python3 "$HERE/jit_events.py" collect "$2.out" "/tmp/perf-$pid.map" "$2.json"
        rm -f "/tmp/perf-$pid.map"
    }
    attribute 3 "$WORK/short" & attribute 13 "$WORK/long"; wait
    python3 "$HERE/jit_events.py" diff "$WORK/short.json" "$WORK/long.json" "$per" Ir 30
fi
