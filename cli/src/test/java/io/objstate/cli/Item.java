package io.objstate.cli;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A state class written by the tests through the SDK; the CLI reads its store without it. */
@StateObject(pkg = "shop", name = "Item")
public class Item {
    @Id
    String id;
    @State
    String name;
    @State
    long stock;
    @State
    BigDecimal price;
    @State
    Instant added;
    @State
    List<String> tags;

    Item() {}
}
