package io.objstate.examples.carts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.ObjectNotFoundException;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CartsTest {

    @Test
    @Timeout(30)
    void theAppLosesNoUpdateMigratesAndWritesPartially(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CartsApp.Result r = CartsApp.run(dir, 4, 100, new PrintStream(log, true));
        assertEquals(400, r.apples(), log.toString());
        assertEquals("EUR", r.migratedCurrency());
        assertTrue(r.bytesForNoteChange() > 0, log.toString());
        assertTrue(r.bytesForNoteChange() * 20 < r.bytesForLinesChange(),
                "a one-field change must not rewrite the cart: " + log);
    }

    @Test
    @Timeout(30)
    void concurrentUpdatesOfOneCartLoseNothing(@TempDir Path dir) throws Exception {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).updateAttempts(10_000).open()) {
            CartStore store = new CartStore(rt);
            String id = store.open("bob");
            long before = store.version(id);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                String sku = "sku-" + (t % 2);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 150; i++) {
                        store.add(id, sku, 1, 10);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            Cart cart = store.find(id).orElseThrow();
            assertEquals(450, cart.quantityOf("sku-0"));
            assertEquals(450, cart.quantityOf("sku-1"));
            assertEquals(900 * 10, cart.totalCents());
            assertEquals(before + 900, store.version(id), "one version per successful update");
        }
    }

    @Test
    void oldCartsReadTheNewFieldsDefaultAndOldCodeKeepsReadingNewCarts(@TempDir Path dir) {
        String id;
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<CartV1> v1 = rt.objects(CartV1.class);
            CartV1 old = v1.create("cart-1");
            old.customer = "ada";
            old.add("pen", 2, 150);
            rt.commit(old);
            id = v1.idOf(old);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Cart> v2 = rt.objects(Cart.class);
            assertEquals("shop.Cart", v2.classId());
            Cart cart = v2.get(id);
            assertEquals("EUR", cart.currency(), "a field added later reads its default");
            assertEquals("ada", cart.customer());
            assertEquals(List.of(new CartLine("pen", 2, 150)), cart.lines());
            cart.setCurrency("CHF");
            cart.setNote("gift");
            rt.commit(cart);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            CartV1 old = rt.objects(CartV1.class).get(id); // the currency entry is kept and ignored
            assertEquals("gift", old.note());
            old.setNote("gift, wrapped");
            rt.commit(old);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Cart cart = rt.objects(Cart.class).get(id);
            assertEquals("CHF", cart.currency(), "an entry the old class does not know survives its commits");
            assertEquals("gift, wrapped", cart.note());
        }
    }

    @Test
    void commitsWriteOnlyWhatChanged(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Cart> carts = rt.objects(Cart.class);
            Cart cart = carts.create("c");
            cart.add("a", 1, 1);
            assertEquals(1, rt.commit(cart).written());

            CommitResult unchanged = rt.commit(cart);
            assertEquals(0, unchanged.written(), "nothing changed, nothing written");
            assertEquals(1, carts.versionOf(cart));

            cart.lines.add(new CartLine("b", 1, 2)); // an in-place change of a collection counts
            CommitResult changed = rt.commit(cart);
            assertEquals(1, changed.written());
            assertEquals(2, changed.versionOf(cart));
            assertEquals(2, carts.get("c").lines().size());
        }
    }

    @Test
    void checkoutDeletesTheSession(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            CartStore store = new CartStore(rt);
            String id = store.open("carol");
            store.add(id, "tea", 3, 400);
            assertEquals(1200, store.checkout(id));
            assertFalse(store.find(id).isPresent());
            assertThrows(ObjectNotFoundException.class, () -> store.add(id, "tea", 1, 400));
        }
    }
}
