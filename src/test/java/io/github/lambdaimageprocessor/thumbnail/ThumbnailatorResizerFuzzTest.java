package io.github.lambdaimageprocessor.thumbnail;

import java.time.Duration;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.WorkBudget;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the whole thumbnail path, as an upload reaches it: format sniffing, the header checks,
 * the DCT-scaling decoder, the ImageIO/TwelveMonkeys fallback (and libjpeg under it), resampling, orientation and
 * encoding. Every input must end in a thumbnail that fits the box or in a {@link RejectedImageException} with a reason,
 * within the {@link WorkBudget}; being stopped by the resizer's own deadline counts as over the work bound.
 *
 * <p>Inputs: {@code ThumbnailatorResizerFuzzTestInputs/makesAThumbnailOrRejects} (seeds from the corpus and every
 * finding), run as regression tests by {@code ./mvnw test}; fuzzing with {@code JAZZER_FUZZ=1}, see docs/fuzzing.md.
 */
class ThumbnailatorResizerFuzzTest {

    /**
     * The production spec, with a deadline well past the CPU budget: on a busy machine wall-clock time says little, so
     * the deadline is only the backstop that ends a runaway decode; the budget's CPU time gives the verdict.
     */
    private static final ThumbnailSpec SPEC = DefaultSettings.THUMBNAIL_SPEC.withTimeLimit(Duration.ofSeconds(15));

    // one for the whole run, like the application's: JUnit makes a new test instance for every input
    private static final ThumbnailatorResizer RESIZER = new ThumbnailatorResizer(SPEC);

    @FuzzTest(maxDuration = "30s")
    void makesAThumbnailOrRejects(byte[] image) {
        WorkBudget budget = WorkBudget.start();
        try {
            Thumbnail thumbnail = RESIZER.resize(image);
            assertThat(thumbnail.size().width()).isBetween(1, SPEC.box().width());
            assertThat(thumbnail.size().height()).isBetween(1, SPEC.box().height());
            assertThat(thumbnail.jpeg()).isNotEmpty();
        }
        catch (RejectedImageException e) {
            if (e.getMessage().startsWith("took longer than the time limit")) {
                budget.check(image);
                throw new AssertionFailedError("over the work bound: stopped by the resizer's deadline of "
                        + SPEC.timeLimit().toSeconds() + " s: " + e.getMessage());
            }
            assertThat(e.getMessage()).as("the reason given for a rejection").isNotBlank();
        }
        budget.check(image);
    }
}
