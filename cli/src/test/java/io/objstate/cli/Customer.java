package io.objstate.cli;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;

/** A second class, so commands that list classes have more than one. */
@StateObject(pkg = "shop", name = "Customer")
public class Customer {
    @Id
    String id;
    @State
    String email;
    @State
    int orders;

    Customer() {}
}
