package io.github.lambdaimageprocessor.jpeg;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.lambdaimageprocessor.WorkBudget;
import io.github.lambdaimageprocessor.processing.Dimensions;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the codec the way the resizer drives it: read the header, choose the DCT scale as
 * {@code DctScalingDecoder} does for a 256x256 box (within its 24 MP decode budget), decode under the pixel limit.
 * Every input must end in a decoded image of the size the header declares, and in planes that resize to the
 * thumbnail's size as {@link PlaneResampler} promises, or in a {@link JpegException} that says why, within the
 * {@link WorkBudget}.
 *
 * <p>The decoder turns any runtime exception of its own into a {@link MalformedJpegException} (a safety net, so users
 * get a rejection rather than a crash); this test looks through the net, because such an exception is a bug the net
 * merely hides. Inputs: {@code JpegDecoderFuzzTestInputs/decodesOrRejectsWithinBudget} (seeds from the corpus and
 * every finding), run as regression tests by {@code ./mvnw test}; fuzzing with {@code JAZZER_FUZZ=1}, see
 * docs/fuzzing.md.
 */
class JpegDecoderFuzzTest {

    /** The application's default {@code image-processor.limits.max-pixels}. */
    private static final long MAX_PIXELS = 100_000_000L;

    private static final int BOX = 256;

    /** ThumbnailSpec's default decode budget, which the resizer holds the fast decoder to. */
    private static final long MAX_DECODED_PIXELS = 24_000_000L;

    private static final JpegDecoder DECODER = new JpegDecoder();

    @FuzzTest(maxDuration = "30s")
    void decodesOrRejectsWithinBudget(byte[] jpeg) {
        WorkBudget budget = WorkBudget.start();
        try {
            JpegInfo info = DECODER.readInfo(jpeg);
            int scale = scaleLikeTheResizer(info);
            if (scale == 0) {
                return;
            }
            DecodedJpeg decoded = DECODER.decode(jpeg, scale, MAX_PIXELS, budget::overCpu);
            assertThat(decoded.image().getWidth()).isEqualTo(ceilDiv(info.width(), scale));
            assertThat(decoded.image().getHeight()).isEqualTo(ceilDiv(info.height(), scale));
            // the planes as the resizer takes them when it resizes in the decoder's colour space
            Dimensions target = new Dimensions(info.width(), info.height()).fitWithin(new Dimensions(BOX, BOX));
            java.awt.image.BufferedImage thumbnail = decoded.resized(target.width(), target.height(),
                    JpegDecoderFuzzTest::nearestHoldingToTheContract);
            assertThat(thumbnail.getWidth()).isEqualTo(target.width());
            assertThat(thumbnail.getHeight()).isEqualTo(target.height());
            if (decoded.hasInks()) {
                // the inks, as the resizer takes them when a colour profile converts them
                assertThat(decoded.inks()).hasSize(4 * decoded.width() * decoded.height());
                assertThat(decoded.resizedInks(target.width(), target.height(),
                        JpegDecoderFuzzTest::nearestHoldingToTheContract))
                    .hasSize(4 * target.width() * target.height());
            }
        }
        catch (JpegException e) {
            if (budget.overCpu()) {
                budget.check(jpeg);
            }
            if (e.getCause() instanceof RuntimeException bug) {
                throw new AssertionFailedError("the decoder threw " + bug + " (hidden by its safety net as \""
                        + e.getMessage() + "\")", bug);
            }
            assertThat(e.getMessage()).as("the reason given for a rejection").isNotBlank();
        }
        budget.check(jpeg);
    }

    /**
     * The scale {@code DctScalingDecoder} asks for: enough for the thumbnail of the image's aspect ratio within the
     * box, made smaller until the decoded raster fits its 24 MP budget; 0 when not even 1/8 does, where it leaves the
     * image to the fallback without decoding.
     */
    private static int scaleLikeTheResizer(JpegInfo info) {
        if (info.width() <= 0 || info.height() <= 0) {
            return 1;
        }
        Dimensions target = new Dimensions(info.width(), info.height()).fitWithin(new Dimensions(BOX, BOX));
        int scale = JpegDecoder.scaleDenominatorFor(info.width(), info.height(), target.width(), target.height());
        while (scale < 8 && decodedPixels(info, scale) > MAX_DECODED_PIXELS) {
            scale *= 2;
        }
        return decodedPixels(info, scale) > MAX_DECODED_PIXELS ? 0 : scale;
    }

    /**
     * A {@link PlaneResampler} that checks what every plane is handed against the interface's contract (the extent
     * ends in the raster's last sample, the raster lies within the array) and samples the nearest one.
     */
    private static byte[] nearestHoldingToTheContract(byte[] samples, int stride, int rasterWidth, int rasterHeight,
            double extentWidth, double extentHeight, int width, int height) {
        assertThat(extentWidth).isLessThanOrEqualTo(rasterWidth).isGreaterThan(rasterWidth - 1);
        assertThat(extentHeight).isLessThanOrEqualTo(rasterHeight).isGreaterThan(rasterHeight - 1);
        assertThat(stride).isGreaterThanOrEqualTo(rasterWidth);
        assertThat((long) stride * (rasterHeight - 1) + rasterWidth).isLessThanOrEqualTo(samples.length);
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int row = (int) Math.min(rasterHeight - 1, (long) ((y + 0.5) * extentHeight / height));
            for (int x = 0; x < width; x++) {
                int column = (int) Math.min(rasterWidth - 1, (long) ((x + 0.5) * extentWidth / width));
                out[y * width + x] = samples[row * stride + column];
            }
        }
        return out;
    }

    private static long decodedPixels(JpegInfo info, int scale) {
        return (long) ceilDiv(info.width(), scale) * ceilDiv(info.height(), scale);
    }

    private static int ceilDiv(int size, int denominator) {
        return (size + denominator - 1) / denominator;
    }
}
