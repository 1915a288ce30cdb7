package io.objstate.examples.carts;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeStats;
import java.util.Optional;

/**
 * A session store for carts. Every change goes through {@link ObjectSet#update}: load a private copy,
 * apply the change, commit; when another thread committed the same cart in between, the commit fails
 * on its version and {@code update} loads the new state and applies the change again. No change is
 * lost and no lock is held while the change runs.
 */
public final class CartStore {
    private final ObjectRuntime rt;
    private final ObjectSet<Cart> carts;

    public CartStore(ObjectRuntime rt) {
        this.rt = rt;
        this.carts = rt.objects(Cart.class);
    }

    /** Opens a cart with a generated, time-sortable id and returns the id. */
    public String open(String customer) {
        Cart cart = carts.create();
        cart.customer = customer;
        cart.setAttribute("channel", "web");
        rt.commit(cart);
        return cart.id();
    }

    /** Adds items; returns the cart's new total in cents. */
    public long add(String cartId, String sku, int quantity, long unitPriceCents) {
        return carts.update(cartId, cart -> cart.add(sku, quantity, unitPriceCents));
    }

    public boolean remove(String cartId, String sku) {
        return carts.update(cartId, cart -> cart.remove(sku));
    }

    public void note(String cartId, String note) {
        carts.modify(cartId, cart -> cart.setNote(note));
    }

    public Optional<Cart> find(String cartId) {
        return carts.find(cartId);
    }

    public long version(String cartId) {
        return carts.storedVersion(cartId);
    }

    /** Checkout ends the session: the cart is deleted; returns its total. */
    public long checkout(String cartId) {
        long total = carts.get(cartId).totalCents();
        carts.delete(cartId);
        return total;
    }

    /**
     * Bytes the store appended while {@code change} ran: what a commit really wrote. (The store's log
     * grows by new entries; overwritten entries move from live to garbage bytes.)
     */
    public long bytesWrittenBy(Runnable change) {
        RuntimeStats before = rt.stats();
        change.run();
        RuntimeStats after = rt.stats();
        return (after.storeLiveBytes() - before.storeLiveBytes())
                + (after.storeGarbageBytes() - before.storeGarbageBytes());
    }
}
