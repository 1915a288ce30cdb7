#!/usr/bin/env python3
"""Instructions of a JVM's JIT code by compiled method: a callgrind profile taken with --dump-instr=yes, each
instruction address bucketed into the method the VM's perf map (-XX:+DumpPerfMapAtExit) says it belongs to.

    python3 perf/scripts/jit_attribution.py CALLGRIND.out /tmp/perf-PID.map [UNITS [TOP]]

Prints the instructions per unit (e.g. per object committed) of the TOP busiest methods. Valgrind names native code
itself; JIT code it can only call "???", which is what this script names. Used by perf/scripts/java-instructions.sh.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jit_events import costs  # noqa: E402  (the profile's parsing, shared)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    units = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    events, totals = costs(sys.argv[1], sys.argv[2])
    ir = events.index("Ir")
    jit = {name[2:]: v[ir] for name, v in totals.items() if name.startswith("J ")}
    print("JIT code, stubs and interpreter: %.0f instructions per unit" % (sum(jit.values()) / units))
    for name, v in sorted(jit.items(), key=lambda kv: -kv[1])[:top]:
        print("%10.1f  %s" % (v / units, name[:160]))


if __name__ == "__main__":
    main()
