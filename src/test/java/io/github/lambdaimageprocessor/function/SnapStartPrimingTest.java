package io.github.lambdaimageprocessor.function;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** What SnapStart's checkpoint hook does, called directly: every step runs and nothing is written anywhere. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SnapStartPrimingTest {

    private static final Path ROOT = createRoot();

    @Autowired
    SnapStartPriming priming;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
    }

    private static Path createRoot() {
        try {
            return Files.createTempDirectory("priming-test");
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void primesTheResizerTheFunctionAndTheMetadataClientWithoutSideEffects() throws Exception {
        assertThat(priming.prime()).containsExactly("resizer", "function", "metadata");

        try (Stream<Path> files = Files.walk(ROOT)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void isWhatTheCheckpointHookRuns() {
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(ROOT).isEmptyDirectory();
    }
}
