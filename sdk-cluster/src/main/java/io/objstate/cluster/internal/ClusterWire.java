package io.objstate.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of Raft log entries, replies and read-only queries (docs/DESIGN.md, "Cluster mode", wire table).
 * All integers little-endian.
 *
 * <pre>
 * entry  := u8 WRITE, u32 n, n x (u32 length, BATCH payload of native-src/FORMAT.md)
 * reply  := u32 n, n x result            (one result per batch of the entry, in order)
 * result := u8 OK, u32 k, k x u64 version
 *         | u8 CONFLICT, u32 objectIndex, u64 storedVersion
 *         | u8 REJECTED, str message     (the batch is malformed or too large: rejected alike on every replica)
 * query  := u8 READ, str classId, str objectId | u8 VERSION, str, str | u8 LIST, str classId | u8 STATS | u8 VERIFY
 *         | u8 PAGE, str classId, str prefix, str after (empty: from the start), u32 limit, u64 nowMillis
 *         | u8 COUNT, str classId, u64 nowMillis
 *         | u8 ORDERED, str classId, str start, u8 after (1: ids &gt; start, 0: &gt;=), u32 limit, u64 nowMillis
 * page   := u8 0, u32 n, n x str id, str next (empty: this shard's scan is done) | u8 1 (unknown cursor)
 * ordered := u32 n, n x str id (in key order), u8 more (1: the shard has ids after the last one)
 * str    := u16 length, bytes
 * </pre>
 */
public final class ClusterWire {
    public static final byte WRITE = 1;
    public static final byte READ = 2;
    public static final byte VERSION = 3;
    public static final byte LIST = 4;
    public static final byte STATS = 5;
    public static final byte VERIFY = 6;
    public static final byte PAGE = 7;
    public static final byte COUNT = 8;
    public static final byte ORDERED = 9;

    public static final byte OK = 0;
    public static final byte CONFLICT = 1;
    public static final byte REJECTED = 2;

    private ClusterWire() {}

    /** One batch's outcome as the state machine decided it. */
    public record Result(byte status, long[] versions, int conflictIndex, long storedVersion, String message) {
        public static Result ok(long[] versions) {
            return new Result(OK, versions, -1, 0, null);
        }

        public static Result conflict(int index, long stored) {
            return new Result(CONFLICT, null, index, stored, null);
        }

        public static Result rejected(String message) {
            return new Result(REJECTED, null, -1, 0, message);
        }
    }

    public static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static ByteBuffer wrap(ByteBuffer b) {
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A Raft entry holding one batch (the persister's group of commits). */
    public static byte[] writeEntry(io.objstate.nativestore.BatchBuffer batch) {
        long length = batch.length();
        if (length > Integer.MAX_VALUE - 16) {
            throw new io.objstate.nativestore.NativeStoreException(io.objstate.nativestore.StoreStatus.TOO_LARGE,
                    "a commit group of " + length + " bytes is too large");
        }
        ByteBuffer entry = allocate(9 + (int) length);
        entry.put(WRITE).putInt(1).putInt((int) length);
        batch.out().copyTo(0, entry.array(), 9, (int) length); // from the batch's heap array: no copy off-heap first
        return entry.array();
    }

    public static byte[] encodeReply(List<Result> results) {
        int size = 4;
        List<byte[]> messages = new ArrayList<>();
        for (Result r : results) {
            size += 1;
            switch (r.status) {
                case OK -> size += 4 + 8 * r.versions.length;
                case CONFLICT -> size += 12;
                default -> {
                    byte[] m = utf8(r.message);
                    messages.add(m);
                    size += 2 + m.length;
                }
            }
        }
        ByteBuffer b = allocate(size);
        b.putInt(results.size());
        int m = 0;
        for (Result r : results) {
            b.put(r.status);
            switch (r.status) {
                case OK -> {
                    b.putInt(r.versions.length);
                    for (long v : r.versions) {
                        b.putLong(v);
                    }
                }
                case CONFLICT -> b.putInt(r.conflictIndex).putLong(r.storedVersion);
                default -> putStr(b, messages.get(m++));
            }
        }
        return b.array();
    }

    public static List<Result> decodeReply(ByteBuffer b) {
        int n = b.getInt();
        List<Result> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte status = b.get();
            switch (status) {
                case OK -> {
                    long[] v = new long[b.getInt()];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = b.getLong();
                    }
                    out.add(Result.ok(v));
                }
                case CONFLICT -> out.add(Result.conflict(b.getInt(), b.getLong()));
                case REJECTED -> out.add(Result.rejected(new String(getStr(b), StandardCharsets.UTF_8)));
                default -> throw new IllegalStateException("unknown result status " + status + " in a cluster reply");
            }
        }
        return out;
    }

    public static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length > 0xffff ? java.util.Arrays.copyOf(b, 0xffff) : b;
    }

    public static void putStr(ByteBuffer b, byte[] s) {
        b.putShort((short) s.length).put(s);
    }

    public static byte[] getStr(ByteBuffer b) {
        byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(s);
        return s;
    }

    /** A query naming one object (READ, VERSION). */
    public static byte[] objectQuery(byte kind, byte[] classId, byte[] objectId) {
        ByteBuffer b = allocate(1 + 4 + classId.length + objectId.length);
        b.put(kind);
        putStr(b, classId);
        putStr(b, objectId);
        return b.array();
    }
}
