package io.github.lambdaimageprocessor.jpeg;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.lambdaimageprocessor.WorkBudget;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the codec the way the resizer drives it: read the header, choose the DCT scale for a
 * 256x256 thumbnail, decode under the pixel limit. Every input must end in a decoded image of the size the header
 * declares, or in a {@link JpegException} that says why, within the {@link WorkBudget}.
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

    private static final JpegDecoder DECODER = new JpegDecoder();

    @FuzzTest(maxDuration = "30s")
    void decodesOrRejectsWithinBudget(byte[] jpeg) {
        WorkBudget budget = WorkBudget.start();
        try {
            JpegInfo info = DECODER.readInfo(jpeg);
            int scale = JpegDecoder.scaleDenominatorFor(info.width(), info.height(), BOX, BOX);
            DecodedJpeg decoded = DECODER.decode(jpeg, scale, MAX_PIXELS, budget::overCpu);
            assertThat(decoded.image().getWidth()).isEqualTo(ceilDiv(info.width(), scale));
            assertThat(decoded.image().getHeight()).isEqualTo(ceilDiv(info.height(), scale));
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

    private static int ceilDiv(int size, int denominator) {
        return (size + denominator - 1) / denominator;
    }
}
