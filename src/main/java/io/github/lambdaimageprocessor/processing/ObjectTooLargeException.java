package io.github.lambdaimageprocessor.processing;

/**
 * An object larger than the caller is willing to load, found out from its size before its content was read. Bad
 * input, not an infrastructure failure.
 */
public class ObjectTooLargeException extends RuntimeException {

    private final long bytes;

    public ObjectTooLargeException(ObjectRef ref, long bytes) {
        super(ref + " is " + bytes + " bytes");
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }
}
