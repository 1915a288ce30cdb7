#!/usr/bin/env python3
"""Inclusive shares of a cached load's parts in a JFR recording of ObjectPathBenchmark.cachedLoad (session 9):
the share of the JMH thread's CPU samples whose stack holds each part's method anywhere.

    python3 perf/scripts/jfr_load_shares.py RECORDING.jfr
"""
import json, subprocess, sys, collections
rec = sys.argv[1]
out=subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr","print","--json","--stack-depth","64","--events","jdk.ExecutionSample",rec],capture_output=True,text=True,check=True).stdout
groups={"front lookup (StateView.frontSlot)":["StateView.frontSlot"],
 "Caffeine lookup (StateView.cachedSlot)":["StateView.cachedSlot"],
 "key hash (ObjectKey.hash / Probe.of: String.hashCode)":["ObjectKey.hash","ObjectKey$Probe.of"],
 "the copy (InstanceTracker.newInstance)":["InstanceTracker.newInstance"],
 "decode (DefaultObjectRuntime.decodeFields)":["DefaultObjectRuntime.decodeFields"]}
n=0; c=collections.Counter()
for e in json.loads(out)["recording"]["events"]:
    v=e["values"]; th=(v.get("sampledThread") or {}).get("javaName") or ""
    st=v.get("stackTrace")
    if not st or not th.startswith("io.objstate.perf"): continue
    names=set()
    for f in st["frames"]:
        m=f["method"]; t=m["type"]["name"].split("/")[-1]; names.add(t+"."+m["name"])
    n+=1
    for g,ks in groups.items():
        if any(k in names for k in ks): c[g]+=1
print(f"{n} samples of the JMH thread (inclusive shares)")
for g in groups: print(f"  {100*c[g]/max(n,1):5.1f} %  {g}")
