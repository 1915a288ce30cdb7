package io.objstate.perf.ycsb;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

/**
 * A YCSB record (field name to bytes) as one value of a key-value store: the key-value peers have no
 * fields, so a record is stored whole and an update rewrites it, as YCSB's own RocksDB binding does.
 *
 * <p>Layout, per field in the map's order: name length (2 bytes, big-endian), the name in UTF-8, value length
 * (4 bytes, big-endian), the value. Nothing else: 10 fields of 100 bytes named {@code field0..field9} take
 * 10 x (2 + 6 + 4 + 100) = 1 120 bytes.
 */
final class RecordCodec {
    private RecordCodec() {
    }

    /** Encodes {@code fields}, reading each value's iterator to its end. */
    static byte[] encode(Map<String, ByteIterator> fields) {
        Map<byte[], byte[]> raw = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, ByteIterator> f : fields.entrySet()) {
            byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 0xFFFF) {
                throw new IllegalArgumentException("a field name is at most 65535 bytes of UTF-8, got " + name.length);
            }
            byte[] value = f.getValue().toArray();
            raw.put(name, value);
            size += 6 + name.length + value.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (Map.Entry<byte[], byte[]> f : raw.entrySet()) {
            byte[] name = f.getKey();
            byte[] value = f.getValue();
            out[at++] = (byte) (name.length >>> 8);
            out[at++] = (byte) name.length;
            System.arraycopy(name, 0, out, at, name.length);
            at += name.length;
            out[at++] = (byte) (value.length >>> 24);
            out[at++] = (byte) (value.length >>> 16);
            out[at++] = (byte) (value.length >>> 8);
            out[at++] = (byte) value.length;
            System.arraycopy(value, 0, out, at, value.length);
            at += value.length;
        }
        return out;
    }

    /**
     * Adds the fields of {@code record} named in {@code wanted} (all of them when null) to {@code into}; each
     * value is an iterator over a slice of {@code record}, which the caller must not change afterwards.
     *
     * @throws IllegalArgumentException when the record is cut short or a length points past its end
     */
    static void decode(byte[] record, Set<String> wanted, Map<String, ByteIterator> into) {
        int at = 0;
        while (at < record.length) {
            if (record.length - at < 2) {
                throw damaged(record, at, "a field name length");
            }
            int nameLength = (record[at] & 0xFF) << 8 | record[at + 1] & 0xFF;
            at += 2;
            if (record.length - at < nameLength + 4) {
                throw damaged(record, at, "a field name of " + nameLength + " bytes and a value length");
            }
            String name = new String(record, at, nameLength, StandardCharsets.UTF_8);
            at += nameLength;
            int valueLength = (record[at] & 0xFF) << 24 | (record[at + 1] & 0xFF) << 16 | (record[at + 2] & 0xFF) << 8
                    | record[at + 3] & 0xFF;
            at += 4;
            if (valueLength < 0 || record.length - at < valueLength) {
                throw damaged(record, at, "a value of " + valueLength + " bytes");
            }
            if (wanted == null || wanted.contains(name)) {
                into.put(name, new ByteArrayByteIterator(record, at, valueLength));
            }
            at += valueLength;
        }
    }

    private static IllegalArgumentException damaged(byte[] record, int at, String expected) {
        return new IllegalArgumentException("not a record written by RecordCodec: " + record.length
                + " bytes, expected " + expected + " at offset " + at);
    }
}
