import site.ycsb.Utils;
import site.ycsb.generator.ScrambledZipfianGenerator;

/**
 * Ids as YCSB workload C draws them, one a line: keys of RECORDS records chosen by YCSB's scrambled zipfian, named as
 * its CoreWorkload names them ({@code "user"} and the FNV hash of the key number). For perf/scripts/RecordSpread.c.
 *
 *   javac -cp perf/target/benchmarks.jar -d /tmp/keys perf/scripts/YcsbKeys.java
 *   java -cp perf/target/benchmarks.jar:/tmp/keys YcsbKeys RECORDS N > keys.txt
 *
 * With N = RECORDS it also answers how many distinct records a C phase reads (print {@code sort -u keys.txt | wc -l}):
 * about 431 000 of 1 000 000 (the generator draws afresh each run; perf/PROFILES.md, "Session 50").
 */
public class YcsbKeys {
    public static void main(String[] a) {
        long records = Long.parseLong(a[0]);
        int n = Integer.parseInt(a[1]);
        ScrambledZipfianGenerator g = new ScrambledZipfianGenerator(0, records - 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("user").append(Utils.hash(g.nextValue())).append('\n');
        }
        System.out.print(out);
    }
}
