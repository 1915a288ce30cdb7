#!/usr/bin/env bash
# Each batch commit of BatchSeries cut out of a kernel trace: where in the batch (before the engine, inside
# ostore_write_batch, after it) the time went, and which page faults and system calls of the log fell into it.
# Needs root and tracefs (/sys/kernel/tracing); uprobes on the library's ostore_write_batch mark the engine call.
#
#   perf/scripts/batch-trace.sh LIBOSTORE OUT.txt [BATCHES] [WAY]
#   python3 perf/scripts/batch_trace.py OUT.txt          # phases and the batches with a fault in the log
#
# LIBOSTORE is the engine to load (-Dobjstate.native.library): build one per variant with
# `make -s -C native-src OUT=/tmp/x /tmp/x/libostore.so`. Java: $JAVA, else the JDK 25 under /usr/lib/jvm (common.sh).
# Tracing slows the run (a median batch ~1.4x).
set -euo pipefail
LIB=$(readlink -f "$1"); OUT=$2; BATCHES=${3:-1500}; WAY=${4:-objstate-registry}
T=/sys/kernel/tracing
cd "$(dirname "$0")/../.."
# shellcheck source=common.sh
source perf/scripts/common.sh
JAVA="$(find_java)"
off=$(nm -D "$LIB" | awk '/ ostore_write_batch$/{print $1}')
if [[ ! -e $T/tracing_on ]]; then # a freshly booted VM may not have it mounted
    mount -t tracefs nodev $T || { echo "no tracefs at $T (root needed)" >&2; exit 2; }
fi
buffer_kb=$(sed -E 's/.*expanded: ([0-9]+).*/\1/; s/ .*//' $T/buffer_size_kb) # put back afterwards: the trace's 200 MB per CPU are only this run's
echo 0 > $T/tracing_on; echo > $T/set_event; echo > $T/uprobe_events; echo > $T/trace
echo 200000 > $T/buffer_size_kb
echo "p:uprobes/wb_in $LIB:0x$off" > $T/uprobe_events
echo "r:uprobes/wb_out $LIB:0x$off" >> $T/uprobe_events
for e in uprobes:wb_in uprobes:wb_out exceptions:page_fault_user sched:sched_switch filemap:mm_filemap_fault \
    syscalls:sys_enter_msync syscalls:sys_enter_fdatasync syscalls:sys_enter_sync_file_range \
    syscalls:sys_enter_madvise syscalls:sys_exit_madvise syscalls:sys_enter_fallocate ext4:ext4_writepages; do
    echo $e >> $T/set_event
done
cleanup() {
    echo 0 > $T/tracing_on; echo > $T/set_event; echo > $T/uprobe_events; echo > $T/trace
    echo "$buffer_kb" > $T/buffer_size_kb
}
trap cleanup EXIT
echo 1 > $T/tracing_on
"$JAVA" -Dmark=true -Dwarm=4000 -Dobjstate.native.library="$LIB" --sun-misc-unsafe-memory-access=allow \
    --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar perf/scripts/BatchSeries.java "$WAY" "$BATCHES" \
    | sed -n 1p
echo 0 > $T/tracing_on
cat $T/trace > "$OUT"
