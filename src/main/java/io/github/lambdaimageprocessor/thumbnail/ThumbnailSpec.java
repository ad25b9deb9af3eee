package io.github.lambdaimageprocessor.thumbnail;

import java.time.Duration;
import java.util.Objects;

import io.github.lambdaimageprocessor.processing.Dimensions;

/**
 * What a thumbnail must be, what input is accepted, and what work one image may cost.
 *
 * @param box the thumbnail fits within this box, keeping the aspect ratio and never upscaling
 * @param quality JPEG quality of the output, from 0 (smallest) to 1 (best)
 * @param maxPixels larger sources (width x height, read from the header) are rejected before decoding
 * @param maxDecodedPixels larger sources are decoded at a reduced resolution (every n-th pixel of every n-th row) so
 *        the decoded raster holds at most this many pixels; this bounds the heap one image needs
 * @param timeLimit an image whose decoding and resizing takes longer is rejected and its decode aborted
 */
public record ThumbnailSpec(Dimensions box, float quality, long maxPixels, long maxDecodedPixels,
        Duration timeLimit) {

    /** 24 MP: about 72 MB of decoded RGB, and still 13x a 256 px thumbnail when a 100 MP source is reduced. */
    public static final long DEFAULT_MAX_DECODED_PIXELS = 24_000_000L;

    /** Generous: the slowest accepted file measured (a 99 MP progressive JPEG) takes about 7 s on a shared core. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(20);

    public static final ThumbnailSpec DEFAULT = new ThumbnailSpec(new Dimensions(256, 256), 0.85f, 100_000_000L);

    public ThumbnailSpec {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (!(quality > 0f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be in (0, 1], got " + quality);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive");
        }
        if (maxDecodedPixels < box.pixels()) {
            throw new IllegalArgumentException("maxDecodedPixels must hold at least the box (" + box.pixels()
                    + " pixels), got " + maxDecodedPixels);
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive, got " + timeLimit);
        }
    }

    /** A spec with the default decode budget and time limit. */
    public ThumbnailSpec(Dimensions box, float quality, long maxPixels) {
        this(box, quality, maxPixels, Math.max(DEFAULT_MAX_DECODED_PIXELS, box.pixels()), DEFAULT_TIME_LIMIT);
    }

    public ThumbnailSpec withTimeLimit(Duration limit) {
        return new ThumbnailSpec(box, quality, maxPixels, maxDecodedPixels, limit);
    }

    public ThumbnailSpec withMaxDecodedPixels(long pixels) {
        return new ThumbnailSpec(box, quality, maxPixels, pixels, timeLimit);
    }
}
