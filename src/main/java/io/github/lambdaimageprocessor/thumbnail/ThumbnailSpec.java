package io.github.lambdaimageprocessor.thumbnail;

import java.time.Duration;
import java.util.Objects;

import io.github.lambdaimageprocessor.processing.Dimensions;

/**
 * What a thumbnail must be, what input is accepted, and what work one image may cost.
 *
 * <p>The values and their defaults come from {@code ImageProcessorProperties} (package {@code config}), which
 * validates them where they are configured, with messages naming the property; this record trusts them.
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

    public ThumbnailSpec {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(timeLimit, "timeLimit");
    }

    public ThumbnailSpec withTimeLimit(Duration limit) {
        return new ThumbnailSpec(box, quality, maxPixels, maxDecodedPixels, limit);
    }

    public ThumbnailSpec withMaxDecodedPixels(long pixels) {
        return new ThumbnailSpec(box, quality, maxPixels, pixels, timeLimit);
    }

    public ThumbnailSpec withMaxPixels(long pixels) {
        return new ThumbnailSpec(box, quality, pixels, maxDecodedPixels, timeLimit);
    }

    public ThumbnailSpec withQuality(float outputQuality) {
        return new ThumbnailSpec(box, outputQuality, maxPixels, maxDecodedPixels, timeLimit);
    }
}
