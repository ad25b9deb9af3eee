package io.github.lambdaimageprocessor.jpeg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.JpegBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan walk's byte counts checked against plain byte-by-byte references, on random and adversarial buffers and on
 * random mutations of the corpus' files. {@link JpegParser#entropyCodedEnd} and {@link JpegParser#markerBytes} skip
 * 8 bytes at a time while none is 0xFF, so a fault in that arithmetic shows only where a 0xFF falls at some alignment,
 * next to some other byte; the example tests in {@link JpegParserTest} cannot place it everywhere. The budgets of
 * the fallback trust {@link ScanSummary#entropyBytes}: it must never go negative nor exceed the file.
 *
 * <p>Deterministic: each test's random seed is fixed and named in its failure messages.
 */
class EntropyCountPropertyTest {

    private static final long SEED = 20261205L;

    /** The bytes buffers are drawn from: what entropy-coded data and the markers around it are made of. */
    private static final int[] INTERESTING = { 0xFF, 0xFF, 0xFF, 0x00, 0xD0, 0xD3, 0xD7, 0xD8, 0xD9, 0xDA, 0xC4, 0xCF,
            0x01, 0x80, 0xFE };

    @Test
    void theSkippingWalkAgreesWithAByteByByteOneOnRandomAndAdversarialBuffers() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = buffer(random, round);
            for (int start = 0; start <= b.length; start += 1 + random.nextInt(3)) {
                int round0 = round;
                int start0 = start;
                Supplier<String> where = () -> "seed " + SEED + ", round " + round0 + ", start " + start0 + ", buffer "
                        + hex(b);
                int end = JpegParser.entropyCodedEnd(b, start);

                assertThat(end).as(where).isEqualTo(referenceEntropyCodedEnd(b, start));
                int markers = JpegParser.markerBytes(b, start, end);
                assertThat(markers).as(where).isEqualTo(referenceMarkerBytes(b, start, end));
                assertThat(markers).as(where).isBetween(0, Math.max(0, end - start));
            }
        }
    }

    @Test
    void entropyBytesStayWithinTheFileForRandomMutationsOfRealFiles() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<byte[]> files = corpusFiles();
        assertThat(files).hasSizeGreaterThan(50);
        for (int round = 0; round < 3_000; round++) {
            byte[] original = files.get(random.nextInt(files.size()));
            byte[] mutated = mutate(original, random);
            int round0 = round;
            Supplier<String> where = () -> "seed " + SEED + ", round " + round0 + " (" + mutated.length + " bytes)";

            ScanSummary scans = JpegDecoder.readScans(mutated);

            assertThat(scans.fileBytes()).as(where).isEqualTo(mutated.length);
            assertThat(scans.entropyBytes()).as(where).isBetween(0L, (long) mutated.length);
        }
    }

    @Test
    void entropyBytesAreTheScansDataLessWhatTheReferencesCountAsMarkers() {
        // one scan header, then random data and EOI: wherever the reference says the data ends, the walk counts what
        // it holds less the fill bytes and restart markers, exactly when the data ends in EOI (past another marker
        // the walk reads on, so it can only count more)
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] header = JpegBuilder.jpeg().dqt().frame(0xC0, 16, 16, new int[] { 1, 0x11 }).tables()
            .scan(0, 63, 0, 0, 1).cut();
        for (int round = 0; round < 20_000; round++) {
            byte[] data = buffer(random, round);
            byte[] jpeg = Arrays.copyOf(header, header.length + data.length + 2);
            System.arraycopy(data, 0, jpeg, header.length, data.length);
            jpeg[jpeg.length - 2] = (byte) 0xFF;
            jpeg[jpeg.length - 1] = (byte) 0xD9;
            int end = referenceEntropyCodedEnd(jpeg, header.length);
            long expected = end - header.length - referenceMarkerBytes(jpeg, header.length, end);
            int round0 = round;
            Supplier<String> where = () -> "seed " + (SEED + 1) + ", round " + round0 + ", data " + hex(data);

            ScanSummary scans = JpegDecoder.readScans(jpeg);

            assertThat(scans.entropyBytes()).as(where).isBetween(0L, (long) jpeg.length);
            if ((jpeg[end + 1] & 0xFF) == 0xD9) {
                assertThat(scans.entropyBytes()).as(where).isEqualTo(expected);
            }
            else {
                assertThat(scans.entropyBytes()).as(where).isGreaterThanOrEqualTo(expected);
            }
        }
    }

    /**
     * Where entropy-coded data starting at {@code pos} ends, one byte at a time: at the 0xFF of the first marker that
     * is neither a stuffed byte (0xFF00), a fill byte (0xFF before 0xFF) nor a restart marker, else at the end.
     */
    private static int referenceEntropyCodedEnd(byte[] b, int pos) {
        for (int i = pos; i + 1 < b.length; i++) {
            int next = b[i + 1] & 0xFF;
            if ((b[i] & 0xFF) == 0xFF && next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                return i;
            }
        }
        return Math.max(pos, b.length);
    }

    /**
     * The bytes of {@code [start, end)} that hold no coefficient, one byte at a time: a 0xFF before another 0xFF is
     * fill, a 0xFF before 0xD0-0xD7 and that byte are a restart marker.
     */
    private static int referenceMarkerBytes(byte[] b, int start, int end) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if ((b[i] & 0xFF) != 0xFF || i + 1 >= b.length) {
                continue;
            }
            int next = b[i + 1] & 0xFF;
            if (next == 0xFF) {
                count++;
            }
            else if (next >= 0xD0 && next <= 0xD7) {
                count += 2;
                i++;
            }
        }
        return count;
    }

    /**
     * Random buffers of 0 to 80 bytes, most of them adversarial: runs of 0xFF (fill), restart markers, stuffed bytes
     * and marker codes, at every alignment against the 8-byte steps, among plain data.
     */
    private static byte[] buffer(SplittableRandom random, int round) {
        int length = random.nextInt(81);
        byte[] b = new byte[length];
        int style = round % 4;
        for (int i = 0; i < length; i++) {
            b[i] = (byte) switch (style) {
                case 0 -> random.nextInt(256);
                case 1 -> INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> random.nextInt(10) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)]
                        : random.nextInt(0xFF);
                default -> random.nextInt(4) == 0 ? 0xFF : 0xD0 + random.nextInt(10);
            };
        }
        if (length > 0 && random.nextBoolean()) {
            // a run of fill somewhere, of a length that crosses 8-byte steps
            int at = random.nextInt(length);
            int run = Math.min(length - at, 1 + random.nextInt(20));
            Arrays.fill(b, at, at + run, (byte) 0xFF);
        }
        return b;
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] b = original.clone();
        int mutations = 1 + random.nextInt(8);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            b = switch (random.nextInt(6)) {
                case 0 -> { // flip a byte
                    b[at] = (byte) random.nextInt(256);
                    yield b;
                }
                case 1 -> insert(b, at, run(0xFF, 1 + random.nextInt(600))); // fill
                case 2 -> insert(b, at, new byte[] { (byte) 0xFF, (byte) (0xD0 + random.nextInt(8)) }); // a restart
                case 3 -> Arrays.copyOf(b, at); // cut short
                case 4 -> { // a marker code anywhere
                    b[at] = (byte) 0xFF;
                    if (at + 1 < b.length) {
                        b[at + 1] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                    }
                    yield b;
                }
                default -> { // a copy of a part of the file elsewhere (a scan header twice, say)
                    int from = random.nextInt(b.length);
                    int length = Math.min(b.length - from, random.nextInt(2_000));
                    yield insert(b, at, Arrays.copyOfRange(b, from, from + length));
                }
            };
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] inserted) {
        byte[] out = new byte[b.length + inserted.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(b, at, out, at + inserted.length, b.length - at);
        return out;
    }

    private static byte[] run(int value, int length) {
        byte[] run = new byte[length];
        Arrays.fill(run, (byte) value);
        return run;
    }

    /** The corpus' files under 300 KB: every kind of JPEG (and non-JPEG) the service meets, read once. */
    private static List<byte[]> corpusFiles() {
        Path corpus = Path.of("src/test/resources/corpus");
        try (Stream<Path> paths = Files.walk(corpus)) {
            return paths.filter(Files::isRegularFile)
                .filter(p -> p.getFileName().toString().matches("(?i).*\\.jpe?g"))
                .filter(p -> size(p) < 300_000)
                .sorted()
                .map(EntropyCountPropertyTest::read)
                .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(String.format("%02X", x & 0xFF));
        }
        return s.toString();
    }
}
