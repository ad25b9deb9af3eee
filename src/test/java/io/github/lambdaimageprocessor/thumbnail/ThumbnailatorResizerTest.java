package io.github.lambdaimageprocessor.thumbnail;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import io.github.lambdaimageprocessor.AlphaJpegs;
import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.ForkedJvm;
import io.github.lambdaimageprocessor.HostileJpegs;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ThumbnailatorResizerTest {

    private final ThumbnailatorResizer resizer = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);

    @ParameterizedTest(name = "{0} -> {3}x{4}")
    @CsvSource({ "valid/flickr-2725x2225.jpg, 2725, 2225, 256, 209", "valid/nikon-e950-444.jpg, 800, 600, 256, 192",
            "valid/reconyx-hc500-2048x1536-422.jpg, 2048, 1536, 256, 192",
            "edge-sizes/wide-phone-4608x1976.jpg, 4608, 1976, 256, 110", "edge-sizes/tall-49x500.jpg, 49, 500, 25, 256",
            "edge-sizes/16x16.jpg, 16, 16, 16, 16", "valid/jpeg-content-with-png-extension.png, 64, 56, 64, 56" })
    void fitsRealPhotosInto256KeepingAspect(String file, int sourceWidth, int sourceHeight, int width, int height)
            throws Exception {
        Thumbnail thumbnail = resizer.resize(TestImages.bytes(file));

        assertThat(thumbnail.source()).isEqualTo(new Dimensions(sourceWidth, sourceHeight));
        assertThat(thumbnail.size()).isEqualTo(new Dimensions(width, height));
        BufferedImage decoded = TestImages.decode(thumbnail.jpeg());
        assertThat(decoded.getWidth()).isEqualTo(width);
        assertThat(decoded.getHeight()).isEqualTo(height);
    }

    @Test
    void aProfileForAnotherColourModelIsNamedAsIgnoredNotAsApplied() throws Exception {
        // an RGB photo carrying a CMYK (FOGRA27) profile, which both decoders leave aside
        Thumbnail mismatched = resizer.resize(TestImages.bytes("color/icc/rgb-with-cmyk-fogra27-profile.jpg"));
        Thumbnail matching = resizer.resize(TestImages.bytes("color/icc/adobe-rgb-626x76.jpg"));

        assertThat(mismatched.colorSpace()).startsWith("YCbCr (ICC \"").endsWith(" for CMYK, ignored)");
        assertThat(matching.colorSpace()).startsWith("YCbCr (ICC \"").doesNotContain("ignored");
    }

    @Test
    void colourAndAlphaAreNamedAsDrawnAndTheirProfileAsIgnored() throws Exception {
        // given grey and alpha (two components) and Y'CbCr and alpha (four, ids 1-4, no Adobe marker), each carrying
        // a profile that matches its colour: both decoders draw them over black and leave the profile aside
        byte[] adobeRgb = iccProfileOf(TestImages.bytes("color/icc/adobe-rgb-626x76.jpg"));
        byte[] grey = HostileJpegs.withIccProfile(AlphaJpegs.photo(TestImages.CAMERA_PHOTO,
                AlphaJpegs.Kind.GREY_ALPHA, false), adobeRgb);
        byte[] colour = HostileJpegs.withIccProfile(AlphaJpegs.photo(TestImages.CAMERA_PHOTO,
                AlphaJpegs.Kind.YCC_ALPHA, false), adobeRgb);

        // when they are resized, their records name colour and alpha (not libjpeg's CMYK for the four components) and
        // say the profile was ignored rather than naming it as if applied
        assertThat(resizer.resize(grey).colorSpace())
            .isEqualTo("Gray and alpha (ICC \"Adobe RGB (1998)\" ignored with alpha)");
        assertThat(resizer.resize(colour).colorSpace())
            .isEqualTo("YCbCr and alpha (ICC \"Adobe RGB (1998)\" ignored with alpha)");
    }

    @Test
    void greyAndAlphaWithAGreyProfileIsNamedWithTheProfileAppliedAndTheAlphaIgnored() throws Exception {
        // given grey and alpha carrying a grey profile: the fallback draws the grey through it, opaque, and so does
        // the fast decoder
        byte[] grey = HostileJpegs.withIccProfile(AlphaJpegs.photo(TestImages.CAMERA_PHOTO,
                AlphaJpegs.Kind.GREY_ALPHA, false),
                iccProfileOf(TestImages.bytes("color/grayscale/thumbor-grayscale-icc.jpg")));

        assertThat(resizer.resize(grey).colorSpace()).isEqualTo("Gray and alpha (ICC \"Dot Gain 20%\", alpha ignored)");
    }

    /** The ICC profile of a JPEG with one APP2 chunk. */
    private static byte[] iccProfileOf(byte[] jpeg) {
        return JpegDecoder.readHeader(jpeg).iccProfile().orElseThrow();
    }

    @Test
    void aProfileTheColourEngineCannotApplyIsNamedAsIgnoredNotAsApplied() throws Exception {
        // given the Adobe RGB photo with its profile's tone curves damaged (the 'curv' tags' type overwritten, as in
        // color/icc/corrupted-icc-srgb.jpg): the header and description still read, but lcms cannot link the profile,
        // so the decoders leave it aside and the thumbnail shows the samples as sRGB
        byte[] photo = TestImages.bytes("color/icc/adobe-rgb-626x76.jpg");
        int damaged = 0;
        for (int i = 0; i + 4 <= photo.length; i++) {
            if (photo[i] == 'c' && photo[i + 1] == 'u' && photo[i + 2] == 'r' && photo[i + 3] == 'v') {
                photo[i] = 'x';
                damaged++;
            }
        }
        assertThat(damaged).as("rTRC, gTRC, bTRC").isEqualTo(3);

        // when it is resized
        Thumbnail thumbnail = resizer.resize(photo);

        // then its record says the profile was ignored rather than naming it as if applied
        assertThat(thumbnail.colorSpace()).isEqualTo("YCbCr (ICC \"Adobe RGB (1998)\" unusable, ignored)");
    }

    @Test
    void aCmykProfileTheColourEngineCannotApplyIsNamedAsIgnoredNotAsApplied() throws Exception {
        // given the SWOP-profiled CMYK photo with its profile's lookup tables damaged (their 'mft1'/'mft2' type
        // overwritten):
        // the description still reads, but no link to sRGB can be built, so the inks go through the formula
        byte[] photo = TestImages.bytes("color/cmyk/thumbor-cmyk-icc.jpg");
        int damaged = 0;
        for (int i = 0; i + 4 <= photo.length; i++) {
            if (photo[i] == 'm' && photo[i + 1] == 'f' && photo[i + 2] == 't'
                    && (photo[i + 3] == '1' || photo[i + 3] == '2')) {
                photo[i] = 'x';
                damaged++;
            }
        }
        assertThat(damaged).as("A2B0-2, B2A0-2, gamt").isEqualTo(6);

        // when it is resized
        Thumbnail thumbnail = resizer.resize(photo);

        // then its record says the profile was ignored
        assertThat(thumbnail.colorSpace()).isEqualTo("CMYK (ICC \"U.S. Web Coated (SWOP) v2\" unusable, ignored)");
    }

    @ParameterizedTest(name = "{0} cut at {1} bytes")
    @CsvSource({ "valid/nikon-e950-444.jpg, 3640, 0xE1, 7237", "valid/nikon-e950-444.jpg, 12671, 0xC4, 202",
            "valid/nikon-e950-444.jpg, 12780, 0xDA, 12", "valid/flickr-2725x2225.jpg, 168, 0xC0, 17" })
    void aFileCutOffInsideItsHeaderIsRejectedAsTruncated(String file, int keep, String marker, int declared) {
        // given a photo cut off inside a header segment, as an interrupted copy or upload leaves it: in its EXIF, its
        // Huffman tables, its scan header or its frame header (the reason was "no frame header (SOF) where its
        // segments lead", "Bogus Huffman table definition" or "Bogus marker length", as if the file were malformed)
        byte[] cut = java.util.Arrays.copyOf(TestImages.bytes(file), keep);

        // when it is resized, then the reason says the file ends early, and where
        assertThatExceptionOfType(RejectedImageException.class).isThrownBy(() -> resizer.resize(cut))
            .withMessageStartingWith("not a decodable JPEG: truncated: the file ends inside its header (the segment "
                    + "of marker " + marker + " declares " + declared + " bytes");
    }

    @Test
    void aBrokenIccProfileClaimingGigabytesIsIgnoredOnTheImageIoPath() throws Exception {
        // given a CMYK photo (decoded by TwelveMonkeys) carrying the fuzz finding's ICC chunk, whose profile header
        // declares 1.6 GB: in a 256 MB heap, TwelveMonkeys handed that chunk runs out of memory
        // when it is resized in such a JVM, on the ImageIO path alone
        ForkedJvm.Result run = ForkedJvm.run(BrokenIccProbe.class, List.of("-Xmx256m"), List.of(),
                Duration.ofSeconds(60));

        // then the profile is ignored and the photo processed
        assertThat(run.exitValue()).as(run.output()).isZero();
        assertThat(run.output()).as(run.output()).contains("RESULT PROCESSED")
            .contains("unreadable ICC profile ignored");
    }

    /** Runs in the forked JVM: one RESULT line. */
    static final class BrokenIccProbe {

        public static void main(String[] args) throws Exception {
            // the APP2 segment of campaign-icc-profile-claims-1.6GB-in-1048-bytes.jpg: chunk 1 of 160
            byte[] finding;
            try (var in = ThumbnailatorResizerTest.class.getResourceAsStream("ThumbnailatorResizerFuzzTestInputs/"
                    + "makesAThumbnailOrRejects/campaign-icc-profile-claims-1.6GB-in-1048-bytes.jpg")) {
                finding = in.readAllBytes();
            }
            int app2 = 0x29;
            int length = ((finding[app2 + 2] & 0xFF) << 8) | (finding[app2 + 3] & 0xFF);
            byte[] photo = TestImages.bytes("color/cmyk/mozilla-cmyk-2.jpg");
            byte[] withProfile = new byte[photo.length + 2 + length];
            System.arraycopy(photo, 0, withProfile, 0, 2);
            System.arraycopy(finding, app2, withProfile, 2, 2 + length);
            System.arraycopy(photo, 2, withProfile, 4 + length, photo.length - 2);
            ThumbnailatorResizer imageIoOnly = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC,
                    List.of(new ImageIoDecoder()));
            try {
                Thumbnail thumbnail = imageIoOnly.resize(withProfile);
                System.out.println("RESULT PROCESSED " + thumbnail.size() + " " + thumbnail.colorSpace());
            }
            catch (RejectedImageException e) {
                System.out.println("RESULT REJECTED " + e.getMessage());
            }
        }
    }

    @Test
    void keepsTheColoursOfThePhoto() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.PHOTO);
        BufferedImage original = TestImages.decode(photo);

        BufferedImage thumbnail = TestImages.decode(resizer.resize(photo).jpeg());

        assertThat(meanRgb(thumbnail)).usingComparatorWithPrecision(6.0).containsExactly(meanRgb(original));
    }

    @Test
    void writesAtTheConfiguredQuality() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.PHOTO);

        int low = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC.withQuality(0.3f)).resize(photo).jpeg().length;
        int high = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC.withQuality(0.95f)).resize(photo)
            .jpeg().length;

        assertThat(high).isGreaterThan(low * 3 / 2);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = { "malformed/empty-0-bytes.jpg | not a JPEG: content is empty file",
            "not-jpeg/plain-text.jpg | not a JPEG: content is text", "not-jpeg/png-1x1.jpg | not a JPEG: content is PNG",
            "not-jpeg/heic-iphone-2566x3313.jpg | not a JPEG: content is HEIC",
            "malformed/one-byte.jpg | not a JPEG", "malformed/soi-only-4-bytes.jpg | not a decodable JPEG",
            "malformed/missing-sof.jpg | not a decodable JPEG",
            "bomb/claims-65535x65535-186-bytes.jpg | image is 65535x65535 (4294836225 pixels), over the limit" })
    void rejectsWhatIsNotADecodableJpegWithAReason(String file, String reason) {
        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> resizer.resize(TestImages.bytes(file)))
            .withMessageStartingWith(reason);
    }

    @Test
    void rejectsRandomBytes() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);

        assertThatExceptionOfType(RejectedImageException.class).isThrownBy(() -> resizer.resize(noise))
            .withMessageStartingWith("not a JPEG");
    }

    @Test
    void rejectsRandomBytesBehindAJpegSignature() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8;
        noise[2] = (byte) 0xFF;

        assertThatExceptionOfType(RejectedImageException.class).isThrownBy(() -> resizer.resize(noise))
            .withMessageStartingWith("not a decodable JPEG");
    }

    @Test
    void rejectsImagesOverThePixelLimitWithTheNumbers() {
        ThumbnailatorResizer strict = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC.withMaxPixels(1_000_000));

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> strict.resize(TestImages.bytes(TestImages.PHOTO)))
            .withMessage("image is 2725x2225 (6063125 pixels), over the limit of 1000000 pixels");
    }

    @Test
    void aTimedOutImageHoldsItsCallerUntilItsDecoderHasStopped() {
        // a decoder that never finishes on its own and stops only once it notices the abort (the interrupt of
        // cancel(true)), as libjpeg does at its next progress callback: the time limit always passes first
        java.util.concurrent.atomic.AtomicBoolean decoderStopped = new java.util.concurrent.atomic.AtomicBoolean();
        Decoder slow = (jpeg, header, request) -> {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            }
            catch (InterruptedException e) {
                // the abort
            }
            decoderStopped.set(true);
            throw new RejectedImageException(ThumbnailatorResizer.ABORTED);
        };
        ThumbnailatorResizer impatient = new ThumbnailatorResizer(
                DefaultSettings.THUMBNAIL_SPEC.withTimeLimit(java.time.Duration.ofMillis(500)), List.of(slow));

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> impatient.resize(TestImages.bytes(TestImages.SMALL)))
            .withMessageStartingWith("took longer than the time limit of 500 ms");
        // the caller's concurrency permit is only released now: the raster is gone before the next image starts
        assertThat(decoderStopped).isTrue();
    }

    static double[] meanRgb(BufferedImage image) {
        double[] sum = new double[3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        double n = (double) image.getWidth() * image.getHeight();
        return new double[] { sum[0] / n, sum[1] / n, sum[2] / n };
    }

    @ParameterizedTest(name = "{0} components, {1}x{2}")
    @CsvSource({ "4, 100, 100, 'lossless image with 4 components'",
            "3, 2200, 2200, 'lossless image of 4840000 pixels, over the 4500000'",
            "1, 3100, 3100, 'lossless image of 9610000 pixels, over the 9000000'",
            "3, 2000, 2000, 'cannot hold a lossless 2000x2000 image'" })
    void aLosslessImageIsRefusedFromItsHeaderWhenItsDecodeWouldOutgrowTheMemoryBudget(int components, int width,
            int height, String reason) {
        int[][] list = new int[components][];
        int[] ids = new int[components];
        for (int i = 0; i < components; i++) {
            list[i] = new int[] { i + 1, 0x11 };
            ids[i] = i + 1;
        }
        byte[] lossless = io.github.lambdaimageprocessor.JpegBuilder.jpeg().dqt().frame(0xC3, width, height, list)
            .tables().scan(1, 0, 0, 0, ids).raw(new int[4096]).cut();

        assertThatExceptionOfType(RejectedImageException.class).isThrownBy(() -> resizer.resize(lossless))
            .withMessageContaining(reason);
    }

    @org.junit.jupiter.api.Test
    void anInterleavedScanOfMoreThanTenBlocksPerMcuIsRefusedBeforeAnyReaderSizesTheImage() {
        assertThat(io.github.lambdaimageprocessor.jpeg.JpegDecoder.readScans(
                io.github.lambdaimageprocessor.HostileJpegs.oversizedMcu()).oversizedMcu()).isTrue();
        assertThat(io.github.lambdaimageprocessor.jpeg.JpegDecoder.readScans(TestImages.bytes(TestImages.PHOTO))
            .oversizedMcu()).isFalse();

        assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> resizer.resize(io.github.lambdaimageprocessor.HostileJpegs.oversizedMcu()))
            .withMessage("not a decodable JPEG: an interleaved scan's MCU holds more than 10 blocks, which the "
                    + "standard does not allow");
    }
}
