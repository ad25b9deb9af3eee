package io.github.lambdaimageprocessor.image;

import java.util.Objects;

/**
 * What a thumbnail must be and what input is accepted.
 *
 * @param box the thumbnail fits within this box, keeping the aspect ratio and never upscaling
 * @param quality JPEG quality of the output, from 0 (smallest) to 1 (best)
 * @param maxPixels larger sources (width x height, read from the header) are rejected before decoding
 */
public record ThumbnailSpec(Dimensions box, float quality, long maxPixels) {

    public static final ThumbnailSpec DEFAULT = new ThumbnailSpec(new Dimensions(256, 256), 0.85f, 100_000_000L);

    public ThumbnailSpec {
        Objects.requireNonNull(box, "box");
        if (!(quality > 0f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be in (0, 1], got " + quality);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive");
        }
    }
}
