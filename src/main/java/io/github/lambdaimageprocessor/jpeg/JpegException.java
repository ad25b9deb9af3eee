package io.github.lambdaimageprocessor.jpeg;

/**
 * The decoder cannot produce an image from these bytes. The only exception type (with its subclasses) that leaves
 * {@link JpegDecoder}: hostile input never escapes as an unchecked exception.
 */
public class JpegException extends Exception {

    public JpegException(String message) {
        super(message);
    }

    public JpegException(String message, Throwable cause) {
        super(message, cause);
    }
}
