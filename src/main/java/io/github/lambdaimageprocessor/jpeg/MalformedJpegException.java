package io.github.lambdaimageprocessor.jpeg;

/**
 * The bytes break the JPEG syntax in a way the decoder cannot work around (no frame header, no scan, impossible table
 * or segment lengths). A more lenient decoder may still get something out of them, so callers may fall back too.
 */
public class MalformedJpegException extends JpegException {

    public MalformedJpegException(String message) {
        super(message);
    }

    public MalformedJpegException(String message, Throwable cause) {
        super(message, cause);
    }
}
