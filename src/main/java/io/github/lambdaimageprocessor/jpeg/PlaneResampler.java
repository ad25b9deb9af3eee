package io.github.lambdaimageprocessor.jpeg;

/**
 * Resizes one plane of 8-bit samples: the seam through which {@link DecodedJpeg#resized} lets its caller choose the
 * filter while the decoder keeps the planes and the colour conversion to itself.
 */
@FunctionalInterface
public interface PlaneResampler {

    /**
     * @param samples the plane, row after row, {@code stride} bytes apart
     * @param rasterWidth columns that hold samples (the rest of each row is padding)
     * @param rasterHeight rows that hold samples
     * @param extentWidth how many of those columns the picture spans: at most {@code rasterWidth} and more than
     *        {@code rasterWidth - 1}, as the last column of a DCT-scaled or subsampled plane stands for part of a pixel
     * @param extentHeight the same for rows
     * @return {@code width * height} samples, row after row
     */
    byte[] resample(byte[] samples, int stride, int rasterWidth, int rasterHeight, double extentWidth,
            double extentHeight, int width, int height);
}
