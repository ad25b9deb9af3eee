package io.github.lambdaimageprocessor.jpeg;

import java.time.Duration;
import java.util.Arrays;

import io.github.lambdaimageprocessor.JpegBuilder;
import io.github.lambdaimageprocessor.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class JpegDecoderTest {

    private final JpegDecoder decoder = new JpegDecoder();

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "valid/flickr-2725x2225.jpg, 2725, 2225, 3, false, YCBCR, 0",
            "orientation/landscape_6.jpg, 1200, 1800, 3, false, YCBCR, 6",
            "orientation/portrait_3.jpg, 1200, 1800, 3, false, YCBCR, 3",
            "progressive/progressive-1201x800-444.jpg, 1201, 800, 3, true, YCBCR, 0",
            "color/grayscale/thumbor-grayscale-800x533.jpg, 800, 533, 1, false, GRAY, 0",
            "color/cmyk/ycck-no-profile-wikipedia.jpg, 500, 333, 4, false, YCCK, 0",
            "color/cmyk/cmyk-adobe-jfif-160x227.jpg, 160, 227, 4, false, CMYK, 0",
            "orientation/cantaloupe-exif-orientation-0-illegal.jpg, 64, 56, 3, false, YCBCR, 0" })
    void readsTheHeaderWithoutDecoding(String file, int width, int height, int components, boolean progressive,
            JpegColorSpace colorSpace, int orientation) throws Exception {
        JpegInfo info = decoder.readInfo(TestImages.bytes(file));

        assertThat(info.width()).isEqualTo(width);
        assertThat(info.height()).isEqualTo(height);
        assertThat(info.componentCount()).isEqualTo(components);
        assertThat(info.progressive()).isEqualTo(progressive);
        assertThat(info.colorSpace()).isEqualTo(colorSpace);
        assertThat(info.exifOrientation()).isEqualTo(orientation);
    }

    @Test
    void exposesTheAdobeTransformOfCmykFiles() throws Exception {
        assertThat(decoder.readInfo(TestImages.bytes("color/cmyk/ycck-no-profile-wikipedia.jpg")).adobeTransform())
            .isEqualTo(2);
        assertThat(decoder.readInfo(TestImages.bytes("valid/flickr-2725x2225.jpg")).adobeTransform()).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} components, ids {1}, Adobe transform {2}")
    @CsvSource({ "2, 1 2, -1, GRAY, OTHER", "2, 0 1, 0, GRAY, OTHER", "4, 1 2 3 4, -1, YCBCR, CMYK",
            "4, 82 71 66 65, -1, RGB, CMYK", "4, 89 67 99 65, -1, RGB, CMYK", "4, 67 77 89 75, -1, , CMYK",
            "4, 0 1 2 3, -1, , CMYK", "4, 1 2 3 5, -1, , CMYK", "4, 1 2 3 4, 0, , CMYK", "4, 1 2 3 4, 2, , YCCK",
            "3, 1 2 3, -1, , YCBCR", "1, 1, -1, , GRAY" })
    void readsTheLastComponentAsAlphaWhereImageIoDoes(int count, String ids, int adobeTransform,
            JpegColorSpace alphaOver, JpegColorSpace colorSpace) {
        // given a frame of these components ('R' is 82, 'G' 71, 'B' 66, 'A' 65, 'Y' 89, 'C' 67, 'c' 99)
        int[][] components = Arrays.stream(ids.split(" "))
            .map(id -> new int[] { Integer.parseInt(id), 0x11 })
            .toArray(int[][]::new);
        JpegBuilder jpeg = JpegBuilder.jpeg();
        if (adobeTransform >= 0) {
            jpeg.adobe(adobeTransform);
        }
        byte[] file = jpeg.dqt().frame(0xC0, 16, 16, components).tables()
            .scan(0, 63, 0, 0, Arrays.stream(components).mapToInt(c -> c[0]).toArray()).end();

        JpegInfo info = JpegDecoder.readHeader(file);

        // then libjpeg's colour model is kept for the record, and ImageIO's alpha is named beside it
        assertThat(info.componentCount()).isEqualTo(count);
        assertThat(info.alphaOver()).isEqualTo(java.util.Optional.ofNullable(alphaOver));
        assertThat(info.colorSpace()).isEqualTo(colorSpace);
    }

    @ParameterizedTest(name = "{0} components")
    @ValueSource(ints = { 2, 4 })
    void decodesTwoComponentsAndFourWithoutAnAdobeMarker(int count) throws Exception {
        // given a 16x16 picture whose every sample is 128: grey (128 linear light, 188 in sRGB) or Y'CbCr mid-grey,
        // under an alpha of 128
        int[][] components = new int[count][];
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            components[i] = new int[] { i + 1, 0x11 };
            ids[i] = i + 1;
        }
        byte[] file = JpegBuilder.jpeg().dqt().frame(0xC2, 16, 16, components).tables().scan(0, 0, 0, 0, ids)
            .dcZeros(4L * count).end();

        DecodedJpeg decoded = decoder.decode(file, 1, Long.MAX_VALUE);

        assertThat(decoded.complete()).isTrue();
        assertThat(decoded.hasAlpha()).isTrue();
        assertThat(decoded.hasInks()).isFalse();
        int level = count == 2 ? ColorConverter.blend(128, 188) : ColorConverter.blend(128, 128);
        assertThat(decoded.image().getRGB(8, 8) & 0xFFFFFF).isEqualTo(level << 16 | level << 8 | level);
    }

    @Test
    void assemblesAMultiChunkIccProfile() throws Exception {
        JpegInfo info = decoder.readInfo(TestImages.bytes("color/icc/icc-profile-big-multichunk.jpg"));

        byte[] icc = info.iccProfile().orElseThrow();
        // an ICC profile starts with its own size and carries the signature 'acsp' at offset 36
        int declared = ((icc[0] & 0xFF) << 24) | ((icc[1] & 0xFF) << 16) | ((icc[2] & 0xFF) << 8) | (icc[3] & 0xFF);
        assertThat(declared).isEqualTo(icc.length);
        assertThat(new String(icc, 36, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("acsp");
    }

    @Test
    void ignoresAnIccProfileWithAMissingChunk() throws Exception {
        assertThat(decoder.readInfo(TestImages.bytes("color/icc/icc-missing-chunk.jpeg")).iccProfile()).isEmpty();
    }

    @Test
    void rejectsADecompressionBombFromTheHeaderBeforeAllocating() throws Exception {
        byte[] bomb = TestImages.bytes("bomb/claims-65535x65535-186-bytes.jpg");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
            .getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

        assertThat(decoder.readInfo(bomb).pixels()).isEqualTo(65535L * 65535L);
        assertThatExceptionOfType(UnsupportedJpegException.class)
            .isThrownBy(() -> decoder.decode(bomb, 8, 100_000_000L))
            .withMessageContaining("over the limit");

        // a machine-independent "before allocating": a 1/8 decode of the claim would need 67 M pixels
        assertThat(threads.getCurrentThreadAllocatedBytes() - allocatedBefore).as("bytes allocated")
            .isLessThan(4L << 20);
    }

    @ParameterizedTest(name = "{0}x{1} into {2}x{3} -> 1/{4}")
    @CsvSource({ "5120, 2880, 256, 144, 8", "4000, 3000, 256, 192, 4", "2725, 2225, 256, 209, 4",
            "1800, 1200, 256, 171, 2", "1000, 800, 256, 205, 1", "8192, 5464, 256, 171, 8", "100, 100, 100, 100, 1" })
    void choosesTheSmallestScaleThatLeavesTwiceTheTarget(int width, int height, int targetWidth, int targetHeight,
            int denominator) {
        assertThat(JpegDecoder.scaleDenominatorFor(width, height, targetWidth, targetHeight)).isEqualTo(denominator);
    }

    @Test
    void decodesAHuffmanCodedFileWithAnArithmeticConditioningSegmentAsIfItWereNotThere() throws Exception {
        byte[] photo = TestImages.bytes("valid/flickr-2725x2225.jpg");
        // a DAC segment (marker 0xFFCC, two conditioning pairs) right after SOI
        byte[] dac = { (byte) 0xFF, (byte) 0xCC, 0, 6, 0x00, 0x10, 0x10, 0x05 };
        byte[] withDac = new byte[photo.length + dac.length];
        System.arraycopy(photo, 0, withDac, 0, 2);
        System.arraycopy(dac, 0, withDac, 2, dac.length);
        System.arraycopy(photo, 2, withDac, 2 + dac.length, photo.length - 2);

        DecodedJpeg plain = decoder.decode(photo, 8, 100_000_000L);
        DecodedJpeg conditioned = decoder.decode(withDac, 8, 100_000_000L);

        assertThat(conditioned.image().getRGB(0, 0, conditioned.image().getWidth(), conditioned.image().getHeight(),
                null, 0, conditioned.image().getWidth())).isEqualTo(plain.image().getRGB(0, 0,
                        plain.image().getWidth(), plain.image().getHeight(), null, 0, plain.image().getWidth()));
    }

    @Test
    void decodesATruncatedFileWithTheMissingPartGrey() throws Exception {
        DecodedJpeg decoded = decoder.decode(TestImages.bytes("malformed/truncated-10000-of-2725x2225.jpg"), 8,
                100_000_000L);

        assertThat(decoded.complete()).isFalse();
        int bottomLeft = decoded.image().getRGB(0, decoded.image().getHeight() - 1);
        assertThat(bottomLeft & 0xFFFFFF).isEqualTo(0x808080);
    }

    @Test
    void survivesEveryTruncationOfAProgressiveFile() {
        byte[] full = TestImages.bytes("progressive/progressive-422-lens-data.jpeg");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int length = 0; length < full.length; length += 97) {
                byte[] cut = Arrays.copyOf(full, length);
                try {
                    decoder.decode(cut, 2, 100_000_000L);
                }
                catch (JpegException expected) {
                    // rejecting a cut header is fine, but not through the safety net for internal errors
                    assertThat(expected.getCause()).as("cut at %d", length).isNull();
                }
            }
        });
    }

    @Test
    void survivesFlippedBitsInTheEntropyData() {
        byte[] original = TestImages.bytes("valid/restart-markers-33x33.jpg");
        java.util.Random random = new java.util.Random(6);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 2000; i++) {
                byte[] damaged = original.clone();
                for (int j = 0; j < 4; j++) {
                    int p = random.nextInt(damaged.length);
                    damaged[p] ^= (byte) (1 << random.nextInt(8));
                }
                try {
                    decoder.decode(damaged, 1 << random.nextInt(4), 100_000_000L);
                }
                catch (JpegException expected) {
                    assertThat(expected.getCause()).as("internal error on damaged data").isNull();
                }
            }
        });
    }
}
