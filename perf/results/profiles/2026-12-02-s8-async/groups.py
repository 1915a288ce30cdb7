import json, subprocess, sys, collections
jfr = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
out = subprocess.run([jfr, "print", "--json", "--stack-depth", "12", "--events", "io.objstate.AsyncGroup,jdk.ThreadPark", sys.argv[1]], capture_output=True, text=True, check=True).stdout
ev = json.loads(out)["recording"]["events"]
g = [e["values"] for e in ev if e["type"] == "io.objstate.AsyncGroup"]
cs = sorted(x["commits"] for x in g)
if cs:
    print("groups", len(cs), "commits total", sum(cs), "p10/p50/p90", cs[len(cs)//10], cs[len(cs)//2], cs[9*len(cs)//10], "mean", sum(cs)/len(cs))
    hist = collections.Counter(min(c, 300)//25*25 for c in cs); print(sorted(hist.items()))
parks = collections.Counter()
for e in ev:
    if e["type"] != "jdk.ThreadPark": continue
    v = e["values"]; t = (v.get("eventThread") or {}).get("javaName") or "?"
    fr = (v.get("stackTrace") or {}).get("frames") or []
    site = next((f["method"]["type"]["name"].split("/")[-1]+"."+f["method"]["name"] for f in fr if "objstate" in f["method"]["type"]["name"] or "disruptor" in f["method"]["type"]["name"]), "?")
    parks[(t[:20], site)] += 1
for k, c in parks.most_common(10): print(c, k)
