import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.perf.ycsb.YcsbRecord;
import io.objstate.nativestore.ffi.ostore_h;
import java.nio.file.*;

public class WarmOpenCost {
    @io.objstate.StateObject(pkg = "warm", name = "Dummy") public static class Dummy { @io.objstate.State public String name; @io.objstate.State public int n; }

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        boolean warm = !a[1].equals("cold");
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Thread w = null;
        if (warm) {
            w = new Thread(() -> {
                try {
                    if (a[1].equals("warm")) {
                        try (ObjectRuntime m = ObjectRuntime.builder().open()) {
                            m.objects(Dummy.class).find("x");
                        }
                    }
                    io.objstate.nativestore.NativeLibrary.ensureLoaded();
                    ostore_h.ostore_stats_get$handle();
                    ostore_h.ostore_read_begin$handle();
                    ostore_h.ostore_get_object_ref$handle();
                    ostore_h.ostore_read_end$handle();
                    ostore_h.ostore_object_version$handle();
                    ostore_h.ostore_write_batch$handle();
                    ostore_h.ostore_close$handle();
                } catch (Throwable t) { t.printStackTrace(); }
            }, "warm");
            w.setDaemon(true);
            w.start();
        }
        ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open();
        long t1 = System.nanoTime();
        var set = rt.objects(YcsbRecord.class);
        long t2 = System.nanoTime();
        boolean found = set.find(a.length > 2 ? a[2] : "an-id-nobody-wrote").isPresent();
        long t3 = System.nanoTime();
        rt.close();
        long t4 = System.nanoTime();
        System.out.printf("%s open %.1f register %.1f find %.1f (found %b) close %.1f total %.1f ms%n", a[1],
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, found, (t4 - t3) / 1e6, (t4 - t0) / 1e6);
    }
}
