#!/usr/bin/env python3
"""Share of a JFR profile's samples (benchmark and objstate threads) whose leaf (self) frame is VarHandle or
MethodHandle machinery: VarHandleGuards, VarHandle* field accessors, LambdaForm/Invokers glue, constructor
handles. What generated field access (sdk-api ObjectAccessors/FieldAccessors) removes from encode; on a load
the remaining ones are inlined constant handles (array reads, the allocation itself).
Usage: perf/scripts/handle-share.py profile.jfr..."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flamegraph import load, find_jfr
for p in sys.argv[1:]:
    folded = load(p, find_jfr(None), "io.objstate.perf,objstate-")
    total = sum(folded.values())
    hit = sum(n for st, n in folded.items() if st[-1].startswith(("VarHandle", "Invokers", "LambdaForm", "DirectMethodHandle$Holder", "MethodHandle."))
              or st[-1].endswith((".invoke", ".newInvokeSpecial", ".invokeExact_MT", ".linkToTargetMethod")))
    print(f"{p.split('/')[-4] if '/jfr/' in p else p}: {total} samples, {hit} ({100.0 * hit / max(total, 1):.1f} %) self in handle dispatch")
