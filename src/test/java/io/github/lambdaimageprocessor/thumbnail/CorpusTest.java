package io.github.lambdaimageprocessor.thumbnail;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every file of the corpus against {@code corpus/expected-outcomes.tsv}: the outcome, the reason of a rejection, the
 * displayed size and orientation of a thumbnail, that the thumbnail carries no metadata, and that it looks like an
 * independent rendering (ImageMagick + lcms, see {@code corpus-reference/make-references.sh}) within a tolerance.
 *
 * <p>The look is compared at 48 px: mean absolute difference per channel over the image (levels of 255), and the mean
 * colour of each quadrant, which catches a sideways or mirrored picture and inverted or shifted colours.
 */
class CorpusTest {

    /**
     * The table's {@code tolerance} column bounds both differences, in levels of 255: 8 for ordinary files (a correct
     * rendering measures 1-6 here; a sideways, mirrored, inverted or unconverted one 20-130). CMYK and YCCK without a
     * usable profile are rendered by the uncalibrated formula on both sides, as browsers do: 10 (a correct rendering
     * measures 0.6-5.6, 8.3 for the 64x56 one, held to 12; cyan and magenta swapped 14-80), and 5 for
     * duplicate-component-ids, a mostly grey photo whose swapped inks measure only 8.1. Larger where there is no single
     * right answer: images of a few pixels where the output's 4:2:0 chroma dominates (26), and corrupt data that
     * decoders fill differently (20).
     */
    private static final Set<Integer> ALLOWED_MARKERS = Set.of(0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA);

    private static final ThumbnailatorResizer RESIZER = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);

    /** The fallback path alone, as it ran before the DCT-scaling decoder: the corpus must pass on both. */
    private static final ThumbnailatorResizer IMAGEIO_ONLY = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC,
            List.of(new ImageIoDecoder()));

    record Expected(String path, String outcome, String reason, String displayed, String thumbnail, String orientation,
            String reference, String tolerance) {

        @Override
        public String toString() {
            return path;
        }
    }

    static List<Expected> table() {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus/expected-outcomes.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                .skip(1)
                .filter(line -> !line.isBlank())
                .map(line -> line.split("\t"))
                .map(c -> new Expected(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]))
                .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theTableCoversEveryFileOfTheCorpus() {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus/MANIFEST.tsv")) {
            List<String> manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                .skip(1)
                .filter(line -> !line.isBlank())
                .map(line -> line.split("\t")[0])
                .toList();
            assertThat(table()).extracting(Expected::path).containsExactlyInAnyOrderElementsOf(manifest);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Expected> files() {
        return table().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachFileHasItsExpectedOutcome(Expected expected) throws Exception {
        hasItsExpectedOutcome(RESIZER, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachFileHasItsExpectedOutcomeOnTheImageIoPathAlone(Expected expected) throws Exception {
        byte[] source = TestImages.bytes(expected.path());
        if (expected.outcome().equals("PROCESSED")
                && ImageIoDecoder.certainlyIncomplete(JpegDecoder.readHeader(source),
                        JpegDecoder.readScans(source).entropyBytes())) {
            // entropy-coded data of less than a bit per block of its frame (the Ultra HDR sample, cut after 48 KB of
            // metadata, holds none): what arrived is rendered by the fast decoder only, since libjpeg would size the
            // whole frame for it first
            assertThat(catchThrowableOfType(RejectedImageException.class, () -> IMAGEIO_ONLY.resize(source)))
                .hasMessageContaining("cannot hold a " + expected.displayed() + " image");
            return;
        }
        hasItsExpectedOutcome(IMAGEIO_ONLY, expected);
    }

    private static void hasItsExpectedOutcome(ThumbnailatorResizer resizer, Expected expected) throws Exception {
        byte[] source = TestImages.bytes(expected.path());
        long started = System.nanoTime();

        if (expected.outcome().equals("REJECTED")) {
            RejectedImageException rejected = catchThrowableOfType(RejectedImageException.class,
                    () -> resizer.resize(source));
            assertThat(rejected).as("rejected").isNotNull();
            assertThat(rejected.getMessage()).startsWith(expected.reason());
        }
        else {
            Thumbnail thumbnail = resizer.resize(source);
            assertThat(thumbnail.source()).hasToString(expected.displayed());
            assertThat(thumbnail.size()).hasToString(expected.thumbnail());
            assertThat(thumbnail.orientation()).isEqualTo(Integer.parseInt(expected.orientation()));
            assertThat(JpegMarkers.beforeFirstScan(thumbnail.jpeg())).as("markers: no EXIF, XMP, ICC, IPTC, COM")
                .allMatch(ALLOWED_MARKERS::contains);
            BufferedImage decoded = TestImages.decode(thumbnail.jpeg());
            assertThat(decoded.getWidth() + "x" + decoded.getHeight()).isEqualTo(expected.thumbnail());
            if (!expected.reference().equals("-")) {
                looksLikeTheReference(decoded, expected);
            }
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds")
            .isLessThan(DefaultSettings.THUMBNAIL_SPEC.timeLimit().toMillis());
    }

    @ParameterizedTest(name = "orientation {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = { 2, 3, 4, 5, 6, 7, 8 })
    void theComparisonTellsAWronglyOrientedThumbnailFromARightOne(int exif) throws Exception {
        // given the upright thumbnail of landscape_1 and its reference
        BufferedImage upright = TestImages.decode(RESIZER.resize(TestImages.bytes("orientation/landscape_1.jpg")).jpeg());
        BufferedImage reference = reference("orientation/landscape_1.jpg");

        // when it is turned or mirrored as a resizer ignoring EXIF would leave it
        BufferedImage wrong = Orientation.ofExif(exif).apply(upright);

        // then the check used above fails it by a wide margin
        Comparison comparison = Comparison.of(scale(wrong, reference.getWidth(), reference.getHeight()), reference);
        assertThat(comparison.quadrantDifference()).isGreaterThan(2 * 8.0);
        assertThat(Comparison.of(scale(upright, reference.getWidth(), reference.getHeight()), reference)
            .quadrantDifference()).isLessThan(8.0);
    }

    /**
     * Photoshop's "SWOP (Coated), 20%" is an input-class profile: it holds the inks-to-colour table and no way back.
     * TwelveMonkeys checks a profile by converting sRGB into it, which fails here, and its reader ignores the profile;
     * inks to sRGB, the one direction a thumbnail needs, works (lcms applies it for ImageMagick and Pillow, and the
     * JDK's engine gives the same values). Ignored, the cover came out pinker: 17.9 levels apart on average here.
     * The table's tolerance for this file stays 45, for the fallback, which still ignores the profile (17.9 levels
     * from the reference); the fast decoder, which makes this thumbnail, is held to the ordinary one.
     */
    @Test
    void aCmykProfileWithoutTheReverseTableIsStillAppliedByTheFastDecoder() throws Exception {
        String path = "color/cmyk/cmyk-invalid-embedded-profile.jpg";
        BufferedImage thumbnail = TestImages.decode(RESIZER.resize(TestImages.bytes(path)).jpeg());
        BufferedImage reference = reference(path);

        Comparison comparison = Comparison.of(scale(thumbnail, reference.getWidth(), reference.getHeight()), reference);

        assertThat(comparison.meanDifference()).as("mean difference").isLessThan(8.0);
        assertThat(comparison.quadrantDifference()).as("quadrant difference").isLessThan(8.0);
    }

    /**
     * mozilla-cmyk-2 prints the words cyan, yellow, magenta and black, each in its ink alone, on paper that is 96% of
     * the picture: swapping two inks moves the whole-image differences the table bounds by only 1.4 levels (0.6 to
     * 2.0), so they are measured here on the inked pixels alone, where a correct rendering is 5.6 levels from the
     * reference and one with cyan and magenta swapped 24.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = { "fast decoder", "ImageIO alone" })
    void theInksOfACmykFileWithoutAProfileComeOutInTheirOwnColours(String decoder) throws Exception {
        // given a CMYK file without a profile, of the inks' names each printed in that ink, and its reference
        String file = "color/cmyk/mozilla-cmyk-2.jpg";
        ThumbnailatorResizer resizer = decoder.equals("fast decoder") ? RESIZER : IMAGEIO_ONLY;
        BufferedImage reference = reference(file);

        // when its thumbnail is made
        BufferedImage thumbnail = scale(TestImages.decode(resizer.resize(TestImages.bytes(file)).jpeg()),
                reference.getWidth(), reference.getHeight());

        // then where the reference has ink, the thumbnail has the same colours
        double sum = 0;
        int inked = 0;
        for (int y = 0; y < reference.getHeight(); y++) {
            for (int x = 0; x < reference.getWidth(); x++) {
                int r = reference.getRGB(x, y);
                int t = thumbnail.getRGB(x, y);
                if (Math.min(r & 0xFF, Math.min(r >> 8 & 0xFF, r >> 16 & 0xFF)) < 200) {
                    inked++;
                    for (int shift = 0; shift < 24; shift += 8) {
                        sum += Math.abs((r >> shift & 0xFF) - (t >> shift & 0xFF)) / 3.0;
                    }
                }
            }
        }
        assertThat(inked).as("inked pixels of the reference").isGreaterThan(50);
        assertThat(sum / inked).as("mean difference on the inked pixels").isLessThan(12.0);
    }

    private static void looksLikeTheReference(BufferedImage thumbnail, Expected expected) throws IOException {
        String referencePath = expected.reference().equals("yes") ? expected.path() : expected.reference();
        BufferedImage reference = reference(referencePath);
        BufferedImage scaled = scale(thumbnail, reference.getWidth(), reference.getHeight());
        Comparison comparison = Comparison.of(scaled, reference);
        double limit = Double.parseDouble(expected.tolerance());
        assertThat(comparison.meanDifference()).as("mean difference to " + referencePath).isLessThan(limit);
        assertThat(comparison.quadrantDifference()).as("quadrant difference to " + referencePath)
            .isLessThan(limit);
    }

    /** Area averaging: no halving steps that would collapse a 1 px side. */
    static BufferedImage scale(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }

    static BufferedImage reference(String corpusPath) throws IOException {
        String name = corpusPath.replace("/", "__").replaceFirst("\\.[^.]+$", ".png");
        try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus-reference/" + name)) {
            assertThat(in).as("reference " + name).isNotNull();
            return ImageIO.read(in);
        }
    }

    /** Differences between two images of the same size, in levels of 255. */
    record Comparison(double meanDifference, double quadrantDifference) {

        static Comparison of(BufferedImage a, BufferedImage b) {
            int w = a.getWidth();
            int h = a.getHeight();
            double[] channelDiff = new double[3];
            // quadrant sums: [image][quadrant][channel]
            double[][][] sums = new double[2][4][3];
            int[] counts = new int[4];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int pa = a.getRGB(x, y);
                    int pb = b.getRGB(x, y);
                    int quadrant = (y * 2 / h) * 2 + (x * 2 / w);
                    counts[quadrant]++;
                    for (int c = 0; c < 3; c++) {
                        int va = (pa >> (16 - 8 * c)) & 0xFF;
                        int vb = (pb >> (16 - 8 * c)) & 0xFF;
                        channelDiff[c] += Math.abs(va - vb);
                        sums[0][quadrant][c] += va;
                        sums[1][quadrant][c] += vb;
                    }
                }
            }
            double mean = 0;
            for (double d : channelDiff) {
                mean = Math.max(mean, d / ((double) w * h));
            }
            double quadrant = 0;
            for (int q = 0; q < 4; q++) {
                if (counts[q] == 0) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    quadrant = Math.max(quadrant, Math.abs(sums[0][q][c] - sums[1][q][c]) / counts[q]);
                }
            }
            return new Comparison(mean, quadrant);
        }
    }
}
