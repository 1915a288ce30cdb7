package io.objstate.examples.carts;

/** One line of a cart. Records are fine as values inside state fields (stored as JSON). */
public record CartLine(String sku, int quantity, long unitPriceCents) {
    public long totalCents() {
        return quantity * unitPriceCents;
    }
}
