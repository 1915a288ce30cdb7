import site.ycsb.generator.ScrambledZipfianGenerator;
public class Distinct {
    public static void main(String[] a) {
        long records = Long.parseLong(a[0]), ops = Long.parseLong(a[1]);
        ScrambledZipfianGenerator g = new ScrambledZipfianGenerator(0, records - 1);
        java.util.BitSet seen = new java.util.BitSet((int) records);
        for (long i = 0; i < ops; i++) seen.set(g.nextValue().intValue());
        System.out.printf("%d draws over %d keys: %d distinct (%.1f %%)%n", ops, records, seen.cardinality(), 100.0 * seen.cardinality() / records);
    }
}
