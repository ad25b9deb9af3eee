package io.github.lambdaimageprocessor.processing;

/**
 * Turns the bytes of an uploaded image into a JPEG thumbnail that fits the configured box.
 */
public interface Resizer {

    /** How many leading bytes {@link #refusalByHead} needs to decide. */
    int HEAD_BYTES = 512;

    /**
     * @param image the uploaded bytes, of any format; the format is decided by content, never by name
     * @return the thumbnail
     * @throws RejectedImageException when the bytes are not an image this resizer can handle (the reason says why)
     */
    Thumbnail resize(byte[] image) throws RejectedImageException;

    /**
     * Why an object that starts with {@code head} (its first {@link #HEAD_BYTES} bytes, or all of a shorter object)
     * will be rejected whatever follows, so that the rest of it need not be downloaded: a 50 MB video in a bucket being
     * backfilled is refused on its first bytes. Empty when the head alone cannot tell; {@link #resize} then decides.
     * The reason is the one {@link #resize} would give for the whole object.
     */
    default java.util.Optional<String> refusalByHead(byte[] head) {
        return java.util.Optional.empty();
    }
}
