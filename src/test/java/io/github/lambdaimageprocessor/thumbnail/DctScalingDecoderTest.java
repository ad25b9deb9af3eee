package io.github.lambdaimageprocessor.thumbnail;

import java.awt.image.BufferedImage;

import io.github.lambdaimageprocessor.AlphaJpegs;
import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.ForkedJvm;
import io.github.lambdaimageprocessor.HostileJpegs;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fast path on its own: which files it takes (and at what scale), which it leaves to the fallback, and that what
 * it decodes looks like what the fallback decodes.
 */
class DctScalingDecoderTest {

    private static final Dimensions BOX = DefaultSettings.THUMBNAIL_SPEC.box();

    private final DctScalingDecoder fast = new DctScalingDecoder();

    private final ImageIoDecoder fallback = new ImageIoDecoder();

    private static Decoder.Request request() {
        return new Decoder.Request(BOX, DefaultSettings.THUMBNAIL_SPEC.maxPixels(), DefaultSettings.THUMBNAIL_SPEC.maxDecodedPixels(),
                new Decoder.Control());
    }

    @ParameterizedTest(name = "{0} at 1/{1}")
    @CsvSource({ "valid/flickr-2725x2225.jpg, 4", "edge-sizes/wide-phone-4608x1976.jpg, 8",
            "orientation/landscape_6.jpg, 2", "progressive/progressive-1201x800-444.jpg, 2",
            "edge-sizes/panorama-equirect-4096x2048.jpg, 8", "valid/nikon-e950-444.jpg, 1",
            "color/grayscale/thumbor-grayscale-800x533.jpg, 1", "color/icc/adobe-rgb-626x76.jpg, 1",
            "bomb/photo-9643x10328-99.6MP.jpg, 8" })
    void decodesCommonPhotosAtAReducedScaleLikeTheFallback(String file, int reduction) throws Exception {
        byte[] jpeg = TestImages.bytes(file);
        JpegInfo header = JpegDecoder.readHeader(jpeg);

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        assertThat(decoded.reduction()).isEqualTo(reduction);
        assertThat(decoded.source()).isEqualTo(new Dimensions(header.width(), header.height()));
        BufferedImage expected = fallback.decode(jpeg, header, request()).image();
        BufferedImage actual = thumb(decoded.image());
        assertThat(meanAbsoluteDifference(actual, thumb(expected, actual.getWidth(), actual.getHeight()))).as(file)
            .isLessThan(3.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "valid/flickr-2725x2225.jpg, 256x209", "edge-sizes/wide-phone-4608x1976.jpg, 256x110",
            "orientation/landscape_6.jpg, 171x256", "progressive/progressive-1201x800-444.jpg, 256x171",
            "valid/nikon-e950-444.jpg, 256x192", "color/icc/adobe-rgb-626x76.jpg, 256x31",
            "valid/ljt-testorig-baseline-420.jpg, 227x149", "progressive/progressive-5-dht-segments.jpg, 211x167" })
    void handsBackTheThumbnailWhenItIsSmallerAndTheWholeImageWhenItFits(String file, String size)
            throws Exception {
        byte[] jpeg = TestImages.bytes(file);

        Decoder.Decoded decoded = fast.decode(jpeg, JpegDecoder.readHeader(jpeg), request());

        assertThat(decoded.image().getWidth() + "x" + decoded.image().getHeight()).isEqualTo(size);
    }

    @ParameterizedTest(name = "{0} at 1/{1}")
    @CsvSource({ "valid/nikon-e950-444.jpg, 2, 0.5, 20", "valid/flickr-2725x2225.jpg, 2, 0.6, 40",
            "valid/flickr-2725x2225.jpg, 4, 0.6, 40", "valid/flickr-2725x2225.jpg, 8, 0.6, 40",
            "valid/reconyx-hc500-2048x1536-422.jpg, 2, 0.6, 40", "valid/panasonic-dmc-fz30-440.jpg, 1, 0.6, 40",
            "exotic/rgb-components-no-ycbcr.jpg, 2, 0.001, 0",
            "color/grayscale/thumbor-grayscale-800x533.jpg, 2, 0.001, 0" })
    void resizingThePlanesLooksLikeResizingTheRgbImage(String file, int scale, double meanLimit, int maxLimit)
            throws Exception {
        // grey and RGB-coded files are the same arithmetic; Y'CbCr differs by rounding, where the filter's overshoot is clipped (in Y'CbCr
        // and again in RGB on one side, in RGB alone on the other) and, when subsampled, at colour edges: chroma
        // resampled once from its own resolution is sharper than after the triangle upsampling
        byte[] jpeg = TestImages.bytes(file);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        io.github.lambdaimageprocessor.jpeg.DecodedJpeg decoded = new JpegDecoder().decode(jpeg, scale,
                Long.MAX_VALUE);
        double extentWidth = (double) header.width() / scale;
        double extentHeight = (double) header.height() / scale;
        // a third of the decoded size: a real shrink for every plane, subsampled or not
        Dimensions target = new Dimensions(Math.max(3, (int) (extentWidth / 3)),
                Math.max(3, (int) (extentHeight / 3)));

        BufferedImage planes = decoded.resized(target.width(), target.height(), ConvolutionResampler::resample);
        BufferedImage rgb = ConvolutionResampler.resize(decoded.image(), extentWidth, extentHeight, target.width(),
                target.height());

        double sum = 0;
        int max = 0;
        for (int y = 0; y < target.height(); y++) {
            for (int x = 0; x < target.width(); x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs((planes.getRGB(x, y) >> shift & 0xFF) - (rgb.getRGB(x, y) >> shift & 0xFF));
                    sum += d;
                    max = Math.max(max, d);
                }
            }
        }
        assertThat(sum / (3.0 * target.pixels())).as(file).isLessThan(meanLimit);
        assertThat(max).as(file).isLessThanOrEqualTo(maxLimit);
    }

    @Test
    void aFailureWhileMakingThePixelsLeavesTheFileToTheFallback() throws Exception {
        // the decoder's safety net covers the pixels made after decode() returned: a bug there is a rejection of
        // the fast path, and the resizer's next decoder makes the thumbnail
        DctScalingDecoder failing = new DctScalingDecoder((samples, stride, rasterWidth, rasterHeight, extentWidth,
                extentHeight, width, height) -> {
            throw new IllegalStateException("a bug in the resampler");
        });
        byte[] jpeg = TestImages.bytes("valid/flickr-2725x2225.jpg");

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> failing.decode(jpeg, JpegDecoder.readHeader(jpeg), request()))
            .withMessageStartingWith("fast decoder: cannot make the pixels: java.lang.IllegalStateException");
        Thumbnail thumbnail = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC,
                java.util.List.of(failing, new ImageIoDecoder())).resize(jpeg);
        assertThat(thumbnail.size()).isEqualTo(new Dimensions(256, 209));
    }

    @Test
    void appliesAProfileThatIsNotSrgbToTheThumbnailItMakes() throws Exception {
        // a 1600x1200 picture of level 64 tagged linear RGB (a quarter of full light, which sRGB encodes as about 137)
        // comes back thumbnail-sized and converted
        BufferedImage picture = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = picture.createGraphics();
        g.setColor(new java.awt.Color(64, 64, 64));
        g.fillRect(0, 0, 1600, 1200);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(picture, "jpg", out);
        byte[] jpeg = withIccProfile(out.toByteArray(),
                java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData());
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        assertThat(header.iccProfile()).isPresent();

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        assertThat(decoded.reduction()).isEqualTo(2);
        assertThat(decoded.image().getWidth() + "x" + decoded.image().getHeight()).isEqualTo("256x192");
        int green = decoded.image().getRGB(128, 96) >> 8 & 0xFF;
        assertThat(green).isBetween(132, 142);
    }

    /** The file with an APP2 ICC_PROFILE segment (one chunk) right after SOI. */
    private static byte[] withIccProfile(byte[] jpeg, byte[] icc) {
        byte[] tag = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = 2 + tag.length + 2 + icc.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE2);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(tag);
        out.write(1);
        out.write(1);
        out.writeBytes(icc);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "exotic/12-bit-monkey-icc.jpg", "exotic/lossless-sof3-8bit-gray.jpg",
            "progressive/progressive-partial-4x4.jpg" })
    void leavesOtherFlavoursAndDamagedFilesToTheFallback(String file) {
        byte[] jpeg = TestImages.bytes(file);

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fast.decode(jpeg, JpegDecoder.readHeader(jpeg), request()))
            .withMessageStartingWith("fast decoder:");
    }

    @Test
    void leavesAFileCutShortToTheFallbackWhenItsBytesCouldHoldTheFrame() {
        // 200 KB of an 829 KB 6 MP photo: about 0.7 blocks per byte, which complete data could be
        byte[] jpeg = java.util.Arrays.copyOf(TestImages.bytes("valid/flickr-2725x2225.jpg"), 200_000);

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fast.decode(jpeg, JpegDecoder.readHeader(jpeg), request()))
            .withMessageStartingWith("fast decoder:");
    }

    @Test
    void rendersADamagedFileWhoseScansLibjpegWouldRenderTooOftenItself() throws Exception {
        // 32 scans over a million blocks, with real data behind them: the JDK's reader would render each scan as a
        // whole image, more output passes than the fallback allows
        byte[] jpeg = io.github.lambdaimageprocessor.HostileJpegs.restartFloodProgressive(2, true);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        assertThat(ImageIoDecoder.overCoefficientBudget(header, JpegDecoder.readScans(jpeg).entropyBytes())).isFalse();

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        assertThat(decoded.source()).isEqualTo(new Dimensions(4096, 4096));
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, header, request()))
            .withMessageContaining("output passes");
    }

    @Test
    void fillBytesBuyTheFallbackNothing() {
        // a progressive 8000x8000 header, one byte of data and 400 KB of 0xFF fill: counted as data, the fill made the
        // file look like a byte per four blocks, and libjpeg reserved 192 MB to render it grey (0.5 s, +161 MB)
        byte[] jpeg = HostileJpegs.fillAfterProgressiveHeader(400_000);
        JpegInfo header = JpegDecoder.readHeader(jpeg);

        assertThatExceptionOfType(RejectedImageException.class).isThrownBy(() -> fast.decode(jpeg, header, request()))
            .withMessageStartingWith("not a decodable JPEG: 1 bytes of image data (in a file of 400")
            .withMessageContaining("cannot hold a 8000x8000 image");
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, header, request()))
            .withMessageContaining("cannot hold a 8000x8000 image");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "progressive", "baseline" })
    void rendersADamagedFileItselfWhenLibjpegWouldRenderMoreBlocksThanItsDataHasBytes(String kind) throws Exception {
        // real data cut short, more than a bit per block of the frame, within libjpeg's coefficient and output-pass
        // budgets: but libjpeg renders the whole frame (once per scan), 1.1 s and +194 MB for the progressive 470 KB,
        // 0.56 s for the baseline 587 KB, where the fast decoder has already drawn what arrived
        byte[] jpeg = kind.equals("progressive") ? HostileJpegs.truncatedProgressiveDcRefinements()
                : HostileJpegs.truncatedBaselineGiant();
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        io.github.lambdaimageprocessor.jpeg.ScanSummary scans = JpegDecoder.readScans(jpeg);
        assertThat(ImageIoDecoder.overCoefficientBudget(header, scans.entropyBytes())).isFalse();
        assertThat(ImageIoDecoder.certainlyIncomplete(header, scans.entropyBytes())).isFalse();
        assertThat(ImageIoDecoder.overOutputPasses(header, scans)).isFalse();
        long rendered = (header.progressive() ? scans.scans() : 1) * scans.totalBlocks();
        assertThat(rendered).as("blocks libjpeg would render")
            .isGreaterThan(ImageIoDecoder.DAMAGED_BLOCKS_PER_DATA_BYTE * scans.entropyBytes());
        assertThat(ImageIoDecoder.overDamagedRendering(header, scans)).isTrue();

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        int side = kind.equals("progressive") ? 8000 : 10000;
        assertThat(decoded.source()).isEqualTo(new Dimensions(side, side));
        assertThat(decoded.reduction()).isEqualTo(8);
    }

    @Test
    void rendersWhatArrivedWhenTheFileHoldsLessThanABitPerBlock() throws Exception {
        // the first 10 KB of the same photo: 14 blocks per byte, so libjpeg, which sizes the whole frame first, is
        // not asked; the rows that arrived are drawn and the rest is grey
        byte[] jpeg = TestImages.bytes("malformed/truncated-10000-of-2725x2225.jpg");
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        assertThat(ImageIoDecoder.certainlyIncomplete(header, jpeg.length)).isTrue();

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        assertThat(decoded.source()).isEqualTo(new Dimensions(2725, 2225));
        assertThat(decoded.reduction()).isEqualTo(4);
        BufferedImage image = decoded.image();
        assertThat(image.getRGB(image.getWidth() / 2, image.getHeight() - 1) & 0xFFFFFF).isEqualTo(0x808080);
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, header, request()))
            .withMessageContaining("cannot hold a 2725x2225 image");
    }

    /**
     * CMYK and YCCK photos are scaled as inks and only the thumbnail's pixels are converted, through the embedded
     * profile when there is one; the reference converts every pixel of TwelveMonkeys' full decode first and resizes the
     * RGB. The conversion is not linear (black ink scales what the others leave), so the two orders differ at edges
     * between inks: up to 1.25 levels on average over these files. Not {@code cmyk-invalid-embedded-profile.jpg}: its
     * input profile, which TwelveMonkeys refuses and ignores, is applied here ({@code CorpusTest}).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "color/cmyk/ycck-no-profile-wikipedia.jpg", "color/cmyk/ycck-with-profile-wikipedia.jpg",
            "color/cmyk/cmyk-adobe-jfif-160x227.jpg", "color/cmyk/thumbor-cmyk-icc.jpg",
            "color/cmyk/cmyk-jfif-invalid-srgb-icc.jpg",
            "color/cmyk/mozilla-cmyk-2.jpg", "color/cmyk/pillow-cmyk.jpg", "color/cmyk/cantaloupe-ycck-64x56.jpg",
            "orientation/thumbor-cmyk-orientation-6.jpg", "/generated/progressive-ycck-1200x800.jpg" })
    void makesCmykAndYcckThumbnailsWithTheColoursOfTheFallback(String file) throws Exception {
        byte[] jpeg = file.startsWith("/") ? resource(file) : TestImages.bytes(file);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        Dimensions target = new Dimensions(header.width(), header.height()).fitWithin(BOX);

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        BufferedImage reference = ConvolutionResampler.resize(fallback.decode(jpeg, header, request()).image(),
                target.width(), target.height());
        assertThat(decoded.image().getWidth()).isEqualTo(target.width());
        assertThat(decoded.image().getHeight()).isEqualTo(target.height());
        assertThat(meanAbsoluteDifference(decoded.image(), reference)).as(file).isLessThan(2.0);
    }

    /**
     * Files whose components libjpeg gives no colour model of its own, which the fallback alone used to draw: two
     * components, which ImageIO reads as grey (linear light) and alpha, and four without an Adobe marker, which it
     * reads as Y'CbCr and alpha (ids 1-4, as the JDK's writer wrote ARGB), R, G, B and alpha ('R', 'G', 'B', 'A' or
     * 'Y', 'C', 'c', 'A') or, under any other ids, CMYK. The fast path draws each the same way, alpha over black as
     * the resizer draws the fallback's picture, within what separates the two paths on CMYK; grey and alpha with a
     * grey profile as the fallback draws it, the grey through the profile and the alpha left out.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ycc-alpha", "ycc-alpha-progressive", "ycc-alpha-reduced", "rgb-alpha",
            "photo-ycc-alpha", "grey-alpha", "grey-alpha-progressive-reduced", "grey-opaque", "ycc-alpha-adobe-rgb",
            "grey-alpha-adobe-rgb", "grey-alpha-dot-gain", "grey-alpha-gamma-progressive", "cmyk-ids", "cmyk-ids-swop",
            "ycck-ids-subsampled", "cmyk-ids-progressive" })
    void drawsTheFlavoursWithoutAColourModelAsTheFallbackDoes(String flavour) throws Exception {
        byte[] jpeg = withoutColourModel(flavour);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        Dimensions target = new Dimensions(header.width(), header.height()).fitWithin(BOX);
        BufferedImage fallbackPicture = fallback.decode(jpeg, header, request()).image();
        // the resizer draws what a decoder returns on an opaque RGB image, alpha over black
        BufferedImage reference = ConvolutionResampler.resize(onBlack(fallbackPicture), target.width(),
                target.height());

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        assertThat(decoded.image().getWidth()).isEqualTo(target.width());
        assertThat(decoded.image().getHeight()).isEqualTo(target.height());
        assertThat(meanAbsoluteDifference(decoded.image(), reference)).as(flavour).isLessThan(2.0);
        if (flavour.contains("reduced")) {
            assertThat(decoded.reduction()).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ycc-alpha-progressive", "grey-alpha-progressive-reduced", "grey-alpha-gamma",
            "cmyk-ids-progressive" })
    void theResizerMakesTheThumbnailsItMadeBeforeOfFilesWithoutAColourModel(String flavour) throws Exception {
        // given the thumbnail the resizer made when the fallback drew these files
        assertMakesTheThumbnailTheFallbackMade(withoutColourModel(flavour), flavour);
    }

    @Test
    void drawsAlphaOverBlackBeforeResizingAsTheFallbacksPictureIs() throws Exception {
        // given a photo whose left fifth is transparent: the fallback draws it black, and so must the fast path,
        // whose planes of that part still hold the photo
        byte[] jpeg = withoutColourModel("ycc-alpha-reduced");
        JpegInfo header = JpegDecoder.readHeader(jpeg);

        BufferedImage thumbnail = fast.decode(jpeg, header, request()).image();

        for (int y = 0; y < thumbnail.getHeight(); y += 7) {
            for (int x = 0; x < thumbnail.getWidth() / 6; x++) {
                assertThat(thumbnail.getRGB(x, y) & 0xFFFFFF).as("(%d, %d)", x, y).isZero();
            }
        }
    }

    @Test
    void theResizerRefusesAlphaWithACmykProfileFromTheHeaderAsTheFallbackRefusedItAfterDecoding() throws Exception {
        // given Y'CbCr and alpha to ImageIO, with a profile of four components: TwelveMonkeys converts red, green,
        // blue and alpha through it as inks and fails once the whole image is decoded
        byte[] icc = JpegDecoder.readHeader(TestImages.bytes("color/cmyk/thumbor-cmyk-icc.jpg")).iccProfile()
            .orElseThrow();
        byte[] jpeg = HostileJpegs.withIccProfile(withoutColourModel("ycc-alpha"), icc);
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, JpegDecoder.readHeader(jpeg), request()))
            .withMessageContaining("color space components do not match");

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC).resize(jpeg))
            .withMessage("unsupported JPEG: four components without an Adobe marker whose ids (1, 2, 3, 4) make the "
                    + "last one alpha, with a colour profile of four (CMYK) components: inks or colour and alpha, "
                    + "the file does not say which");
    }

    /**
     * Frames whose components share an id (T.81 says they differ), which the fast decoder refused, leaving them to the
     * fallback's ordinary budgets. TwelveMonkeys gives a repeated id the next one up not taken (1, 1, 1 becomes 1, 2,
     * 3) and mends the first scan's list when it names one twice, before libjpeg reads them; the fast decoder reads
     * them the same way and draws them as the fallback does. The colour model is judged by the ids as written, as
     * TwelveMonkeys judges it: four components of 1, 2, 3, 3 are CMYK to both, not the Y'CbCr and alpha that 1, 2,
     * 3, 4 would be.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ycbcr 1 2 2", "ycbcr 1 1 1", "ycbcr 1 2 1", "grey-alpha 1 1", "ycc-alpha 1 2 3 3",
            "ycc-alpha 1 1 1 1", "corpus" })
    void drawsFramesWhoseComponentsShareAnIdAsTheFallbackDoes(String flavour) throws Exception {
        byte[] jpeg = withSharedIds(flavour);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        Dimensions target = new Dimensions(header.width(), header.height()).fitWithin(BOX);
        BufferedImage reference = ConvolutionResampler.resize(onBlack(fallback.decode(jpeg, header, request()).image()),
                target.width(), target.height());

        Decoder.Decoded decoded = fast.decode(jpeg, header, request());

        assertThat(decoded.image().getWidth()).isEqualTo(target.width());
        assertThat(decoded.image().getHeight()).isEqualTo(target.height());
        assertThat(meanAbsoluteDifference(decoded.image(), reference)).as(flavour).isLessThan(2.0);
        if (flavour.startsWith("ycc-alpha")) {
            // given what the same file is with the ids 1-4 its components are read as: Y'CbCr and alpha
            byte[] renumbered = withoutColourModel("ycc-alpha");
            BufferedImage alpha = fast.decode(renumbered, JpegDecoder.readHeader(renumbered), request()).image();
            assertThat(header.alphaOver()).isEmpty();
            assertThat(meanAbsoluteDifference(decoded.image(), alpha)).as("drawn as CMYK").isGreaterThan(10.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ycbcr 1 2 2", "grey-alpha 1 1", "ycc-alpha 1 2 3 3", "corpus" })
    void theResizerMakesTheThumbnailsItMadeBeforeOfFramesWhoseComponentsShareAnId(String flavour) throws Exception {
        // given the thumbnail the resizer made when the fallback drew these files
        assertMakesTheThumbnailTheFallbackMade(withSharedIds(flavour), flavour);
    }

    /**
     * The resizer's thumbnail of {@code jpeg} is the one the fallback alone made: the same size and record, within 2
     * levels on average.
     */
    private static void assertMakesTheThumbnailTheFallbackMade(byte[] jpeg, String flavour) throws Exception {
        Thumbnail before = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC,
                java.util.List.of(new ImageIoDecoder())).resize(jpeg);

        Thumbnail now = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC).resize(jpeg);

        assertThat(now.size()).isEqualTo(before.size());
        assertThat(now.colorSpace()).isEqualTo(before.colorSpace());
        assertThat(meanAbsoluteDifference(TestImages.decode(now.jpeg()), TestImages.decode(before.jpeg())))
            .as(flavour).isLessThan(2.0);
    }

    @Test
    void theFallbackChecksAFrameWhoseIdsRepeatByTheComponentsLibjpegWillDecode() throws Exception {
        // given a 4:2:0 photo whose three components all have the id 1, left to the fallback (as a damaged one is):
        // its scan check took the scan for three lumas, 12 blocks per MCU, and refused what TwelveMonkeys decodes
        byte[] jpeg = AlphaJpegs.withComponentIds(TestImages.bytes("valid/flickr-2725x2225.jpg"), 1, 1, 1);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        Dimensions target = new Dimensions(header.width(), header.height()).fitWithin(BOX);

        BufferedImage picture = fallback.decode(jpeg, header, request()).image();

        BufferedImage thumbnail = fast.decode(jpeg, header, request()).image();
        assertThat(meanAbsoluteDifference(thumbnail,
                ConvolutionResampler.resize(onBlack(picture), target.width(), target.height()))).isLessThan(2.0);
    }

    /**
     * A baseline frame of three components whose scans name 1, 2, 2, as an encoder writes them for ids 1, 2, 2: libjpeg
     * reads the frame as 1, 2, 3 (TwelveMonkeys renumbers it), so both later scans code the second component and the
     * third is never coded. It keeps the coefficients until the end, the later scan's DC and non-zero AC written over
     * the earlier's: a blend this decoder, drawing each block as its scan comes, cannot draw. The same with ids 1, 2, 3.
     */
    @ParameterizedTest(name = "ids {0}")
    @ValueSource(strings = { "1 2 2", "1 2 3" })
    void refusesASequentialFrameWhoseLaterScanCodesAComponentAgainWhichTheFallbackBlends(String ids)
            throws Exception {
        // given the fallback's pictures of the file, the second scan with and without an AC coefficient
        byte[] jpeg = scansNaming122(ids, 40);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        BufferedImage blended = onBlack(fallback.decode(jpeg, header, request()).image());
        byte[] flat = scansNaming122(ids, 0);
        BufferedImage later = onBlack(fallback.decode(flat, JpegDecoder.readHeader(flat), request()).image());
        // then the third scan's DC is the second component's, the third component is never coded (Cr 128: red equals
        // luma), and the second scan's AC coefficient is still there under it
        int pixel = later.getRGB(0, 0);
        assertThat(pixel & 0xFFFFFF).isEqualTo(0x9e8df7);
        assertThat(meanAbsoluteDifference(blended, later)).isGreaterThan(20.0);

        // when the fast decoder meets the third scan, its verdict is final: the fallback's budgets are not bought
        for (byte[] file : new byte[][] { jpeg, flat }) {
            assertThatExceptionOfType(RejectedImageException.class)
                .isThrownBy(() -> fast.decode(file, JpegDecoder.readHeader(file), request()))
                .withCauseInstanceOf(io.github.lambdaimageprocessor.jpeg.JpegLimitException.class);
        }
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC).resize(jpeg))
            .withMessage("not a decodable JPEG: scan 3 codes component 2 again in a sequential frame, which libjpeg "
                    + "blends with the earlier scan (a picture the file does not hold)")
            .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    }

    /** 16x16 px, 4:4:4, JFIF: three flat single-component scans naming 1, 2, 2, the second with an AC coefficient. */
    private static byte[] scansNaming122(String ids, int ac) {
        int[] id = java.util.Arrays.stream(ids.split(" ")).mapToInt(Integer::parseInt).toArray();
        return io.github.lambdaimageprocessor.JpegBuilder.jpeg()
            .jfif()
            .dqt()
            .frame(0xC0, 16, 16, new int[] { id[0], 0x11 }, new int[] { id[1], 0x11 }, new int[] { id[2], 0x11 })
            .sequentialTables()
            .scan(0, 63, 0, 0, 1)
            .blocks(4, 15, 0)
            .scan(0, 63, 0, 0, 2)
            .blocks(4, -20, ac)
            .scan(0, 63, 0, 0, 2)
            .blocks(4, 25, 0)
            .end();
    }

    @Test
    void refusesALaterScanNamingARepeatedIdTwiceAsTheFallbackDidWithoutItsWork() {
        // given a progressive photo whose Cb and Cr share the id 2: TwelveMonkeys mends the first scan alone, and
        // libjpeg refuses the DC refinement that names 1, 2, 2 once it has decoded the scans before it
        byte[] jpeg = AlphaJpegs.withComponentIds(TestImages.bytes("progressive/progressive-1201x800-444.jpg"), 1, 2,
                2);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, header, request()))
            .withMessage("not a decodable JPEG: Invalid component ID 2 in SOS");

        // then the fast decoder's verdict is final: the resizer does not hand the file to the fallback
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fast.decode(jpeg, header, request()))
            .withCauseInstanceOf(io.github.lambdaimageprocessor.jpeg.JpegLimitException.class);
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC).resize(jpeg))
            .withMessage("not a decodable JPEG: scan 7 names component 2 twice, which libjpeg refuses (Invalid "
                    + "component ID 2 in SOS)")
            .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    }

    /** A real-looking photo with its frame's and scans' ids patched so that two components share one. */
    private static byte[] withSharedIds(String flavour) {
        if (flavour.equals("corpus")) {
            // TwelveMonkeys' own sample: a baseline CMYK photo of ids 1, 2, 3, 1 whose scan names them so
            return TestImages.bytes("malformed/duplicate-component-ids.jpg");
        }
        String[] words = flavour.split(" ");
        int[] ids = java.util.Arrays.stream(words, 1, words.length).mapToInt(Integer::parseInt).toArray();
        byte[] jpeg = words[0].equals("ycbcr") ? TestImages.bytes(TestImages.CAMERA_PHOTO)
                : withoutColourModel(words[0]);
        return AlphaJpegs.withComponentIds(jpeg, ids);
    }

    /** The picture drawn on an opaque RGB image, as the resizer draws what a decoder returns. */
    private static BufferedImage onBlack(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    private static byte[] withoutColourModel(String flavour) {
        String photo = flavour.contains("reduced") ? "valid/reconyx-hc500-2048x1536-422.jpg" : TestImages.CAMERA_PHOTO;
        boolean progressive = flavour.contains("progressive");
        byte[] adobeRgb = JpegDecoder.readHeader(TestImages.bytes("color/icc/adobe-rgb-626x76.jpg")).iccProfile()
            .orElseThrow();
        return switch (flavour.replace("-progressive", "").replace("-reduced", "")) {
            case "ycc-alpha" -> AlphaJpegs.photo(photo, AlphaJpegs.Kind.YCC_ALPHA, progressive);
            case "rgb-alpha" -> AlphaJpegs.photo(photo, AlphaJpegs.Kind.RGB_ALPHA, progressive);
            case "photo-ycc-alpha" -> AlphaJpegs.photo(photo, AlphaJpegs.Kind.PHOTO_YCC_ALPHA, progressive);
            case "grey-alpha" -> AlphaJpegs.photo(photo, AlphaJpegs.Kind.GREY_ALPHA, progressive);
            case "grey-opaque" -> AlphaJpegs.photo(photo, AlphaJpegs.Kind.GREY_OPAQUE, progressive);
            // a profile of three components the fallback ignores on these
            case "ycc-alpha-adobe-rgb" -> HostileJpegs
                .withIccProfile(AlphaJpegs.photo(photo, AlphaJpegs.Kind.YCC_ALPHA, progressive), adobeRgb);
            case "grey-alpha-adobe-rgb" -> HostileJpegs
                .withIccProfile(AlphaJpegs.photo(photo, AlphaJpegs.Kind.GREY_ALPHA, progressive), adobeRgb);
            // a grey profile the fallback draws the grey through, leaving the alpha out
            case "grey-alpha-dot-gain" -> HostileJpegs.withIccProfile(
                    AlphaJpegs.photo(photo, AlphaJpegs.Kind.GREY_ALPHA, progressive),
                    JpegDecoder.readHeader(TestImages.bytes("color/grayscale/thumbor-grayscale-icc.jpg")).iccProfile()
                        .orElseThrow());
            case "grey-alpha-gamma" -> HostileJpegs.withIccProfile(
                    AlphaJpegs.photo(photo, AlphaJpegs.Kind.GREY_ALPHA, progressive),
                    JpegDecoder.readHeader(TestImages.bytes("color/grayscale/twelvemonkeys-gray-sample.jpg"))
                        .iccProfile().orElseThrow());
            // Adobe's CMYK ('C', 'M', 'Y', 'K'), its marker taken out: CMYK to both, through the profile if any
            case "cmyk-ids" -> AlphaJpegs
                .withoutAdobeMarker(TestImages.bytes("orientation/thumbor-cmyk-orientation-6.jpg"));
            case "cmyk-ids-swop" -> AlphaJpegs.withoutAdobeMarker(TestImages.bytes("color/cmyk/thumbor-cmyk-icc.jpg"));
            // Adobe's YCCK (ids 1-4, Y and K at twice the chroma's resolution), its marker taken out: the fallback
            // reads Y'CbCr and alpha
            case "ycck-ids-subsampled" -> AlphaJpegs
                .withoutAdobeMarker(TestImages.bytes("color/cmyk/ycck-no-profile-wikipedia.jpg"));
            default -> throw new IllegalArgumentException(flavour);
        };
    }

    /**
     * The fast path takes an embedded profile when TwelveMonkeys' reader would, whatever its header says: the print
     * profile as it is, declared as another four-colour space, or as a device link, abstract or named-colour profile.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "12, prtr", "16, 4CLR", "12, link", "12, abst", "12, nmcl", "12, scnr" })
    void takesAnEmbeddedProfileWhenTheFallbackDoes(int offset, String signature) throws Exception {
        byte[] icc = JpegDecoder.readHeader(TestImages.bytes("color/cmyk/thumbor-cmyk-icc.jpg")).iccProfile()
            .orElseThrow().clone();
        System.arraycopy(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, icc, offset, 4);
        byte[] jpeg = HostileJpegs.withIccProfile(TestImages.bytes("color/cmyk/ycck-no-profile-wikipedia.jpg"), icc);
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        Dimensions target = new Dimensions(header.width(), header.height()).fitWithin(BOX);

        BufferedImage thumbnail = fast.decode(jpeg, header, request()).image();

        BufferedImage reference = ConvolutionResampler.resize(fallback.decode(jpeg, header, request()).image(),
                target.width(), target.height());
        assertThat(meanAbsoluteDifference(thumbnail, reference)).isLessThan(2.0);
    }

    @Test
    void convertsCmykThroughItsEmbeddedProfile() throws Exception {
        // given a CMYK photo carrying "U.S. Web Coated (SWOP) v2", which TwelveMonkeys applies
        byte[] jpeg = TestImages.bytes("color/cmyk/thumbor-cmyk-icc.jpg");
        JpegInfo header = JpegDecoder.readHeader(jpeg);
        BufferedImage reference = fallback.decode(jpeg, header, request()).image();
        Dimensions target = new Dimensions(header.width(), header.height()).fitWithin(BOX);
        BufferedImage byFormula = new JpegDecoder().decode(jpeg, 1, Long.MAX_VALUE)
            .resized(target.width(), target.height(), ConvolutionResampler::resample);

        BufferedImage thumbnail = fast.decode(jpeg, header, request()).image();

        // then the fast path's colours are the profile's, which the uncalibrated formula's are far from
        BufferedImage expected = ConvolutionResampler.resize(reference, target.width(), target.height());
        assertThat(meanAbsoluteDifference(thumbnail, expected)).isLessThan(1.0);
        assertThat(meanAbsoluteDifference(byFormula, expected)).isGreaterThan(10.0);
    }

    @Test
    void theResizerMakesThumbnailsOfProgressiveYcck() throws Exception {
        Thumbnail thumbnail = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC)
            .resize(resource("/generated/progressive-ycck-1200x800.jpg"));

        assertThat(thumbnail.size()).isEqualTo(new Dimensions(256, 171));
        assertThat(thumbnail.colorSpace()).isEqualTo("YCCK");
    }

    private static byte[] resource(String path) throws java.io.IOException {
        try (java.io.InputStream in = DctScalingDecoderTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theFallbackDecodesOnlyTheFrameItsChecksWereMadeFor() {
        // given a CMYK file and the header of another one: as when TwelveMonkeys resynchronises onto a frame our walk
        // never reached, so its scans and its bytes for the size were never checked
        byte[] jpeg = TestImages.bytes("color/cmyk/ycck-no-profile-wikipedia.jpg");
        JpegInfo otherFrame = JpegDecoder.readHeader(TestImages.bytes("color/cmyk/cmyk-adobe-jfif-160x227.jpg"));

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, otherFrame, request()))
            .withMessageContaining("frame where the segments lead to a 160x227 one");
    }

    @Test
    void theFallbackRefusesAFileWhoseFrameOurWalkCannotFind() {
        byte[] jpeg = TestImages.bytes("color/cmyk/ycck-no-profile-wikipedia.jpg");

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fallback.decode(jpeg, JpegDecoder.readHeader(new byte[] { (byte) 0xFF, (byte) 0xD8 }),
                    request()))
            .withMessage("not a decodable JPEG: no frame header (SOF) where its segments lead");
    }

    @Test
    void stopsWhenTheCallerAborts() {
        byte[] jpeg = TestImages.bytes("bomb/photo-9643x10328-99.6MP.jpg");
        Decoder.Request request = request();
        request.control().abort();

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> fast.decode(jpeg, JpegDecoder.readHeader(jpeg), request))
            .withMessage(ThumbnailatorResizer.ABORTED);
    }

    @Test
    void decodesTheLargestAcceptedImagesWithin128MbOfHeap() throws Exception {
        // given a JVM capped at the 128 MB target (the images are twice its 50 MP photo), when the fast path
        // decodes them and the resizer makes thumbnails of them
        ForkedJvm.Result result = ForkedJvm.run(HeapProbe.class, java.util.List.of("-Xmx128m"),
                java.util.List.of("/corpus/bomb/photo-9643x10328-99.6MP.jpg", BoundedWorkTest.BIG_PROGRESSIVE),
                java.time.Duration.ofMinutes(2));

        // then both succeed on the fast path at 1/8, without running out of memory
        System.out.print(result.output());
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.lines()).filteredOn(line -> line.startsWith("FAST 1/8")).hasSize(2);
    }

    /** Runs in the forked JVM: decodes each resource on the fast path, then through the resizer. */
    static final class HeapProbe {

        public static void main(String[] args) throws Exception {
            DctScalingDecoder fast = new DctScalingDecoder();
            ThumbnailatorResizer resizer = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);
            for (String resource : args) {
                byte[] jpeg;
                try (java.io.InputStream in = HeapProbe.class.getResourceAsStream(resource)) {
                    jpeg = in.readAllBytes();
                }
                Decoder.Decoded decoded = fast.decode(jpeg, JpegDecoder.readHeader(jpeg), request());
                Thumbnail thumbnail = resizer.resize(jpeg);
                long peak = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed())
                    .sum();
                System.out.printf("FAST 1/%d %s -> %s, peak heap %d MB%n", decoded.reduction(), resource,
                        thumbnail.size(), peak >> 20);
            }
        }
    }

    private static BufferedImage thumb(BufferedImage image) {
        Dimensions target = new Dimensions(image.getWidth(), image.getHeight()).fitWithin(new Dimensions(64, 64));
        return thumb(image, target.width(), target.height());
    }

    private static BufferedImage thumb(BufferedImage image, int width, int height) {
        // grey comes back as TYPE_BYTE_GRAY from the fallback; the resizer copies its levels (getRGB would not)
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return CorpusTest.scale(rgb, width, height);
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
