"""perf script's samples as (header fields, [frames innermost first]); shared by winprof.py and diffprof.py."""
import subprocess


def stacks(recording, fields="tid,ip,sym"):
    out = subprocess.run(["perf", "script", "-i", recording, "-F", fields], capture_output=True, text=True).stdout
    result, frames, header = [], None, None
    for line in out.split("\n"):
        if not line.strip():
            if frames:
                result.append((header, frames))
            frames = None
            continue
        if frames is None:
            header, frames = line.split(), []
            continue
        parts = line.strip().split(None, 1)
        frames.append(parts[1] if len(parts) > 1 else parts[0])
    if frames:
        result.append((header, frames))
    return result
