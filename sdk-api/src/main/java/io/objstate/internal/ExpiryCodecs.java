package io.objstate.internal;

import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.nativestore.ExpiryEntry;
import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The codecs of the reserved expiry entry (native-src/FORMAT.md, "Expiry entry"; sdk-api/WIRE.md, "Expiry"):
 * 8 raw little-endian bytes of epoch milliseconds, no wire tag, because the engine reads them to filter scans.
 */
final class ExpiryCodecs {
    private ExpiryCodecs() {
    }

    /** An {@link io.objstate.ExpiresAt} Instant field: null is 0 (no deadline). */
    static FieldCodec field(VarHandle vh) {
        return new FieldCodec() {
            @Override
            public void encode(Object owner, OffHeapBuffer out) {
                Instant at = (Instant) vh.get(owner);
                // an instant at or before the epoch is long past: 1 ms, since 0 means "no deadline"
                out.putLong(at == null ? 0 : Math.max(1, at.toEpochMilli()));
            }

            @Override
            public void decode(Object owner, byte[] bytes, int offset, int length) {
                if (length != 8) {
                    throw new CodecException("the expiry entry holds " + length + " bytes, not 8");
                }
                long ms = ExpiryEntry.deadline(java.util.Arrays.copyOfRange(bytes, offset, offset + 8));
                vh.set(owner, ms == 0 ? null : Instant.ofEpochMilli(ms));
            }

            @Override
            public String describe() {
                return "expiry Instant";
            }
        };
    }

    /**
     * A class's {@link io.objstate.StateObject#ttl()}: a field no Java field backs, whose value at each commit is
     * the commit time plus the ttl. Loading sets nothing.
     */
    static FieldCodec ttl(InstantSource clock, Duration ttl) {
        long ttlMillis = ttl.toMillis();
        return new FieldCodec() {
            @Override
            public void encode(Object owner, OffHeapBuffer out) {
                out.putLong(Math.addExact(clock.millis(), ttlMillis));
            }

            @Override
            public void decode(Object owner, byte[] bytes, int offset, int length) {
                // the deadline lives in the snapshot only
            }

            @Override
            public String describe() {
                return "ttl " + ttl;
            }
        };
    }
}
