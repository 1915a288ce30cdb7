package io.objstate.perf;

import java.util.SplittableRandom;

/**
 * Pre-drawn sequences of key indexes, so that drawing the next key costs one array read inside the
 * measured code, identical for every store.
 */
public final class KeyIndexes {
    /** Zipf exponent used by YCSB's default request distribution. */
    public static final double ZIPF_THETA = 0.99;

    private KeyIndexes() {
    }

    /** Parses a benchmark parameter: {@code uniform} or {@code zipf}. */
    public static int[] draw(String distribution, int n, int count, long seed) {
        return switch (distribution) {
            case "uniform" -> uniform(n, count, seed);
            case "zipf" -> zipf(n, count, seed, ZIPF_THETA);
            default -> throw new IllegalArgumentException("unknown distribution '" + distribution
                    + "': expected uniform or zipf");
        };
    }

    public static int[] uniform(int n, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = r.nextInt(n);
        }
        return out;
    }

    /**
     * Zipf-distributed indexes over {@code 0..n-1} (Gray et al., "Quickly generating billion-record
     * synthetic databases", as in YCSB's ZipfianGenerator), with the popular ranks scattered over the key
     * space by a hash as in YCSB's ScrambledZipfianGenerator, so the hot keys are not neighbours.
     */
    public static int[] zipf(int n, int count, long seed, double theta) {
        double zetan = 0;
        for (int i = 1; i <= n; i++) {
            zetan += 1.0 / Math.pow(i, theta);
        }
        double zeta2 = 1.0 + 1.0 / Math.pow(2, theta);
        double alpha = 1.0 / (1.0 - theta);
        double eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetan);
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            double u = r.nextDouble();
            double uz = u * zetan;
            long rank;
            if (uz < 1.0) {
                rank = 0;
            } else if (uz < zeta2) {
                rank = 1;
            } else {
                rank = (long) (n * Math.pow(eta * u - eta + 1, alpha));
            }
            out[i] = (int) Math.floorMod(mix(Math.min(rank, n - 1)), (long) n);
        }
        return out;
    }

    /** A 64-bit finalizer (SplitMix64): a bijection on longs that scatters neighbouring ranks. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
