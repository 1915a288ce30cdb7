#!/usr/bin/env bash
# One JMH benchmark's ways run as single forks taking turns (A B C, B C A, C A B, ...), so this VM's drift, which moves
# a score by 1.5x in minutes, falls on every way alike; prints each round's scores, each way's ratio to the first way
# of WAYS in the same round, the medians, and every way's iterations pooled as JMH pools its forks'. JMH's own -f N
# runs a way's forks back to back, minutes from the other ways' (perf/PROFILES.md, "Session 57").
#
#   perf/scripts/alternate-forks.sh JAR BENCHMARK_REGEX WAYS ROUNDS OUT_DIR [JMH options...]
#   perf/scripts/alternate-forks.sh perf/target/benchmarks.jar 'ObjectPathBenchmark.batchCommit$' \
#       objstate-registry,objstate,jackson-map 6 /tmp/alt -wi 3 -w 1s -i 5 -r 2s
#
# Every fork's JSON is kept in OUT_DIR (round-R-WAY.json); the ratios are WAY / the first way of WAYS. With
# REPORT_ONLY=1 nothing runs: the report is made again from OUT_DIR's JSON.
set -euo pipefail
JAR="$(realpath "${1:?usage: alternate-forks.sh JAR BENCHMARK_REGEX WAYS ROUNDS OUT_DIR [JMH options...]}")"
BENCH="${2:?benchmark regex}"
IFS=, read -r -a WAYS <<< "${3:?comma-separated ways}"
ROUNDS="${4:?rounds}"
OUT="${5:?output directory}"
shift 5
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh"
JAVA="$(find_java)"
mkdir -p "$OUT"
n=${#WAYS[@]}
for ((r = 0; r < ROUNDS && ${REPORT_ONLY:-0} != 1; r++)); do
    for ((k = 0; k < n; k++)); do
        way="${WAYS[$(((r + k) % n))]}"
        echo "$(date -u +%H:%M:%S) round $r $way" >&2
        "$JAVA" -jar "$JAR" "$BENCH" -p way="$way" -f 1 "$@" -rf json -rff "$OUT/round-$r-$way.json" > "$OUT/round-$r-$way.log" 2>&1
    done
done
python3 - "$OUT" "$ROUNDS" "${WAYS[@]}" <<'PY'
import json, statistics, sys
out, rounds, ways = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def score(r, w):
    m = json.load(open(f"{out}/round-{r}-{w}.json"))[0]["primaryMetric"]
    return m["score"], m["scoreError"]
print("round  " + "  ".join(f"{w:>22}" for w in ways) + "  " + "  ".join(f"{w}/{ways[0]}" for w in ways[1:]))
ratios = {w: [] for w in ways[1:]}
scores = {w: [] for w in ways}
for r in range(rounds):
    row = {w: score(r, w) for w in ways}
    for w in ways:
        scores[w].append(row[w][0])
    for w in ways[1:]:
        ratios[w].append(row[w][0] / row[ways[0]][0])
    print(f"{r:5d}  " + "  ".join(f"{row[w][0]:11.1f} ± {row[w][1]:8.1f}" for w in ways) + "  "
          + "  ".join(f"{ratios[w][-1]:{len(w) + len(ways[0]) + 1}.3f}" for w in ways[1:]))
print("median " + "  ".join(f"{statistics.median(scores[w]):22.1f}" for w in ways) + "  "
      + "  ".join(f"{statistics.median(ratios[w]):{len(w) + len(ways[0]) + 1}.3f}" for w in ways[1:]))
for w in ways[1:]:
    above = sum(1 for x in ratios[w] if x > 1)
    print(f"{w}/{ways[0]}: above 1 in {above} of {rounds} rounds, range {min(ratios[w]):.3f}-{max(ratios[w]):.3f}")
# Every fork's iterations pooled, as JMH pools its forks': the mean and the half-width of its 99.9 % confidence
# interval (Student's t), so the rounds together read as one "-f ROUNDS" row with JMH's error.
try:
    from scipy.stats import t as student
except ImportError:
    student = None
print("pooled (all rounds' iterations, JMH's score and 99.9 % error):")
pooled = {}
for w in ways:
    xs = [x for r in range(rounds)
          for fork in json.load(open(f"{out}/round-{r}-{w}.json"))[0]["primaryMetric"]["rawData"] for x in fork]
    mean = statistics.fmean(xs)
    err = student.ppf(0.9995, len(xs) - 1) * statistics.stdev(xs) / len(xs) ** 0.5 if student else float("nan")
    pooled[w] = mean
    print(f"  {w:>22}: {mean:9.1f} ± {err:7.1f} ({100 * err / mean:4.1f} %), {len(xs)} iterations")
for w in ways[1:]:
    print(f"  {w}/{ways[0]} of the pooled scores: {pooled[w] / pooled[ways[0]]:.3f}")
PY
