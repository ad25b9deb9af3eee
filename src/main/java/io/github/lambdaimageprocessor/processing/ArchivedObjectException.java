package io.github.lambdaimageprocessor.processing;

/**
 * The object exists but cannot be read until it is restored from an archive storage class (S3 answers
 * {@code InvalidObjectState} for Glacier Flexible Retrieval and Deep Archive). Neither bad input nor an outage: a retry
 * fails the same way until someone restores the object.
 */
public class ArchivedObjectException extends RuntimeException {

    private final ObjectRef ref;

    public ArchivedObjectException(ObjectRef ref, String detail) {
        super(ref + " is archived and must be restored before it can be read" + (detail == null ? "" : ": " + detail));
        this.ref = ref;
    }

    public ObjectRef ref() {
        return ref;
    }
}
