package io.github.lambdaimageprocessor;

/**
 * Files built to be expensive (issue 11), generated so the tests show exactly what they hold. Each is valid JPEG syntax
 * up to where it stops.
 */
public final class HostileJpegs {

    private static final int Y = 1;

    private HostileJpegs() {
    }

    /**
     * A grey 8192x8192 progressive JPEG of about {@code bytes}: a DC scan, then the same AC band (1-63) coded again and
     * again, each scan a few end-of-band runs over all 1M blocks; thousands of scans, each costing a decoder that
     * walks every block a million visits.
     */
    public static byte[] scanFloodGrey(int bytes) {
        JpegBuilder jpeg = JpegBuilder.jpeg().jfif().dqt().frame(0xC2, 8192, 8192, new int[] { Y, 0x11 }).tables();
        long blocks = 1024L * 1024;
        jpeg.scan(0, 0, 0, 0, Y).dcZeros(blocks);
        while (jpeg.size() < bytes) {
            jpeg.scan(1, 63, 0, 0, Y).eobRuns(blocks);
        }
        return jpeg.end();
    }

    /**
     * The same flood with four components (Adobe YCCK, 4096x4096), which the fast decoder leaves to ImageIO/libjpeg:
     * a DC scan of all four, then one AC band of the first coded again and again.
     */
    public static byte[] scanFloodYcck(int bytes) {
        JpegBuilder jpeg = JpegBuilder.jpeg().adobe(2).dqt()
            .frame(0xC2, 4096, 4096, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables();
        long blocks = 512L * 512;
        jpeg.scan(0, 0, 0, 0, 1, 2, 3, 4).dcZeros(4 * blocks);
        while (jpeg.size() < bytes) {
            jpeg.scan(1, 63, 0, 0, 1).eobRuns(blocks);
        }
        return jpeg.end();
    }

    /** A progressive 10000x10000 header (RGB, CMYK or YCCK by the Adobe transform) with a DC scan header and no data. */
    public static byte[] headerOnlyProgressive(int components, int adobeTransform) {
        int[][] list = new int[components][];
        int[] ids = new int[components];
        for (int i = 0; i < components; i++) {
            list[i] = new int[] { i + 1, 0x11 };
            ids[i] = i + 1;
        }
        return JpegBuilder.jpeg().adobe(adobeTransform).dqt().frame(0xC2, 10000, 10000, list).tables()
            .scan(0, 0, 0, 0, ids).end();
    }

    /** A baseline 10000x10000 4:2:0 YCbCr header with a scan header and no data. */
    public static byte[] headerOnlyBaseline() {
        return JpegBuilder.jpeg().jfif().dqt()
            .frame(0xC0, 10000, 10000, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3).end();
    }

    /**
     * A progressive 10000x10000 RGB (4:4:4) file cut short in its first scan: the DC of the top tenth of the picture
     * arrived (60 KB), nothing else. libjpeg would reserve 600 MB of coefficients for it.
     */
    public static byte[] truncatedProgressiveRgb() {
        return JpegBuilder.jpeg().adobe(0).dqt()
            .frame(0xC2, 10000, 10000, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 0, 0, 0, 1, 2, 3).dcZeros(3L * 1250 * 125).cut();
    }
}
