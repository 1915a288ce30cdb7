#!/usr/bin/env python3
"""Turns the outputs of perf/scripts/run-ycsb.sh into one markdown report, the bindings side by side.

    python3 perf/scripts/ycsb_report.py OUT_DIR [--out OUT_DIR/REPORT.md]

OUT_DIR holds meta.json, commands.txt and, per binding and phase, YCSB's text export <binding>-<phase>.txt
(phase: load, a..f), as run-ycsb.sh writes them. The report has a summary (throughput of every phase, one
column per binding, and objstate over the best peer) and one table per phase: throughput, run time, the binding's
open and close (YCSB counts both in the run time; the bindings print them to <binding>-<phase>.log), then p50 / p99 /
average latency in microseconds for each YCSB operation, and every status that was not OK. A run with REPEAT > 1
(round k > 1 of workload w in <binding>-<w>.<k>.txt) also gets objstate / best peer for every round and the median;
the per-phase tables show round 1.
"""
import argparse
import json
import os
import re
import statistics
import sys

ORDER = ["objstate", "rocksdb", "lmdb", "chronicle-map"]
NAMES = {"objstate": "objstate", "rocksdb": "RocksDB", "lmdb": "LMDB", "chronicle-map": "Chronicle Map"}
PHASES = {
    "load": "Load: insert every record (YCSB -load)",
    "a": "Workload A: update heavy, read/update 50/50, zipfian",
    "b": "Workload B: read mostly, read/update 95/5, zipfian",
    "c": "Workload C: read only, zipfian",
    "d": "Workload D: read latest, read/insert 95/5, latest",
    "e": "Workload E: short ranges, scan/insert 95/5, zipfian, scans of 1..100 records",
    "f": "Workload F: read-modify-write, read/RMW 50/50, zipfian",
}
OPERATIONS = ["READ", "UPDATE", "INSERT", "SCAN", "READ-MODIFY-WRITE", "DELETE"]
LINE = re.compile(r"^\[([^\]]+)\], ([^,]+), (.+)$")
# a binding's fixed costs as it prints them (perf/src/main/java/io/objstate/perf/ycsb/FixedCost.java)
FIXED = re.compile(r"^\S+ (open|open and registration|close): ([0-9.]+) ms$")


def parse(path):
    """{section: {metric: value}} of one YCSB text export."""
    out = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                section, metric, value = m.groups()
                try:
                    out.setdefault(section, {})[metric] = float(value)
                except ValueError:
                    out.setdefault(section, {})[metric] = value
    return out


def fixed_costs(path):
    """{"open": ms, "close": ms} from a phase's log; empty when the binding printed none (runs before session 50)."""
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                m = FIXED.match(line.strip())
                if m:
                    out["close" if m.group(1) == "close" else "open"] = float(m.group(2))
    return out


def num(v, digits=0):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}".replace(",", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--out")
    args = ap.parse_args()
    with open(os.path.join(args.dir, "meta.json")) as f:
        meta = json.load(f)
    bindings = [b for b in ORDER if b in meta["bindings"]] + [b for b in meta["bindings"] if b not in ORDER]
    phases = ["load"] + meta["workloads"]
    rounds = int(meta.get("repeat", 1))
    # round k > 1 of workload w is the phase "w.k" (run-ycsb.sh REPEAT); only the rounds table shows those
    later_rounds = [f"{w}.{k}" for w in meta["workloads"] for k in range(2, rounds + 1)]
    results = {}
    for b in bindings:
        for p in phases + later_rounds:
            path = os.path.join(args.dir, f"{b}-{p}.txt")
            if os.path.exists(path):
                results[(b, p)] = parse(path)
                results[(b, p)]["FIXED"] = fixed_costs(os.path.join(args.dir, f"{b}-{p}.log"))

    def throughput(b, p):
        r = results.get((b, p))
        return r["OVERALL"]["Throughput(ops/sec)"] if r else None

    peers = [b for b in bindings if b != "objstate"]

    def over_best_peer(p):
        """objstate's throughput in phase p over its best peer's, or None when either is missing."""
        mine = throughput("objstate", p)
        best = max((throughput(b, p) or 0 for b in peers), default=0)
        return mine / best if mine and best else None

    lines = [f"# YCSB: objstate and its peers ({meta['label']})", ""]
    lines += [
        f"YCSB 0.17.0 (site.ycsb:core, its own `site.ycsb.Client`), bindings in `perf/src/main/java/io/objstate/perf/ycsb`, "
        f"workload files in `perf/ycsb/workloads`. {num(meta['records'])} records of 10 fields x 100 bytes, "
        f"{num(meta['operations'])} operations per workload, one client thread, each phase its own JVM on the store the load "
        "phase wrote (workloads in the order run"
        + ("; every store loaded first, then each workload run on every store in turn, the first store rotating"
           if "INTERLEAVE=1" in meta["script"] else "; each store's load and phases back to back")
        + "). Latencies from YCSB's HdrHistogram in microseconds (its resolution: "
        "1 µs). No warm-up: the JIT compiles during the run, as in any YCSB run. A phase's run time includes the "
        "binding's open and close in its fresh JVM (the rows open and close, where the bindings printed them; objstate's "
        "open includes registering its record class).",
        "",
        "| | |", "|---|---|",
        f"| command | `{meta['script']}` (each Client command in `commands.txt`) |",
        f"| date | {meta['date']} ({meta['seconds']} s) |",
        f"| machine | {meta['cpu_model']}, {meta['cores']} cores, {meta['memory_gib']} GiB; load average {meta['loadavg_before']} before, {meta['loadavg_after']} after |",
        f"| JDK | {meta['java']} |",
        f"| source | {meta['git']} |",
        "",
        "## Throughput (ops/s, higher is better)",
        "",
    ]
    head = "| phase | " + " | ".join(NAMES.get(b, b) for b in bindings) + (" | objstate / best peer |" if "objstate" in bindings and peers else " |")
    lines += [head, "|---|" + "---:|" * (len(bindings) + (1 if "objstate" in bindings and peers else 0))]
    for p in phases:
        row = [throughput(b, p) for b in bindings]
        cells = [num(v) for v in row]
        if "objstate" in bindings and peers:
            r = over_best_peer(p)
            cells.append(f"{r:.2f}" if r else "—")
        lines.append(f"| {p if p == 'load' else p.upper()} | " + " | ".join(cells) + " |")
    lines += ["", "A dash: the binding did not run the phase (E needs ordered scans: Chronicle Map is a hash map).", ""]

    if rounds > 1 and "objstate" in bindings and peers:
        lines += [f"## objstate / best peer in each of {rounds} rounds (the stores' order rotating every round)", "",
                  "| phase | " + " | ".join(f"round {k}" for k in range(1, rounds + 1)) + " | median |",
                  "|---|" + "---:|" * (rounds + 1)]
        for w in meta["workloads"]:
            rs = [over_best_peer(w if k == 1 else f"{w}.{k}") for k in range(1, rounds + 1)]
            got = [r for r in rs if r is not None]
            lines.append(f"| {w.upper()} | " + " | ".join(f"{r:.2f}" if r else "—" for r in rs)
                         + (f" | {statistics.median(got):.2f} |" if got else " | — |"))
        lines.append("")

    sizes = {}
    for b in bindings:
        path = os.path.join(args.dir, f"{b}-bytes-on-disk.txt")
        if os.path.exists(path):
            with open(path) as f:
                sizes[b] = int(f.read().strip())
    if sizes:
        lines += ["Bytes on disk after the last phase (`du -sb` of the store directory, the store closed): "
                  + ", ".join(f"{NAMES.get(b, b)} {sizes[b] / 1048576:.1f} MiB" for b in bindings if b in sizes) + ".", ""]

    for p in phases:
        present = [b for b in bindings if (b, p) in results]
        if not present:
            continue
        lines += [f"## {PHASES.get(p, p)}", ""]
        lines += ["| | " + " | ".join(NAMES.get(b, b) for b in present) + " |", "|---|" + "---:|" * len(present)]
        lines.append("| throughput (ops/s) | " + " | ".join(num(throughput(b, p)) for b in present) + " |")
        lines.append("| run time (s) | " + " | ".join(num(results[(b, p)]["OVERALL"]["RunTime(ms)"] / 1000, 1) for b in present) + " |")
        if any(results[(b, p)]["FIXED"] for b in present):
            for what in ("open", "close"):
                lines.append(f"| {what} (ms) | " + " | ".join(num(results[(b, p)]["FIXED"].get(what)) for b in present) + " |")
        failures = []
        for op in OPERATIONS:
            if not any(op in results[(b, p)] for b in present):
                continue
            for label, metric, digits in (("p50", "50thPercentileLatency(us)", 0), ("p99", "99thPercentileLatency(us)", 0),
                                          ("avg", "AverageLatency(us)", 1)):
                lines.append(f"| {op} {label} (µs) | " + " | ".join(
                    num(results[(b, p)].get(op, {}).get(metric), digits) for b in present) + " |")
            for b in present:
                for section in (op, op + "-FAILED"):
                    for metric, count in results[(b, p)].get(section, {}).items():
                        if metric.startswith("Return=") and metric != "Return=OK":
                            failures.append(f"{NAMES.get(b, b)} {op} {metric[7:]}: {int(count)}")
        lines.append("| GC time (ms) | " + " | ".join(num(results[(b, p)].get("TOTAL_GC_TIME", {}).get("Time(ms)")) for b in present) + " |")
        lines += ["", "Statuses other than OK: " + ("; ".join(failures) if failures else "none") + ".", ""]

    text = "\n".join(lines)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
