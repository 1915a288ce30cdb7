package io.objstate.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads a store's files directly, as native-src/FORMAT.md lays them out, for the two things the engine's
 * API does not offer: the class ids present (the engine lists ids per class only), and a check of every
 * record's CRC, including records a checkpoint covers (an open does not re-read those).
 *
 * <p>It never writes and never trusts a length before checking it against the file. The caller holds the
 * store open (read-only) while scanning, so no writer changes the files meanwhile.
 */
final class LogScanner {
    private static final Pattern SEGMENT = Pattern.compile("seg-([0-9a-f]{16})\\.log");
    private static final byte[] SEGMENT_MAGIC_ASCII = "OSTORSEG".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECKPOINT_MAGIC_ASCII = "OSTORCKP".getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_MAGIC = 0x4C52534F;
    /** Record version 2 (FORMAT.md, "Record version 2"): varint header, class once per run. */
    private static final int RECORD2_MAGIC = 0x3252534F;
    /** The smallest record of either version, with its padding (an empty version-2 batch). */
    private static final int RECORD_MIN = 16;
    private static final int SEGMENT_HEADER = 64;
    private static final int RECORD_HEADER = 32;
    private static final int CHECKPOINT_HEADER = 64;
    private static final int CHECKPOINT_TRAILER = 16;
    private static final int MAX_KEY = 1024;

    /** What a scan found. {@code problems} are one line each, naming the file and offset. */
    record Result(Set<String> classIds, List<String> problems, List<String> notes, int segments, long records,
            long bytes) {}

    private final Path dir;
    private final Set<String> classIds = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long records;
    private long bytes;
    private long lastSequence = -1;

    private LogScanner(Path dir) {
        this.dir = dir;
    }

    /** Segment files present, in id order. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** Total bytes of the segment files, for progress. */
    static long segmentBytes(Path dir) throws IOException {
        long total = 0;
        for (Path p : segments(dir)) {
            total += Files.size(p);
        }
        return total;
    }

    /** Scans the checkpoint and every segment in use; {@code progress} receives bytes scanned. */
    static Result scan(Path dir, LongConsumer progress) throws IOException {
        LogScanner s = new LogScanner(dir);
        long firstSegment = s.scanCheckpoint();
        int used = 0;
        for (Path seg : segments(dir)) {
            Matcher m = SEGMENT.matcher(seg.getFileName().toString());
            m.matches();
            long id = Long.parseUnsignedLong(m.group(1), 16);
            if (Long.compareUnsigned(id, firstSegment) < 0) {
                // A finished compaction's left-over: not part of the store, deleted at the next writable open.
                s.notes.add(seg.getFileName() + ": left-over of a compaction (below the checkpoint's first segment), ignored");
                progress.accept(Files.size(seg));
                continue;
            }
            used++;
            List<Path> all = segments(dir);
            boolean last = seg.equals(all.getLast());
            s.scanSegment(seg, id, last);
            progress.accept(Files.size(seg));
        }
        return new Result(s.classIds, s.problems, s.notes, used, s.records, s.bytes);
    }

    // ------------------------------------------------------------------ checkpoint

    /**
     * Checks index.ckpt's CRCs and returns its first_segment (0 when absent or damaged). Its body is not
     * needed for class ids: every live object's latest write is in the log it covers (compaction rewrites
     * all of them before it deletes a segment). Only the fields common to every checkpoint version are read.
     */
    private long scanCheckpoint() throws IOException {
        Path file = dir.resolve("index.ckpt");
        if (!Files.exists(file)) {
            return 0;
        }
        ByteBuffer b = map(file);
        String name = "index.ckpt";
        if (b.capacity() < CHECKPOINT_HEADER + CHECKPOINT_TRAILER) {
            problems.add(name + ": " + b.capacity() + " bytes, shorter than header and trailer");
            return 0;
        }
        if (!startsWith(b, 0, CHECKPOINT_MAGIC_ASCII)) {
            problems.add(name + " offset 0: bad magic");
            return 0;
        }
        if (crc(b, 0, 60) != b.getInt(60)) {
            problems.add(name + " offset 60: header CRC mismatch");
            return 0;
        }
        int trailer = b.capacity() - CHECKPOINT_TRAILER;
        long bodyLen = b.getLong(trailer);
        if (bodyLen != trailer - CHECKPOINT_HEADER) {
            problems.add(name + " offset " + trailer + ": body length " + bodyLen + " does not match the file length");
            return 0;
        }
        if (crc(b, CHECKPOINT_HEADER, (int) bodyLen) != b.getInt(trailer + 8)) {
            problems.add(name + " offset " + (trailer + 8) + ": body CRC mismatch");
            return 0;
        }
        return b.getLong(16);
    }

    // ------------------------------------------------------------------ segments

    private void scanSegment(Path file, long id, boolean last) throws IOException {
        String name = file.getFileName().toString();
        ByteBuffer b = map(file);
        int size = b.capacity();
        if (size < SEGMENT_HEADER || !startsWith(b, 0, SEGMENT_MAGIC_ASCII) || crc(b, 0, 60) != b.getInt(60)
                || b.getLong(16) != id) {
            problem(name, 0, "invalid segment header", last, b, 0);
            return;
        }
        int p = SEGMENT_HEADER;
        while (p + 8 <= size) {
            if (isZeroHeader(b, p)) {
                int later = validLookingRecordAfter(b, p + 8);
                if (later >= 0) {
                    problems.add(name + " offset " + p + ": zero record header, but a valid-looking record follows at offset " + later);
                }
                return;
            }
            Head h = head(b, p);
            if (h.why() != null) {
                problem(name, p, h.why(), last, b, p + 8);
                return;
            }
            if (lastSequence >= 0 && h.seq() != lastSequence + 1) {
                problems.add(name + " offset " + p + ": sequence " + h.seq() + " does not follow " + lastSequence);
            }
            lastSequence = h.seq();
            records++;
            bytes += pad8((int) (h.headerLen() + h.payloadLen())); /* with its padding, as the engine counts log bytes */
            if (h.version() == 1) {
                collectClasses(b, p + RECORD_HEADER, (int) h.payloadLen(), name, p);
            } else {
                collectClassesV2(b, p + h.headerLen(), (int) h.payloadLen(), h.type() == 2, name, p);
            }
            p = pad8((int) (p + h.headerLen() + h.payloadLen()));
        }
        if (p < size) {
            problem(name, p, "a record header runs past the end of the file", last, b, size);
        }
    }

    /** A torn tail of the last segment is what a crash leaves and recovery discards; anything else is corruption. */
    private void problem(String name, int offset, String why, boolean last, ByteBuffer b, int searchFrom) {
        int later = validLookingRecordAfter(b, searchFrom);
        if (last && later < 0) {
            notes.add(name + " offset " + offset + ": torn tail (" + why + "), discarded when the store opens");
        } else {
            problems.add(name + " offset " + offset + ": " + why
                    + (later >= 0 ? " (a valid-looking record follows at offset " + later + ")" : ""));
        }
    }

    /**
     * A record's header, either version (FORMAT.md, "Record"): {@code why} says why the record at that offset is
     * invalid, or is null when magic, length, CRC and type hold.
     */
    private record Head(int version, int headerLen, long payloadLen, long seq, int type, String why) {
        static Head bad(String why) {
            return new Head(0, 0, 0, 0, 0, why);
        }
    }

    private static Head head(ByteBuffer b, int p) {
        int cap = b.capacity();
        if (p + 8 > cap) {
            return Head.bad("a record header runs past the end of the file");
        }
        int magic = b.getInt(p);
        int headerLen;
        long payloadLen;
        long seq;
        int type;
        int version;
        if (magic == RECORD_MAGIC) {
            if (p + RECORD_HEADER > cap) {
                return Head.bad("a record header runs past the end of the file");
            }
            version = 1;
            headerLen = RECORD_HEADER;
            payloadLen = b.getLong(p + 8);
            seq = b.getLong(p + 16);
            type = Short.toUnsignedInt(b.getShort(p + 24));
        } else if (magic == RECORD2_MAGIC) {
            long[] v = new long[1];
            int q = p + 8;
            int n = varint(b, q, cap, v);
            if (n < 0) {
                return Head.bad("a record header runs past the end of the file or has an invalid length");
            }
            payloadLen = v[0];
            q += n;
            n = varint(b, q, cap, v);
            if (n < 0 || q + n >= cap) {
                return Head.bad("a record header runs past the end of the file or has an invalid sequence");
            }
            seq = v[0];
            q += n;
            type = Byte.toUnsignedInt(b.get(q));
            version = 2;
            headerLen = q + 1 - p;
        } else {
            return Head.bad("bad record magic");
        }
        if (payloadLen < 0 || payloadLen > cap - p - headerLen) {
            return Head.bad("record length " + payloadLen + " runs past the end of the file");
        }
        if (crc(b, p + 8, (int) (headerLen - 8 + payloadLen)) != b.getInt(p + 4)) {
            return Head.bad("record CRC mismatch");
        }
        if (type != 1 && type != 2) {
            return Head.bad("unknown record type " + type);
        }
        return new Head(version, headerLen, payloadLen, seq, type, null);
    }

    /** An unsigned LEB128 varint at {@code at} into {@code out[0]}: its length in bytes, or -1 past {@code end}. */
    private static int varint(ByteBuffer b, int at, int end, long[] out) {
        long v = 0;
        for (int i = 0; i < 10 && at + i < end; i++) {
            int x = Byte.toUnsignedInt(b.get(at + i));
            v |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                out[0] = v;
                return i + 1;
            }
        }
        return -1;
    }

    private static int validLookingRecordAfter(ByteBuffer b, int from) {
        for (int q = pad8(from); q + RECORD_MIN <= b.capacity(); q += 8) {
            int magic = b.getInt(q);
            if ((magic == RECORD_MAGIC || magic == RECORD2_MAGIC) && head(b, q).why() == null) {
                return q;
            }
        }
        return -1;
    }

    private static boolean isZeroHeader(ByteBuffer b, int p) {
        for (int i = 0; i < RECORD_HEADER && p + i + 8 <= b.capacity(); i += 8) {
            if (b.getLong(p + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Collects the class ids of a BATCH or SNAPSHOT payload (their layouts are the same). */
    private void collectClasses(ByteBuffer b, int start, int len, String name, int recordOffset) {
        int end = start + len;
        if (len < 8) {
            problems.add(name + " offset " + recordOffset + ": payload shorter than its header");
            return;
        }
        long objects = Integer.toUnsignedLong(b.getInt(start));
        int p = start + 8;
        for (long i = 0; i < objects; i++) {
            if (p + 24 > end) {
                problems.add(name + " offset " + recordOffset + ": object " + i + " runs past the payload");
                return;
            }
            int classLen = Short.toUnsignedInt(b.getShort(p));
            int idLen = Short.toUnsignedInt(b.getShort(p + 2));
            long ops = Integer.toUnsignedLong(b.getInt(p + 4));
            int keys = p + 24;
            if (classLen < 1 || classLen > MAX_KEY || idLen < 1 || idLen > MAX_KEY || keys + classLen + idLen > end) {
                problems.add(name + " offset " + recordOffset + ": object " + i + " has invalid key lengths");
                return;
            }
            classIds.add(utf8(b, keys, classLen));
            p = start + pad8(keys + classLen + idLen - start);
            for (long o = 0; o < ops; o++) {
                if (p + 8 > end) {
                    problems.add(name + " offset " + recordOffset + ": an operation runs past the payload");
                    return;
                }
                int nameLen = Short.toUnsignedInt(b.getShort(p + 2));
                long valueLen = Integer.toUnsignedLong(b.getInt(p + 4));
                if (p + 8 + nameLen + valueLen > end) {
                    problems.add(name + " offset " + recordOffset + ": an operation runs past the payload");
                    return;
                }
                p = start + pad8((int) (p + 8 + nameLen + valueLen - start));
            }
        }
    }

    /** Collects the class ids of a version-2 BATCH or SNAPSHOT payload (runs of one class; FORMAT.md). */
    private void collectClassesV2(ByteBuffer b, int start, int len, boolean snapshot, String name, int recordOffset) {
        int end = start + len;
        int p = start;
        long[] v = new long[1];
        while (p < end) {
            int n = varint(b, p, end, v);
            long classLen = v[0];
            if (n < 0 || classLen < 1 || classLen > MAX_KEY || p + n + classLen > end) {
                problems.add(name + " offset " + recordOffset + ": a class run has an invalid class length");
                return;
            }
            classIds.add(utf8(b, p + n, (int) classLen));
            p += n + (int) classLen;
            n = varint(b, p, end, v);
            if (n < 0) {
                problems.add(name + " offset " + recordOffset + ": a class run's object count runs past the payload");
                return;
            }
            long objects = v[0];
            p += n;
            for (long i = 0; i < objects; i++) {
                n = varint(b, p, end, v);
                if (n < 0 || v[0] < 1 || v[0] > MAX_KEY || p + n + v[0] > end) {
                    problems.add(name + " offset " + recordOffset + ": object " + i + " has an invalid id length");
                    return;
                }
                p += n + (int) v[0];
                n = varint(b, p, end, v);
                if (n < 0) {
                    problems.add(name + " offset " + recordOffset + ": object " + i + " runs past the payload");
                    return;
                }
                long ops = v[0] >>> 1;
                p += n;
                if (snapshot) {
                    n = varint(b, p, end, v);
                    if (n < 0) {
                        problems.add(name + " offset " + recordOffset + ": object " + i + " runs past the payload");
                        return;
                    }
                    p += n;
                }
                for (long o = 0; o < ops; o++) {
                    n = varint(b, p, end, v);
                    if (n < 0) {
                        problems.add(name + " offset " + recordOffset + ": an operation runs past the payload");
                        return;
                    }
                    long nameLen = v[0] >>> 1;
                    boolean put = (v[0] & 1) == 0;
                    p += n;
                    long valueLen = 0;
                    if (put) {
                        n = varint(b, p, end, v);
                        if (n < 0) {
                            problems.add(name + " offset " + recordOffset + ": an operation runs past the payload");
                            return;
                        }
                        valueLen = v[0];
                        p += n;
                    }
                    if (nameLen > end - p || valueLen > end - p - nameLen) {
                        problems.add(name + " offset " + recordOffset + ": an operation runs past the payload");
                        return;
                    }
                    p += (int) (nameLen + valueLen);
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + " is " + size + " bytes; files over 2 GiB are not scanned");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static int crc(ByteBuffer b, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(offset, length));
        return (int) crc.getValue();
    }

    private static boolean startsWith(ByteBuffer b, int at, byte[] magic) {
        for (int i = 0; i < magic.length; i++) {
            if (b.get(at + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(ByteBuffer b, int at, int len) {
        byte[] bytes = new byte[len];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int pad8(int v) {
        return (v + 7) & ~7;
    }
}
