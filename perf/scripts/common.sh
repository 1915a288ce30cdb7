# Sourced by perf's scripts (run-benchmarks.sh, run-ycsb.sh); defines functions only.

# Prints the JDK 25 java to run: $JAVA when set, else the Temurin 25 JDK (or another 25) under /usr/lib/jvm.
find_java() {
    if [[ -n "${JAVA:-}" ]]; then echo "$JAVA"; return; fi
    local j
    for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*25*/bin/java; do
        if [[ -x "$j" ]]; then echo "$j"; return; fi
    done
    echo "no JDK 25 found under /usr/lib/jvm; set JAVA=/path/to/jdk25/bin/java" >&2
    exit 2
}
