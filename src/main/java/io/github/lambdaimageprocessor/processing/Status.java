package io.github.lambdaimageprocessor.processing;

/** What became of one uploaded object. */
public enum Status {
    /** A thumbnail was written. */
    PROCESSED,
    /** The object is not an image we can turn into a thumbnail; retrying cannot help. */
    REJECTED,
    /** Nothing to do (object gone, already processed, or one of our own outputs). */
    SKIPPED
}
