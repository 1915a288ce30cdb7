#!/usr/bin/env python3
# A/B of the C bench's open + 10 000 gets: python3 ab3.py BENCH_A BENCH_B [ENV_B] [rounds]
import os, re, statistics, subprocess, sys
a, b = sys.argv[1], sys.argv[2]
envb = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 3
store = os.environ.get("STORE", "/tmp/co")
res = {"A": [], "B": []}
for r in range(reps):
    for v, bench in (("A", a), ("B", b)) if r % 2 == 0 else (("B", b), ("A", a)):
        env = dict(os.environ, OSTORE_BENCH_ONLY="open", OSTORE_BENCH_ROUNDS="8", OSTORE_BENCH_GETS="10000")
        if v == "B" and envb:
            k, val = envb.split("=", 1); env[k] = val
        out = subprocess.run([bench, store], env=env, capture_output=True, text=True).stdout + \
              subprocess.run(["true"], capture_output=True, text=True).stdout
        opens = [float(x) for x in re.findall(r"open of \d+ objects: ([\d.]+) ms", out)]
        gets = [float(x) for x in re.findall(r"gets: ([\d.]+) ms", out)]
        tots = [float(x) for x in re.findall(r"open \+ gets \+ close: ([\d.]+) ms", out)]
        m = lambda l: statistics.median(l) if l else float('nan')
        res[v].append((m(opens), m(gets), m(tots)))
        print("%s open %5.1f gets %5.1f total %5.1f" % (v, m(opens), m(gets), m(tots)), flush=True)
for v in "AB":
    print(v, "medians of runs: open %.1f gets %.1f total %.1f" % tuple(statistics.median(x[i] for x in res[v]) for i in range(3)))
