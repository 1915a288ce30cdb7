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

# Runs perf/scripts/CommitCpuPerOp.java (WAY, ROUNDS) from the repository root under valgrind's TOOL, writing OUT and
# OUT.log: the one JVM setup java-instructions.sh and cache-misses.sh count with. -Xbatch compiles in the foreground;
# -XX:-ImplicitNullChecks keeps C2's code from relying on SIGSEGV, which valgrind does not hand back to the VM.
# PROPS picks the path (-Dsops/-Dbops); EXTRA_VM_OPTS adds JVM options; the arguments after PROPS go to valgrind.
#   valgrind_commit_run JAVA JAR WAY ROUNDS TOOL OUT "PROPS" [valgrind options...]
valgrind_commit_run() {
    local java="$1" jar="$2" way="$3" rounds="$4" tool="$5" out="$6" props="$7"; shift 7
    local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    # shellcheck disable=SC2086 # PROPS and EXTRA_VM_OPTS are lists of options
    (cd "$root" && valgrind --tool="$tool" --smc-check=all-non-file "$@" --"$tool"-out-file="$out" \
        "$java" -Xbatch -XX:+UnlockDiagnosticVMOptions -XX:-ImplicitNullChecks -Xms1g -Xmx1g -XX:+UseSerialGC \
        --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED $props ${EXTRA_VM_OPTS:-} \
        -cp "$jar" perf/scripts/CommitCpuPerOp.java "$way" "$rounds") > "$out.log" 2>&1
}

# The pid valgrind ran a JVM as (the "==PID==" of its log): the JVM's perf map is /tmp/perf-PID.map.
valgrind_pid() {
    grep -m1 -o '^==[0-9]*==' "$1" | tr -d =
}
