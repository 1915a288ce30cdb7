package io.objstate.examples.carts;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.examples.Directories;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shopping carts as a session store: an old release stores carts ({@link CartV1}), the new release
 * ({@link Cart}) reads them with its new field's default, concurrent sessions add to one cart without
 * losing an update, and a change to one field writes one small entry, not the whole cart.
 *
 * <p>Usage: {@code CartsApp [directory]} (default: a new temporary directory).
 */
public final class CartsApp {
    /** What a run saw. */
    public record Result(String cartId, int expectedApples, int apples, String migratedCurrency,
            long bytesForNoteChange, long bytesForLinesChange, long totalCents) {}

    private CartsApp() {}

    public static Result run(Path dir, int threads, int addsPerThread, PrintStream out) throws InterruptedException {
        String cartId;
        // Release 1 stores a cart with 200 lines.
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<CartV1> v1 = rt.objects(CartV1.class);
            CartV1 cart = v1.create();
            cart.customer = "ada";
            for (int i = 0; i < 200; i++) {
                cart.add("sku-" + i, 1, 100 + i);
            }
            rt.commit(cart);
            cartId = v1.idOf(cart);
            out.printf("release 1 stored cart %s with %d lines%n", cartId, cart.lines().size());
        }

        // Release 2 reads it: same class id, new field with its default. updateAttempts is raised because
        // several sessions hammer one cart below; with the default (16) a few updates could give up.
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).updateAttempts(10_000).open()) {
            CartStore store = new CartStore(rt);
            Cart migrated = store.find(cartId).orElseThrow();
            out.printf("release 2 loaded it: %d lines, currency %s (the new field's default)%n",
                    migrated.lines().size(), migrated.currency());

            // Partial writes: the note is one small entry; the lines are one big entry.
            long noteBytes = store.bytesWrittenBy(() -> store.note(cartId, "leave at the door"));
            long linesBytes = store.bytesWrittenBy(() -> store.add(cartId, "sku-0", 1, 100));
            out.printf("changing the note appended %d bytes; changing the lines appended %d bytes%n", noteBytes,
                    linesBytes);

            // Concurrent sessions add apples to the same cart; update() retries on version conflicts.
            List<Thread> sessions = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                sessions.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < addsPerThread; i++) {
                        store.add(cartId, "apple", 1, 30);
                    }
                }));
            }
            for (Thread s : sessions) {
                s.join();
            }
            int apples = store.find(cartId).orElseThrow().quantityOf("apple");
            out.printf("%d threads x %d adds: %d apples in the cart (version %d)%n", threads, addsPerThread, apples,
                    store.version(cartId));
            long total = store.find(cartId).orElseThrow().totalCents();
            return new Result(cartId, threads * addsPerThread, apples, migrated.currency(), noteBytes, linesBytes, total);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Directories.freshDataDirectory(args, "carts");
        Result r = run(dir, 4, 250, System.out);
        boolean ok = r.apples() == r.expectedApples() && r.bytesForNoteChange() < r.bytesForLinesChange();
        System.out.println(ok ? "ok (data in " + dir + ")" : "FAILED (data in " + dir + ")");
        if (!ok) {
            System.exit(1);
        }
    }
}
