package io.objstate.perf.sdk;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.objstate.Id;
import io.objstate.StateObject;
import io.objstate.Version;

/**
 * {@link Account} with {@code @Id} and {@code @Version}: a self-tracking state class, so loads register
 * nothing per instance. The two fields are ignored by Jackson, so the plain ways still move the same
 * three fields.
 */
@StateObject(pkg = "perf", name = "VersionedAccount")
public class VersionedAccount extends Account {
    @Id
    @JsonIgnore
    public String id;

    @Version
    @JsonIgnore
    public long version;

    public VersionedAccount() {
    }
}
