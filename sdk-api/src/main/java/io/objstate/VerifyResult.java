package io.objstate;

/**
 * What {@link ObjectRuntime#verify()} found: every stored record checked against its checksum, including
 * records no load has needed since the store was opened.
 *
 * @param records records checked (0 for the in-memory store, which has no files)
 * @param bytes bytes checked
 * @param problems damaged records found; 0 when the store is intact
 * @param firstProblem the first problem, naming the store file and the byte offset; empty when intact
 */
public record VerifyResult(long records, long bytes, long problems, String firstProblem) {
    /** {@return true when nothing damaged was found} */
    public boolean intact() {
        return problems == 0;
    }
}
