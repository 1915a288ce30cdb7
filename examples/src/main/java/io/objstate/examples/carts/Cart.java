package io.objstate.examples.carts;

import io.objstate.Id;
import io.objstate.Method;
import io.objstate.State;
import io.objstate.StateObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A shopping cart in a session store: collections of records inside a state object. This is the
 * second version of the class: {@link #currency} was added after carts had been stored by
 * {@link CartV1}; those carts load with the field's default.
 */
@StateObject(pkg = "shop", name = "Cart")
public class Cart {
    @Id
    String id;
    @State
    String customer;
    @State
    List<CartLine> lines = new ArrayList<>();
    @State
    Map<String, String> attributes = new HashMap<>();
    @State
    String note = "";
    @State
    String currency = "EUR"; // new in version 2: old carts read this default

    Cart() {}

    public String id() {
        return id;
    }

    public String customer() {
        return customer;
    }

    public List<CartLine> lines() {
        return List.copyOf(lines);
    }

    public Map<String, String> attributes() {
        return Map.copyOf(attributes);
    }

    public String note() {
        return note;
    }

    public String currency() {
        return currency;
    }

    /** Adds {@code quantity} of a product, merging with an existing line; returns the new total. */
    @Method
    public long add(String sku, int quantity, long unitPriceCents) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive, was " + quantity);
        }
        for (int i = 0; i < lines.size(); i++) {
            CartLine line = lines.get(i);
            if (line.sku().equals(sku)) {
                lines.set(i, new CartLine(sku, line.quantity() + quantity, unitPriceCents));
                return totalCents();
            }
        }
        lines.add(new CartLine(sku, quantity, unitPriceCents));
        return totalCents();
    }

    @Method
    public boolean remove(String sku) {
        return lines.removeIf(l -> l.sku().equals(sku));
    }

    @Method
    public void setNote(String note) {
        this.note = note;
    }

    @Method
    public void setAttribute(String key, String value) {
        attributes.put(key, value);
    }

    @Method
    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public int quantityOf(String sku) {
        return lines.stream().filter(l -> l.sku().equals(sku)).mapToInt(CartLine::quantity).sum();
    }

    public long totalCents() {
        return lines.stream().mapToLong(CartLine::totalCents).sum();
    }
}
