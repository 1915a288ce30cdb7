#!/usr/bin/env python3
"""Flame graph of a JFR recording's CPU samples, as a self-contained SVG (no external tools).

    python3 perf/scripts/flamegraph.py RECORDING.jfr OUT.svg [--title T] [--thread PREFIX] [--jfr PATH]
                                       [--start HH:MM:SS.mmm] [--end HH:MM:SS.mmm]

Reads jdk.ExecutionSample and jdk.NativeMethodSample events with `jfr print --json` (the jfr tool of the
JDK that made the recording), folds the stacks (root at the bottom) and draws one rectangle per frame,
its width proportional to the samples under it. Also prints the top frames by self samples.
"""
import argparse, collections, html, json, os, subprocess, sys

def find_jfr(explicit):
    if explicit:
        return explicit
    for c in ["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"]:
        if os.path.exists(c):
            return c
    return "jfr"

def frames_of(event):
    st = event.get("values", {}).get("stackTrace") or {}
    out = []
    for f in reversed(st.get("frames") or []):
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?").replace("/", ".")
        pkg = "objstate:" if t.startswith("io.objstate") else ""
        out.append(pkg + t.split(".")[-1] + "." + m.get("name", "?"))
    return out

def load(path, jfr, thread_prefix, start="", end=""):
    res = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                         capture_output=True, text=True, check=True)
    events = json.loads(res.stdout)["recording"]["events"]
    folded = collections.Counter()
    for e in events:
        th = (e.get("values", {}).get("sampledThread") or {}).get("javaName") or ""
        t = (e.get("values", {}).get("startTime") or "")[11:23]  # HH:MM:SS.mmm of an ISO timestamp
        if (start and t < start) or (end and t > end):
            continue
        if thread_prefix and not th.startswith(tuple(thread_prefix.split(","))):
            continue
        fr = frames_of(e)
        if fr:
            folded[tuple(fr)] += 1
    return folded

def build_tree(folded):
    root = {"n": "all", "v": 0, "c": {}}
    for stack, v in folded.items():
        root["v"] += v
        node = root
        for name in stack:
            node = node["c"].setdefault(name, {"n": name, "v": 0, "c": {}})
            node["v"] += v
    return root

def color(name):
    h = sum(map(ord, name)) % 60
    if name.startswith(("ObjectPathBenchmark", "AsyncCommitBenchmark")):
        return "rgb(200,200,200)"
    if name.startswith("objstate:"):
        return f"rgb(230,{120 + h},60)"
    return f"rgb(240,{150 + h},{90 + h})"

def render(root, title, out):
    width, row = 1200, 16
    depth = [0]
    def measure(n, d):
        depth[0] = max(depth[0], d)
        for c in n["c"].values():
            measure(c, d + 1)
    measure(root, 1)
    height = (depth[0] + 3) * row
    total = root["v"] or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
             f'<text x="8" y="14" font-size="13">{html.escape(title)} ({total} samples)</text>']
    def draw(n, x, d):
        w = n["v"] / total * (width - 16)
        if w < 0.4:
            return
        y = height - (d + 1) * row
        label = html.escape(n["n"])
        pct = 100.0 * n["v"] / total
        parts.append(f'<g><title>{label} ({n["v"]} samples, {pct:.1f}%)</title>'
                     f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" fill="{color(n["n"])}" rx="1"/>')
        if w > 40:
            chars = int(w / 6.6)
            txt = label if len(n["n"]) <= chars else html.escape(n["n"][: max(0, chars - 2)]) + ".."
            parts.append(f'<text x="{x + 3:.1f}" y="{y + row - 4}">{txt}</text>')
        parts.append("</g>")
        cx = x
        for c in sorted(n["c"].values(), key=lambda c: c["n"]):
            draw(c, cx, d + 1)
            cx += c["v"] / total * (width - 16)
    draw(root, 8, 0)
    parts.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(parts))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording"); ap.add_argument("out")
    ap.add_argument("--title", default="")
    ap.add_argument("--thread", default="", help="only threads whose name starts with one of these (comma list)")
    ap.add_argument("--jfr", default=None); ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--start", default="", help="only samples at or after this time of day (HH:MM:SS.mmm, as jfr print shows it)")
    ap.add_argument("--end", default="", help="only samples at or before this time of day")
    a = ap.parse_args()
    folded = load(a.recording, find_jfr(a.jfr), a.thread, a.start, a.end)
    if not folded:
        sys.exit("no samples in " + a.recording)
    render(build_tree(folded), a.title or os.path.basename(a.recording), a.out)
    selfs = collections.Counter()
    for st, v in folded.items():
        selfs[st[-1]] += v
    tot = sum(folded.values())
    print(f"{a.out}: {tot} samples; top frames by self samples:")
    for name, v in selfs.most_common(a.top):
        print(f"  {100.0 * v / tot:5.1f}%  {name}")

if __name__ == "__main__":
    main()
