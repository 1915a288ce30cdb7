package io.objstate.perf.sdk;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.Version;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The multi-field object of {@link PartialUpdateBenchmark}: eight state fields, about 1 KiB encoded (Jackson's
 * JSON is 1 007 bytes), of which one small field ({@link #counter}) changes per update. Self-tracking
 * ({@code @Id} + {@code @Version}, both ignored by Jackson), public fields and a public no-arg constructor, so
 * plain Jackson databind writes the same eight fields the peers store.
 *
 * <p>The strings are pseudo-random letters and digits drawn from the object's number, so the same object has
 * the same value in every way and no way gains much from compression.
 */
@StateObject(pkg = "perf", name = "Customer")
public class Customer {
    @Id
    @JsonIgnore
    public String id;

    @Version
    @JsonIgnore
    public long version;

    /** The one field an update changes. */
    @State
    public long counter;

    @State
    public long createdAt;

    @State
    public long lastLogin;

    /** 40 characters. */
    @State
    public String name;

    /** 40 characters. */
    @State
    public String email;

    /** 160 characters. */
    @State
    public String address;

    /** 520 characters. */
    @State
    public String bio;

    /** 120 characters. */
    @State
    public String tags;

    public Customer() {
    }

    /** Fills the state fields with object {@code i}'s values (the id and version are left alone). */
    Customer fill(int i) {
        SplittableRandom r = new SplittableRandom(SdkData.SEED * 31 + i);
        counter = 1_000_000_000L + i;
        createdAt = 1_700_000_000_000L + i * 1_000L;
        lastLogin = createdAt + r.nextLong(1L << 32);
        name = text(r, 40);
        email = text(r, 40);
        address = text(r, 160);
        bio = text(r, 520);
        tags = text(r, 120);
        return this;
    }

    /** The eight state fields are equal (the id and version are not compared). */
    boolean sameState(Customer o) {
        return o != null && counter == o.counter && createdAt == o.createdAt && lastLogin == o.lastLogin
                && Objects.equals(name, o.name) && Objects.equals(email, o.email) && Objects.equals(address, o.address)
                && Objects.equals(bio, o.bio) && Objects.equals(tags, o.tags);
    }

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ".toCharArray();

    private static String text(SplittableRandom r, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }

    @Override
    public String toString() {
        return "Customer{id=" + id + ", version=" + version + ", counter=" + counter + ", name=" + name + "}";
    }
}
