package io.github.lambdaimageprocessor.jpeg;

import java.util.Optional;

/**
 * What the header says, read before any pixel is decoded, so a caller can enforce limits before allocating.
 *
 * @param width image width in pixels as coded (before EXIF orientation)
 * @param height image height in pixels as coded
 * @param componentCount 1, 3 or 4 (others are possible in theory and unsupported)
 * @param precision sample precision in bits (8, or 12 for extended JPEGs)
 * @param progressive whether the frame is progressive (SOF2)
 * @param colorSpace the coded colour space
 * @param exifOrientation the EXIF orientation tag (1-8), or 0 when absent or invalid
 * @param adobeTransform the transform flag of the Adobe APP14 marker (0, 1 or 2), or -1 when there is none
 * @param iccProfile the embedded ICC profile, assembled from its APP2 chunks, when complete
 */
public record JpegInfo(int width, int height, int componentCount, int precision, boolean progressive,
        JpegColorSpace colorSpace, int exifOrientation, int adobeTransform, Optional<byte[]> iccProfile) {

    public long pixels() {
        return (long) width * height;
    }
}
