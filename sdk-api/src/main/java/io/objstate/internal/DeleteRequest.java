package io.objstate.internal;

/** A delete by id inside a {@link io.objstate.Batch}: the one kind of commit entry that is not an instance. */
record DeleteRequest(ObjectKey key) {}
