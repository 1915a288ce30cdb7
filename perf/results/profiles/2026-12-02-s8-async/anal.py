import collections, json, subprocess, sys
rec = sys.argv[1]
jfr = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
def events(kinds):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", kinds, rec], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]
def name(f):
    return f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]
ev = events(sys.argv[3] if len(sys.argv) > 3 else "jdk.ExecutionSample,jdk.NativeMethodSample")
byThread = collections.Counter()
incl = collections.defaultdict(collections.Counter)
top = collections.defaultdict(collections.Counter)
for e in ev:
    t = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
    t = "worker" if t.startswith("io.objstate.perf") else t
    byThread[t] += 1
    st = e["values"].get("stackTrace")
    if not st: continue
    fr = st["frames"]
    top[t][name(fr[0])] += 1
    seen = set()
    for f in fr:
        n = name(f)
        if n not in seen:
            seen.add(n); incl[t][n] += 1
print("samples by thread", byThread.most_common(12))
for t in [x for x, _ in byThread.most_common(4)]:
    tot = byThread[t]
    print("\n==", t, tot, "inclusive")
    for n, c in incl[t].most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 40):
        print("%5d %5.1f%% %s" % (c, 100.0*c/tot, n))
    print("-- self")
    for n, c in top[t].most_common(20):
        print("%5d %5.1f%% %s" % (c, 100.0*c/tot, n))
a = events("jdk.ObjectAllocationSample")
w = collections.Counter(); tot = 0
for e in a:
    t = (e["values"].get("eventThread") or {}).get("javaName") or "?"
    if not (t.startswith("io.objstate.perf") or t.startswith("objstate")): continue
    st = e["values"].get("stackTrace"); wt = e["values"]["weight"]; tot += wt
    fr = st["frames"] if st else []
    key = e["values"]["objectClass"]["name"] + " @ " + " < ".join(name(f) for f in fr[:4])
    w[key] += wt
print("\n== alloc weight by class@site (worker+objstate threads)")
for k, c in w.most_common(25):
    print("%5.1f%% %s" % (100.0*c/tot, k))
