package io.objstate.perf.ycsb;

import io.objstate.perf.PeerBenchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * Prints, one per line, the JVM flags every peer needs on JDK 25: those of {@link PeerBenchmark}'s
 * {@code @Fork}, so perf/scripts/run-ycsb.sh starts YCSB's Client with exactly the JMH forks' flags.
 */
public final class PeerJvmFlags {
    private PeerJvmFlags() {
    }

    public static void main(String[] args) {
        for (String flag : PeerBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend()) {
            System.out.println(flag);
        }
    }
}
