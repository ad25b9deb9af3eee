package io.github.lambdaimageprocessor.thumbnail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.ForkedJvm;
import io.github.lambdaimageprocessor.HostileJpegs;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's done-when: each class of file built to be expensive is answered in under a second of CPU and under 150 MB
 * of resident memory above the same JVM after a real photo, with a verdict and a reason, and the next real photo is
 * still processed. A giant cut short after some data becomes a thumbnail of what arrived (the fast decoder renders it:
 * libjpeg would need 600 MB for it); the other classes are rejected. Each case runs in its own JVM, so its peak resident memory is its own (Linux: {@code VmHWM} of
 * {@code /proc/self/status}, reset through {@code clear_refs} after the real photo).
 */
@EnabledOnOs(OS.LINUX)
class HostileInputTest {

    private static final String PHOTO = "valid/flickr-2725x2225.jpg";

    private static final Pattern RESULT = Pattern.compile(
            "RESULT (\\S+) verdict=(\\S+) cpuMs=(\\d+) peakAboveMb=(\\d+) next=(\\S+) reason=(.*)");

    /**
     * The files with "fallback" in their name go to the ImageIO decoder alone, the one that reaches it when the fast
     * decoder declines a file (as it does a damaged one): the fast decoder renders these (CMYK, four components
     * without an Adobe marker) cheaply itself, and the fallback's own limits must hold as well. The last column is the
     * CPU the file may cost: a second for most, less where a real photo of the size costs tens of milliseconds and the
     * attack a few hundred.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "scan-flood-grey, REJECTED, 1000", "scan-flood-ycck, REJECTED, 1000",
            "scan-flood-ycck-fallback, REJECTED, 1000", "header-only-progressive-rgb, REJECTED, 1000",
            "header-only-progressive-cmyk, REJECTED, 1000", "header-only-progressive-ycck, REJECTED, 1000",
            "header-only-baseline, REJECTED, 1000", "truncated-progressive-giant-rgb, PROCESSED, 1000",
            "icc-multi-process-elements, PROCESSED, 1000", "progressive-cmyk-dc-only, PROCESSED, 1000",
            "progressive-cmyk-dc-only-fallback, REJECTED, 1000", "comment-flood-cmyk, PROCESSED, 1000",
            "comment-flood-cmyk-fallback, REJECTED, 1000", "huffman-table-flood, REJECTED, 1000",
            "flat-cmyk, PROCESSED, 1000", "flat-cmyk-fallback, PROCESSED, 1000", "icc-long-tone-curves, PROCESSED, 400",
            "icc-long-tone-curves-rgb-fallback, PROCESSED, 400", "scan-flood-cmyk-without-adobe, REJECTED, 1000",
            "scan-flood-cmyk-without-adobe-fallback, REJECTED, 1000", "padded-header-only-progressive, REJECTED, 1000",
            "padded-scan-flood-cmyk-without-adobe, PROCESSED, 1000",
            "padded-scan-flood-cmyk-without-adobe-fallback, REJECTED, 1000",
            "padded-lossless-header, REJECTED, 1000", "padded-progressive-cmyk-dc-only-fallback, REJECTED, 1000",
            "restart-flood-cmyk-without-adobe, PROCESSED, 1000",
            "restart-flood-cmyk-without-adobe-fallback, REJECTED, 1000", "fill-after-progressive-header, REJECTED, 1000",
            "truncated-progressive-dc-refinements, PROCESSED, 1000", "dc-refinement-without-adobe, PROCESSED, 1000",
            "dc-scans-without-adobe, PROCESSED, 1000", "truncated-dc-scans-without-adobe, PROCESSED, 1000",
            "dc-scans-two-components, PROCESSED, 1000", "truncated-dc-scans-two-components, PROCESSED, 1000",
            "dc-refinement-alpha-cmyk-profile, REJECTED, 1000", "duplicate-ids-two-components, PROCESSED, 1000",
            "duplicate-ids-two-components-four-scans, PROCESSED, 1000", "duplicate-ids-ycbcr, PROCESSED, 1000",
            "duplicate-ids-four-components, PROCESSED, 1000", "duplicate-ids-scan-names-one-twice, REJECTED, 1000" })
    void isAnsweredInMillisecondsAndMegabytes(String hostile, String verdict, int cpuBudgetMs) throws Exception {
        // given a JVM that made a thumbnail of a real photo
        // when it is handed the hostile file, then the photo again
        ForkedJvm.Result run = ForkedJvm.run(Probe.class, List.of("-Xmx1g"), List.of(hostile), Duration.ofSeconds(90));

        // then
        System.out.print(run.output());
        assertThat(run.exitValue()).as(run.output()).isZero();
        Matcher result = RESULT.matcher(run.output().lines().filter(l -> l.startsWith("RESULT")).findFirst()
            .orElseThrow(() -> new AssertionError("no result line in:\n" + run.output())));
        assertThat(result.matches()).isTrue();
        assertThat(result.group(2)).as("verdict").isEqualTo(verdict);
        assertThat(result.group(6)).as("reason").isNotBlank();
        assertThat(Long.parseLong(result.group(3))).as("process CPU ms for the hostile file")
            .isLessThan(cpuBudgetMs);
        assertThat(Long.parseLong(result.group(4))).as("peak RSS above the JVM after a real photo, MB")
            .isLessThan(150);
        assertThat(result.group(5)).as("the next real photo").isEqualTo("PROCESSED");
    }

    static byte[] build(String hostile) {
        return switch (hostile.replace("-fallback", "")) {
            case "scan-flood-grey" -> HostileJpegs.scanFloodGrey(600_000);
            case "scan-flood-ycck" -> HostileJpegs.scanFloodYcck(600_000);
            case "scan-flood-cmyk-without-adobe" -> HostileJpegs.scanFloodCmykWithoutAdobe();
            // comments (or any segment) count as nothing: only entropy-coded data buys a budget
            case "padded-header-only-progressive" -> HostileJpegs.paddedHeaderOnlyProgressive();
            case "padded-scan-flood-cmyk-without-adobe" -> HostileJpegs.paddedScanFloodCmykWithoutAdobe();
            case "padded-lossless-header" -> HostileJpegs.paddedLosslessHeader();
            case "padded-progressive-cmyk-dc-only" -> HostileJpegs.paddedProgressiveCmykDcOnly();
            case "restart-flood-cmyk-without-adobe" -> HostileJpegs.restartFloodProgressive(-1, false);
            // nor do 0xFF fill bytes, which may precede any marker
            case "fill-after-progressive-header" -> HostileJpegs.fillAfterProgressiveHeader(400_000);
            // real data cut short, libjpeg rendering far more blocks than it holds bytes: drawn by the fast decoder
            case "truncated-progressive-dc-refinements" -> HostileJpegs.truncatedProgressiveDcRefinements();
            // the flavours whose last component ImageIO reads as alpha (no Adobe marker and ids 1-4, or two
            // components): libjpeg reserves the whole frame and renders it once per scan, the fast decoder does not
            case "dc-refinement-without-adobe" -> HostileJpegs.progressiveDcScans(4, 5792, 2, false);
            case "dc-scans-without-adobe" -> HostileJpegs.progressiveDcScans(4, 4096, 7, false);
            case "truncated-dc-scans-without-adobe" -> HostileJpegs.progressiveDcScans(4, 5792, 3, true);
            case "dc-scans-two-components" -> HostileJpegs.progressiveDcScans(2, 8192, 3, false);
            case "truncated-dc-scans-two-components" -> HostileJpegs.progressiveDcScans(2, 8192, 3, true);
            // with a CMYK profile the fallback fails once it has decoded it all: refused from the header
            case "dc-refinement-alpha-cmyk-profile" -> HostileJpegs.withIccProfile(
                    HostileJpegs.progressiveDcScans(4, 5792, 2, false),
                    io.github.lambdaimageprocessor.jpeg.JpegDecoder
                        .readHeader(TestImages.bytes("color/cmyk/thumbor-cmyk-icc.jpg")).iccProfile().orElseThrow());
            // two components of the frame under one id, which the fast decoder refused: the fallback drew them
            // with its ordinary budgets. Both scans of one id, every scan of the first component alone (the second
            // is never coded), or the first scan naming the repeated id, mended to the frame's components
            case "duplicate-ids-two-components" -> HostileJpegs.duplicateIdDcScans(8192, new int[] { 1, 1 },
                    1L << 20, new int[] { 1 }, new int[] { 1 }, new int[] { 1 });
            case "duplicate-ids-two-components-four-scans" -> HostileJpegs.duplicateIdDcScans(8192,
                    new int[] { 1, 1 }, 1L << 20, new int[] { 1 }, new int[] { 1 }, new int[] { 1 }, new int[] { 1 });
            case "duplicate-ids-ycbcr" -> HostileJpegs.duplicateIdDcScans(6688, new int[] { 1, 2, 2 }, 0,
                    new int[] { 1, 2, 2 }, new int[] { 1, 2, 3 });
            case "duplicate-ids-four-components" -> HostileJpegs.duplicateIdDcScans(5792, new int[] { 1, 2, 3, 3 },
                    0, new int[] { 1, 2, 3, 3 }, new int[] { 1, 2, 3, 4 });
            // a later scan naming the id twice: libjpeg refuses the file once it has decoded the scans before
            case "duplicate-ids-scan-names-one-twice" -> HostileJpegs.duplicateIdDcScans(8192, new int[] { 1, 1 }, 0,
                    new int[] { 1, 1 }, new int[] { 1, 1 }, new int[] { 1, 1 });
            case "header-only-progressive-rgb" -> HostileJpegs.headerOnlyProgressive(3, 0);
            case "header-only-progressive-cmyk" -> HostileJpegs.headerOnlyProgressive(4, 0);
            case "header-only-progressive-ycck" -> HostileJpegs.headerOnlyProgressive(4, 2);
            case "header-only-baseline" -> HostileJpegs.headerOnlyBaseline();
            case "truncated-progressive-giant-rgb" -> HostileJpegs.truncatedProgressiveRgb();
            case "icc-multi-process-elements" -> HostileJpegs.iccMultiProcessElements(40_000);
            case "progressive-cmyk-dc-only" -> HostileJpegs.progressiveCmykDcOnly();
            case "comment-flood-cmyk" -> HostileJpegs.commentFloodCmyk(19_000_000);
            case "huffman-table-flood" -> HostileJpegs.huffmanTableFlood(19_000_000);
            case "flat-cmyk" -> HostileJpegs.flatCmyk();
            // a profile id of its own per run: TwelveMonkeys caches the colour spaces of profiles it has seen
            case "icc-long-tone-curves" -> HostileJpegs.iccLongToneCurves(32_767, (int) System.nanoTime());
            case "icc-long-tone-curves-rgb" -> HostileJpegs.iccLongToneCurves(32_767, (int) System.nanoTime(),
                    TestImages.CAMERA_PHOTO);
            default -> throw new IllegalArgumentException(hostile);
        };
    }

    /** Runs in the forked JVM: the photo, the hostile file (measured), the photo again; one RESULT line. */
    static final class Probe {

        public static void main(String[] args) throws Exception {
            String hostile = args[0];
            ThumbnailatorResizer resizer = hostile.endsWith("-fallback")
                    ? new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC, List.of(new ImageIoDecoder()))
                    : new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);
            byte[] photo = TestImages.bytes(PHOTO);
            resizer.resize(photo);
            byte[] bytes = build(hostile);
            System.gc();
            Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // peak RSS := current RSS
            long baseline = statusKb("VmRSS");
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            String verdict;
            String reason;
            try {
                Thumbnail thumbnail = resizer.resize(bytes);
                verdict = "PROCESSED";
                reason = "a thumbnail of " + thumbnail.source() + " -> " + thumbnail.size();
            }
            catch (RejectedImageException e) {
                verdict = "REJECTED";
                reason = e.getMessage();
            }
            long cpuMs = (os.getProcessCpuTime() - cpu) / 1_000_000;
            long peakAboveMb = (statusKb("VmHWM") - baseline) / 1024;
            String next;
            try {
                resizer.resize(photo);
                next = "PROCESSED";
            }
            catch (RejectedImageException e) {
                next = "REJECTED:" + e.getMessage();
            }
            System.out.printf("%s: %d bytes%n", hostile, bytes.length);
            System.out.printf("RESULT %s verdict=%s cpuMs=%d peakAboveMb=%d next=%s reason=%s%n", hostile, verdict,
                    cpuMs, peakAboveMb, next, reason);
        }

        private static long statusKb(String field) throws IOException {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow();
        }
    }
}
