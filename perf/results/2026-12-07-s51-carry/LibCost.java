import java.nio.file.*;
public class LibCost {
    public static void main(String[] a) throws Throwable {
        long t0 = System.nanoTime();
        byte[] lib;
        try (var in = io.objstate.nativestore.NativeLibrary.class.getResourceAsStream("/io/objstate/nativestore/linux-x86_64/libostore.so")) { lib = in.readAllBytes(); }
        long t1 = System.nanoTime();
        var m = io.objstate.nativestore.NativeLibrary.class.getDeclaredMethod("extract", byte[].class); m.setAccessible(true);
        Path p = (Path) m.invoke(null, (Object) lib);
        long t2 = System.nanoTime();
        System.load(p.toString());
        long t3 = System.nanoTime();
        Class.forName("io.objstate.nativestore.ffi.ostore_h");
        long t4 = System.nanoTime();
        int v = io.objstate.nativestore.ffi.ostore_h.ostore_format_version();
        long t5 = System.nanoTime();
        System.out.printf("resource %.1f (%d B) extract %.1f load %.1f ostore_h init %.1f first call %.1f ms%n", (t1-t0)/1e6, lib.length, (t2-t1)/1e6, (t3-t2)/1e6, (t4-t3)/1e6, (t5-t4)/1e6);
    }
}
