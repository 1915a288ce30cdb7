import io.objstate.nativestore.ffi.ostore_h;
public class HandleCost {
    public static void main(String[] a) throws Throwable {
        long t0 = System.nanoTime();
        io.objstate.nativestore.NativeLibrary.ensureLoaded();
        long t1 = System.nanoTime();
        System.out.printf("library %.1f ms%n", (t1 - t0) / 1e6);
        String[] names = {"ostore_format_version", "ostore_options_init", "ostore_open", "ostore_stats_get", "ostore_read_begin",
            "ostore_get_object_ref", "ostore_read_end", "ostore_object_version", "ostore_close", "ostore_write_batch", "ostore_last_error"};
        double sum = 0;
        for (String n : names) {
            long s = System.nanoTime();
            ostore_h.class.getMethod(n + "$handle").invoke(null);
            double ms = (System.nanoTime() - s) / 1e6; sum += ms;
            System.out.printf("%-24s %.1f ms%n", n, ms);
        }
        System.out.printf("handles total %.1f ms%n", sum);
    }
}
