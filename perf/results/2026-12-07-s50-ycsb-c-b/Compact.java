import io.objstate.ObjectRuntime;
import io.objstate.Durability;
import java.nio.file.Path;
public class Compact {
    public static void main(String[] a) {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(Path.of(a[0])).durability(Durability.NONE).open()) {
            long t0 = System.nanoTime();
            System.out.println("before: " + rt.stats());
            rt.compact();
            System.out.printf("compact: %.0f ms%nafter: %s%n", (System.nanoTime() - t0) / 1e6, rt.stats());
        }
    }
}
