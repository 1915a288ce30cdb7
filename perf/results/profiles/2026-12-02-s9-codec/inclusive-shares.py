# Inclusive shares of a JFR recording's samples of the JMH thread: each frame counted once per sample it is on.
# Run from the repository root: python3 perf/results/profiles/2026-12-02-s9-codec/inclusive-shares.py REC.jfr [TOP]
import sys, collections
sys.path.insert(0, "perf/scripts")
import flamegraph as fg
folded = fg.load(sys.argv[1], fg.find_jfr(None), "io.objstate.perf")
total = sum(folded.values())
incl = collections.Counter()
for st, v in folded.items():
    for name in set(st):
        incl[name] += v
print(total, "samples")
for name, v in incl.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 40):
    print(f"{100.0*v/total:6.1f}%  {name}")
