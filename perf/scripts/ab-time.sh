#!/usr/bin/env bash
# Times two commands as whole processes, alternated A B A B ..., and prints each figure's minimum, median and
# maximum and the A/B ratios taken pair by pair (pairing keeps a ratio meaningful while this VM's speed drifts).
#
#   perf/scripts/ab-time.sh [-n RUNS] [--warmup W] [--timeout SECONDS] --vs 'COMMAND_B' -- COMMAND_A [ARG ...]
#
# RUNS (default 5) counted runs of each, after W (default 1) uncounted runs of each. COMMAND_B is one string run by
# `sh -c`; COMMAND_A is run as given. Their output is discarded: a command that must keep its own figures writes
# them itself, e.g. "sh -c 'exec build/bench >>old.txt 2>&1'". --timeout is accepted and ignored (kill a run that
# hangs yourself). Figures: wall, user and system seconds of each run (GNU time, /usr/bin/time), and its peak RSS.
set -euo pipefail

RUNS=5 WARMUP=1 B=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) RUNS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --timeout) shift 2 ;;
        --vs) B="$2"; shift 2 ;;
        --) shift; break ;;
        *) break ;;
    esac
done
[[ $# -gt 0 && -n "$B" ]] || { sed -n '2,10p' "$0" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

one() {  # one <out file> <command...>: appends "wall user sys peak_kib"
    local out="$1"; shift
    /usr/bin/time -f '%e %U %S %M' -o "$TMP/t" "$@" > /dev/null 2>&1 || true
    tail -1 "$TMP/t" >> "$out"
}
for ((i = 0; i < WARMUP; i++)); do one "$TMP/warm" "$@"; one "$TMP/warm" sh -c "$B"; done
for ((i = 0; i < RUNS; i++)); do one "$TMP/a" "$@"; one "$TMP/b" sh -c "$B"; done

python3 - "$TMP/a" "$TMP/b" <<'PY'
import statistics, sys
a = [list(map(float, l.split())) for l in open(sys.argv[1])]
b = [list(map(float, l.split())) for l in open(sys.argv[2])]
names = ["wall s", "user s", "sys s", "peak MiB"]
def row(label, xs):
    if not xs:
        print(f"{label:<14}{'-':>12}{'-':>12}{'-':>12}   (a zero denominator)")
        return
    print(f"{label:<14}{min(xs):>12.3f}{statistics.median(xs):>12.3f}{max(xs):>12.3f}")
print(f"{'':<14}{'min':>12}{'median':>12}{'max':>12}   n: {len(a)} pairs, A B A B ...")
for side, runs in (("A", a), ("B", b)):
    for k, name in enumerate(names):
        row(f"{side} {name}", [r[k] / 1024 if k == 3 else r[k] for r in runs])
for k, name in ((1, "user"), (0, "wall")):
    row(f"A/B {name}", [x[k] / y[k] for x, y in zip(a, b) if y[k] > 0])
cpu = [(x[1] + x[2]) / (y[1] + y[2]) for x, y in zip(a, b) if y[1] + y[2] > 0]
row("A/B cpu", cpu)
PY
