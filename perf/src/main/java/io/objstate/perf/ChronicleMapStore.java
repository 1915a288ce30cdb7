package io.objstate.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * Chronicle Map persisted to a memory-mapped file ({@code createPersistedTo}), sized as its docs ask:
 * {@code entries}, {@code averageKeySize}, {@code averageValueSize}.
 *
 * <p>Chronicle Map has no transactions: a batch is a loop of single-key updates. Writes land in the
 * mapping (they survive a process crash); Chronicle Map has no sync call, so a durable commit forces the
 * map's file with {@link FileChannel#force} (fdatasync), which on Linux writes back the mapping's dirty
 * pages too. Puts go through a query context so that, like the other peers, a put does not copy out the
 * previous value ({@code ChronicleMap.put} returns it).
 */
final class ChronicleMapStore implements RemovableStore {
    private final ChronicleMap<byte[], byte[]> map;
    private final FileChannel syncChannel;

    private ChronicleMapStore(ChronicleMap<byte[], byte[]> map, FileChannel syncChannel) {
        this.map = map;
        this.syncChannel = syncChannel;
    }

    static RawStore open(Path dir, StoreConfig config) throws IOException {
        Path file = dir.resolve("map.cm3");
        ChronicleMap<byte[], byte[]> map = ChronicleMap.of(byte[].class, byte[].class)
                .name("objstate-perf")
                .entries(Math.max(config.entries(), 1_000))
                .averageKeySize(config.keySize())
                .averageValueSize(Math.max(config.valueSize(), 1))
                .createPersistedTo(file.toFile());
        try {
            return new ChronicleMapStore(map, FileChannel.open(file, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            map.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return Peers.CHRONICLE_MAP;
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values, int from, int to) {
        for (int i = from; i < to; i++) {
            put(keys[i], values[i]);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> entry = c.entry();
            if (entry != null) {
                c.replaceValue(entry, c.wrapValueAsData(value));
            } else {
                c.insert(c.absentEntry(), c.wrapValueAsData(value));
            }
        }
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    /** Through a query context, like {@link #put}, so the removed value is not copied out ({@code remove} returns it). */
    @Override
    public void delete(byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> entry = c.entry();
            if (entry != null) {
                c.remove(entry);
            }
        }
    }

    @Override
    public void commit(boolean durable) {
        if (durable) {
            try {
                syncChannel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public long bytesOnDisk() {
        return map.file().length();
    }

    @Override
    public void close() {
        try {
            syncChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            map.close();
        }
    }
}
