package io.objstate.nativestore;

/** A copy of the engine's counters ({@code ostore_stats} in ostore.h). */
public record StoreStats(
        long liveBytes,
        long garbageBytes,
        long logBytes,
        long fileBytes,
        long objects,
        long entries,
        long batches,
        long syncs,
        long segments,
        long compactions,
        long lastSequence) {}
