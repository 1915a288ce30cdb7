#!/usr/bin/env python3
"""Turns a JMH JSON result of perf/ into perf/RESULTS.md and one SVG bar chart per workload.

    python3 perf/scripts/report.py [RESULT.json] [--out perf/RESULTS.md] [--charts perf/results/charts] [--disk DISK.json]

RESULT.json defaults to the newest perf/results/*.json. A sidecar RESULT.meta.json, written by
run-benchmarks.sh, supplies the command, date and machine; without it they are read from this machine
and marked so. A sidecar RESULT.disk.json (or --disk), the JSON of io.objstate.perf.DiskFootprint, adds a
"Bytes on disk" table. Python 3 standard library only.
"""
import argparse
import glob
import html
import json
import math
import os
import platform
import re
import sys
from collections import OrderedDict
from datetime import datetime, timezone

PERF_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OBJSTATE = "objstate"

# What each benchmark method measures, and the DESIGN.md section 6 target it is judged against.
WORKLOADS = OrderedDict([
    ("BulkLoadBenchmark.loadBatch", ("Bulk load, batches of 1 000 (time per object)", "target: <= 100 ns per object")),
    ("PointGetBenchmark.get", ("Point get from a preloaded store", "targets: cached load <= 100 ns, uncached <= 0.5 us")),
    ("SingleCommitBenchmark.commitOne", ("One-object commit, no sync", "target: <= 1 us")),
    ("DurableCommitBenchmark.syncEveryCommit", ("Durable commit, a sync on every commit (time per commit)", "")),
    ("DurableCommitBenchmark.syncPerGroupOf100", ("Durable commit, one sync per group of 100 commits (time per commit)",
                                                  "target: group commit >= 20x fsync-per-commit")),
    ("MixedBenchmark.operation", ("Mixed reads and non-durable one-object commits (time per operation)", "")),
    ("ColdOpenBenchmark.openAndLoad", ("Open a closed store and do its first 10 000 point loads (single shot; files in the page cache)", "")),
    # SDK level (package io.objstate.perf.sdk): objstate's object API against the plain ways, by the `way` parameter.
    ("ObjectPathBenchmark.batchCommit", ("Objects: 1 000 changed objects committed in one batch (time per object)",
                                         "target: <= 100 ns per object")),
    ("ObjectPathBenchmark.singleCommit", ("Objects: one changed object committed, no sync", "target: <= 1 us")),
    ("PartialUpdateBenchmark.update", ("Objects: partial update, one long field of an 8-field object of about 1 KiB changed and "
                                       "committed, no sync (peers: the whole value rewritten)", "")),
    ("ObjectPathBenchmark.cachedLoad", ("Objects: load of a cached object (a private copy)", "target: cached load <= 100 ns")),
    ("ObjectPathBenchmark.uncachedLoad", ("Objects: load with no snapshot cache", "target: uncached load <= 0.5 us")),
    ("CodecBenchmark.encode", ("Codecs: encode one object (objstate: each field's codec in turn, as a commit)", "target: codecs >= 5x Jackson databind")),
    ("CodecBenchmark.decode", ("Codecs: decode one object", "target: codecs >= 5x Jackson databind")),
    ("AsyncCommitBenchmark.throughputNone", ("Async: one-object commits per second, 2 threads, no sync", "")),
    ("AsyncCommitBenchmark.groupCommitSync", ("Async: synced one-object commits per second, 4 threads (group commit)",
                                              "target: group commit >= 20x fsync-per-commit")),
    ("AsyncCommitBenchmark.latencyNone", ("Async: time to completion of one commit, no sync, 1 thread (sampled)", "")),
    ("DowncallBenchmark.write", ("Seed: 1 000 entries, one downcall each vs one batch (time per entry)", "")),
    ("BufferPoolBenchmark.encodeBatch", ("Seed: encode a one-object batch into a reused vs a new buffer", "")),
    ("CodecCacheBenchmark.commit", ("Seed: one-object commit with per-class metadata cached vs rebuilt", "")),
])
# Parameters that name what a row measures (one row per value); every other parameter splits tables.
ROW_PARAMS = ("store", "way")
LOWER_IS_BETTER = {"avgt", "sample", "ss"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("result", nargs="?", help="JMH JSON (default: newest perf/results/*.json)")
    ap.add_argument("--out", default=os.path.join(PERF_DIR, "RESULTS.md"))
    ap.add_argument("--charts", default=os.path.join(PERF_DIR, "results", "charts"))
    ap.add_argument("--disk", help="DiskFootprint JSON (default: the sidecar RESULT.disk.json, when present)")
    args = ap.parse_args()

    path = args.result or newest_result()
    with open(path) as f:
        runs = json.load(f)
    if not runs:
        sys.exit("no benchmark results in " + path)
    meta = read_meta(path)
    groups = group_runs(runs)
    os.makedirs(args.charts, exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)

    lines = header(path, runs, meta, args.out)
    for key, rows in groups.items():
        bench, params = key
        title, target = WORKLOADS.get(short_name(bench), (short_name(bench), ""))
        param_text = ", ".join("%s=%s" % kv for kv in params) or "defaults"
        chart = os.path.join(args.charts, slug(short_name(bench), params) + ".svg")
        write_chart(chart, title, param_text, rows)
        lines += workload_table(title, target, param_text, rows, chart, args.out)
    lines += group_commit_table(groups)
    lines += disk_table(args.disk or (re.sub(r"\.json$", "", path) + ".disk.json"), args.out)
    lines += footer()
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s and %d charts in %s" % (args.out, len(groups), args.charts))


def newest_result():
    files = [p for p in glob.glob(os.path.join(PERF_DIR, "results", "*.json")) if not p.endswith(".meta.json")]
    if not files:
        sys.exit("no perf/results/*.json: run perf/scripts/run-benchmarks.sh first, or name a JMH JSON file")
    return max(files, key=os.path.getmtime)


def read_meta(path):
    side = re.sub(r"\.json$", "", path) + ".meta.json"
    if os.path.exists(side):
        with open(side) as f:
            meta = json.load(f)
        meta["_source"] = "recorded by run-benchmarks.sh"
        return meta
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    stamp = datetime.fromtimestamp(os.path.getmtime(path), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"cpu_model": cpu, "cores": os.cpu_count(), "date": stamp, "kernel": platform.system() + " " + platform.release(),
            "_source": "no sidecar: machine read when the report was made, date is the file's"}


def short_name(benchmark):
    parts = benchmark.split(".")
    return ".".join(parts[-2:])


def group_runs(runs):
    """(benchmark, non-store params) -> rows, in WORKLOADS order, then by parameters."""
    groups = {}
    for r in runs:
        params = r.get("params", {})
        label = next((k for k in ROW_PARAMS if k in params), "store")
        store = params.get(label, "?")
        rest = tuple(sorted((k, v) for k, v in params.items() if k not in ROW_PARAMS))
        pm = r["primaryMetric"]
        sec = r.get("secondaryMetrics", {})
        pct = pm.get("scorePercentiles") or {}
        groups.setdefault((r["benchmark"], rest), []).append({
            "store": store,
            "label": label,
            "p50": number(pct.get("50.0")),
            "p99": number(pct.get("99.0")),
            "cpu_unit": sec.get("cpu.process", {}).get("scoreUnit"),
            "mode": r.get("mode", "avgt"),
            "score": pm["score"],
            "error": number(pm.get("scoreError")),
            "unit": pm["scoreUnit"],
            "cpu": number(sec.get("cpu.process", {}).get("score")),
            "cores": number(sec.get("cpu.cores", {}).get("score")),
            "cnt": len(pm.get("rawData", [[]])[0]) if pm.get("rawData") else None,
        })
    order = list(WORKLOADS)

    def sort_key(item):
        (bench, params), _ = item
        name = short_name(bench)
        return (order.index(name) if name in order else len(order), name,
                [(k, natural(v)) for k, v in params])

    return OrderedDict(sorted(groups.items(), key=sort_key))


def natural(v):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def number(x):
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) or math.isinf(x) else x


def better(mode):
    return min if mode in LOWER_IS_BETTER else max


def ratio(score, ref, mode):
    """How many times worse than ref (1.00 = equal, 2.00 = twice the time or half the throughput)."""
    if not ref or not score:
        return None
    return score / ref if mode in LOWER_IS_BETTER else ref / score


def fmt(x, digits=3):
    if x is None:
        return "n/a"
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - mag)
    return "{:,.{d}f}".format(x, d=min(decimals, 3))


def header(path, runs, meta, out):
    r0 = runs[0]
    rel = os.path.relpath(path, os.path.dirname(os.path.abspath(out)))
    lines = [
        "# objstate performance results",
        "",
        "Generated by `perf/scripts/report.py` from [`%s`](%s). Lower is better for every time score, higher for throughput (ops/s); "
        "**x best** is the score over the best peer's score in the same table (1.00 = best), **x objstate** is the "
        "score over objstate's (above 1.00: objstate is faster). CPU/op is the whole process's CPU time per "
        "operation, all threads (the store's own, GC, JIT), from `io.objstate.perf.ProcessCpuProfiler`; "
        "cores = process CPU time / wall time. See perf/README.md for what each store does per call." % (
            os.path.basename(path), rel),
        "",
        "| | |",
        "|---|---|",
    ]
    if meta.get("script"):
        lines.append("| command | `%s` |" % meta["script"])
    for c in meta.get("commands", []):
        kind = "program" if "io.objstate.perf.DiskFootprint" in c else "JMH run"
        lines.append("| %s | `%s` |" % (kind, c.replace("|", "\\|")))
    lines += [
        "| date | %s |" % meta.get("date", "unknown"),
        "| JDK | %s %s (%s), JMH %s |" % (r0.get("vmName", "?"), r0.get("vmVersion", "?"), r0.get("jvm", "?"), r0.get("jmhVersion", "?")),
        "| JVM flags | `%s` |" % " ".join(r0.get("jvmArgs", [])),
        "| iterations | %s warmup x %s, %s measurement x %s, %s fork(s) |" % (
            r0.get("warmupIterations"), r0.get("warmupTime"), r0.get("measurementIterations"), r0.get("measurementTime"), r0.get("forks")),
        "| CPU | %s |" % meta.get("cpu_model", "unknown"),
        "| cores | %s |" % meta.get("cores", "unknown"),
    ]
    if meta.get("memory_gib"):
        lines.append("| memory | %s GiB |" % meta["memory_gib"])
    if meta.get("kernel"):
        lines.append("| kernel | %s |" % meta["kernel"])
    if meta.get("git"):
        lines.append("| source | %s |" % meta["git"])
    if meta.get("seconds") is not None:
        lines.append("| run time | %s s |" % meta["seconds"])
    lines.append("| machine facts | %s |" % meta.get("_source", ""))
    lines.append("")
    return lines


def workload_table(title, target, param_text, rows, chart, out):
    mode = rows[0]["mode"]
    best = better(mode)(r["score"] for r in rows)
    obj = next((r["score"] for r in rows if r["store"] == OBJSTATE), None)
    rows = sorted(rows, key=lambda r: r["score"], reverse=mode not in LOWER_IS_BETTER)
    lines = ["## %s" % title, "", "Parameters: %s.%s" % (param_text, (" DESIGN.md section 6 " + target + ".") if target else ""), ""]
    sampled = mode == "sample"
    head = "| %s | score | unit | error (99.9%%) | x best |" % rows[0].get("label", "store")
    sep = "|---|---:|---|---:|---:|"
    if sampled:
        head += " p50 | p99 |"
        sep += "---:|---:|"
    if obj is not None:
        head += " x objstate |"
        sep += "---:|"
    head += " CPU/op | cores |"
    sep += "---:|---:|"
    lines += [head, sep]
    for r in rows:
        name = "**%s**" % r["store"] if r["store"] == OBJSTATE else r["store"]
        line = "| %s | %s | %s | %s | %s |" % (
            name, fmt(r["score"]), r["unit"], ("± " + fmt(r["error"])) if r["error"] is not None else "n/a",
            fmt(ratio(r["score"], best, mode), 3))
        if sampled:
            line += " %s | %s |" % (fmt(r.get("p50")), fmt(r.get("p99")))
        if obj is not None:
            line += " %s |" % fmt(ratio(r["score"], obj, mode), 3)
        cpu_unit = r.get("cpu_unit") or r["unit"]
        line += " %s | %s |" % ((fmt(r["cpu"]) + " " + cpu_unit) if r["cpu"] is not None else "n/a", fmt(r["cores"], 2))
        lines.append(line)
    rel = os.path.relpath(chart, os.path.dirname(os.path.abspath(out)))
    lines += ["", "![%s](%s)" % (html.escape(title), rel), ""]
    return lines


def group_commit_table(groups):
    """Per store: fsync-per-commit time over grouped-commit time, the group-commit gain."""
    every, grouped = {}, {}
    for (bench, params), rows in groups.items():
        name = short_name(bench)
        for r in rows:
            if name == "DurableCommitBenchmark.syncEveryCommit":
                every[(params, r["store"])] = r["score"]
            elif name == "DurableCommitBenchmark.syncPerGroupOf100":
                grouped[(params, r["store"])] = r["score"]
    keys = [k for k in every if k in grouped]
    if not keys:
        return []
    lines = ["## Group-commit gain", "",
             "Time per commit with a sync on every commit over time per commit with one sync per 100 commits "
             "(DESIGN.md section 6 target for objstate: >= 20x).", "",
             "| store | parameters | sync every commit | sync per 100 | gain |", "|---|---|---:|---:|---:|"]
    for params, store in sorted(keys, key=lambda k: (k[0], -every[k] / grouped[k])):
        e, g = every[(params, store)], grouped[(params, store)]
        lines.append("| %s | %s | %s ns | %s ns | %sx |" % (
            store, ", ".join("%s=%s" % kv for kv in params), fmt(e), fmt(g), fmt(e / g if g else None)))
    return lines + [""]


def disk_table(path, out):
    """The "Bytes on disk" table from io.objstate.perf.DiskFootprint's JSON, when the file exists."""
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        disk = json.load(f)
    stores = disk.get("stores", {})
    if not stores:
        return []
    n = disk.get("objects") or 1
    live = disk.get("liveBytes")
    obj = stores.get(OBJSTATE, {})

    def size(b):
        return "n/a" if b is None else "%s MiB (%s B/object)" % (fmt(b / 1048576.0), fmt(b / n))

    def times(b, ref):
        return fmt(b / ref, 3) if b and ref else "n/a"

    rel = os.path.relpath(path, os.path.dirname(os.path.abspath(out)))
    lines = ["## Bytes on disk", "",
             "%s objects of %s B (keys of %s B, live data %s), loaded in batches of 1 000, then every object overwritten "
             "once with a value of the same size, then compacted where the store's API offers it. Every size is at rest: "
             "the logical sizes of the store's files after a durable commit and close. From [`%s`](%s), written by `%s`." % (
                 "{:,}".format(n), disk.get("valueSize", "?"), disk.get("keySize", "?"), size(live),
                 os.path.basename(path), rel, disk.get("command", "io.objstate.perf.DiskFootprint")), ""]
    head = "| store | after load | after overwrite | after compaction | compaction |"
    sep = "|---|---:|---:|---:|---|"
    if obj:
        head += " x objstate (overwrite) |"
        sep += "---:|"
    lines += [head, sep]
    for name, s in sorted(stores.items(), key=lambda kv: kv[1].get("afterOverwrite") or 0):
        label = "**%s**" % name if name == OBJSTATE else name
        line = "| %s | %s | %s | %s | %s |" % (label, size(s.get("afterLoad")), size(s.get("afterOverwrite")),
                                               size(s.get("afterCompaction")), s.get("compaction", ""))
        if obj:
            line += " %s |" % times(s.get("afterOverwrite"), obj.get("afterOverwrite"))
        lines.append(line)
    return lines + [""]


def footer():
    return ["---", "", "Scores are JMH averages with their 99.9% confidence half-interval; with few iterations on a "
            "shared 2-core machine the error is wide, so read ratios below about 1.3x as ties."]


def slug(name, params):
    s = name.replace("Benchmark.", "-") + "".join("-%s%s" % (k, v) for k, v in params)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s).lower()


# --- SVG -------------------------------------------------------------------------------------------

PALETTE = {"objstate": "#d9480f"}
PEER_COLOR = "#4c6ef5"


def write_chart(path, title, subtitle, rows):
    mode = rows[0]["mode"]
    rows = sorted(rows, key=lambda r: r["score"], reverse=mode not in LOWER_IS_BETTER)
    unit = rows[0]["unit"]
    best = better(mode)(r["score"] for r in rows)
    label_w, bar_w, value_w = 130, 470, 210
    top, row_h, bottom = 56, 28, 34
    width = label_w + bar_w + value_w
    height = top + row_h * len(rows) + bottom
    vmax = max((r["score"] + (r["error"] or 0)) for r in rows) or 1.0
    vmin = min(r["score"] for r in rows if r["score"] > 0) if any(r["score"] > 0 for r in rows) else vmax
    log = vmax / vmin > 30  # one outlier would flatten every other bar: switch to a log scale
    if log:
        lo = 10 ** math.floor(math.log10(vmin))
        hi = 10 ** math.ceil(math.log10(vmax))
        if hi <= lo:
            hi = lo * 10

        def pos(v):
            return bar_w * math.log10(max(v, lo) / lo) / math.log10(hi / lo)
        ticks = [lo * 10 ** k for k in range(int(round(math.log10(hi / lo))) + 1)]
    else:
        def pos(v):
            return bar_w * v / vmax
        step = nice_step(vmax / 5)
        ticks = [k * step for k in range(int(vmax / step + 1e-9) + 1)]
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           '<text x="10" y="20" font-size="14" font-weight="bold">%s</text>' % html.escape(title),
           '<text x="10" y="38" fill="#555555">%s; %s (%s is better)%s</text>' % (
               html.escape(subtitle), html.escape(unit), "lower" if mode in LOWER_IS_BETTER else "higher",
               "; log scale" if log else "")]
    for t in ticks:
        x = label_w + pos(t)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e9ecef"/>' % (x, top - 6, x, top + row_h * len(rows)))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#868e96" font-size="10">%s</text>' % (
            x, top + row_h * len(rows) + 14, html.escape(fmt(t))))
    for i, r in enumerate(rows):
        y = top + i * row_h
        color = PALETTE.get(r["store"], PEER_COLOR)
        w = max(1.0, pos(r["score"]))
        out.append('<text x="%d" y="%d" text-anchor="end"%s>%s</text>' % (
            label_w - 8, y + 17, ' font-weight="bold"' if r["store"] == OBJSTATE else "", html.escape(r["store"])))
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s %s</title></rect>' % (
            label_w, y + 5, w, row_h - 10, color, html.escape(r["store"]), html.escape(fmt(r["score"])), html.escape(unit)))
        if r["error"]:
            x1 = label_w + pos(max(r["score"] - r["error"], 1e-12))
            x2 = label_w + pos(r["score"] + r["error"])
            yc = y + row_h / 2
            out.append('<path d="M%.1f %.1f H%.1f M%.1f %.1f V%.1f M%.1f %.1f V%.1f" stroke="#212529" fill="none"/>' % (
                x1, yc, x2, x1, yc - 4, yc + 4, x2, yc - 4, yc + 4))
        times = ratio(r["score"], best, mode)
        label = "%s %s" % (fmt(r["score"]), unit) + ("" if times is None or times < 1.005 else "  (%sx)" % fmt(times))
        out.append('<text x="%d" y="%d">%s</text>' % (label_w + bar_w + 8, y + 17, html.escape(label)))
    out.append('<text x="%d" y="%d" fill="#868e96" font-size="10">%s</text>' % (
        label_w, height - 6, html.escape(unit)))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def nice_step(raw):
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


if __name__ == "__main__":
    main()
