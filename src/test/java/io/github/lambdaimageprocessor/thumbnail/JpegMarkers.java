package io.github.lambdaimageprocessor.thumbnail;

import java.util.ArrayList;
import java.util.List;

/** The markers of a JPEG up to its first scan, to check what an encoded thumbnail carries. */
final class JpegMarkers {

    private JpegMarkers() {
    }

    /** Marker codes (0xD8, 0xE0, ...) in file order, up to and including the first SOS. */
    static List<Integer> beforeFirstScan(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG");
        }
        markers.add(0xD8);
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("expected a marker at " + pos);
            }
            int marker = jpeg[pos + 1] & 0xFF;
            markers.add(marker);
            if (marker == 0xDA) {
                break;
            }
            int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            pos += 2 + length;
        }
        return markers;
    }
}
