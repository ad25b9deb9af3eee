package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * A thumbnail made by a {@link Resizer}.
 *
 * @param jpeg the encoded thumbnail: sRGB, upright, without EXIF, GPS, XMP, IPTC, ICC or comments
 * @param source the source image's size as displayed (after its EXIF orientation is applied)
 * @param size the thumbnail's size
 * @param orientation the EXIF orientation (1-8) that was applied to make the thumbnail upright; 1 means none
 * @param colorSpace the source's colour space, e.g. {@code YCbCr}, {@code CMYK}, {@code YCbCr (ICC "Display P3")}
 */
public record Thumbnail(byte[] jpeg, Dimensions source, Dimensions size, int orientation, String colorSpace) {

    public static final String CONTENT_TYPE = "image/jpeg";

    public Thumbnail {
        Objects.requireNonNull(jpeg, "jpeg");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(size, "size");
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation must be an EXIF value 1-8, got " + orientation);
        }
        if (colorSpace != null && colorSpace.isBlank()) {
            throw new IllegalArgumentException("colorSpace must be null or non-blank");
        }
    }

    /** A thumbnail of an upright source whose colour space is not known. */
    public Thumbnail(byte[] jpeg, Dimensions source, Dimensions size) {
        this(jpeg, source, size, 1, null);
    }
}
