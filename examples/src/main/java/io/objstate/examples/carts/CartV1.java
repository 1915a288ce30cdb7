package io.objstate.examples.carts;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cart as the first release stored it: same class id {@code shop.Cart}, a different Java class,
 * without {@code currency}. Kept to show schema evolution both ways: carts it stored load as
 * {@link Cart} with {@code currency = "EUR"}, and it still loads carts that {@link Cart} stored (the
 * {@code currency} entry is kept and ignored).
 */
@StateObject(pkg = "shop", name = "Cart")
public class CartV1 {
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

    CartV1() {}

    public String customer() {
        return customer;
    }

    public List<CartLine> lines() {
        return List.copyOf(lines);
    }

    public String note() {
        return note;
    }

    public void setNote(String note) {
        this.note = note;
    }

    public void add(String sku, int quantity, long unitPriceCents) {
        lines.add(new CartLine(sku, quantity, unitPriceCents));
    }
}
