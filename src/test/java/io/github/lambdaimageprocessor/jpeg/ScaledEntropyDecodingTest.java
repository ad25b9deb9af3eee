package io.github.lambdaimageprocessor.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At reduced scales the sequential decoder skips the coefficients the scale drops by code and extra-bit length only.
 * Noise at high quality makes every kind of symbol (long codes, 10-bit values, ZRL runs): one bit skipped wrongly
 * would shift every block after it, so the reduced decode must still agree block by block with the full decode.
 */
class ScaledEntropyDecodingTest {

    private final JpegDecoder decoder = new JpegDecoder();

    @ParameterizedTest(name = "1/{0}")
    @ValueSource(ints = { 8, 4, 2 })
    void aReducedDecodeOfNoiseMatchesTheFullDecodeBoxAveraged(int denominator) throws Exception {
        byte[] jpeg = greyNoiseJpeg(517, 389, 0.98f);

        BufferedImage full = decoder.decode(jpeg, 1, Long.MAX_VALUE).image();
        BufferedImage reduced = decoder.decode(jpeg, denominator, Long.MAX_VALUE).image();

        BufferedImage expected = ImageComparison.boxDownscale(full, denominator);
        assertThat(reduced.getWidth()).isEqualTo((517 + denominator - 1) / denominator);
        int worst = 0;
        long total = 0;
        // full blocks only: the box average of a partial edge block covers fewer pixels than the DCT mean
        int blocksWide = 517 / 8 * 8 / denominator;
        int blocksHigh = 389 / 8 * 8 / denominator;
        for (int y = 0; y < blocksHigh; y++) {
            for (int x = 0; x < blocksWide; x++) {
                int diff = Math.abs((reduced.getRGB(x, y) & 0xFF) - (expected.getRGB(x, y) & 0xFF));
                worst = Math.max(worst, diff);
                total += diff;
            }
        }
        // 1/8 keeps the DC alone: the exact block mean up to rounding; 1/4 and 1/2 drop high frequencies the box
        // average keeps, a few levels on noise, never the garbage of a decoder out of step with the bitstream
        assertThat((double) total / (blocksWide * blocksHigh)).isLessThan(denominator == 8 ? 1.0 : 12.0);
        if (denominator == 8) {
            assertThat(worst).isLessThanOrEqualTo(2);
        }
    }

    /**
     * The same coefficients, coded once sequentially and once progressively (ImageIO quantises the same pixels the same
     * way whatever the scan script): the progressive decoder keeps every coefficient the scale needs and skips
     * nothing, so it is an independent reference for the sequential decoder's skipping, and the two must agree to the
     * last sample at every scale.
     */
    @ParameterizedTest(name = "1/{0}")
    @ValueSource(ints = { 8, 4, 2, 1 })
    void theSequentialSkipPathDecodesExactlyWhatTheProgressiveDecoderKeeps(int denominator) throws Exception {
        assertSequentialMatchesProgressive(colourNoise(517, 389, 256), 0.98f, denominator);
    }

    /**
     * Noise of +-1 level at quality 100 makes blocks of short symbols that run to position 63 without an end of block:
     * a skip lookup there holds the block's last symbols and the start of the next block's DC code.
     */
    @ParameterizedTest(name = "1/{0}")
    @ValueSource(ints = { 8, 4, 2 })
    void blocksThatEndWithoutAnEndOfBlockAreSkippedToTheirLastSymbol(int denominator) throws Exception {
        assertSequentialMatchesProgressive(colourNoise(517, 389, 3), 1.0f, denominator);
    }

    /**
     * Smooth content makes blocks whose end-of-block code comes early, at every position around the edge of the
     * top-left 4x4 that the full-scale decode's shortened transform relies on (a block ending after position 10 has a
     * coefficient outside it). The sequential decoder chooses that transform from where the block's end-of-block code
     * came, the progressive one from the coefficients themselves: a bound one off on either side shows here.
     */
    @ParameterizedTest(name = "quality {0}")
    @ValueSource(floats = { 0.75f, 0.9f, 0.98f })
    void blocksThatEndEarlyDecodeAtFullScaleAsTheFullTransformDoes(float quality) throws Exception {
        assertSequentialMatchesProgressive(waves(517, 389), quality, 1);
    }

    private void assertSequentialMatchesProgressive(BufferedImage image, float quality, int denominator)
            throws Exception {
        byte[] sequential = jpeg(image, quality, false);
        byte[] progressive = jpeg(image, quality, true);
        assertThat(JpegDecoder.readHeader(progressive).progressive()).isTrue();

        BufferedImage fromSequential = decoder.decode(sequential, denominator, Long.MAX_VALUE).image();
        BufferedImage fromProgressive = decoder.decode(progressive, denominator, Long.MAX_VALUE).image();

        assertThat(fromSequential.getWidth()).isEqualTo((517 + denominator - 1) / denominator);
        assertThat(fromSequential.getRGB(0, 0, fromSequential.getWidth(), fromSequential.getHeight(), null, 0,
                fromSequential.getWidth()))
            .isEqualTo(fromProgressive.getRGB(0, 0, fromProgressive.getWidth(), fromProgressive.getHeight(), null, 0,
                    fromProgressive.getWidth()));
    }

    /** Sums of slow and fast waves in each channel, varying over the picture, with a little noise. */
    private static BufferedImage waves(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(23);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double fx = 0.02 + 0.6 * x / width;
                double fy = 0.03 + 0.5 * y / height;
                int r = (int) (128 + 60 * Math.sin(x * fx) + 30 * Math.cos(y * fy) + random.nextInt(3));
                int g = (int) (128 + 50 * Math.sin((x + y) * fx / 2) + random.nextInt(3));
                int b = (int) (128 + 40 * Math.cos(y * fy) * Math.sin(x * 0.05) + random.nextInt(3));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** Random colours, each channel one of {@code spread} levels around 128 (all 256 at 256). */
    private static BufferedImage colourNoise(int width, int height, int spread) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(17);
        int base = 128 - spread / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = base + random.nextInt(spread);
                int g = base + random.nextInt(spread);
                int b = base + random.nextInt(spread);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** Grey noise between 48 and 208 (so the full decode never clamps), written baseline by ImageIO. */
    private static byte[] greyNoiseJpeg(int width, int height, float quality) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(16);
        byte[] samples = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (byte) (48 + random.nextInt(161));
        }
        return jpeg(image, quality, false);
    }

    private static byte[] jpeg(BufferedImage image, float quality, boolean progressive) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        }
        finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
