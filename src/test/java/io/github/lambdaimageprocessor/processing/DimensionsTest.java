package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DimensionsTest {

    private static final Dimensions BOX = new Dimensions(256, 256);

    @ParameterizedTest(name = "{0}x{1} fits as {2}x{3}")
    @CsvSource({ "2725, 2225, 256, 209", "1200, 1800, 171, 256", "256, 256, 256, 256", "16, 16, 16, 16",
            "1000, 1, 256, 1", "1, 1000, 1, 256", "300, 100, 256, 85", "257, 10, 256, 10" })
    void fitsWithinTheBoxKeepingAspectAndNeverUpscaling(int width, int height, int expectedWidth, int expectedHeight) {
        Dimensions fitted = new Dimensions(width, height).fitWithin(BOX);

        assertThat(fitted).isEqualTo(new Dimensions(expectedWidth, expectedHeight));
    }

    @ParameterizedTest
    @CsvSource({ "0, 10", "10, 0", "-1, 5" })
    void refusesNonPositiveSizes(int width, int height) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Dimensions(width, height));
    }
}
