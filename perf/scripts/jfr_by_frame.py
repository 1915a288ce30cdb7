#!/usr/bin/env python3
"""Shares of a JFR recording's CPU samples by the innermost objstate frame (class.method:line).

    python3 perf/scripts/jfr_by_frame.py RECORDING.jfr [THREAD_PREFIX]

Reads jdk.ExecutionSample (Java code running: "Exec") and jdk.NativeMethodSample (a thread inside a downcall:
"Nati") with the JDK's jfr tool; each sample counts for the first frame from the top that is objstate's own
(sdk-native or sdk-api, not the generated bindings), so time in a JDK or Caffeine method lands on the objstate line that called it.
THREAD_PREFIX keeps only threads whose name starts with it (the JMH worker: io.objstate.perf; a YCSB client
thread: Thread-2). The two event kinds are sampled at different periods (JFR's profile settings: 10 ms and
20 ms), so compare a line's share between two recordings, not a native share with a Java one.
"""
import collections, json, os, subprocess, sys

OWN = ("io/objstate/nativestore/", "io/objstate/internal/")


def samples(recording, prefix):
    """(event, stackTrace) of every CPU sample in the recording taken on a thread whose name starts with prefix."""
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", recording],
                         capture_output=True, text=True, check=True).stdout
    for e in json.loads(out)["recording"]["events"]:
        st = e["values"].get("stackTrace")
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or ""
        if st and thread.startswith(prefix):
            yield e, st


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    prefix = sys.argv[2] if len(sys.argv) > 2 else ""
    counts, total = collections.Counter(), 0
    for e, st in samples(sys.argv[1], prefix):
        total += 1
        frame = next((f for f in st["frames"] if f["method"]["type"]["name"].startswith(OWN)
                      and "/ffi/" not in f["method"]["type"]["name"]), None)  # the generated bindings: their caller
        where = None if frame is None else "%s.%s:%s" % (frame["method"]["type"]["name"].split("/")[-1],
                                                        frame["method"]["name"], frame["lineNumber"])
        counts[("Nati" if e["type"].endswith("NativeMethodSample") else "Exec", where)] += 1
    print("samples", total)
    for (kind, where), n in counts.most_common(40):
        print("%5d %5.1f%%  %s  %s" % (n, 100.0 * n / max(total, 1), kind, where or "(no objstate frame)"))


if __name__ == "__main__":
    main()
