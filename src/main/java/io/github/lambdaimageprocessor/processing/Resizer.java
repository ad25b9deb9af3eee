package io.github.lambdaimageprocessor.processing;

/**
 * Turns the bytes of an uploaded image into a JPEG thumbnail that fits the configured box.
 */
public interface Resizer {

    /**
     * @param image the uploaded bytes, of any format; the format is decided by content, never by name
     * @return the thumbnail
     * @throws RejectedImageException when the bytes are not an image this resizer can handle (the reason says why)
     */
    Thumbnail resize(byte[] image) throws RejectedImageException;
}
