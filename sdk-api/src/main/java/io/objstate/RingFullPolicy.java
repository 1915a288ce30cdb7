package io.objstate;

/** What {@code commitAsync} does when the persister's ring has no free slot. */
public enum RingFullPolicy {
    /** Wait up to the configured timeout, then fail the commit with {@link CommitRejectedException}. */
    BLOCK,
    /** Fail at once with {@link CommitRejectedException}. */
    FAIL_FAST
}
