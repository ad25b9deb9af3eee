package io.github.lambdaimageprocessor.jpeg;

/**
 * A well-formed JPEG this decoder does not implement (12-bit, arithmetic coding, lossless, hierarchical, fractional
 * sampling ratios). Callers fall back to a general decoder.
 */
public class UnsupportedJpegException extends JpegException {

    public UnsupportedJpegException(String message) {
        super(message);
    }
}
