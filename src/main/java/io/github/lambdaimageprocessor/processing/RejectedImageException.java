package io.github.lambdaimageprocessor.processing;

/**
 * Bad input: the bytes are not an image we can make a thumbnail of. Its message is the reason shown to users; no retry
 * can change the outcome.
 */
public class RejectedImageException extends Exception {

    public RejectedImageException(String reason) {
        super(reason);
    }

    public RejectedImageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
