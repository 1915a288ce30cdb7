package io.objstate;

/** When a commit counts as done. */
public enum Durability {
    /** Written to the store's memory mapping: survives a crash of the process, not a power cut. */
    NONE,
    /** Synced to the device before the commit is acknowledged: survives a power cut. */
    SYNC
}
