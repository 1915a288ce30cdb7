#!/usr/bin/env bash
# Simulated cache misses per object of ObjectPathBenchmark's batched commit, by compiled method and engine function:
# the instructions of perf/scripts/java-instructions.sh with callgrind's cache simulation, to see which lines a path
# waits for (timings on this shared VM move by 2x; the simulation is deterministic, but models neither prefetching
# nor how many misses overlap: perf/PROFILES.md, "Session 54").
#
#   perf/scripts/cache-misses.sh JAR [WAY]     # WAY: objstate-registry (default), objstate, jackson-map, ...
#
# Runs perf/scripts/CommitCpuPerOp.java under callgrind for 3 and 13 rounds of 100 batch commits and prints the
# difference per object (1 M objects between), sorted by simulated L2 read misses. The caches simulated are this VM's
# (AMD family 26: 48 KiB 12-way L1d, 1 MiB 16-way L2 as valgrind's "LL"); CACHE overrides the options, e.g.
# CACHE="--D1=32768,8,64 --LL=33554432,16,64" for L1 and a 32 MiB L3. ~10 minutes.
set -euo pipefail
JAR="$(realpath "${1:?usage: cache-misses.sh BENCHMARKS_JAR [WAY]}")"
WAY="${2:-objstate-registry}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh"
JAVA="$(find_java)"
CACHE="${CACHE:---D1=49152,12,64 --LL=1048576,16,64}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cache-misses.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
run() { # rounds, output prefix
    # shellcheck disable=SC2086 # CACHE is a list of valgrind options
    EXTRA_VM_OPTS="-XX:+DumpPerfMapAtExit" valgrind_commit_run "$JAVA" "$JAR" "$WAY" "$1" callgrind "$2.out" \
        "-Dsops=0 -Dbops=100" --dump-instr=yes --cache-sim=yes $CACHE
    local pid
    pid=$(valgrind_pid "$2.out.log")
    python3 "$HERE/jit_events.py" collect "$2.out" "/tmp/perf-$pid.map" "$2.json"
    rm -f "/tmp/perf-$pid.map"
}
run 3 "$WORK/short" & run 13 "$WORK/long"; wait
echo "$WAY batchCommit, per object (13 rounds minus 3; $CACHE):"
python3 "$HERE/jit_events.py" diff "$WORK/short.json" "$WORK/long.json" 1000000 DLmr 25
