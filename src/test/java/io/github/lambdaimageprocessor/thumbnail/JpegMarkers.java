package io.github.lambdaimageprocessor.thumbnail;

import java.util.ArrayList;
import java.util.List;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;

/** The markers of a JPEG up to its first scan, to check what an encoded thumbnail carries. */
final class JpegMarkers {

    private JpegMarkers() {
    }

    /** Marker codes (0xD8, 0xE0, ...) in file order, up to and including the first SOS, by the project's parser. */
    static List<Integer> beforeFirstScan(byte[] jpeg) {
        if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG");
        }
        List<Integer> markers = new ArrayList<>(List.of(0xD8));
        markers.addAll(JpegDecoder.markersBeforeFirstScan(jpeg));
        return markers;
    }
}
