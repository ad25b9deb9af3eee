package io.github.lambdaimageprocessor.jpeg;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A decoded (and possibly DCT-scaled) JPEG.
 *
 * @param image the pixels as {@code TYPE_INT_RGB}, {@code ceil(width / scaleDenominator)} by
 *        {@code ceil(height / scaleDenominator)}, in coded orientation (EXIF orientation is not applied)
 * @param info the header
 * @param scaleDenominator 1, 2, 4 or 8: the image is 1/scaleDenominator of the coded size
 * @param complete false when the entropy-coded data ended early or was corrupt; the missing blocks are mid-grey (or
 *        hold whatever the progressive scans that did arrive defined), like libjpeg's output for such files
 * @param warnings what was wrong with the file but decoded anyway (libjpeg's warnings), and, when not complete,
 *        why; at most a few
 */
public record DecodedJpeg(BufferedImage image, JpegInfo info, int scaleDenominator, boolean complete,
        List<String> warnings) {

    public DecodedJpeg {
        warnings = List.copyOf(warnings);
    }
}
