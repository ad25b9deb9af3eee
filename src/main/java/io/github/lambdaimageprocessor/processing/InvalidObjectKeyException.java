package io.github.lambdaimageprocessor.processing;

/**
 * A key that a store refuses to represent, such as one that would escape the local store's root folder. It is bad
 * input, not an infrastructure failure: the object is rejected, no retry.
 */
public class InvalidObjectKeyException extends IllegalArgumentException {

    public InvalidObjectKeyException(String message) {
        super(message);
    }
}
