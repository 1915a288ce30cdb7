#!/bin/sh
# when-quiet.sh PROBE_BENCH MAX_NS DEADLINE_UTC -- COMMAND...
#
# Runs COMMAND once this shared VM is at its fast speed, or not at all. Every 90 s until DEADLINE_UTC (a `date -d`
# time, e.g. 15:40), it runs the C bench's one-object overwrite of the SDK's shape as a probe
# (OSTORE_BENCH_ONLY=sdk OSTORE_BENCH_PHASE=one, ~1 s): the VM's speed moves by 2x between minutes, and that probe
# reads ~300 ns a batch in its fast ones and 600–1 000 in its slow ones (perf/PROFILES.md, "Session 41"). When two
# probes in a row read at most MAX_NS, COMMAND runs; its exit status is the script's. Exit 3: the deadline passed.
# The probe's readings go to stderr with the clock, so the log says what speed the run started at.
#
#   perf/scripts/when-quiet.sh /tmp/b/bench 400 15:40 -- java -jar perf/target/benchmarks.jar ...
set -u
if [ $# -lt 5 ] || [ "$4" != "--" ]; then
    echo "usage: when-quiet.sh PROBE_BENCH MAX_NS DEADLINE_UTC -- COMMAND..." >&2
    exit 2
fi
probe=$1
max=$2
deadline=$(date -u -d "$3" +%s)
shift 4
dir=$(mktemp -d "${TMPDIR:-/tmp}/when-quiet.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fast=0
while [ "$(date -u +%s)" -lt "$deadline" ]; do
    ns=$(OSTORE_BENCH_ONLY=sdk OSTORE_BENCH_PHASE=one OSTORE_BENCH_ROUNDS=100 "$probe" "$dir" 2>/dev/null |
        sed -n 's/.*overwrite: \([0-9.]*\) ns\/batch.*/\1/p' | head -1)
    echo "$(date -u +%H:%M:%S) probe ${ns:-?} ns/batch (run at <= $max)" >&2
    if [ -n "$ns" ] && awk -v a="$ns" -v b="$max" 'BEGIN { exit !(a <= b) }'; then
        fast=$((fast + 1))
    else
        fast=0
    fi
    if [ "$fast" -ge 2 ]; then
        echo "$(date -u +%H:%M:%S) quiet: running $*" >&2
        "$@"
        exit $?
    fi
    sleep 90
done
echo "$(date -u +%H:%M:%S) deadline passed, the VM never read quiet twice in a row" >&2
exit 3
