package io.github.lambdaimageprocessor.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every corpus file through the decoder at every scale. Decodable files are compared with the TwelveMonkeys/ImageIO
 * full decode, box-filtered to the same scale: the full-size decode must match it closely; the scaled decodes drop the
 * block's high frequencies instead of averaging them (see {@code ScaledIdct}), so they are held to a similarity bar
 * rather than near-equality.
 */
class JpegDecoderCorpusTest {

    private static final long MAX_PIXELS = 100_000_000L;

    private static final int[] SCALES = { 1, 2, 4, 8 };

    private final JpegDecoder decoder = new JpegDecoder();

    static Stream<CorpusFile> decodable() {
        return CorpusFile.all().stream().filter(f -> f.expectation() == CorpusFile.Expectation.DECODES);
    }

    static Stream<CorpusFile> unsupported() {
        return CorpusFile.all().stream().filter(f -> f.expectation() == CorpusFile.Expectation.UNSUPPORTED);
    }

    static Stream<CorpusFile> everything() {
        return CorpusFile.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodable")
    void decodesSupportedJpegsAtEveryScaleCloseToTheReference(CorpusFile file) throws Exception {
        JpegInfo info = decoder.readInfo(file.bytes());
        BufferedImage reference = reference(file);

        for (int d : SCALES) {
            DecodedJpeg decoded = decoder.decode(file.bytes(), d, MAX_PIXELS);

            BufferedImage image = decoded.image();
            assertThat(decoded.scaleDenominator()).isEqualTo(d);
            assertThat(image.getWidth()).isEqualTo((info.width() + d - 1) / d);
            assertThat(image.getHeight()).isEqualTo((info.height() + d - 1) / d);
            if (reference == null || !decoded.complete()) {
                // no reference (ImageIO cannot decode a Motion-JPEG frame without tables), or damaged data:
                // libjpeg's garbage and ours need not agree
                continue;
            }
            Similarity s = Similarity.of(ImageComparison.boxDownscale(reference, d), image, reference, d);
            if (d == 1) {
                assertThat(s.psnr()).as("PSNR at 1/1 of %s", file).isGreaterThan(40);
            }
            else if (s.meaningful()) {
                assertThat(s.ssim()).as("SSIM at 1/%d of %s", d, file).isGreaterThan(minimumSsim(file, d));
            }
        }
    }

    private static BufferedImage reference(CorpusFile file) {
        try {
            return ImageComparison.toIntRgb(ImageIO.read(new ByteArrayInputStream(file.bytesWithoutIcc())));
        }
        catch (Exception e) {
            return null;
        }
    }

    /**
     * The scaled decode is an ideal low-pass, the reference a box filter; they differ most on images made of noise or
     * of one-pixel patterns, where the box filter keeps aliased detail. Photos stay above 0.96.
     */
    private static double minimumSsim(CorpusFile file, int d) {
        if (file.path().equals("valid/gamma-dalai-lama-downscale-test.jpg")) {
            return 0.88; // a test chart of one-pixel stripes built to expose downscaling filters
        }
        if (file.path().equals("color/cmyk/mozilla-cmyk-2.jpg") && d == 8) {
            // thin coloured words on white, in inks: the scaled decode averages inks and then converts them, the
            // reference converts and then averages, and the conversion multiplies by what black ink leaves (0.91)
            return 0.90;
        }
        return 0.96;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void leavesUnsupportedFlavoursToTheFallback(CorpusFile file) {
        assertThatExceptionOfType(UnsupportedJpegException.class)
            .isThrownBy(() -> decoder.decode(file.bytes(), 8, MAX_PIXELS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everything")
    void neverHangsNorThrowsAnUncheckedException(CorpusFile file) {
        byte[] bytes = file.bytes();
        for (int d : SCALES) {
            // a hang guard, not a speed goal: the 99.6 MP file at full scale takes seconds, more on a loaded machine
            Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> catchThrowable(() -> decoder.decode(bytes, d, MAX_PIXELS)));
            if (thrown != null) {
                assertThat(thrown).as(file + " at 1/" + d).isInstanceOf(JpegException.class);
                // a RuntimeException caught by the decoder's safety net would be a bug, not a verdict on the file
                assertThat(thrown.getCause()).as(file + " at 1/" + d).isNull();
            }
        }
    }

    /** SSIM and PSNR over the cells that lie fully inside the image (edge cells average MCU padding). */
    record Similarity(double ssim, double psnr, boolean meaningful) {

        static Similarity of(BufferedImage reference, BufferedImage image, BufferedImage full, int d) {
            int w = Math.max(1, full.getWidth() / d);
            int h = Math.max(1, full.getHeight() / d);
            BufferedImage a = reference.getSubimage(0, 0, w, h);
            BufferedImage b = image.getSubimage(0, 0, w, h);
            return new Similarity(ImageComparison.ssim(a, b), ImageComparison.psnr(a, b), w >= 16 && h >= 16);
        }
    }
}
