package io.objstate.internal;

/** Identity of a stored object within one runtime: its type and id. */
record ObjectKey(ObjectType<?> type, String id) {
    @Override
    public String toString() {
        return type.classId() + "/" + id;
    }
}
