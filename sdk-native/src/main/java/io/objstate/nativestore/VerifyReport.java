package io.objstate.nativestore;

/**
 * The outcome of {@link NativeStore#verify()}: every record of the store checked (magic, length, CRC32C,
 * sequence), including the records covered by the checkpoint that reads have not needed yet.
 *
 * @param records records checked
 * @param bytes record bytes checked
 * @param problems records that failed, plus sequence gaps between segments; 0 when the store is intact
 * @param firstProblem the engine's message for the first problem, naming the file and the byte offset;
 *     empty when {@code problems} is 0
 */
public record VerifyReport(long records, long bytes, long problems, String firstProblem) {
    public boolean intact() {
        return problems == 0;
    }
}
