package io.github.lambdaimageprocessor.function;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Resizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SnapStart's checkpoint hook does, called directly: every step runs, nothing is written anywhere, and a step
 * that fails is reported (the outcome and a warning) instead of vanishing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
class SnapStartPrimingTest {

    private static final Path ROOT = TestFolders.create("priming-test");

    @Autowired
    SnapStartPriming priming;

    @Autowired
    FunctionCatalog functions;

    @Autowired
    ImageProcessor processor;

    @Autowired
    MetadataRepository metadata;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
    }

    @Test
    void primesTheResizerTheFunctionAndTheMetadataClientWithoutSideEffects() throws Exception {
        SnapStartPriming.Outcome outcome = priming.prime();

        assertThat(outcome.primed()).containsExactly("resizer", "function", "metadata");
        assertThat(outcome.failed()).isEmpty();
        try (Stream<Path> files = Files.walk(ROOT)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void theCheckpointHookPrimesEveryStepAndSaysSo(CapturedOutput output) {
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(output.getOut()).contains("Primed before the SnapStart snapshot: [resizer, function, metadata]");
        assertThat(ROOT).isEmptyDirectory();
    }

    @Test
    void aFailingStepIsReportedAndTheOthersStillRun(CapturedOutput output) {
        Resizer broken = image -> {
            throw new IllegalStateException("decoder missing");
        };
        SnapStartPriming withBrokenResizer = new SnapStartPriming(broken, functions, processor, metadata);

        SnapStartPriming.Outcome outcome = withBrokenResizer.prime();
        withBrokenResizer.beforeCheckpoint(null);

        assertThat(outcome.primed()).containsExactly("function", "metadata");
        assertThat(outcome.failed()).containsOnlyKeys("resizer");
        assertThat(outcome.failed().get("resizer")).contains("decoder missing");
        assertThat(output.getOut()).contains("Priming before the SnapStart snapshot incomplete: "
                + "primed [function, metadata], failed {resizer=java.lang.IllegalStateException: decoder missing}");
    }
}
