package io.github.lambdaimageprocessor.thumbnail;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.color.ProfileDataException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.jpeg.JpegLimitException;
import io.github.lambdaimageprocessor.jpeg.ScanSummary;
import io.github.lambdaimageprocessor.jpeg.StandardHuffmanTables;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;

/**
 * Decodes with TwelveMonkeys' JPEG reader, chosen by class rather than by ImageIO's plugin order (which depends on the
 * class path and on how a shaded jar merged {@code META-INF/services}). TwelveMonkeys converts CMYK and YCCK, converts
 * embedded ICC profiles to sRGB, ignores broken profiles with a warning instead of failing ("Improper call to JPEG
 * library in state 202" in the JDK reader), and decodes lossless (SOF3) JPEGs. When it fails, the JDK's own reader gets
 * a second chance, and its result is used only when it is plain RGB or grey (never a raw CMYK raster).
 *
 * <p>Large images are decoded with source subsampling, so the decoded raster holds at most {@code maxDecodedPixels}
 * (and at most {@link #DECODED_PIXELS_PER_DATA_BYTE} per byte of entropy-coded data, above a floor):
 * libjpeg still decodes every scanline (including progressive ones) but only every n-th pixel of every n-th row reaches
 * the Java heap. The subsampling factor is the smallest that fits that budget, which keeps enough resolution (more than
 * 10x a 256 px thumbnail up to 100 MP with the default budget) for Thumbnailator's filtered downscale to hide the
 * aliasing: measured against a full decode, 256 px thumbnails differ by 0.5-1.7 levels of 255 on average (SSIM >= 0.99).
 *
 * <p>libjpeg cannot be stopped while it reads scans, and for a progressive (or multi-scan) file it reserves the whole
 * image's coefficients before reading any data. So the scan structure is checked first, with the same parser and
 * limits as the fast decoder ({@link JpegDecoder#readScans}): no more than {@link JpegDecoder#MAX_SCANS} scans, no
 * more block visits than the entropy-coded data allows, enough of that data for the claimed size (a stricter bound
 * than the fast decoder's, {@link #MAX_BLOCKS_PER_BYTE}), and a coefficient buffer within
 * {@link #COEFFICIENT_BUFFER_BUDGET} and within {@link #COEFFICIENT_BYTES_PER_DATA_BYTE} per byte of that data (above a
 * floor). Every budget that follows the bytes received counts the entropy-coded bytes
 * ({@link ScanSummary#entropyBytes()}), never the file's size: a megabyte of comments in front of a progressive
 * 10000x8900 header with no data made libjpeg reserve 254 MB, and 2 MB of them bought a 32-scan flood 3.7 s of CPU.
 * That walk reads the whole file (a few milliseconds for 10 MB), but only here, off the fast path. Broken ICC profiles
 * ({@link JpegInfo#iccBroken()}) are removed before a reader sees them.
 */
final class ImageIoDecoder implements Decoder {

    /**
     * The most coefficient memory libjpeg may reserve for one image (64 two-byte coefficients per block): a 4:2:0
     * progressive photo of 89 MP, a progressive CMYK one of 33 MP. Over it, a damaged progressive file is rendered by
     * the fast decoder from what arrived, and any other file is rejected.
     */
    static final long COEFFICIENT_BUFFER_BUDGET = 256L << 20;

    /**
     * The coefficient memory a byte of entropy-coded data may have libjpeg reserve, above
     * {@link #COEFFICIENT_BUFFER_FLOOR}: four blocks' worth. Progressive photos need 31 bytes per byte at most, a flat
     * CMYK product shot on white about 300, while a 250 KB file holding only the DC scan of a 5650x5650 CMYK frame
     * reserved 1 KB per byte (256 MB).
     */
    static final long COEFFICIENT_BYTES_PER_DATA_BYTE = 512;

    /** Any file may have libjpeg reserve this much, however small: an 8 MP CMYK image, the size of ordinary work. */
    static final long COEFFICIENT_BUFFER_FLOOR = 64L << 20;

    /**
     * Blocks one byte of a file handed to libjpeg may stand for: stricter than the fast decoder's
     * {@link JpegDecoder#MAX_BLOCKS_PER_BYTE}, because libjpeg and TwelveMonkeys size the raster (and, for a
     * multi-scan file, the coefficients) from the header before reading any data, where the fast decoder's buffers
     * follow the rows the data reaches. Complete data needs at least a bit per block (a Huffman code for every block's
     * DC value, in the first scan of a progressive file; two codes in a sequential one; a bit per sample in a lossless
     * one), so past 8 blocks per byte a file is certainly cut short or garbage: the fast decoder's rendering of what
     * arrived is the thumbnail ({@link #certainlyIncomplete}), and a file only this decoder could render is refused.
     * At 64 a 1.6 KB file claiming 193x31423 cost 266 MB and a 9 KB one claiming 65483x167 507 MB and 1.6 s here
     * (real photos: 0.1-4 blocks per byte; the corpus' 2725x2225 cut after 10 KB: 14, rendered by the fast decoder).
     */
    static final long MAX_BLOCKS_PER_BYTE = 8;

    /**
     * Decoded pixels a byte of entropy-coded data may ask for here, above {@link #DECODED_PIXELS_FLOOR}. Everything
     * this decoder takes is decoded, converted and resampled pixel by pixel, so a file that stands for far more pixels
     * than its bytes justify is decoded with more subsampling: an 84 KB flat CMYK image of 24 MP cost 1.4 s and 270 MB
     * at full size. Real CMYK photos hold 20-25 pixels per byte (a 24 MP one at q90: 1.1 MB), a flat product shot about
     * 40, which then decodes at 32 per byte, still 100 times a 256 px thumbnail.
     */
    static final long DECODED_PIXELS_PER_DATA_BYTE = 32;

    /** Pixels any file may have decoded here: 4 MP, still 60 times a 256 px thumbnail. */
    static final long DECODED_PIXELS_FLOOR = 4_000_000;

    /**
     * Marker segments (other than scan headers) a file handed to ImageIO may hold. Cameras and editors write 5-30,
     * progressive files a few per scan; TwelveMonkeys keeps an object for each segment before the first scan, so 19 MB
     * of empty comments in front of a CMYK image took 5 s and 1.3 GB, and 49 MB ran out of heap.
     */
    static final int MAX_SEGMENTS = 1000;

    /**
     * Blocks the JDK's reader may render over all the output passes of a progressive file (scans x blocks of the
     * image) whatever its data: it renders every scan as a whole image, each costing an inverse DCT and colour
     * conversion of every block (35-80 ns a block here), however little data the scan holds. Ten scans of a 36 MP
     * 4:2:0 photo, or of a 13 MP CMYK one; real progressive photos have 7-14 scans. The block-visit budget alone
     * allowed 32 passes over 2 million blocks to a file whose data was real (a restart marker after every MCU): 3.7 s
     * of CPU. Above it, the data buys more ({@link #outputPassBudget}). Over the budget, a damaged file is drawn by the
     * fast decoder and any other file is refused.
     */
    static final long MAX_OUTPUT_BLOCK_PASSES = 8L << 20;

    /**
     * Blocks rendered over the output passes that a byte of entropy-coded data buys above
     * {@link #MAX_OUTPUT_BLOCK_PASSES}. Without it a valid progressive photo over 36 MP that reaches this decoder (the
     * fast decoder declines one whose 1/8 scale exceeds {@code max-decoded-pixels}: 64 MP and more at 1,000,000) was
     * refused: a 10000x7500 4:2:0 file of 10 scans in 5.7 MB asks for 17.6 million (0.3 blocks per byte, so 3 per
     * byte), while the restart-marker flood asks for 33.5 million with 786 KB (43 per byte).
     */
    static final long OUTPUT_BLOCK_PASSES_PER_DATA_BYTE = 16;

    /**
     * The most output passes data can buy: the scans of libjpeg's own progressive script for four components
     * ({@code jpeg_simple_progression}: 2 + 4 per component), more than any common encoder writes for three.
     */
    static final int MAX_ENCODER_SCANS = 18;

    /**
     * Blocks libjpeg may render for a damaged file (one the fast decoder found truncated or corrupt), over all the
     * output passes of a progressive one, per byte of its entropy-coded data, above
     * {@link #DAMAGED_RENDERING_FLOOR}: what a real photo's data holds (a 4:2:0 photo cut to a quarter, 0.7 blocks
     * per byte). Past it the fast decoder's rendering of what arrived is the thumbnail: libjpeg decodes and renders
     * the whole frame whatever arrived (a progressive one reserving all its coefficients), and the looser rules for
     * any file let a 470 KB progressive 8000x8000 file holding three DC scans, the last one cut short, cost 1.1 s of
     * CPU and +194 MB there, a 590 KB 100 MP baseline one cut at an eighth 0.56 s (the fast decoder: 20-130 ms).
     */
    static final long DAMAGED_BLOCKS_PER_DATA_BYTE = 1;

    /**
     * Blocks libjpeg may render for any damaged file, however small its data: 262,144, a few tens of milliseconds
     * (the damaged files of the test corpus render at most 56,000).
     */
    static final long DAMAGED_RENDERING_FLOOR = 1L << 18;

    private static final String JDK_READER_SPI = "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi";

    private final ImageReaderSpi twelveMonkeys;

    private final ImageReaderSpi jdk;

    ImageIoDecoder() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ImageReaderSpi registered = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
        if (registered == null) {
            // Missing from META-INF/services (e.g. a fat jar that dropped it): register it, so it finds its delegate.
            registry.registerServiceProvider(new JPEGImageReaderSpi());
            registered = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
        }
        this.twelveMonkeys = registered;
        this.jdk = jdkReaderSpi(registry);
    }

    private static ImageReaderSpi jdkReaderSpi(IIORegistry registry) {
        Iterator<ImageReaderSpi> providers = registry.getServiceProviders(ImageReaderSpi.class, true);
        while (providers.hasNext()) {
            ImageReaderSpi provider = providers.next();
            if (provider.getClass().getName().equals(JDK_READER_SPI)) {
                return provider;
            }
        }
        return null;
    }

    @Override
    public Decoded decode(byte[] jpeg, JpegInfo header, Request request) throws RejectedImageException {
        long dataBytes = checkScanStructure(jpeg, header).entropyBytes();
        byte[] data = jpeg;
        if (header.hasFrame() && !header.huffmanTables() && !header.arithmetic() && !header.lossless()
                && header.firstScanOffset() > 0) {
            data = StandardHuffmanTables.insertBefore(jpeg, header.firstScanOffset());
        }
        if (header.iccBroken()) {
            // TwelveMonkeys allocates the size a profile's header declares (an OutOfMemoryError for a 1 KB file
            // claiming 1.6 GB), and the JDK's reader fails on a broken profile: a broken profile is ignored, so
            // neither sees it.
            data = JpegDecoder.withoutIccProfile(data);
        }
        RejectedImageException firstFailure;
        try {
            return read(twelveMonkeys, data, header, request, dataBytes);
        }
        catch (RejectedImageException e) {
            firstFailure = e;
        }
        if (jdk == null || request.control().aborted()) {
            throw firstFailure;
        }
        try {
            Decoded decoded = read(jdk, data, header, request, dataBytes);
            BufferedImage image = decoded.image();
            int type = image.getType();
            if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY
                    || type == BufferedImage.TYPE_INT_RGB) {
                return decoded;
            }
        }
        catch (RejectedImageException e) {
            firstFailure.addSuppressed(e);
        }
        throw firstFailure;
    }

    /**
     * Whether {@code dataBytes} of entropy-coded data hold less than a bit per block of the frame claimed: the file
     * cannot be complete.
     */
    static boolean certainlyIncomplete(JpegInfo header, long dataBytes) {
        return !JpegDecoder.holdsDataFor(header, dataBytes, MAX_BLOCKS_PER_BYTE);
    }

    /**
     * Whether libjpeg would need a coefficient buffer for the whole image beyond the budget of this much
     * entropy-coded data.
     */
    static boolean overCoefficientBudget(JpegInfo header, long dataBytes) {
        return header.multiScan() && header.coefficientBytes() > coefficientBudget(dataBytes);
    }

    /**
     * Whether libjpeg would render more blocks for a damaged file than its entropy-coded data pays for
     * ({@link #DAMAGED_BLOCKS_PER_DATA_BYTE}): every block of the frame, once per scan of a progressive file.
     */
    static boolean overDamagedRendering(JpegInfo header, ScanSummary scans) {
        long rendered = Math.max(scans.totalBlocks(), outputBlockPasses(header, scans));
        return rendered > Math.max(DAMAGED_RENDERING_FLOOR,
                DAMAGED_BLOCKS_PER_DATA_BYTE * scans.entropyBytes());
    }

    /** Whether the JDK's reader would render more blocks over its passes than {@link #outputPassBudget} allows. */
    static boolean overOutputPasses(JpegInfo header, ScanSummary scans) {
        return outputBlockPasses(header, scans) > outputPassBudget(scans);
    }

    /** The blocks the JDK's reader renders: every block once per scan of a progressive file, none counted otherwise. */
    private static long outputBlockPasses(JpegInfo header, ScanSummary scans) {
        return header.progressive() ? (long) scans.scans() * scans.totalBlocks() : 0;
    }

    /**
     * {@link #MAX_OUTPUT_BLOCK_PASSES}, or what the entropy-coded data buys when more
     * ({@link #OUTPUT_BLOCK_PASSES_PER_DATA_BYTE}), up to {@link #MAX_ENCODER_SCANS} passes over the image.
     */
    static long outputPassBudget(ScanSummary scans) {
        return Math.max(MAX_OUTPUT_BLOCK_PASSES, Math.min(MAX_ENCODER_SCANS * scans.totalBlocks(),
                OUTPUT_BLOCK_PASSES_PER_DATA_BYTE * scans.entropyBytes()));
    }

    static long coefficientBudget(long dataBytes) {
        return Math.min(COEFFICIENT_BUFFER_BUDGET,
                Math.max(COEFFICIENT_BUFFER_FLOOR, dataBytes * COEFFICIENT_BYTES_PER_DATA_BYTE));
    }

    /**
     * What libjpeg would be asked to do, decided before it is asked: it cannot be interrupted mid-scan. Judged by the
     * entropy-coded data, which this returns with the rest of the walk.
     */
    private static ScanSummary checkScanStructure(byte[] jpeg, JpegInfo header) throws RejectedImageException {
        if (!header.hasFrame()) {
            // TwelveMonkeys resynchronises past damaged segments and may find a frame our walk did not: one nothing
            // here could vet (a 1.6 KB file whose frame lay behind a bogus segment cost 266 MB and a second)
            throw new RejectedImageException("not a decodable JPEG: no frame header (SOF) where its segments lead");
        }
        ScanSummary scans = JpegDecoder.readScans(jpeg);
        if (scans.bogusDac()) {
            // libjpeg-turbo (Debian's OpenJDK) refuses these, libjpeg 6b skips the segment: refuse on every JVM.
            throw new RejectedImageException("not a decodable JPEG: bogus arithmetic-coding conditioning (DAC) values");
        }
        if (scans.segments() > MAX_SEGMENTS) {
            throw new RejectedImageException("not a decodable JPEG: more than " + MAX_SEGMENTS + " marker segments: "
                    + "no encoder writes that many, a file built to be slow does");
        }
        if (scans.oversizedMcu()) {
            throw new RejectedImageException("not a decodable JPEG: an interleaved scan's MCU holds more than "
                    + JpegDecoder.MAX_BLOCKS_PER_MCU + " blocks, which the standard does not allow");
        }
        if (scans.tooManyScans()) {
            throw new RejectedImageException("not a decodable JPEG: more than " + JpegDecoder.MAX_SCANS
                    + " scans: no encoder writes that many, a file built to be slow does");
        }
        long dataBytes = scans.entropyBytes();
        if (header.lossless()) {
            // every sample has a Huffman code of at least a bit, and TwelveMonkeys sizes the whole image first;
            // before the block rule below, which counts 64 samples as a block and is eight times looser here
            long samples = (long) header.width() * header.height() * header.componentCount();
            if (dataBytes < samples / 8) {
                throw new RejectedImageException("not a decodable JPEG: " + dataBytes + " bytes of image data (in a "
                        + "file of " + jpeg.length + " bytes) cannot hold a lossless " + header.width() + "x"
                        + header.height() + " image (" + samples + " samples, a bit each at least): the file ends "
                        + "before its data");
            }
        }
        try {
            JpegDecoder.checkDataForSize(header, scans, MAX_BLOCKS_PER_BYTE);
        }
        catch (JpegLimitException e) {
            throw new RejectedImageException("not a decodable JPEG: " + e.getMessage(), e);
        }
        if (scans.blockVisits() > scans.workBudget()) {
            throw new RejectedImageException("not a decodable JPEG: the scans ask for more than "
                    + scans.workBudget() + " block visits, the most " + dataBytes
                    + " bytes of image data may (built to be slow)");
        }
        // The JDK's reader (TwelveMonkeys' delegate) renders a progressive file once per scan, for progressive
        // display: every scan costs an inverse DCT of every block of the image, however little data it holds. A 64 KB
        // four-component file of 61 end-of-band scans cost 2.5 s of CPU that way, within its block-visit budget.
        long outputPasses = outputBlockPasses(header, scans);
        if (outputPasses > scans.workBudget()) {
            throw new RejectedImageException("not a decodable JPEG: " + scans.scans() + " progressive scans of "
                    + scans.totalBlocks() + " blocks each ask for more than " + scans.workBudget()
                    + " block visits, the most " + dataBytes + " bytes of image data may (built to be slow)");
        }
        if (overOutputPasses(header, scans)) {
            throw new RejectedImageException("unsupported JPEG: " + scans.scans() + " progressive scans of "
                    + scans.totalBlocks() + " blocks each: the decoder here renders every scan, and more than "
                    + outputPassBudget(scans) + " blocks over its output passes (for " + dataBytes
                    + " bytes of image data) would cost seconds");
        }
        if (overCoefficientBudget(header, dataBytes)) {
            throw new RejectedImageException("unsupported JPEG: a progressive or multi-scan " + header.width() + "x"
                    + header.height() + " " + header.colorSpace().displayName() + " image needs "
                    + (header.coefficientBytes() >> 20) + " MB of coefficients to decode here, over the budget of "
                    + (coefficientBudget(dataBytes) >> 20) + " MB for " + dataBytes + " bytes of image data (at most "
                    + (COEFFICIENT_BUFFER_BUDGET >> 20) + " MB)");
        }
        return scans;
    }

    private static Decoded read(ImageReaderSpi provider, byte[] data, JpegInfo header, Request request,
            long dataBytes) throws RejectedImageException {
        ImageReader reader = null;
        try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
            reader = provider.createReaderInstance();
            reader.setInput(in, true, true);
            abortOnRequest(reader, request.control());
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new RejectedImageException("not a decodable JPEG: header declares a zero size");
            }
            Dimensions source = new Dimensions(width, height);
            if (source.pixels() > request.maxPixels()) {
                throw new RejectedImageException(ThumbnailatorResizer.overLimit(source, request.maxPixels()));
            }
            if (width != header.width() || height != header.height()) {
                // the reader resynchronised onto another frame than the one our walk vetted (a segment length
                // running into the frame header, a second SOI): its scans and bytes for the size were never checked
                throw new RejectedImageException("not a decodable JPEG: the decoder found a " + width + "x" + height
                        + " frame where the segments lead to a " + header.width() + "x" + header.height() + " one");
            }
            int reduction = reduction(source, request, dataBytes);
            ImageReadParam param = reader.getDefaultReadParam();
            if (reduction > 1) {
                param.setSourceSubsampling(reduction, reduction, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (request.control().aborted()) {
                throw new RejectedImageException(ThumbnailatorResizer.ABORTED);
            }
            return new Decoded(grayProfileToSrgb(image), source, reduction);
        }
        catch (IIOException e) {
            throw new RejectedImageException("not a decodable JPEG: " + describe(e), e);
        }
        catch (IOException | RuntimeException e) {
            // Decoders answer hostile input with all kinds of runtime exceptions; any of them means "cannot decode".
            throw new RejectedImageException("not a decodable JPEG: " + describe(e), e);
        }
        catch (OutOfMemoryError e) {
            // What reaches this reader is bounded by the checks above (pixels, coefficients, bytes for the size), so
            // running out of heap here means the reader believed a size in the file (as TwelveMonkeys did an ICC
            // profile's): one failed allocation, released with the reader, and a verdict on this file only.
            throw new RejectedImageException("not a decodable JPEG: the decoder ran out of memory on it ("
                    + describe(e) + ")", e);
        }
        finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /**
     * The JDK's reader refuses {@code abort()} from any thread but the one reading ("Attempt to use instance ...
     * locked on thread"), so the abort is requested from the reading thread itself, in the progress callbacks libjpeg
     * makes while it writes scanlines. The cross-thread call stays for readers that allow it. A progressive image
     * first reads all its scans without callbacks; it stops once it starts writing scanlines.
     */
    private static void abortOnRequest(ImageReader reader, Control control) {
        reader.addIIOReadProgressListener(new IIOReadProgressListener() {

            @Override
            public void imageProgress(ImageReader source, float percentageDone) {
                if (control.aborted()) {
                    source.abort();
                }
            }

            @Override
            public void sequenceStarted(ImageReader source, int minIndex) {
            }

            @Override
            public void sequenceComplete(ImageReader source) {
            }

            @Override
            public void imageStarted(ImageReader source, int imageIndex) {
            }

            @Override
            public void imageComplete(ImageReader source) {
            }

            @Override
            public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
            }

            @Override
            public void thumbnailProgress(ImageReader source, float percentageDone) {
            }

            @Override
            public void thumbnailComplete(ImageReader source) {
            }

            @Override
            public void readAborted(ImageReader source) {
            }
        });
        control.onAbort(() -> {
            try {
                reader.abort();
            }
            catch (IllegalStateException e) {
                // The JDK reader is locked to the reading thread; the progress listener above takes over.
            }
        });
    }

    /**
     * TwelveMonkeys converts colour images to sRGB but hands grey ones back in their embedded profile (e.g. "Dot Gain
     * 20%", 14 levels darker than sRGB grey). Those go through the profile; plain grey (the JDK's built-in grey space)
     * already has sRGB-like levels and is left alone. A profile the colour engine refuses is ignored. Grey and alpha
     * (two components) with a grey profile comes back in that profile too, and its alpha stays behind here: the
     * converted picture is opaque ({@link #leavesAlphaOut}).
     */
    private static BufferedImage grayProfileToSrgb(BufferedImage image) {
        ColorSpace space = image.getColorModel().getColorSpace();
        if (space.getType() != ColorSpace.TYPE_GRAY || space == ColorSpace.getInstance(ColorSpace.CS_GRAY)) {
            return image;
        }
        try {
            BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            return new ColorConvertOp(null).filter(image, rgb);
        }
        catch (CMMException | IllegalArgumentException e) {
            return image;
        }
    }

    /**
     * Whether this decoder draws a picture with alpha ({@link JpegInfo#alphaOver}) without it: two components with a
     * profile of grey, whose grey {@link #grayProfileToSrgb} converts into an opaque picture. With any other profile,
     * or none, TwelveMonkeys hands grey and alpha back in the JDK's linear grey, which the resizer draws over black;
     * it ignores any profile of Y'CbCr or RGB and alpha.
     */
    static boolean leavesAlphaOut(JpegInfo header) {
        if (header.componentCount() != 2 || header.iccBroken() || header.iccProfile().isEmpty()) {
            return false;
        }
        try {
            return ICC_Profile.getInstance(header.iccProfile().get()).getColorSpaceType() == ColorSpace.TYPE_GRAY;
        }
        catch (IllegalArgumentException | CMMException | ProfileDataException e) {
            return false;
        }
    }

    /**
     * The smallest subsampling factor that keeps the decoded raster within the budget ({@code dataBytes} of
     * entropy-coded data), but never one that would decode smaller than the thumbnail itself.
     */
    static int reduction(Dimensions source, Request request, long dataBytes) {
        long budget = Math.min(request.maxDecodedPixels(),
                Math.max(DECODED_PIXELS_FLOOR, dataBytes * DECODED_PIXELS_PER_DATA_BYTE));
        int factor = 1;
        while (ceilDiv(source.width(), factor) * ceilDiv(source.height(), factor) > budget) {
            factor++;
        }
        Dimensions target = source.fitWithin(request.box());
        int largest = Math.max(1, Math.min(source.width() / target.width(), source.height() / target.height()));
        return Math.min(factor, largest);
    }

    private static long ceilDiv(int a, int b) {
        return (a + (long) b - 1) / b;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
