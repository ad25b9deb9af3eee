package io.github.lambdaimageprocessor.image;

import java.util.Objects;

/**
 * A thumbnail made by a {@link Resizer}.
 *
 * @param jpeg the encoded thumbnail
 * @param source the source image's size as displayed (after its EXIF orientation is applied)
 * @param size the thumbnail's size
 */
public record Thumbnail(byte[] jpeg, Dimensions source, Dimensions size) {

    public static final String CONTENT_TYPE = "image/jpeg";

    public Thumbnail {
        Objects.requireNonNull(jpeg, "jpeg");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(size, "size");
    }
}
