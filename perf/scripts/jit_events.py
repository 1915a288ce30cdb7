#!/usr/bin/env python3
"""Every event of a callgrind profile (instructions, simulated cache misses) by function, JIT code named by the VM's
perf map, as the difference of two runs of one program per unit: the steady state's cost per object.

    python3 perf/scripts/jit_events.py collect CALLGRIND.out /tmp/perf-PID.map OUT.json
    python3 perf/scripts/jit_events.py diff SHORT.json LONG.json UNITS [SORT_EVENT [TOP]]

`collect` sums each event per function: compiled Java by the perf map's method ("J ..."), native code by callgrind's
own function name ("N ..."). `diff` subtracts the shorter run's sums from the longer one's (warm-up and compiling
cancel) and divides by the units between them, sorted by SORT_EVENT (default DLmr: simulated last-level read misses).
Used by perf/scripts/cache-misses.sh and perf/scripts/java-instructions.sh (ATTRIBUTE=1, sorted by Ir).
"""
import bisect
import collections
import json
import sys


def costs(profile, perf_map):
    """(events, {name: [sum per event]}) of a callgrind profile; JIT code named "J method", native code "N function"."""
    ranges = []
    for line in open(perf_map):
        start, size, name = line.rstrip("\n").split(" ", 2)
        ranges.append((int(start, 16), int(size, 16), name))
    ranges.sort()
    starts = [r[0] for r in ranges]
    names = {}
    events = None
    totals = collections.defaultdict(lambda: [0] * 16)
    pos = 0
    after_call = False
    fn = "?"
    for line in open(profile):
        c = line[0]
        if line.startswith("events:"):
            events = line.split()[1:]
        elif c in "0123456789+-*":
            parts = line.split()
            p = parts[0]  # "instr line": the instruction address first, absolute or relative
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
                name = "J " + ranges[i][2] if i >= 0 and pos < ranges[i][0] + ranges[i][1] else "N " + fn
                t = totals[name]
                for k, v in enumerate(parts[2:]):
                    t[k] += int(v)
        elif line.startswith("fn=") or line.startswith("cfn="):
            rest = line.split("=", 1)[1].strip()
            if rest.startswith("("):  # compressed: "(id) name" the first time, "(id)" after
                ident = rest.split(")")[0] + ")"
                if rest[len(ident):].strip():
                    names[ident] = rest[len(ident):].strip()
                rest = names.get(ident, ident)
            if line.startswith("fn="):
                fn = rest
        elif line.startswith("calls="):
            after_call = True
    return events, {k: v[:len(events)] for k, v in totals.items()}


def collect(profile, perf_map, out):
    events, totals = costs(profile, perf_map)
    json.dump({"events": events, "totals": totals}, open(out, "w"))


def diff(short, long, units, sort_event="DLmr", top=30):
    a, b = json.load(open(short)), json.load(open(long))
    events = b["events"]
    rows = []
    for name, v in b["totals"].items():
        u = a["totals"].get(name, [0] * len(events))
        rows.append((name, [(x - y) / units for x, y in zip(v, u)]))
    fmt = "%9.1f " * len(events)
    print(("%9s " * len(events)) % tuple(events))
    print(fmt % tuple(sum(r[1][i] for r in rows) for i in range(len(events))), "whole process")
    print(fmt % tuple(sum(r[1][i] for r in rows if r[0].startswith("J ")) for i in range(len(events))), "JIT code")
    k = events.index(sort_event)
    for name, v in sorted(rows, key=lambda r: -r[1][k])[:top]:
        print(fmt % tuple(v), name[:140])


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "collect":
        collect(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 5 and sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3], float(sys.argv[4]), *(sys.argv[5:6] or ["DLmr"]),
             *([int(sys.argv[6])] if len(sys.argv) > 6 else []))
    else:
        sys.exit(__doc__)
