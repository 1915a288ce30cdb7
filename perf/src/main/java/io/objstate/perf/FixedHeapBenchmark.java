package io.objstate.perf;

import org.openjdk.jmh.annotations.Fork;

/**
 * A workload whose forks run with a fixed, pre-touched heap and young generation, PeerBenchmark's flags otherwise (JMH
 * reads the nearest superclass's {@code @Fork}; {@code ForkFlagsTest} keeps the flags PeerBenchmark's besides the heap's).
 * For workloads that allocate while they are measured: with PeerBenchmark's growing heap, the regions G1 commits (at
 * start, and again after a marking's remark has shrunk the heap) are touched for the first time by the measured thread,
 * ~2–3 µs a 4 KiB page on this project's VMs, and that cost lands on whichever way or iteration is running then, not on
 * the code measured. Each subclass's comment says what it measured that for (perf/PROFILES.md, sessions 42, 44 and 56).
 */
@Fork(value = 1, jvmArgsAppend = {
        "-Xms2g", "-Xmx2g", "-Xmn1g", "-XX:+AlwaysPreTouch",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true"})
public abstract class FixedHeapBenchmark extends PeerBenchmark {
}
