import java.util.concurrent.atomic.AtomicLong;

/**
 * What it costs two threads to hand one cache line back and forth: a counter each thread advances in turn, spinning
 * until the other has. Half a round trip is what a thread pays to read a line the other thread wrote last, the price
 * of splitting work on shared objects between cores (perf/PROFILES.md, "Session 45").
 *
 *   java perf/scripts/CoreRoundTrip.java [ROUND_TRIPS_PER_ROUND]   (default 1 000 000; three rounds)
 */
public class CoreRoundTrip {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = 3;
        AtomicLong turn = new AtomicLong();
        Thread other = new Thread(() -> {
            for (long i = 1; i <= (long) n * rounds; i++) {
                while (turn.get() != 2 * i - 1) {
                    Thread.onSpinWait();
                }
                turn.set(2 * i);
            }
        });
        other.start();
        long i = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < n; k++) {
                i++;
                turn.set(2 * i - 1);
                while (turn.get() != 2 * i) {
                    Thread.onSpinWait();
                }
            }
            System.out.printf("round %d: %.1f ns a round trip%n", r, (System.nanoTime() - t0) / (double) n);
        }
        other.join();
    }
}
