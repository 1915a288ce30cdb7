package io.objstate.internal;

import io.objstate.InvalidObjectIdException;
import io.objstate.nativestore.ByteWords;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    private static final VarHandle BYTES_AS_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

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
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == id.length() && plainAscii(bytes)) {
            return bytes;
        }
        checkChars(id);
        if (bytes.length > 1024) {
            throw new InvalidObjectIdException("object id is " + bytes.length + " bytes in UTF-8, over 1024");
        }
        return bytes;
    }

    /**
     * True when {@code utf8}, an id's UTF-8 bytes with one byte per char, shows every char is printable ASCII: no
     * byte is a control char ({@code < 0x20}, {@code 0x7F}) or {@code '?'}, which is what {@code getBytes} makes of an
     * unpaired surrogate (the one char besides ASCII that encodes to one byte). Eight bytes per test; ids of under eight bytes
     * and any with a {@code '?'} answer false and are checked char by char. An id checked this way costs a third of
     * the char loop (perf/PROFILES.md, "Session 23").
     */
    static boolean plainAscii(byte[] utf8) {
        int n = utf8.length;
        if (n < 8) {
            return false;
        }
        long bad = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            bad |= notPlain((long) BYTES_AS_LONG.get(utf8, i));
        }
        if (i < n) {
            bad |= notPlain((long) BYTES_AS_LONG.get(utf8, n - 8)); // the word that ends at the last byte
        }
        return bad == 0;
    }

    /** Non-zero when a byte of {@code w} (each below 0x80) is below 0x20, 0x7F or '?'. */
    private static long notPlain(long w) {
        return ByteWords.bytesBelow(w, 0x20) | ByteWords.zeroBytes(w ^ 0x7F7F_7F7F_7F7F_7F7FL)
                | ByteWords.zeroBytes(w ^ 0x3F3F_3F3F_3F3F_3F3FL);
    }

    /** Throws when a char of {@code id} is a control char or an unpaired surrogate. */
    private static void checkChars(String id) {
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
