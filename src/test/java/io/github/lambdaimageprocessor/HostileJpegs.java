package io.github.lambdaimageprocessor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
     * The same flood with four components (Adobe YCCK, 4096x4096): a DC scan of all four, then one AC band of the first
     * coded again and again.
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

    /**
     * A progressive 2824x2824 four-component file without an Adobe marker (Y'CbCr and alpha to ImageIO): a DC scan
     * of all four, then one AC band of one component at a time, each scan a few end-of-band runs,
     * as many scans as the block-visit budget of its 64 KB allows (61). The JDK's reader renders every scan of a
     * progressive file as a whole image, so each scan costs an inverse DCT of every block, not an end-of-band run.
     */
    public static byte[] scanFloodCmykWithoutAdobe() {
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt()
            .frame(0xC2, 2824, 2824, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables();
        long blocks = 353L * 353;
        jpeg.scan(0, 0, 0, 0, 1, 2, 3, 4).dcZeros(4 * blocks);
        for (int i = 0; i < 61; i++) {
            jpeg.scan(1, 63, 0, 0, 1 + i % 4).eobRuns(blocks);
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

    /**
     * A progressive 10000x8900 4:2:0 header, 1 MB of comment segments, then a DC scan header and no data: the size of
     * the file says a byte per two blocks, its image data says none. libjpeg reserved 254 MB for it when padding
     * counted as data.
     */
    public static byte[] paddedHeaderOnlyProgressive() {
        JpegBuilder jpeg = JpegBuilder.jpeg().jfif().dqt()
            .frame(0xC2, 10000, 8900, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables();
        return comments(jpeg, 1 << 20).scan(0, 0, 0, 0, 1, 2, 3).end();
    }

    /**
     * {@link #scanFloodCmykWithoutAdobe}'s kind at 5000x5000: a DC scan, then 31 end-of-band scans of one band, and
     * 2 MB of comments before EOI, whose size buys the scans a block-visit budget their 200 KB of data does not (the
     * JDK's reader rendered each scan as a whole image: 3.7 s of CPU).
     */
    public static byte[] paddedScanFloodCmykWithoutAdobe() {
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt()
            .frame(0xC2, 5000, 5000, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables();
        long blocks = 625L * 625;
        jpeg.scan(0, 0, 0, 0, 1, 2, 3, 4).dcZeros(4 * blocks);
        for (int i = 0; i < 31; i++) {
            jpeg.scan(1, 63, 0, 0, 1 + i % 4).eobRuns(blocks);
        }
        return comments(jpeg, 2 << 20).end();
    }

    /**
     * A progressive 8000x8000 4:2:0 header, a DC scan header, one byte of data and {@code fill} 0xFF fill bytes before
     * EOI: T.81 lets any number of them precede a marker, and they hold no data, as comments hold none.
     */
    public static byte[] fillAfterProgressiveHeader(int fill) {
        int[] data = new int[1 + fill];
        java.util.Arrays.fill(data, 1, data.length, 0xFF);
        return JpegBuilder.jpeg().jfif().dqt()
            .frame(0xC2, 8000, 8000, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 0, 0, 0, 1, 2, 3).raw(data).end();
    }

    /** A lossless grey 3000x3000 header, 1.2 MB of comments, a scan header and no data. */
    public static byte[] paddedLosslessHeader() {
        JpegBuilder jpeg = JpegBuilder.jpeg().frame(0xC3, 3000, 3000, new int[] { Y, 0x11 }).tables();
        return comments(jpeg, 1_200_000).scan(1, 0, 0, 0, Y).end();
    }

    /** {@link #progressiveCmykDcOnly} with 300 KB of comments before EOI, which hold no coefficient. */
    public static byte[] paddedProgressiveCmykDcOnly() {
        JpegBuilder jpeg = JpegBuilder.jpeg().adobe(0).dqt()
            .frame(0xC2, 5650, 5650, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 0, 0, 0, 1, 2, 3, 4).dcZeros(4L * 707 * 707);
        return comments(jpeg, 300_000).end();
    }

    /**
     * A progressive 4096x4096 four-component file (Adobe transform {@code adobeTransform}, or none when negative)
     * whose DC scan is real entropy-coded data, not padding: a restart marker after every MCU, each MCU's four DC
     * differences in one byte (768 KB in all); then 31 end-of-band scans of one band. Its data buys the 32 scans the
     * block-visit budget, and the JDK's reader renders each one as a whole image (3.2 s of CPU, +131 MB, in the
     * fallback). With {@code outOfSequence}, one restart marker carries the wrong number: the fast decoder reads it
     * as damage and stops, as libjpeg resynchronises.
     */
    public static byte[] restartFloodProgressive(int adobeTransform, boolean outOfSequence) {
        JpegBuilder jpeg = JpegBuilder.jpeg();
        if (adobeTransform >= 0) {
            jpeg.adobe(adobeTransform);
        }
        jpeg.dqt()
            .frame(0xC2, 4096, 4096, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().restartInterval(1).scan(0, 0, 0, 0, 1, 2, 3, 4);
        int mcus = 512 * 512;
        int[] data = new int[3 * mcus];
        for (int i = 0; i < mcus; i++) {
            data[3 * i] = 0x0F; // four 0 bits (DC difference 0 four times), padded with 1s
            data[3 * i + 1] = 0xFF;
            data[3 * i + 2] = 0xD0 + ((outOfSequence && i == mcus / 2 ? i + 3 : i) % 8);
        }
        jpeg.raw(data).restartInterval(0);
        for (int i = 0; i < 31; i++) {
            jpeg.scan(1, 63, 0, 0, 1 + i % 4).eobRuns(512L * 512);
        }
        return jpeg.end();
    }

    /**
     * A progressive {@code side} x {@code side} file of {@code components} components, ids 1 to n and no Adobe marker
     * (so grey and alpha, or Y'CbCr and alpha, to ImageIO), holding DC scans only: the first at bit position
     * {@code scans - 1}, then its refinements, each a bit per block; with {@code cut} the last one ends after half its
     * blocks. Valid up to there and under a megabyte, yet libjpeg reserves the whole frame's coefficients (128-256 MB)
     * and the JDK's reader renders every block once per scan.
     */
    public static byte[] progressiveDcScans(int components, int side, int scans, boolean cut) {
        int[][] list = new int[components][];
        int[] ids = new int[components];
        for (int i = 0; i < components; i++) {
            list[i] = new int[] { i + 1, 0x11 };
            ids[i] = i + 1;
        }
        long blocks = components * (long) ((side + 7) / 8) * ((side + 7) / 8);
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, side, side, list).tables()
            .scan(0, 0, 0, scans - 1, ids).dcZeros(scans == 1 && cut ? blocks / 2 : blocks);
        for (int bit = scans - 1; bit > 0; bit--) {
            jpeg.scan(0, 0, bit, bit - 1, ids).dcZeros(bit == 1 && cut ? blocks / 2 : blocks);
        }
        return cut ? jpeg.cut() : jpeg.end();
    }

    /**
     * A progressive {@code side} x {@code side} file whose frame gives two of its components one id (T.81 says they
     * differ), holding DC scans only, each over the ids of {@code scans} (the first at bit position
     * {@code scans.length - 1}, then its refinements), a bit per block of every component the scan's header names,
     * and {@code padding} bits more. The fast decoder refused such a frame, so the fallback drew it with its ordinary
     * budgets: libjpeg reserves the whole frame's coefficients and renders it once per scan (1-1.8 s, 430 MB).
     */
    public static byte[] duplicateIdDcScans(int side, int[] frameIds, long padding, int[]... scans) {
        int[][] list = new int[frameIds.length][];
        for (int i = 0; i < frameIds.length; i++) {
            list[i] = new int[] { frameIds[i], 0x11 };
        }
        long blocks = (long) ((side + 7) / 8) * ((side + 7) / 8);
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, side, side, list).tables();
        for (int i = 0; i < scans.length; i++) {
            int bit = scans.length - 1 - i;
            jpeg.scan(0, 0, i == 0 ? 0 : bit + 1, bit, scans[i]).dcZeros(scans[i].length * blocks + padding);
        }
        return jpeg.end();
    }

    /** Comment segments of up to 65,000 bytes each, {@code bytes} in all: what padding costs an attacker. */
    private static JpegBuilder comments(JpegBuilder jpeg, int bytes) {
        for (int left = bytes; left > 0; left -= 65_000) {
            jpeg.segment(0xFE, new int[Math.min(left, 65_000)]);
        }
        return jpeg;
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

    /**
     * A progressive 8000x8000 4:2:0 file of real data cut short: a DC scan at bit position 2 and its refinement to
     * bit 1, whole (a bit per block each), then the refinement to bit 0 cut after half its blocks (470 KB in all).
     * Damaged, so the fast decoder leaves it to libjpeg when the data pays for what libjpeg does: libjpeg reserves
     * the coefficients of the whole frame (192 MB) and renders it once per scan.
     */
    public static byte[] truncatedProgressiveDcRefinements() {
        long blocks = 500L * 500 * 6;
        return JpegBuilder.jpeg().jfif().dqt()
            .frame(0xC2, 8000, 8000, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables()
            .scan(0, 0, 0, 2, 1, 2, 3).dcZeros(blocks)
            .scan(0, 0, 2, 1, 1, 2, 3).dcZeros(blocks)
            .scan(0, 0, 1, 0, 1, 2, 3).dcZeros(blocks / 2)
            .cut();
    }

    /**
     * A baseline 10000x10000 4:4:4 file cut after the data of an eighth of its blocks (each 5 bits, a DC difference
     * of 0 and an end of block): 587 KB, a bit per block of the frame, so libjpeg may be asked to render all of it.
     */
    public static byte[] truncatedBaselineGiant() {
        long blocks = 1250L * 1250 * 3;
        return JpegBuilder.jpeg().jfif().dqt()
            .frame(0xC0, 10000, 10000, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3).raw(new int[(int) (blocks / 8 + 1000)]).cut();
    }

    /**
     * A progressive 5650x5650 CMYK file holding its DC scan, whole, and nothing else (AC taken as zero): valid, 250 KB,
     * and a decoder that keeps every coefficient (libjpeg) reserves 256 MB before reading a byte of it.
     */
    public static byte[] progressiveCmykDcOnly() {
        return JpegBuilder.jpeg().adobe(0).dqt()
            .frame(0xC2, 5650, 5650, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 0, 0, 0, 1, 2, 3, 4).dcZeros(4L * 707 * 707).end();
    }

    /**
     * A small baseline CMYK header behind {@code bytes} of empty comment segments (4 bytes each): cheap to walk, but a
     * reader that keeps an object per segment (TwelveMonkeys) builds millions of them.
     */
    public static byte[] commentFloodCmyk(int bytes) {
        JpegBuilder jpeg = JpegBuilder.jpeg().adobe(0);
        while (jpeg.size() < bytes) {
            jpeg.segment(0xFE);
        }
        return jpeg.dqt()
            .frame(0xC0, 64, 64, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3, 4).end();
    }

    /** A grey baseline header behind {@code bytes} of segments that each define one (unused) Huffman table. */
    public static byte[] huffmanTableFlood(int bytes) {
        JpegBuilder jpeg = JpegBuilder.jpeg().jfif().dqt().frame(0xC0, 64, 64, new int[] { Y, 0x11 });
        while (jpeg.size() < bytes) {
            jpeg.segment(0xC4, 0x13, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return jpeg.tables().scan(0, 63, 0, 0, Y).end();
    }

    /**
     * A valid baseline CMYK image of 4896x4896 (24 MP, the first component sampled 2x2), flat: every block a DC
     * difference of 0 and an end of block, 5 bits. 410 KB for 24 MP, which ImageIO decodes, converts and resamples
     * pixel by pixel (1.4 s and 270 MB at full size, 0.64 s and 59 MB at its pixels-per-byte budget); the fast decoder
     * reads it at 1/8.
     */
    public static byte[] flatCmyk() {
        long blocks = 306L * 306 * 7;
        return JpegBuilder.jpeg().adobe(0).dqt()
            .frame(0xC0, 4896, 4896, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3, 4).raw(new int[(int) ((blocks * 5 + 7) / 8)]).end();
    }

    /**
     * A 24 MP CMYK file whose one scan interleaves a 4x4-sampled component with three others: 19 blocks per MCU, which
     * libjpeg refuses only after the reader has sized the image (+234 MB for 57 KB).
     */
    public static byte[] oversizedMcu() {
        return JpegBuilder.jpeg().adobe(0).dqt()
            .frame(0xC0, 4896, 4896, new int[] { 1, 0x44 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3, 4).raw(new int[60_000]).end();
    }

    /**
     * A real 800x600 photo carrying an RGB ICC v4 profile whose one tag, D2B0, is of type {@code mpet} with
     * {@code stages} matrix stages, every entry of the position table naming the same 60-byte stage: 8 bytes of
     * profile per stage. The JDK's colour engine applies each stage to each pixel, in native code no time limit stops
     * (40,000 stages, 320 KB: 38 s of CPU before such profiles were ignored).
     */
    public static byte[] iccMultiProcessElements(int stages) {
        ByteBuffer matf = ByteBuffer.allocate(60).put("matf".getBytes(StandardCharsets.US_ASCII)).putInt(0)
            .putShort((short) 3).putShort((short) 3);
        for (int i = 0; i < 9; i++) {
            matf.putFloat(i % 4 == 0 ? 1f : 0f);
        }
        int head = 16 + 8 * stages;
        ByteBuffer tag = ByteBuffer.allocate(head + 60).put("mpet".getBytes(StandardCharsets.US_ASCII)).putInt(0)
            .putShort((short) 3).putShort((short) 3).putInt(stages);
        for (int i = 0; i < stages; i++) {
            tag.putInt(head).putInt(60);
        }
        tag.put(matf.array());
        int size = 128 + 4 + 12 + tag.capacity();
        ByteBuffer profile = ByteBuffer.allocate(size).putInt(size).put("lcms".getBytes(StandardCharsets.US_ASCII))
            .put(new byte[] { 4, 0x30, 0, 0 }).put("mntrRGB XYZ ".getBytes(StandardCharsets.US_ASCII));
        profile.position(36);
        profile.put("acsp".getBytes(StandardCharsets.US_ASCII));
        profile.position(68);
        profile.putInt(63190).putInt(65536).putInt(54061);
        profile.position(128);
        profile.putInt(1).put("D2B0".getBytes(StandardCharsets.US_ASCII)).putInt(144).putInt(tag.capacity());
        profile.put(tag.array());
        return withIccProfile(TestImages.bytes(TestImages.CAMERA_PHOTO), profile.array());
    }

    /**
     * A CMYK photo (Adobe APP14, which the fast decoder takes) carrying an RGB matrix-shaper ICC profile whose three
     * TRC tags share one {@code curv} of {@code entries} entries, shaped so that inverting it costs the most: rising
     * overall (first entry 0, last 1) but back at 0 from its third entry on. TwelveMonkeys checks every profile it
     * makes a colour space of by converting sRGB into it ({@code ColorSpaces.validateColorSpace}), the profile then
     * being the output of the transform, and lcms inverts each tabulated TRC at 4096 points by a linear search that
     * here runs to the bottom every time: 3 x 4096 x 32767 steps, native, for a 70 KB upload. The profile id (bytes
     * 84-99) is {@code id}, so TwelveMonkeys' cache of colour spaces does not spare a second file.
     */
    public static byte[] iccLongToneCurves(int entries, int id) {
        return iccLongToneCurves(entries, id, "color/cmyk/mozilla-cmyk-2.jpg");
    }

    /** The same profile in another photo of the corpus: an RGB one goes through it in TwelveMonkeys' reader. */
    public static byte[] iccLongToneCurves(int entries, int id, String photo) {
        ByteBuffer curve = ByteBuffer.allocate(12 + 2 * entries + (entries % 2) * 2)
            .put("curv".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(entries);
        for (int i = 0; i < entries; i++) {
            curve.putShort((short) (i == 1 ? 0xFFFF : i == entries - 1 ? 1 : 0));
        }
        byte[][] xyz = { xyz(0.9642, 1, 0.8249), xyz(0.4361, 0.2225, 0.0139), xyz(0.3851, 0.7169, 0.0971),
                xyz(0.1431, 0.0606, 0.7141) };
        String[] xyzTags = { "wtpt", "rXYZ", "gXYZ", "bXYZ" };
        int tags = 7;
        int curveAt = 128 + 4 + 12 * tags + 20 * xyz.length;
        int size = curveAt + curve.capacity();
        ByteBuffer profile = ByteBuffer.allocate(size).putInt(size).put("lcms".getBytes(StandardCharsets.US_ASCII))
            .put(new byte[] { 2, 0x10, 0, 0 }).put("mntrRGB XYZ ".getBytes(StandardCharsets.US_ASCII));
        profile.position(36);
        profile.put("acsp".getBytes(StandardCharsets.US_ASCII));
        profile.position(68);
        profile.putInt(63190).putInt(65536).putInt(54061);
        profile.position(84);
        profile.putInt(id);
        profile.position(128);
        profile.putInt(tags);
        int at = 128 + 4 + 12 * tags;
        for (int i = 0; i < xyz.length; i++) {
            profile.put(xyzTags[i].getBytes(StandardCharsets.US_ASCII)).putInt(at + 20 * i).putInt(20);
        }
        for (String trc : new String[] { "rTRC", "gTRC", "bTRC" }) {
            profile.put(trc.getBytes(StandardCharsets.US_ASCII)).putInt(curveAt).putInt(12 + 2 * entries);
        }
        for (byte[] tag : xyz) {
            profile.put(tag);
        }
        profile.put(curve.array());
        return withIccProfile(TestImages.bytes(photo), profile.array());
    }

    private static byte[] xyz(double x, double y, double z) {
        return ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0)
            .putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536))
            .putInt((int) Math.round(z * 65536)).array();
    }

    /** The photo with the profile inserted after its SOI, in as many APP2 ICC_PROFILE chunks as it takes. */
    public static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
        int chunk = 65_519;
        int count = (profile.length + chunk - 1) / chunk;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (int i = 0; i < count; i++) {
            int from = i * chunk;
            int length = Math.min(chunk, profile.length - from);
            int segment = 2 + 12 + 2 + length;
            out.write(0xFF);
            out.write(0xE2);
            out.write(segment >> 8);
            out.write(segment);
            out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
            out.write(i + 1);
            out.write(count);
            out.write(profile, from, length);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
