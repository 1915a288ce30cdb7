#!/usr/bin/env python3
"""Instructions of a JVM's JIT code by compiled method: a callgrind profile taken with --dump-instr=yes, each
instruction address bucketed into the method the VM's perf map (-XX:+DumpPerfMapAtExit) says it belongs to.

    python3 perf/scripts/jit_attribution.py CALLGRIND.out /tmp/perf-PID.map [UNITS [TOP]]

Prints the instructions per unit (e.g. per object committed) of the TOP busiest methods. Valgrind names native code
itself; JIT code it can only call "???", which is what this script names. Used by perf/scripts/java-instructions.sh.
"""
import bisect
import collections
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    units = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    ranges = []
    for line in open(sys.argv[2]):
        start, size, name = line.rstrip("\n").split(" ", 2)
        ranges.append((int(start, 16), int(size, 16), name))
    ranges.sort()
    starts = [r[0] for r in ranges]
    cost = collections.Counter()
    pos = 0
    after_call = False
    for line in open(sys.argv[1]):
        c = line[0]
        if c in "0123456789+-*":
            parts = line.split()
            p = parts[0]  # positions are "instr line": the instruction address first, absolute or relative
            if p.startswith("0x"):
                pos = int(p, 16)
            elif p[0] in "+-":
                delta = int(p[1:], 16) if p[1:].startswith("0x") else int(p[1:])
                pos += delta if p[0] == "+" else -delta
            elif p != "*":
                pos = int(p)
            if after_call:  # the line after calls= holds the call's inclusive cost, not the caller's own
                after_call = False
                continue
            if len(parts) > 2:
                i = bisect.bisect_right(starts, pos) - 1
                if i >= 0 and pos < ranges[i][0] + ranges[i][1]:
                    cost[ranges[i][2]] += int(parts[2])
        elif line.startswith("calls="):
            after_call = True
    print("JIT code, stubs and interpreter: %.0f instructions per unit" % (sum(cost.values()) / units))
    for name, v in cost.most_common(top):
        print("%10.1f  %s" % (v / units, name[:160]))


if __name__ == "__main__":
    main()
