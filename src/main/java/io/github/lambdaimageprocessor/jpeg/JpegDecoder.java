package io.github.lambdaimageprocessor.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Decodes a JPEG held in memory at 1/1, 1/2, 1/4 or 1/8 of its size, scaling in the DCT domain.
 *
 * <p>
 * Typical use: {@link #readInfo} to check the size against a limit before anything big is allocated, then
 * {@link #scaleDenominatorFor} to choose the scale for a thumbnail, then {@link #decode}.
 *
 * <p>
 * Memory: the output image ({@code 4 bytes} per output pixel) plus one byte per output sample and component; for
 * progressive files also the coefficients kept for the scale ({@code 2 k^2} bytes per 8x8 block and component, k = 8 /
 * scaleDenominator) and an 8-byte non-zero mask per block. A 50 MP 4:2:0 progressive photo at 1/8 needs about 12 MB
 * for those; a 99 MP 4:4:4 one about 47 MB.
 *
 * <p>
 * Damaged data: entropy-coded data that ends early or holds invalid codes does not fail the decode; the blocks that
 * could not be decoded stay mid-grey (or keep what earlier progressive scans gave them) and
 * {@link DecodedJpeg#complete()} is false. Only {@link JpegException}s leave this class.
 *
 * <p>
 * Instances hold no state; one can be shared between threads.
 */
public final class JpegDecoder {

    /** Reads the header (everything up to the first scan) without decoding any pixel. */
    public JpegInfo readInfo(byte[] jpeg) throws JpegException {
        try {
            JpegParser parser = new JpegParser(jpeg);
            if (parser.nextScan().isEmpty()) {
                throw new MalformedJpegException(parser.frame == null ? "no frame header (SOF)" : "no scan (SOS)");
            }
            return parser.info();
        }
        catch (RuntimeException e) {
            throw new MalformedJpegException("unreadable JPEG header: " + e, e);
        }
    }

    /**
     * The largest denominator (8, 4, 2, else 1) that still leaves at least twice the target size in both directions,
     * so a quality resize can finish the job from there.
     */
    public static int scaleDenominatorFor(int width, int height, int targetWidth, int targetHeight) {
        for (int denominator = 8; denominator > 1; denominator /= 2) {
            if (Frame.ceilDiv(width, denominator) >= 2 * targetWidth
                    && Frame.ceilDiv(height, denominator) >= 2 * targetHeight) {
                return denominator;
            }
        }
        return 1;
    }

    /**
     * Decodes the image at {@code 1 / scaleDenominator} of its size.
     *
     * @param maxPixels images whose header declares more pixels are rejected before anything is allocated
     * @throws UnsupportedJpegException for JPEG flavours this decoder does not implement (CMYK, 12-bit, ...)
     * @throws MalformedJpegException for input it cannot make sense of
     */
    public DecodedJpeg decode(byte[] jpeg, int scaleDenominator, long maxPixels) throws JpegException {
        return decode(jpeg, scaleDenominator, maxPixels, () -> false);
    }

    /**
     * Like {@link #decode(byte[], int, long)}, polling {@code abort} once per row of MCUs: when it answers true the
     * decode stops with a {@link JpegException} (the caller's deadline passed).
     */
    public DecodedJpeg decode(byte[] jpeg, int scaleDenominator, long maxPixels, BooleanSupplier abort)
            throws JpegException {
        if (scaleDenominator != 1 && scaleDenominator != 2 && scaleDenominator != 4 && scaleDenominator != 8) {
            throw new IllegalArgumentException("scale denominator must be 1, 2, 4 or 8, got " + scaleDenominator);
        }
        try {
            return decodeChecked(jpeg, 8 / scaleDenominator, maxPixels, abort);
        }
        catch (ScanDecoder.Aborted e) {
            throw new JpegException("decoding was aborted");
        }
        catch (RuntimeException e) {
            // a safety net: the decoder is written not to throw on bad data, but if it ever does, the caller gets
            // the checked type it handles (and falls back) rather than a crash
            throw new MalformedJpegException("cannot decode: " + e, e);
        }
    }

    private DecodedJpeg decodeChecked(byte[] jpeg, int k, long maxPixels, BooleanSupplier abort)
            throws JpegException {
        JpegParser parser = new JpegParser(jpeg);
        Optional<ScanHeader> scan = parser.nextScan();
        if (scan.isEmpty()) {
            throw new MalformedJpegException(parser.frame == null ? "no frame header (SOF)" : "no scan (SOS)");
        }
        JpegInfo info = parser.info();
        if (info.pixels() > maxPixels) {
            throw new UnsupportedJpegException("image is " + info.width() + "x" + info.height() + " ("
                    + info.pixels() + " pixels), over the limit of " + maxPixels + " pixels");
        }
        if (info.componentCount() == 4) {
            throw new UnsupportedJpegException(info.colorSpace() + " JPEG (4 components)");
        }
        Frame frame = parser.frame;
        for (Component c : frame.components) {
            if (frame.hMax % c.h != 0 || frame.vMax % c.v != 0) {
                throw new UnsupportedJpegException("fractional chroma sampling ratio");
            }
            c.planeStride = c.blocksPerLine * k;
            c.plane = new byte[c.planeStride * c.blocksPerColumn * k];
            // blocks no scan reaches stay mid-grey, like libjpeg's output for a truncated file
            java.util.Arrays.fill(c.plane, (byte) 128);
        }

        boolean complete = true;
        SequentialDecoder sequential = frame.progressive ? null : new SequentialDecoder(frame, k, parser.quantTables);
        ProgressiveDecoder progressive = frame.progressive ? new ProgressiveDecoder(frame, k) : null;
        if (sequential != null) {
            sequential.abort = abort;
        }
        else {
            progressive.abort = abort;
        }
        byte[] data = parser.data();
        while (scan.isPresent()) {
            ScanHeader header = scan.get();
            BitReader in = new BitReader(data, header.dataStart(), data.length);
            if (frame.progressive) {
                if (isValidProgressiveScan(header)) {
                    complete &= progressive.scan(header).decode(in, header.components(), parser.restartInterval);
                }
                else {
                    complete = false;
                }
            }
            else {
                for (Component c : header.components()) {
                    if (parser.quantTables[c.quantTable] == null) {
                        throw new MalformedJpegException("component " + c.id + " uses an undefined quantisation table");
                    }
                }
                complete &= sequential.decode(in, header.components(), parser.restartInterval);
            }
            parser.resumeAt(in.pos);
            scan = parser.nextScan();
        }
        if (progressive != null) {
            progressive.reconstruct(parser.quantTables);
        }
        BufferedImage image = toRgb(frame, info.colorSpace(), k);
        return new DecodedJpeg(image, info, 8 / k, complete);
    }

    /** libjpeg refuses the impossible band/bit combinations of G.1.1.1.1; this decoder skips such scans. */
    private static boolean isValidProgressiveScan(ScanHeader s) {
        if (s.ss() == 0) {
            return s.se() == 0 && s.al() < 14;
        }
        return s.ss() <= s.se() && s.se() <= 63 && s.components().length == 1 && s.al() < 14;
    }

    private static BufferedImage toRgb(Frame frame, JpegColorSpace colorSpace, int k) {
        int outWidth = scaled(frame.width, k, 1);
        int outHeight = scaled(frame.height, k, 1);
        Component[] components = frame.components;
        Upsampler[] upsamplers = new Upsampler[components.length];
        byte[][] rows = new byte[components.length][outWidth];
        for (Component c : components) {
            int validWidth = scaled(frame.width * c.h, k, frame.hMax);
            int validHeight = scaled(frame.height * c.v, k, frame.vMax);
            upsamplers[c.index] = new Upsampler(c.plane, c.planeStride, validWidth, validHeight, frame.hMax / c.h,
                    frame.vMax / c.v, outWidth);
        }
        BufferedImage image = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < outHeight; y++) {
            for (int i = 0; i < components.length; i++) {
                upsamplers[i].row(y, rows[i]);
            }
            int offset = y * outWidth;
            switch (colorSpace) {
                case GRAY -> ColorConverter.gray(rows[0], pixels, offset, outWidth);
                case RGB -> ColorConverter.rgb(rows[0], rows[1], rows[2], pixels, offset, outWidth);
                default -> ColorConverter.ycbcr(rows[0], rows[1], rows[2], pixels, offset, outWidth);
            }
        }
        return image;
    }

    /** {@code ceil(size * k / (8 * divisor))}: a dimension at the output scale. */
    private static int scaled(int size, int k, int divisor) {
        return (int) (((long) size * k + 8L * divisor - 1) / (8L * divisor));
    }
}
