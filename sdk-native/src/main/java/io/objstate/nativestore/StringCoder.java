package io.objstate.nativestore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An answer to "is every char of this String at most U+00FF?" without reading the chars, and then the String's own
 * bytes to copy or compare, when the application lets objstate read a String's private {@code coder} and
 * {@code value} fields by opening {@code java.lang} to it
 * ({@code --add-opens java.base/java.lang=ALL-UNNAMED} on the class path, {@code =io.objstate.nativestore} on the
 * module path). A compact String whose coder is Latin-1 holds one byte per char, so every char is at most U+00FF; a
 * String of the other coder may still be (the JDK does not always compact), and for it, or when {@code java.lang} is
 * not open, callers read the chars as before ({@link OffHeapBuffer#isLatin1}). Reading each char was about a third of
 * an order's encode (perf/PROFILES.md, "Session 43").
 *
 * <p>Only a positive answer is given, and only after a probe at class initialization found the two coders told apart
 * on this JVM (with {@code -XX:-CompactStrings} every String has the other coder: never a positive answer). No
 * {@code sun.misc.Unsafe}, no warning: without the open the lookup fails once and the field is never read.
 * {@code -Dobjstate.stringCoder=false} turns it off (A/B runs).
 */
final class StringCoder {
    /** {@code String.coder}, or null when it cannot be read (java.lang not open to this module, or turned off). */
    private static final VarHandle CODER;
    /** {@code String.value}, read only for a String of the {@link #LATIN1} coder (null exactly when CODER is). */
    private static final VarHandle VALUE;
    /** The coder of a String that holds one byte per char (known only when {@link #CODER} is not null). */
    private static final byte LATIN1;

    static {
        VarHandle coder = null;
        VarHandle value = null;
        byte latin1 = 0;
        if (!"false".equals(System.getProperty("objstate.stringCoder"))) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(String.class, MethodHandles.lookup());
                VarHandle h = lookup.findVarHandle(String.class, "coder", byte.class);
                VarHandle v = lookup.findVarHandle(String.class, "value", byte[].class);
                byte narrow = (byte) h.get("a");
                byte wide = (byte) h.get("\u0100");
                byte[] probe = (byte[]) v.get("ab");
                // equal coders when strings are not compacted: then the coder proves nothing; a compact String's value
                // is its chars, one byte each, and nothing else
                if (narrow != wide && probe.length == 2 && probe[0] == 'a' && probe[1] == 'b') {
                    coder = h;
                    value = v;
                    latin1 = narrow;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // java.lang not opened to this module (IllegalAccessException, InaccessibleObjectException), or a JDK
                // whose String has no such field: the chars are read instead.
            }
        }
        CODER = coder;
        VALUE = value;
        LATIN1 = latin1;
    }

    private StringCoder() {
    }

    /** True when the coder can be read here ({@code java.lang} is open to objstate and strings are compacted). */
    static boolean available() {
        return CODER != null;
    }

    /**
     * True when {@code s} is known to hold one byte per char, so every char is at most U+00FF. False means "not known":
     * the caller reads the chars.
     */
    static boolean knownLatin1(String s) {
        return CODER != null && (byte) CODER.get(s) == LATIN1;
    }

    /**
     * The String's own array of its chars, one byte each, when {@link #knownLatin1} holds; else null. Read it, never
     * write it: it is the String's.
     */
    static byte[] latin1Bytes(String s) {
        if (!knownLatin1(s)) {
            return null;
        }
        byte[] v = (byte[]) VALUE.get(s);
        return v.length == s.length() ? v : null;
    }
}
