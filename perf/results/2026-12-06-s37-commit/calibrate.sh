#!/bin/bash
# Session 37: A/A runs beside A/B runs of the two in-JVM comparison methods (perf/PROFILES.md, "Session 37").
# Jars in /tmp/s37 (not kept): before.jar = a8c400b; before2.jar = a copy of it; after.jar = a8c400b + the commit-path
# experiment (commit-path-experiment.patch); rel.jar = a8c400b + a static switch StateView.EXP_RELEASE choosing the
# release store or the compare-and-set in Slot.advance (ToggleRel / ToggleAA flip it per round, PathRatio's loop).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g -Dcompact=100 -Dops=200"
cd /work/main
for r in 1 2; do
  echo "=== round $r $(date -u +%H:%M:%S)"
  echo "--- in-JVM switch, A/A (both rounds the compare-and-set)"
  $J $F --source 25 -cp /tmp/s37/rel.jar perf/results/2026-12-06-s37-commit/ToggleAA.java.txt batchCommit objstate-registry objstate-registry 62 2>&1 | tail -1
  echo "--- in-JVM switch, A = compare-and-set, B = release store"
  $J $F --source 25 -cp /tmp/s37/rel.jar perf/results/2026-12-06-s37-commit/ToggleRel.java.txt batchCommit objstate-registry objstate-registry 62 2>&1 | tail -1
  echo "--- two jars, A/A (a8c400b twice)"
  $J $F perf/scripts/JarAB.java /tmp/s37/before.jar /tmp/s37/before2.jar batchCommit objstate-registry 122 2>&1 | tail -1
  echo "--- two jars, A = a8c400b, B = with the experiment"
  $J $F perf/scripts/JarAB.java /tmp/s37/before.jar /tmp/s37/after.jar batchCommit objstate-registry 122 2>&1 | tail -1
done
