package io.objstate.internal;

import io.objstate.InvalidObjectIdException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Object id rules and generated ids.
 *
 * <p>An id is 1–256 characters, contains no ISO control characters and no unpaired surrogates, and is
 * at most 1024 bytes in UTF-8. Generated ids are 19 characters of Crockford base32: 13 for a 64-bit
 * counter that starts from the clock ({@code millis << 20}) and only moves forward, so ids sort by
 * creation time and never repeat within a JVM, then 6 for 30 random bits fixed per JVM, so two JVMs
 * (or a clock set back between runs) do not collide.
 */
public final class ObjectIds {
    public static final int MAX_LENGTH = 256;
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final AtomicLong LAST = new AtomicLong();

    /**
     * The 30 random bits of this JVM's generated ids, drawn at the first one: a {@code SecureRandom}'s first draw
     * sets up the JDK's security providers (~30 ms in a fresh JVM), which a runtime that never generates an id
     * need not pay at open.
     */
    private static final class Node {
        static final String BITS = encode(new SecureRandom().nextLong() & ((1L << 30) - 1), 6);
    }

    private ObjectIds() {}

    /** Returns the id's UTF-8 bytes, or throws {@link InvalidObjectIdException} saying which rule it breaks. */
    public static byte[] validate(String id) {
        if (id == null) {
            throw new InvalidObjectIdException("object id is null: pass a non-empty string, or use create() for a generated id");
        }
        if (id.isEmpty()) {
            throw new InvalidObjectIdException("object id is empty: ids are 1.." + MAX_LENGTH + " characters");
        }
        if (id.length() > MAX_LENGTH) {
            throw new InvalidObjectIdException("object id of " + id.length() + " characters is longer than " + MAX_LENGTH
                    + ": '" + id.substring(0, 32) + "...'");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidObjectIdException("object id '" + printable(id) + "' contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
                    throw new InvalidObjectIdException("object id contains an unpaired surrogate at index " + i);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidObjectIdException("object id contains an unpaired surrogate at index " + i);
            }
        }
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 1024) {
            throw new InvalidObjectIdException("object id is " + bytes.length + " bytes in UTF-8, over 1024");
        }
        return bytes;
    }

    /**
     * The id itself when it can be used as a lookup key (not null); full validation is left for when the
     * id reaches the store, since everything already cached was validated on its way in.
     */
    static String checkShape(String id) {
        if (id == null) {
            validate(null);
        }
        return id;
    }

    /** A new unique, time-sortable id. */
    public static String generate() {
        long now = System.currentTimeMillis() << 20;
        long next = LAST.updateAndGet(last -> Math.max(now, last + 1));
        return encode(next, 13) + Node.BITS;
    }

    private static String encode(long v, int chars) {
        char[] out = new char[chars];
        for (int i = chars - 1; i >= 0; i--) {
            out[i] = BASE32[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out);
    }

    private static String printable(String id) {
        StringBuilder b = new StringBuilder();
        for (char c : id.toCharArray()) {
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
