package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link CrashSafetyTest}: writes numbered batches forever and prints "ack N" after
 * each write (and, with sync, after each sync) returns. Batch N sets entry "n" = N on three objects —
 * "counter", "a" + N % 7 and "b" + N % 11 — and a payload whose size varies with N, so a torn batch
 * would show up as objects that disagree.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean sync = args.length > 1 && args[1].equals("sync");
        try (NativeStore store = NativeStore.open(dir, StoreOptions.defaults().withSegmentSize(1 << 20))) {
            byte[] last = store.readEntry(b("t"), b("counter"), b("n"));
            long n = last == null ? 0 : Long.parseLong(new String(last, StandardCharsets.UTF_8));
            BatchBuffer batch = new BatchBuffer(1 << 16);
            while (true) {
                n++;
                batch.reset();
                byte[] value = Long.toString(n).getBytes(StandardCharsets.UTF_8);
                for (String id : new String[] {"counter", "a" + n % 7, "b" + n % 11}) {
                    batch.beginObject(b("t"), b(id), BatchBuffer.ANY_VERSION);
                    batch.putEntry(b("n"), value);
                    batch.putEntry(b("payload"), payload(n));
                }
                store.write(batch, null);
                if (sync) {
                    store.sync();
                }
                System.out.println("ack " + n);
                System.out.flush();
            }
        }
    }

    static byte[] payload(long n) {
        byte[] p = new byte[(int) (n * 131 % 9000) + 1];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (n + i);
        }
        return p;
    }
}
