package io.objstate.examples.readme;

import io.objstate.ExpiresAt;
import io.objstate.State;
import io.objstate.StateObject;
import java.time.Instant;

// snippet:expiry-classes
@StateObject(pkg = "web", name = "Session", ttl = "PT30M")   // gone 30 minutes after its last write
class Session {
    @State String user;
}

@StateObject(pkg = "locks", name = "Lease")
class Lease {
    @State String holder;
    @ExpiresAt Instant until;                                 // this object's own deadline; null: never
}
// /snippet
