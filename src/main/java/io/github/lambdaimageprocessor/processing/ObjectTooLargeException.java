package io.github.lambdaimageprocessor.processing;

/**
 * An object larger than the caller is willing to load, found out from its size (or from reading one byte past the
 * limit, when the store did not say the size) before all of its content was read. Bad input, not an infrastructure
 * failure.
 */
public class ObjectTooLargeException extends RuntimeException {

    private final long bytes;

    private final boolean sizeKnown;

    /** An object whose size the store announced. */
    public ObjectTooLargeException(ObjectRef ref, long bytes) {
        this(ref, bytes, true);
    }

    private ObjectTooLargeException(ObjectRef ref, long bytes, boolean sizeKnown) {
        super(ref + (sizeKnown ? " is " : " is more than ") + bytes + " bytes");
        this.bytes = bytes;
        this.sizeKnown = sizeKnown;
    }

    /** An object of unannounced size, found to hold more than {@code limit} bytes by reading one byte past it. */
    public static ObjectTooLargeException moreThan(ObjectRef ref, long limit) {
        return new ObjectTooLargeException(ref, limit, false);
    }

    /** The object's size, or the limit it exceeds when its size was never announced (see {@link #sizeKnown()}). */
    public long bytes() {
        return bytes;
    }

    public boolean sizeKnown() {
        return sizeKnown;
    }
}
