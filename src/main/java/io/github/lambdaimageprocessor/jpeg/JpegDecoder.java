package io.github.lambdaimageprocessor.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
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
 * {@link DecodedJpeg#complete()} is false. Only {@link JpegException}s leave {@link #decode}.
 *
 * <p>
 * Hostile files: the cost of a decode follows the bytes received, not what the header claims. Buffers grow with the
 * block rows the data reaches; a file past {@link #MAX_SCANS} scans, or whose scans ask for more block visits than
 * {@link #workBudget} allows for the entropy-coded bytes read before them (checked once per row of MCUs, so that
 * comments and APPn segments anywhere in the file buy no work, without a walk over the data ahead), or that is far
 * too small for the frame it claims ({@link #MAX_BLOCKS_PER_BYTE}), ends in a {@link JpegLimitException}. The entry
 * points for a fuzz harness are {@link #readHeader}, {@link #readScans} (which never throw) and {@link #decode}
 * (which returns or throws a {@link JpegException}, nothing else).
 *
 * <p>
 * Instances hold no state; one can be shared between threads.
 */
public final class JpegDecoder {

    /**
     * Scans allowed in one file. No encoder writes more than a few dozen (libjpeg's default progression has 10,
     * mozjpeg's up to 20); libjpeg-turbo's tools suggest 100 as {@code -maxscans} for untrusted input.
     */
    public static final int MAX_SCANS = 100;

    /**
     * Huffman table definitions allowed in one file. An encoder writes 2-4, a progressive one a few more per scan (at
     * most 2 per scan of {@link #MAX_SCANS}); each definition costs 24 KB of lookup tables, so a file of nothing but
     * redefinitions (a million in 19 MB) allocated 21 GB and took 2 s.
     */
    public static final int MAX_HUFFMAN_TABLES = 1000;

    /** T.81 B.2.3: an interleaved scan's MCU holds at most 10 blocks (libjpeg's {@code D_MAX_BLOCKS_IN_MCU}). */
    public static final int MAX_BLOCKS_PER_MCU = 10;

    /**
     * Block visits one byte of input may ask for. A DC scan costs at least a bit per block, but an AC scan can end
     * 32767 blocks with one end-of-band run of two bytes, which is what a file built to be slow repeats. Measured:
     * real progressive photos ask for 0.1-2 visits per byte, a smooth gradient 10-16, a flat grey picture 24.
     */
    static final long VISITS_PER_BYTE = 128;

    /** Every file may visit each of its blocks this often, whatever its size (a few scans over a flat picture). */
    static final long MIN_PASSES = 4;

    /**
     * No file may visit each of its blocks more often: 32 scans over the whole picture. Real progressive files make
     * 3-6 passes (libjpeg's and ImageMagick's scripts: 10-14 scans, most of them over one component).
     */
    static final long MAX_PASSES = 32;

    /**
     * Blocks one byte of a file may stand for. A complete file needs at least a bit per block (a DC difference code;
     * a baseline block two bits), so 8 blocks per byte; past 1024 the file is a giant's header with next to nothing
     * behind it (a 214-byte file claiming 10000x10000), refused before any buffer is sized from the claim. A file cut
     * short with more left than that is decoded from what arrived.
     */
    public static final long MAX_BLOCKS_PER_BYTE = 1024;

    /**
     * Refuses a file far too small for the frame it claims ({@link #MAX_BLOCKS_PER_BYTE}), from its size alone: what
     * the decoder can afford before it reads any data. Padding can pass this check but buys no work, since the
     * decoder's buffers follow the data; the decisions taken after a decode judge the data itself
     * ({@link #checkDataForSize(JpegInfo, ScanSummary, long)}).
     *
     * @throws JpegLimitException when it is
     */
    public static void checkDataForSize(JpegInfo header, long fileBytes) throws JpegLimitException {
        if (!holdsDataFor(header, fileBytes, MAX_BLOCKS_PER_BYTE)) {
            throw new JpegLimitException(fileBytes + " bytes cannot hold a " + header.width() + "x" + header.height()
                    + " image (" + header.coefficientBytes() / 128 + " blocks): the file ends long before its data");
        }
    }

    /**
     * Refuses a file whose entropy-coded data ({@link ScanSummary#entropyBytes()}) holds less than a byte per
     * {@code maxBlocksPerByte} blocks of the frame it claims, however large the file: comment and APPn segments hold
     * no image, and a megabyte of them in front of a giant's header made it pass for a byte per two blocks.
     *
     * @throws JpegLimitException when it does
     */
    public static void checkDataForSize(JpegInfo header, ScanSummary scans, long maxBlocksPerByte)
            throws JpegLimitException {
        if (!holdsDataFor(header, scans.entropyBytes(), maxBlocksPerByte)) {
            throw new JpegLimitException(scans.entropyBytes() + " bytes of image data (in a file of "
                    + scans.fileBytes() + " bytes) cannot hold a " + header.width() + "x" + header.height()
                    + " image (" + header.coefficientBytes() / 128 + " blocks): the file ends long before its data");
        }
    }

    /** Whether {@code bytes} hold at least a byte per {@code maxBlocksPerByte} blocks of the claimed frame. */
    public static boolean holdsDataFor(JpegInfo header, long bytes, long maxBlocksPerByte) {
        return header.coefficientBytes() / 128 <= maxBlocksPerByte * bytes;
    }

    /**
     * The block visits (summed over all scans) {@code imageBytes} of entropy-coded data over {@code totalBlocks} blocks
     * may ask for: {@link #VISITS_PER_BYTE} per byte, at least {@link #MIN_PASSES} and at most {@link #MAX_PASSES} per
     * block. Comment and APPn segments hold no image and buy none: the fallback counts
     * {@link ScanSummary#entropyBytes()}, {@link #decode} the bytes its scans have read so far.
     */
    public static long workBudget(long totalBlocks, long imageBytes) {
        long byBytes = Math.max(VISITS_PER_BYTE * imageBytes, MIN_PASSES * totalBlocks);
        return Math.min(byBytes, MAX_PASSES * totalBlocks);
    }

    /**
     * The header up to the first scan, leniently: never throws, fields the walk could not find keep their "absent"
     * value ({@link JpegInfo#hasFrame()}). What both decoders of the thumbnail path judge a file by.
     */
    public static JpegInfo readHeader(byte[] jpeg) {
        return JpegParser.readHeader(jpeg);
    }

    /**
     * How the file ends inside a segment of its header, before any scan (cut off by an interrupted copy or upload), or
     * empty when it does not. Never throws.
     */
    public static Optional<String> headerCutOff(byte[] jpeg) {
        return JpegParser.headerCutOff(jpeg);
    }

    /**
     * The scan structure of the whole file, without decoding: to check, before handing a file to a decoder that
     * cannot be stopped mid-scan, how many scans and block visits it would be asked for. Never throws.
     */
    public static ScanSummary readScans(byte[] jpeg) {
        return JpegParser.readScans(jpeg);
    }

    /**
     * The file without its APP2 ICC_PROFILE segments (those before the first scan), for a decoder that must not see a
     * broken profile ({@link JpegInfo#iccBroken()}); the same array when there are none. Never throws.
     */
    public static byte[] withoutIccProfile(byte[] jpeg) {
        return JpegParser.withoutIccProfile(jpeg);
    }

    /** The codes of the marker segments before the first scan, and of that SOS, in file order (SOI not included). */
    public static List<Integer> markersBeforeFirstScan(byte[] jpeg) {
        return JpegParser.markersBeforeFirstScan(jpeg);
    }

    /** Reads the header (everything up to the first scan) strictly, without decoding any pixel. */
    public JpegInfo readInfo(byte[] jpeg) throws JpegException {
        try {
            JpegParser parser = JpegParser.forDecoding(jpeg);
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
     * @throws UnsupportedJpegException for JPEG flavours this decoder does not implement (12-bit, lossless, ...)
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
        JpegParser parser = JpegParser.forDecoding(jpeg);
        Optional<ScanHeader> scan = parser.nextScan();
        if (scan.isEmpty()) {
            throw new MalformedJpegException(parser.frame == null ? "no frame header (SOF)" : "no scan (SOS)");
        }
        JpegInfo info = parser.info();
        if (info.pixels() > maxPixels) {
            throw new UnsupportedJpegException("image is " + info.width() + "x" + info.height() + " ("
                    + info.pixels() + " pixels), over the limit of " + maxPixels + " pixels");
        }
        checkDataForSize(info, jpeg.length);
        Frame frame = parser.frame;
        for (Component c : frame.components) {
            if (frame.hMax % c.h != 0 || frame.vMax % c.v != 0) {
                throw new UnsupportedJpegException("fractional chroma sampling ratio");
            }
            c.planeStride = c.blocksPerLine * k;
            if (c.planeBytes(k) > Integer.MAX_VALUE - 16) {
                throw new UnsupportedJpegException("image too large to decode at 1/" + (8 / k));
            }
            // planes are allocated as the scans reach their rows (Component.planeRows)
        }

        boolean complete = true;
        List<String> warnings = new ArrayList<>();
        ScanDecoder decoder = frame.progressive ? new ProgressiveDecoder(frame, k)
                : new SequentialDecoder(frame, k, parser.quantTables);
        decoder.abort = abort;
        decoder.frameBlocks = frameBlocks(frame);
        byte[] data = parser.data();
        boolean[] coded = new boolean[frame.components.length];
        while (scan.isPresent()) {
            ScanHeader header = scan.get();
            BitReader in = new BitReader(data, header.dataStart(), data.length);
            if (frame.progressive) {
                decoder = ((ProgressiveDecoder) decoder).scan(header);
            }
            else {
                for (Component c : header.components()) {
                    if (parser.quantTables[c.quantTable] == null) {
                        throw new MalformedJpegException("component " + c.id + " uses an undefined quantisation table");
                    }
                    if (coded[c.index]) {
                        // libjpeg keeps a multi-scan sequential frame's coefficients until the end, and a later scan
                        // of a component writes its DC and its non-zero AC coefficients over the earlier scan's: a
                        // blend of two planes that this decoder, drawing each block as its scan comes, cannot draw.
                        // No encoder writes it (T.81 codes each component of a sequential frame in one scan); a frame
                        // whose components share an id does, its scans naming 1, 2, 2 where libjpeg reads 1, 2, 3.
                        // Final, as the fallback's picture (one plane blended, the other never coded) is not the
                        // file's, and handing it over would buy libjpeg's coefficient buffer for a file of scans
                        throw new JpegLimitException("scan " + parser.scans + " codes component " + c.id
                                + " again in a sequential frame, which libjpeg blends with the earlier scan (a "
                                + "picture the file does not hold)");
                    }
                    coded[c.index] = true;
                }
            }
            boolean scanComplete;
            try {
                scanComplete = decoder.decode(in, header.components(), parser.restartInterval);
            }
            catch (ScanDecoder.WorkExceeded e) {
                throw new JpegLimitException("the scans ask for more than "
                        + workBudget(decoder.frameBlocks, decoder.imageBytes) + " block visits, the most "
                        + decoder.imageBytes + " bytes of image data read before them may (built to be slow)");
            }
            if (!scanComplete) {
                if (complete && decoder.damage != null) {
                    warnings.add(decoder.damage);
                }
                complete = false;
            }
            parser.resumeAt(in.pos);
            scan = parser.nextScan();
        }
        if (decoder instanceof ProgressiveDecoder progressive) {
            if (progressive.progressionWarning != null) {
                warnings.add(progressive.progressionWarning);
            }
            progressive.reconstruct(parser.quantTables);
        }
        for (Component c : frame.components) {
            c.planeRows(c.blocksPerColumn, k);
        }
        warnings.addAll(parser.warnings);
        return new DecodedJpeg(frame, k, info, complete, warnings);
    }

    private static long frameBlocks(Frame frame) {
        long blocks = 0;
        for (Component c : frame.components) {
            blocks += (long) c.blocksPerLine * c.blocksPerColumn;
        }
        return blocks;
    }

    static BufferedImage toRgb(Frame frame, JpegColorSpace colorSpace, int k) {
        int outWidth = scaled(frame.width, k, 1);
        BufferedImage image = new BufferedImage(outWidth, scaled(frame.height, k, 1), BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        forEachRow(frame, k, (y, rows) -> ColorConverter.toRgb(colorSpace, rows, pixels, y * outWidth, outWidth));
        return image;
    }

    /** The picture of colour components and an alpha one, drawn over black ({@link JpegInfo#alphaOver}). */
    static BufferedImage toRgbOverBlack(Frame frame, JpegColorSpace colours, int k) {
        int outWidth = scaled(frame.width, k, 1);
        BufferedImage image = new BufferedImage(outWidth, scaled(frame.height, k, 1), BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        forEachRow(frame, k,
                (y, rows) -> ColorConverter.toRgbOverBlack(colours, rows, pixels, y * outWidth, outWidth));
        return image;
    }

    /** Takes one output row of every component, upsampled to the picture's resolution. */
    @FunctionalInterface
    interface RowConsumer {

        void accept(int y, byte[][] rows);
    }

    /** Hands {@code consumer} the picture's rows at the decoded scale, top to bottom, each component upsampled. */
    static void forEachRow(Frame frame, int k, RowConsumer consumer) {
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
        for (int y = 0; y < outHeight; y++) {
            for (int i = 0; i < components.length; i++) {
                upsamplers[i].row(y, rows[i]);
            }
            consumer.accept(y, rows);
        }
    }

    /** {@code ceil(size * k / (8 * divisor))}: a dimension at the output scale. */
    static int scaled(int size, int k, int divisor) {
        return (int) (((long) size * k + 8L * divisor - 1) / (8L * divisor));
    }
}
