#!/usr/bin/env python3
"""Shares of a commit's JFR CPU samples by phase: the innermost of the commit's steps on the stack (encoding,
the engine's downcall, publishing, the result) and, inside encoding and publishing, the frame they called.

    python3 perf/scripts/jfr_by_phase.py RECORDING.jfr [THREAD_PREFIX]   (default thread: main, CommitCpuPerOp's)

"other" is what ran outside a commit (set-up, class loading). Read with jfr_by_frame.py's line shares.
"""
import collections, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jfr_by_frame import samples  # noqa: E402

STEPS = ["CommitEncoder.prepare", "NativeStore.write", "Sequencer.commitNow", "CommitResults.of", "CommitBatch.clear",
         "Committer.commitAllOnce", "ObjectPathBenchmark.batchCommit"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    prefix = sys.argv[2] if len(sys.argv) > 2 else "main"
    counts, total = collections.Counter(), 0
    for _, st in samples(sys.argv[1], prefix):
        frames = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in st["frames"]]
        total += 1
        step = next((f for f in frames if f in STEPS), "other")
        sub = ""
        if step in ("CommitEncoder.prepare", "Sequencer.commitNow"):
            i = frames.index(step)
            sub = frames[i - 1] if i > 0 else "(self)"
        counts[(step, sub)] += 1
    print("samples", total)
    for (step, sub), n in counts.most_common(25):
        print(f"{n:6d} {100 * n / max(total, 1):5.1f}%  {step} / {sub}")


if __name__ == "__main__":
    main()
