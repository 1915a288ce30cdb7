package io.objstate.examples.readme;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.Version;

// snippet:self-tracking
@StateObject(pkg = "shop", name = "Counter")
class Counter {
    @Id String id;
    @Version long version;   // set by objstate on create (0), load and commit; don't change it yourself
    @State long count;
}
// /snippet
